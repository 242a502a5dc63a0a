"""The audit trail is sealed after commit (``core.audit``): rows are written unsealed, then sealed.

``sequence`` may be empty (unsealed) and the hashes blank until then; the newest rows come first
by ``id``. On PostgreSQL the append-only trigger now lets exactly one UPDATE through: sealing a
row that is not sealed yet (``sequence``, ``prev_hash`` and ``hash`` set, everything else as it
was). DELETE, any change to a sealed row and any change to an unsealed row's content are refused.
"""

from django.db import migrations, models

# The row images compared without the three columns sealing writes: a column added to the model
# later is protected as well, with no change here.
SEALING_TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.sequence IS NULL
        AND NEW.sequence IS NOT NULL
        AND length(NEW.prev_hash) = 64
        AND length(NEW.hash) = 64
        AND (to_jsonb(NEW) - ARRAY['sequence', 'prev_hash', 'hash'])
            = (to_jsonb(OLD) - ARRAY['sequence', 'prev_hash', 'hash'])
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'The audit trail is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
"""
# The function of 0002_roles_and_audit_trigger, which refuses every UPDATE.
APPEND_ONLY_TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'The audit trail is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
"""


def allow_sealing(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEALING_TRIGGER_SQL)


def refuse_sealing(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_TRIGGER_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_task_outbox"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["-id"], "verbose_name": "audit event", "verbose_name_plural": "audit events"},
        ),
        migrations.RemoveIndex(
            model_name="auditevent",
            name="audit_aggregate_idx",
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="hash"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="previous hash"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.BigIntegerField(editable=False, null=True, unique=True, verbose_name="sequence"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["aggregate_type", "aggregate_id", "-id"], name="audit_aggregate_idx"),
        ),
        migrations.RunPython(allow_sealing, refuse_sealing),
    ]
