"""The secretariat's merges of organisation spellings: the alias table and its audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganisationMergeQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-merged_at", "-pk")

    def aliases(self) -> dict[str, str]:
        """Every merged key and the key it now belongs to, merges of merges followed."""
        direct = dict(self.values_list("from_key", "into_key"))
        resolved = {}
        for key in direct:
            seen, target = {key}, direct[key]
            while target in direct and target not in seen:
                seen.add(target)
                target = direct[target]
            resolved[key] = target
        return resolved

    def update(self, **kwargs):
        raise TypeError("Organisation merges are kept as they were made.")

    def delete(self):
        raise TypeError("Organisation merges are kept as they were made.")


class OrganisationMerge(models.Model):
    """One spelling of an organisation folded into another, by whom and when.

    Append-only: the row is both the alias ("iom-geneva" is now "iom") and
    the record of the secretariat's decision.
    """

    from_key = models.CharField(_("merged spelling"), max_length=200, unique=True)
    into_key = models.CharField(_("merged into"), max_length=200)
    from_name = models.CharField(_("name merged"), max_length=200)
    into_name = models.CharField(_("name kept"), max_length=200)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.PROTECT,
        related_name="organisation_merges",
    )
    merged_at = models.DateTimeField(_("merged"), default=timezone.now)

    objects = OrganisationMergeQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation merge")
        verbose_name_plural = _("organisation merges")
        ordering = ["-merged_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_key=F("into_key")), name="organisation_merge_into_another"
            ),
        ]

    def __str__(self):
        return f"{self.from_name} → {self.into_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("Organisation merges are kept as they were made.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Organisation merges are kept as they were made.")
