"""Hostile or broken requests get a clear, translated 400, 413 or 429, never a 500.

Each test first stores a comment and checks afterwards that it is untouched.
"""

import pytest
from django.urls import reverse

from accounts.models import User
from consultations.models import Comment
from tests.accounts.test_signup import signup_data
from tests.factories import make_comment, make_user

NUL = "\x00"


@pytest.fixture
def stored_comment(question):
    comment = make_comment(question, body="Remittances should reach families at no cost.")
    yield comment
    assert Comment.objects.count() == 1
    kept = Comment.objects.get()
    assert (kept.pk, kept.body_source, kept.status) == (
        comment.pk,
        comment.body_source,
        "published",
    )


@pytest.mark.django_db
def test_a_three_megabyte_form_post_is_too_large_in_the_readers_language(
    stakeholder_client, question, stored_comment
):
    url = question.get_absolute_url().replace("/en/", "/fr/")

    response = stakeholder_client.post(url, {"body": "x" * 3_000_000, "language": "fr"})

    assert response.status_code == 413
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "What you sent is too large" not in page  # it is in French


@pytest.mark.django_db
def test_a_nul_byte_in_a_comment_is_refused_beside_the_text(
    stakeholder_client, question, stored_comment
):
    response = stakeholder_client.post(
        question.get_absolute_url(), {"body": f"Fees{NUL} hurt workers.", "language": "en"}
    )

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert "Fees" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["email", "display_name", "organisation", "password1"])
def test_a_nul_byte_in_a_signup_field_is_refused_and_stores_no_account(
    client, field, stored_comment
):
    users_before = User.objects.count()

    response = client.post(reverse("account_signup"), signup_data(**{field: f"Amina{NUL}x"}))

    assert response.status_code == 200
    assert User.objects.count() == users_before


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["login", "password"])
def test_a_nul_byte_in_the_login_form_is_refused(client, field, stored_comment):
    data = {"login": "amina@example.org", "password": "a-long-test-password"}
    data[field] += NUL

    response = client.post(reverse("account_login"), data)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_nul_byte_in_a_report_is_refused(stakeholder_client, stored_comment):
    url = reverse("consultations:comment_report", kwargs={"comment_id": stored_comment.pk})

    response = stakeholder_client.post(url, {"reason": "spam", "details": f"Spam{NUL}"})

    assert response.status_code == 200
    assert not stored_comment.reports.exists()


@pytest.mark.django_db
def test_a_nul_byte_in_the_password_reset_form_is_refused(client, stored_comment):
    response = client.post(reverse("account_reset_password"), {"email": f"a{NUL}@example.org"})

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "/en/?language=%00",
        "/en/accounts/login/?next=/en/%00",
        "/en/secretariat/log/?consultation=%00",
        "/en/consultations/a%00b/",
    ],
)
def test_a_nul_byte_in_an_address_gets_the_400_page(client_for, address, stored_comment):
    client = client_for(make_user(is_superuser=True))

    response = client.get(address)

    assert response.status_code == 400


@pytest.mark.django_db
def test_a_nul_byte_in_a_cookie_gets_the_400_page(client, question, stored_comment):
    client.cookies["sessionid"] = "abcdefgh\x00ijk"

    response = client.get(question.get_absolute_url())

    assert response.status_code == 400


@pytest.mark.django_db
def test_a_forged_host_header_gets_the_translated_400_page(client, question, stored_comment):
    response = client.get(
        question.get_absolute_url().replace("/en/", "/es/"), HTTP_HOST="attacker.example"
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert "This request could not be understood" not in page  # it is in Spanish


@pytest.mark.django_db
def test_a_post_with_thousands_of_fields_gets_the_400_page(
    stakeholder_client, question, stored_comment
):
    fields = {f"field{number}": "x" for number in range(1500)}

    response = stakeholder_client.post(
        question.get_absolute_url(), {"body": "Too many fields", "language": "en", **fields}
    )

    assert response.status_code == 400


@pytest.mark.django_db
def test_a_mangled_form_token_still_posts_the_comment(stakeholder_client, question):
    response = stakeholder_client.post(
        question.get_absolute_url(),
        {"body": "A token someone edited.", "language": "en", "submission_token": "not-a-uuid"},
    )

    assert response.status_code == 302
    assert Comment.objects.get().submission_token is None


@pytest.mark.django_db
def test_the_same_form_sent_ten_times_stores_one_comment_and_shows_it(stakeholder_client, question):
    form = stakeholder_client.get(question.get_absolute_url()).context["form"]
    token = str(form.initial["submission_token"])
    data = {"body": "Sent with a double click.", "language": "en", "submission_token": token}

    responses = [stakeholder_client.post(question.get_absolute_url(), data) for _ in range(10)]

    comment = Comment.objects.get()
    assert {response.status_code for response in responses} == {302}
    assert {response["Location"] for response in responses} == {comment.get_absolute_url()}


@pytest.mark.django_db
def test_a_form_brought_back_and_written_again_posts_the_new_text(stakeholder_client, question):
    form = stakeholder_client.get(question.get_absolute_url()).context["form"]
    token = str(form.initial["submission_token"])
    url = question.get_absolute_url()
    stakeholder_client.post(url, {"body": "First.", "language": "en", "submission_token": token})

    response = stakeholder_client.post(
        url, {"body": "Second, written later.", "language": "en", "submission_token": token}
    )

    assert response.status_code == 302
    assert [comment.body_source for comment in Comment.objects.all()] == [
        "First.",
        "Second, written later.",
    ]
