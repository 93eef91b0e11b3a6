from accounts.models import Token, User


class PasswordlessAuthenticationBackend:
    """Logs in whoever holds a login link's token, creating their user on first login."""

    def authenticate(self, request, uid):
        try:
            token = Token.objects.get(uid=uid)
        except Token.DoesNotExist:
            return None
        return User.objects.get_or_create(email=token.email)[0]

    def get_user(self, email):
        return User.objects.filter(email=email).first()
