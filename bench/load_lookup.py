"""Load test: the public certificate lookup served by gunicorn, many clients at once, for a fixed time.

Uses the database ``bench/certificates_generate.py`` filled (BENCH_CERTS_DATABASE_URL, the same as
``bench/certificates_lookup.py``; 10 million certificates in ``make bench``). Serves the portal the
way production does (gunicorn, sync workers, DEBUG off, Redis for the cache and the broker) on a
free loopback port with a Celery worker beside it, warms it up, then loads it for ``--duration``
seconds at each of ``--connections`` with ``wrk`` (Debian package ``wrk``) and ``bench/load_lookup.lua``,
or with a bounded Python client (threads, ``http.client``, one connection each) when wrk is
missing. The requests cycle through a mix of lookups, on the page and on the public JSON API: a
certificate number, a credit code, a 2- and a 3-character fragment of a name, all taken from the
data, and searches that find nothing. For each number of connections it reports requests per
second, p50/p99 latency, errors and answers other than 2xx, and the resident memory (RSS, and PSS,
which counts the pages the forked processes share once) of gunicorn's master and workers and of
the Celery worker's processes, sampled during the run. It prints a Markdown table and writes the
figures as JSON under ``var/bench/``.

The public API allows 60 requests a minute per address (PUBLIC_API_RATE); every request here comes
from 127.0.0.1, so the served instance runs with that limit raised (``--public-api-rate``) and
the output says so.

    DEBUG=1 .venv/bin/python bench/load_lookup.py --duration 60 --connections 8,32,64

The client and the server share this machine's cores: on a small machine the figures are a floor.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get("BENCH_CERTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_certs")

#: A Redis database of the benchmark's own, so that its worker takes no one else's tasks.
DEFAULT_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
#: The served instance's PUBLIC_API_RATE. Per second, not per minute: DRF's throttle keeps every
#: request's time of the window in one cached list per address and reads and rewrites it on each
#: request, so with one address and a minute's window that list would grow to tens of thousands of
#: entries and the run would measure the throttle. A second's window keeps it to one second's worth.
DEFAULT_PUBLIC_API_RATE = "1000000/second"
LUA_SCRIPT = ROOT / "bench" / "load_lookup.lua"
PATHS = ("/certificates/", "/api/public/certificates/")
KINDS = ("certificate number", "credit code", "2-character fragment", "3-character fragment", "not found")
#: What the public API must answer for each kind of search (its ``kind``, and whether it finds some).
EXPECTED = {
    "certificate number": ({"number"}, True),
    "credit code": ({"credit_code"}, True),
    "2-character fragment": ({"name"}, True),
    "3-character fragment": ({"name"}, True),
    "not found": ({"number", "name"}, False),
}
HEADERS = {"Accept-Language": "zh-hans"}
MIB = 1024 * 1024


# --- pure helpers (tests/bench/test_load_lookup.py) ----------------------------------------


@dataclass
class ClientResult:
    """What one fixed-time run of the load client measured."""

    client: str
    connections: int
    duration_s: float
    requests: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    socket_errors: int
    timeouts: int
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def requests_per_s(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def non_2xx(self) -> int:
        return sum(count for status, count in self.statuses.items() if not status.startswith("2"))


@dataclass
class MemoryFigures:
    """The memory of a group of processes (a master and its children), summed, over a run's samples."""

    processes: int = 0
    rss_peak_mib: float = 0.0
    rss_mean_mib: float = 0.0
    pss_peak_mib: float = 0.0


@dataclass
class LevelResult:
    """One number of connections: the client's figures and the memory sampled meanwhile."""

    load: ClientResult
    web: MemoryFigures
    worker: MemoryFigures
    kinds: list[KindFigures] = field(default_factory=list)


def parse_connections(text: str) -> list[int]:
    """``"8,32,64"`` as ``[8, 32, 64]``; refuses anything but positive whole numbers."""
    levels = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or int(part) < 1:
            raise argparse.ArgumentTypeError(f"not a positive number of connections: {part!r}")
        levels.append(int(part))
    return levels


def parse_wrk_output(output: str, *, connections: int) -> ClientResult:
    """The ``LOAD_RESULT {json}`` line ``bench/load_lookup.lua``'s ``done`` prints, as a result."""
    match = re.search(r"^LOAD_RESULT (\{.*\})$", output, re.MULTILINE)
    if match is None:
        raise ValueError("wrk printed no LOAD_RESULT line (was it run with bench/load_lookup.lua?)")
    data = json.loads(match.group(1))
    errors = data["errors"]
    latency = data["latency_us"]
    return ClientResult(
        client="wrk",
        connections=connections,
        duration_s=data["duration_us"] / 1e6,
        requests=data["requests"],
        p50_ms=latency["p50"] / 1000,
        p90_ms=latency["p90"] / 1000,
        p99_ms=latency["p99"] / 1000,
        max_ms=latency["max"] / 1000,
        socket_errors=errors["connect"] + errors["read"] + errors["write"],
        timeouts=errors["timeout"],
        statuses={str(status): count for status, count in sorted(data["statuses"].items())},
    )


def percentile(ordered: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile of already sorted values (0 for none)."""
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil without floats drifting
    return ordered[int(rank) - 1]


def latency_figures(ordered: Sequence[float]) -> dict[str, float]:
    """p50, p90, p99 and the maximum of already sorted milliseconds, as the results' fields."""
    return {
        "p50_ms": percentile(ordered, 50),
        "p90_ms": percentile(ordered, 90),
        "p99_ms": percentile(ordered, 99),
        "max_ms": ordered[-1] if ordered else 0.0,
    }


def parse_proc_status_kib(text: str, key: str) -> int:
    """A ``Key:   1234 kB`` line of ``/proc/<pid>/status`` or ``smaps_rollup``, in KiB (0 if absent)."""
    match = re.search(rf"^{re.escape(key)}:\s+(\d+) kB$", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


def summarise_memory(samples: Sequence[tuple[int, int, int]]) -> MemoryFigures:
    """Samples of (processes, RSS KiB, PSS KiB), each summed over a process group, as figures."""
    if not samples:
        return MemoryFigures()
    rss = [sample[1] for sample in samples]
    return MemoryFigures(
        processes=max(sample[0] for sample in samples),
        rss_peak_mib=round(max(rss) / 1024, 1),
        rss_mean_mib=round(statistics.fmean(rss) / 1024, 1),
        pss_peak_mib=round(max(sample[2] for sample in samples) / 1024, 1),
    )


#: gunicorn's access-log line for the per-kind breakdown: the path with its query, the status, and
#: the time the worker spent on the request in microseconds (from reading it to the last byte sent;
#: the time a request waited for a free worker is not in it, the client's latency is).
ACCESS_LOG_FORMAT = "%(U)s?%(q)s %(s)s %(D)s"


@dataclass
class KindFigures:
    """The server's time on one kind of search at one path, over one run."""

    kind: str
    path: str
    requests: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float


def parse_access_log(lines: Sequence[str]) -> list[tuple[str, int, float]]:
    """``ACCESS_LOG_FORMAT`` lines as (path with query, status, milliseconds); others are skipped."""
    parsed = []
    for line in lines:
        parts = line.rsplit(" ", 2)
        if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
            continue
        url = parts[0][:-1] if parts[0].endswith("?") else parts[0]
        parsed.append((url, int(parts[1]), int(parts[2]) / 1000))
    return parsed


def kind_breakdown(entries: Sequence[tuple[str, int, float]], kinds_of: dict[str, str]) -> list[KindFigures]:
    """The server's time per (kind of search, path), in ``KINDS`` and ``PATHS`` order; unknown URLs skipped."""
    times: dict[tuple[str, str], list[float]] = {}
    for url, _status, ms in entries:
        kind = kinds_of.get(url)
        if kind is not None:
            times.setdefault((kind, url.split("?", 1)[0]), []).append(ms)
    figures = []
    for kind in KINDS:
        for path in PATHS:
            ordered = sorted(times.get((kind, path), []))
            if ordered:
                figures.append(KindFigures(kind=kind, path=path, requests=len(ordered), **latency_figures(ordered)))
    return figures


def kind_table(figures: Sequence[KindFigures]) -> str:
    rows = [
        "| kind of search | path | requests | server p50 ms | p90 ms | p99 ms | max ms |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for figure in figures:
        rows.append(
            f"| {figure.kind} | {figure.path} | {figure.requests:,} | {figure.p50_ms:.1f} | {figure.p90_ms:.1f} "
            f"| {figure.p99_ms:.1f} | {figure.max_ms:.1f} |"
        )
    return "\n".join(rows)


def markdown_table(levels: Sequence[LevelResult]) -> str:
    rows = [
        "| connections | client | requests | requests/s | p50 ms | p99 ms | errors | non-2xx "
        "| web RSS MiB (PSS) | worker RSS MiB (PSS) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for level in levels:
        load = level.load
        rows.append(
            f"| {load.connections} | {load.client} | {load.requests:,} | {load.requests_per_s:,.1f} "
            f"| {load.p50_ms:.1f} | {load.p99_ms:.1f} | {load.socket_errors + load.timeouts} | {load.non_2xx} "
            f"| {level.web.rss_peak_mib:,.0f} ({level.web.pss_peak_mib:,.0f}) "
            f"| {level.worker.rss_peak_mib:,.0f} ({level.worker.pss_peak_mib:,.0f}) |"
        )
    return "\n".join(rows)


# --- processes and their memory --------------------------------------------------------------


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants, from ``/proc`` (gunicorn's workers, Celery's pool processes)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = [root], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        tree.extend(children)
        frontier = children
    return tree


def group_memory_kib(root: int) -> tuple[int, int, int]:
    """(processes, RSS KiB, PSS KiB) summed over ``root``'s process tree."""
    count = rss = pss = 0
    for pid in process_tree(root):
        try:
            rss += parse_proc_status_kib(Path(f"/proc/{pid}/status").read_text(), "VmRSS")
            with contextlib.suppress(OSError):
                pss += parse_proc_status_kib(Path(f"/proc/{pid}/smaps_rollup").read_text(), "Pss")
            count += 1
        except OSError:
            continue
    return count, rss, pss


class MemorySampler:
    """Samples the memory of named process groups every ``interval`` seconds, in a thread."""

    def __init__(self, roots: dict[str, int], interval: float = 0.5) -> None:
        self.roots = roots
        self.interval = interval
        self.samples: dict[str, list[tuple[int, int, int]]] = {name: [] for name in roots}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)

    def _sample(self) -> None:
        for name, root in self.roots.items():
            self.samples[name].append(group_memory_kib(root))

    def _run(self) -> None:
        self._sample()
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def figures(self, name: str) -> MemoryFigures:
        return summarise_memory(self.samples[name])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(process: subprocess.Popen[bytes], name: str) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # gunicorn and Celery both shut down gracefully on TERM
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        print(f"{name} did not stop within 20 s; killing it", file=sys.stderr)
        process.kill()
        process.wait(timeout=10)


def served_environment(redis_url: str, public_api_rate: str) -> dict[str, str]:
    # The production shape (DEBUG off: cached templates, hashed static files, Redis cache and
    # broker) on plain HTTP on loopback with no proxy in front, as bench/directory_search.serve().
    return {
        **os.environ,
        "DATABASE_URL": BENCH_URL,
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "NUM_PROXIES": "0",
        "PUBLIC_API_RATE": public_api_rate,
        "LOG_LEVEL": "WARNING",
    }


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], workers: int, access_log: Path | None = None
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """gunicorn (sync workers, as in production) on a free loopback port, ready when /healthz answers.

    With ``access_log``, each request's path, status and time in the worker go there (``ACCESS_LOG_FORMAT``).
    """
    port = free_port()
    # DEBUG off serves hashed static files: collect them first.
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
    if subprocess.run(collect, cwd=ROOT, env=env, check=False).returncode:  # noqa: S603
        raise SystemExit("collectstatic failed with the served settings (DEBUG off): see above.")
    command = [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi", "-b", f"127.0.0.1:{port}"]
    # No control socket: its default path is one per user, and another gunicorn may be using it.
    command += ["-w", str(workers), "--log-level", "warning", "--no-control-socket"]
    if access_log is not None:
        command += ["--access-logfile", str(access_log), "--access-logformat", ACCESS_LOG_FORMAT]
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - our own virtualenv's gunicorn
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn exited with code {server.returncode} before answering")
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            with contextlib.suppress(OSError, http.client.HTTPException), contextlib.closing(probe):
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer /healthz within 60 s")
            time.sleep(0.2)
        yield port, server
    finally:
        stop(server, "gunicorn")


@contextlib.contextmanager
def celery_worker(env: dict[str, str], concurrency: int) -> Iterator[subprocess.Popen[bytes]]:
    """A Celery worker on the bench's Redis, ready when it answers a ping."""
    from config.celery import app

    name = f"load-bench-{os.getpid()}@{socket.gethostname()}"
    command = [str(Path(sys.executable).with_name("celery")), "-q", "-A", "config", "worker", "-n", name]
    command += ["--loglevel", "WARNING", "--concurrency", str(concurrency)]
    worker = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - our own virtualenv's celery
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=1):
            if worker.poll() is not None:
                raise SystemExit(f"the Celery worker exited with code {worker.returncode} before answering")
            if time.monotonic() > deadline:
                raise SystemExit("the Celery worker did not answer a ping within 60 s")
        yield worker
    finally:
        stop(worker, "the Celery worker")


# --- the data --------------------------------------------------------------------------------


def database_label() -> str:
    """BENCH_URL without a password, for the output."""
    parts = urlsplit(BENCH_URL)
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def certificate_count() -> int:
    """How many certificates the bench database holds; stops with how to fill it when none."""
    import psycopg

    prefix = "" if "BENCH_CERTS_DATABASE_URL" not in os.environ else f"BENCH_CERTS_DATABASE_URL={BENCH_URL} "
    how = (
        "Generate the certificates first, e.g. 10 million (what `make bench` does, BENCH_CERTIFICATES):\n"
        f"    {prefix}DEBUG=1 .venv/bin/python bench/certificates_generate.py --certificates 10000000\n"
        "or, for a short trial, 200,000:\n"
        f"    {prefix}DEBUG=1 .venv/bin/python bench/certificates_generate.py --certificates 200000"
    )
    try:
        with psycopg.connect(BENCH_URL, connect_timeout=10) as conn:
            row = conn.execute("SELECT to_regclass('certification_issuedcertificate') IS NOT NULL").fetchone()
            count = 0
            if row and row[0]:
                found = conn.execute("SELECT count(*) FROM certification_issuedcertificate").fetchone()
                count = int(found[0]) if found else 0
    except psycopg.OperationalError as exc:
        if "does not exist" in str(exc):
            raise SystemExit(f"The bench database {database_label()} does not exist.\n{how}") from exc
        raise SystemExit(f"Cannot reach the bench database {database_label()}: {exc}") from exc
    if not count:
        raise SystemExit(f"The bench database {database_label()} holds no certificates.\n{how}")
    return count


def lookup_queries(per_kind: int) -> dict[str, list[str]]:
    """``per_kind`` searches of each kind: real certificates spread over the table, and misses.

    As ``bench/certificates_lookup.py`` picks them: a certificate's number, its entity's credit
    code, two characters of the name (the trade name) and three (trade name and industry).
    """
    from django.db.models import Max, Min

    from certification.choices import CertificateStatus
    from certification.models import IssuedCertificate

    bounds = IssuedCertificate.objects.aggregate(low=Min("pk"), high=Max("pk"))
    low, high = bounds["low"], bounds["high"]
    queries: dict[str, list[str]] = {kind: [] for kind in KINDS}
    public = IssuedCertificate.objects.exclude(status=CertificateStatus.DRAFT).select_related("entity")
    for n in range(per_kind):
        at = low + (high - low) * (2 * n + 1) // (2 * per_kind)
        certificate = public.filter(pk__gte=at).order_by("pk").first() or public.order_by("pk").first()
        if certificate is None:
            raise SystemExit("Every certificate is a draft: the public lookup would find none.")
        name = certificate.entity.name
        queries["certificate number"].append(certificate.certificate_number)
        queries["credit code"].append(certificate.entity.credit_code)
        queries["2-character fragment"].append(name[2:4])
        queries["3-character fragment"].append(name[3:6])
        # A number no CB issued, and a name nobody has: the searches behind a suspected fake.
        queries["not found"].append(f"NOSUCH{n:06d}" if n % 2 == 0 else "不存在的公司")
    return queries


def lookup_paths(queries: dict[str, list[str]]) -> list[str]:
    """The URLs, interleaved so that consecutive requests are of different kinds and pages.

    A search that recurs in ``queries`` (the not-found name) recurs here too, keeping its weight.
    """
    paths = []
    for n in range(len(queries[KINDS[0]])):
        for kind in KINDS:
            for path in PATHS:
                paths.append(f"{path}?{urlencode({'q': queries[kind][n]})}")
    return paths


def lookup_kinds(queries: dict[str, list[str]]) -> dict[str, str]:
    """Each URL of the mix and the kind of search it is."""
    return {f"{path}?{urlencode({'q': text})}": kind for kind in KINDS for text in queries[kind] for path in PATHS}


def check_answers(port: int, queries: dict[str, list[str]]) -> None:
    """One request per URL before the load: every one answers 200 and the API finds what it should."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for kind, texts in queries.items():
        kinds, finds = EXPECTED[kind]
        for text in texts:
            for path in PATHS:
                url = f"{path}?{urlencode({'q': text})}"
                conn.request("GET", url, headers=HEADERS)
                response = conn.getresponse()
                body = response.read()
                if response.status != 200:
                    raise SystemExit(f"{url} answered {response.status} before the load: {body[:300]!r}")
                if path.startswith("/api/"):
                    data = json.loads(body)
                    if data["kind"] not in kinds or (data["count"] > 0) != finds:
                        raise SystemExit(
                            f"{kind} {text!r}: the API took it for {data['kind']!r} and found {data['count']}"
                        )


# --- the load clients ------------------------------------------------------------------------


def run_wrk(port: int, paths_file: Path, connections: int, duration: int, threads: int, timeout: int) -> ClientResult:
    command = ["wrk", "-t", str(min(threads, connections)), "-c", str(connections), "-d", f"{duration}s"]
    command += ["--timeout", f"{timeout}s", "--latency", "-s", str(LUA_SCRIPT), f"http://127.0.0.1:{port}"]
    command += ["--", str(paths_file)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk_output(done.stdout, connections=connections)


def run_python_client(port: int, paths: list[str], connections: int, duration: int, timeout: int) -> ClientResult:
    """``connections`` threads, each with its own keep-alive connection, asking in turn until the time is up."""
    deadline = time.perf_counter() + duration
    latencies: list[list[float]] = [[] for _ in range(connections)]
    statuses: list[Counter[str]] = [Counter() for _ in range(connections)]
    errors = [0] * connections
    timeouts = [0] * connections

    def client(n: int) -> None:
        conn: http.client.HTTPConnection | None = None
        index = (n * 7919) % len(paths)
        while time.perf_counter() < deadline:
            index = (index + 1) % len(paths)
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                start = time.perf_counter()
                conn.request("GET", paths[index], headers=HEADERS)
                response = conn.getresponse()
                response.read()
                latencies[n].append(time.perf_counter() - start)
                statuses[n][str(response.status)] += 1
            except (OSError, http.client.HTTPException) as exc:
                if isinstance(exc, TimeoutError):
                    timeouts[n] += 1
                else:
                    errors[n] += 1
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(t * 1000 for per_client in latencies for t in per_client)
    return ClientResult(
        client="python",
        connections=connections,
        duration_s=elapsed,
        requests=len(ordered),
        **latency_figures(ordered),
        socket_errors=sum(errors),
        timeouts=sum(timeouts),
        statuses=dict(sorted(sum(statuses, Counter()).items())),
    )


# --- the run ---------------------------------------------------------------------------------


def choose_client(wanted: str) -> str:
    has_wrk = shutil.which("wrk") is not None
    if wanted == "wrk" and not has_wrk:
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian), or pass --client python.")
    if wanted == "auto" and not has_wrk:
        print("wrk is not installed (Debian: apt-get install wrk): using the bounded Python client instead,")
        print("which shares the cores with the server and tops out sooner.\n")
        return "python"
    return "python" if wanted == "python" else "wrk"


def check_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        raise SystemExit(f"Redis does not answer at {url} ({exc}): the served portal and its worker need it.") from exc


def main() -> None:
    cores = len(os.sched_getaffinity(0))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load at each level (default 60)")
    parser.add_argument(
        "--connections", type=parse_connections, default=[8, 32, 64], help="levels, comma-separated (default 8,32,64)"
    )
    parser.add_argument("--warmup", type=int, default=5, help="seconds of load before measuring (default 5)")
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help="gunicorn workers (default 2 x cores + 1)")
    parser.add_argument("--celery-concurrency", type=int, default=cores, help=f"pool processes (default {cores})")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--wrk-threads", type=int, default=cores, help=f"wrk threads (default {cores})")
    parser.add_argument("--timeout", type=int, default=30, help="seconds before a request counts as timed out")
    parser.add_argument("--samples", type=int, default=20, help="searches of each kind in the mix (default 20)")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="default BENCH_REDIS_URL or db 15")
    parser.add_argument("--public-api-rate", default=DEFAULT_PUBLIC_API_RATE)
    parser.add_argument(
        "--access-log", type=Path, help="keep gunicorn's access log here (default: a temporary file, removed)"
    )
    parser.add_argument("--output", type=Path, help="JSON file (default var/bench/load_lookup-<N>-<time>.json)")
    args = parser.parse_args()

    client = choose_client(args.client)
    total = certificate_count()
    check_redis(args.redis_url)
    # Set here rather than at import, so that tests/bench can import the helpers harmlessly.
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ["REDIS_URL"] = args.redis_url  # this process pings the worker through the same broker
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    queries = lookup_queries(args.samples)
    kinds_of = lookup_kinds(queries)
    paths = lookup_paths(queries)
    connection.close()
    env = served_environment(args.redis_url, args.public_api_rate)

    load_average = os.getloadavg()
    print(f"\n{total:,} certificates in {database_label()}; {cores} cores shared by the client and the server")
    print(
        "load average before the run (other work on this machine skews the figures): "
        + ", ".join(f"{value:.2f}" for value in load_average)
    )
    print(
        f"gunicorn: {args.workers} sync workers, DEBUG off; Celery worker: {args.celery_concurrency} pool processes; "
        f"Redis {args.redis_url}"
    )
    print(
        f"PUBLIC_API_RATE raised to {args.public_api_rate} for the served instance only (default 60/minute per "
        "address): every request comes from 127.0.0.1"
    )
    print(
        f"mix: {len(paths)} URLs, the page and the public API alike, by {', '.join(KINDS)} "
        f"({args.samples} of each); {args.duration} s per level, client {client}\n"
    )

    levels: list[LevelResult] = []
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="load-lookup-")))
        access_log = args.access_log or workdir / "access.log"
        worker = stack.enter_context(celery_worker(env, args.celery_concurrency))
        port, server = stack.enter_context(gunicorn(env, args.workers, access_log))
        paths_file = workdir / "urls.txt"
        paths_file.write_text("\n".join(paths) + "\n")

        def load(connections: int, duration: int) -> ClientResult:
            if client == "wrk":
                return run_wrk(port, paths_file, connections, duration, args.wrk_threads, args.timeout)
            return run_python_client(port, paths, connections, duration, args.timeout)

        check_answers(port, queries)
        if args.warmup:
            load(max(args.connections), args.warmup)
        with MemorySampler({"web": server.pid, "worker": worker.pid}) as idle:
            time.sleep(1)
        print(
            f"idle after warm-up: web {idle.figures('web').rss_peak_mib:,.0f} MiB RSS "
            f"({idle.figures('web').processes} processes), "
            f"worker {idle.figures('worker').rss_peak_mib:,.0f} MiB RSS ({idle.figures('worker').processes} processes)"
        )
        for connections in args.connections:
            logged_before = access_log.stat().st_size if access_log.exists() else 0
            with MemorySampler({"web": server.pid, "worker": worker.pid}) as sampler:
                result = load(connections, args.duration)
            with access_log.open(encoding="utf-8", errors="replace") as log:
                log.seek(logged_before)
                kinds = kind_breakdown(parse_access_log(log.read().splitlines()), kinds_of)
            level = LevelResult(result, sampler.figures("web"), sampler.figures("worker"), kinds)
            levels.append(level)
            print(
                f"{connections:>4} connections: {result.requests_per_s:8.1f} req/s  p50 {result.p50_ms:7.1f} ms  "
                f"p99 {result.p99_ms:7.1f} ms  errors {result.socket_errors + result.timeouts}  "
                f"non-2xx {result.non_2xx}  web {level.web.rss_peak_mib:,.0f} MiB  "
                f"worker {level.worker.rss_peak_mib:,.0f} MiB",
                flush=True,
            )

    print()
    print(markdown_table(levels))
    for level in levels:
        heading = f"The server's time per kind of search at {level.load.connections} connections"
        print(f"\n{heading} (gunicorn's access log):\n")
        print(kind_table(level.kinds))
    print(
        "\nRSS: the peak over the run of the sum over gunicorn's master and workers (web) and the Celery "
        "worker's processes; PSS counts the pages forked processes share once. The lookup enqueues no "
        "task: the worker's figure is its memory beside the load."
    )
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    output = args.output or ROOT / "var" / "bench" / f"load_lookup-{total}-{stamp}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "benchmark": "bench/load_lookup.py",
        "when": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "database": database_label(),
        "certificates": total,
        "cores": cores,
        "load_average_before": [round(value, 2) for value in load_average],
        "gunicorn_workers": args.workers,
        "celery_concurrency": args.celery_concurrency,
        "client": client,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "public_api_rate": args.public_api_rate,
        "queries": queries,
        "idle": {"web": asdict(idle.figures("web")), "worker": asdict(idle.figures("worker"))},
        "levels": [
            {
                **asdict(level.load),
                "requests_per_s": round(level.load.requests_per_s, 1),
                "non_2xx": level.load.non_2xx,
                "web": asdict(level.web),
                "worker": asdict(level.worker),
                "kinds": [asdict(figure) for figure in level.kinds],
            }
            for level in levels
        ],
    }
    output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"\nwritten to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")


if __name__ == "__main__":
    main()
