"""The login backend: Django's model backend, except that loading the logged-in user on each
request also reads the user's roles (group names) in the same query."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group

from core.sql import joined_codes


class UserWithRolesBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(
            role_codes=joined_codes(Group.objects.all(), "user", "name"))
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
