"""Fewer indexes on the certificates, so bulk uploads write less.

- The certification body's own index goes: the unique (cb, identity_number) and the new
  (cb, certificate_number), which also orders the registry's lists, serve every query by body.
- The plain and ``LIKE`` indexes of the certificate number go: the lookup compares
  ``UPPER(certificate_number)`` (its own index, 0003) and the lists use (cb, certificate_number).
- The entity's own index goes: (entity, id) serves both the joins and the lookup's keyset pages.
  On PostgreSQL that index exists since 0003 under another name and is renamed, not built again.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "certification_issuedcertificate"


def adopt_entity_index(apps, schema_editor):
    """The (entity, id) index under its model name: 0003's renamed on PostgreSQL, built elsewhere."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX IF EXISTS issued_certificate_entity_id RENAME TO issued_cert_entity_id_idx")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS issued_cert_entity_id_idx ON {TABLE} (entity_id, id)")
    else:
        schema_editor.execute(f"CREATE INDEX issued_cert_entity_id_idx ON {TABLE} (entity_id, id)")


def release_entity_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX IF EXISTS issued_cert_entity_id_idx RENAME TO issued_certificate_entity_id")
    else:
        schema_editor.execute("DROP INDEX issued_cert_entity_id_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("accreditation", "0006_decisions"),
        ("certification", "0004_issue_date_label"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="issuedcertificate",
                    index=models.Index(fields=["entity", "id"], name="issued_cert_entity_id_idx"),
                )
            ],
            database_operations=[migrations.RunPython(adopt_entity_index, release_entity_index)],
        ),
        migrations.AlterField(
            model_name="issuedcertificate",
            name="cb",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="issued_certificates",
                to="accreditation.cab",
                verbose_name="certification body",
            ),
        ),
        migrations.AlterField(
            model_name="issuedcertificate",
            name="certificate_number",
            field=models.CharField(max_length=60, verbose_name="certificate number"),
        ),
        migrations.AlterField(
            model_name="issuedcertificate",
            name="entity",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certificates",
                to="certification.certifiedentity",
                verbose_name="certified entity",
            ),
        ),
        migrations.AddIndex(
            model_name="issuedcertificate",
            index=models.Index(fields=["cb", "certificate_number"], name="issued_cert_cb_number_idx"),
        ),
    ]
