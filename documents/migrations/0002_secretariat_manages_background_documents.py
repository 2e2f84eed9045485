from django.contrib.auth.management import create_permissions
from django.db import migrations

SECRETARIAT = "Secretariat"
MODERATORS = "Moderators"

ROLE_PERMISSIONS = {
    SECRETARIAT: [
        "add_backgrounddocument",
        "change_backgrounddocument",
        "delete_backgrounddocument",
        "view_backgrounddocument",
        "view_commentattachment",
    ],
    MODERATORS: ["view_commentattachment"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now
    # so the groups (made by consultations 0002) can hold them.
    app_config = apps.get_app_config("documents")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="documents", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="documents")
    for group in Group.objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_background_documents_and_comment_attachments"),
        ("consultations", "0002_roles_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
