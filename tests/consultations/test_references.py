"""Citation references: given once at first publication, stable, never reused, resolvable."""

import csv
import io
import json
from datetime import UTC, datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from consultations.citations import citation_text
from consultations.exports import export_contributions
from consultations.forms import QuestionForm
from consultations.models import Comment, CommentStatus, ModerationMode, parse_reference
from consultations.services.comments import comment_edit, comment_post, comment_withdraw
from consultations.services.moderation import comment_approve, comment_hide, comment_restore
from tests.factories import make_comment, make_consultation, make_question, make_user

pytestmark = pytest.mark.django_db


def post(question, body="An answer on fair recruitment.", *, author=None, parent=None):
    return comment_post(
        author=author or make_user(), question=question, body=body, language="en", parent=parent
    )


def references(comments):
    for comment in comments:
        comment.refresh_from_db()
    return [comment.reference for comment in comments]


# --- Assigning -------------------------------------------------------------------------


def test_answers_and_replies_are_numbered_per_question_in_the_order_they_are_published(
    consultation,
):
    first, second = make_question(consultation, number=1), make_question(consultation, number=2)

    answer = post(first)
    reply = post(first, parent=answer)
    elsewhere = post(second)
    third = post(first)

    assert references([answer, reply, elsewhere, third]) == ["Q1-1", "Q1-2", "Q2-1", "Q1-3"]


def test_a_reference_stays_the_same_after_an_edit(question, stakeholder):
    comment = post(question, author=stakeholder)
    post(question)

    comment_edit(editor=stakeholder, comment=comment, body="Changed my mind.", language="fr")

    assert references([comment]) == ["Q1-1"]


def test_hiding_withdrawing_and_new_posts_never_free_a_number(question, moderator, stakeholder):
    hidden = post(question)
    withdrawn = post(question, author=stakeholder)
    comment_hide(moderator=moderator, comment=hidden, reason="Personal data.")
    comment_withdraw(author=stakeholder, comment=withdrawn)

    later = post(question)
    comment_restore(moderator=moderator, comment=hidden)

    assert references([hidden, withdrawn, later]) == ["Q1-1", "Q1-2", "Q1-3"]


def test_a_pending_comment_is_numbered_when_it_is_approved_not_when_it_is_sent(moderator):
    consultation = make_consultation(moderation_mode=ModerationMode.PRE, moderators=[moderator])
    question = make_question(consultation, number=1)
    sent_first, sent_second = post(question), post(question)
    assert references([sent_first, sent_second]) == [None, None]

    comment_approve(moderator=moderator, comment=sent_second)
    comment_approve(moderator=moderator, comment=sent_first)

    assert references([sent_first, sent_second]) == ["Q1-2", "Q1-1"]


def test_an_edit_held_for_approval_keeps_the_reference_it_had(moderator):
    consultation = make_consultation(moderation_mode=ModerationMode.PRE, moderators=[moderator])
    question = make_question(consultation, number=1)
    author = make_user()
    comment = post(question, author=author)
    comment_approve(moderator=moderator, comment=comment)

    comment_edit(editor=author, comment=comment, body="A better answer.", language="en")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    comment_approve(moderator=moderator, comment=comment)

    assert references([comment]) == ["Q1-1"]
    assert Comment.objects.filter(reference_number__isnull=False).count() == 1


def test_a_comment_hidden_before_approval_is_numbered_when_restored(moderator):
    consultation = make_consultation(moderation_mode=ModerationMode.PRE, moderators=[moderator])
    question = make_question(consultation, number=1)
    held = post(question)
    comment_hide(moderator=moderator, comment=held, reason="Off topic.")
    assert references([held]) == [None]

    comment_restore(moderator=moderator, comment=held)

    assert references([held]) == ["Q1-1"]


def test_the_database_refuses_a_second_comment_with_the_same_number(question):
    comment = make_comment(question)

    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=make_comment(question).pk).update(
            reference_number=comment.reference_number
        )


def test_a_question_with_cited_contributions_keeps_its_number(consultation, question):
    make_comment(question)
    form = QuestionForm(
        data={"number": 7, "title_en": "Renumbered"}, instance=question, consultation=consultation
    )

    assert not form.is_valid()
    assert "cited by its number" in form.errors["number"][0]


def test_a_question_without_contributions_can_still_be_renumbered(consultation, question):
    form = QuestionForm(
        data={"number": 7, "title_en": "Renumbered"}, instance=question, consultation=consultation
    )

    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("Q3-17", (3, 17)), ("q3-17", (3, 17)), ("Q3-0", None), ("Q-17", None), ("3-17", None),
     ("Q3-17x", None), ("Q99999999999-1", None)],
)  # fmt: skip
def test_references_are_read_strictly(text, parsed):
    assert parse_reference(text) == parsed


def test_the_data_migration_numbers_published_comments_in_the_order_they_were_posted(question):
    later = make_comment(question, created_at=datetime(2026, 3, 2, tzinfo=UTC))
    earlier = make_comment(question, created_at=datetime(2026, 3, 1, tzinfo=UTC))
    pending = make_comment(question, status=CommentStatus.PENDING)
    hidden = make_comment(question, status=CommentStatus.HIDDEN, moderation_reason="Spam")
    Comment.objects.update(reference_number=None)

    migration = import_module("consultations.migrations.0013_fill_comment_references")
    migration.fill_references(apps, None)

    assert references([earlier, later, pending, hidden]) == ["Q1-1", "Q1-2", None, None]


# --- The reference's address ---------------------------------------------------------------


def ref_url(consultation, reference, language="en"):
    with translation.override(language):
        return reverse(
            "consultations:reference", kwargs={"slug": consultation.slug, "reference": reference}
        )


def test_a_reference_leads_to_the_comment_in_its_thread(client, consultation, question):
    make_comment(question)
    comment = make_comment(question)

    response = client.get(ref_url(consultation, "Q1-2"))

    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{question.get_absolute_url()}?order=oldest&page=1#comment-{comment.pk}"
    )


def test_a_reference_in_lower_case_works_too(client, consultation, question):
    comment = make_comment(question)

    response = client.get(ref_url(consultation, "q1-1"))

    assert response["Location"].endswith(f"#comment-{comment.pk}")


@pytest.mark.parametrize("reference", ["Q1-9", "Q4-1", "nonsense"])
def test_a_reference_that_does_not_exist_is_a_404_that_says_so(client, consultation, reference):
    make_comment(make_question(consultation, number=1))

    response = client.get(ref_url(consultation, reference))

    assert response.status_code == 404
    assert "has no contribution with the reference" in response.content.decode()
    assert consultation.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize("status", [CommentStatus.HIDDEN, CommentStatus.WITHDRAWN])
def test_the_reference_of_a_hidden_or_withdrawn_comment_leads_to_its_placeholder(
    client, consultation, question, status
):
    comment = make_comment(question, body="Words no longer shown.")
    Comment.objects.filter(pk=comment.pk).update(status=status, moderation_reason="Spam")

    response = client.get(ref_url(consultation, "Q1-1"), follow=True)

    assert (
        response.redirect_chain[-1][0]
        == f"{question.get_absolute_url()}?order=oldest&page=1#comment-{comment.pk}"
    )
    page = response.content.decode()
    assert f'id="comment-{comment.pk}"' in page
    assert "Words no longer shown." not in page


def test_a_reference_in_a_draft_consultation_is_not_found_for_visitors(client):
    draft = make_consultation(state="draft")
    make_comment(make_question(draft, number=1))

    assert client.get(ref_url(draft, "Q1-1")).status_code == 404


# --- On the page, in citations and in exports ---------------------------------------------------


def test_the_thread_shows_each_comments_reference_and_how_to_cite_it(client, question):
    comment = make_comment(question, author=make_user(display_name="Amina Diallo"))

    page = client.get(question.get_absolute_url()).content.decode()

    assert f'href="{comment.get_reference_url()}"' in page
    assert ">Q1-1</a>" in page
    assert "<summary>Cite this</summary>" in page
    assert "Amina Diallo" in page.split(f'id="citation-{comment.pk}"')[1].split("</p>")[0]


def test_a_placeholder_offers_no_citation(client, question):
    make_comment(question, status=CommentStatus.HIDDEN, moderation_reason="Spam")
    Comment.objects.update(reference_number=1)

    page = client.get(question.get_absolute_url()).content.decode()

    assert "Cite this" not in page


@pytest.fixture
def cited(consultation):
    consultation.title_en = "Fair recruitment"
    consultation.title_fr = "Recrutement équitable"
    consultation.title_es = "Contratación equitativa"
    consultation.save()
    question = make_question(
        consultation,
        number=3,
        title_en="Fees",
        title_fr="Les frais",
        title_es="Las comisiones",
    )
    author = make_user(display_name="Amina Diallo", organisation="Coastal Migrants Network")
    return make_comment(question, author=author, created_at=datetime(2026, 3, 5, 10, tzinfo=UTC))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "Amina Diallo (Coastal Migrants Network), contribution Q3-1 to question 3 “Fees” "
            "of the consultation “Fair recruitment”, 5 March 2026. https://example.org/ref",
        ),
        (
            "fr",
            "Amina Diallo (Coastal Migrants Network), contribution Q3-1 à la question 3 "
            "« Les frais » de la consultation « Recrutement équitable », 5 mars 2026. "
            "https://example.org/ref",
        ),
        (
            "es",
            "Amina Diallo (Coastal Migrants Network), contribución Q3-1 a la pregunta 3 "
            "«Las comisiones» de la consulta «Contratación equitativa», 5 de marzo de 2026. "
            "https://example.org/ref",
        ),
    ],
)
def test_the_citation_is_written_in_the_pages_language(cited, language, expected):
    with translation.override(language):
        assert citation_text(cited, url="https://example.org/ref") == expected


def test_the_citation_links_to_the_reference_address_in_the_pages_language(client, cited):
    page = client.get(cited.question.get_absolute_url().replace("/en/", "/fr/")).content.decode()

    assert f"http://testserver/fr/consultations/{cited.question.consultation.slug}/ref/Q3-1/" in (
        page
    )


def test_an_author_without_an_organisation_is_cited_by_name(cited):
    cited.author.organisation = ""

    text = citation_text(cited, url="https://example.org/ref")

    assert text.startswith("Amina Diallo, contribution Q3-1")


def _export_rows(consultation, file_format):
    content = export_contributions(consultation, file_format).content
    if file_format == "csv":
        return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    if file_format == "json":
        return json.loads(content)
    sheet = load_workbook(io.BytesIO(content)).active
    header, *rows = list(sheet.values)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_every_export_has_the_reference_of_each_contribution(consultation, question, file_format):
    answer = make_comment(question)
    make_comment(question, parent=answer)
    make_comment(question, status=CommentStatus.PENDING)

    rows = _export_rows(consultation, file_format)

    assert [row["reference"] or "" for row in rows] == ["Q1-1", "Q1-2", ""]


def test_the_reference_of_an_edit_awaiting_approval_says_so_on_its_question(client, moderator):
    consultation = make_consultation(moderation_mode=ModerationMode.PRE, moderators=[moderator])
    question = make_question(consultation, number=1)
    author = make_user()
    comment = make_comment(question, author=author)
    comment_edit(editor=author, comment=comment, body="Rewritten, held again.", language="en")

    response = client.get(ref_url(consultation, "Q1-1"), follow=True)

    assert response.redirect_chain[-1][0] == question.get_absolute_url()
    assert "Contribution Q1-1 is awaiting a moderator" in response.content.decode()
