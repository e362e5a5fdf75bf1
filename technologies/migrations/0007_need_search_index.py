"""PostgreSQL only: the GIN indexes of needs' stored search vector and title trigrams."""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS need_search_vector_gin ON technologies_need USING gin (search_vector)",
    # Misspelled words are looked for in titles only (see technologies.selectors.need_search).
    "CREATE INDEX IF NOT EXISTS need_title_trgm ON technologies_need USING gin (title gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS need_title_trgm", "DROP INDEX IF EXISTS need_search_vector_gin"]


def _run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("technologies", "0006_needs_outcomes_views")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
