"""PostgreSQL only: the GIN index of the stored search vector, and trigram indexes for
misspelled words. SQLite (the quick start) gets nothing here and searches by contains."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS technology_search_vector_gin ON technologies_technology USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS technology_title_trgm ON technologies_technology USING gin (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS technology_summary_trgm ON technologies_technology USING gin (summary gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS technology_summary_trgm",
    "DROP INDEX IF EXISTS technology_title_trgm",
    "DROP INDEX IF EXISTS technology_search_vector_gin",
]


def _run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("technologies", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
