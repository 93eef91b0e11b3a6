from django.contrib import auth, messages
from django.core.mail import send_mail
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import Token


@require_POST
def send_login_email(request):
    email = request.POST["email"]
    token = Token.objects.create(email=email)
    url = request.build_absolute_uri(reverse("login") + "?token=" + str(token.uid))
    send_mail("Your login link for Superlists", f"Use this link to log in:\n\n{url}", "noreply@superlists", [email])
    messages.success(request, "Check your email, we've sent you a link you can use to log in.")
    return redirect("/")


def login(request):
    user = auth.authenticate(request, uid=request.GET.get("token"))
    if user is None:
        messages.error(request, "Invalid login link, please request a new one")
    else:
        auth.login(request, user)
    return redirect("/")


def logout(request):
    auth.logout(request)
    return redirect("/")
