"""Seed the starter competence code lists: IAF sectors for MS, fields for CL, IB, ML and product sectors for PRD.

They are data the secretariat edits in the admin; this is where a new portal starts from.
"""

from django.db import migrations

IAF_SECTORS = [
    ("农业、林业和渔业", "Agriculture, forestry and fishing"),
    ("采矿业和采石业", "Mining and quarrying"),
    ("食品、饮料和烟草", "Food products, beverages and tobacco"),
    ("纺织品及纺织产品", "Textiles and textile products"),
    ("皮革及皮制品", "Leather and leather products"),
    ("木材及木制品", "Wood and wood products"),
    ("纸浆、纸及纸制品", "Pulp, paper and paper products"),
    ("出版业", "Publishing companies"),
    ("印刷业", "Printing companies"),
    ("焦炭及精炼石油制品的制造", "Manufacture of coke and refined petroleum products"),
    ("核燃料", "Nuclear fuel"),
    ("化学品、化学制品及纤维", "Chemicals, chemical products and fibres"),
    ("医药品", "Pharmaceuticals"),
    ("橡胶和塑料制品", "Rubber and plastic products"),
    ("非金属矿物制品", "Non-metallic mineral products"),
    ("混凝土、水泥、石灰、石膏等", "Concrete, cement, lime, plaster etc."),
    ("基础金属及金属制品", "Basic metals and fabricated metal products"),
    ("机械设备", "Machinery and equipment"),
    ("电子、电气及光电设备", "Electrical and optical equipment"),
    ("造船", "Shipbuilding"),
    ("航空航天", "Aerospace"),
    ("其他运输设备", "Other transport equipment"),
    ("其他未分类的制造业", "Manufacturing not elsewhere classified"),
    ("废旧物资的回收", "Recycling"),
    ("电力供应", "Electricity supply"),
    ("气的供应", "Gas supply"),
    ("水的供应", "Water supply"),
    ("建筑业", "Construction"),
    ("批发及零售贸易；汽车、摩托车、个人及家庭用品的修理", "Wholesale and retail trade; repair of motor vehicles"),
    ("宾馆及餐馆", "Hotels and restaurants"),
    ("运输、仓储和通信", "Transport, storage and communication"),
    ("金融、房地产和出租服务", "Financial intermediation; real estate; renting"),
    ("信息技术", "Information technology"),
    ("工程服务", "Engineering services"),
    ("其他服务", "Other services"),
    ("公共行政管理", "Public administration"),
    ("教育", "Education"),
    ("卫生和社会工作", "Health and social work"),
    ("其他社会服务", "Other social services"),
]

LABORATORY_FIELDS = [
    ("CL-01", "食品", "Food"),
    ("CL-02", "农产品", "Agricultural products"),
    ("CL-03", "水质", "Water quality"),
    ("CL-04", "环境", "Environment"),
    ("CL-05", "化学分析", "Chemical analysis"),
    ("CL-06", "金属材料", "Metallic materials"),
    ("CL-07", "建筑工程", "Building and construction"),
    ("CL-08", "纺织品", "Textiles"),
    ("CL-09", "电子电器", "Electrical and electronic products"),
    ("CL-10", "电磁兼容", "Electromagnetic compatibility"),
    ("CL-11", "无线电", "Radio"),
    ("CL-12", "汽车及零部件", "Vehicles and parts"),
    ("CL-13", "无损检测", "Non-destructive testing"),
    ("CL-14", "长度", "Metrology: length"),
    ("CL-15", "力学", "Metrology: mechanics"),
    ("CL-16", "热学", "Metrology: thermal"),
    ("CL-17", "电磁学", "Metrology: electromagnetism"),
    ("CL-18", "时间频率", "Metrology: time and frequency"),
    ("CL-19", "光学", "Metrology: optics"),
    ("CL-20", "医疗器械", "Medical devices"),
    ("CL-21", "生物安全", "Biosafety"),
]

INSPECTION_FIELDS = [
    ("IB-01", "特种设备", "Special equipment"),
    ("IB-02", "机动车", "Motor vehicles"),
    ("IB-03", "建设工程", "Construction works"),
    ("IB-04", "进出口商品", "Import and export goods"),
    ("IB-05", "工厂检查", "Factory inspection"),
    ("IB-06", "电力", "Electric power"),
    ("IB-07", "消防", "Fire protection"),
    ("IB-08", "纺织服装", "Textiles and garments"),
    ("IB-09", "公估", "Loss adjusting"),
]

MEDICAL_DISCIPLINES = [
    ("ML-01", "临床化学", "Clinical chemistry"),
    ("ML-02", "临床免疫学", "Clinical immunology"),
    ("ML-03", "临床血液学", "Clinical haematology"),
    ("ML-04", "体液学", "Body fluids"),
    ("ML-05", "临床微生物学", "Clinical microbiology"),
    ("ML-06", "分子诊断", "Molecular diagnostics"),
    ("ML-07", "病理学", "Pathology"),
]

PRODUCT_SECTORS = [
    ("CPC 01", "农产品、园艺和商品蔬菜产品", "Products of agriculture, horticulture and market gardening"),
    ("CPC 21", "肉、鱼、水果、蔬菜、油脂", "Meat, fish, fruit, vegetables, oils and fats"),
    ("CPC 314", "板材", "Boards and panels"),
    ("CPC 375", "混凝土及其制品", "Articles of concrete, cement and plaster"),
    ("CPC 448", "家用电器", "Domestic appliances"),
    ("CPC 4482", "空调器", "Air conditioners"),
    ("CPC 4631", "绝缘电线电缆", "Insulated wire and cable"),
    ("CPC 4911", "机动车", "Motor vehicles"),
]


def seed(apps, schema_editor):
    Programme = apps.get_model("accreditation", "Programme")
    CompetenceCode = apps.get_model("assessors", "CompetenceCode")
    lists = {
        "MS": [(f"IAF {n}", zh, en) for n, (zh, en) in enumerate(IAF_SECTORS, start=1)],
        "CL": LABORATORY_FIELDS,
        "IB": INSPECTION_FIELDS,
        "ML": MEDICAL_DISCIPLINES,
        "PRD": PRODUCT_SECTORS,
    }
    for programme_code, entries in lists.items():
        programme = Programme.objects.filter(code=programme_code).first()
        if programme is None:
            continue
        for position, (code, name_zh, name_en) in enumerate(entries, start=1):
            CompetenceCode.objects.update_or_create(
                programme=programme,
                code=code,
                defaults={"name_zh": name_zh, "name_en": name_en, "position": position, "is_active": True},
            )


class Migration(migrations.Migration):
    dependencies = [("assessors", "0001_initial"), ("accreditation", "0003_programmes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
