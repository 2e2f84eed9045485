"""Django's ModelBackend, reading a person's permissions in one query rather than two.

Every page a signed-in person opens asks what they may do (moderate every
consultation, translate, run the secretariat); ModelBackend reads the
permissions given to them and those of their groups in two queries. One
query with both gives the same set; the next backend (allauth's, itself a
ModelBackend) then finds it on the user and reads nothing.

The person is read, once per request, with three facts every page that can
take a comment asks about: whether they have a verified email address
(`has_verified_email`), whether they moderate any consultation
(`moderates_a_consultation`), both for `consultations.rules`, and whether any
permission is given to them at all. Most people moderate nothing and have no
permission: what they moderate and what they may do are then known without
a query of their own.

That query is the same on every request but for the person's id, and Django
builds and compiles its SQL anew each time: with its three subqueries, some
3-4 ms of CPU, ten times what the database takes to answer it. Its SQL is
compiled once per database (forum/compiled_queries.py) and run with the id.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q

from forum.compiled_queries import compiled_rows

# The facts read with the person.
PERSON_FACTS = ("has_verified_email", "has_permissions_given", "moderates_a_consultation")


def people_with_facts():
    model = get_user_model()
    return model._default_manager.annotate(
        has_verified_email=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
        has_permissions_given=Exists(
            Permission.objects.filter(Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")))
        ),
        moderates_a_consultation=Exists(
            model.moderated_consultations.through.objects.filter(user=OuterRef("pk"))
        ),
    )


def read_person(user_id):
    """The person with this id and their facts (`PERSON_FACTS`), or None: the same row and
    attributes as `people_with_facts().filter(pk=user_id).first()`, from SQL compiled once."""
    user_id = get_user_model()._meta.pk.to_python(user_id)
    found = compiled_rows(
        "signed-in person",
        lambda user_id: people_with_facts().filter(pk=user_id)[:1],
        key=(),
        user_id=user_id,
    )
    return found[0] if found else None


class PermissionsInOneQueryBackend(ModelBackend):
    def get_user(self, user_id):
        user = read_person(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        if not user.has_permissions_given and not user.is_superuser:
            user._perm_cache = set()
        return user

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
