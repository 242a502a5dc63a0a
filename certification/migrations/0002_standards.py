"""Seed the standards and schemes CBs report certificates against, each with the programme accrediting it.

The Chinese national adoptions (GB/T) are aliases of the ISO standard they adopt, so a row that
says ``GB/T 19001-2016`` resolves to ``ISO 9001:2015``. The rows are data, edited in the admin.
"""

from django.db import migrations

MS, PRD, PER = "MS", "PRD", "PER"

STANDARDS = [
    # code, title_zh, title_en, certification_type, programme, aliases
    (
        "ISO 9001:2015",
        "质量管理体系 要求",
        "Quality management systems — Requirements",
        "management_system",
        MS,
        ["GB/T 19001-2016", "ISO 9001", "QMS"],
    ),
    (
        "ISO 14001:2015",
        "环境管理体系 要求及使用指南",
        "Environmental management systems — Requirements with guidance for use",
        "management_system",
        MS,
        ["GB/T 24001-2016", "ISO 14001", "EMS"],
    ),
    (
        "ISO 45001:2018",
        "职业健康安全管理体系 要求及使用指南",
        "Occupational health and safety management systems — Requirements with guidance for use",
        "management_system",
        MS,
        ["GB/T 45001-2020", "ISO 45001", "OHSMS"],
    ),
    (
        "ISO/IEC 27001:2022",
        "信息安全管理体系 要求",
        "Information security management systems — Requirements",
        "management_system",
        MS,
        ["GB/T 22080-2025", "ISO 27001:2022", "ISO/IEC 27001", "ISMS"],
    ),
    (
        "ISO 50001:2018",
        "能源管理体系 要求及使用指南",
        "Energy management systems — Requirements with guidance for use",
        "management_system",
        MS,
        ["GB/T 23331-2020", "ISO 50001", "EnMS"],
    ),
    (
        "ISO 22000:2018",
        "食品安全管理体系 食品链中各类组织的要求",
        "Food safety management systems — Requirements for any organization in the food chain",
        "management_system",
        MS,
        ["GB/T 22000-2006", "ISO 22000", "FSMS"],
    ),
    (
        "ISO/IEC 20000-1:2018",
        "信息技术 服务管理 第1部分：服务管理体系要求",
        "Information technology — Service management — Part 1: Service management system requirements",
        "management_system",
        MS,
        ["GB/T 24405.1-2024", "ISO 20000-1:2018", "ISO/IEC 20000-1", "ITSMS"],
    ),
    (
        "ISO 13485:2016",
        "医疗器械 质量管理体系 用于法规的要求",
        "Medical devices — Quality management systems — Requirements for regulatory purposes",
        "management_system",
        MS,
        ["YY/T 0287-2017", "ISO 13485"],
    ),
    (
        "ISO 37001:2016",
        "反贿赂管理体系 要求及使用指南",
        "Anti-bribery management systems — Requirements with guidance for use",
        "management_system",
        MS,
        ["GB/T 35770-2022", "ISO 37001"],
    ),
    (
        "ISO 22301:2019",
        "安全与韧性 业务连续性管理体系 要求",
        "Security and resilience — Business continuity management systems — Requirements",
        "management_system",
        MS,
        ["GB/T 30146-2023", "ISO 22301"],
    ),
    (
        "HACCP",
        "危害分析与关键控制点（HACCP）体系认证",
        "Hazard analysis and critical control point (HACCP) system",
        "management_system",
        MS,
        ["GB/T 27341-2009", "HACCP体系", "CNAS-CC190"],
    ),
    (
        "GB/T 19630-2019",
        "有机产品 生产、加工、标识与管理体系要求",
        "Organic products — Requirements for production, processing, labeling and management system",
        "product",
        PRD,
        ["有机产品认证", "GB/T 19630", "Organic products"],
    ),
    (
        "GB/T 20014",
        "良好农业规范",
        "Good agricultural practice (ChinaGAP)",
        "product",
        PRD,
        ["良好农业规范", "ChinaGAP", "GAP"],
    ),
    (
        "CQC 自愿性产品认证",
        "自愿性产品认证实施规则",
        "Voluntary product certification rules",
        "product",
        PRD,
        ["自愿性产品认证"],
    ),
    (
        "ISO/IEC 17024 注册审核员",
        "管理体系审核员注册",
        "Registration of management system auditors",
        "persons",
        PER,
        ["注册审核员", "CCAA 审核员注册"],
    ),
    (
        "ISO/IEC 17024 信息安全保障人员",
        "信息安全保障人员认证",
        "Certified information security professionals",
        "persons",
        PER,
        ["信息安全保障人员认证", "CISAW"],
    ),
]


def seed(apps, schema_editor):
    Standard = apps.get_model("certification", "Standard")
    Programme = apps.get_model("accreditation", "Programme")
    programmes = {programme.code: programme for programme in Programme.objects.filter(code__in=[MS, PRD, PER])}
    for code, title_zh, title_en, certification_type, programme, aliases in STANDARDS:
        Standard.objects.update_or_create(
            code=code,
            defaults={
                "title_zh": title_zh,
                "title_en": title_en,
                "certification_type": certification_type,
                "programme": programmes.get(programme),
                "aliases": aliases,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial"), ("accreditation", "0003_programmes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
