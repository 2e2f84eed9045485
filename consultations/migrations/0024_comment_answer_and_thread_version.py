"""Each reply names the answer it stands under, each answer keeps a version of its block,
and each consultation a version of its comments apart from the rest of its pages."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def name_each_replys_answer(apps, schema_editor):
    """Level by level down the threads: a reply's answer is its parent's answer, or its
    parent if that is an answer. One update per level of depth."""
    Comment = apps.get_model("consultations", "Comment")
    parents = Comment.objects.filter(thread_key=OuterRef("parent_id"))
    while True:
        unnamed = Comment.objects.filter(answer__isnull=True, parent__isnull=False)
        ready = unnamed.filter(parent__parent__isnull=True) | unnamed.filter(
            parent__answer__isnull=False
        )
        named = Comment.objects.filter(pk__in=list(ready.values_list("pk", flat=True))).update(
            answer_id=Subquery(parents.values(key=Coalesce("answer_id", "thread_key"))[:1])
        )
        if not named:
            return


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0023_comment_indexes_for_latest_answers_and_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="consultation",
            name="comments_version",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="comment",
            name="thread_version",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="comment",
            name="answer",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="consultations.comment",
                to_field="thread_key",
                verbose_name="answer",
            ),
        ),
        migrations.RunPython(name_each_replys_answer, migrations.RunPython.noop),
    ]
