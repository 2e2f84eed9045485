from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from consultations import rules
from search.directory import organisations
from search.models import OrganisationMerge


class MergeRefused(Exception):
    """A merge that cannot be made; the message says why, for a person to read."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def organisation_merge(*, actor, from_key: str, into_key: str) -> OrganisationMerge:
    """Fold one organisation's spelling into another's; the merge row is the audit record."""
    rules.check(actor, "merge_organisations")
    if from_key == into_key:
        raise MergeRefused(_("Choose two different organisations."))
    try:
        with transaction.atomic(durable=True):
            known = organisations()
            if from_key not in known or into_key not in known:
                raise MergeRefused(
                    _("One of these organisations no longer exists, or was merged already.")
                )
            return OrganisationMerge.objects.create(
                from_key=from_key,
                into_key=into_key,
                from_name=known[from_key].name,
                into_name=known[into_key].name,
                merged_by=actor,
            )
    except IntegrityError as error:
        raise MergeRefused(_("This organisation was merged already.")) from error
