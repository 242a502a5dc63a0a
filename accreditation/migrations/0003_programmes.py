"""Seed the accreditation programmes named in DOMAIN.md (CNAS numbering, ISO/IEC 17011 cycle limits).

The values are the defaults the secretariat starts from; they are data, edited in the admin.
"""

from django.db import migrations

PROGRAMMES = [
    # code, name_zh, name_en, standard, cab_kind, scope_shape, number_pattern
    (
        "CL",
        "检测和校准实验室认可",
        "Testing and calibration laboratories",
        "ISO/IEC 17025:2017",
        "laboratory",
        "laboratory",
        "CNAS L{n:04d}",
    ),
    (
        "ML",
        "医学实验室认可",
        "Medical laboratories",
        "ISO 15189:2022",
        "medical_laboratory",
        "medical",
        "CNAS MT{n:04d}",
    ),
    (
        "IB",
        "检验机构认可",
        "Inspection bodies",
        "ISO/IEC 17020:2012",
        "inspection_body",
        "inspection",
        "CNAS IB{n:04d}",
    ),
    (
        "MS",
        "管理体系认证机构认可",
        "Management system certification bodies",
        "ISO/IEC 17021-1:2015",
        "certification_body",
        "management_system",
        "CNAS C{n:03d}-M",
    ),
    (
        "PRD",
        "产品认证机构认可",
        "Product certification bodies",
        "ISO/IEC 17065:2012",
        "certification_body",
        "product",
        "CNAS C{n:03d}-P",
    ),
    (
        "PER",
        "人员认证机构认可",
        "Persons certification bodies",
        "ISO/IEC 17024:2012",
        "certification_body",
        "persons",
        "CNAS C{n:03d}-F",
    ),
    (
        "PTP",
        "能力验证提供者认可",
        "Proficiency testing providers",
        "ISO/IEC 17043:2023",
        "pt_provider",
        "proficiency_testing",
        "CNAS PT{n:04d}",
    ),
    (
        "RMP",
        "标准物质/标准样品生产者认可",
        "Reference material producers",
        "ISO 17034:2016",
        "rm_producer",
        "reference_material",
        "CNAS RM{n:04d}",
    ),
    ("BB", "生物样本库认可", "Biobanks", "ISO 20387:2018", "biobank", "biobank", "CNAS BB{n:04d}"),
    (
        "VV",
        "审定与核查机构认可",
        "Validation and verification bodies",
        "ISO/IEC 17029:2019",
        "validation_verification_body",
        "validation_verification",
        "CNAS V{n:04d}",
    ),
    (
        "GHG",
        "温室气体审定与核查机构认可",
        "Greenhouse gas validation and verification bodies",
        "ISO 14065:2020",
        "validation_verification_body",
        "validation_verification",
        "CNAS GHG{n:04d}",
    ),
]


def seed(apps, schema_editor):
    Programme = apps.get_model("accreditation", "Programme")
    for code, name_zh, name_en, standard, kind, shape, pattern in PROGRAMMES:
        Programme.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "standard": standard,
                "cab_kind": kind,
                "scope_shape": shape,
                "number_pattern": pattern,
                # Certification bodies answer nonconformities in one month for technical findings
                # at most; CNAS gives two months by default to every programme.
                "nc_answer_deadline_days": 60,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("accreditation", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
