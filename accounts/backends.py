"""Django's ModelBackend, reading a person's permissions in one query rather than two.

Every page a signed-in person opens asks what they may do (moderate every
consultation, translate, run the secretariat); ModelBackend reads the
permissions given to them and those of their groups in two queries. One
query with both gives the same set; the next backend (allauth's, itself a
ModelBackend) then finds it on the user and reads nothing.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class PermissionsInOneQueryBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            granted = Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in granted.values_list(
                    "content_type__app_label", "codename"
                ).distinct()
            }
        return user_obj._perm_cache
