"""The full-text index of the queue's search (``store.SEARCH_DOCUMENT``), on PostgreSQL
only: elsewhere the search reads the text as it is (``store.search_condition``)."""

from django.db import migrations

# Written out, not imported: a migration stays as it was when it ran. A test checks that
# it is the expression the search uses.
DOCUMENT = (
    "to_tsvector('simple'::regconfig, "
    "COALESCE(\"cases_case\".\"subject\", '') || ' ' || COALESCE(\"cases_case\".\"description\", ''))"
)


def create_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS case_search ON "cases_case" USING gin (({DOCUMENT}))'
        )


def drop_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS case_search")


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_case_working_hours")]

    operations = [migrations.RunPython(create_index, drop_index)]
