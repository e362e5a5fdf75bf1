"""Load the kinds of cooperation (copied here as they stood; see data.py)."""

from django.db import migrations

COOPERATION_TYPES = [
    ("licensing", "Licensing"),
    ("joint-venture", "Joint venture"),
    ("investment", "Investment"),
    ("sale-transfer", "Sale or transfer"),
    ("distribution", "Distribution"),
    ("technical-cooperation", "Technical cooperation"),
]


def load(apps, schema_editor):
    CooperationType = apps.get_model("reference", "CooperationType")
    for order, (slug, name) in enumerate(COOPERATION_TYPES, start=1):
        CooperationType.objects.update_or_create(slug=slug, defaults={"name": name, "order": order})


def unload(apps, schema_editor):
    apps.get_model("reference", "CooperationType").objects.filter(
        slug__in=[slug for slug, _name in COOPERATION_TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reference", "0003_cooperation_type")]

    operations = [migrations.RunPython(load, unload)]
