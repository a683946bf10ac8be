"""PostgreSQL: leave a fifth of each page of the case table free, so that the updates a
case takes on every history event (its event counter and ``updated_at``, neither indexed)
are HOT updates: the new row version stays on its page and no index is touched."""

from collections.abc import Callable

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def _fillfactor(value: int) -> Callable[[StateApps, BaseDatabaseSchemaEditor], None]:
    def apply(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE cases_case SET (fillfactor = {value})")

    return apply


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_one_index_per_foreign_key")]
    operations = [migrations.RunPython(_fillfactor(80), _fillfactor(100))]
