"""Each answer keeps a second version of its block, moved on by every change but a new
comment: a block kept before only new comments came is built again from them alone."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0025_comment_reply_under_answer_of_same_question"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="thread_edit_version",
            field=models.PositiveBigIntegerField(default=0, db_default=0, editable=False),
        ),
    ]
