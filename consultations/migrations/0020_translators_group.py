from django.contrib.auth.management import create_permissions
from django.db import migrations

TRANSLATORS = "Translators"
SECRETARIAT = "Secretariat"
TRANSLATE = "translate_contributions"


def create_translators_group(apps, schema_editor):
    # The permission is normally created after all migrations; create it now so
    # the groups can hold it on a brand-new database.
    app_config = apps.get_app_config("consultations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="consultations", codename=TRANSLATE)
    translators, _ = Group.objects.get_or_create(name=TRANSLATORS)
    translators.permissions.add(permission)
    secretariat = Group.objects.filter(name=SECRETARIAT).first()
    if secretariat is not None:
        secretariat.permissions.add(permission)


def remove_translators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=TRANSLATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0019_comment_translations"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_translators_group, remove_translators_group)]
