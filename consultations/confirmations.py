"""Messages shown inside the comment they are about ("Thank you. Your comment is
published."), where the page opens after a redirect to it, rather than in the list
at the top of the page."""

from django.contrib import messages

CONFIRMATION_TAG_PREFIX = "comment-"


def _confirmation_tag(comment_id) -> str:
    return f"{CONFIRMATION_TAG_PREFIX}{comment_id}"


def confirmation_comment_id(message) -> int | None:
    """The id of the comment a message is to be shown beside (by `say_beside`), if any."""
    tag = message.extra_tags or ""
    number = tag.removeprefix(CONFIRMATION_TAG_PREFIX)
    return int(number) if number != tag and number.isdigit() else None


def say_beside(request, comment, level, text) -> None:
    """A message shown inside `comment`, where the page opens after the redirect to it.

    Where the comment is not on the page that follows, the message stays in
    the list at the top, like any other.
    """
    messages.add_message(request, level, text, extra_tags=_confirmation_tag(comment.pk))


def confirmations_beside(request, comments) -> dict:
    """The messages said about `comments` (by `say_beside`), keyed by comment id."""
    shown = {_confirmation_tag(comment.pk): comment.pk for comment in comments}
    return {
        shown[message.extra_tags]: message
        for message in messages.get_messages(request)
        if message.extra_tags in shown
    }
