"""On PostgreSQL, the indexes of the public certificate lookup (pg_trgm; needs a UTF-8 lc_ctype).

- Name fragments of three characters or more use trigram indexes on the entity's name and on its
  upper-cased English name (Django's ``icontains`` compares ``UPPER(...)``).
- Two-character fragments never use a trigram index (a two-character pattern has no full
  trigram), so the name also gets a GIN index over its overlapping character pairs,
  ``certification_bigrams(name)``, which ``selectors_lookup`` queries with ``@>``.
- The exact lookups: ``UPPER(certificate_number)`` in a B-tree (a case-insensitive equality needs
  no trigram index; there is no partial number search); the credit code has its own B-tree from
  0001.
- Keyset pagination walks certificates in (entity, id) order: a composite B-tree serves it.

``COST 1`` on the function: the lookup filters on a cheap ``STRPOS`` first and calls the function
only for the rows that pass, but the planner charges every filter on every row; at the default
cost of 100 it wrongly prefers reading a broad term's whole posting list to walking the rows in
order and stopping after the first page (35 ms against 3 ms at 5 million certificates).

SQLite has neither pg_trgm nor the function and needs neither (the test data are small).
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE OR REPLACE FUNCTION certification_bigrams(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1
    AS $$ SELECT coalesce(array_agg(DISTINCT substr(value, i, 2)), '{}')
          FROM generate_series(1, char_length(value) - 1) AS i $$;
CREATE INDEX IF NOT EXISTS certified_entity_name_trgm
    ON certification_certifiedentity USING gin (name gin_trgm_ops);
CREATE INDEX IF NOT EXISTS certified_entity_name_bigrams
    ON certification_certifiedentity USING gin (certification_bigrams(name::text));
CREATE INDEX IF NOT EXISTS certified_entity_english_name_trgm
    ON certification_certifiedentity USING gin (upper(english_name::text) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS issued_certificate_number_upper
    ON certification_issuedcertificate (upper(certificate_number::text));
CREATE INDEX IF NOT EXISTS issued_certificate_entity_id
    ON certification_issuedcertificate (entity_id, id);
"""
DROP = """
DROP INDEX IF EXISTS certified_entity_name_trgm;
DROP INDEX IF EXISTS certified_entity_name_bigrams;
DROP INDEX IF EXISTS certified_entity_english_name_trgm;
DROP INDEX IF EXISTS issued_certificate_number_upper;
DROP INDEX IF EXISTS issued_certificate_entity_id;
DROP FUNCTION IF EXISTS certification_bigrams(text);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("certification", "0002_standards")]

    operations = [migrations.RunPython(create, drop)]
