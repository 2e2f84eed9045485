import pytest

from consultations.services.comments import comment_post


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """`post(author, question, body, parent=None)`: post through the service and run
    what it sends after the commit (the immediate task backend runs the tasks)."""

    def posting(author, question, body, *, parent=None, language="en"):
        with django_capture_on_commit_callbacks(execute=True):
            return comment_post(
                author=author, question=question, body=body, language=language, parent=parent
            )

    return posting


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)
