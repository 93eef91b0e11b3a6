# The lists the bench's scenarios read, made with the ORM; prints their ids as JSON.
import json

from django.core.management.base import BaseCommand
from django.db import transaction

from lists.models import Item, List


def list_with_items(size):
    new = List.objects.create()
    Item.objects.bulk_create(Item(list=new, text=f"item {number}") for number in range(1, size + 1))
    return new.id


class Command(BaseCommand):
    help = "Creates a list of 10 items, a list of 1,000 and a list for the add-item scenario"

    @transaction.atomic
    def handle(self, *args, **options):
        ids = {
            "listOf10": list_with_items(10),
            "listOf1000": list_with_items(1000),
            "listForPosts": list_with_items(1),
        }
        self.stdout.write(json.dumps(ids))
