from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

User = get_user_model()


class UserBackend(ModelBackend):
    """Django's ModelBackend, reading the signed-in user with their company or center in the same
    query: the header names it on every page, which otherwise costs each page one more query."""

    def get_user(self, user_id):
        user = User._default_manager.select_related("company", "center").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
