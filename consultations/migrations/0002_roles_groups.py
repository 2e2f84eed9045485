from django.contrib.auth.management import create_permissions
from django.db import migrations

SECRETARIAT = "Secretariat"
MODERATORS = "Moderators"

ROLE_PERMISSIONS = {
    SECRETARIAT: [
        "manage_consultations",
        "moderate_every_consultation",
        "export_contributions",
        "view_statistics",
        "add_consultation",
        "change_consultation",
        "view_consultation",
        "add_question",
        "change_question",
        "view_question",
        "view_comment",
        "view_report",
        "view_moderationentry",
    ],
    MODERATORS: ["moderate_every_consultation", "view_comment", "view_report"],
}


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now
    # so the groups can hold them on a brand-new database.
    app_config = apps.get_app_config("consultations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="consultations", codename__in=codenames
            )
        )


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial_consultations_questions_comments"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
