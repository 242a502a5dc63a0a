"""Seed the maintained list of sanction reasons with the ones the seed report lists (DOMAIN.md).

The secretariat keeps the list afterwards (adds reasons, retires old ones); a reason already
present (same code) is left as it is, so running this again over an edited list changes nothing.
"""

from django.db import migrations

REASONS = [
    ("mark_beyond_scope", "超范围使用认可标识", "Accreditation mark used beyond the accredited scope"),
    ("major_change_not_notified", "重大变化未通知", "Major changes not notified"),
    ("ineffective_audit_or_review", "内部审核或管理评审无效", "Ineffective internal audit or management review"),
    ("management_system_not_operating", "管理体系未有效运行", "Management system not operating"),
    ("rectification_overdue", "未按期完成整改", "Rectification not completed in time"),
    ("document_transition_not_done", "未完成文件转换", "Document transition not done"),
    ("data_altered_or_untraceable", "数据被篡改或不可追溯", "Data altered or not traceable"),
    ("no_testing_experience", "无检测经历", "No testing experience"),
    ("staff_not_competent", "人员能力不足", "Staff not competent"),
    ("missing_equipment", "缺少必要设备", "Missing equipment"),
    ("false_claim", "虚假宣称认可", "False claim of accreditation"),
    ("other", "其他", "Other"),
]


def seed(apps, schema_editor):
    SanctionReason = apps.get_model("surveillance", "SanctionReason")
    for position, (code, label_zh, label_en) in enumerate(REASONS, start=1):
        SanctionReason.objects.get_or_create(
            code=code, defaults={"label_zh": label_zh, "label_en": label_en, "position": position * 10}
        )


def unseed(apps, schema_editor):
    SanctionReason = apps.get_model("surveillance", "SanctionReason")
    # Only reasons no sanction cites: a cited reason is part of the record.
    SanctionReason.objects.filter(code__in=[code for code, _zh, _en in REASONS], sanctions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("surveillance", "0002_supervision")]

    operations = [migrations.RunPython(seed, unseed)]
