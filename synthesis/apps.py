from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SynthesisConfig(AppConfig):
    name = "synthesis"
    verbose_name = _("Synthesis")

    def ready(self):
        from consultations.models.moderation import register_changed_model
        from synthesis.models import PaperUse, Quote, Theme, ThemeTag

        # The audit log names these models' fields in each reader's language.
        for model in (Theme, ThemeTag, Quote, PaperUse):
            register_changed_model(model)
