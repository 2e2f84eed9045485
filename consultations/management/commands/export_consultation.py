"""`manage.py export_consultation SLUG --format csv|xlsx|json [--output FILE]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from consultations.exports import FORMATS
from consultations.models import Consultation
from consultations.services.consultations import contributions_export


class Command(BaseCommand):
    help = (
        "Export every contribution of one consultation (all statuses, hidden and withdrawn "
        "included) as CSV, XLSX or JSON, the same file as the secretariat's download links. "
        "CSV and JSON go to standard output unless --output is given; XLSX is binary, so "
        "without --output it is written to SLUG.xlsx in the current directory. Each export "
        "is recorded in the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The consultation's address name.")
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=FORMATS,
            default="csv",
            help="csv (UTF-8 with a byte-order mark), xlsx or json. Default: csv.",
        )
        parser.add_argument(
            "--output",
            help="File to write. Default: standard output for csv and json, SLUG.xlsx for xlsx.",
        )

    def handle(self, *args, slug, file_format, output=None, **options):
        try:
            consultation = Consultation.objects.get(slug=slug)
        except Consultation.DoesNotExist as error:
            raise CommandError(
                _("No consultation has the address name “%(slug)s”.") % {"slug": slug}
            ) from error
        export = contributions_export(
            actor=None, consultation=consultation, file_format=file_format
        )
        if output is None and file_format == "xlsx":
            output = f"{consultation.slug}.xlsx"
        if output is None:
            for chunk in export.chunks():
                self.stdout.write(chunk.decode("utf-8"), ending="")
            return
        with Path(output).open("wb") as file:
            for chunk in export.chunks():
                file.write(chunk)
        self.stderr.write(_("Wrote %(path)s.") % {"path": output})
