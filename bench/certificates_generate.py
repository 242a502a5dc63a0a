"""Generator: N CB-issued certificates for the lookup benchmark, streamed with COPY.

Creates a few hundred certification bodies (with an accreditation each, most of them granted),
then about 0.6 certified entities per certificate and the certificates, all through psycopg 3's
``COPY ... FROM STDIN`` so that ``--certificates 10000000`` runs in bounded memory on a 2-core
machine. Names are built from parts (city + trade name + industry + 有限公司 / 股份有限公司),
credit codes carry a correct check character, standards come from the seeded ``Standard`` codes
(or a fixed list when none are seeded), and statuses are mostly "active" with some suspended,
withdrawn, expired and a few drafts. The two tables' secondary indexes (all but the primary keys
and the unique constraints) are dropped before loading and built again after from their saved
definitions, then the tables are analysed. The definitions are kept in a table of the bench
database (``bench_dropped_indexes``) until they are built again, so an interrupted run loses none.

    DEBUG=1 .venv/bin/python bench/certificates_generate.py --certificates 1000000

The database is BENCH_CERTS_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portal_bench_certs);
it is created with a UTF-8 locale when missing. Rows already there are kept; only the missing
number of certificates is added.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get("BENCH_CERTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_certs")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

CITIES = [
    "北京",
    "上海",
    "广州",
    "深圳",
    "苏州",
    "杭州",
    "南京",
    "武汉",
    "成都",
    "重庆",
    "西安",
    "天津",
    "青岛",
    "宁波",
    "厦门",
    "长沙",
    "郑州",
    "济南",
    "合肥",
    "福州",
    "昆明",
    "沈阳",
    "大连",
    "无锡",
    "佛山",
    "东莞",
    "温州",
    "常州",
    "南通",
    "徐州",
    "绍兴",
    "嘉兴",
    "台州",
    "金华",
    "泉州",
    "烟台",
    "潍坊",
    "唐山",
    "石家庄",
    "太原",
]
PROVINCES = [
    "北京市",
    "上海市",
    "广东省",
    "广东省",
    "江苏省",
    "浙江省",
    "江苏省",
    "湖北省",
    "四川省",
    "重庆市",
    "陕西省",
    "天津市",
    "山东省",
    "浙江省",
    "福建省",
    "湖南省",
    "河南省",
    "山东省",
    "安徽省",
    "福建省",
    "云南省",
    "辽宁省",
    "辽宁省",
    "江苏省",
    "广东省",
    "广东省",
    "浙江省",
    "江苏省",
    "江苏省",
    "江苏省",
    "浙江省",
    "浙江省",
    "浙江省",
    "浙江省",
    "福建省",
    "山东省",
    "山东省",
    "河北省",
    "河北省",
    "山西省",
]
# Characters trade names (字号) are made of: two of them give about 40,000 distinct names.
NAME_CHARS = (
    "华中国金银恒信正和远东联合天祥方圆海洋绿色安泰鼎诚达瑞博源桥长城新永宏卓越汇通创嘉兴旺隆盛丰泰昌荣富贵"
    "佳美康宁乐福祥瑞云峰山川江河湖星辰光明阳晨曦龙凤麟鹏飞腾跃骏驰德仁义礼智勇毅坚强力伟业宇宙乾坤"
    "东南西北春夏秋冬梅兰竹菊松柏杉柳桂枫林森木水火土石玉晶钻宝鑫淼焱磊鸿浩瀚博雅智慧精准优质先锋领航"
)
INDUSTRIES = [
    "科技",
    "电子",
    "机械",
    "建设",
    "食品",
    "化工",
    "贸易",
    "物流",
    "医药",
    "环保",
    "能源",
    "材料",
    "电气",
    "汽车",
    "信息",
    "软件",
    "网络",
    "通信",
    "建材",
    "纺织",
    "服装",
    "家具",
    "印刷",
    "包装",
    "农业",
    "生物",
    "设备",
    "工程",
    "装饰",
    "置业",
    "实业",
    "投资",
    "管理",
    "咨询",
    "检测",
    "仪器",
    "塑料",
    "钢铁",
    "有色",
    "精密",
]
FORMS = ["有限公司"] * 8 + ["股份有限公司"] * 2
PINYIN_CITY = [
    "Beijing",
    "Shanghai",
    "Guangzhou",
    "Shenzhen",
    "Suzhou",
    "Hangzhou",
    "Nanjing",
    "Wuhan",
    "Chengdu",
    "Chongqing",
]
FALLBACK_STANDARDS = [
    "ISO 9001:2015",
    "ISO 14001:2015",
    "ISO 45001:2018",
    "ISO/IEC 27001:2022",
    "ISO 22000:2018",
    "ISO 50001:2018",
    "ISO/IEC 20000-1:2018",
    "GB/T 50430-2017",
]
STATUSES = ["active"] * 85 + ["suspended"] * 4 + ["withdrawn"] * 3 + ["expired"] * 6 + ["cancelled"] + ["draft"]
SECTORS = [f"IAF {n:02d}" for n in range(1, 40)]


def certificate_number(cb: int, n: int, issue: dt.date) -> str:
    """Shaped like the numbers Chinese CBs print: body, system letter, year, serial, revision."""
    return f"{cb:04d}{'QEOSF'[n % 5]}{issue.year % 100:02d}{n:09d}R0M"


def ensure_database() -> None:
    import psycopg

    from config.db.postgresql.base import DEFAULT_LOCALE

    base, name = BENCH_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                f"LC_COLLATE '{DEFAULT_LOCALE}' LC_CTYPE '{DEFAULT_LOCALE}'"
            )


def credit_code(rng: random.Random, province_code: str) -> str:
    from accreditation.validators import CREDIT_CODE_ALPHABET, credit_code_check_character

    body = "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(9))
    first17 = f"91{province_code}{rng.randint(100, 9999):04d}{body}"
    return first17 + credit_code_check_character(first17)


def certification_bodies(count: int) -> list[int]:
    """A few hundred certification bodies, each with a management-system accreditation, most granted."""
    from accreditation.choices import AccreditationStatus, CabKind, Province
    from accreditation.models import Accreditation, Cab, Programme

    existing = list(Cab.objects.filter(kind=CabKind.CERTIFICATION_BODY).order_by("pk").values_list("pk", flat=True))
    if len(existing) >= count:
        return existing[:count]
    rng = random.Random(4)
    programme = Programme.objects.get(code="MS")
    provinces = Province.values
    cabs = Cab.objects.bulk_create(
        Cab(
            name_zh=f"{rng.choice(CITIES)}{rng.choice(NAME_CHARS)}{rng.choice(NAME_CHARS)}认证有限公司{n}",
            name_en=f"Certification Body {n} Co., Ltd.",
            credit_code=credit_code(rng, rng.choice(provinces)),
            kind=CabKind.CERTIFICATION_BODY,
            province=rng.choice(provinces),
            address_zh=f"某市某区某路{n}号",
        )
        for n in range(len(existing), count)
    )
    statuses = [AccreditationStatus.ACCREDITED] * 18 + [AccreditationStatus.SUSPENDED, AccreditationStatus.WITHDRAWN]
    Accreditation.objects.bulk_create(
        Accreditation(cab=cab, programme=programme, status=rng.choice(statuses), number=programme.format_number(cab.pk))
        for cab in cabs
    )
    return existing + [cab.pk for cab in cabs]


def standard_codes() -> list[str]:
    from certification.models import Standard

    codes = list(Standard.objects.filter(certification_type="management_system").values_list("code", flat=True))
    return codes or FALLBACK_STANDARDS


LOADED_TABLES = ("certification_certifiedentity", "certification_issuedcertificate")


def drop_secondary_indexes(cursor: Any) -> None:
    """Drop each index on the loaded tables that backs no constraint, keeping its definition."""
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_dropped_indexes (name text PRIMARY KEY, definition text)")
    cursor.execute(
        """INSERT INTO bench_dropped_indexes
           SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)
           ON CONFLICT (name) DO NOTHING""",
        [list(LOADED_TABLES)],
    )
    cursor.execute("SELECT name FROM bench_dropped_indexes")
    for (name,) in cursor.fetchall():
        cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


def rebuild_secondary_indexes(cursor: Any) -> int:
    """Build the dropped indexes again (also those an interrupted run dropped); how many."""
    cursor.execute("SELECT name, definition FROM bench_dropped_indexes ORDER BY name")
    indexes = cursor.fetchall()
    for _name, definition in indexes:
        cursor.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
    cursor.execute("DELETE FROM bench_dropped_indexes")
    return len(indexes)


def generate(total: int, cbs: int) -> None:
    from django.db import connection

    from certification.models import CertifiedEntity, IssuedCertificate

    existing = IssuedCertificate.objects.count()
    if existing >= total:
        print(f"{existing:,} certificates already present")
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS bench_dropped_indexes (name text PRIMARY KEY, definition text)")
            if built := rebuild_secondary_indexes(cursor):
                print(f"{built} indexes an interrupted run had dropped were built again")
        return
    cb_ids = certification_bodies(cbs)
    standards = standard_codes()
    rng = random.Random(20261121 + existing)
    today = dt.date(2026, 11, 21)
    now = "2026-11-21 08:00:00+00"
    with connection.cursor() as cursor:
        drop_secondary_indexes(cursor)
        cursor.execute("SELECT coalesce(max(id), 0) FROM certification_certifiedentity")
        next_entity = cursor.fetchone()[0] + 1
        cursor.execute("SELECT coalesce(max(id), 0) FROM certification_issuedcertificate")
        next_certificate = cursor.fetchone()[0] + 1
    raw = connection.connection  # the psycopg 3 connection under Django's wrapper
    started = time.monotonic()
    made = 0
    entity_columns = (
        "id, cb_id, unique_id, name, english_name, trading_name, credit_code, street, city, province, "
        "postcode, country, updated_at"
    )
    certificate_columns = (
        "id, cb_id, identity_number, certificate_number, entity_id, certification_type, standards, sectors, "
        "scope, status, original_issue_date, issue_date, expiry_date, is_accredited, not_accredited_reason, "
        "not_accredited_detail, created_at, updated_at"
    )
    with raw.cursor() as cursor:
        # Entities first (each with one to three certificates), then the certificates, per chunk.
        chunk = 200_000
        while made < total - existing:
            size = min(chunk, total - existing - made)
            entities: list[tuple[int, int, int]] = []  # (entity id, cb id, its number of certificates)
            certificates_left = size
            with cursor.copy(f"COPY certification_certifiedentity ({entity_columns}) FROM STDIN") as copy:
                while certificates_left > 0:
                    city_index = rng.randrange(len(CITIES))
                    city = CITIES[city_index]
                    trade = rng.choice(NAME_CHARS) + rng.choice(NAME_CHARS)
                    industry = rng.choice(INDUSTRIES)
                    name = f"{city}{trade}{industry}{rng.choice(FORMS)}"
                    cb = rng.choice(cb_ids)
                    english = (
                        f"{PINYIN_CITY[city_index]} Enterprise {next_entity} Co., Ltd."
                        if city_index < len(PINYIN_CITY) and rng.random() < 0.5
                        else ""
                    )
                    copy.write_row(
                        (
                            next_entity,
                            cb,
                            f"C{next_entity}",
                            name,
                            english,
                            "",
                            credit_code(rng, f"{11 + city_index % 60:02d}"),
                            f"{trade}路{rng.randint(1, 999)}号",
                            city,
                            PROVINCES[city_index],
                            f"{rng.randint(100000, 899999)}",
                            "CN",
                            now,
                        )
                    )
                    owned = min(certificates_left, rng.choice((1, 1, 2, 2, 3)))
                    entities.append((next_entity, cb, owned))
                    next_entity += 1
                    certificates_left -= owned
            with cursor.copy(f"COPY certification_issuedcertificate ({certificate_columns}) FROM STDIN") as copy:
                written = 0
                for entity_id, cb, owned in entities:
                    for _ in range(owned):
                        issue = today - dt.timedelta(days=rng.randint(0, 1500))
                        standard = rng.choice(standards)
                        accredited = rng.random() < 0.9
                        status = rng.choice(STATUSES)
                        if status == "active" and issue + dt.timedelta(days=1095) < today:
                            status = "expired"  # a CB reports a lapsed certificate as expired
                        copy.write_row(
                            (
                                next_certificate,
                                cb,
                                f"ID{next_certificate}",
                                certificate_number(cb, next_certificate, issue),
                                entity_id,
                                "management_system",
                                json.dumps([standard]),
                                json.dumps(rng.sample(SECTORS, 2)),
                                "设计、开发和生产" + rng.choice(INDUSTRIES) + "产品及相关服务",
                                status,
                                issue - dt.timedelta(days=1095) if rng.random() < 0.4 else None,
                                issue,
                                issue + dt.timedelta(days=1095),
                                accredited,
                                "" if accredited else "outside_scope",
                                "",
                                now,
                                now,
                            )
                        )
                        next_certificate += 1
                        written += 1
            raw.commit()
            made += written
            rate = made / (time.monotonic() - started)
            print(f"  {existing + made:>10,} certificates ({rate:,.0f} rows/s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('certification_certifiedentity', 'id'), %s)", [next_entity]
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('certification_issuedcertificate', 'id'), %s)", [next_certificate]
        )
    print(f"loaded {made:,} certificates in {time.monotonic() - started:.0f} s; building the indexes")
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '2GB'")
        built = rebuild_secondary_indexes(cursor)
        cursor.execute("ANALYZE certification_certifiedentity; ANALYZE certification_issuedcertificate;")
    print(f"{built} indexes built and tables analysed in {time.monotonic() - started:.0f} s")
    print(f"{CertifiedEntity.objects.count():,} entities, {IssuedCertificate.objects.count():,} certificates")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--certificates", type=int, default=1_000_000)
    parser.add_argument("--cbs", type=int, default=300, help="certification bodies (default 300)")
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    generate(args.certificates, args.cbs)


if __name__ == "__main__":
    main()
