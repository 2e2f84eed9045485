"""A question's page of answers is put together from blocks kept one by one: a change
builds again only the block that holds it, and every reader still gets their own."""

from datetime import timedelta

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.test import Client, RequestFactory

from consultations import answer_blocks
from consultations.answer_blocks import fetch_blocks
from consultations.comment_views import CommentReader
from consultations.confirmations import confirmations_beside, say_beside
from consultations.models import Comment, CommentStatus
from consultations.services.comments import comment_edit, comment_post
from consultations.services.moderation import comment_hide, comment_request_clarification
from consultations.services.translations import comment_translate
from consultations.templatetags.comment_fragments import PageOfComments
from consultations.threads import question_thread
from documents.services import comment_attachments_add
from tests.consultations.test_page_cache import _without_tokens
from tests.documents import samples
from tests.factories import make_comment, make_translator, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def built_blocks(monkeypatch):
    """The places whose blocks each request built from their rows (rather than took
    from the cache, or drew the comments posted since into)."""
    built: list[list[int]] = []
    fetch = answer_blocks.fetch_blocks

    def fetch_and_note(question, reader, places):
        if places:
            built.append([place.pk for place in places])
        return fetch(question, reader, places)

    monkeypatch.setattr(answer_blocks, "fetch_blocks", fetch_and_note)
    return built


@pytest.fixture
def appended_blocks(monkeypatch):
    """The places whose kept blocks each request drew the comments posted since into."""
    appended: list[list[int]] = []
    append = answer_blocks._SharedBlocks.appended

    def append_and_note(self, html, kept, outline, comments):
        appended.append(outline[0].pk)
        return append(self, html, kept, outline, comments)

    monkeypatch.setattr(answer_blocks._SharedBlocks, "appended", append_and_note)
    return appended


@pytest.fixture
def two_answers(question):
    first = make_comment(question, body="Permits should follow the worker, not the employer.")
    reply = make_comment(question, parent=first, body="Our members agree with portability.")
    second = make_comment(question, body="Housing near the farms is the first problem.")
    return first, reply, second


def _page(client, question) -> str:
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    return _without_tokens(response.content.decode())


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_replies_name_their_answer_at_any_depth(question):
    answer = make_comment(question)
    reply = make_comment(question, parent=answer)
    deeper = make_comment(question, parent=reply)

    assert answer.answer_id is None
    assert reply.answer_id == answer.thread_key
    assert deeper.answer_id == answer.thread_key


def test_a_reply_is_drawn_into_the_kept_block_of_its_answer_and_no_other(
    question, two_answers, stakeholder, built_blocks, appended_blocks
):
    first, _, second = two_answers
    reader = _signed_in(make_user())
    _page(reader, question)
    assert built_blocks == [[first.pk, second.pk]]

    posted = comment_post(
        author=stakeholder,
        question=question,
        parent=second,
        body="Less so in the north.",
        language="en",
    )
    page = _page(reader, question)

    assert built_blocks[1:] == [] and appended_blocks == [second.pk]
    assert f'id="comment-{posted.pk}"' in page
    caches["pages"].clear()
    assert page == _page(reader, question), "the kept block differs from one built afresh"


def test_a_new_answer_builds_its_own_block_only(question, two_answers, stakeholder, built_blocks):
    _page(Client(), question)

    posted = comment_post(
        author=stakeholder, question=question, body="Childcare is missing.", language="en"
    )
    _page(Client(), question)

    assert built_blocks[1:] == [[posted.pk]]


@pytest.mark.parametrize(
    "change",
    ["reply", "edit", "hide", "translation", "clarification"],
)
def test_each_change_in_a_thread_moves_its_answer_on_and_no_other(
    question, two_answers, moderator, change
):
    first, reply, second = two_answers
    versions = {first.pk: first.thread_version, second.pk: second.thread_version}
    edit_versions = {first.pk: first.thread_edit_version, second.pk: second.thread_edit_version}
    if change == "reply":
        make_comment(question, parent=reply, body="A third level.")
    elif change == "edit":
        comment_edit(
            comment=reply, editor=reply.author, body="Our members mostly agree.", language="en"
        )
    elif change == "hide":
        comment_hide(comment=reply, moderator=moderator, reason="Off topic.")
    elif change == "translation":
        comment_translate(
            comment=reply, translator=make_translator(), language="fr", body="Nos membres."
        )
    else:
        comment_request_clarification(
            comment=reply, moderator=moderator, message="Which ones?", language="en"
        )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.thread_version > versions[first.pk]
    assert second.thread_version == versions[second.pk]
    # A new reply leaves the rest of the block as it was kept: only it is drawn in.
    assert (first.thread_edit_version > edit_versions[first.pk]) == (change != "reply")
    assert second.thread_edit_version == edit_versions[second.pk]


def test_saving_an_answer_read_earlier_keeps_its_thread_versions(question, two_answers, moderator):
    first, reply, _ = two_answers
    read_earlier = Comment.objects.get(pk=first.pk)
    make_comment(question, parent=reply, body="Moves the block on.")
    comment_hide(comment=reply, moderator=moderator, reason="Off topic.")
    moved_on = Comment.objects.values("thread_version", "thread_edit_version").get(pk=first.pk)

    read_earlier.body_source = "Permits should follow the worker."
    read_earlier.save()

    # Moved on once more by this save, from where they were, not from what was read.
    assert Comment.objects.values("thread_version", "thread_edit_version").get(pk=first.pk) == {
        "thread_version": moved_on["thread_version"] + 1,
        "thread_edit_version": moved_on["thread_edit_version"] + 1,
    }


def test_the_author_of_a_reply_gets_a_block_of_their_own(question, two_answers, stakeholder):
    first, _, _ = two_answers
    mine = comment_post(
        author=stakeholder, question=question, parent=first, body="Mine.", language="en"
    )
    edit_link = f"/comments/{mine.pk}/edit/"
    someone_else = _signed_in(make_user())
    assert edit_link not in _page(someone_else, question)

    assert edit_link in _page(_signed_in(stakeholder), question)
    assert edit_link not in _page(someone_else, question)


def test_a_reply_awaiting_approval_stays_in_its_authors_and_moderators_blocks(
    question, two_answers, moderator
):
    first, _, _ = two_answers
    newcomer = make_user()
    held = make_comment(
        question, parent=first, author=newcomer, body="Held back.", status=CommentStatus.PENDING
    )
    anchor = f'id="comment-{held.pk}"'
    stranger = _signed_in(make_user())

    assert anchor not in _page(stranger, question)
    assert anchor in _page(_signed_in(moderator), question)
    assert anchor in _page(_signed_in(newcomer), question)
    assert anchor not in _page(Client(), question)
    assert anchor not in _page(stranger, question)


def test_a_reply_under_a_held_comment_is_shown_once_in_a_block_of_its_own(
    question, two_answers, built_blocks
):
    first, _, _ = two_answers
    held = make_comment(question, parent=first, status=CommentStatus.PENDING, body="Held.")
    under_held = make_comment(question, parent=held, body="Answering the held one.")

    page = _page(Client(), question)

    assert page.count(f'id="comment-{under_held.pk}"') == 1
    assert under_held.pk in built_blocks[0]


def test_a_reply_under_a_held_comment_and_its_answer_are_each_kept_as_their_own_block(
    question, two_answers
):
    first, reply, _ = two_answers
    held = make_comment(question, parent=first, status=CommentStatus.PENDING, body="Held.")
    under_held = make_comment(question, parent=held, body="Answering the held one.")
    reader = make_user()
    built = _page_of_answers(reader, question)

    kept = _page_of_answers(reader, question)

    assert kept == built
    assert kept.count(f'id="comment-{under_held.pk}"') == 1
    assert kept.count(f'id="comment-{reply.pk}"') == 1


def test_the_confirmation_shows_beside_a_reply_whose_neighbours_were_kept(
    question, two_answers, stakeholder, built_blocks, appended_blocks
):
    first, _, second = two_answers
    poster = _signed_in(stakeholder)
    # The address the redirect after posting opens (blocks are kept per address).
    assert poster.get(question.get_absolute_url() + "?order=oldest&page=1").status_code == 200
    response = poster.post(
        f"/en/comments/{first.pk}/reply/",
        {"body": "Portability matters most in the south.", "language": "en"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Your comment is published." in response.content.decode()
    assert built_blocks == [[first.pk, second.pk]] and appended_blocks == [first.pk]


def test_every_comment_of_a_block_lists_its_own_files(question, two_answers):
    """The files come from one query for the blocks' answers, at any depth, and under a
    comment the reader does not see as well."""
    first, reply, second = two_answers
    held = make_comment(question, parent=second, status=CommentStatus.PENDING)
    under_held = make_comment(question, parent=held)
    deeper = make_comment(question, parent=reply)
    for comment, name in [
        (first, "Answer brief.pdf"),
        (deeper, "Survey of farms.pdf"),
        (under_held, "Under the held one.pdf"),
    ]:
        comment_attachments_add(comment=comment, files=[samples.pdf(name)])

    page = _page(Client(), question)

    for comment, name in [
        (first, "Answer brief.pdf"),
        (deeper, "Survey of farms.pdf"),
        (under_held, "Under the held one.pdf"),
    ]:
        article = page.split(f'id="comment-{comment.pk}"', 1)[1].split("</article>", 1)[0]
        assert name in article
    for comment in (reply, second):
        article = page.split(f'id="comment-{comment.pk}"', 1)[1].split("</article>", 1)[0]
        assert ".pdf" not in article


# --- A block kept for everyone of a kind, with each author's own comments put in ---------


@pytest.fixture
def two_authors_in_one_thread(question, moderator):
    """Amina and Kofi both wrote under the first answer: published, edited, hidden and
    withdrawn comments of each, and replies to each other."""
    amina = make_user(display_name="Amina Diallo")
    kofi = make_user(display_name="Kofi Mensah")
    answer = make_comment(question, body="Seasonal permits tie workers to one employer.")
    aminas = make_comment(question, parent=answer, author=amina, body="And to one region.")
    kofis = make_comment(question, parent=aminas, author=kofi, body="Not in our province.")
    comment_edit(editor=amina, comment=aminas, body="And to one region, often.", language="en")
    make_comment(question, parent=kofis, author=amina, body="Which province is that?")
    hidden = make_comment(question, parent=answer, author=kofi, body="Off topic here.")
    comment_hide(moderator=moderator, comment=hidden, reason="Off topic.")
    make_comment(
        question, parent=answer, author=amina, body="Withdrawn.", status=CommentStatus.WITHDRAWN
    )
    make_comment(question, author=kofi, body="An answer of Kofi's own.")
    return amina, kofi


def _page_of_answers(user, question) -> str:
    request = RequestFactory().get(question.get_absolute_url())
    request.user = user
    thread = question_thread(question, user, with_entries=False)
    html, _ = answer_blocks.render_page_of_answers(
        request, thread, page_address="/page", moderator_ids=frozenset()
    )
    return html


def _page_of_answers_built_for(user, question) -> str:
    """The page of answers as its blocks are built for one reader alone."""
    request = RequestFactory().get(question.get_absolute_url())
    request.user = user
    thread = question_thread(question, user, with_entries=False)
    page = PageOfComments(
        CommentReader(user=user, consultation=question.consultation), request=request
    )
    return "".join(
        page.html(entries, page_address="/page", moderator_ids=frozenset())
        for entries in fetch_blocks(question, user, thread.places).values()
    )


def test_each_authors_comments_put_in_a_shared_block_are_what_their_own_block_was(
    question, two_authors_in_one_thread, built_blocks
):
    amina, kofi = two_authors_in_one_thread
    amina_alone = _page_of_answers_built_for(amina, question)
    kofi_alone = _page_of_answers_built_for(kofi, question)
    built_blocks.clear()

    assert _page_of_answers(amina, question) == amina_alone
    assert _page_of_answers(kofi, question) == kofi_alone
    # Kofi's page took Amina's blocks as they were kept: nothing was built for him.
    assert built_blocks[0] and not any(built_blocks[1:])
    assert _page_of_answers(amina, question) == amina_alone
    assert "/edit/" in amina_alone and amina_alone != kofi_alone


def test_a_reader_who_wrote_nothing_there_gets_the_shared_block_without_anyones_controls(
    question, two_authors_in_one_thread
):
    amina, _ = two_authors_in_one_thread
    stranger = make_user()
    _page_of_answers(amina, question)

    page = _page_of_answers(stranger, question)

    assert page == _page_of_answers_built_for(stranger, question)
    assert "/edit/" not in page and "/withdraw/" not in page


def test_a_moderator_who_wrote_there_gets_a_block_of_their_own(
    question, two_authors_in_one_thread, moderator, built_blocks
):
    amina, _ = two_authors_in_one_thread
    make_comment(question, parent=Comment.objects.filter(parent=None).first(), author=moderator)
    _page_of_answers(amina, question)
    built_blocks.clear()

    page = _page_of_answers(moderator, question)

    assert built_blocks, "the moderator's blocks show hidden text: never the shared ones"
    assert page == _page_of_answers_built_for(moderator, question)


def test_a_comment_awaiting_approval_keeps_its_authors_block_their_own(
    question, two_authors_in_one_thread
):
    amina, kofi = two_authors_in_one_thread
    answer = Comment.objects.filter(parent=None).order_by("pk").first()
    held = make_comment(question, parent=answer, author=kofi, status=CommentStatus.PENDING)
    _page_of_answers(amina, question)

    page = _page_of_answers(kofi, question)

    assert f'id="comment-{held.pk}"' in page
    assert page == _page_of_answers_built_for(kofi, question)
    assert f'id="comment-{held.pk}"' not in _page_of_answers(amina, question)


def _request_saying(user, question, said: dict):
    """A request for the question's page by `user`, with a confirmation waiting beside
    each comment of `said` (comment: text)."""
    request = RequestFactory().get(question.get_absolute_url())
    request.user = user
    request._messages = CookieStorage(request)
    for comment, text in said.items():
        say_beside(request, comment, messages.SUCCESS, text)
    return request, question_thread(question, user, with_entries=False)


def _page_of_answers_saying(user, question, said: dict) -> tuple[str, dict]:
    """The page of answers, and the confirmations shown in it (`_request_saying`)."""
    request, thread = _request_saying(user, question, said)
    return answer_blocks.render_page_of_answers(
        request, thread, page_address="/page", moderator_ids=frozenset()
    )


def _page_of_answers_built_saying(user, question, said: dict) -> str:
    """The same page with its blocks built for this one request, confirmations and all."""
    request, thread = _request_saying(user, question, said)
    blocks = fetch_blocks(question, user, thread.places)
    confirmations = confirmations_beside(
        request, (entry.comment for block in blocks.values() for entry in block)
    )
    page = PageOfComments(
        CommentReader(user=user, consultation=question.consultation), request=request
    )
    return "".join(
        page.html(
            entries, page_address="/page", confirmations=confirmations, moderator_ids=frozenset()
        )
        for entries in blocks.values()
    )


def test_confirmations_are_drawn_into_the_shared_block_as_in_one_built_for_the_request(
    question, two_authors_in_one_thread, built_blocks
):
    amina, kofi = two_authors_in_one_thread
    kofis = Comment.objects.get(body_source="Not in our province.")
    aminas = Comment.objects.get(body_source="Which province is that?")
    said = {kofis: "Your changes are saved.", aminas: "Thank you for your report."}
    expected = _page_of_answers_built_saying(kofi, question, said)
    _page_of_answers(amina, question)
    built_blocks.clear()

    page, confirmations = _page_of_answers_saying(kofi, question, said)

    assert page == expected
    assert not any(built_blocks), "the blocks Amina's page kept serve Kofi's confirmations"
    assert {pk: str(message) for pk, message in confirmations.items()} == {
        kofis.pk: "Your changes are saved.",
        aminas.pk: "Thank you for your report.",
    }
    assert f"/comments/{kofis.pk}/edit/" in page and f"/comments/{aminas.pk}/edit/" not in page


def test_a_confirmation_for_a_reader_who_wrote_nothing_there_comes_without_controls(
    question, two_authors_in_one_thread, built_blocks
):
    amina, _ = two_authors_in_one_thread
    reporter = make_user()
    aminas = Comment.objects.get(body_source="And to one region, often.")
    said = {aminas: "Thank you for your report."}
    expected = _page_of_answers_built_saying(reporter, question, said)
    _page_of_answers(amina, question)
    built_blocks.clear()

    page, confirmations = _page_of_answers_saying(reporter, question, said)

    assert page == expected and "Thank you for your report." in page
    assert not any(built_blocks)
    assert list(confirmations) == [aminas.pk]
    assert "/edit/" not in page


def test_a_moderators_confirmation_is_drawn_in_a_block_built_for_the_request(
    question, two_authors_in_one_thread, moderator, built_blocks
):
    amina, _ = two_authors_in_one_thread
    aminas = Comment.objects.get(body_source="And to one region, often.")
    said = {aminas: "The comment is hidden."}
    _page_of_answers(moderator, question)
    built_blocks.clear()

    page, confirmations = _page_of_answers_saying(moderator, question, said)

    assert page == _page_of_answers_built_saying(moderator, question, said)
    assert built_blocks[0], "a moderator's block is never the one kept for everyone"
    assert list(confirmations) == [aminas.pk]


# --- A kept block short only of the comments posted since -------------------------------


@pytest.fixture
def branching_thread(question):
    """An answer with a reply that has a reply of its own, then a second reply."""
    answer = make_comment(question, body="Seasonal visas should be renewable in the country.")
    first = make_comment(question, parent=answer, body="Renewal fees are the real obstacle.")
    deeper = make_comment(question, parent=first, body="Fees were waived in 2024 for some.")
    later = make_comment(question, parent=answer, body="Employers should carry the cost.")
    return answer, first, deeper, later


def _post(question, parent, body, **fields):
    return make_comment(question, parent=parent, body=body, **fields)


CHANGES_DRAWN_IN = {
    # Under the first reply: its place is before the second reply's.
    "a reply in the middle": lambda question, thread, reader, moderator: [
        _post(question, thread[1], "Not in our region: fees went up.")
    ],
    # The second one cites the first: its parent was not in the kept block.
    "a reply to a reply posted since": lambda question, thread, reader, moderator: [
        (since := _post(question, thread[2], "Which year exactly?")),
        _post(question, since, "In the spring of 2024."),
    ],
    "the reader's own reply": lambda question, thread, reader, moderator: [
        _post(question, thread[3], "Small farms cannot carry it.", author=reader)
    ],
    "a reply others cannot see yet": lambda question, thread, reader, moderator: [
        _post(question, thread[1], "Held for now.", status=CommentStatus.PENDING)
    ],
    # Placed by its id among its answer's replies, between two kept ones.
    "a reply dated as one kept": lambda question, thread, reader, moderator: [
        _post(question, thread[0], "Sent at that moment too.", created_at=thread[1].created_at)
    ],
}
CHANGES_BUILT_AGAIN = {
    "an edit": lambda question, thread, reader, moderator: comment_edit(
        editor=thread[1].author, comment=thread[1], body="Fees are one obstacle.", language="en"
    ),
    "a hide": lambda question, thread, reader, moderator: comment_hide(
        moderator=moderator, comment=thread[2], reason="Off topic."
    ),
    "a reply with a file": lambda question, thread, reader, moderator: comment_attachments_add(
        comment=_post(question, thread[1], "Our figures attached."),
        files=[samples.pdf()],
    ),
}


@pytest.mark.parametrize("change", CHANGES_DRAWN_IN)
@pytest.mark.parametrize("who", ["stranger", "author"])
def test_comments_posted_since_are_drawn_into_the_kept_block_as_in_one_built_afresh(
    question, branching_thread, moderator, built_blocks, appended_blocks, change, who
):
    reader = make_user()
    if who == "author":
        _post(question, branching_thread[0], "Mine, from before.", author=reader)
    _page_of_answers(reader, question)
    built_blocks.clear()

    CHANGES_DRAWN_IN[change](question, branching_thread, reader, moderator)
    page = _page_of_answers(reader, question)

    assert built_blocks == [] and appended_blocks == [branching_thread[0].pk]
    caches["pages"].clear()
    assert page == _page_of_answers(reader, question), "drawn in unlike a block built afresh"
    assert _page_of_answers(make_user(), question) == _page_of_answers_built_for(
        make_user(), question
    )


@pytest.mark.parametrize("change", CHANGES_BUILT_AGAIN)
def test_any_other_change_builds_the_block_again(
    question, branching_thread, moderator, built_blocks, appended_blocks, change
):
    reader = make_user()
    _page_of_answers(reader, question)
    built_blocks.clear()

    CHANGES_BUILT_AGAIN[change](question, branching_thread, reader, moderator)
    page = _page_of_answers(reader, question)

    assert built_blocks == [[branching_thread[0].pk]] and appended_blocks == []
    assert page == _page_of_answers_built_for(reader, question)


def test_a_kept_block_whose_comments_no_longer_stand_in_its_order_is_built_again(
    question, branching_thread, built_blocks, appended_blocks
):
    answer, first, _, later = branching_thread
    reader = make_user()
    _page_of_answers(reader, question)
    built_blocks.clear()
    # Redated behind the signals' back (a repair in the shell), then a new reply.
    Comment.objects.filter(pk=later.pk).update(created_at=first.created_at - timedelta(hours=1))
    _post(question, answer, "A new reply.")

    page = _page_of_answers(reader, question)

    assert built_blocks == [[answer.pk]] and appended_blocks == []
    assert page == _page_of_answers_built_for(reader, question)


def test_a_comment_gone_out_of_sight_since_its_outline_was_read_gets_the_block_built_again(
    question, branching_thread, built_blocks, appended_blocks, monkeypatch
):
    answer, first, _, _ = branching_thread
    reader = make_user()
    _page_of_answers(reader, question)
    built_blocks.clear()
    posted = _post(question, first, "Held again after an edit, a moment later.")
    fetch = answer_blocks.fetch_comments_of_blocks

    def fetch_without_it(*args):
        return {pk: comment for pk, comment in fetch(*args).items() if pk != posted.pk}

    monkeypatch.setattr(answer_blocks, "fetch_comments_of_blocks", fetch_without_it)

    _page_of_answers(reader, question)

    assert built_blocks == [[answer.pk]] and appended_blocks == []


def test_a_block_drawn_anew_takes_the_place_of_the_one_it_was_drawn_from(
    question, branching_thread
):
    answer, first, _, _ = branching_thread
    reader = make_user()

    def blocks_kept() -> int:
        return sum(":answer-block:" in key for key in caches["pages"]._cache)

    _page_of_answers(reader, question)
    kept_before = blocks_kept()

    for number in range(3):
        _post(question, first, f"Reply number {number} since.")
        _page_of_answers(reader, question)

    assert kept_before == 2, "the answer's block, and its comments' places and views"
    assert blocks_kept() == kept_before, "the blocks superseded are still kept"
