"""The benchmark's data: realistic threads, written straight to the database.

Everything is drawn from one seeded `random.Random`, so two runs build the
same database. Text comes from small vocabularies of our own in English,
French and Spanish, with the Markdown people actually use (emphasis, links,
lists, quotes); bodies are 300 to 1,200 characters. Rows are written with
`bulk_create` and their stored fields filled directly (the HTML rendered
once per distinct body), so 100,000 comments take a minute, not an hour.
"""

import random
import uuid
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import OrganisationType, User
from consultations.models import Comment, CommentStatus, Consultation, Question
from consultations.sanitize import plain_text, render_markdown

VOCABULARY = {
    "en": (
        "people arriving by sea need a fair hearing within weeks not years and the "
        "rules on family reunion should be written so that a child can follow them "
        "our network sees every month how work permits tied to one employer leave "
        "workers without recourse when wages go unpaid the reception centres are full "
        "and the waiting lists for language classes grow longer each season local "
        "councils ask for funding that follows the people they actually house "
        "regular pathways reduce dangerous crossings and the smugglers' trade"
    ).split(),
    "fr": (
        "les personnes qui arrivent par la mer ont droit à un examen équitable en "
        "quelques semaines et non en plusieurs années les règles du regroupement "
        "familial devraient être écrites pour qu'un enfant puisse les suivre notre "
        "réseau constate chaque mois que les titres de séjour liés à un seul employeur "
        "laissent les travailleurs sans recours lorsque les salaires ne sont pas versés "
        "les centres d'accueil sont pleins et les listes d'attente pour les cours de "
        "langue s'allongent les communes demandent des moyens qui suivent les "
        "personnes qu'elles hébergent réellement les voies légales réduisent les "
        "traversées dangereuses"
    ).split(),
    "es": (
        "las personas que llegan por mar merecen una audiencia justa en semanas y no "
        "en años las normas de reagrupación familiar deberían redactarse para que "
        "un niño pueda seguirlas nuestra red comprueba cada mes que los permisos de "
        "trabajo ligados a un solo empleador dejan a los trabajadores sin recurso "
        "cuando no se pagan los salarios los centros de acogida están llenos y las "
        "listas de espera para las clases de idioma crecen cada temporada los "
        "ayuntamientos piden fondos que acompañen a las personas que de verdad "
        "alojan las vías regulares reducen las travesías peligrosas"
    ).split(),
}
LANGUAGE_WEIGHTS = {"en": 5, "fr": 3, "es": 2}
# Of every 100 comments: 96 published, 2 hidden by a moderator, 1 withdrawn,
# 1 awaiting approval.
STATUS_WEIGHTS = {
    CommentStatus.PUBLISHED: 96,
    CommentStatus.HIDDEN: 2,
    CommentStatus.WITHDRAWN: 1,
    CommentStatus.PENDING: 1,
}
TOP_LEVEL_SHARE = 0.3
BENCH_PASSWORD = "a-benchmark-password"


def _sentence(rng: random.Random, words: list[str]) -> str:
    chosen = rng.choices(words, k=rng.randint(6, 18))
    decoration = rng.random()
    if decoration < 0.15:
        position = rng.randrange(len(chosen))
        chosen[position] = f"*{chosen[position]}*"
    elif decoration < 0.22:
        position = rng.randrange(len(chosen))
        chosen[position] = f"**{chosen[position]}**"
    elif decoration < 0.27:
        position = rng.randrange(len(chosen))
        chosen[position] = f"[{chosen[position]}](https://example.org/{chosen[position]})"
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def comment_body(rng: random.Random, language: str) -> str:
    """A Markdown body of 300 to 1,200 characters in `language`."""
    words = VOCABULARY[language]
    target = rng.randint(300, 1200)
    paragraphs = []
    length = 0
    while length < target:
        shape = rng.random()
        if shape < 0.1:
            block = "\n".join(f"- {_sentence(rng, words)}" for _ in range(rng.randint(2, 4)))
        elif shape < 0.18:
            block = f"> {_sentence(rng, words)}"
        else:
            block = " ".join(_sentence(rng, words) for _ in range(rng.randint(1, 4)))
        paragraphs.append(block)
        length += len(block) + 2
    return "\n\n".join(paragraphs)[:1200].rstrip()


class BodyPool:
    """Distinct bodies, each rendered once, handed out in a seeded order."""

    def __init__(self, rng: random.Random, size: int):
        languages = list(LANGUAGE_WEIGHTS)
        weights = list(LANGUAGE_WEIGHTS.values())
        self.rng = rng
        self.bodies = []
        for _ in range(size):
            language = rng.choices(languages, weights)[0]
            source = comment_body(rng, language)
            html = render_markdown(source)
            self.bodies.append((language, source, html, plain_text(html)))

    def draw(self):
        return self.rng.choice(self.bodies)


def make_accounts(count: int, *, prefix: str, batch_size: int = 5000) -> list[User]:
    """`count` verified accounts, written in batches (one password hash for all)."""
    password = make_password(BENCH_PASSWORD)
    types = list(OrganisationType.values)
    created = []
    for start in range(0, count, batch_size):
        users = [
            User(
                email=f"{prefix}{number}@example.org",
                password=password,
                display_name=f"{prefix.title()} {number}",
                organisation=f"Organisation {number % 700}",
                organisation_type=types[number % len(types)],
            )
            for number in range(start, min(count, start + batch_size))
        ]
        users = User.objects.bulk_create(users)
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users
        )
        created.extend(users)
    return created


def make_open_consultation(slug: str, title: str, question_count: int) -> Consultation:
    now = timezone.now()
    consultation = Consultation.objects.create(
        slug=slug,
        title=title,
        summary="Reception, family reunion and work permits: what should change.",
        is_published=True,
        opens_at=now - timedelta(days=14),
        closes_at=now + timedelta(days=30),
    )
    Question.objects.bulk_create(
        Question(
            consultation=consultation,
            number=number,
            title=f"Question {number}: what would make the procedure fairer?",
            body="Tell us what you have seen work, and what has not.",
        )
        for number in range(1, question_count + 1)
    )
    return consultation


def build_thread(rng: random.Random, question: Question, size: int, authors, pool: BodyPool):
    """`size` comments on `question`: 30% answers, the rest replies to a random
    earlier comment, never deeper than the site indents."""
    max_depth = settings.ROUNDTABLE_THREAD_MAX_INDENT
    statuses = list(STATUS_WEIGHTS)
    status_weights = list(STATUS_WEIGHTS.values())
    started = timezone.now() - timedelta(days=10)
    keys, depths, parents, answers, comments = [], [], [], [], []
    for index in range(size):
        key = f"{question.pk}:{uuid.UUID(int=rng.getrandbits(128)).hex}"
        parent = None
        if index and rng.random() >= TOP_LEVEL_SHARE:
            parent = rng.randrange(index)
            while depths[parent] >= max_depth:
                parent = parents[parent]
        language, source, html, text = pool.draw()
        status = rng.choices(statuses, status_weights)[0]
        comments.append(
            Comment(
                question=question,
                thread_key=key,
                parent_id=keys[parent] if parent is not None else None,
                answer_id=answers[parent] if parent is not None else None,
                author=rng.choice(authors),
                body_source=source,
                body_html=html,
                body_text=text,
                language=language,
                status=status,
                moderation_reason="Personal details of a third party."
                if status == CommentStatus.HIDDEN
                else "",
                created_at=started + timedelta(seconds=index * 30),
            )
        )
        keys.append(key)
        depths.append(0 if parent is None else depths[parent] + 1)
        parents.append(parent)
        answers.append(key if parent is None else answers[parent])
    # Parents come before their replies, so batches in this order satisfy the
    # foreign key as they go.
    Comment.objects.bulk_create(comments, batch_size=2000)
    return max(depths) if depths else 0
