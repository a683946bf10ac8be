"""SQLite only: earlier versions wrote ``updated_at`` and bulk-recomputed clock instants by
hand with their UTC offset ("2026-11-23 10:00:00-05:00") where the ORM writes UTC without
one; SQLite compares instants as text, so rewrite them the ORM's way."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CLOCK_INSTANTS = ("started_at", "due_at", "at_risk_at", "stopped_at", "paused_since")


def normalise(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    Case = apps.get_model("cases", "Case")
    SlaClock = apps.get_model("cases", "SlaClock")
    # Read through the ORM (which parses either form) and write back in its form.
    for model, fields in ((Case, ("updated_at", "next_due")), (SlaClock, CLOCK_INSTANTS)):
        batch = []
        for row in model.objects.only("id", *fields).iterator(chunk_size=2000):
            batch.append(row)
            if len(batch) == 2000:
                model.objects.bulk_update(batch, fields)
                batch = []
        if batch:
            model.objects.bulk_update(batch, fields)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
