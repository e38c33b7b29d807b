"""API tokens created before expires_at was bounded could hold a time past year 9999 in UTC
(PostgreSQL accepts one, Python cannot read it back: listing tokens then failed for good).
Clamp them to the documented latest timestamp. SQLite could never store such a value."""

from django.db import migrations

LATEST = "2200-12-31 23:59:59+00"


def clamp(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tenancy_apitoken SET expires_at = %s::timestamptz "
            "WHERE expires_at > %s::timestamptz",
            [LATEST, LATEST],
        )


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0002_invitation")]

    operations = [migrations.RunPython(clamp, migrations.RunPython.noop)]
