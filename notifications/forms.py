from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationPreference


class NotificationPreferenceForm(forms.ModelForm):
    """Per kind of mail: immediately, in a daily digest, or never."""

    class Meta:
        model = NotificationPreference
        fields = [
            "reply",
            "moderator_follow_up",
            "followed_activity",
            "window",
            "moderation_alert",
            "follow_questions_i_answer",
        ]
        widgets = {
            name: forms.RadioSelect
            for name in [
                "reply",
                "moderator_follow_up",
                "followed_activity",
                "window",
                "moderation_alert",
            ]
        }
        help_texts = {
            "follow_questions_i_answer": _(
                "Then new comments on them reach you as you chose for what you follow."
            ),
        }

    def __init__(self, *args, show_moderation=False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.widgets:
            # Radio buttons for a field with a default offer no empty choice.
            self.fields[name].choices = [
                choice for choice in self.fields[name].choices if choice[0]
            ]
        if not show_moderation:
            del self.fields["moderation_alert"]
