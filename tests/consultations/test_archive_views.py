"""The sealed record on the consultation's page, and its download: the public record."""

import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.time_zones import moment_in_words
from consultations.models import Consultation
from tests.consultations.archiving import closed_consultation_with_every_status, write_archive
from tests.factories import make_consultation, make_secretariat_member


@pytest.fixture
def archive(db):
    return write_archive(closed_consultation_with_every_status().consultation)


def _download(client, archive, language="en"):
    return client.get(f"/{language}/consultations/{archive.consultation.slug}/archive/v1.zip")


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_a_closed_consultations_page_shows_the_digest_and_the_download(archive):
    page = Client().get(archive.consultation.get_absolute_url()).content.decode()

    assert "Sealed record" in page
    assert archive.digest in page
    assert f'href="/en/consultations/{archive.consultation.slug}/archive/v1.zip"' in page


def test_the_sealed_record_says_when_it_was_written_with_the_time_zone(archive):
    page = Client().get(archive.consultation.get_absolute_url()).content.decode()

    assert f"(version 1, {moment_in_words(archive.created_at)})" in page
    assert "UTC" in moment_in_words(archive.created_at)


def test_the_page_shows_no_sealed_record_before_it_is_written(db):
    consultation = closed_consultation_with_every_status().consultation

    page = Client().get(consultation.get_absolute_url()).content.decode()

    assert "Sealed record" not in page


def test_once_extended_the_page_shows_no_sealed_record_until_the_next_close(archive):
    consultation = archive.consultation
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() + timedelta(days=3)
    )

    page = Client().get(consultation.get_absolute_url()).content.decode()

    assert archive.digest not in page


def test_after_a_second_close_the_page_lists_the_earlier_version_too(archive):
    consultation = archive.consultation
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now())
    second = write_archive(Consultation.objects.get(pk=consultation.pk))

    page = Client().get(consultation.get_absolute_url()).content.decode()

    assert second.version == 2
    assert page.index(second.digest) < page.index(archive.digest)
    assert "Earlier versions, written at earlier closes" in page


def test_anyone_may_download_the_archive_as_a_zip_of_its_folder(archive):
    response = _download(Client(), archive)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{archive.consultation.slug}-archive-v1.zip"'
    )
    bundle = _zip(response)
    top = f"{archive.consultation.slug}-archive-v1"
    assert f"{top}/fr/questions/1.html" in bundle.namelist()
    manifest = bundle.read(f"{top}/manifest.json")
    assert hashlib.sha256(manifest).hexdigest() == archive.digest
    assert bundle.testzip() is None


def test_a_logged_in_stakeholder_downloads_the_same_archive(archive, stakeholder_client):
    response = _download(stakeholder_client, archive, language="fr")

    assert response.status_code == 200
    assert len(_zip(response).namelist()) == 16


def test_an_unpublished_consultations_archive_is_for_the_secretariat_only(archive, client_for):
    Consultation.objects.filter(pk=archive.consultation.pk).update(is_published=False)

    assert _download(Client(), archive).status_code == 404
    assert _download(client_for(make_secretariat_member()), archive).status_code == 200


def test_a_version_or_consultation_without_an_archive_is_not_found(archive):
    slug = archive.consultation.slug
    other = make_consultation(state="closed")

    assert Client().get(f"/en/consultations/{slug}/archive/v2.zip").status_code == 404
    assert Client().get(f"/en/consultations/{other.slug}/archive/v1.zip").status_code == 404
    assert Client().get("/en/consultations/nowhere/archive/v1.zip").status_code == 404


def test_the_download_only_answers_get(archive):
    response = Client().post(f"/en/consultations/{archive.consultation.slug}/archive/v1.zip")

    assert response.status_code == 405


@pytest.mark.parametrize(
    ("language", "heading", "link"),
    [
        ("fr", "Archive scellée", "Télécharger l’archive (ZIP,"),
        ("es", "Archivo sellado", "Descargar el archivo (ZIP,"),
    ],
)
def test_the_sealed_record_reads_in_the_pages_language(archive, language, heading, link):
    slug = archive.consultation.slug

    page = Client().get(f"/{language}/consultations/{slug}/").content.decode()

    assert f'<h2 id="sealed-record-heading">{heading}</h2>' in page
    assert link in page
    assert f'href="/{language}/consultations/{slug}/archive/v1.zip"' in page
