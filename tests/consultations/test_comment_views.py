"""A comment's view holds everything its HTML shows, and the HTML is today's.

The golden tests render a thread of every kind of comment, for every kind of
reader, through the templates as they were before the views
(tests/consultations/legacy_comment_templates, which asked `rules.py` per
comment) and through `{% comments %}`, and compare the HTML (with the spaces
between tags evened out: the old templates were laid out otherwise). The
Jinja2 template that draws a view now is compared, byte for byte, with the
Django template that drew the same views before it
(legacy/consultations/_comment_view.html).
"""

import copy
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template import Context, engines
from django.test import RequestFactory
from django.utils import timezone, translation

from consultations.comment_html import CommentLabels, comment_template
from consultations.comment_views import CommentReader, comment_views
from consultations.models import ClarificationRequest, CommentStatus, Question
from consultations.page_cache import CSRF_STAND_IN
from consultations.services.moderation import comment_request_clarification
from consultations.services.translations import comment_translate
from consultations.threads import question_thread
from documents.services import comment_attachments_add
from tests.documents import samples
from tests.factories import (
    make_comment,
    make_consultation,
    make_global_moderator,
    make_question,
    make_secretariat_member,
    make_translator,
    make_user,
)

LEGACY_TEMPLATES = Path(__file__).parent / "legacy_comment_templates"
LONG_BODY = "A long answer that goes on. " * 40


@pytest.fixture
def legacy_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], LEGACY_TEMPLATES]
    settings.TEMPLATES = templates


def _set(comment, **fields):
    type(comment).objects.filter(pk=comment.pk).update(**fields)
    for name, value in fields.items():
        setattr(comment, name, value)
    return comment


def _thread_of_every_kind(consultation):
    """One question with a comment in every state a reader can meet, and the people involved."""
    question = make_question(consultation, number=1)
    author = make_user(display_name="Amina Diallo", organisation="Coastal Migrants Network")
    other = make_user(display_name="Li Wei", organisation="Ciudades Solidarias — Red")
    no_organisation = make_user(display_name="Sam Okafor", organisation="")
    no_letters = make_user(display_name="Kim Jones", organisation="***")
    not_ascii = make_user(display_name="Zoë Ωmega", organisation="Société Ωmega / Ιθάκη")
    # Quotes are escaped differently by Django and by markupsafe: they must read as before.
    quoting = make_user(display_name='Siobhán O\'Brien "Shiv"', organisation="Smith & O'Neil")
    moderator = make_user(display_name="Tomás Ruiz", organisation="Network secretariat")
    consultation.moderators.add(moderator)
    translator = make_translator(display_name="Claire Martin")
    now = timezone.now()
    moment = iter(now - timedelta(hours=50 - hour) for hour in range(50))

    published = make_comment(question, author=other, body="Cities lead.", created_at=next(moment))
    comment_attachments_add(comment=published, files=[samples.pdf("Evidence from Lyon.pdf")])
    own_long = make_comment(question, author=author, body=LONG_BODY, created_at=next(moment))
    _set(own_long, edited_at=next(moment))
    reply = make_comment(question, author=author, parent=published, created_at=next(moment))
    make_comment(question, author=no_organisation, parent=reply, created_at=next(moment))
    make_comment(question, author=no_letters, created_at=next(moment))
    make_comment(question, author=not_ascii, created_at=next(moment))
    quoted = make_comment(question, author=quoting, body='Say "it".', created_at=next(moment))
    comment_attachments_add(comment=quoted, files=[samples.pdf('O\'Neil "notes" & more.pdf')])
    make_comment(question, author=author, parent=quoted, created_at=next(moment))
    make_comment(question, author=moderator, parent=published, created_at=next(moment))
    _set(
        make_comment(question, author=author, body="Still waiting.", created_at=next(moment)),
        status=CommentStatus.PENDING,
    )
    _set(
        make_comment(question, author=other, body="Their pending one.", created_at=next(moment)),
        status=CommentStatus.PENDING,
    )
    hidden = make_comment(question, author=other, body="Rude words.", created_at=next(moment))
    comment_attachments_add(comment=hidden, files=[samples.pdf("Hidden file.pdf")])
    _set(
        hidden,
        status=CommentStatus.HIDDEN,
        moderation_reason="Insults <b>another</b> 'person' & \"more\"",
    )
    make_comment(question, author=author, parent=hidden, created_at=next(moment))
    _set(
        make_comment(question, author=other, body="Reported.", created_at=next(moment)),
        status=CommentStatus.HIDDEN,
    )
    withdrawn = make_comment(question, author=author, body="Taken back.", created_at=next(moment))
    _set(withdrawn, status=CommentStatus.WITHDRAWN)
    make_comment(question, author=other, parent=withdrawn, created_at=next(moment))
    french = make_comment(
        question, author=other, body="Les villes.", language="fr", created_at=next(moment)
    )
    comment_translate(translator=translator, comment=french, language="en", body="The cities.")
    stale = make_comment(
        question, author=other, body="Las ciudades.", language="es", created_at=next(moment)
    )
    comment_translate(translator=translator, comment=stale, language="en", body="Cities.")
    _set(stale, edited_at=next(moment))
    unclear = make_comment(question, author=author, body="Do more.", created_at=next(moment))
    comment_request_clarification(
        moderator=moderator, comment=unclear, message="Could you say what?", language="en"
    )
    assert ClarificationRequest.objects.filter(comment=unclear).exists()
    make_comment(question, author=other, body="<script>alert(1)</script> *x*", language="other")
    return question, {
        "visitor": AnonymousUser(),
        "unverified user": make_user(verified=False),
        "stakeholder author": author,
        "other stakeholder": make_user(),
        "moderator of this consultation": moderator,
        "global moderator": make_global_moderator(),
        "translator": translator,
        "secretariat": make_secretariat_member(),
    }


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
_SPACE = re.compile(r"\s+")
_BETWEEN_TAGS = re.compile(r">\s+<")


def normalised(html: str) -> str:
    html = _CSRF.sub('name="csrfmiddlewaretoken" value="…"', str(html))
    return _BETWEEN_TAGS.sub("><", _SPACE.sub(" ", html)).strip()


def _page(question, user, page_address, confirm=None):
    question = Question.objects.select_related("consultation").get(pk=question.pk)
    request = RequestFactory().get(page_address)
    request.user = user
    entries = question_thread(question, user, per_page=1000).entries
    confirmations = {}
    if confirm:
        confirmations[entries[confirm].comment.pk] = Message(
            constants.SUCCESS, "Thank you. Your comment is published."
        )
    return question, request, entries, confirmations


def _render_both(question, user, *, teaser, page_address, confirm=None):
    question, request, entries, confirmations = _page(question, user, page_address, confirm)
    context = {
        "entries": entries,
        "consultation": question.consultation,
        "comment_confirmations": confirmations,
        "moderator_ids": question.consultation.moderator_ids(),
        "question_url": page_address,
        "teaser": teaser,
    }
    engine = engines["django"]
    old = engine.from_string(
        '{% for entry in entries %}{% include "legacy/consultations/_comment.html" %}{% endfor %}'
    ).render(context, request)
    new = engine.from_string(
        "{% load comment_fragments %}{% comments entries page_address=question_url teaser=teaser %}"
    ).render(context, request)
    return normalised(old), normalised(new), len(entries)


READERS = [
    "visitor",
    "unverified user",
    "stakeholder author",
    "other stakeholder",
    "moderator of this consultation",
    "global moderator",
    "translator",
    "secretariat",
]


@pytest.mark.parametrize("state", ["open", "closed"])
@pytest.mark.parametrize("reader", READERS)
def test_every_reader_gets_the_html_the_old_templates_gave(db, legacy_templates, state, reader):
    consultation = make_consultation(state="open")
    question, readers = _thread_of_every_kind(consultation)
    if state == "closed":
        type(consultation).objects.filter(pk=consultation.pk).update(
            opens_at=timezone.now() - timedelta(days=60),
            closes_at=timezone.now() - timedelta(days=1),
        )
    page_address = f"{question.get_absolute_url()}?order=oldest&page=1"
    for teaser in (False, True):
        old, new, count = _render_both(
            question, readers[reader], teaser=teaser, page_address=page_address, confirm=2
        )
        assert count >= 14
        assert new == old


def test_a_locked_question_and_other_languages_and_zones_render_as_before(
    db, legacy_templates, settings
):
    consultation = make_consultation(state="open")
    question, readers = _thread_of_every_kind(consultation)
    Question.objects.filter(pk=question.pk).update(is_locked=True)
    for language, zone in (("fr", "America/Bogota"), ("es", "Asia/Kolkata")):
        with translation.override(language), timezone.override(zone):
            for reader in ("stakeholder author", "moderator of this consultation", "visitor"):
                old, new, _count = _render_both(
                    question, readers[reader], teaser=True, page_address="/x/?a=1&b=2"
                )
                assert new == old


def _views(question, user, *, teaser, page_address, confirm=None):
    question, request, entries, confirmations = _page(question, user, page_address, confirm)
    return comment_views(
        entries,
        reader=CommentReader(user=user, consultation=question.consultation),
        page_address=page_address,
        teaser=teaser,
        confirmations=confirmations,
        moderator_ids=question.consultation.moderator_ids(),
        request=request,
    )


def _by_django(views) -> list[str]:
    compiled = engines["django"].get_template("legacy/consultations/_comment_view.html").template
    context = Context({"csrf_token": CSRF_STAND_IN})
    rendered = []
    for view in views:
        with context.push(view=view):
            rendered.append(compiled.render(context))
    return rendered


def _by_jinja(views) -> list[str]:
    labels = CommentLabels()
    return [
        comment_template().render(view=view, labels=labels, csrf_token=str(CSRF_STAND_IN))
        for view in views
    ]


@pytest.mark.parametrize(
    "language, zone", [("en", "UTC"), ("fr", "America/Bogota"), ("es", "Asia/Kolkata")]
)
@pytest.mark.parametrize("reader", READERS)
def test_the_jinja_template_writes_what_the_django_one_wrote_byte_for_byte(
    db, legacy_templates, reader, language, zone
):
    consultation = make_consultation(state="open")
    question, readers = _thread_of_every_kind(consultation)
    with translation.override(language), timezone.override(zone):
        for teaser in (False, True):
            views = _views(
                question, readers[reader], teaser=teaser, page_address="/x/?a=1&b='2'", confirm=2
            )
            assert len(views) >= 17
            for django_html, jinja_html in zip(_by_django(views), _by_jinja(views), strict=True):
                assert jinja_html == django_html


def test_the_jinja_templates_hold_no_words():
    """makemessages does not read them: every word comes from comment_html.CommentLabels."""
    folder = Path(__file__).resolve().parents[2] / "templates" / "jinja2"
    templates = sorted(folder.rglob("*.html"))
    assert len(templates) == 3
    for path in templates:
        text = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", "", path.read_text(), flags=re.S)
        outside_tags = re.sub(r"<[^>]*>", " ", text)
        assert re.findall(r"[A-Za-z]{2,}", outside_tags) == [], path
        attributes = re.findall(r'(?:title|aria-label|alt|placeholder)="([^"]*)"', text)
        assert "".join(attributes) == "", path


# --- The fragment key --------------------------------------------------------------------------


def _view(comment, user, *, page_address="/en/q/?order=oldest&page=1", **options):
    from consultations.comment_views import CommentReader, comment_views

    question = Question.objects.select_related("consultation").get(pk=comment.question_id)
    (entry,) = [
        entry for entry in question_thread(question, user).entries if entry.comment.pk == comment.pk
    ]
    options.setdefault("moderator_ids", question.consultation.moderator_ids())
    request = RequestFactory().get(page_address)
    request.user = user
    (view,) = comment_views(
        [entry],
        reader=CommentReader(user=user, consultation=question.consultation),
        page_address=page_address,
        request=request,
        **options,
    )
    return view


@pytest.fixture
def answer(question, stakeholder):
    return make_comment(question, author=stakeholder, body="Cities should lead.")


def test_the_same_view_gives_the_same_key_to_readers_who_see_the_same(answer):
    first, second = make_user(), make_user()

    assert _view(answer, first).fragment_key == _view(answer, second).fragment_key
    assert len(_view(answer, first).fragment_key) == 40


def test_an_edit_changes_the_key(answer):
    before = _view(answer, AnonymousUser()).fragment_key
    _set(answer, body_html="<p>Cities and regions should lead.</p>", edited_at=timezone.now())

    assert _view(answer, AnonymousUser()).fragment_key != before


@pytest.mark.parametrize("status", [CommentStatus.HIDDEN, CommentStatus.WITHDRAWN])
def test_a_change_of_status_changes_the_key(answer, status):
    before = _view(answer, AnonymousUser()).fragment_key
    _set(answer, status=status)

    assert _view(answer, AnonymousUser()).fragment_key != before


def test_a_translation_and_its_going_out_of_date_change_the_key(question, stakeholder):
    spanish = make_comment(question, author=stakeholder, body="Las ciudades.", language="es")
    untranslated = _view(spanish, AnonymousUser()).fragment_key
    comment_translate(
        translator=make_translator(), comment=spanish, language="en", body="The cities."
    )
    translated = _view(spanish, AnonymousUser()).fragment_key
    _set(spanish, edited_at=timezone.now())

    assert len({untranslated, translated, _view(spanish, AnonymousUser()).fragment_key}) == 3


def test_the_authors_new_name_or_organisation_changes_the_key(answer, stakeholder):
    before = _view(answer, AnonymousUser()).fragment_key
    type(stakeholder).objects.filter(pk=stakeholder.pk).update(display_name="Amina D.")
    renamed = _view(answer, AnonymousUser()).fragment_key
    type(stakeholder).objects.filter(pk=stakeholder.pk).update(organisation="Other network")

    assert len({before, renamed, _view(answer, AnonymousUser()).fragment_key}) == 3


def test_the_author_becoming_a_moderator_changes_the_key(answer, consultation, stakeholder):
    before = _view(answer, AnonymousUser()).fragment_key
    consultation.moderators.add(stakeholder)

    assert _view(answer, AnonymousUser()).fragment_key != before


def test_the_readers_role_changes_the_key(answer, stakeholder, moderator, secretariat):
    keys = {
        _view(answer, user).fragment_key
        for user in (AnonymousUser(), make_user(), stakeholder, moderator, make_translator())
    }

    assert len(keys) == 5


def test_the_time_zone_and_the_page_address_change_the_key(answer):
    here = _view(answer, AnonymousUser()).fragment_key
    with timezone.override("Asia/Kolkata"):
        elsewhere = _view(answer, AnonymousUser()).fragment_key
    other_page = _view(answer, AnonymousUser(), page_address="/en/q/?order=newest").fragment_key

    assert len({here, elsewhere, other_page}) == 3


def test_the_window_closing_changes_the_key(answer, consultation, stakeholder):
    before = _view(answer, make_user()).fragment_key
    type(consultation).objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )

    assert _view(answer, make_user()).fragment_key != before


@pytest.mark.parametrize("status", [CommentStatus.PENDING, CommentStatus.HIDDEN])
def test_a_fragment_with_a_moderators_form_is_kept_and_not_shared_with_others(
    answer, moderator, stakeholder, status
):
    _set(answer, status=status)

    for_the_moderator = _view(answer, moderator).fragment_key
    assert for_the_moderator is not None
    assert for_the_moderator != _view(answer, stakeholder).fragment_key


def test_a_fragment_with_a_confirmation_is_never_shared(answer, stakeholder):
    message = Message(constants.SUCCESS, "Thank you. Your comment is published.")

    view = _view(answer, stakeholder, confirmations={answer.pk: message})

    assert view.confirmation == "Thank you. Your comment is published."
    assert view.fragment_key is None
