from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.time_zones import validate_time_zone
from accounts.validators import refuse_control_characters


class OrganisationType(models.TextChoices):
    MEMBER_STATE = "member_state", _("Member State")
    UN_ENTITY = "un_entity", _("UN system entity")
    INTERGOVERNMENTAL = "intergovernmental", _("Other intergovernmental organisation")
    CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
    MIGRANT_LED = "migrant_led", _("Migrant-led or diaspora organisation")
    TRADE_UNION = "trade_union", _("Trade union")
    ACADEMIA = "academia", _("Academia or research")
    LOCAL_GOVERNMENT = "local_government", _("Local or regional government")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    OTHER = "other", _("Other")


class UserManager(DjangoUserManager):
    """Users log in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def matching_name_or_organisation(self, text: str):
        """Active accounts whose name or organisation contains `text`, by name."""
        return (
            self.filter(is_active=True)
            .filter(models.Q(display_name__icontains=text) | models.Q(organisation__icontains=text))
            .order_by("display_name", "pk")
        )

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=150,
        help_text=_("Shown with everything you post, for example “Amina Diallo”."),
        validators=[refuse_control_characters],
    )
    organisation = models.CharField(
        _("organisation"), max_length=200, blank=True, validators=[refuse_control_characters]
    )
    organisation_type = models.CharField(
        _("organisation type"), max_length=32, choices=OrganisationType.choices, blank=True
    )
    country = CountryField(_("country"), blank=True)
    # Blank until the person picks one (at sign-up, in the profile or with the
    # language links): mail to an account without one goes in the language of
    # the page that asked for it.
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The pages open in this language, and the emails we send you are in it."),
    )
    # Blank: each consultation's times are shown in the consultation's own zone.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Dates and times are shown in this zone. Blank: each consultation's own."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_case_insensitive"),
        ]

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name
