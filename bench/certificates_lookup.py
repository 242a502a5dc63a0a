"""Benchmark: the public certificate lookup at national scale, through HTTP against PostgreSQL.

Uses the database ``bench/certificates_generate.py`` filled (run it first, or pass
``--certificates N`` to fill it here), serves the portal with gunicorn on a free loopback port
(the public API's rate limit lifted), and times the searches people make on the lookup page and
the public API: a certificate number, a credit code, and name fragments of 2, 3 and 6 characters,
selective and broad (科技, 有限). It prints p50/p95/p99 and requests per second per query (one
client, one keep-alive connection), then the selector alone (count and first page) and the same
SQL statements it ran, bare, for comparison.

    DEBUG=1 .venv/bin/python bench/certificates_lookup.py --repeat 50
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BENCH_URL = os.environ.get("BENCH_CERTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_certs")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ["BENCH_DATABASE_URL"] = BENCH_URL  # directory_search.serve() reads it at import
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from certificates_generate import ensure_database, generate  # noqa: E402
from directory_search import report, serve  # noqa: E402


def samples() -> dict[str, str]:
    """The searches: exact ones on real rows, name fragments from the generator's vocabulary."""
    from certification.models import CertifiedEntity, IssuedCertificate

    middle = IssuedCertificate.objects.order_by("pk").values_list("pk", flat=True)
    last = middle.last() or 0
    certificate = IssuedCertificate.objects.select_related("entity").filter(pk__gte=last // 2).order_by("pk").first()
    if certificate is None:
        raise SystemExit("No certificates: run bench/certificates_generate.py first.")
    name = certificate.entity.name
    english = (
        CertifiedEntity.objects.filter(pk__gte=certificate.entity_id).exclude(english_name="").order_by("pk").first()
    )
    return {
        "certificate number": certificate.certificate_number.lower(),
        "credit code": certificate.entity.credit_code,
        "2 chars, selective (trade name)": name[2:4],
        "2 chars, broad (科技)": "科技",
        "2 chars, broad (有限)": "有限",
        "3 chars (trade name + industry)": name[3:6],
        "3 chars, broad (限公司)": "限公司",
        "6 chars (city + trade + industry)": name[:6] if len(name) >= 6 else name,
        "6 chars, no match (不存在的公司)": "不存在的公司",
        "English name (Enterprise <id>)": " ".join(english.english_name.split()[1:3]) if english else "Enterprise",
    }


def time_http(conn: http.client.HTTPConnection, url: str, repeat: int) -> list[float]:
    for _ in range(3):  # warm both gunicorn workers up; not measured
        conn.request("GET", url, headers={"Accept-Language": "zh-hans"})
        conn.getresponse().read()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        conn.request("GET", url, headers={"Accept-Language": "zh-hans"})
        response = conn.getresponse()
        response.read()
        timings.append(time.perf_counter() - start)
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--certificates", type=int, default=0, help="fill up to N certificates first (0: as is)")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from certification.models import IssuedCertificate
    from certification.selectors_lookup import certificate_lookup

    call_command("migrate", verbosity=0)
    if args.certificates:
        generate(args.certificates, 300)
    queries = samples()
    total = IssuedCertificate.objects.count()
    print(f"\n{total:,} certificates on {connection.vendor}; {args.repeat} requests each\n")
    with serve() as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for label, q in queries.items():
            page = certificate_lookup(q=q)
            shown = f"more than {page.shown_count}" if page.count_is_capped else str(page.count)
            print(f"{label}: q={q!r}, {page.recognised.kind}, {shown} found")
            for path in ("/certificates/", "/api/public/certificates/"):
                report(f"  {path}", time_http(conn, f"{path}?{urlencode({'q': q})}", args.repeat))
            second = certificate_lookup(q=q).next_cursor
            if second:
                url = f"/api/public/certificates/?{urlencode({'q': q, 'cursor': second})}"
                report("  /api/public/certificates/ (page 2)", time_http(conn, url, args.repeat))
            selector = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                certificate_lookup(q=q)
                selector.append(time.perf_counter() - start)
            report("  selector (count + first page)", selector)
            # The same statements the selector ran (the estimate, the matching entities, the
            # capped count, the page), as bare SQL on one connection.
            with CaptureQueriesContext(connection) as captured:
                certificate_lookup(q=q)
            statements = [query["sql"] for query in captured.captured_queries]
            bare = []
            with connection.cursor() as cursor:
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    for statement in statements:
                        cursor.execute(statement)
                        cursor.fetchall()
                    bare.append(time.perf_counter() - start)
            report(f"  bare SQL ({len(statements)} statements)", bare)


if __name__ == "__main__":
    main()
