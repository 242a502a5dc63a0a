"""Places for demonstration addresses: cities in most provinces, with districts and roads.

Region codes follow GB/T 2260 at district level (what a credit code carries); postcodes and
telephone area codes are the cities' own. Street numbers are drawn at random, so an address
names no real building except by coincidence.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from accreditation.choices import Province


@dataclass(frozen=True)
class District:
    name_zh: str
    name_en: str
    region: str
    postcode: str


@dataclass(frozen=True)
class City:
    province: Province
    province_zh: str
    province_en: str
    name_zh: str
    name_en: str
    area_code: str
    districts: tuple[District, ...]
    #: The first two roads are in the first district, the third in the second.
    roads: tuple[tuple[str, str], ...]

    @property
    def is_municipality(self) -> bool:
        return self.province_zh == self.name_zh


@dataclass(frozen=True)
class Address:
    city: City
    district: District
    zh: str
    en: str

    @property
    def postcode(self) -> str:
        return self.district.postcode


def _city(
    province: Province,
    province_zh: str,
    province_en: str,
    name_zh: str,
    name_en: str,
    area_code: str,
    districts: list[tuple[str, str, str, str]],
    roads: list[tuple[str, str]],
) -> City:
    return City(
        province=province,
        province_zh=province_zh,
        province_en=province_en,
        name_zh=name_zh,
        name_en=name_en,
        area_code=area_code,
        districts=tuple(District(*d) for d in districts),
        roads=tuple(roads),
    )


P = Province
CITIES: dict[str, City] = {
    "beijing": _city(
        P.BEIJING,
        "北京市",
        "Beijing",
        "北京市",
        "Beijing",
        "010",
        [("海淀区", "Haidian District", "110108", "100083"), ("朝阳区", "Chaoyang District", "110105", "100029")],
        [("学院路", "Xueyuan Road"), ("北四环西路", "North 4th Ring Road West"), ("安定路", "Anding Road")],
    ),
    "tianjin": _city(
        P.TIANJIN,
        "天津市",
        "Tianjin",
        "天津市",
        "Tianjin",
        "022",
        [("滨海新区", "Binhai New Area", "120116", "300457"), ("西青区", "Xiqing District", "120111", "300380")],
        [("第三大街", "3rd Avenue"), ("海泰发展六道", "Haitai Development Road 6"), ("宾水西道", "Binshui West Road")],
    ),
    "shijiazhuang": _city(
        P.HEBEI,
        "河北省",
        "Hebei",
        "石家庄市",
        "Shijiazhuang",
        "0311",
        [("裕华区", "Yuhua District", "130108", "050031"), ("长安区", "Chang'an District", "130102", "050011")],
        [("槐安东路", "Huai'an East Road"), ("建设南大街", "Jianshe South Street"), ("翟营大街", "Zhaiying Street")],
    ),
    "taiyuan": _city(
        P.SHANXI,
        "山西省",
        "Shanxi",
        "太原市",
        "Taiyuan",
        "0351",
        [("小店区", "Xiaodian District", "140105", "030032"), ("万柏林区", "Wanbailin District", "140109", "030024")],
        [("长治路", "Changzhi Road"), ("学府街", "Xuefu Street"), ("南内环街", "Nanneihuan Street")],
    ),
    "hohhot": _city(
        P.INNER_MONGOLIA,
        "内蒙古自治区",
        "Inner Mongolia",
        "呼和浩特市",
        "Hohhot",
        "0471",
        [("赛罕区", "Saihan District", "150105", "010020"), ("新城区", "Xincheng District", "150102", "010050")],
        [("敕勒川大街", "Chilechuan Street"), ("大学东街", "Daxue East Street"), ("新华大街", "Xinhua Street")],
    ),
    "shenyang": _city(
        P.LIAONING,
        "辽宁省",
        "Liaoning",
        "沈阳市",
        "Shenyang",
        "024",
        [("浑南区", "Hunnan District", "210112", "110179"), ("铁西区", "Tiexi District", "210106", "110021")],
        [("创新路", "Chuangxin Road"), ("北四东路", "Beisi East Road"), ("智慧二街", "Zhihui 2nd Street")],
    ),
    "dalian": _city(
        P.LIAONING,
        "辽宁省",
        "Liaoning",
        "大连市",
        "Dalian",
        "0411",
        [("甘井子区", "Ganjingzi District", "210211", "116023"), ("中山区", "Zhongshan District", "210202", "116001")],
        [("黄浦路", "Huangpu Road"), ("港湾街", "Gangwan Street"), ("软件园路", "Software Park Road")],
    ),
    "changchun": _city(
        P.JILIN,
        "吉林省",
        "Jilin",
        "长春市",
        "Changchun",
        "0431",
        [("朝阳区", "Chaoyang District", "220104", "130012"), ("南关区", "Nanguan District", "220102", "130022")],
        [("前进大街", "Qianjin Street"), ("卫星路", "Weixing Road"), ("人民大街", "Renmin Street")],
    ),
    "harbin": _city(
        P.HEILONGJIANG,
        "黑龙江省",
        "Heilongjiang",
        "哈尔滨市",
        "Harbin",
        "0451",
        [("南岗区", "Nangang District", "230103", "150001"), ("松北区", "Songbei District", "230109", "150028")],
        [("学府路", "Xuefu Road"), ("世茂大道", "Shimao Avenue"), ("红旗大街", "Hongqi Street")],
    ),
    "shanghai": _city(
        P.SHANGHAI,
        "上海市",
        "Shanghai",
        "上海市",
        "Shanghai",
        "021",
        [("浦东新区", "Pudong New Area", "310115", "201203"), ("闵行区", "Minhang District", "310112", "201108")],
        [("张衡路", "Zhangheng Road"), ("紫星路", "Zixing Road"), ("金科路", "Jinke Road")],
    ),
    "nanjing": _city(
        P.JIANGSU,
        "江苏省",
        "Jiangsu",
        "南京市",
        "Nanjing",
        "025",
        [("江宁区", "Jiangning District", "320115", "211100"), ("玄武区", "Xuanwu District", "320102", "210018")],
        [("胜太路", "Shengtai Road"), ("诚信大道", "Chengxin Avenue"), ("珠江路", "Zhujiang Road")],
    ),
    "suzhou": _city(
        P.JIANGSU,
        "江苏省",
        "Jiangsu",
        "苏州市",
        "Suzhou",
        "0512",
        [("工业园区", "Suzhou Industrial Park", "320571", "215123"), ("虎丘区", "Huqiu District", "320505", "215011")],
        [("星湖街", "Xinghu Street"), ("金鸡湖大道", "Jinjihu Avenue"), ("竹园路", "Zhuyuan Road")],
    ),
    "wuxi": _city(
        P.JIANGSU,
        "江苏省",
        "Jiangsu",
        "无锡市",
        "Wuxi",
        "0510",
        [("新吴区", "Xinwu District", "320214", "214028"), ("滨湖区", "Binhu District", "320211", "214122")],
        [("菱湖大道", "Linghu Avenue"), ("长江路", "Changjiang Road"), ("蠡湖大道", "Lihu Avenue")],
    ),
    "hangzhou": _city(
        P.ZHEJIANG,
        "浙江省",
        "Zhejiang",
        "杭州市",
        "Hangzhou",
        "0571",
        [("滨江区", "Binjiang District", "330108", "310052"), ("西湖区", "Xihu District", "330106", "310012")],
        [("江南大道", "Jiangnan Avenue"), ("文三路", "Wensan Road"), ("西斗门路", "Xidoumen Road")],
    ),
    "ningbo": _city(
        P.ZHEJIANG,
        "浙江省",
        "Zhejiang",
        "宁波市",
        "Ningbo",
        "0574",
        [("鄞州区", "Yinzhou District", "330212", "315100"), ("北仑区", "Beilun District", "330206", "315800")],
        [("天童南路", "Tiantong South Road"), ("明州路", "Mingzhou Road"), ("泰康中路", "Taikang Middle Road")],
    ),
    "hefei": _city(
        P.ANHUI,
        "安徽省",
        "Anhui",
        "合肥市",
        "Hefei",
        "0551",
        [("蜀山区", "Shushan District", "340104", "230031"), ("包河区", "Baohe District", "340111", "230051")],
        [("望江西路", "Wangjiang West Road"), ("创新大道", "Chuangxin Avenue"), ("繁华大道", "Fanhua Avenue")],
    ),
    "fuzhou": _city(
        P.FUJIAN,
        "福建省",
        "Fujian",
        "福州市",
        "Fuzhou",
        "0591",
        [("鼓楼区", "Gulou District", "350102", "350003"), ("仓山区", "Cangshan District", "350104", "350007")],
        [("铜盘路", "Tongpan Road"), ("工业路", "Gongye Road"), ("金山大道", "Jinshan Avenue")],
    ),
    "xiamen": _city(
        P.FUJIAN,
        "福建省",
        "Fujian",
        "厦门市",
        "Xiamen",
        "0592",
        [("湖里区", "Huli District", "350206", "361006"), ("思明区", "Siming District", "350203", "361008")],
        [("港中路", "Gangzhong Road"), ("湖滨南路", "Hubin South Road"), ("象屿路", "Xiangyu Road")],
    ),
    "nanchang": _city(
        P.JIANGXI,
        "江西省",
        "Jiangxi",
        "南昌市",
        "Nanchang",
        "0791",
        [
            ("青山湖区", "Qingshanhu District", "360111", "330029"),
            ("红谷滩区", "Honggutan District", "360113", "330038"),
        ],
        [("京东大道", "Jingdong Avenue"), ("紫阳大道", "Ziyang Avenue"), ("丰和中大道", "Fenghe Middle Avenue")],
    ),
    "jinan": _city(
        P.SHANDONG,
        "山东省",
        "Shandong",
        "济南市",
        "Jinan",
        "0531",
        [("历下区", "Lixia District", "370102", "250014"), ("历城区", "Licheng District", "370112", "250100")],
        [("经十路", "Jingshi Road"), ("工业南路", "Gongye South Road"), ("舜华路", "Shunhua Road")],
    ),
    "qingdao": _city(
        P.SHANDONG,
        "山东省",
        "Shandong",
        "青岛市",
        "Qingdao",
        "0532",
        [("崂山区", "Laoshan District", "370212", "266061"), ("黄岛区", "Huangdao District", "370211", "266555")],
        [("株洲路", "Zhuzhou Road"), ("松岭路", "Songling Road"), ("长江中路", "Changjiang Middle Road")],
    ),
    "zhengzhou": _city(
        P.HENAN,
        "河南省",
        "Henan",
        "郑州市",
        "Zhengzhou",
        "0371",
        [("金水区", "Jinshui District", "410105", "450008"), ("中原区", "Zhongyuan District", "410102", "450007")],
        [("花园路", "Huayuan Road"), ("科学大道", "Kexue Avenue"), ("农业路", "Nongye Road")],
    ),
    "wuhan": _city(
        P.HUBEI,
        "湖北省",
        "Hubei",
        "武汉市",
        "Wuhan",
        "027",
        [("洪山区", "Hongshan District", "420111", "430074"), ("江汉区", "Jianghan District", "420103", "430015")],
        [("光谷大道", "Guanggu Avenue"), ("珞喻路", "Luoyu Road"), ("高新大道", "Gaoxin Avenue")],
    ),
    "changsha": _city(
        P.HUNAN,
        "湖南省",
        "Hunan",
        "长沙市",
        "Changsha",
        "0731",
        [("岳麓区", "Yuelu District", "430104", "410205"), ("雨花区", "Yuhua District", "430111", "410014")],
        [("麓谷大道", "Lugu Avenue"), ("桐梓坡西路", "Tongzipo West Road"), ("万家丽中路", "Wanjiali Middle Road")],
    ),
    "guangzhou": _city(
        P.GUANGDONG,
        "广东省",
        "Guangdong",
        "广州市",
        "Guangzhou",
        "020",
        [("天河区", "Tianhe District", "440106", "510630"), ("黄埔区", "Huangpu District", "440112", "510530")],
        [("天河北路", "Tianhe North Road"), ("科学大道", "Kexue Avenue"), ("开源大道", "Kaiyuan Avenue")],
    ),
    "shenzhen": _city(
        P.GUANGDONG,
        "广东省",
        "Guangdong",
        "深圳市",
        "Shenzhen",
        "0755",
        [("南山区", "Nanshan District", "440305", "518057"), ("宝安区", "Bao'an District", "440306", "518101")],
        [("科技南十二路", "Keji South 12th Road"), ("留仙大道", "Liuxian Avenue"), ("宝安大道", "Bao'an Avenue")],
    ),
    "nanning": _city(
        P.GUANGXI,
        "广西壮族自治区",
        "Guangxi",
        "南宁市",
        "Nanning",
        "0771",
        [("青秀区", "Qingxiu District", "450103", "530022"), ("西乡塘区", "Xixiangtang District", "450107", "530001")],
        [("民族大道", "Minzu Avenue"), ("科园大道", "Keyuan Avenue"), ("竹溪大道", "Zhuxi Avenue")],
    ),
    "haikou": _city(
        P.HAINAN,
        "海南省",
        "Hainan",
        "海口市",
        "Haikou",
        "0898",
        [("美兰区", "Meilan District", "460108", "570203"), ("龙华区", "Longhua District", "460106", "570105")],
        [("海府路", "Haifu Road"), ("国兴大道", "Guoxing Avenue"), ("滨海大道", "Binhai Avenue")],
    ),
    "chongqing": _city(
        P.CHONGQING,
        "重庆市",
        "Chongqing",
        "重庆市",
        "Chongqing",
        "023",
        [("渝北区", "Yubei District", "500112", "401120"), ("九龙坡区", "Jiulongpo District", "500107", "400039")],
        [("金开大道", "Jinkai Avenue"), ("科园一路", "Keyuan 1st Road"), ("星光大道", "Xingguang Avenue")],
    ),
    "chengdu": _city(
        P.SICHUAN,
        "四川省",
        "Sichuan",
        "成都市",
        "Chengdu",
        "028",
        [("武侯区", "Wuhou District", "510107", "610041"), ("成华区", "Chenghua District", "510108", "610051")],
        [("天府大道", "Tianfu Avenue"), ("科华北路", "Kehua North Road"), ("府城大道", "Fucheng Avenue")],
    ),
    "guiyang": _city(
        P.GUIZHOU,
        "贵州省",
        "Guizhou",
        "贵阳市",
        "Guiyang",
        "0851",
        [("观山湖区", "Guanshanhu District", "520115", "550081"), ("云岩区", "Yunyan District", "520103", "550001")],
        [("长岭北路", "Changling North Road"), ("林城西路", "Lincheng West Road"), ("宝山北路", "Baoshan North Road")],
    ),
    "kunming": _city(
        P.YUNNAN,
        "云南省",
        "Yunnan",
        "昆明市",
        "Kunming",
        "0871",
        [("五华区", "Wuhua District", "530102", "650032"), ("官渡区", "Guandu District", "530111", "650200")],
        [("学府路", "Xuefu Road"), ("科高路", "Kegao Road"), ("春城路", "Chuncheng Road")],
    ),
    "lhasa": _city(
        P.TIBET,
        "西藏自治区",
        "Tibet",
        "拉萨市",
        "Lhasa",
        "0891",
        [
            ("城关区", "Chengguan District", "540102", "850000"),
            ("堆龙德庆区", "Doilungdeqen District", "540103", "851400"),
        ],
        [("金珠西路", "Jinzhu West Road"), ("江苏大道", "Jiangsu Avenue"), ("林廓北路", "Linkuo North Road")],
    ),
    "xian": _city(
        P.SHAANXI,
        "陕西省",
        "Shaanxi",
        "西安市",
        "Xi'an",
        "029",
        [("雁塔区", "Yanta District", "610113", "710065"), ("未央区", "Weiyang District", "610112", "710016")],
        [("科技二路", "Keji 2nd Road"), ("锦业路", "Jinye Road"), ("凤城八路", "Fengcheng 8th Road")],
    ),
    "lanzhou": _city(
        P.GANSU,
        "甘肃省",
        "Gansu",
        "兰州市",
        "Lanzhou",
        "0931",
        [("城关区", "Chengguan District", "620102", "730030"), ("安宁区", "Anning District", "620105", "730070")],
        [("天水南路", "Tianshui South Road"), ("雁滩路", "Yantan Road"), ("北滨河西路", "Beibinhe West Road")],
    ),
    "xining": _city(
        P.QINGHAI,
        "青海省",
        "Qinghai",
        "西宁市",
        "Xining",
        "0971",
        [("城西区", "Chengxi District", "630104", "810008"), ("城北区", "Chengbei District", "630105", "810003")],
        [("五四大街", "Wusi Street"), ("海湖大道", "Haihu Avenue"), ("柴达木路", "Qaidam Road")],
    ),
    "yinchuan": _city(
        P.NINGXIA,
        "宁夏回族自治区",
        "Ningxia",
        "银川市",
        "Yinchuan",
        "0951",
        [("金凤区", "Jinfeng District", "640106", "750002"), ("兴庆区", "Xingqing District", "640104", "750001")],
        [("宁安大街", "Ning'an Street"), ("北京中路", "Beijing Middle Road"), ("亲水大街", "Qinshui Street")],
    ),
    "urumqi": _city(
        P.XINJIANG,
        "新疆维吾尔自治区",
        "Xinjiang",
        "乌鲁木齐市",
        "Urumqi",
        "0991",
        [("新市区", "Xinshi District", "650104", "830011"), ("水磨沟区", "Shuimogou District", "650105", "830017")],
        [("北京南路", "Beijing South Road"), ("长春南路", "Changchun South Road"), ("南湖东路", "Nanhu East Road")],
    ),
}


def make_address(rng: random.Random, city_key: str, *, district_index: int | None = None) -> Address:
    """A street address in ``city_key`` in Chinese and English (No. 218 Xinghu Street, Suzhou Industrial Park...)."""
    city = CITIES[city_key]
    district = city.districts[rng.randrange(len(city.districts)) if district_index is None else district_index]
    index = city.districts.index(district)
    # The first district's roads are the first two, the second district's the third.
    road_zh, road_en = rng.choice(city.roads[:2] if index == 0 else city.roads[2:])
    number = rng.randint(1, 399)
    prefix_zh = city.name_zh if city.is_municipality else city.province_zh + city.name_zh
    zh = f"{prefix_zh}{district.name_zh}{road_zh}{number}号"
    place_en = city.name_en if city.is_municipality else f"{city.name_en}, {city.province_en}"
    en = f"No. {number} {road_en}, {district.name_en}, {place_en}"
    return Address(city=city, district=district, zh=zh, en=en)
