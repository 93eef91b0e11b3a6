from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render

from lists.forms import ExistingListItemForm, ItemForm
from lists.models import List


def home_page(request):
    return render(request, "home.html", {"form": ItemForm()})


def new_list(request):
    form = ItemForm(data=request.POST)
    if not form.is_valid():
        return render(request, "home.html", {"form": form})
    new = List.objects.create(owner=request.user if request.user.is_authenticated else None)
    form.save(for_list=new)
    return redirect(new)


def view_list(request, list_id):
    the_list = get_object_or_404(List, id=list_id)
    if request.method == "POST":
        form = ExistingListItemForm(for_list=the_list, data=request.POST)
        if form.is_valid():
            form.save()
            return redirect(the_list)
    else:
        form = ExistingListItemForm(for_list=the_list)
    return render(request, "list.html", {"list": the_list, "form": form})


def my_lists(request, email):
    owner = get_object_or_404(get_user_model(), email=email)
    return render(request, "my_lists.html", {"owner": owner})
