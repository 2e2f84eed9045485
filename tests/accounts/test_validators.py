"""Names shown beside everything a person posts refuse characters that disguise them."""

import pytest
from django.core.exceptions import ValidationError

from accounts.forms import ProfileForm
from accounts.models import User
from accounts.validators import refuse_control_characters
from tests.accounts.test_signup import sign_up
from tests.factories import make_user


@pytest.mark.parametrize(
    "name",
    [
        "Amina \u202eDiallo",  # right-to-left override
        "Ministry\u2066 of Labour\u2069",  # isolates
        "Tomás\u200fRuiz",  # right-to-left mark
        "Coastal\x07 Network",  # a control character
        "Zero\u200bwidth",  # an invisible space
    ],
)
def test_bidirectional_and_invisible_characters_are_refused(name):
    with pytest.raises(ValidationError):
        refuse_control_characters(name)


@pytest.mark.parametrize(
    "name", ["Amina Diallo", "Tomás Ruiz-Peña", "می\u200cخواهم", "مرکز مهاجرت", "Nguyễn Thị Mai"]
)
def test_names_in_every_script_are_accepted(name):
    refuse_control_characters(name)


@pytest.mark.django_db
def test_signup_refuses_a_display_name_with_an_override(client):
    response = sign_up(client, display_name="Amina \u202eDiallo")

    assert response.status_code == 200
    assert "hidden character (U+202E)" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_profile_refuses_an_organisation_with_an_override():
    user = make_user()
    form = ProfileForm(
        {
            "display_name": user.display_name,
            "organisation": "Ministry \u202eof Labour",
            "organisation_type": user.organisation_type,
            "country": "",
            "preferred_language": "en",
        },
        instance=user,
    )

    assert not form.is_valid()
    assert "organisation" in form.errors
