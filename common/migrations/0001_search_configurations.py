"""PostgreSQL only: the text search configurations of common/search.py.

Each copies PostgreSQL's configuration for its language and puts `unaccent` in front of the
stemmer for words, so that energia finds energía and sechoir finds séchoir. SQLite (the
quick start) gets nothing here and searches by contains."""

from django.db import migrations

LANGUAGES = {
    "wiits_english": ("english", "english_stem"),
    "wiits_french": ("french", "french_stem"),
    "wiits_spanish": ("spanish", "spanish_stem"),
    "wiits_russian": ("russian", "russian_stem"),
    "wiits_arabic": ("arabic", "arabic_stem"),
    "wiits_simple": ("simple", "simple"),
}


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (parent, stemmer) in LANGUAGES.items():
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
        schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{parent})")
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR word, hword, hword_part "
            f"WITH unaccent, {stemmer}"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in LANGUAGES:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(forward, backward)]
