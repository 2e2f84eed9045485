"""The secretariat's background documents in the admin: checked by content like any upload."""

from django.contrib.auth.models import Group

from documents.forms import BackgroundDocumentForm
from documents.models import BackgroundDocument
from tests.documents import samples


def form_for(consultation, file):
    return BackgroundDocumentForm(
        data={"title": "Background paper", "position": 0},
        files={"file": file},
        instance=BackgroundDocument(consultation=consultation),
    )


def test_a_background_document_takes_its_type_and_size_from_the_checked_content(consultation):
    form = form_for(consultation, samples.pdf("Background paper.pdf"))

    assert form.is_valid(), form.errors
    document = form.save()
    assert (document.kind_code, document.content_type, document.size) == (
        "pdf",
        "application/pdf",
        len(samples.MINIMAL_PDF),
    )
    assert document.file.name.startswith("background/")
    assert document.original_name == "Background paper.pdf"


def test_a_renamed_executable_is_refused_as_a_background_document(consultation):
    form = form_for(consultation, samples.upload("paper.pdf", samples.WINDOWS_EXECUTABLE))

    assert not form.is_valid()
    assert "“paper.pdf”" in form.errors["file"][0]


def test_the_secretariat_group_may_manage_background_documents(db):
    codenames = set(
        Group.objects.get(name="Secretariat").permissions.values_list("codename", flat=True)
    )

    assert {"add_backgrounddocument", "change_backgrounddocument"} <= codenames


def test_the_consultation_admin_page_offers_background_documents(client_for, secretariat):
    from tests.factories import make_consultation

    secretariat.is_staff = True
    secretariat.save()
    consultation = make_consultation()

    response = client_for(secretariat).get(
        f"/en/admin/consultations/consultation/{consultation.pk}/change/"
    )

    assert response.status_code == 200
    assert "background_documents-TOTAL_FORMS" in response.content.decode()


def test_the_admin_links_a_stored_document_to_its_download_not_to_media(consultation):
    first = form_for(consultation, samples.pdf("Background paper.pdf"))
    assert first.is_valid(), first.errors
    document = first.save()

    html = str(BackgroundDocumentForm(instance=document)["file"])

    assert f'href="{document.get_absolute_url()}"' in html
    assert "/media/" not in html
    assert "Background paper.pdf" in html
