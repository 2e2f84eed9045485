from django.db import migrations
from django.db.models import Max


def fill_references(apps, schema_editor):
    """Number the published comments of each question 1, 2, 3 ... in the order they were posted.

    Pending, hidden and withdrawn comments get none: a comment takes its
    number when it is (next) published.
    """
    Comment = apps.get_model("consultations", "Comment")
    published = (
        Comment.objects.filter(status="published", reference_number__isnull=True)
        .only("pk", "question_id")
        .order_by("question_id", "created_at", "pk")
    )
    highest = {}
    batch = []
    for comment in published.iterator(chunk_size=500):
        if comment.question_id not in highest:
            taken = Comment.objects.filter(question_id=comment.question_id).aggregate(
                highest=Max("reference_number")
            )["highest"]
            highest[comment.question_id] = taken or 0
        highest[comment.question_id] += 1
        comment.reference_number = highest[comment.question_id]
        batch.append(comment)
        if len(batch) == 500:
            Comment.objects.bulk_update(batch, ["reference_number"])
            batch = []
    Comment.objects.bulk_update(batch, ["reference_number"])


def clear_references(apps, schema_editor):
    apps.get_model("consultations", "Comment").objects.update(reference_number=None)


class Migration(migrations.Migration):
    dependencies = [("consultations", "0012_comment_reference")]

    operations = [migrations.RunPython(fill_references, clear_references, elidable=True)]
