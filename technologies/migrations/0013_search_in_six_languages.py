"""Search in six languages (common/search.py): the folded words typo tolerance compares,
its trigram index in place of the title and summary ones, and every row indexed again
in its own languages (PostgreSQL only; SQLite searches by contains)."""

from django.db import migrations, models

FORWARD = [
    "DROP INDEX IF EXISTS technology_title_trgm",
    "DROP INDEX IF EXISTS technology_summary_trgm",
    "DROP INDEX IF EXISTS need_title_trgm",
    "CREATE INDEX IF NOT EXISTS technology_search_words_trgm ON technologies_technology "
    "USING gin (search_words gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS need_search_words_trgm ON technologies_need USING gin (search_words gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS need_search_words_trgm",
    "DROP INDEX IF EXISTS technology_search_words_trgm",
    "CREATE INDEX IF NOT EXISTS technology_title_trgm ON technologies_technology USING gin (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS technology_summary_trgm ON technologies_technology USING gin (summary gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS need_title_trgm ON technologies_need USING gin (title gin_trgm_ops)",
]


def _run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


def reindex(apps, schema_editor):
    """Every listing and need indexed again, in batches (what rebuild_search_index does)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from technologies import search

    search.refresh_technologies(apps.get_model("technologies", "Technology").objects.all())
    search.refresh_needs(apps.get_model("technologies", "Need").objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_search_configurations"),
        ("technologies", "0012_clean_single_line_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="technology",
            name="search_words",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="need",
            name="search_words",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
        migrations.RunPython(reindex, migrations.RunPython.noop),
    ]
