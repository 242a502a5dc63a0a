"""Benchmark: the public directory's search at national scale (about 20,000 CABs).

Fills a separate PostgreSQL database with N bodies (default 20,000) and their accreditations,
serves the portal with gunicorn on a free loopback port, and times over HTTP the public
directory page and the public API for the searches people make: a two-character Chinese
fragment (selective and broad), a longer fragment, an English name, an accreditation number
and a credit code. It prints p50/p95/p99 and requests per second per query (one client, one
keep-alive connection) and the selector's query alone for comparison.

    DEBUG=1 .venv/bin/python bench/directory_search.py --cabs 20000 --repeat 50

The database is BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portal_bench);
it is created with a UTF-8 locale when missing and reused on later runs.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
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
]
WORDS = [
    "华测",
    "中检",
    "国检",
    "谱尼",
    "精准",
    "恒信",
    "正和",
    "远东",
    "联合",
    "天祥",
    "方圆",
    "建研",
    "海洋",
    "绿色",
    "安泰",
    "鼎信",
    "诚达",
    "中科",
    "科信",
    "瑞达",
    "博源",
    "金桥",
    "长城",
    "新华",
    "永安",
    "宏达",
    "卓越",
    "汇通",
    "创新",
    "嘉华",
]
SUFFIXES = {
    "laboratory": "检测技术有限公司",
    "medical_laboratory": "医学检验实验室有限公司",
    "inspection_body": "检验有限公司",
    "certification_body": "认证有限公司",
}
PINYIN = {"北京": "Beijing", "上海": "Shanghai", "广州": "Guangzhou", "深圳": "Shenzhen"}


def ensure_database() -> None:
    import psycopg

    from config.db.postgresql.base import DEFAULT_LOCALE

    target = BENCH_URL.rsplit("/", 1)
    with psycopg.connect(f"{target[0]}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target[1]]).fetchone()
        if not exists:
            conn.execute(
                f"CREATE DATABASE \"{target[1]}\" TEMPLATE template0 ENCODING 'UTF8' "
                f"LC_COLLATE '{DEFAULT_LOCALE}' LC_CTYPE '{DEFAULT_LOCALE}'"
            )


def populate(count: int) -> None:
    from accreditation.choices import AccreditationStatus, Province
    from accreditation.models import Accreditation, Cab, Programme
    from accreditation.validators import CREDIT_CODE_ALPHABET, credit_code_check_character

    existing = Cab.objects.count()
    if existing >= count:
        print(f"{existing} CABs already present")
        return
    rng = random.Random(20261121)
    programmes = {p.cab_kind: p for p in Programme.objects.filter(code__in=["CL", "ML", "IB", "MS"])}
    provinces = Province.values
    statuses = (
        [AccreditationStatus.ACCREDITED] * 90
        + [AccreditationStatus.SUSPENDED] * 3
        + [AccreditationStatus.WITHDRAWN] * 4
        + [AccreditationStatus.APPLICANT] * 3
    )
    batch: list[Cab] = []
    for n in range(existing, count):
        kind = rng.choice(list(SUFFIXES))
        city, word = rng.choice(CITIES), rng.choice(WORDS)
        body = "".join(CREDIT_CODE_ALPHABET[(n * 7919 // 31**i) % 31] for i in range(9))[::-1]
        first17 = f"91{rng.choice(provinces)}0100{body}"
        batch.append(
            Cab(
                name_zh=f"{city}{word}{SUFFIXES[kind]}{n}",
                name_en=f"{PINYIN.get(city, 'City')} Body {n} Co., Ltd.",
                credit_code=first17 + credit_code_check_character(first17),
                kind=kind,
                province=rng.choice(provinces),
                address_zh=f"{city}市某区某路{n}号",
            )
        )
        if len(batch) == 2000 or n == count - 1:
            cabs = Cab.objects.bulk_create(batch)
            Accreditation.objects.bulk_create(
                Accreditation(
                    cab=cab,
                    programme=programmes[cab.kind],
                    status=(status := rng.choice(statuses)),
                    number=None
                    if status == AccreditationStatus.APPLICANT
                    else programmes[cab.kind].format_number(cab.pk),
                )
                for cab in cabs
            )
            batch = []
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accreditation_cab; ANALYZE accreditation_accreditation;")
    print(f"created {count - existing} CABs")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]


def report(label: str, timings: list[float]) -> None:
    ms = [t * 1000 for t in timings]
    print(
        f"{label:<48} p50 {statistics.median(ms):7.2f} ms  p95 {percentile(ms, 95):7.2f} ms  "
        f"p99 {percentile(ms, 99):7.2f} ms  {len(ms) / (sum(ms) / 1000):8.1f} req/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cabs", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accreditation.models import Accreditation, Cab
    from accreditation.selectors import directory_search

    call_command("migrate", verbosity=0)
    populate(args.cabs)
    sample = Cab.objects.order_by("pk")[args.cabs // 2]
    number = Accreditation.objects.filter(number__isnull=False).order_by("pk").values_list("number", flat=True)[100]
    queries = {
        "2 chars, selective (精准)": "精准",
        "2 chars, broad (检测)": "检测",
        "3 chars (苏州华)": "苏州华",
        "6 chars (检测技术有限)": "检测技术有限",
        "English name (Body 123 Co)": "Body 123 Co",
        "accreditation number": number,
        "credit code": sample.credit_code,
    }
    print(f"\n{Cab.objects.count()} CABs on {connection.vendor}; {args.repeat} requests each\n")
    with serve() as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for label, q in queries.items():
            for path in ("/directory/", "/api/public/cabs/"):
                url = f"{path}?{urlencode({'q': q})}"
                for _ in range(3):  # warm both gunicorn workers up; not measured
                    conn.request("GET", url, headers={"Accept-Language": "en"})
                    conn.getresponse().read()
                timings = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    conn.request("GET", url, headers={"Accept-Language": "en"})
                    response = conn.getresponse()
                    response.read()
                    timings.append(time.perf_counter() - start)
                    if response.status != 200:
                        raise SystemExit(f"{url} answered {response.status}")
                report(f"{label} {path}", timings)
            sql_timings = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                list(directory_search(q=q)[:20])
                sql_timings.append(time.perf_counter() - start)
            report(f"{label} (selector, first page)", sql_timings)


@contextlib.contextmanager
def serve() -> Iterator[int]:
    """gunicorn on a free loopback port, with the public API's rate limit lifted for the run."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The production shape (DEBUG off: cached templates, hashed static files), on plain HTTP on
    # loopback with no proxy in front, and the public API's rate limit lifted for the run.
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "NUM_PROXIES": "0",
        "PUBLIC_API_RATE": "1000000/minute",
        "LOG_LEVEL": "WARNING",
    }
    # DEBUG off serves hashed static files: collect them first.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--no-control-socket",  # gunicorn 27: one fixed-path socket per user otherwise
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
