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
compiled once per database and run with the id put in.
"""

from functools import cache

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import router
from django.db.models import Exists, OuterRef, Q

# The facts read with the person, each an EXISTS (0 or 1 on SQLite, read raw).
PERSON_FACTS = ("has_verified_email", "has_permissions_given", "moderates_a_consultation")
# Stands for the person's id while the query is compiled: no account has it.
_ID_PLACEHOLDER = -1_234_567_891


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


@cache
def _person_query(alias: str) -> tuple[str, list, int]:
    """The SQL reading one person with their facts on database `alias`, its parameters,
    and where among them the person's id goes."""
    query = people_with_facts().filter(pk=_ID_PLACEHOLDER)[:1].query
    sql, params = query.get_compiler(using=alias).as_sql()
    params = list(params)
    if params.count(_ID_PLACEHOLDER) != 1:  # pragma: no cover - a change in Django
        raise RuntimeError("The person's id is not one parameter of the compiled query.")
    return sql, params, params.index(_ID_PLACEHOLDER)


def read_person(user_id):
    """The person with this id and their facts (`PERSON_FACTS`), or None: the same row and
    attributes as `people_with_facts().filter(pk=user_id).first()`, without building the
    query again."""
    model = get_user_model()
    user_id = model._meta.pk.to_python(user_id)
    alias = router.db_for_read(model)
    sql, params, id_position = _person_query(alias)
    params = [*params]
    params[id_position] = user_id
    user = next(iter(model._default_manager.db_manager(alias).raw(sql, params)), None)
    if user is not None:
        for fact in PERSON_FACTS:
            setattr(user, fact, bool(getattr(user, fact)))
    return user


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
