"""A new site starts with Roundtable's name and with notices written for a public consultation.

The texts are read from site_identity/default_texts/, the same files the
models fall back on when a row is missing.
"""

from django.db import migrations


def write_defaults(apps, schema_editor):
    from site_identity.default_texts import identity_defaults, notice_defaults

    SiteIdentity = apps.get_model("site_identity", "SiteIdentity")
    Notice = apps.get_model("site_identity", "Notice")
    if not SiteIdentity.objects.exists():
        defaults = identity_defaults()
        # The untranslated field modeltranslation reads from is the English one.
        SiteIdentity.objects.create(
            **defaults, **{name: defaults[f"{name}_en"] for name in _base_names(defaults)}
        )
    for kind in ("privacy", "terms", "accessibility"):
        if not Notice.objects.filter(kind=kind).exists():
            defaults = notice_defaults(kind)
            Notice.objects.create(kind=kind, body=defaults["body_en"], **defaults)


def _base_names(defaults):
    return {name.rsplit("_", 1)[0] for name in defaults}


class Migration(migrations.Migration):
    dependencies = [("site_identity", "0001_identity_notices_and_terms_acceptance")]

    operations = [migrations.RunPython(write_defaults, migrations.RunPython.noop)]
