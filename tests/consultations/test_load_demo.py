from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.contrib.sites.models import Site
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import OrganisationType, User
from consultations import rules
from consultations.demo import DEMO_PASSWORD, PEOPLE, load_demo
from consultations.management.commands import load_demo as load_demo_command
from consultations.models import (
    ClarificationRequest,
    Comment,
    CommentStatus,
    CommentTranslation,
    Consultation,
    ConsultationState,
    Question,
    arrange_thread,
)
from consultations.sanitize import render_markdown
from consultations.services.comments import comment_edit

TRANSLATED_CONSULTATION_FIELDS = (
    "title",
    "summary",
    "introduction",
    "objectives",
    "guiding_points",
    "organisers",
)
DEMO_LOGINS = ["stakeholder@example.org", "moderator@example.org", "secretariat@example.org"]


@pytest.fixture
def demo(db):
    return load_demo()


def _counts():
    return {
        "consultations": Consultation.objects.count(),
        "questions": Question.objects.count(),
        "comments": Comment.objects.count(),
        "users": User.objects.count(),
        "email addresses": EmailAddress.objects.count(),
        "clarification requests": ClarificationRequest.objects.count(),
    }


def _open_comments(demo):
    return list(Comment.objects.for_consultation(demo.open_consultation).select_related("author"))


# --- Running it again ---------------------------------------------------------------


def test_loading_the_demo_twice_creates_the_same_objects_once(db):
    moment = timezone.now()
    load_demo(now=moment)
    after_first_run = _counts()

    second = load_demo(now=moment)

    assert _counts() == after_first_run
    assert second.created == 0


def test_second_run_on_the_same_day_changes_nothing(db):
    moment = timezone.now()
    load_demo(now=moment)
    updated_at = dict(Consultation.objects.values_list("slug", "updated_at"))

    second = load_demo(now=moment)

    assert second.updated == 0
    assert dict(Consultation.objects.values_list("slug", "updated_at")) == updated_at


def test_rerunning_the_demo_restores_an_edited_comment_in_place(demo):
    comment = demo.comments["q1-state"]
    Comment.objects.filter(pk=comment.pk).update(body_source="Changed by hand.", body_html="")

    load_demo()

    comment.refresh_from_db()
    assert comment.body_source.startswith("Desde el último examen regional")
    assert comment.body_html == render_markdown(comment.body_source)


def test_rerunning_the_demo_keeps_one_set_of_earlier_versions(db):
    moment = timezone.now()
    load_demo(now=moment)
    load_demo(now=moment)
    load_demo(now=moment + timedelta(days=3))

    edited = Comment.objects.get(thread_key__endswith=":demo-q1-stakeholder")
    assert edited.revisions.count() == 1
    assert edited.revisions.get().written_at == edited.created_at


def test_rerunning_the_demo_undoes_an_edit_made_on_the_site(demo):
    comment = demo.comments["q1-state"]
    comment_edit(editor=comment.author, comment=comment, body="Changed on the site.", language="en")

    load_demo()

    comment.refresh_from_db()
    assert comment.edited_at is None
    assert not comment.revisions.exists()


def test_a_later_day_moves_the_windows_along_so_the_open_consultation_stays_open(db):
    load_demo(now=timezone.now() - timedelta(days=40))

    result = load_demo()

    assert result.open_consultation.state == ConsultationState.OPEN
    assert Consultation.objects.count() == 3


# --- The consultations ----------------------------------------------------------------


def test_demo_consultations_are_open_closed_and_upcoming(demo):
    assert demo.open_consultation.state == ConsultationState.OPEN
    assert demo.closed_consultation.state == ConsultationState.CLOSED
    assert demo.upcoming_consultation.state == ConsultationState.UPCOMING


def test_open_consultation_is_written_in_three_languages(demo):
    consultation = demo.open_consultation
    for name in TRANSLATED_CONSULTATION_FIELDS:
        for language in ("en", "fr", "es"):
            assert getattr(consultation, f"{name}_{language}"), f"{name}_{language}"
    assert consultation.contact_email
    assert len(consultation.objectives_as_list()) >= 3
    assert consultation.organisers_en.startswith("Moderated by")


def test_open_consultation_has_four_numbered_questions_in_three_languages(demo):
    questions = list(demo.open_consultation.questions.order_by("number"))

    assert [question.number for question in questions] == [1, 2, 3, 4]
    for question in questions:
        for language in ("en", "fr", "es"):
            assert getattr(question, f"title_{language}")
            assert getattr(question, f"body_{language}")


def test_only_the_upcoming_spanish_guiding_points_are_left_untranslated(demo):
    missing = [
        f"{consultation.slug}.{name}"
        for consultation in Consultation.objects.all()
        for name in TRANSLATED_CONSULTATION_FIELDS
        if not getattr(consultation, f"{name}_es")
    ] + [
        f"{question}.{name}"
        for question in Question.objects.all()
        for name in ("title", "body")
        if not getattr(question, f"{name}_es")
    ]

    assert missing == [f"{demo.upcoming_consultation.slug}.guiding_points"]


def test_closed_consultation_has_comments_and_the_upcoming_one_has_questions_only(demo):
    assert demo.closed_consultation.questions.count() >= 2
    assert Comment.objects.for_consultation(demo.closed_consultation).count() >= 5
    assert demo.upcoming_consultation.questions.count() >= 2
    assert not Comment.objects.for_consultation(demo.upcoming_consultation).exists()


def test_closed_consultations_comments_were_posted_while_it_was_open(demo):
    consultation = demo.closed_consultation
    for comment in Comment.objects.for_consultation(consultation):
        assert consultation.opens_at < comment.created_at < consultation.closes_at


def test_moderator_is_named_on_the_open_and_closed_consultations(demo):
    moderator = User.objects.get(email="moderator@example.org")

    assert set(moderator.moderated_consultations.all()) == {
        demo.open_consultation,
        demo.closed_consultation,
    }


# --- The open consultation's thread -----------------------------------------------------


def test_open_consultation_has_about_thirty_comments_in_three_languages(demo):
    comments = _open_comments(demo)

    assert 28 <= len(comments) <= 40
    languages = [comment.language for comment in comments]
    assert {"en", "fr", "es"} == set(languages)
    assert min(languages.count(code) for code in ("en", "fr", "es")) >= 5


def test_every_question_of_the_open_consultation_has_comments(demo):
    for question in demo.open_consultation.questions.all():
        assert question.comments.count() >= 5


def test_open_consultation_has_a_thread_at_least_three_replies_deep(demo):
    deepest = max(
        entry.depth
        for question in demo.open_consultation.questions.all()
        for entry in arrange_thread(question.comments.all())
    )

    assert deepest >= 3


def test_moderators_follow_up_on_stakeholders_comments(demo):
    moderator_ids = demo.open_consultation.moderator_ids()
    follow_ups = [
        comment
        for comment in _open_comments(demo)
        if comment.author_id in moderator_ids
        and comment.parent is not None
        and comment.parent.author_id not in moderator_ids
    ]

    assert len(follow_ups) >= 4
    assert {comment.language for comment in follow_ups} >= {"en", "fr", "es"}


def test_stakeholders_answer_the_moderators_follow_ups(demo):
    moderator_ids = demo.open_consultation.moderator_ids()
    answers = [
        comment
        for comment in _open_comments(demo)
        if comment.author_id not in moderator_ids
        and comment.parent is not None
        and comment.parent.author_id in moderator_ids
    ]

    assert len(answers) >= 4


def test_replies_are_posted_after_the_comments_they_answer(demo):
    replies = [comment for comment in _open_comments(demo) if comment.parent is not None]

    assert replies
    for reply in replies:
        assert reply.created_at > reply.parent.created_at, reply.thread_key


def test_open_consultations_comments_were_posted_since_it_opened(demo):
    consultation = demo.open_consultation
    for comment in _open_comments(demo):
        assert consultation.opens_at < comment.created_at < timezone.now()


def test_the_demo_stakeholder_has_an_edited_comment_with_an_earlier_version(demo, client):
    edited = demo.comments["q1-stakeholder"]
    [earlier] = edited.revisions.all()

    assert edited.author == demo.accounts["stakeholder"]
    assert earlier.written_at == edited.created_at < earlier.replaced_at == edited.edited_at
    assert earlier.body_source != edited.body_source
    assert earlier.body_html == render_markdown(earlier.body_source)
    client.force_login(demo.accounts["stakeholder"])
    versions_url = reverse("consultations:comment_revisions", args=[edited.pk])
    assert versions_url in client.get(edited.question.get_absolute_url()).content.decode()
    assert earlier.body_html in client.get(versions_url).content.decode()


def test_demo_comments_are_published_and_rendered_from_their_markdown(demo):
    for comment in Comment.objects.all():
        assert comment.status == CommentStatus.PUBLISHED
        assert comment.body_html == render_markdown(comment.body_source)


def test_some_comments_are_long_with_paragraphs_a_list_and_a_link(demo):
    long_comments = [comment for comment in _open_comments(demo) if comment.is_long]

    assert len(long_comments) >= 3
    assert {comment.language for comment in long_comments} == {"en", "fr", "es"}
    for comment in long_comments:
        assert comment.body_html.count("<p>") >= 2
        assert "<li>" in comment.body_html
        assert 'rel="nofollow ugc noopener"' in comment.body_html


def test_commenters_come_from_every_kind_of_stakeholder_and_say_where_from(demo):
    authors = {comment.author for comment in _open_comments(demo)}

    assert {author.organisation_type for author in authors} >= {
        OrganisationType.MEMBER_STATE,
        OrganisationType.UN_ENTITY,
        OrganisationType.CIVIL_SOCIETY,
        OrganisationType.TRADE_UNION,
        OrganisationType.ACADEMIA,
        OrganisationType.LOCAL_GOVERNMENT,
        OrganisationType.MIGRANT_LED,
        OrganisationType.PRIVATE_SECTOR,
    }
    assert all(author.country for author in authors)
    assert all(author.email.endswith("@example.org") for author in authors)


# --- Accounts -----------------------------------------------------------------------


@pytest.mark.parametrize("email", DEMO_LOGINS)
def test_demo_logins_authenticate_with_the_shared_password(demo, email):
    user = authenticate(email=email, password=DEMO_PASSWORD)

    assert user is not None
    assert user.email == email
    assert rules.is_verified(user)


def test_every_demo_account_has_a_verified_primary_email_address(demo):
    for person in PEOPLE:
        address = EmailAddress.objects.get(email=person.email)
        assert address.verified and address.primary, person.email


def test_secretariat_account_is_staff_and_in_the_secretariat_group(demo):
    secretariat = User.objects.get(email="secretariat@example.org")

    assert secretariat.is_staff
    assert secretariat.groups.filter(name="Secretariat").exists()
    assert rules.may(secretariat, "manage")


def test_stakeholder_and_moderator_are_not_staff(demo):
    assert not User.objects.filter(email__in=DEMO_LOGINS[:2], is_staff=True).exists()


def test_rerunning_the_demo_resets_a_changed_demo_password(demo):
    user = User.objects.get(email="stakeholder@example.org")
    user.set_password("something-else-entirely")
    user.save()

    load_demo()

    assert authenticate(email="stakeholder@example.org", password=DEMO_PASSWORD) == user


# --- The command and the pages ----------------------------------------------------------


def test_command_prints_the_three_logins_the_password_and_the_address(db, settings):
    settings.DEBUG = True
    output = StringIO()

    call_command("load_demo", stdout=output)

    printed = output.getvalue()
    for email in DEMO_LOGINS:
        assert email in printed
    assert DEMO_PASSWORD in printed
    assert "http://127.0.0.1:8000/" in printed
    assert Consultation.objects.count() == 3


def test_command_points_email_links_at_the_port_the_demo_is_served_on(db, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(load_demo_command, "SITE_URL", "http://127.0.0.1:8011/")

    call_command("load_demo", stdout=StringIO())

    assert Site.objects.get(pk=settings.SITE_ID).domain == "127.0.0.1:8011"


def test_command_leaves_a_real_site_domain_alone(db, settings, monkeypatch):
    settings.DEBUG = True
    Site.objects.filter(pk=settings.SITE_ID).update(domain="consult.example.org")
    monkeypatch.setattr(load_demo_command, "SITE_URL", "http://127.0.0.1:8011/")

    call_command("load_demo", stdout=StringIO())

    assert Site.objects.get(pk=settings.SITE_ID).domain == "consult.example.org"


def test_command_refuses_to_create_public_password_accounts_without_debug(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())

    assert not User.objects.exists()


def test_command_runs_without_debug_when_forced(db, settings):
    settings.DEBUG = False

    call_command("load_demo", "--force", stdout=StringIO())

    assert Consultation.objects.count() == 3


def test_open_consultation_page_shows_teasers_and_moderator_badges(demo, client):
    response = client.get(demo.open_consultation.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="read-more"') >= 3
    question_pages = "".join(
        client.get(question.get_absolute_url()).content.decode()
        for question in demo.open_consultation.questions.all()
    )
    assert question_pages.count("badge--moderator") >= 4


def test_spanish_upcoming_page_notes_the_guiding_points_are_in_english(demo, client):
    response = client.get(f"/es/consultations/{demo.upcoming_consultation.slug}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Draw on what you have seen" in html
    assert html.count('class="fallback-note"') == 1


def test_the_moderators_queue_has_a_reported_comment_to_review(demo, client):
    client.force_login(User.objects.get(email="moderator@example.org"))
    html = client.get(reverse("consultations:moderation_queue")).content.decode()
    assert "FastTrack Overseas Placements" in html
    assert "An advertisement, and the promise is misleading." in html
    advert = Comment.objects.get(author__email="d.vance@example.org")
    assert advert.status == CommentStatus.PUBLISHED  # two reports: under the threshold
    assert advert.reports.open().count() == 2


# --- References and clarification requests ---------------------------------------------


def test_every_demo_comment_has_a_reference_numbered_in_the_order_it_was_posted(demo):
    for question in Question.objects.filter(consultation__in=demo.consultations.values()):
        comments = list(question.comments.order_by("created_at", "pk"))
        assert [comment.reference_number for comment in comments] == list(
            range(1, len(comments) + 1)
        ), question


def test_the_open_consultation_shows_references_and_cite_this(demo, client):
    question = demo.open_consultation.questions.get(number=2)

    html = client.get(question.get_absolute_url()).content.decode()

    assert ">Q2-1</a>" in html
    assert html.count("<summary>Cite this</summary>") == question.comments.count()


def test_the_demo_has_one_open_request_for_clarification_on_the_page_and_in_the_queue(demo, client):
    request = ClarificationRequest.objects.open().get()
    assert request.comment == demo.comments["q2-domestic"]
    assert request.follow_up == demo.comments["q2-domestic-clarification"]
    assert request.requested_by.pk in demo.open_consultation.moderator_ids()

    page = client.get(request.comment.question.get_absolute_url()).content.decode()
    assert "Clarification requested" in page
    client.force_login(User.objects.get(email="moderator@example.org"))
    queue = client.get(reverse("consultations:moderation_queue")).content.decode()
    assert "1 open request for clarification" in queue


def test_rerunning_the_demo_reopens_its_request_for_clarification_once(demo):
    request = ClarificationRequest.objects.get()
    ClarificationRequest.objects.filter(pk=request.pk).update(
        closed_at=timezone.now(), closed_how="moderator_closed"
    )

    load_demo()

    assert ClarificationRequest.objects.open().get().pk == request.pk


def test_the_demo_shows_a_spanish_and_a_french_contribution_translated(demo, client):
    union, city = demo.comments["q1-union"], demo.comments["q3-city-fr"]

    english = CommentTranslation.objects.get(comment=union, language="en")
    spanish = CommentTranslation.objects.get(comment=city, language="es")

    assert english.translator.email == spanish.translator.email == "secretariat@example.org"
    assert not english.is_out_of_date and not spanish.is_out_of_date
    with translation.override("en"):
        page = client.get(union.question.get_absolute_url()).content.decode()
    assert "Translated from Spanish by Ingrid Haugen" in page


def test_rerunning_the_demo_keeps_one_translation_per_comment_and_language(db):
    moment = timezone.now()
    load_demo(now=moment)
    load_demo(now=moment)

    assert CommentTranslation.objects.count() == 2
