"""On PostgreSQL, trigram indexes for the directory's name and number search (pg_trgm; needs a UTF-8 lc_ctype).

Fragments of three or more characters use them; the register's size (about 20,000 bodies)
keeps two-character fragments fast without one. SQLite has neither and needs neither.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS cab_name_zh_trgm ON accreditation_cab USING gin (name_zh gin_trgm_ops);
CREATE INDEX IF NOT EXISTS cab_name_en_trgm ON accreditation_cab USING gin (upper(name_en::text) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS accreditation_number_trgm
    ON accreditation_accreditation USING gin (upper(number::text) gin_trgm_ops);
"""
DROP = """
DROP INDEX IF EXISTS cab_name_zh_trgm;
DROP INDEX IF EXISTS cab_name_en_trgm;
DROP INDEX IF EXISTS accreditation_number_trgm;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("accreditation", "0003_programmes")]

    operations = [migrations.RunPython(create, drop)]
