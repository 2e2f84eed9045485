"""Organisation pages: spellings that meet, the secretariat's merges, who may merge."""

import pytest

from search.directory import organisations
from search.models import OrganisationMerge
from search.services import MergeRefused, organisation_merge
from tests.factories import make_comment, make_secretariat_member, make_user


@pytest.fixture
def iom_people(question):
    first = make_user(organisation="IOM", organisation_type="intergovernmental")
    second = make_user(organisation="iom ", organisation_type="intergovernmental")
    third = make_user(organisation="International Organization for Migration")
    for person in (first, second, third):
        make_comment(question, author=person, body=f"Written by {person.display_name}.")
    return first, second, third


def test_spellings_that_differ_in_case_and_spaces_share_one_page(client, iom_people):
    first, second, _third = iom_people

    response = client.get("/en/organisations/iom/")

    assert response.status_code == 200
    authors = {comment.author_id for comment in response.context["page"]}
    assert authors == {first.pk, second.pk}
    assert "Other intergovernmental organisation" in response.content.decode()


def test_the_organisation_list_counts_published_contributions(client, iom_people):
    response = client.get("/en/organisations/")

    counts = {org.key: org.contribution_count for org in response.context["organisations"]}
    assert counts["iom"] == 2
    assert counts["international-organization-for-migration"] == 1


def test_the_secretariat_merges_two_spellings_and_the_merge_is_recorded(client, iom_people):
    secretariat = make_secretariat_member()
    client.force_login(secretariat)

    response = client.post(
        "/en/organisation-merges/",
        {"from_key": "international-organization-for-migration", "into_key": "iom"},
    )

    assert response.status_code == 302
    merge = OrganisationMerge.objects.get()
    assert (merge.from_name, merge.into_name, merge.merged_by) == (
        "International Organization for Migration",
        "IOM",
        secretariat,
    )
    assert len(client.get("/en/organisations/iom/").context["page"]) == 3
    assert (
        client.get("/en/organisations/international-organization-for-migration/").headers[
            "Location"
        ]
        == "/en/organisations/iom/"
    )


def test_a_merged_spelling_cannot_be_merged_again(iom_people):
    secretariat = make_secretariat_member()
    organisation_merge(
        actor=secretariat, from_key="international-organization-for-migration", into_key="iom"
    )

    with pytest.raises(MergeRefused):
        organisation_merge(
            actor=secretariat, from_key="international-organization-for-migration", into_key="iom"
        )


def test_an_organisation_cannot_be_merged_into_itself(iom_people):
    with pytest.raises(MergeRefused):
        organisation_merge(actor=make_secretariat_member(), from_key="iom", into_key="iom")


def test_merges_of_merges_lead_to_the_last_name(iom_people):
    secretariat = make_secretariat_member()
    make_user(organisation="OIM")
    organisation_merge(actor=secretariat, from_key="oim", into_key="iom")
    organisation_merge(
        actor=secretariat, from_key="iom", into_key="international-organization-for-migration"
    )

    found = organisations()

    assert set(found) >= {"international-organization-for-migration"}
    assert "oim" not in found and "iom" not in found
    assert len(found["international-organization-for-migration"].member_ids) == 4


def test_merges_are_kept_as_they_were_made(iom_people):
    merge = organisation_merge(
        actor=make_secretariat_member(),
        from_key="international-organization-for-migration",
        into_key="iom",
    )

    with pytest.raises(TypeError):
        merge.save()
    with pytest.raises(TypeError):
        OrganisationMerge.objects.all().delete()


@pytest.mark.parametrize("who", ["stakeholder", "moderator"])
def test_only_the_secretariat_may_merge(client, iom_people, who, request):
    client.force_login(request.getfixturevalue(who))

    response = client.post("/en/organisation-merges/", {"from_key": "iom", "into_key": "x"})

    assert response.status_code == 403
    assert not OrganisationMerge.objects.exists()


def test_an_unknown_organisation_is_not_found(client, db):
    assert client.get("/en/organisations/no-such-organisation/").status_code == 404


def test_a_merge_of_an_unknown_spelling_is_explained(client, iom_people):
    client.force_login(make_secretariat_member())

    response = client.post("/en/organisation-merges/", {"from_key": "nope", "into_key": "iom"})

    assert response.status_code == 200
    assert response.context["form"].errors["from_key"]
