"""Who said it: participants and the organisations they speak for.

Organisations are not rows of their own: people type their organisation's
name at sign-up. Names are grouped by a folded key (folding.organisation_key:
"IOM" and "iom " meet), and the secretariat's merges (OrganisationMerge) join
two keys into one. The grouping is made in Python from one query over the
people who named an organisation, which stays fast for tens of thousands of
participants.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count

from accounts.models import OrganisationType
from search.folding import organisation_key
from search.models import OrganisationMerge
from search.query import readable_comments


def public_comments():
    """What anyone may read: published contributions of published consultations."""
    return readable_comments(AnonymousUser())


@dataclass
class Organisation:
    key: str
    spellings: Counter = field(default_factory=Counter)
    types: Counter = field(default_factory=Counter)
    member_ids: list[int] = field(default_factory=list)
    contribution_count: int = 0

    @property
    def name(self) -> str:
        """The spelling most of its members use (the first seen on a tie)."""
        return self.spellings.most_common(1)[0][0]

    @property
    def other_spellings(self) -> list[str]:
        return [spelling for spelling, _count in self.spellings.most_common()[1:]]

    @property
    def organisation_type(self) -> str:
        known = Counter({kind: n for kind, n in self.types.items() if kind})
        if not known:
            return ""
        return OrganisationType(known.most_common(1)[0][0]).label


def organisations(*, with_contribution_counts: bool = False) -> dict[str, Organisation]:
    """Every organisation named by someone, by key, merges applied."""
    aliases = OrganisationMerge.objects.aliases()
    people = (
        get_user_model()
        .objects.exclude(organisation="")
        .order_by("pk")
        .values_list("pk", "organisation", "organisation_type")
    )
    found: dict[str, Organisation] = {}
    for person_id, name, kind in people:
        key = organisation_key(name)
        if not key:
            continue
        key = aliases.get(key, key)
        organisation = found.setdefault(key, Organisation(key=key))
        organisation.spellings[name.strip()] += 1
        organisation.types[kind] += 1
        organisation.member_ids.append(person_id)
    if with_contribution_counts:
        counts = dict(
            public_comments()
            .order_by()
            .values("author")
            .annotate(count=Count("pk"))
            .values_list("author", "count")
        )
        for organisation in found.values():
            organisation.contribution_count = sum(
                counts.get(person_id, 0) for person_id in organisation.member_ids
            )
    return found


def resolve_organisation_key(key: str) -> str:
    """The key an organisation is found under now (a merged spelling leads to the kept one)."""
    return OrganisationMerge.objects.aliases().get(key, key)
