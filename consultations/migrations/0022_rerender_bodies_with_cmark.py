from django.db import migrations
from django.db.models import F

BATCH_SIZE = 500


def rerender_bodies(apps, schema_editor):
    # Markdown is now rendered by cmark-gfm: bare email addresses become links,
    # headings, code and images keep their words, deep nesting keeps its text.
    # Stored HTML is made again from the stored source, with the renderer as it
    # is now, not a frozen copy: the source is what the author wrote, the HTML
    # only what the site shows of it. The comment's plain text follows its
    # HTML (save() keeps them together; bulk_update does not call it). Edit
    # times are left alone: nobody edited anything. bulk_update sends no
    # signal either, so the consultations' display version is moved on here:
    # pages kept in the cache showed the old HTML.
    from consultations.sanitize import plain_text, render_markdown

    Consultation = apps.get_model("consultations", "Consultation")
    Comment = apps.get_model("consultations", "Comment")
    Revision = apps.get_model("consultations", "Revision")
    CommentTranslation = apps.get_model("consultations", "CommentTranslation")

    def rerender(model, *, with_text=False):
        # Batches by primary key, each read whole before it is written: no
        # cursor stays open over rows being updated, whatever the database.
        fields = ["body_html", "body_text"] if with_text else ["body_html"]
        last_pk, changes = 0, 0
        while True:
            batch = list(
                model.objects.filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "body_source", *fields)[:BATCH_SIZE]
            )
            if not batch:
                return changes
            last_pk = batch[-1].pk
            changed = []
            for row in batch:
                html = render_markdown(row.body_source)
                text = plain_text(html) if with_text else None
                if html != row.body_html or (with_text and text != row.body_text):
                    row.body_html = html
                    if with_text:
                        row.body_text = text
                    changed.append(row)
            model.objects.bulk_update(changed, fields)
            changes += len(changed)

    changes = rerender(Comment, with_text=True)
    changes += rerender(Revision)
    changes += rerender(CommentTranslation)
    if changes:
        Consultation.objects.update(display_version=F("display_version") + 1)


class Migration(migrations.Migration):
    dependencies = [("consultations", "0021_consultation_display_version")]

    operations = [migrations.RunPython(rerender_bodies, migrations.RunPython.noop, elidable=True)]
