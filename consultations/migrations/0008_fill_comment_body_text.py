from django.db import migrations


def fill_body_text(apps, schema_editor):
    # The cleaner as it is now, not a frozen copy: plain text of stored HTML
    # does not depend on the allowlist, only on the tags being dropped.
    from consultations.sanitize import plain_text

    Comment = apps.get_model("consultations", "Comment")
    batch = []
    for comment in Comment.objects.only("pk", "body_html").iterator(chunk_size=500):
        comment.body_text = plain_text(comment.body_html)
        batch.append(comment)
        if len(batch) == 500:
            Comment.objects.bulk_update(batch, ["body_text"])
            batch = []
    Comment.objects.bulk_update(batch, ["body_text"])


class Migration(migrations.Migration):
    dependencies = [("consultations", "0007_comment_body_text")]

    operations = [migrations.RunPython(fill_body_text, migrations.RunPython.noop, elidable=True)]
