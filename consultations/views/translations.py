"""The translate page of a contribution (the secretariat and its translators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consultations import rules
from consultations.confirmations import say_beside
from consultations.forms import CommentTranslationForm
from consultations.models import Comment, TransitionRefused
from consultations.services.translations import comment_translate


def _first_other_language(comment: Comment) -> str:
    reader = (get_language() or "en").split("-")[0]
    return reader if reader != comment.language else ("en" if comment.language != "en" else "fr")


@login_required
@require_http_methods(["GET", "POST"])
def comment_translate_view(request, comment_id):
    """Add or replace the translation of a published contribution into one language.

    A refusal (its own language, an empty text, the comment hidden meanwhile)
    shows the form again with the text in it and says why.
    """
    comment = get_object_or_404(
        Comment.objects.select_related("question__consultation", "author"), pk=comment_id
    )
    rules.check(request.user, "translate", comment)
    translations = {t.language: t for t in comment.translations.select_related("translator")}
    if request.method == "POST":
        form = CommentTranslationForm(request.POST, comment_language=comment.language)
    else:
        language = request.GET.get("language") or _first_other_language(comment)
        existing = translations.get(language)
        form = CommentTranslationForm(
            initial={"language": language, "body": existing.body_source if existing else ""},
            comment_language=comment.language,
        )
    status = 200 if request.method == "GET" else 400
    if form.is_valid():
        try:
            comment_translate(translator=request.user, comment=comment, **form.cleaned_data)
        except (TransitionRefused, rules.Refused) as refusal:
            form.add_error(None, refusal.message)
            status = 403 if isinstance(refusal, rules.Refused) else 409
        else:
            say_beside(request, comment, messages.SUCCESS, _("The translation is saved."))
            return redirect(comment.get_absolute_url())
    return render(
        request,
        "consultations/comment_translate.html",
        {"comment": comment, "form": form, "translations": translations.values()},
        status=status,
    )
