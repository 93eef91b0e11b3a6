import uuid

from django.db import models


class User(models.Model):
    """A user is an email address: there are no passwords."""

    email = models.EmailField(primary_key=True)

    REQUIRED_FIELDS = []
    USERNAME_FIELD = "email"
    is_anonymous = False
    is_authenticated = True


class Token(models.Model):
    """A one-time login link's key, for the address it was sent to."""

    email = models.EmailField()
    uid = models.CharField(default=uuid.uuid4, max_length=40)
