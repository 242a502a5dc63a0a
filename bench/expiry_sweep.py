"""Benchmark: the expiry sweep of CB-issued certificates over the 10-million-certificate database.

Runs exactly the code of the nightly job (``surveillance.jobs_expiry``): one query finds the lapsed
certificates (active or suspended, ``expiry_date`` before the day) through the (status,
expiry_date) index and hands their ids over in batches of 50,000; each batch is one
``UPDATE … RETURNING`` feeding the ``INSERT … SELECT`` of their status history. It prints the day,
the rows expired, the batches, the seconds and rows per second.

    DEBUG=1 .venv/bin/python bench/expiry_sweep.py --day 2026-11-21

**Nothing stays changed.** The whole sweep runs inside one transaction that is rolled back at
the end, so every run measures the same work on the same data and the bench database keeps its
certificates as ``certificates_generate.py`` made them (the lookup benchmark relies on its
statuses). The job itself commits after each batch; the only work this leaves out is those
commits (about one per 50,000 rows: milliseconds each). A rollback instead of restoring the rows
by hand was chosen because a restore would be a second sweep's worth of writes, and could leave
the data half-restored if interrupted; the rolled-back row versions are dead tuples that autovacuum
clears, as it would after the real job.

The database is BENCH_CERTS_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portal_bench_certs),
filled by ``certificates_generate.py``; it must exist and hold certificates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get("BENCH_CERTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_certs")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class Rollback(Exception):
    """Raised at the end of the measured transaction so that nothing it did is kept."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", default="2026-11-21", help="The day the sweep runs for (YYYY-MM-DD).")
    parser.add_argument("--batch", type=int, default=None, help="Certificates per batch (default: the job's).")
    arguments = parser.parse_args()
    day = dt.date.fromisoformat(arguments.day)

    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from certification.models import IssuedCertificate
    from surveillance.jobs_expiry import CERTIFICATE_BATCH, expire_certificates, lapsed_certificate_batches

    batch = arguments.batch or CERTIFICATE_BATCH
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT reltuples::bigint FROM pg_class WHERE relname = '{IssuedCertificate._meta.db_table}'")
        estimated = cursor.fetchone()[0]
    if estimated <= 0:
        sys.exit("The bench database holds no certificates: run bench/certificates_generate.py first.")

    print(f"Expiry sweep for {day} over about {estimated:,} certificates (batches of {batch:,}), rolled back after")
    expired = batches = 0
    try:
        with transaction.atomic():
            started = time.perf_counter()
            now = timezone.now()
            for ids in lapsed_certificate_batches(day, batch):
                expired += expire_certificates(ids, day, now)
                batches += 1
            finished = time.perf_counter()
            raise Rollback
    except Rollback:
        pass
    total = finished - started
    print(f"  expired: {expired:>10,}  certificates, each with its history row, in {batches:,} batches")
    print(f"  time:    {total:>10.2f} s  ({expired / total if total else 0:,.0f} rows/s)")


if __name__ == "__main__":
    main()
