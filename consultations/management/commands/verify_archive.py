"""`manage.py verify_archive SLUG [--archive-version N]`: check a sealed record, file by file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.archive.verification import verify
from consultations.archive.writer import archive_storage
from consultations.models import Consultation, ConsultationArchive

# Exit codes: 0 the archive verifies, 1 it differs from what was written,
# 2 there is nothing to verify (no such consultation, version or archive).
DIFFERS = 1
NOTHING_TO_VERIFY = 2


def _location(folder: str) -> str:
    """The folder on disk when the storage has one, else its name in the storage."""
    try:
        return archive_storage().path(folder)
    except NotImplementedError:
        return folder


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Check a consultation's sealed record: print its folder and digest, recompute the "
            "SHA-256 of the manifest and of every file, and list each difference (a changed, "
            "removed or added file, a changed manifest). Exit status 0 when it verifies, 1 "
            "when anything differs, 2 when there is no such consultation or archive."
        )

    def add_arguments(self, parser):
        parser.add_argument("slug", help=_("The consultation's address name."))
        parser.add_argument(
            "--archive-version",
            type=int,
            dest="version",
            help=_("The version to check. Default: the latest."),
        )

    def handle(self, *args, slug, version=None, **options):
        archive = self._archive(slug, version)
        self.stdout.write(
            _("Archive: version %(version)s of “%(slug)s”")
            % {
                "version": archive.version,
                "slug": slug,
            }
        )
        self.stdout.write(_("Folder: %(folder)s") % {"folder": _location(archive.folder)})
        self.stdout.write(
            _("Digest (SHA-256 of manifest.json): %(digest)s") % {"digest": archive.digest}
        )
        try:
            problems = verify(archive)
        except OSError as error:
            raise CommandError(
                _("The archive could not be read: %(error)s") % {"error": error},
                returncode=DIFFERS,
            ) from error
        if not problems:
            self.stdout.write(
                ngettext(
                    "Verified: %(count)d file matches the manifest, and the manifest matches "
                    "the recorded digest.",
                    "Verified: %(count)d files match the manifest, and the manifest matches "
                    "the recorded digest.",
                    archive.file_count,
                )
                % {"count": archive.file_count}
            )
            return
        for problem in problems:
            self.stderr.write(f"{problem.path}: {problem.message}")
        raise CommandError(
            ngettext(
                "The archive does not verify: %(count)d difference.",
                "The archive does not verify: %(count)d differences.",
                len(problems),
            )
            % {"count": len(problems)},
            returncode=DIFFERS,
        )

    def _archive(self, slug: str, version: int | None) -> ConsultationArchive:
        consultation = Consultation.objects.filter(slug=slug).first()
        if consultation is None:
            raise CommandError(
                _("No consultation has the address name “%(slug)s”.") % {"slug": slug},
                returncode=NOTHING_TO_VERIFY,
            )
        archives = ConsultationArchive.objects.of(consultation)
        if version is not None:
            archives = archives.filter(version=version)
        archive = archives.first()
        if archive is None and version is not None:
            raise CommandError(
                _("“%(slug)s” has no archive version %(version)s.")
                % {"slug": slug, "version": version},
                returncode=NOTHING_TO_VERIFY,
            )
        if archive is None:
            raise CommandError(
                _("“%(slug)s” has no archive yet: one is written when it closes.") % {"slug": slug},
                returncode=NOTHING_TO_VERIFY,
            )
        return archive
