"""A hand-built consultation whose synthesis counts are known in advance.

Published contributions (question, author's organisation type and country):

    recruitment  Q1  civil society  Senegal  en  themes: Fair recruitment, Data
    unions       Q1  trade union    Ghana    fr  themes: Fair recruitment
    data         Q2  Member State   Mexico   es  themes: Data
    reply        Q2  civil society  Senegal  en  not yet tagged
    research     Q1  academia       —        en  not yet tagged

Not counted: a hidden comment tagged with Fair recruitment before it was
hidden, a pending one and a withdrawn one. The theme "Pathways" has no tags.
"""

from dataclasses import dataclass

import pytest

from accounts.models import OrganisationType
from consultations.models import Comment, CommentStatus, Consultation
from synthesis.models import Theme
from tests.factories import (
    make_comment,
    make_consultation,
    make_question,
    make_tag,
    make_theme,
    make_user,
)

RECRUITMENT_TEXT = (
    "Recruitment fees push workers into debt before they even arrive.\n\n"
    "Ban them outright, and make the employer pay."
)


@dataclass
class Reading:
    consultation: Consultation
    recruitment: Comment
    unions: Comment
    data: Comment
    reply: Comment
    research: Comment
    hidden: Comment
    pending: Comment
    withdrawn: Comment
    fair_recruitment: Theme
    data_theme: Theme
    pathways: Theme


@pytest.fixture
def reading(db, secretariat):
    consultation = make_consultation(
        state="closed",
        slug="regional-review",
        title="Regional review",
        objectives_en="Safer pathways\nFair recruitment\nBetter data",
        objectives_fr="Des voies plus sûres\nUn recrutement équitable\nDe meilleures données",
    )
    first = make_question(consultation, number=1, title="What has changed?")
    second = make_question(consultation, number=2, title="What should change?")
    amina = make_user(
        display_name="Amina Diallo",
        organisation="Coastal Migrants Network",
        organisation_type=OrganisationType.CIVIL_SOCIETY,
        country="SN",
    )
    kwame = make_user(
        display_name="Kwame Mensah",
        organisation="Builders' Union",
        organisation_type=OrganisationType.TRADE_UNION,
        country="GH",
    )
    ministry = make_user(
        display_name="Elena Ruiz",
        organisation="Ministry of Labour",
        organisation_type=OrganisationType.MEMBER_STATE,
        country="MX",
    )
    scholar = make_user(
        display_name="Priya Nair",
        organisation="Institute for Mobility Studies",
        organisation_type=OrganisationType.ACADEMIA,
    )
    recruitment = make_comment(first, author=amina, body=RECRUITMENT_TEXT)
    unions = make_comment(
        first,
        author=kwame,
        language="fr",
        body="Les syndicats doivent pouvoir accompagner les travailleurs migrants.",
    )
    data = make_comment(
        second,
        author=ministry,
        language="es",
        body="Los datos comparables entre países siguen siendo escasos.",
    )
    reply = make_comment(
        second, author=amina, parent=data, body="Cities collect data that never reaches states."
    )
    research = make_comment(
        first, author=scholar, body="Our survey of 2,000 workers shows fees doubled since 2019."
    )
    hidden = make_comment(first, author=kwame, body="Off-topic words.")
    pending = make_comment(
        first, author=kwame, body="Words awaiting approval.", status=CommentStatus.PENDING
    )
    withdrawn = make_comment(
        second, author=ministry, body="Words taken back.", status=CommentStatus.WITHDRAWN
    )
    fair_recruitment = make_theme(
        consultation,
        title="Fair recruitment",
        title_fr="Recrutement équitable",
        title_es="Contratación equitativa",
        objective_numbers=[2],
    )
    data_theme = make_theme(consultation, title="Data", objective_numbers=[3])
    pathways = make_theme(consultation, title="Pathways")
    for comment, theme in [
        (recruitment, fair_recruitment),
        (recruitment, data_theme),
        (unions, fair_recruitment),
        (data, data_theme),
        (hidden, fair_recruitment),
    ]:
        make_tag(comment, theme, tagged_by=secretariat)
    Comment.objects.filter(pk=hidden.pk).update(status=CommentStatus.HIDDEN)
    hidden.refresh_from_db()
    return Reading(
        consultation=consultation,
        recruitment=recruitment,
        unions=unions,
        data=data,
        reply=reply,
        research=research,
        hidden=hidden,
        pending=pending,
        withdrawn=withdrawn,
        fair_recruitment=fair_recruitment,
        data_theme=data_theme,
        pathways=pathways,
    )


@pytest.fixture
def secretariat_client(secretariat, client_for):
    return client_for(secretariat)
