from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language_info, override

from consultations import rules


def site_roles(request):
    """What every page's header needs: language alternates and the reader's roles."""
    user = request.user
    return {
        "language_alternates": [
            {"code": code, "name_local": get_language_info(code)["name_local"], "url": url}
            for code, url in alternate_paths(request).items()
        ],
        "reader_is_moderator": rules.is_moderator_anywhere(user),
        "reader_is_secretariat": rules.can_manage_consultations(user),
    }


def alternate_paths(request) -> dict[str, str]:
    """This page's address in each language, by code: what `translate_url` gives, without
    resolving the path again for each language (the request's own match is reused)."""
    path = request.get_full_path()
    match = request.resolver_match
    if match is None or match.url_name is None:
        return {code: translate_url(path, code) for code, _name in settings.LANGUAGES}
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    _path, question_mark, query = path.partition("?")
    paths = {}
    for code, _name in settings.LANGUAGES:
        with override(code):
            try:
                paths[code] = reverse(name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                paths[code] = path
            else:
                paths[code] += question_mark + query
    return paths
