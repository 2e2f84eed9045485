from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from consultations import rules
from consultations.models import (
    ConsultationState,
    ModerationAction,
    ModerationEntry,
    Question,
)
from consultations.services import consultations as services
from consultations.services.comments import comment_post
from tests.factories import make_consultation, make_question

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _entries(action):
    return list(ModerationEntry.objects.filter(action=action))


def _window(opens_in_days, closes_in_days, **fields):
    return make_consultation(
        opens_at=NOW + timedelta(days=opens_in_days),
        closes_at=NOW + timedelta(days=closes_in_days),
        **fields,
    )


# --- Open now -------------------------------------------------------------------------


def test_open_now_opens_an_upcoming_consultation_from_this_moment(frozen_clock, secretariat):
    consultation = _window(3, 30)

    services.consultation_open_now(actor=secretariat, consultation=consultation)

    consultation.refresh_from_db()
    assert consultation.opens_at == NOW
    assert consultation.state == ConsultationState.OPEN
    [entry] = _entries(ModerationAction.OPEN_NOW)
    assert entry.actor == secretariat and entry.consultation == consultation


def test_open_now_publishes_a_draft(frozen_clock, secretariat):
    consultation = _window(3, 30, is_published=False)

    services.consultation_open_now(actor=secretariat, consultation=consultation)

    consultation.refresh_from_db()
    assert consultation.is_published
    assert consultation.state == ConsultationState.OPEN


def test_open_now_is_refused_when_the_closing_date_has_passed(frozen_clock, secretariat):
    consultation = _window(-30, -1)

    with pytest.raises(ValidationError, match="closing date has passed"):
        services.consultation_open_now(actor=secretariat, consultation=consultation)

    consultation.refresh_from_db()
    assert consultation.opens_at == NOW - timedelta(days=30)
    assert not ModerationEntry.objects.exists()


def test_opening_an_open_consultation_again_changes_nothing(frozen_clock, secretariat):
    consultation = _window(-3, 30)

    with pytest.raises(ValidationError, match="already open"):
        services.consultation_open_now(actor=secretariat, consultation=consultation)

    consultation.refresh_from_db()
    assert consultation.opens_at == NOW - timedelta(days=3)
    assert not ModerationEntry.objects.exists()


# --- Close now --------------------------------------------------------------------------


def test_close_now_closes_an_open_consultation_at_this_moment(frozen_clock, secretariat):
    consultation = _window(-3, 30)

    services.consultation_close_now(actor=secretariat, consultation=consultation)

    consultation.refresh_from_db()
    assert consultation.closes_at == NOW
    assert consultation.state == ConsultationState.CLOSED
    [entry] = _entries(ModerationAction.CLOSE_NOW)
    assert entry.actor == secretariat
    assert entry.changes == [
        {
            "model": "consultation",
            "field": "closes_at",
            "before": "2025-04-09 12:00 UTC",
            "after": "2025-03-10 12:00 UTC",
        }
    ]


@pytest.mark.parametrize("window", [(3, 30), (-30, -3)], ids=["upcoming", "closed"])
def test_close_now_is_refused_unless_the_consultation_is_open(frozen_clock, secretariat, window):
    consultation = _window(*window)
    closes_at = consultation.closes_at

    with pytest.raises(ValidationError, match="Only an open consultation"):
        services.consultation_close_now(actor=secretariat, consultation=consultation)

    consultation.refresh_from_db()
    assert consultation.closes_at == closes_at
    assert not ModerationEntry.objects.exists()


def test_closing_twice_writes_one_entry(frozen_clock, secretariat):
    consultation = _window(-3, 30)
    services.consultation_close_now(actor=secretariat, consultation=consultation)

    with pytest.raises(ValidationError):
        services.consultation_close_now(actor=secretariat, consultation=consultation)

    assert len(_entries(ModerationAction.CLOSE_NOW)) == 1


def test_after_closing_now_posting_is_refused(secretariat, stakeholder):
    consultation = make_consultation(state="open")
    question = make_question(consultation)
    services.consultation_close_now(actor=secretariat, consultation=consultation)

    with pytest.raises(rules.Refused, match="closed"):
        comment_post(author=stakeholder, question=question, body="Too late?", language="en")

    assert not question.comments.exists()


def test_a_consultation_closes_at_its_closing_time_without_any_job(stakeholder):
    consultation = make_consultation(state="open")
    question = make_question(consultation)

    with time_machine.travel(consultation.closes_at + timedelta(seconds=1), tick=False):
        assert consultation.state == ConsultationState.CLOSED
        with pytest.raises(rules.Refused):
            comment_post(author=stakeholder, question=question, body="Late.", language="en")


# --- Extend and reschedule ------------------------------------------------------------


def test_extend_moves_the_closing_date_later(frozen_clock, secretariat):
    consultation = _window(-3, 10)
    later = NOW + timedelta(days=20)

    services.consultation_extend(actor=secretariat, consultation=consultation, closes_at=later)

    consultation.refresh_from_db()
    assert consultation.closes_at == later
    [entry] = _entries(ModerationAction.RESCHEDULE)
    assert [(change["before"], change["after"]) for change in entry.changes] == [
        ("2025-03-20 12:00 UTC", "2025-03-30 12:00 UTC")
    ]


def test_extending_a_closed_consultation_opens_it_again(frozen_clock, secretariat):
    consultation = _window(-30, -1)

    services.consultation_extend(
        actor=secretariat, consultation=consultation, closes_at=NOW + timedelta(days=7)
    )

    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.OPEN


def test_extend_refuses_an_earlier_closing_date(frozen_clock, secretariat):
    consultation = _window(-3, 10)

    with pytest.raises(ValidationError) as refused:
        services.consultation_extend(
            actor=secretariat, consultation=consultation, closes_at=NOW + timedelta(days=5)
        )

    assert "later than the current one" in str(refused.value.message_dict["closes_at"])
    consultation.refresh_from_db()
    assert consultation.closes_at == NOW + timedelta(days=10)
    assert not ModerationEntry.objects.exists()


def test_extend_refuses_a_closing_date_still_in_the_past(frozen_clock, secretariat):
    consultation = _window(-30, -10)

    with pytest.raises(ValidationError, match="in the future"):
        services.consultation_extend(
            actor=secretariat, consultation=consultation, closes_at=NOW - timedelta(days=5)
        )


def test_reschedule_sets_a_new_window(frozen_clock, secretariat):
    consultation = _window(-3, 10)
    opens_at, closes_at = NOW + timedelta(days=5), NOW + timedelta(days=40)

    services.consultation_reschedule(
        actor=secretariat, consultation=consultation, opens_at=opens_at, closes_at=closes_at
    )

    consultation.refresh_from_db()
    assert (consultation.opens_at, consultation.closes_at) == (opens_at, closes_at)
    assert consultation.state == ConsultationState.UPCOMING
    assert len(_entries(ModerationAction.RESCHEDULE)) == 1


def test_reschedule_refuses_a_window_that_closes_before_it_opens(frozen_clock, secretariat):
    consultation = _window(-3, 10)

    with pytest.raises(ValidationError, match="open before it closes"):
        services.consultation_reschedule(
            actor=secretariat,
            consultation=consultation,
            opens_at=NOW + timedelta(days=5),
            closes_at=NOW + timedelta(days=5),
        )

    assert not ModerationEntry.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda actor, consultation: services.consultation_open_now(
            actor=actor, consultation=consultation
        ),
        lambda actor, consultation: services.consultation_close_now(
            actor=actor, consultation=consultation
        ),
        lambda actor, consultation: services.consultation_extend(
            actor=actor, consultation=consultation, closes_at=NOW + timedelta(days=90)
        ),
        lambda actor, consultation: services.consultation_reschedule(
            actor=actor,
            consultation=consultation,
            opens_at=NOW + timedelta(days=1),
            closes_at=NOW + timedelta(days=90),
        ),
    ],
    ids=["open", "close", "extend", "reschedule"],
)
def test_only_the_secretariat_may_change_a_window(frozen_clock, moderator, change):
    consultation = _window(-3, 10)
    consultation.moderators.add(moderator)

    with pytest.raises(rules.Refused):
        change(moderator, consultation)

    consultation.refresh_from_db()
    assert (consultation.opens_at, consultation.closes_at) == (
        NOW - timedelta(days=3),
        NOW + timedelta(days=10),
    )
    assert not ModerationEntry.objects.exists()


# --- Consultations and questions ------------------------------------------------------


def _consultation_values(**overrides):
    return {
        "slug": "labour-mobility",
        "title_en": "Labour mobility",
        "title_fr": "Mobilité de la main-d’œuvre",
        "title_es": "Movilidad laboral",
        "summary_fr": "Un résumé.",
        "opens_at": NOW + timedelta(days=1),
        "closes_at": NOW + timedelta(days=30),
        **overrides,
    }


def test_create_consultation_stores_every_language_and_logs_it(
    frozen_clock, secretariat, moderator
):
    consultation = services.consultation_create(
        actor=secretariat, values=_consultation_values(), moderators=[moderator]
    )

    consultation.refresh_from_db()
    assert consultation.title_fr == "Mobilité de la main-d’œuvre"
    assert consultation.title_es == "Movilidad laboral"
    assert list(consultation.moderators.all()) == [moderator]
    [entry] = _entries(ModerationAction.CREATE_CONSULTATION)
    assert entry.consultation == consultation and entry.actor == secretariat


def test_create_consultation_refuses_a_window_that_closes_first(frozen_clock, secretariat):
    with pytest.raises(ValidationError):
        services.consultation_create(actor=secretariat, values=_consultation_values(closes_at=NOW))

    assert not ModerationEntry.objects.exists()


def test_edit_consultation_logs_the_fields_that_changed(secretariat, consultation, moderator):
    services.consultation_edit(
        actor=secretariat,
        consultation=consultation,
        values={"title_es": "Una consulta", "slug": consultation.slug},
        moderators=[],
    )

    consultation.refresh_from_db()
    assert consultation.title_es == "Una consulta"
    assert not consultation.moderators.exists()
    [entry] = _entries(ModerationAction.EDIT_CONSULTATION)
    assert entry.changes == [
        {"model": "consultation", "field": "title_es", "before": None, "after": "Una consulta"},
        {"model": "consultation", "field": "moderators", "before": ["Tomás Ruiz"], "after": []},
    ]


def test_question_create_with_a_taken_number_is_a_validation_error(secretariat, question):
    with pytest.raises(ValidationError) as refused:
        services.question_create(
            actor=secretariat,
            consultation=question.consultation,
            values={"number": question.number, "title_en": "Again"},
        )

    assert "number" in refused.value.message_dict
    assert Question.objects.count() == 1
    assert not ModerationEntry.objects.exists()


def test_question_create_is_logged_as_a_creation(secretariat, consultation):
    question = services.question_create(
        actor=secretariat,
        consultation=consultation,
        values={"number": 7, "title_en": "What comes next?", "title_fr": "Et ensuite ?"},
    )

    [entry] = _entries(ModerationAction.CREATE_QUESTION)
    assert entry.question == question and entry.actor == secretariat


def test_question_edit_stores_translations_and_logs_it(secretariat, question):
    services.question_edit(
        actor=secretariat,
        question=question,
        values={"title_fr": "Quelles priorités ?", "body_es": "Explique."},
    )

    question.refresh_from_db()
    assert question.title_fr == "Quelles priorités ?"
    [entry] = _entries(ModerationAction.EDIT_QUESTION)
    assert entry.question == question
    assert [change["field"] for change in entry.changes] == ["title_fr", "body_es"]
    assert entry.changes[0]["after"] == "Quelles priorités ?"


def test_stakeholder_cannot_create_a_consultation(frozen_clock, stakeholder):
    with pytest.raises(rules.Refused):
        services.consultation_create(actor=stakeholder, values=_consultation_values())

    assert not ModerationEntry.objects.exists()


# --- Export --------------------------------------------------------------------------


def test_export_writes_an_export_entry(secretariat, consultation):
    export = services.contributions_export(
        actor=secretariat, consultation=consultation, file_format="json"
    )

    assert export.filename.endswith(".json")
    [entry] = _entries(ModerationAction.EXPORT)
    assert entry.actor == secretariat and "JSON" in entry.reason


def test_export_is_refused_to_a_moderator(moderator, consultation):
    with pytest.raises(rules.Refused):
        services.contributions_export(actor=moderator, consultation=consultation, file_format="csv")

    assert not ModerationEntry.objects.exists()
