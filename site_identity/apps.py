from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteIdentityConfig(AppConfig):
    name = "site_identity"
    verbose_name = _("Host identity and notices")
