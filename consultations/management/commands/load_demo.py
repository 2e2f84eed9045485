"""`python manage.py load_demo`: the demo consultations, comments and accounts.

See consultations/demo.py for the content. Running it again changes nothing
on the same day; on a later day it moves the windows along so the open
consultation stays open. The upcoming consultation's Spanish guiding points
are left untranslated on purpose, to show the “shown in English” note.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.demo import DEMO_PASSWORD, SITE_URL, load_demo
from consultations.tasks import enqueue_due_archives

LOCAL_DOMAIN = r"^(127\.0\.0\.1|localhost)(:[0-9]+)?$"


class Command(BaseCommand):
    @property
    def help(self):
        # A property, not a lazy string: argparse needs a real str, in the active language.
        return _(
            "Create (or bring back) three demo consultations, open, closed and upcoming, with "
            "questions, threaded comments in English, French and Spanish, and demo accounts "
            "that share one password. Safe to run again: nothing is duplicated. The upcoming "
            "consultation's Spanish guiding points are left untranslated on purpose, to show "
            "the “shown in English” note."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Load the demo even though DEBUG is off (the accounts' password is public)."),
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "The demo creates accounts whose password is public, so it only runs "
                    "with DEBUG=1. Add --force if you really want it on this site."
                )
            )
        result = load_demo()
        # Emails link to the Sites domain. While it is still a local address, make it
        # the one this demo is served on, so the links in its emails open the running
        # server; a real domain set for a site is left alone.
        Site.objects.filter(pk=settings.SITE_ID, domain__regex=LOCAL_DOMAIN).update(
            domain=urlsplit(SITE_URL).netloc
        )
        # The closed consultation's sealed record: the worker writes it.
        archives = enqueue_due_archives()
        roles = {
            "stakeholder": _("Stakeholder"),
            "moderator": _("Moderator"),
            "secretariat": _("Secretariat (can also use the admin)"),
        }
        lines = [
            _(
                "Demo data is ready: %(created)d objects created, %(updated)d updated, "
                "%(unchanged)d unchanged."
            )
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            _("Open %(url)s and log in with one of these accounts:") % {"url": SITE_URL},
            *(
                _("  %(role)s: %(email)s") % {"role": roles[role], "email": email}
                for role, email in result.logins
            ),
            _("Password for every demo account: %(password)s") % {"password": DEMO_PASSWORD},
        ]
        if archives:
            lines.append(
                ngettext(
                    "%(count)d closed consultation's sealed record is queued for the worker.",
                    "%(count)d closed consultations' sealed records are queued for the worker.",
                    archives,
                )
                % {"count": archives}
            )
        for line in lines:
            self.stdout.write(line)
