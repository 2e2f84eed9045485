from django.db import migrations

BATCH_SIZE = 500


def rerender_bodies(apps, schema_editor):
    # Markdown is now rendered by cmark-gfm: bare email addresses become links,
    # headings, code and images keep their words, deep nesting keeps its text.
    # Stored HTML is made again from the stored source, with the renderer as it
    # is now, not a frozen copy: the source is what the author wrote, the HTML
    # only what the site shows of it. The comment's plain text follows its
    # HTML (save() keeps them together; bulk_update does not call it). Edit
    # times are left alone: nobody edited anything.
    from consultations.sanitize import plain_text, render_markdown

    Comment = apps.get_model("consultations", "Comment")
    Revision = apps.get_model("consultations", "Revision")
    CommentTranslation = apps.get_model("consultations", "CommentTranslation")

    def rerender(model, *, with_text=False):
        # Batches by primary key, each read whole before it is written: no
        # cursor stays open over rows being updated, whatever the database.
        fields = ["body_html", "body_text"] if with_text else ["body_html"]
        last_pk = 0
        while True:
            batch = list(
                model.objects.filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "body_source", *fields)[:BATCH_SIZE]
            )
            if not batch:
                return
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

    rerender(Comment, with_text=True)
    rerender(Revision)
    rerender(CommentTranslation)


class Migration(migrations.Migration):
    dependencies = [("consultations", "0020_translators_group")]

    operations = [migrations.RunPython(rerender_bodies, migrations.RunPython.noop, elidable=True)]
