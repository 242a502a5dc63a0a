"""Scope items the demonstration bodies draw from, one catalogue per kind of work.

Each entry is shaped for its programme (``accreditation.scope_shapes``). An entry may carry
``initial`` values: the first issue of a scope then holds those (an older edition of a
method, fewer IAF sectors) and a later revision brings the item up to date, so the scope
diff shows a changed item. Standards are real public standards; their pairing with bodies
is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ItemTemplate:
    attributes: dict[str, Any]
    #: Values of the first issue where they differ from the current ones.
    initial: dict[str, Any] = field(default_factory=dict)

    def first_issue(self) -> dict[str, Any]:
        return {**self.attributes, **self.initial}


def _lab(field_: str, subject: str, parameter: str, method: str, old: str = "", limitation: str = "") -> ItemTemplate:
    attributes = {"field": field_, "subject": subject, "parameter": parameter, "method": method}
    if limitation:
        attributes["limitation"] = limitation
    return ItemTemplate(attributes, {"method": old} if old else {})


def _med(discipline: str, examination: str, specimen: str, method: str, old: str = "") -> ItemTemplate:
    attributes = {"discipline": discipline, "examination": examination, "specimen": specimen, "method": method}
    return ItemTemplate(attributes, {"method": old} if old else {})


def _insp(
    field_: str, inspection_type: str, subject: str, method: str, old: str = "", limitation: str = ""
) -> ItemTemplate:
    attributes = {"field": field_, "inspection_type": inspection_type, "subject": subject, "method": method}
    if limitation:
        attributes["limitation"] = limitation
    return ItemTemplate(attributes, {"method": old} if old else {})


def _ms(
    standard: str, sectors: list[str], first: int = 0, certification_type: str = "初次认证、监督审核、再认证"
) -> ItemTemplate:
    attributes = {"standard": standard, "sectors": sectors, "certification_type": certification_type}
    return ItemTemplate(attributes, {"sectors": sectors[:first]} if first else {})


def _prd(standard: str, products: str, sectors: list[str] | None = None, old: str = "") -> ItemTemplate:
    attributes: dict[str, Any] = {
        "standard": standard,
        "products": products,
        "certification_type": "初次认证、监督、再认证",
    }
    if sectors:
        attributes["sectors"] = sectors
    return ItemTemplate(attributes, {"standard": old} if old else {})


def _per(standard: str, occupation: str, limitation: str = "") -> ItemTemplate:
    attributes = {"standard": standard, "occupation": occupation}
    if limitation:
        attributes["limitation"] = limitation
    return ItemTemplate(attributes)


def _pt(field_: str, subject: str, parameter: str, method: str = "") -> ItemTemplate:
    attributes = {"field": field_, "subject": subject, "parameter": parameter}
    if method:
        attributes["method"] = method
    return ItemTemplate(attributes)


def _rm(category: str, material: str, property_: str, method: str) -> ItemTemplate:
    return ItemTemplate({"category": category, "material": material, "property": property_, "method": method})


def _bb(sample_type: str, activity: str, limitation: str = "") -> ItemTemplate:
    attributes = {"sample_type": sample_type, "activity": activity}
    if limitation:
        attributes["limitation"] = limitation
    return ItemTemplate(attributes)


def _vv(standard: str, sectors: list[str], activity: str, first: int = 0) -> ItemTemplate:
    attributes = {"standard": standard, "sectors": sectors, "activity": activity}
    return ItemTemplate(attributes, {"sectors": sectors[:first]} if first else {})


# fmt: off
CATALOGUES: dict[str, tuple[ItemTemplate, ...]] = {
    # --- Testing and calibration laboratories (CL) ---------------------------------------
    "food": (
        _lab("食品", "食用植物油", "酸价", "GB 5009.229-2016"),
        _lab("食品", "食用植物油", "过氧化值", "GB 5009.227-2023", old="GB 5009.227-2016"),
        _lab("食品", "食品", "铅", "GB 5009.12-2023", old="GB 5009.12-2017"),
        _lab("食品", "食品", "总砷及无机砷", "GB 5009.11-2024", old="GB 5009.11-2014"),
        _lab("食品", "粮食及其制品", "黄曲霉毒素B1", "GB 5009.22-2016", limitation="只用第三法"),
        _lab("食品", "乳及乳制品", "三聚氰胺", "GB/T 22388-2008"),
        _lab("食品", "蔬菜、水果", "有机磷类农药残留量", "GB 23200.113-2018"),
        _lab("食品", "肉及肉制品", "克伦特罗、莱克多巴胺、沙丁胺醇", "GB/T 22286-2008"),
        _lab("食品", "饮料", "苯甲酸、山梨酸", "GB 5009.28-2016"),
        _lab("食品", "食品", "菌落总数", "GB 4789.2-2022", old="GB 4789.2-2016"),
        _lab("食品", "食品", "大肠菌群", "GB 4789.3-2016"),
        _lab("食品", "食品", "沙门氏菌", "GB 4789.4-2024", old="GB 4789.4-2016"),
        _lab("食品", "食品", "二氧化硫", "GB 5009.34-2022"),
        _lab("食品", "茶叶", "水分", "GB 5009.3-2016"),
    ),
    "environment": (
        _lab("环境", "水和废水", "化学需氧量", "HJ 828-2017"),
        _lab("环境", "水和废水", "氨氮", "HJ 535-2009"),
        _lab("环境", "水和废水", "总磷", "GB/T 11893-1989"),
        _lab("环境", "水和废水", "六价铬", "GB/T 7467-1987"),
        _lab("环境", "环境空气", "PM2.5", "HJ 618-2011"),
        _lab("环境", "环境空气", "二氧化氮", "HJ 479-2009"),
        _lab("环境", "固定污染源废气", "二氧化硫", "HJ 57-2017"),
        _lab("环境", "固定污染源废气", "颗粒物", "HJ 836-2017"),
        _lab("环境", "土壤和沉积物", "镉", "GB/T 17141-1997"),
        _lab("环境", "土壤和沉积物", "挥发性有机物", "HJ 605-2011"),
        _lab("环境", "噪声", "工业企业厂界环境噪声", "GB 12348-2008"),
        _lab("环境", "噪声", "社会生活环境噪声", "GB 22337-2008"),
    ),
    "water": (
        _lab("水质", "生活饮用水", "浑浊度", "GB/T 5750.4-2023", old="GB/T 5750.4-2006"),
        _lab("水质", "生活饮用水", "菌落总数", "GB/T 5750.12-2023", old="GB/T 5750.12-2006"),
        _lab("水质", "生活饮用水", "砷", "GB/T 5750.6-2023", old="GB/T 5750.6-2006"),
        _lab("水质", "生活饮用水", "游离氯", "GB/T 5750.11-2023", old="GB/T 5750.11-2006"),
        _lab("水质", "生活饮用水", "耗氧量", "GB/T 5750.7-2023", old="GB/T 5750.7-2006"),
        _lab("水质", "地表水", "溶解氧", "HJ 506-2009"),
        _lab("水质", "地下水", "硝酸盐氮", "HJ/T 346-2007"),
        _lab("水质", "污水", "五日生化需氧量", "HJ 505-2009"),
        _lab("水质", "游泳池水", "尿素", "GB/T 18204.9-2000"),
    ),
    "electrical": (
        _lab("电子电器", "家用和类似用途电器", "泄漏电流和电气强度", "GB 4706.1-2005"),
        _lab("电子电器", "家用和类似用途电器", "发热", "GB 4706.1-2005"),
        _lab("电子电器", "灯具", "耐热、耐火和耐起痕", "GB 7000.1-2015"),
        _lab("电子电器", "电线电缆", "导体电阻", "GB/T 3048.4-2007"),
        _lab("电子电器", "电子电气产品", "铅、汞、镉、六价铬", "GB/T 39560.5-2021", old="GB/T 26125-2011"),
        _lab("电子电器", "信息技术设备", "安全", "GB 4943.1-2022", old="GB 4943.1-2011"),
        _lab("电子电器", "低压开关设备", "温升", "GB/T 14048.1-2023", old="GB/T 14048.1-2012"),
        _lab("电子电器", "插头插座", "拔出插头所需的力", "GB/T 2099.1-2021"),
        _lab("电子电器", "锂离子电池", "过充电", "GB 31241-2022", old="GB 31241-2014"),
    ),
    "emc": (
        _lab("电磁兼容", "信息技术设备", "传导骚扰", "GB/T 9254.1-2021", old="GB/T 9254-2008"),
        _lab("电磁兼容", "信息技术设备", "辐射骚扰", "GB/T 9254.1-2021", old="GB/T 9254-2008"),
        _lab("电磁兼容", "电气电子设备", "静电放电抗扰度", "GB/T 17626.2-2018"),
        _lab("电磁兼容", "电气电子设备", "射频电磁场辐射抗扰度", "GB/T 17626.3-2023", old="GB/T 17626.3-2016"),
        _lab("电磁兼容", "电气电子设备", "电快速瞬变脉冲群抗扰度", "GB/T 17626.4-2018"),
        _lab("电磁兼容", "电气电子设备", "浪涌（冲击）抗扰度", "GB/T 17626.5-2019"),
        _lab("电磁兼容", "家用电器、电动工具", "骚扰功率", "GB 4343.1-2018"),
        _lab("电磁兼容", "照明设备", "插入损耗", "GB/T 17743-2021"),
        _lab("无线电", "短距离无线电设备", "发射功率", "YD/T 2583.14-2024", limitation="频率范围 30 MHz～6 GHz"),
    ),
    "construction": (
        _lab("建筑工程", "混凝土", "抗压强度", "GB/T 50081-2019"),
        _lab("建筑工程", "钢筋", "屈服强度、抗拉强度、断后伸长率", "GB/T 28900-2022", old="GB/T 28900-2012"),
        _lab("建筑工程", "水泥", "安定性", "GB/T 1346-2011"),
        _lab("建筑工程", "水泥", "胶砂强度", "GB/T 17671-2021", old="GB/T 17671-1999"),
        _lab("建筑工程", "建筑外窗", "气密、水密、抗风压性能", "GB/T 7106-2019"),
        _lab("建筑工程", "防水卷材", "拉力及延伸率", "GB/T 328.8-2007"),
        _lab("建筑工程", "砌墙砖", "抗压强度", "GB/T 2542-2012"),
        _lab("建筑工程", "室内环境", "甲醛", "GB/T 18204.2-2014"),
        _lab("建筑工程", "建筑材料", "放射性核素限量", "GB 6566-2010"),
        _lab("建筑工程", "钢结构", "焊缝超声检测", "GB/T 11345-2023", old="GB/T 11345-2013"),
        _lab("建筑工程", "地基基础", "单桩竖向抗压静载试验", "JGJ 106-2014", limitation="最大加载量 20000 kN"),
    ),
    "textile": (
        _lab("纺织品", "纺织品", "甲醛含量", "GB/T 2912.1-2009"),
        _lab("纺织品", "纺织品", "pH值", "GB/T 7573-2009"),
        _lab("纺织品", "纺织品", "耐摩擦色牢度", "GB/T 3920-2024", old="GB/T 3920-2008"),
        _lab("纺织品", "纺织品", "耐水色牢度", "GB/T 5713-2013"),
        _lab("纺织品", "纺织品", "纤维含量", "FZ/T 01057-2007"),
        _lab("纺织品", "纺织品", "可分解致癌芳香胺染料", "GB/T 17592-2024", old="GB/T 17592-2011"),
        _lab("纺织品", "纺织品", "断裂强力", "GB/T 3923.1-2013"),
        _lab("纺织品", "婴幼儿及儿童纺织产品", "绳带", "GB 31701-2015"),
        _lab("纺织品", "羽绒羽毛", "含绒量", "GB/T 10288-2016"),
    ),
    "materials": (
        _lab("金属材料", "金属材料", "室温拉伸", "GB/T 228.1-2021", old="GB/T 228.1-2010"),
        _lab("金属材料", "金属材料", "布氏硬度", "GB/T 231.1-2018"),
        _lab("金属材料", "金属材料", "夏比摆锤冲击", "GB/T 229-2020"),
        _lab("金属材料", "钢铁", "碳、硫含量", "GB/T 20123-2006"),
        _lab("金属材料", "不锈钢", "晶间腐蚀", "GB/T 4334-2020"),
        _lab("无损检测", "焊接接头", "射线检测", "GB/T 3323.1-2019"),
        _lab("无损检测", "钢锻件", "超声检测", "GB/T 6402-2024", old="GB/T 6402-2008"),
        _lab("无损检测", "铁磁性材料", "磁粉检测", "GB/T 15822.1-2024", old="GB/T 15822.1-2005"),
        _lab("金属材料", "金属材料", "金相组织", "GB/T 13298-2015"),
    ),
    "chemical": (
        _lab("化学分析", "化工产品", "水分（卡尔·费休法）", "GB/T 6283-2008"),
        _lab("化学分析", "石油产品", "闪点（闭口杯法）", "GB/T 261-2021", old="GB/T 261-2008"),
        _lab("化学分析", "石油产品", "运动黏度", "GB/T 265-1988"),
        _lab("化学分析", "塑料", "熔体质量流动速率", "GB/T 3682.1-2018"),
        _lab("化学分析", "涂料", "挥发性有机化合物含量", "GB/T 23985-2009"),
        _lab("化学分析", "化妆品", "汞", "《化妆品安全技术规范》（2015年版）4.1.3"),
        _lab("化学分析", "工业用水", "氯离子", "GB/T 15453-2018"),
        _lab("化学分析", "肥料", "总氮含量", "GB/T 8572-2010"),
        _lab("化学分析", "煤", "发热量", "GB/T 213-2008"),
    ),
    "automotive": (
        _lab("汽车及零部件", "汽车内饰材料", "燃烧特性", "GB 8410-2006"),
        _lab("汽车及零部件", "汽车安全带", "动态性能", "GB 14166-2013"),
        _lab("汽车及零部件", "车内空气", "挥发性有机物和醛酮类物质", "HJ/T 400-2007"),
        _lab("汽车及零部件", "汽车座椅", "座椅系统强度", "GB 15083-2019"),
        _lab("汽车及零部件", "汽车灯具", "配光性能", "GB 4599-2024", old="GB 4599-2007"),
        _lab("汽车及零部件", "制动软管", "爆裂压力", "GB 16897-2022", old="GB 16897-2010"),
        _lab("汽车及零部件", "电动汽车用动力蓄电池", "热扩散", "GB 38031-2025", old="GB 38031-2020"),
        _lab("汽车及零部件", "汽车零部件", "盐雾试验", "GB/T 10125-2021"),
    ),
    "agriculture": (
        _lab("农产品", "蔬菜", "毒死蜱等农药残留", "NY/T 761-2008"),
        _lab("农产品", "水果", "吡虫啉、啶虫脒", "GB/T 23379-2009"),
        _lab("农产品", "动物源性食品", "氯霉素", "GB/T 22338-2008"),
        _lab("农产品", "水产品", "孔雀石绿", "GB/T 19857-2005"),
        _lab("农产品", "茶叶", "稀土", "GB 5009.94-2012"),
        _lab("农产品", "大米", "镉", "GB 5009.15-2023", old="GB 5009.15-2014"),
        _lab("农产品", "饲料", "粗蛋白", "GB/T 6432-2018"),
        _lab("农产品", "土壤", "有效磷", "HJ 704-2014"),
    ),
    "calibration": (
        _lab("长度", "量块", "长度偏差", "JJG 146-2011", limitation="等别 3等、4等；标称长度 (0.5～100) mm"),
        _lab("长度", "卡尺", "示值误差", "JJG 30-2012"),
        _lab("长度", "千分尺", "示值误差", "JJG 21-2008"),
        _lab("力学", "压力表", "示值误差", "JJG 52-2013", limitation="测量范围 (0～60) MPa"),
        _lab("力学", "砝码", "折算质量", "JJG 99-2022", old="JJG 99-2006"),
        _lab("力学", "电子天平", "示值误差", "JJG 1036-2022", old="JJG 1036-2008"),
        _lab("热学", "工作用热电偶", "热电动势", "JJF 1637-2017"),
        _lab("热学", "环境试验设备", "温度偏差、均匀度", "JJF 1101-2019"),
        _lab("电磁学", "数字多用表", "直流电压、交流电压、电阻", "JJF 1587-2016"),
        _lab("电磁学", "绝缘电阻表", "示值误差", "JJG 622-1997"),
        _lab("时间频率", "秒表", "日差", "JJG 237-2010"),
        _lab("光学", "照度计", "示值误差", "JJG 245-2005"),
    ),
    # --- Medical laboratories (ML) --------------------------------------------------------
    "medical": (
        _med("临床化学", "丙氨酸氨基转移酶（ALT）", "血清", "速率法", old="IFCC推荐方法（无磷酸吡哆醛）"),
        _med("临床化学", "肌酐", "血清", "酶法"),
        _med("临床化学", "葡萄糖", "血浆", "己糖激酶法"),
        _med("临床化学", "总胆固醇", "血清", "胆固醇氧化酶法"),
        _med("临床化学", "糖化血红蛋白", "EDTA抗凝全血", "高效液相色谱法"),
        _med("临床血液学", "血细胞计数（白细胞、红细胞、血红蛋白、血小板）", "EDTA抗凝全血", "电阻抗法、流式细胞术"),
        _med("临床血液学", "凝血酶原时间", "枸橼酸钠抗凝血浆", "凝固法"),
        _med("临床免疫学", "乙型肝炎病毒表面抗原", "血清", "化学发光免疫分析法"),
        _med("临床免疫学", "甲胎蛋白", "血清", "化学发光免疫分析法"),
        _med("临床免疫学", "人类免疫缺陷病毒抗体", "血清", "酶联免疫吸附法", old="胶体金法"),
        _med("临床微生物学", "细菌培养与鉴定", "血液", "自动化血培养、基质辅助激光解吸电离飞行时间质谱"),
        _med("临床微生物学", "抗菌药物敏感性试验", "分离菌株", "微量肉汤稀释法"),
        _med("分子诊断", "乙型肝炎病毒DNA定量", "血清", "实时荧光定量PCR"),
        _med("分子诊断", "人乳头瘤病毒基因分型", "宫颈脱落细胞", "PCR-反向点杂交法"),
        _med("体液学", "尿液有形成分分析", "尿液", "流式细胞术"),
        _med("病理学", "HER2免疫组织化学检测", "石蜡包埋组织", "免疫组织化学法"),
    ),
    # --- Inspection bodies (IB) -----------------------------------------------------------
    "special_equipment": (
        _insp("特种设备", "A类", "电梯", "TSG T7001-2023 电梯监督检验和定期检验规则", old="TSG T7001-2009"),
        _insp("特种设备", "A类", "固定式压力容器", "TSG 21-2016 固定式压力容器安全技术监察规程"),
        _insp("特种设备", "A类", "起重机械", "TSG 51-2023 起重机械安全技术规程", old="TSG Q7015-2016"),
        _insp("特种设备", "A类", "场（厂）内专用机动车辆", "TSG 81-2022"),
        _insp("特种设备", "A类", "压力管道", "TSG D7005-2018", limitation="仅限工业管道 GC2、GC3"),
        _insp("特种设备", "A类", "大型游乐设施", "TSG 71-2023", old="TSG T7002-2016"),
        _insp("特种设备", "A类", "锅炉", "TSG 11-2020 锅炉安全技术规程"),
    ),
    "cargo": (
        _insp("进出口商品", "A类", "散装货物重量（水尺计重）", "SN/T 3023.2-2012"),
        _insp("进出口商品", "A类", "集装箱装箱监装", "SN/T 1240-2003"),
        _insp("进出口商品", "A类", "船舶舱容与货物积载", "SN/T 0187-2019"),
        _insp("进出口商品", "A类", "铁矿石取制样", "GB/T 10322.1-2023", old="GB/T 10322.1-2014"),
        _insp("进出口商品", "A类", "煤炭取样与重量", "GB/T 19494.1-2023"),
        _insp("公估", "A类", "货物运输损失鉴定", "SN/T 2221-2008", limitation="不含危险货物"),
        _insp("纺织服装", "A类", "出厂前批量抽样检验", "GB/T 2828.1-2012"),
    ),
    "vehicles": (
        _insp("机动车", "A类", "机动车安全技术检验", "GB 38900-2020", old="GB 21861-2014"),
        _insp("机动车", "A类", "汽油车污染物排放检验（简易工况法）", "GB 18285-2018"),
        _insp("机动车", "A类", "柴油车污染物排放检验（加载减速法）", "GB 3847-2018"),
        _insp("机动车", "A类", "营运车辆综合性能检测", "GB 18565-2016"),
        _insp("机动车", "A类", "新能源汽车动力蓄电池安全检验", "GB/T 38661-2020"),
    ),
    "factory": (
        _insp("工厂检查", "A类", "强制性产品认证工厂质量保证能力", "CNCA-00C-005:2014"),
        _insp("建设工程", "A类", "房屋建筑结构安全性鉴定", "GB 50292-2015"),
        _insp("建设工程", "A类", "既有建筑抗震鉴定", "GB 50023-2009"),
        _insp("消防", "A类", "建筑消防设施检测", "XF 503-2004"),
        _insp("电力", "A类", "光伏电站并网性能", "GB/T 19964-2024", old="GB/T 19964-2012"),
    ),
    # --- Management system certification (MS) ---------------------------------------------
    "management_systems": (
        _ms("GB/T 19001-2016 / ISO 9001:2015", ["IAF 17", "IAF 18", "IAF 19", "IAF 28", "IAF 29", "IAF 34"], first=4),
        _ms("GB/T 24001-2016 / ISO 14001:2015", ["IAF 17", "IAF 18", "IAF 28", "IAF 31"], first=3),
        _ms("GB/T 45001-2020 / ISO 45001:2018", ["IAF 17", "IAF 18", "IAF 28", "IAF 34"], first=2),
        _ms("ISO/IEC 27001:2022", ["IAF 33", "IAF 35"]),
        _ms("GB/T 22000-2006 / ISO 22000:2018", ["C", "CI", "CIV", "D"], first=2),
        _ms("危害分析与关键控制点（HACCP）体系认证要求（V1.0）", ["CI", "CII", "CIII"]),
        _ms("GB/T 23331-2020 / ISO 50001:2018", ["IAF 17", "IAF 25", "IAF 26"]),
        _ms("YY/T 0287-2017 / ISO 13485:2016", ["IAF 19", "IAF 38"]),
        _ms("GB/T 50430-2017 工程建设施工企业质量管理规范", ["IAF 28"]),
        _ms("ISO 37001:2016", ["IAF 29", "IAF 35"]),
        _ms("GB/T 27922-2011 商品售后服务评价体系", ["IAF 29"]),
        _ms("ISO/IEC 20000-1:2018", ["IAF 33"]),
    ),
    # --- Product certification (PRD) ------------------------------------------------------
    "products": (
        _prd("CNCA-C01-01:2024 强制性产品认证实施规则 电线电缆",
             "电线组件、额定电压450/750V及以下聚氯乙烯绝缘电缆", ["CPC 4631"], old="CNCA-C01-01:2014"),
        _prd("CNCA-C07-01:2017 强制性产品认证实施规则 家用和类似用途设备", "家用电冰箱、洗衣机、电热水器", ["CPC 448"]),
        _prd("GB/T 19630-2019 有机产品 生产、加工、标识与管理体系要求",
             "有机植物生产、有机加工产品", ["CPC 01", "CPC 21"], old="GB/T 19630-2011"),
        _prd("GB/T 35601-2017 绿色产品评价 人造板和木质地板", "人造板、木质地板", ["CPC 314"]),
        _prd("GB/T 20014.2-2013 良好农业规范 第2部分：农场基础控制点与符合性规范", "作物、畜禽"),
        _prd("GB 21455-2019 房间空气调节器能效限定值及能效等级（节能产品认证）", "房间空气调节器", ["CPC 4482"]),
        _prd("GB/T 33761-2017 绿色产品评价通则 / 绿色建材评价", "预拌混凝土、建筑陶瓷", ["CPC 375"]),
        _prd("EN 15085-2:2020 铁路应用 轨道车辆及其部件的焊接", "轨道车辆焊接构件"),
    ),
    # --- Persons certification (PER) ------------------------------------------------------
    "persons": (
        _per("GB/T 9445-2015 / ISO 9712:2012 无损检测人员资格鉴定与认证", "射线检测（RT）1级、2级、3级"),
        _per("GB/T 9445-2015 / ISO 9712:2012 无损检测人员资格鉴定与认证", "超声检测（UT）1级、2级、3级"),
        _per("ISO 14731:2019 焊接协调人员认证方案", "国际焊接工程师、国际焊接技术员"),
        _per("管理体系审核员注册准则", "质量管理体系审核员、高级审核员"),
        _per("信息安全保障人员认证方案", "信息安全保障人员（风险管理方向）"),
        _per("能源管理体系审核员认证方案", "能源管理体系审核员", limitation="仅限初级"),
        _per("建筑信息模型（BIM）应用人员认证方案", "BIM建模师"),
    ),
    # --- Proficiency testing providers (PTP) ----------------------------------------------
    "pt": (
        _pt("食品", "大米粉", "镉", "GB 5009.15-2023"),
        _pt("食品", "食用植物油", "酸价、过氧化值"),
        _pt("水质", "模拟水样", "化学需氧量", "HJ 828-2017"),
        _pt("水质", "模拟水样", "氨氮"),
        _pt("纺织品", "棉织物", "甲醛含量", "GB/T 2912.1-2009"),
        _pt("金属材料", "钢板试样", "抗拉强度、断后伸长率"),
        _pt("校准", "数字多用表", "直流电压（测量审核）"),
        _pt("校准", "量块", "中心长度（测量审核）"),
        _pt("临床检验", "冻干质控血清", "葡萄糖、肌酐、总胆固醇"),
        _pt("电磁兼容", "传递样品（信息技术设备）", "辐射骚扰"),
    ),
    # --- Reference material producers (RMP) -----------------------------------------------
    "reference_materials": (
        _rm("化学成分", "大米粉", "镉质量分数", "电感耦合等离子体质谱法"),
        _rm("化学成分", "土壤", "铅、镉、砷质量分数", "电感耦合等离子体质谱法、原子荧光光谱法"),
        _rm("化学成分", "甲醇中有机磷农药混合溶液", "质量浓度", "重量法配制、气相色谱法核验"),
        _rm("化学成分", "水中重金属离子溶液", "质量浓度", "重量法配制、ICP-OES核验"),
        _rm("物理特性", "pH缓冲溶液", "pH值", "电位法（一级pH测量装置）"),
        _rm("物理特性", "黏度标准液", "运动黏度", "毛细管黏度计法"),
        _rm("工程技术", "碳素钢", "碳、硫质量分数", "高频燃烧红外吸收法"),
        _rm("工程技术", "高分子材料", "熔体质量流动速率", "GB/T 3682.1-2018"),
        _rm("临床化学", "人血清", "总胆固醇浓度", "同位素稀释质谱法"),
    ),
    # --- Biobanks (BB) --------------------------------------------------------------------
    "biobank": (
        _bb("人类组织样本（新鲜冷冻组织）", "采集、处理、储存、分发"),
        _bb("人类组织样本（石蜡包埋组织）", "处理、储存、分发"),
        _bb("人类血液及其衍生物（血清、血浆、白细胞层）", "采集、处理、储存、分发"),
        _bb("人类核酸（DNA、RNA）", "提取、质量控制、储存、分发"),
        _bb("人类尿液样本", "采集、储存", limitation="仅限本院伦理委员会批准的研究项目"),
        _bb("微生物菌（毒）种", "保藏、分发", limitation="仅限第三类、第四类病原微生物"),
        _bb("人类细胞系", "培养、冻存、复苏、分发"),
    ),
    # --- Validation and verification (VV) -------------------------------------------------
    "validation_verification": (
        _vv("ISO 14067:2018 产品碳足迹", ["电子电器", "纺织服装", "建材"], "核查", first=1),
        _vv("ISO 14025:2006 环境产品声明（EPD）", ["建材", "化工产品"], "核查"),
        _vv("绿色债券评估认证指引", ["可再生能源", "清洁交通", "节能建筑"], "核查", first=2),
        _vv("环境、社会和治理（ESG）信息披露", ["制造业", "金融业"], "核查"),
        _vv("ISO 14064-2:2019 温室气体项目", ["能源工业（可再生能源）", "林业碳汇"], "审定"),
        _vv("ISO 14046:2014 水足迹", ["食品饮料", "纺织服装"], "核查"),
    ),
    "greenhouse_gas": (
        _vv("ISO 14064-1:2018 组织层面温室气体排放和清除", ["发电", "钢铁", "水泥", "化工", "民航"], "核查", first=3),
        _vv("全国碳排放权交易市场 企业温室气体排放核算与报告", ["发电", "水泥熟料", "电解铝"], "核查", first=1),
        _vv("温室气体自愿减排项目（CCER）", ["能源工业（可再生能源）", "林业碳汇", "甲烷回收利用"], "审定与核查"),
        _vv("ISO 14064-2:2019 温室气体项目", ["能源工业", "废物处置"], "审定"),
        _vv("PAS 2060:2014 碳中和", ["大型活动", "园区"], "核查"),
    ),
}
# fmt: on
