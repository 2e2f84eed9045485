"""The demo's background paper: stored once, checked like any upload, listed on its page."""

from consultations.demo import load_demo
from documents.models import BackgroundDocument


def test_the_open_demo_consultation_lists_a_background_paper(client, db):
    demo = load_demo()

    html = client.get(demo.open_consultation.get_absolute_url()).content.decode()

    assert "Background documents" in html
    assert "Background paper: fair recruitment, decent work and remittances" in html
    document = BackgroundDocument.objects.get()
    assert document.kind_code == "pdf"
    assert client.get(document.get_absolute_url()).status_code == 200


def test_loading_the_demo_twice_stores_the_paper_once(db):
    load_demo()
    stored_name = BackgroundDocument.objects.get().file.name

    second = load_demo()

    assert BackgroundDocument.objects.get().file.name == stored_name
    assert second.created == 0


def test_loading_the_demo_stores_a_removed_paper_again(db):
    load_demo()
    document = BackgroundDocument.objects.get()
    document.file.storage.delete(document.file.name)

    load_demo()

    document.refresh_from_db()
    assert document.file.storage.exists(document.file.name)


def test_the_paper_has_a_title_in_each_language(db):
    load_demo()

    document = BackgroundDocument.objects.get()
    assert document.title_en and document.title_fr and document.title_es
