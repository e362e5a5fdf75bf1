"""The listings' search index returns matches newest first (PostgreSQL with RUM).

A list ranks the newest 1 000 matches of a search. With a GIN index, PostgreSQL finds
them either by walking the date index and checking each listing's vector (18 000 rows
read for a word in 5 % of 100 000 listings) or by fetching every match and sorting them.
A RUM index (the `rum` extension, Postgres Professional; Debian's postgresql-NN-rum)
keeps each listing's publication date beside its words and hands the matches over in
date order: only the rows returned are read (docs/SEARCH.md, measured). It takes the
GIN index's place.

Where the extension cannot be installed (a managed database without it, a user who may
not create it), the GIN index stays and the search works as before, slower for words of
middling frequency; common/search.py asks which index is there. SQLite: nothing here.
"""

from django.db import DatabaseError, migrations, transaction

GIN = "CREATE INDEX IF NOT EXISTS technology_search_vector_gin ON technologies_technology USING gin (search_vector)"
RUM = (
    "CREATE INDEX IF NOT EXISTS technology_search_vector_rum ON technologies_technology "
    "USING rum (search_vector rum_tsvector_addon_ops, published_at) "
    "WITH (attach = 'published_at', to = 'search_vector')"
)


def _rum_installed(schema_editor) -> bool:
    """The extension in this database: already there, or created now if it may be."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum')")
        if cursor.fetchone()[0]:
            return True
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum')")
        if not cursor.fetchone()[0]:
            return False
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION rum")
        except DatabaseError:  # not a superuser: a DBA may create it, then migrate again
            return False
    return True


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or not _rum_installed(schema_editor):
        return
    schema_editor.execute(RUM)
    schema_editor.execute("DROP INDEX IF EXISTS technology_search_vector_gin")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GIN)
    schema_editor.execute("DROP INDEX IF EXISTS technology_search_vector_rum")


class Migration(migrations.Migration):
    dependencies = [("technologies", "0013_search_in_six_languages")]

    operations = [migrations.RunPython(forward, backward)]
