"""The secretariat's writes to the host identity and the notices, and sign-up consent."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from consultations import rules
from site_identity.models import Notice, SiteIdentity, TermsAcceptance
from site_identity.uploads import CheckedImage


def _stored_name(kind: str, image: CheckedImage) -> str:
    # A generated name: nothing the uploader chose reaches the file system.
    return f"{kind}-{get_random_string(16).lower()}.{image.extension}"


@transaction.atomic
def identity_edit(
    *,
    actor,
    values: Mapping[str, Any],
    logo=None,
    logo_image: CheckedImage | None = None,
    favicon=None,
    favicon_image: CheckedImage | None = None,
    remove_logo: bool = False,
    remove_favicon: bool = False,
) -> SiteIdentity:
    """Change the host's name, texts, contact address and images; the cache forgets the old."""
    rules.check(actor, "manage")
    identity = SiteIdentity.objects.current()
    identity = SiteIdentity.objects.select_for_update().get(pk=identity.pk)
    for name, value in values.items():
        setattr(identity, name, value)
    for field, upload, image, remove in (
        ("logo", logo, logo_image, remove_logo),
        ("favicon", favicon, favicon_image, remove_favicon),
    ):
        if upload is not None and image is not None:
            getattr(identity, field).save(_stored_name(field, image), upload, save=False)
        elif remove:
            setattr(identity, field, "")
    identity.save()
    return identity


@transaction.atomic
def notice_edit(*, actor, kind: str, values: Mapping[str, str]) -> Notice:
    """Change a notice's texts; its version goes up when any text changed."""
    rules.check(actor, "manage")
    notice = Notice.objects.current(kind)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    changed = False
    for name, value in values.items():
        if (getattr(notice, name) or "") != (value or ""):
            setattr(notice, name, value)
            changed = True
    if changed:
        notice.version += 1
        notice.save()
    return notice


def terms_accept(*, user, now=None) -> TermsAcceptance:
    """Record that `user` accepts the current version of the terms of participation."""
    notice = Notice.objects.current("terms")
    acceptance, _created = TermsAcceptance.objects.get_or_create(
        user=user,
        notice=notice,
        version=notice.version,
        defaults={"accepted_at": now or timezone.now()},
    )
    return acceptance
