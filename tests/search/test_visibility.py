"""Search shows exactly what the pages let each reader read: every status, every role."""

import pytest

from tests.factories import (
    make_comment,
    make_consultation,
    make_global_moderator,
    make_question,
    make_secretariat_member,
    make_user,
)

ROLES = [
    "visitor",
    "stakeholder",
    "author",
    "moderator",
    "other_moderator",
    "global_moderator",
    "secretariat",
]

# Who finds a contribution in each state (the author is a plain stakeholder).
FINDS = {
    "published": set(ROLES),
    "pending": {"author", "moderator", "global_moderator", "secretariat"},
    "hidden": {"moderator", "global_moderator", "secretariat"},
    "withdrawn": set(),
    # A published contribution in a draft consultation: only those who may open the draft.
    "draft": {"secretariat"},
}


@pytest.fixture
def world(db):
    author = make_user()
    moderator = make_user()
    open_consultation = make_consultation(state="open", moderators=[moderator])
    draft = make_consultation(state="draft", moderators=[moderator])
    question, draft_question = make_question(open_consultation), make_question(draft)
    people = {
        "visitor": None,
        "stakeholder": make_user(),
        "author": author,
        "moderator": moderator,
        "other_moderator": make_user(),
        "global_moderator": make_global_moderator(),
        "secretariat": make_secretariat_member(),
    }
    make_consultation(state="open", moderators=[people["other_moderator"]])
    for status in ("published", "pending", "hidden", "withdrawn"):
        make_comment(question, author=author, status=status, body=f"Quinoa {status}")
    make_comment(draft_question, author=author, body="Quinoa draft")
    return people


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", list(FINDS))
def test_a_contribution_is_found_only_by_those_who_may_read_it(client, world, role, state):
    if world[role] is not None:
        client.force_login(world[role])

    response = client.get("/en/search/", {"q": "quinoa"})
    found_states = {comment.body_text.split()[-1] for comment in response.context["page"]}

    assert (state in found_states) == (role in FINDS[state])


def test_a_withdrawn_text_never_reaches_the_page_even_for_the_secretariat(client, world):
    client.force_login(world["secretariat"])

    page = client.get("/en/search/", {"q": "withdrawn"}).content.decode()

    assert "Quinoa withdrawn" not in page


def test_a_moderator_sees_which_results_are_not_public(client, world):
    client.force_login(world["moderator"])

    page = client.get("/en/search/", {"q": "quinoa"}).content.decode()

    assert "badge--pending" in page
    assert "badge--hidden" in page


def test_the_feed_reads_as_a_visitor_whoever_asks(client, world):
    client.force_login(world["secretariat"])

    feed = client.get("/en/search/feed/", {"q": "quinoa"}).content.decode()

    assert "Quinoa published" in feed
    for state in ("pending", "hidden", "withdrawn", "draft"):
        assert f"Quinoa {state}" not in feed
