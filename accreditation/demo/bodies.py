"""The demonstration register: sixty made-up bodies and the history of each accreditation.

Names follow the way Chinese conformity assessment bodies are named (public institutes,
limited companies, hospitals), but the brand words are invented: any likeness to a real
organisation is a coincidence. Each accreditation has a ``Story``, which ``seed`` plays
through the services: how many scope issues it went through and where its status ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from accreditation.choices import CabKind
from accreditation.demo.identifiers import COMPANY, PRIVATE_NON_ENTERPRISE, PUBLIC_INSTITUTION


class Story(StrEnum):
    ACCREDITED = "accredited"  # one issue
    EXTENDED = "extended"  # a scope extension: two issues
    REVISED = "revised"  # an extension, then methods brought up to date with a further extension: three issues
    HISTORY = "history"  # extension, revision, then a reduction: four issues
    REDUCED = "reduced"  # a reduction at the CAB's request: two issues
    SUSPENDED = "suspended"
    PARTIALLY_SUSPENDED = "partially_suspended"  # an extension, then part of the scope suspended: three issues
    WITHDRAWN = "withdrawn"  # suspended, then withdrawn
    CANCELLED = "cancelled"  # given up by the CAB (注销)
    EXPIRED = "expired"  # the cycle ran out without a reassessment
    APPLICANT = "applicant"  # applied, not yet decided: a draft scope only


@dataclass(frozen=True)
class Plan:
    programme: str
    catalogue: str
    story: Story


@dataclass(frozen=True)
class Body:
    key: str
    name_zh: str
    name_en: str
    city: str
    registration: str
    kind: CabKind
    plans: tuple[Plan, ...]
    #: Name of a further site, where some scope items are performed.
    second_site: str = ""


K = CabKind
S = Story
GOV, CO, NGO = PUBLIC_INSTITUTION, COMPANY, PRIVATE_NON_ENTERPRISE


def _b(
    key: str,
    name_zh: str,
    name_en: str,
    city: str,
    registration: str,
    kind: CabKind,
    *plans: tuple[str, str, Story],
    site: str = "",
) -> Body:
    return Body(key, name_zh, name_en, city, registration, kind, tuple(Plan(*p) for p in plans), site)


# fmt: off
BODIES: tuple[Body, ...] = (
    # --- Testing and calibration laboratories ------------------------------------------------
    _b("suzhou-metrology", "苏州市精密计量测试研究院",
       "Suzhou Precision Metrology and Testing Research Institute",
       "suzhou", GOV, K.LABORATORY, ("CL", "calibration", S.HISTORY), ("PTP", "pt", S.EXTENDED), site="虎丘实验基地"),
    _b("guangdong-light-industry", "广东省轻工产品质量检验研究院",
       "Guangdong Light Industry Product Quality Inspection Research Institute",
       "guangzhou", GOV, K.LABORATORY,
       ("CL", "electrical", S.REVISED), ("IB", "factory", S.ACCREDITED), site="黄埔检测基地"),
    _b("hangzhou-hengzhun", "杭州衡准检测技术有限公司",
       "Hangzhou Hengzhun Testing Technology Co., Ltd.",
       "hangzhou", CO, K.LABORATORY, ("CL", "food", S.PARTIALLY_SUSPENDED)),
    _b("nanjing-xinpu", "南京信谱环境检测有限公司",
       "Nanjing Xinpu Environmental Testing Co., Ltd.",
       "nanjing", CO, K.LABORATORY, ("CL", "environment", S.EXTENDED)),
    _b("chengdu-mingjian", "成都明鉴食品检测有限公司",
       "Chengdu Mingjian Food Testing Co., Ltd.",
       "chengdu", CO, K.LABORATORY, ("CL", "food", S.HISTORY), site="天府新区实验室"),
    _b("wuhan-boce", "武汉博测电子电器检测有限公司",
       "Wuhan Boce Electrical and Electronic Testing Co., Ltd.",
       "wuhan", CO, K.LABORATORY, ("CL", "electrical", S.ACCREDITED)),
    _b("shandong-construction", "山东省建工质量检测研究院有限公司",
       "Shandong Jiangong Construction Quality Testing Research Institute Co., Ltd.",
       "jinan", CO, K.LABORATORY, ("CL", "construction", S.REDUCED)),
    _b("qingdao-haiheng", "青岛海衡纺织品检测有限公司",
       "Qingdao Haiheng Textile Testing Co., Ltd.",
       "qingdao", CO, K.LABORATORY, ("CL", "textile", S.ACCREDITED)),
    _b("tianjin-ruijian", "天津滨海睿检检测技术有限公司",
       "Tianjin Binhai Ruijian Testing Technology Co., Ltd.",
       "tianjin", CO, K.LABORATORY, ("CL", "chemical", S.SUSPENDED)),
    _b("shenyang-taice", "沈阳泰测材料检测有限公司",
       "Shenyang Taice Materials Testing Co., Ltd.",
       "shenyang", CO, K.LABORATORY, ("CL", "materials", S.EXTENDED)),
    _b("xian-jingxi", "西安精析化学分析测试有限公司",
       "Xi'an Jingxi Chemical Analysis and Testing Co., Ltd.",
       "xian", CO, K.LABORATORY, ("CL", "chemical", S.ACCREDITED)),
    _b("zhengzhou-agri", "郑州市农产品质量安全检测中心",
       "Zhengzhou Agricultural Product Quality and Safety Testing Center",
       "zhengzhou", GOV, K.LABORATORY, ("CL", "agriculture", S.ACCREDITED)),
    _b("changsha-hengxin", "长沙恒信汽车零部件检测有限公司",
       "Changsha Hengxin Auto Parts Testing Co., Ltd.",
       "changsha", CO, K.LABORATORY, ("CL", "automotive", S.REVISED)),
    _b("fuzhou-dezhun", "福州德准水质检测有限公司",
       "Fuzhou Dezhun Water Quality Testing Co., Ltd.",
       "fuzhou", CO, K.LABORATORY, ("CL", "water", S.SUSPENDED)),
    _b("hefei-hengyuan", "合肥中科衡元检测技术有限公司",
       "Hefei Zhongke Hengyuan Testing Technology Co., Ltd.",
       "hefei", CO, K.LABORATORY, ("CL", "environment", S.ACCREDITED)),
    _b("kunming-yunce", "昆明云测生态环境监测有限公司",
       "Kunming Yunce Ecological Environment Monitoring Co., Ltd.",
       "kunming", CO, K.LABORATORY, ("CL", "environment", S.EXTENDED)),
    _b("harbin-beiheng", "哈尔滨北衡计量校准有限公司",
       "Harbin Beiheng Metrology and Calibration Co., Ltd.",
       "harbin", CO, K.LABORATORY, ("CL", "calibration", S.ACCREDITED), ("RMP", "reference_materials", S.ACCREDITED)),
    _b("shenzhen-annuo", "深圳市安诺电磁兼容检测有限公司",
       "Shenzhen Annuo EMC Testing Co., Ltd.",
       "shenzhen", CO, K.LABORATORY, ("CL", "emc", S.REVISED), site="宝安射频实验室"),
    _b("guiyang-qianjian", "贵阳黔检质量检测有限公司",
       "Guiyang Qianjian Quality Testing Co., Ltd.",
       "guiyang", CO, K.LABORATORY, ("CL", "food", S.WITHDRAWN)),
    _b("urumqi-tianshan", "乌鲁木齐天山检测技术有限公司",
       "Urumqi Tianshan Testing Technology Co., Ltd.",
       "urumqi", CO, K.LABORATORY, ("CL", "agriculture", S.EXPIRED)),
    _b("shijiazhuang-jiheng", "石家庄冀衡检测技术有限公司",
       "Shijiazhuang Jiheng Testing Technology Co., Ltd.",
       "shijiazhuang", CO, K.LABORATORY, ("CL", "construction", S.APPLICANT)),
    _b("nanning-guiheng", "南宁桂衡检测有限公司",
       "Nanning Guiheng Testing Co., Ltd.",
       "nanning", CO, K.LABORATORY, ("CL", "food", S.APPLICANT)),
    _b("lhasa-gaoyuan", "拉萨高原检测技术有限公司",
       "Lhasa Gaoyuan Testing Technology Co., Ltd.",
       "lhasa", CO, K.LABORATORY, ("CL", "water", S.ACCREDITED)),
    _b("wuxi-xinrui", "无锡芯睿电子可靠性检测有限公司",
       "Wuxi Xinrui Electronic Reliability Testing Co., Ltd.",
       "wuxi", CO, K.LABORATORY, ("CL", "emc", S.ACCREDITED)),
    _b("nanchang-ganjian", "南昌赣检建设工程质量检测有限公司",
       "Nanchang Ganjian Construction Quality Testing Co., Ltd.",
       "nanchang", CO, K.LABORATORY, ("CL", "construction", S.EXTENDED)),
    # --- Medical laboratories -----------------------------------------------------------------
    _b("ningbo-yongkang", "宁波甬康医学检验实验室有限公司",
       "Ningbo Yongkang Medical Laboratory Co., Ltd.",
       "ningbo", CO, K.MEDICAL_LABORATORY, ("ML", "medical", S.EXTENDED)),
    _b("chongqing-yuxin", "重庆渝信医学检验所有限公司",
       "Chongqing Yuxin Clinical Laboratory Co., Ltd.",
       "chongqing", CO, K.MEDICAL_LABORATORY, ("ML", "medical", S.REVISED)),
    _b("changchun-changbai", "长春长白人民医院",
       "Changchun Changbai People's Hospital",
       "changchun", GOV, K.MEDICAL_LABORATORY, ("ML", "medical", S.ACCREDITED), ("BB", "biobank", S.ACCREDITED)),
    _b("lanzhou-longyuan", "兰州陇原医学检验实验室有限公司",
       "Lanzhou Longyuan Medical Laboratory Co., Ltd.",
       "lanzhou", CO, K.MEDICAL_LABORATORY, ("ML", "medical", S.WITHDRAWN)),
    _b("haikou-yecheng", "海口椰城妇幼保健院",
       "Haikou Yecheng Maternal and Child Health Hospital",
       "haikou", GOV, K.MEDICAL_LABORATORY, ("ML", "medical", S.ACCREDITED)),
    _b("taiyuan-jinkang", "太原晋康医学检验有限公司",
       "Taiyuan Jinkang Medical Laboratory Co., Ltd.",
       "taiyuan", CO, K.MEDICAL_LABORATORY, ("ML", "medical", S.APPLICANT)),
    _b("shanghai-pujiang-clinical", "上海浦江临床检验中心有限公司",
       "Shanghai Pujiang Clinical Laboratory Center Co., Ltd.",
       "shanghai", CO, K.MEDICAL_LABORATORY, ("ML", "medical", S.ACCREDITED)),
    # --- Inspection bodies --------------------------------------------------------------------
    _b("wuxi-huaheng", "江苏华衡商品检验有限公司",
       "Jiangsu Huaheng Commodity Inspection Co., Ltd.",
       "wuxi", CO, K.INSPECTION_BODY, ("IB", "cargo", S.EXTENDED)),
    _b("dalian-haigang", "大连海港特种设备检验有限公司",
       "Dalian Haigang Special Equipment Inspection Co., Ltd.",
       "dalian", CO, K.INSPECTION_BODY, ("IB", "special_equipment", S.REVISED)),
    _b("shanghai-yuanyang", "上海远洋船舶货物检验有限公司",
       "Shanghai Yuanyang Ship and Cargo Inspection Co., Ltd.",
       "shanghai", CO, K.INSPECTION_BODY, ("IB", "cargo", S.ACCREDITED)),
    _b("xiamen-luxin", "厦门鹭信公估检验有限公司",
       "Xiamen Luxin Surveying and Inspection Co., Ltd.",
       "xiamen", CO, K.INSPECTION_BODY, ("IB", "cargo", S.SUSPENDED)),
    _b("hohhot-caoyuan", "内蒙古草原机动车检验有限公司",
       "Inner Mongolia Caoyuan Motor Vehicle Inspection Co., Ltd.",
       "hohhot", CO, K.INSPECTION_BODY, ("IB", "vehicles", S.ACCREDITED)),
    _b("hubei-special-equipment", "湖北荆楚特种设备检验检测研究院",
       "Hubei Jingchu Special Equipment Inspection and Testing Institute",
       "wuhan", GOV, K.INSPECTION_BODY, ("IB", "special_equipment", S.ACCREDITED), ("CL", "materials", S.ACCREDITED)),
    # --- Certification bodies -----------------------------------------------------------------
    _b("zhonglian-huaxin", "中联华信认证中心有限公司",
       "Zhonglian Huaxin Certification Center Co., Ltd.",
       "beijing", CO, K.CERTIFICATION_BODY, ("MS", "management_systems", S.REVISED), ("PRD", "products", S.EXTENDED)),
    _b("beijing-guohuan-licheng", "北京国环立诚认证有限公司",
       "Beijing Guohuan Licheng Certification Co., Ltd.",
       "beijing", CO, K.CERTIFICATION_BODY,
       ("MS", "management_systems", S.EXTENDED), ("GHG", "greenhouse_gas", S.ACCREDITED)),
    _b("shanghai-hengbiao", "上海恒标认证有限公司",
       "Shanghai Hengbiao Certification Co., Ltd.",
       "shanghai", CO, K.CERTIFICATION_BODY, ("MS", "management_systems", S.ACCREDITED)),
    _b("shenzhen-pengxin", "深圳鹏信质量认证有限公司",
       "Shenzhen Pengxin Quality Certification Co., Ltd.",
       "shenzhen", CO, K.CERTIFICATION_BODY, ("MS", "management_systems", S.REDUCED)),
    _b("zhejiang-chengyuan", "浙江诚远认证有限公司",
       "Zhejiang Chengyuan Certification Co., Ltd.",
       "hangzhou", CO, K.CERTIFICATION_BODY, ("MS", "management_systems", S.ACCREDITED)),
    _b("hubei-chubiao", "湖北楚标认证有限公司",
       "Hubei Chubiao Certification Co., Ltd.",
       "wuhan", CO, K.CERTIFICATION_BODY, ("MS", "management_systems", S.WITHDRAWN)),
    _b("sichuan-tianfu", "四川天府质量认证中心有限公司",
       "Sichuan Tianfu Quality Certification Center Co., Ltd.",
       "chengdu", CO, K.CERTIFICATION_BODY,
       ("MS", "management_systems", S.EXTENDED), ("PRD", "products", S.ACCREDITED)),
    _b("shaanxi-qinxin", "陕西秦信认证有限公司",
       "Shaanxi Qinxin Certification Co., Ltd.",
       "xian", CO, K.CERTIFICATION_BODY, ("MS", "management_systems", S.APPLICANT)),
    _b("guangzhou-yuejian", "广州粤检产品认证有限公司",
       "Guangzhou Yuejian Product Certification Co., Ltd.",
       "guangzhou", CO, K.CERTIFICATION_BODY, ("PRD", "products", S.REVISED)),
    _b("anhui-lvbiao", "安徽绿标产品认证中心有限公司",
       "Anhui Green Label Product Certification Center Co., Ltd.",
       "hefei", CO, K.CERTIFICATION_BODY, ("PRD", "products", S.ACCREDITED)),
    _b("beijing-zhongpei", "北京中培人员认证中心有限公司",
       "Beijing Zhongpei Personnel Certification Center Co., Ltd.",
       "beijing", CO, K.CERTIFICATION_BODY, ("PER", "persons", S.EXTENDED)),
    _b("tianjin-hanxin", "天津焊信人员资格认证有限公司",
       "Tianjin Hanxin Personnel Qualification Certification Co., Ltd.",
       "tianjin", CO, K.CERTIFICATION_BODY, ("PER", "persons", S.SUSPENDED)),
    _b("guangxi-bagui", "广西八桂职业资格认证中心",
       "Guangxi Bagui Professional Qualification Certification Center",
       "nanning", NGO, K.CERTIFICATION_BODY, ("PER", "persons", S.ACCREDITED)),
    # --- Proficiency testing providers, reference material producers, biobanks -----------------
    _b("beijing-zhongce-pt", "北京中测能力验证技术有限公司",
       "Beijing Zhongce Proficiency Testing Technology Co., Ltd.",
       "beijing", CO, K.PT_PROVIDER, ("PTP", "pt", S.ACCREDITED)),
    _b("shanghai-shence", "上海申测比对技术服务有限公司",
       "Shanghai Shence Interlaboratory Comparison Services Co., Ltd.",
       "shanghai", CO, K.PT_PROVIDER, ("PTP", "pt", S.EXTENDED)),
    _b("jinan-biaoyuan", "济南标源标准物质有限公司",
       "Jinan Biaoyuan Reference Materials Co., Ltd.",
       "jinan", CO, K.RM_PRODUCER, ("RMP", "reference_materials", S.EXTENDED)),
    _b("changchun-beifang", "长春北方标准样品研究所有限公司",
       "Changchun Beifang Reference Sample Institute Co., Ltd.",
       "changchun", CO, K.RM_PRODUCER, ("RMP", "reference_materials", S.CANCELLED)),
    _b("ningxia-helanshan", "宁夏贺兰山标准物质研究中心有限公司",
       "Ningxia Helanshan Reference Material Research Center Co., Ltd.",
       "yinchuan", CO, K.RM_PRODUCER, ("RMP", "reference_materials", S.ACCREDITED)),
    _b("shanghai-zhangjiang-biobank", "上海张江生物样本库有限公司",
       "Shanghai Zhangjiang Biobank Co., Ltd.",
       "shanghai", CO, K.BIOBANK, ("BB", "biobank", S.EXTENDED)),
    _b("guangzhou-yuekang", "广州粤康生物样本技术有限公司",
       "Guangzhou Yuekang Biobank Technology Co., Ltd.",
       "guangzhou", CO, K.BIOBANK, ("BB", "biobank", S.ACCREDITED)),
    _b("xining-plateau", "西宁高原生物样本资源中心",
       "Xining Plateau Biological Sample Resource Center",
       "xining", GOV, K.BIOBANK, ("BB", "biobank", S.ACCREDITED)),
    # --- Validation and verification bodies ---------------------------------------------------
    _b("shenzhen-lvzheng", "深圳绿证审定核查有限公司",
       "Shenzhen Lüzheng Validation and Verification Co., Ltd.",
       "shenzhen", CO, K.VALIDATION_VERIFICATION_BODY,
       ("VV", "validation_verification", S.EXTENDED), ("GHG", "greenhouse_gas", S.REVISED)),
    _b("nanjing-huanxin", "南京环信可持续发展核查有限公司",
       "Nanjing Huanxin Sustainability Verification Co., Ltd.",
       "nanjing", CO, K.VALIDATION_VERIFICATION_BODY, ("VV", "validation_verification", S.ACCREDITED)),
    _b("jiangxi-ganlv", "江西赣绿审定核查技术有限公司",
       "Jiangxi Ganlü Validation and Verification Technology Co., Ltd.",
       "nanchang", CO, K.VALIDATION_VERIFICATION_BODY, ("VV", "validation_verification", S.ACCREDITED)),
    _b("beijing-zhongtan", "北京中碳低碳认证技术有限公司",
       "Beijing Zhongtan Low Carbon Certification Technology Co., Ltd.",
       "beijing", CO, K.VALIDATION_VERIFICATION_BODY, ("GHG", "greenhouse_gas", S.EXTENDED)),
    _b("henan-zhongyuan-carbon", "河南中原碳核查有限公司",
       "Henan Zhongyuan Carbon Verification Co., Ltd.",
       "zhengzhou", CO, K.VALIDATION_VERIFICATION_BODY, ("GHG", "greenhouse_gas", S.ACCREDITED)),
)
# fmt: on

#: The bodies the demo logins work for.
LAB_FOR_LOGINS = "suzhou-metrology"
CERTIFICATION_BODY_FOR_LOGINS = "zhonglian-huaxin"
#: The body the demo assessor is given access to (an assessment of its scope extension).
ASSESSED_BODY = "chengdu-mingjian"
