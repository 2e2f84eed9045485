from django.db import migrations

BATCH_SIZE = 500


def recompute_body_text(apps, schema_editor):
    # The plain text now keeps link addresses and list numbers. Made by the
    # current plain_text, not a frozen copy: it reads only the stored HTML.
    from consultations.sanitize import plain_text

    Comment = apps.get_model("consultations", "Comment")
    batch = []
    for comment in Comment.objects.only("pk", "body_html", "body_text").iterator(
        chunk_size=BATCH_SIZE
    ):
        text = plain_text(comment.body_html)
        if text != comment.body_text:
            comment.body_text = text
            batch.append(comment)
        if len(batch) == BATCH_SIZE:
            Comment.objects.bulk_update(batch, ["body_text"])
            batch = []
    Comment.objects.bulk_update(batch, ["body_text"])


class Migration(migrations.Migration):
    dependencies = [("consultations", "0015_consultation_archive")]

    operations = [
        migrations.RunPython(recompute_body_text, migrations.RunPython.noop, elidable=True)
    ]
