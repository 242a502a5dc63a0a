"""Benchmark: a CB's 100,000-row certificate CSV, end to end, against PostgreSQL.

Generates a CSV of N rows (default 100,000) of realistic certificates (Chinese names, valid
credit codes, a few bad rows so the error path is measured too), encoded in GB18030 as Chinese
Excel saves it, then times the whole upload as the browser and the worker run it: the upload
service (size, type, encoding and header checks, storing the file) and the Celery task in-process
(parsing, ``validate_rows``, the error rows, ``certificates_apply`` in chunks of 2,000 with the
progress counters). It prints rows, seconds and rows per second, with the task's own split.

    DEBUG=1 .venv/bin/python bench/upload_apply.py --rows 100000

Each run uploads the file twice: first as new certificates (the identity numbers carry a fresh
prefix, so every run inserts), then the same file again, the monthly re-report case, in which
nothing changed but the upload each certificate was last reported in. The database is the lookup
benchmark's, BENCH_CERTS_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portal_bench_certs),
so the figures are taken beside the millions of certificates ``certificates_generate.py`` loaded;
it is migrated first, and created with a UTF-8 locale when it does not exist.
"""

from __future__ import annotations

import argparse
import csv
import io
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
# The task runs in-process, right after the upload commits, as it does without a broker.
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

CITIES = ["北京", "上海", "广州", "深圳", "苏州", "杭州", "南京", "武汉", "成都", "重庆", "西安", "天津"]
WORDS = ["华建", "中科", "鹏城", "恒信", "正和", "远东", "联合", "新达", "金桥", "宏图", "瑞丰", "博远", "东方", "长城"]
TRADES = ["科技", "电子", "机械", "建设", "工程", "食品", "化工", "物流", "医药", "材料", "环保", "信息"]
SCOPES = ["电子产品的设计和生产", "建筑工程施工", "机械零部件的加工", "食品的生产和销售", "软件开发及技术服务"]
STREETS = ["中关村大街", "张江路", "科技园路", "工业园区", "经济开发区", "高新区创业路"]


def ensure_database() -> None:
    import psycopg

    from config.db.postgresql.base import DEFAULT_LOCALE

    try:
        with psycopg.connect(BENCH_URL):
            return
    except psycopg.OperationalError:
        pass
    base, name = BENCH_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
            f"LC_COLLATE '{DEFAULT_LOCALE}' LC_CTYPE '{DEFAULT_LOCALE}'"
        )


def credit_code(n: int) -> str:
    from accreditation.validators import CREDIT_CODE_ALPHABET, credit_code_check_character

    body = "".join(CREDIT_CODE_ALPHABET[(n // 31**i) % 31] for i in range(9))[::-1]
    first17 = f"91440300{body}"
    return first17 + credit_code_check_character(first17)


def generate(rows: int, bad_every: int, prefix: str = "B") -> bytes:
    """The CSV as GB18030 bytes: ``FIELDS`` header, then ``rows`` certificates, every ``bad_every``-th one bad."""
    from certification.rows import FIELDS

    rng = random.Random(2025)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for n in range(1, rows + 1):
        city = rng.choice(CITIES)
        issue = f"2025{rng.randint(1, 9):02d}{rng.randint(1, 28):02d}"
        values = {
            "certification_identity_number": f"{prefix}{n:07d}",
            "certificate_number": f"00125Q3{prefix}{n:07d}",
            "certification_status": "有效" if n % 10 else "暂停",
            "certification_type": "管理体系",
            "standards": "ISO 9001:2015" if n % 3 else "ISO 9001:2015;ISO 14001:2015",
            "technical_sectors": f"IAF {rng.choice([19, 28, 29, 34])}",
            "certification_scope": rng.choice(SCOPES),
            "original_issue_date": "",
            "issue_date": issue,
            "expiry_date": f"2028{issue[4:]}",
            "certified_entity_unique_id": f"{prefix}C{n:07d}",
            "certified_entity_name": f"{city}{rng.choice(WORDS)}{rng.choice(TRADES)}有限公司",
            "certified_entity_english_name": "",
            "certified_entity_trading_name": "",
            "certified_entity_credit_code": credit_code(n),
            "street": f"{rng.choice(STREETS)}{rng.randint(1, 999)}号",
            "city": city,
            "province": "",
            "postcode": "",
            "country": "CN",
        }
        if bad_every and n % bad_every == 0:
            values["issue_date"] = "2025-02-30"
        writer.writerow([values[name] for name in FIELDS])
    return buffer.getvalue().encode("gb18030")


def certification_body() -> tuple[Any, Any]:
    """The bench CB (accredited for ISO 9001 and 14001 in every sector used) and its secretariat user."""
    from django.contrib.auth.models import Group

    from accreditation.choices import AccreditationStatus, CabKind
    from accreditation.models import Accreditation, Cab, Programme
    from accreditation.services.accreditations import accreditation_grant, accreditation_open
    from accreditation.services.scopes import scope_draft_start, scope_item_add, scope_version_publish
    from core.models import User
    from core.roles import Role

    user, _created = User.objects.get_or_create(username="bench_uploads", defaults={"full_name": "Bench"})
    user.groups.add(Group.objects.get(name=Role.SECRETARIAT.value))
    cb, _created = Cab.objects.get_or_create(
        credit_code=credit_code(9_999_999),
        defaults={
            "name_zh": "基准认证有限公司",
            "name_en": "Bench Certification Co., Ltd.",
            "kind": CabKind.CERTIFICATION_BODY,
        },
    )
    if not Accreditation.objects.filter(cab=cb, status=AccreditationStatus.ACCREDITED).exists():
        accreditation = accreditation_open(cab=cb, programme=Programme.objects.get(code="MS"), actor=user)
        draft = scope_draft_start(accreditation=accreditation, actor=user)
        for standard in ("GB/T 19001-2016 / ISO 9001:2015", "GB/T 24001-2016 / ISO 14001:2015"):
            attributes = {"standard": standard, "sectors": ["IAF 19", "IAF 28", "IAF 29", "IAF 34"]}
            scope_item_add(version=draft, actor=user, attributes={**attributes, "certification_type": "初次认证"})
        scope_version_publish(version=draft, actor=user)
        accreditation_grant(accreditation=accreditation, actor=user)
    return cb, user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--bad-every", type=int, default=1_000, help="every Nth row has a bad date (0: none)")
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    from certification import services_registry, services_uploads
    from certification.models import CertificateUpload, IssuedCertificate

    # The task's own split: the time spent in checking the rows and in applying them.
    split = {"check": 0.0, "apply": 0.0}

    def timed(name: str, function: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                split[name] += time.perf_counter() - start

        return run

    services_uploads.validate_rows = timed("check", services_uploads.validate_rows)
    services_registry.certificates_apply = timed("apply", services_registry.certificates_apply)

    call_command("migrate", verbosity=0)
    cb, user = certification_body()
    prefix = f"B{int(time.time()):x}-"
    data = generate(args.rows, args.bad_every, prefix)
    total = IssuedCertificate.objects.count()
    print(f"\nCertificate upload on {connection.vendor}, beside {total:,} certificates already registered:")
    print(f"{len(data) / 1024 / 1024:.1f} MB GB18030 CSV, {args.rows:,} rows, every {args.bad_every}th row bad")
    for run in ("new certificates", "the same file again"):
        split.update(check=0.0, apply=0.0)
        before = IssuedCertificate.objects.filter(cb=cb).count()
        start = time.perf_counter()
        with translation.override("zh-hans"):
            upload = services_uploads.upload_create(cb=cb, actor=user, file=SimpleUploadedFile("bench.csv", data))
        seconds = time.perf_counter() - start
        upload = CertificateUpload.objects.get(pk=upload.pk)
        after = IssuedCertificate.objects.filter(cb=cb).count()
        print(f"\n  {run}: {upload.status} {upload.failure}")
        print(f"    rows         {upload.total_rows:,}  applied {upload.applied_rows:,}  refused {upload.error_rows:,}")
        print(f"    certificates   {after - before:+,} at this body")
        print(f"    end to end     {seconds:.2f} s  ({upload.total_rows / seconds:,.0f} rows/s)")
        print(f"    of which       checking rows {split['check']:.2f} s, applying {split['apply']:.2f} s")
    print()


if __name__ == "__main__":
    main()
