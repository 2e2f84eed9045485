import csv
import io
import json

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import (
    Comment,
    CommentStatus,
    Consultation,
    ModerationAction,
    ModerationEntry,
    Question,
)
from tests.factories import make_comment, make_consultation, make_question


def _url(name, *args):
    return reverse(f"consultations:{name}", args=args)


def _local(moment):
    """A datetime as a datetime-local input sends it (the tests run in UTC)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _snapshot():
    """What the refused requests must leave untouched."""
    return (
        list(Consultation.objects.values_list("pk", "opens_at", "closes_at", "title")),
        list(Question.objects.values_list("pk", "number", "title")),
        ModerationEntry.objects.count(),
    )


# --- Who may come in ----------------------------------------------------------------------


def _secretariat_requests(consultation, question):
    slug = consultation.slug
    return [
        ("get", _url("console"), {}),
        ("get", _url("console_create"), {}),
        ("post", _url("console_create"), {"slug": "forged", "title_en": "Forged"}),
        ("get", _url("console_consultation", slug), {}),
        ("get", _url("console_edit", slug), {}),
        ("post", _url("console_edit", slug), {"slug": slug, "title_en": "Forged"}),
        ("get", _url("console_question_create", slug), {}),
        ("post", _url("console_question_create", slug), {"number": 9, "title_en": "Forged"}),
        ("get", _url("console_question_edit", slug, question.number), {}),
        ("post", _url("console_question_edit", slug, question.number), {"title_en": "Forged"}),
        ("post", _url("console_open_now", slug), {}),
        ("post", _url("console_close_now", slug), {}),
        ("post", _url("console_extend", slug), {"closes_at": "2099-01-01T00:00"}),
        (
            "post",
            _url("console_reschedule", slug),
            {"opens_at": "2098-01-01T00:00", "closes_at": "2099-01-01T00:00"},
        ),
        ("get", _url("console_export", slug, "csv"), {}),
        ("get", _url("console_export", slug, "xlsx"), {}),
        ("get", _url("console_export", slug, "json"), {}),
        ("get", _url("console_statistics", slug), {}),
        ("get", _url("audit_log"), {}),
        ("get", _url("console_moderators", slug), {"q": "person"}),
        ("post", _url("console_moderators", slug), {"person": 1, "change": "add"}),
        ("get", reverse("site_identity:identity_edit"), {}),
        ("post", reverse("site_identity:identity_edit"), {"name_en": "Forged"}),
        ("get", reverse("site_identity:notice_edit", args=["terms"]), {}),
        ("post", reverse("site_identity:notice_edit", args=["terms"]), {"body_en": "Forged"}),
    ]


@pytest.mark.parametrize(
    "role", ["stakeholder", "moderator", "global_moderator", "other_moderator", "unverified_user"]
)
def test_everyone_but_the_secretariat_gets_403_and_changes_nothing(
    request, client_for, consultation, question, role
):
    client = client_for(request.getfixturevalue(role))
    before = _snapshot()

    for method, url, data in _secretariat_requests(consultation, question):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (role, method, url)

    assert _snapshot() == before


def test_visitors_are_sent_to_log_in_and_nothing_changes(consultation, question):
    client = Client()
    before = _snapshot()

    for method, url, data in _secretariat_requests(consultation, question):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("account_login")), url

    assert _snapshot() == before


def test_secretariat_may_read_every_page(client_for, secretariat, consultation, question):
    client = client_for(secretariat)

    for method, url, _data in _secretariat_requests(consultation, question):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_close_now_asked_by_get_only_shows_what_will_happen(client_for, secretariat, consultation):
    response = client_for(secretariat).get(_url("console_close_now", consultation.slug))

    assert response.status_code == 200
    assert "Posting stops" in response.text
    consultation.refresh_from_db()
    assert consultation.is_open
    assert not ModerationEntry.objects.exists()


# --- The console --------------------------------------------------------------------------


def test_console_lists_every_consultation_with_its_counts(client_for, secretariat, question):
    draft = make_consultation(state="draft", title="A draft on return policies")
    make_comment(question)
    make_comment(question, status=CommentStatus.PENDING)

    response = client_for(secretariat).get(_url("console"))

    listed = {row.pk: row for row in response.context["consultations"]}
    assert draft.pk in listed
    assert listed[question.consultation_id].published_count == 1
    assert listed[question.consultation_id].pending_count == 1
    assert listed[question.consultation_id].comment_count == 2
    assert listed[question.consultation_id].question_count == 1
    assert "A draft on return policies" in response.text
    assert _url("console_export", draft.slug, "xlsx") in response.text


def test_console_costs_the_same_queries_for_many_consultations(
    client_for, secretariat, django_assert_max_num_queries
):
    client = client_for(secretariat)
    make_consultation()
    client.get(_url("console"))  # warm the session and the user's permissions
    with django_assert_max_num_queries(10) as counted:
        client.get(_url("console"))
    few = len(counted.captured_queries)
    for _number in range(5):
        make_question(make_consultation())

    with django_assert_max_num_queries(few):
        client.get(_url("console"))


# --- Creating and editing ----------------------------------------------------------------


def _consultation_form(**overrides):
    now = timezone.now()
    return {
        "slug": "decent-work",
        "title_en": "Decent work for migrant workers",
        "title_fr": "Travail décent pour les travailleurs migrants",
        "title_es": "Trabajo decente para trabajadores migrantes",
        "summary_fr": "Comment garantir des conditions justes ?",
        "summary_es": "¿Cómo garantizar condiciones justas?",
        "objectives_es": "Contratación equitativa\nProtección social",
        "contact_email": "secretariat@example.org",
        "is_published": "on",
        "opens_at": _local(now + timezone.timedelta(days=1)),
        "closes_at": _local(now + timezone.timedelta(days=30)),
        "moderation_mode": "pre",
        **overrides,
    }


def test_creating_a_consultation_stores_french_and_spanish(client_for, secretariat):
    response = client_for(secretariat).post(_url("console_create"), _consultation_form())

    consultation = Consultation.objects.get(slug="decent-work")
    assert response.status_code == 302
    assert response["Location"] == _url("console_consultation", "decent-work")
    assert consultation.title_fr == "Travail décent pour les travailleurs migrants"
    assert consultation.summary_es == "¿Cómo garantizar condiciones justas?"
    assert consultation.objectives_es == "Contratación equitativa\nProtección social"
    assert consultation.is_pre_moderated
    assert ModerationEntry.objects.get().action == ModerationAction.CREATE_CONSULTATION


def test_the_form_groups_each_language_in_its_own_fieldset(client_for, secretariat):
    response = client_for(secretariat).get(_url("console_create"))

    assert response.text.count('class="language-fieldset"') == 3
    assert "<legend>French" in response.text
    assert 'lang="es"' in response.text
    assert 'type="datetime-local"' in response.text


def test_a_window_that_closes_before_it_opens_is_a_form_error(client_for, secretariat):
    now = timezone.now()
    response = client_for(secretariat).post(
        _url("console_create"),
        _consultation_form(
            opens_at=_local(now), closes_at=_local(now - timezone.timedelta(days=1))
        ),
    )

    assert response.status_code == 200
    assert "The closing date must be later than the opening date." in response.text
    assert "Travail décent pour les travailleurs migrants" in response.text  # kept
    assert not Consultation.objects.filter(slug="decent-work").exists()


def test_english_title_is_required(client_for, secretariat):
    response = client_for(secretariat).post(_url("console_create"), _consultation_form(title_en=""))

    assert response.status_code == 200
    assert response.context["form"].errors["title_en"]
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("slug", ["new", "log"])
def test_slugs_used_by_the_console_are_refused(client_for, secretariat, slug):
    response = client_for(secretariat).post(_url("console_create"), _consultation_form(slug=slug))

    assert "reserved" in str(response.context["form"].errors["slug"])


def test_editing_keeps_unchanged_dates_to_the_second(client_for, secretariat, consultation):
    opens_at, closes_at = consultation.opens_at, consultation.closes_at
    form = _consultation_form(
        slug=consultation.slug,
        title_en="A new title",
        opens_at=_local(opens_at),
        closes_at=_local(closes_at),
    )

    response = client_for(secretariat).post(_url("console_edit", consultation.slug), form)

    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.title_en == "A new title"
    assert (consultation.opens_at, consultation.closes_at) == (opens_at, closes_at)
    entry = ModerationEntry.objects.get(action=ModerationAction.EDIT_CONSULTATION)
    assert "opens at" not in entry.reason


def test_creating_a_question_in_three_languages(client_for, secretariat, consultation):
    response = client_for(secretariat).post(
        _url("console_question_create", consultation.slug),
        {
            "number": 1,
            "title_en": "What works?",
            "title_fr": "Qu’est-ce qui fonctionne ?",
            "title_es": "¿Qué funciona?",
            "body_fr": "Donnez des exemples.",
        },
    )

    assert response.status_code == 302
    question = consultation.questions.get(number=1)
    assert question.title_fr == "Qu’est-ce qui fonctionne ?"
    assert question.body_fr == "Donnez des exemples."
    assert not question.is_locked


def test_a_duplicate_question_number_is_a_form_error(client_for, secretariat, question):
    response = client_for(secretariat).post(
        _url("console_question_create", question.consultation.slug),
        {"number": question.number, "title_en": "Another question"},
    )

    assert response.status_code == 200
    assert "already has a question with this number" in str(
        response.context["form"].errors["number"]
    )
    assert question.consultation.questions.count() == 1


def test_editing_a_question_to_another_questions_number_is_a_form_error(
    client_for, secretariat, question
):
    second = make_question(question.consultation, number=2)

    response = client_for(secretariat).post(
        _url("console_question_edit", question.consultation.slug, second.number),
        {"number": question.number, "title_en": "Moved"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["number"]
    second.refresh_from_db()
    assert (second.number, second.title_en) == (2, "Question 2 of " + question.consultation.slug)


# --- The window -----------------------------------------------------------------------------


def test_closing_through_the_console_makes_the_question_page_refuse_a_post(
    client_for, secretariat, stakeholder, question
):
    consultation = question.consultation
    response = client_for(secretariat).post(_url("console_close_now", consultation.slug))
    assert response.status_code == 302

    page = client_for(stakeholder).post(
        question.get_absolute_url(), {"body": "My late but careful answer.", "language": "en"}
    )

    assert page.status_code == 403
    assert "My late but careful answer." in page.text
    assert not Comment.objects.exists()
    assert (
        "This consultation is closed"
        in client_for(stakeholder).get(question.get_absolute_url()).text
    )


def test_closing_twice_is_harmless(client_for, secretariat, consultation):
    client = client_for(secretariat)
    client.post(_url("console_close_now", consultation.slug))

    response = client.post(_url("console_close_now", consultation.slug), follow=True)

    assert response.status_code == 200
    assert "Only an open consultation can be closed." in response.text
    assert ModerationEntry.objects.filter(action=ModerationAction.CLOSE_NOW).count() == 1


def test_open_now_publishes_and_opens_a_draft(client_for, secretariat):
    draft = make_consultation(state="draft")

    client_for(secretariat).post(_url("console_open_now", draft.slug))

    draft.refresh_from_db()
    assert draft.is_open


def test_an_extension_ending_earlier_shows_the_form_again(client_for, secretariat, consultation):
    earlier = consultation.closes_at - timezone.timedelta(days=1)

    response = client_for(secretariat).post(
        _url("console_extend", consultation.slug), {"closes_at": _local(earlier)}
    )

    assert response.status_code == 200
    assert "later than the current one" in response.text
    assert not ModerationEntry.objects.exists()


def test_reschedule_through_the_console(client_for, secretariat, consultation):
    opens_at = timezone.now().replace(microsecond=0, second=0) + timezone.timedelta(days=2)
    closes_at = opens_at + timezone.timedelta(days=14)

    response = client_for(secretariat).post(
        _url("console_reschedule", consultation.slug),
        {"opens_at": _local(opens_at), "closes_at": _local(closes_at), "confirmed": "yes"},
    )

    assert response.status_code == 302
    consultation.refresh_from_db()
    assert (consultation.opens_at, consultation.closes_at) == (opens_at, closes_at)
    assert consultation.state == "upcoming"


# --- Export and statistics ----------------------------------------------------------------


@pytest.fixture
def exported_comment(question):
    return make_comment(question, body="Évaluer l’accès aux soins.", status=CommentStatus.HIDDEN)


def test_csv_download(client_for, secretariat, exported_comment):
    response = client_for(secretariat).get(
        _url("console_export", exported_comment.question.consultation.slug, "csv")
    )

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.streaming
    content = response.getvalue()
    assert content.startswith(b"\xef\xbb\xbf")
    [row] = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    assert row["body_text"] == "Évaluer l’accès aux soins." and row["status"] == "hidden"
    assert ModerationEntry.objects.get().action == ModerationAction.EXPORT


def test_xlsx_and_json_downloads(client_for, secretariat, exported_comment):
    client = client_for(secretariat)
    slug = exported_comment.question.consultation.slug

    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(_url("console_export", slug, "xlsx")).getvalue())
    )
    rows = json.loads(client.get(_url("console_export", slug, "json")).getvalue())

    assert workbook.active.cell(row=2, column=1).value == exported_comment.pk
    assert rows[0]["body_markdown"] == "Évaluer l’accès aux soins."
    assert ModerationEntry.objects.filter(action=ModerationAction.EXPORT).count() == 2


def test_an_unknown_export_format_is_not_found(client_for, secretariat, consultation):
    response = client_for(secretariat).get(f"/en/secretariat/{consultation.slug}/export/pdf/")

    assert response.status_code == 404


def test_statistics_page_shows_the_numbers_and_says_what_it_counts(
    client_for, secretariat, question
):
    make_comment(question, language="es")

    response = client_for(secretariat).get(_url("console_statistics", question.consultation.slug))

    assert "published comments only" in response.text
    assert response.context["statistics"].contributions == 1
    assert "<svg" in response.text and 'width="100.0%"' in response.text


def test_pages_are_translated(client_for, secretariat):
    response = client_for(secretariat).get("/fr/secretariat/")

    assert response.status_code == 200
    assert '<html lang="fr">' in response.text
