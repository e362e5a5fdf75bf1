"""Load the industrial sectors and the 17 Sustainable Development Goals.

The data is copied here as it stood when this migration was written (see data.py),
so later edits to data.py never change what this migration does.
"""

from django.db import migrations

SECTORS = [
    ('agro-food-processing', 'Agro-food processing'),
    ('renewable-energy', 'Renewable energy'),
    ('energy-efficiency', 'Energy efficiency'),
    ('water-wastewater', 'Water and wastewater'),
    ('waste-circular-economy', 'Waste management and circular economy'),
    ('advanced-materials', 'Advanced materials'),
    ('chemicals', 'Chemicals and process industries'),
    ('advanced-manufacturing', 'Advanced manufacturing and robotics'),
    ('industrial-digital', 'Industrial internet and digital technologies'),
    ('transport-mobility', 'Transport and clean mobility'),
    ('construction-materials', 'Construction and building materials'),
    ('textiles-leather', 'Textiles and leather'),
    ('pharma-health', 'Pharmaceuticals and health technologies'),
    ('environmental-monitoring', 'Environmental monitoring and pollution control'),
    ('mining-metals', 'Mining and metals'),
    ('electronics', 'Electronics and electrical equipment'),
]

SDGS = [
    (1, 'No poverty', '#E5243B'),
    (2, 'Zero hunger', '#DDA63A'),
    (3, 'Good health and well-being', '#4C9F38'),
    (4, 'Quality education', '#C5192D'),
    (5, 'Gender equality', '#FF3A21'),
    (6, 'Clean water and sanitation', '#26BDE2'),
    (7, 'Affordable and clean energy', '#FCC30B'),
    (8, 'Decent work and economic growth', '#A21942'),
    (9, 'Industry, innovation and infrastructure', '#FD6925'),
    (10, 'Reduced inequalities', '#DD1367'),
    (11, 'Sustainable cities and communities', '#FD9D24'),
    (12, 'Responsible consumption and production', '#BF8B2E'),
    (13, 'Climate action', '#3F7E44'),
    (14, 'Life below water', '#0A97D9'),
    (15, 'Life on land', '#56C02B'),
    (16, 'Peace, justice and strong institutions', '#00689D'),
    (17, 'Partnerships for the goals', '#19486A'),
]


def load(apps, schema_editor):
    Sector = apps.get_model("reference", "Sector")
    SustainableDevelopmentGoal = apps.get_model("reference", "SustainableDevelopmentGoal")
    for order, (slug, name) in enumerate(SECTORS, start=1):
        Sector.objects.update_or_create(slug=slug, defaults={"name": name, "order": order})
    for number, name, colour in SDGS:
        SustainableDevelopmentGoal.objects.update_or_create(number=number, defaults={"name": name, "colour": colour})


def unload(apps, schema_editor):
    apps.get_model("reference", "Sector").objects.filter(slug__in=[slug for slug, _name in SECTORS]).delete()
    apps.get_model("reference", "SustainableDevelopmentGoal").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
