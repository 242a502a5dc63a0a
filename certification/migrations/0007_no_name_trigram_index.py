"""The lookup finds name fragments of any length through the character-pair index (0003), so the
trigram index on the entity's name serves no query any more; it goes, and uploads write one GIN
index less per certified entity. The English name keeps its trigram index (ASCII fragments).
"""

from django.db import migrations


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS certified_entity_name_trgm")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS certified_entity_name_trgm "
            "ON certification_certifiedentity USING gin (name gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("certification", "0006_last_changed_by_upload")]

    operations = [migrations.RunPython(drop, create)]
