"""Who hosts this Roundtable (name, logo, footer) and the notices people agree to or read.

The secretariat edits both on console pages; nothing here needs code or a
deploy. The identity is one row, read once per page from the cache.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

IDENTITY_CACHE_KEY = "site_identity:current"


class SiteIdentityQuerySet(models.QuerySet):
    def current(self) -> "SiteIdentity":
        """The one identity row, written from the defaults the first time it is asked for."""
        from site_identity.default_texts import identity_defaults

        identity = self.order_by("pk").first()
        if identity is None:
            identity = self.create(**identity_defaults())
        return identity


class SiteIdentity(models.Model):
    """The host's name, logo, tagline, footer and disclaimer; Roundtable only says "powered by"."""

    name = models.CharField(
        _("name of the host"),
        max_length=120,
        help_text=_("The organisation hosting the consultations, shown in the header and titles."),
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    footer_text = models.TextField(
        _("footer text"),
        blank=True,
        help_text=_("A few lines at the foot of every page, for example a postal address."),
    )
    disclaimer = models.CharField(
        _("disclaimer"),
        max_length=300,
        blank=True,
        help_text=_("One line under every discussion, for example who is responsible for views."),
    )
    contact_email = models.EmailField(_("contact address"), blank=True)
    logo = models.FileField(_("logo"), upload_to="site", blank=True)
    favicon = models.FileField(_("favicon"), upload_to="site", blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SiteIdentityQuerySet.as_manager()

    class Meta:
        verbose_name = _("host identity")
        verbose_name_plural = _("host identity")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Every process reads the identity from the shared cache. Forget it now,
        # and again once the new values are committed, in case another request
        # cached the old row in between.
        forget_cached_identity()
        transaction.on_commit(forget_cached_identity)

    @property
    def asset_stamp(self) -> str:
        """Changes whenever the identity does, so browsers fetch a new logo at once."""
        return self.updated_at.strftime("%Y%m%d%H%M%S%f") if self.updated_at else "0"

    @property
    def logo_is_png(self) -> bool:
        return self.logo.name.lower().endswith(".png")

    @property
    def favicon_type(self) -> str:
        return "image/svg+xml" if self.favicon.name.lower().endswith(".svg") else "image/png"


def cached_identity() -> SiteIdentity:
    """The identity for templates: one cache lookup per page, a query only when it changed."""
    identity = cache.get(IDENTITY_CACHE_KEY)
    if identity is None:
        identity = SiteIdentity.objects.current()
        cache.set(IDENTITY_CACHE_KEY, identity, timeout=None)
    return identity


def forget_cached_identity() -> None:
    cache.delete(IDENTITY_CACHE_KEY)


class NoticeKind(models.TextChoices):
    PRIVACY = "privacy", _("Privacy notice")
    TERMS = "terms", _("Terms of participation")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")


class NoticeQuerySet(models.QuerySet):
    def current(self, kind: str) -> "Notice":
        """The notice of this kind, written from the defaults the first time it is asked for."""
        from site_identity.default_texts import notice_defaults

        notice = self.filter(kind=kind).first()
        if notice is None:
            notice, _created = self.get_or_create(kind=kind, defaults=notice_defaults(kind))
        return notice


class Notice(models.Model):
    """A page of the host's rules (privacy, terms, accessibility), in Markdown, versioned."""

    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices, unique=True)
    body = models.TextField(
        _("text"),
        help_text=_("Markdown: ## headings, paragraphs, lists, **strong**, [links](https://…)."),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_("Goes up by one each time the text changes; sign-ups record it."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self):
        return str(self.get_kind_display())

    def get_absolute_url(self):
        return reverse("site_identity:notice", kwargs={"kind": self.kind})


class TermsAcceptance(models.Model):
    """A person's acceptance of one version of the terms, recorded at sign-up."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="terms_acceptances",
    )
    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.PROTECT, related_name="acceptances"
    )
    version = models.PositiveIntegerField(_("version accepted"))
    accepted_at = models.DateTimeField(_("accepted at"))

    class Meta:
        verbose_name = _("acceptance of the terms")
        verbose_name_plural = _("acceptances of the terms")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "notice", "version"], name="terms_accepted_once_per_version"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.notice} v{self.version}"
