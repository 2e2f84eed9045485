from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

from consultations import rules


def site_roles(request):
    """What every page's header needs: language alternates and the reader's roles."""
    user = request.user
    path = request.get_full_path()
    return {
        "language_alternates": [
            {
                "code": code,
                "name_local": get_language_info(code)["name_local"],
                "url": translate_url(path, code),
            }
            for code, _name in settings.LANGUAGES
        ],
        "reader_is_moderator": rules.is_moderator_anywhere(user),
        "reader_is_secretariat": rules.can_manage_consultations(user),
    }
