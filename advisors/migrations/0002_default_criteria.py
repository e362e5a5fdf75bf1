"""The default review criteria, following published UNIDO/SJTU practice (weights add up to 100)."""

from django.db import migrations

CRITERIA = [
    (
        "Innovation and technical maturity",
        25,
        "How new is the technology compared with what exists, and how proven is it (technology readiness, "
        "field results, certification)?",
    ),
    (
        "Contribution to climate and environmental sustainability",
        20,
        "Emissions avoided, resources and energy saved, pollution prevented; is the evidence measured?",
    ),
    (
        "Scalability in developing and emerging economies",
        20,
        "Can it be built, operated and maintained where it is most needed: cost, skills, supply chains, "
        "infrastructure?",
    ),
    (
        "Long-term economic and social benefit",
        15,
        "Income, productivity and resilience for the people and firms that use it, over years.",
    ),
    (
        "Jobs and inclusion, especially women and youth",
        10,
        "Decent jobs created or improved; access and benefit for women and young people.",
    ),
    (
        "Readiness for cooperation and transfer",
        10,
        "Is the owner ready to license, partner or transfer: clear IP, documentation, support capacity?",
    ),
]


def load(apps, schema_editor):
    Criterion = apps.get_model("advisors", "Criterion")
    for order, (name, weight, guidance) in enumerate(CRITERIA, start=1):
        Criterion.objects.update_or_create(name=name, defaults={"weight": weight, "guidance": guidance, "order": order})


def unload(apps, schema_editor):
    apps.get_model("advisors", "Criterion").objects.filter(name__in=[name for name, _w, _g in CRITERIA]).delete()


class Migration(migrations.Migration):
    dependencies = [("advisors", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
