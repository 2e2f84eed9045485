import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

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
    assert escape(two_consultations_logged["comment"].get_absolute_url()) in response.text
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


# --- What changed, as facts, read in the reader's language ------------------------------


def test_log_shows_what_changed_in_the_readers_language(client_for, secretariat, consultation):
    from consultations.services.consultations import consultation_edit

    consultation_edit(
        actor=secretariat, consultation=consultation, values={"title_fr": "Frais de recrutement"}
    )
    client = client_for(secretariat)

    english = client.get(LOG_URL)
    french = client.get(reverse("consultations:audit_log").replace("/en/", "/fr/"))

    assert english.status_code == french.status_code == 200
    assert "title [fr]: “—” → “Frais de recrutement”" in english.text
    assert "titre [fr]" in french.text and "Frais de recrutement" in french.text


# --- The database refuses to rewrite the log -----------------------------------------------


def test_a_raw_update_or_delete_of_the_log_is_refused_and_changes_nothing(consultation):
    from django.db import DatabaseError, connection, transaction

    entry = _entry(consultation, reason="Original reason")
    table = ModerationEntry._meta.db_table
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's; SQLite keeps the model guards tested above")

    for statement in (
        f"UPDATE {table} SET reason = 'Rewritten' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [entry.pk])

    assert ModerationEntry.objects.get().reason == "Original reason"


# --- Admin edits are logged like any other ---------------------------------------------------


class _FormFields(HTMLParser):
    """The values a browser would submit from the first form with a CSRF token."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if attrs.get("type") in {"checkbox", "radio"} else ""
            self.data.setdefault(name, []).append(attrs.get("value", default))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def _admin_form(client, url) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    parser = _FormFields()
    parser.feed(response.text)
    return parser.data


@pytest.fixture
def superuser(db):
    from tests.factories import make_user

    return make_user(display_name="Awa Ndiaye", is_staff=True, is_superuser=True)


def test_an_admin_edit_of_a_consultation_and_its_moderators_is_logged(
    client_for, superuser, consultation, moderator
):
    question = make_question(consultation, number=1, title="Fees")
    url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    client = client_for(superuser)
    data = _admin_form(client, url)
    data["title_es"] = ["Tasas de contratación"]
    data["moderators"] = []
    data["questions-0-title_fr"] = ["Les frais"]

    response = client.post(url, data)

    assert response.status_code == 302, response.content[:2000]
    entries = list(ModerationEntry.objects.order_by("pk"))
    assert [entry.action for entry in entries] == [
        ModerationAction.EDIT_CONSULTATION,
        ModerationAction.EDIT_QUESTION,
    ]
    consultation_entry, question_entry = entries
    assert consultation_entry.actor == superuser
    assert {change["field"]: change["after"] for change in consultation_entry.changes} == {
        "title_es": "Tasas de contratación",
        "moderators": [],
    }
    assert consultation_entry.changes[1]["before"] == ["Tomás Ruiz"]
    assert question_entry.question == question
    assert question_entry.changes == [
        {"model": "question", "field": "title_fr", "before": None, "after": "Les frais"}
    ]


def test_an_admin_edit_of_a_question_is_logged(client_for, superuser, consultation):
    question = make_question(consultation, number=1, title="Fees")
    url = reverse("admin:consultations_question_change", args=[question.pk])
    client = client_for(superuser)
    data = _admin_form(client, url)
    data["is_locked"] = ["on"]

    response = client.post(url, data)

    assert response.status_code == 302
    [entry] = ModerationEntry.objects.all()
    assert entry.action == ModerationAction.EDIT_QUESTION and entry.actor == superuser
    assert entry.changes == [
        {"model": "question", "field": "is_locked", "before": False, "after": True}
    ]


def test_an_admin_save_that_changes_nothing_writes_nothing(client_for, superuser, consultation):
    url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    client = client_for(superuser)

    response = client.post(url, _admin_form(client, url))

    assert response.status_code == 302
    assert not ModerationEntry.objects.exists()
