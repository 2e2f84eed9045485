import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import ModerationAction, ModerationEntry
from tests.factories import make_comment, make_consultation, make_question

LOG_URL = reverse("consultations:audit_log")


def _entry(consultation, action=ModerationAction.EDIT_CONSULTATION, **fields):
    return ModerationEntry.objects.create(consultation=consultation, action=action, **fields)


@pytest.fixture
def two_consultations_logged(secretariat, moderator, consultation):
    other = make_consultation(slug="other-review", title="Other review")
    question = make_question(consultation, number=1)
    comment = make_comment(question)
    now = timezone.now()
    _entry(
        consultation,
        ModerationAction.HIDE,
        actor=moderator,
        question=question,
        comment=comment,
        reason="Personal data in the second paragraph",
        created_at=now - timedelta(hours=2),
    )
    _entry(
        consultation,
        ModerationAction.LOCK,
        actor=moderator,
        question=question,
        created_at=now - timedelta(hours=1),
    )
    _entry(other, ModerationAction.CLOSE_NOW, actor=secretariat, created_at=now)
    return {"consultation": consultation, "other": other, "comment": comment, "question": question}


def test_log_lists_every_entry_newest_first(client_for, secretariat, two_consultations_logged):
    response = client_for(secretariat).get(LOG_URL)

    actions = [entry.action for entry in response.context["page"]]
    assert actions == [ModerationAction.CLOSE_NOW, ModerationAction.LOCK, ModerationAction.HIDE]
    assert "Hid a comment" in response.text
    assert "Personal data in the second paragraph" in response.text
    assert "Tomás Ruiz" in response.text
    assert two_consultations_logged["comment"].get_absolute_url() in response.text
    assert two_consultations_logged["question"].get_absolute_url() in response.text


def test_log_filters_by_consultation(client_for, secretariat, two_consultations_logged):
    response = client_for(secretariat).get(LOG_URL, {"consultation": "other-review"})

    assert [entry.action for entry in response.context["page"]] == [ModerationAction.CLOSE_NOW]
    assert response.context["filtered_by"] == two_consultations_logged["other"]
    assert "Personal data" not in response.text


def test_an_unknown_consultation_filter_shows_the_error_and_every_entry(
    client_for, secretariat, two_consultations_logged
):
    response = client_for(secretariat).get(LOG_URL, {"consultation": "no-such-review"})

    assert response.status_code == 200
    assert response.context["form"].errors["consultation"]
    assert len(response.context["page"]) == 3


def test_log_is_paginated_by_fifty(client_for, secretariat, consultation):
    ModerationEntry.objects.bulk_create(
        [ModerationEntry(consultation=consultation, action=ModerationAction.EXPORT)] * 51
    )
    client = client_for(secretariat)

    first = client.get(LOG_URL)
    second = client.get(LOG_URL, {"page": 2})

    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 1
    assert 'rel="next"' in first.text


def test_pagination_links_keep_the_filter(client_for, secretariat, consultation):
    ModerationEntry.objects.bulk_create(
        [ModerationEntry(consultation=consultation, action=ModerationAction.EXPORT)] * 51
    )

    response = client_for(secretariat).get(LOG_URL, {"consultation": consultation.slug})

    assert f"?consultation={consultation.slug}&amp;page=2" in response.text


def test_log_offers_no_way_to_change_an_entry(client_for, secretariat, two_consultations_logged):
    client = client_for(secretariat)
    response = client.get(LOG_URL)

    post_forms = re.findall(r'<form[^>]*method="post"[^>]*>', response.text)
    assert all("logout" in form for form in post_forms)  # only the header's log-out form
    assert "/admin/" not in response.text
    assert client.post(LOG_URL).status_code == 405
    assert ModerationEntry.objects.count() == 3


def test_log_entries_cannot_be_changed_or_deleted_in_code(consultation):
    entry = _entry(consultation, reason="Original reason")
    entry.reason = "Rewritten"

    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        ModerationEntry.objects.all().update(reason="Rewritten")
    assert ModerationEntry.objects.get().reason == "Original reason"


def test_log_page_costs_a_fixed_number_of_queries(
    client_for, secretariat, consultation, django_assert_max_num_queries
):
    question = make_question(consultation, number=1)
    client = client_for(secretariat)
    _entry(consultation, comment=make_comment(question), question=question)
    client.get(LOG_URL)
    with django_assert_max_num_queries(20) as counted:
        client.get(LOG_URL)
    few = len(counted.captured_queries)
    for _number in range(10):
        _entry(consultation, comment=make_comment(question), question=question)

    with django_assert_max_num_queries(few):
        client.get(LOG_URL)


def test_actions_through_the_console_appear_in_the_log(client_for, secretariat, consultation):
    client = client_for(secretariat)
    client.post(reverse("consultations:console_close_now", args=[consultation.slug]))
    client.get(reverse("consultations:console_export", args=[consultation.slug, "csv"]))

    response = client.get(LOG_URL, {"consultation": consultation.slug})

    assert [entry.action for entry in response.context["page"]] == [
        ModerationAction.EXPORT,
        ModerationAction.CLOSE_NOW,
    ]
    assert all(entry.actor == secretariat for entry in response.context["page"])
