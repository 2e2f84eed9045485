from django.db import migrations


def name_the_site(apps, schema_editor):
    # allauth's emails say "[site name]" and link to the site's domain; the
    # sites framework ships "example.com". Set a real domain in the admin.
    Site = apps.get_model("sites", "Site")
    site, _ = Site.objects.get_or_create(pk=1, defaults={"domain": "127.0.0.1:8000"})
    if site.domain == "example.com":
        site.domain = "127.0.0.1:8000"
    site.name = "Roundtable"
    site.save()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial_user"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(name_the_site, migrations.RunPython.noop)]
