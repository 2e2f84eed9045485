from django.core.management.base import BaseCommand

from consultations.tasks import enqueue_due_archives
from notifications import services


class Command(BaseCommand):
    help = (
        "Decide the window mail (opened, closes in 48 hours, closed) for followers and, once "
        "a day from ROUNDTABLE_DIGEST_HOUR, gather each person's daily digest; the worker "
        "sends them. Have the worker write the sealed record of each consultation that "
        "closed and has none. Safe to run as often as you like: run it every few minutes or "
        "hourly."
    )

    def handle(self, *args, **options):
        window = services.window_notifications()
        digests = services.daily_digests()
        archives = enqueue_due_archives()
        self.stdout.write(
            f"{window} window notifications, {digests} digests, {archives} archives queued."
        )
