"""What the archive tests share: a closed consultation with a comment in every state."""

from dataclasses import dataclass

from django.core.files.storage import default_storage

from consultations.models import CommentStatus, Consultation, ConsultationArchive
from consultations.services.archives import consultation_archive_write
from tests.factories import make_comment, make_consultation, make_question, make_user

PUBLISHED_TEXT = "Pre-departure orientation halved the number of broken contracts we saw."
HIDDEN_TEXT = "Call this recruiter on his private number, he will sort you out."
PENDING_TEXT = "Still waiting for a moderator: the Tuesday bus from the border."
WITHDRAWN_TEXT = "On second thoughts I would rather not say where we met."
REPLY_TEXT = "The same held for seasonal workers in our province."
SECRETS = (HIDDEN_TEXT, PENDING_TEXT, WITHDRAWN_TEXT)


@dataclass
class ClosedConsultation:
    consultation: Consultation
    published: object
    hidden: object


def closed_consultation_with_every_status(**fields) -> ClosedConsultation:
    consultation = make_consultation(
        state="closed",
        title="Fair recruitment: online consultation",
        title_fr="Recrutement équitable : consultation en ligne",
        title_es="Contratación equitativa: consulta en línea",
        **fields,
    )
    first = make_question(
        consultation,
        number=1,
        title="What protects workers before they leave?",
        title_fr="Qu'est-ce qui protège les travailleurs avant le départ ?",
        title_es="¿Qué protege a los trabajadores antes de partir?",
    )
    second = make_question(consultation, number=2, title="Which fees should employers pay?")
    author = make_user(display_name="Amina Diallo", organisation="Coastal Migrants Network")
    published = make_comment(first, author=author, body=PUBLISHED_TEXT)
    make_comment(first, parent=published, body=REPLY_TEXT)
    hidden = make_comment(
        first, body=HIDDEN_TEXT, status=CommentStatus.HIDDEN, moderation_reason="Personal data"
    )
    make_comment(second, body=PENDING_TEXT, status=CommentStatus.PENDING)
    make_comment(second, body=WITHDRAWN_TEXT, status=CommentStatus.WITHDRAWN)
    return ClosedConsultation(consultation=consultation, published=published, hidden=hidden)


def write_archive(consultation) -> ConsultationArchive:
    return consultation_archive_write(consultation_id=consultation.pk)


def archive_file(archive: ConsultationArchive, path: str) -> bytes:
    with default_storage.open(f"{archive.folder}/{path}", "rb") as file:
        return file.read()


def overwrite(archive: ConsultationArchive, path: str, content: bytes) -> None:
    name = f"{archive.folder}/{path}"
    default_storage.delete(name)
    with default_storage.open(name, "wb") as file:
        file.write(content)
