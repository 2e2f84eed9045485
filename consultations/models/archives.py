"""The sealed record of a consultation: one row per archive written when it closed."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models.consultations import Consultation


class ConsultationArchiveQuerySet(models.QuerySet):
    def of(self, consultation: Consultation):
        """This consultation's archives, the newest version first."""
        return self.filter(consultation=consultation).order_by("-version")

    def sealing_current_close(self, consultation: Consultation):
        """The archives written since the consultation last closed (at most one, by the writer).

        After an extension the consultation closes again later, and the earlier
        archives no longer seal its current close: a new version is due.
        """
        return self.of(consultation).filter(created_at__gte=consultation.closes_at)


class ConsultationArchive(models.Model):
    """One version of a consultation's sealed record, written to storage when it closed.

    The files (pages, data, audit log) live in `folder`; `manifest.json` there
    lists each with its SHA-256, and `digest` is the SHA-256 of that manifest.
    """

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="archives",
    )
    version = models.PositiveIntegerField(_("version"))
    folder = models.CharField(
        _("folder"), max_length=300, help_text=_("Where the files are, in the file storage.")
    )
    digest = models.CharField(
        _("digest"), max_length=64, help_text=_("SHA-256 of the archive's manifest.")
    )
    closes_at = models.DateTimeField(_("closing it seals"))
    file_count = models.PositiveIntegerField(_("files"))
    total_bytes = models.PositiveBigIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    objects = ConsultationArchiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation archive")
        verbose_name_plural = _("consultation archives")
        ordering = ["consultation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "version"], name="archive_version_unique_per_consultation"
            ),
            models.UniqueConstraint(fields=["folder"], name="archive_folder_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="archive_version_positive"),
        ]

    def __str__(self):
        return _("Archive v%(version)s of %(consultation)s") % {
            "version": self.version,
            "consultation": self.consultation,
        }

    def get_absolute_url(self):
        return reverse(
            "consultations:archive_download",
            kwargs={"slug": self.consultation.slug, "version": self.version},
        )

    @property
    def download_name(self) -> str:
        return f"{self.consultation.slug}-archive-v{self.version}.zip"
