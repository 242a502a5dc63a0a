"""bench/load_lookup.py's helpers: reading wrk's result, memory from /proc, the two load clients.

No timings are asserted here (the benchmark prints them); these check that what it counts is
counted right, against a small local HTTP server.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_lookup", ROOT / "bench" / "load_lookup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_lookup"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


load_lookup = _load_module()

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:40000
  2 threads and 8 connections
  Latency Distribution
     50%  130.00ms
  567 requests in 10.09s, 9.96MB read
Requests/sec:     56.19
LOAD_RESULT {"requests": 567, "duration_us": 10090000, "bytes": 10443264, \
"errors": {"connect": 1, "read": 2, "write": 0, "status": 3, "timeout": 4}, \
"statuses": {"429": 3, "200": 560}, \
"latency_us": {"p50": 137215, "p90": 201000, "p99": 258104, "max": 301000, "mean": 140000.5}}
"""


class _Handler(BaseHTTPRequestHandler):
    """200 for /ok, 429 for /limited, 500 for anything else; records each path asked."""

    protocol_version = "HTTP/1.1"
    seen: list[str] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        status = {"/ok": 200, "/limited": 429}.get(self.path, 500)
        body = b"x"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[int]:
    _Handler.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_it_reads_percentiles_errors_and_statuses_from_the_lua_result_line() -> None:
    result = load_lookup.parse_wrk_output(WRK_OUTPUT, connections=8)

    assert result.client == "wrk"
    assert result.connections == 8
    assert result.requests == 567
    assert result.duration_s == 10.09
    assert round(result.requests_per_s, 2) == 56.19
    assert (result.p50_ms, result.p90_ms, result.p99_ms, result.max_ms) == (137.215, 201.0, 258.104, 301.0)
    assert (result.socket_errors, result.timeouts) == (3, 4)
    assert result.statuses == {"200": 560, "429": 3}
    assert result.non_2xx == 3


def test_it_refuses_wrk_output_without_the_lua_result_line() -> None:
    with pytest.raises(ValueError, match="LOAD_RESULT"):
        load_lookup.parse_wrk_output("Requests/sec: 56.19\n", connections=8)


def test_every_status_outside_the_2xx_range_counts_as_non_2xx() -> None:
    result = load_lookup.ClientResult("python", 1, 1.0, 7, 1, 1, 1, 1, 0, 0, {"200": 3, "204": 1, "301": 1, "500": 2})

    assert result.non_2xx == 3


def test_connection_levels_are_a_comma_separated_list_of_positive_numbers() -> None:
    assert load_lookup.parse_connections("8, 32,64") == [8, 32, 64]
    with pytest.raises(argparse.ArgumentTypeError, match="'0'"):
        load_lookup.parse_connections("8,0")
    with pytest.raises(argparse.ArgumentTypeError, match="'many'"):
        load_lookup.parse_connections("many")


def test_percentiles_are_nearest_rank() -> None:
    ordered = [float(n) for n in range(1, 101)]

    assert load_lookup.percentile(ordered, 50) == 50.0
    assert load_lookup.percentile(ordered, 99) == 99.0
    assert load_lookup.percentile([3.0], 99) == 3.0
    assert load_lookup.percentile([], 50) == 0.0


def test_it_reads_kib_from_a_proc_status_text() -> None:
    status = "Name:\tgunicorn\nVmPeak:\t  300000 kB\nVmRSS:\t   81234 kB\nThreads:\t1\n"

    assert load_lookup.parse_proc_status_kib(status, "VmRSS") == 81234
    assert load_lookup.parse_proc_status_kib("Rss: 12 kB\nPss:    345 kB\n", "Pss") == 345
    assert load_lookup.parse_proc_status_kib(status, "Pss") == 0


def test_memory_figures_are_the_peak_and_mean_of_the_summed_samples() -> None:
    figures = load_lookup.summarise_memory([(6, 1024 * 500, 1024 * 300), (6, 1024 * 600, 1024 * 350)])

    assert figures == load_lookup.MemoryFigures(processes=6, rss_peak_mib=600.0, rss_mean_mib=550.0, pss_peak_mib=350.0)
    assert load_lookup.summarise_memory([]) == load_lookup.MemoryFigures()


def test_a_process_tree_holds_the_children_of_its_root() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        tree = load_lookup.process_tree(load_lookup.os.getpid())
        processes, rss_kib, _ = load_lookup.group_memory_kib(child.pid)
    finally:
        child.kill()
        child.wait()

    assert tree[0] == load_lookup.os.getpid()
    assert child.pid in tree
    assert processes == 1
    assert rss_kib > 0


def test_the_table_shows_one_row_per_level_with_memory_in_mib() -> None:
    load = load_lookup.ClientResult("wrk", 32, 10.0, 714, 430.6, 600.0, 659.7, 700.0, 1, 2, {"200": 710, "429": 4})
    web = load_lookup.MemoryFigures(6, 608.0, 600.0, 477.0)
    worker = load_lookup.MemoryFigures(3, 332.0, 332.0, 177.0)

    table = load_lookup.markdown_table([load_lookup.LevelResult(load, web, worker)])

    assert table.splitlines()[2] == "| 32 | wrk | 714 | 71.4 | 430.6 | 659.7 | 3 | 4 | 608 (477) | 332 (177) |"


def test_the_access_log_is_read_as_url_status_and_milliseconds() -> None:
    lines = [
        "/certificates/?q=%E6%9C%89%E9%99%90 200 81234",
        "/healthz? 200 950",
        "[2026-11-21 10:00:00 +0000] [42] [INFO] Booting worker with pid: 42",
        "",
    ]

    assert load_lookup.parse_access_log(lines) == [
        ("/certificates/?q=%E6%9C%89%E9%99%90", 200, 81.234),
        ("/healthz", 200, 0.95),
    ]


def test_the_breakdown_gives_each_kind_and_path_its_own_percentiles() -> None:
    queries = {kind: [f"{n}{kind[:3]}"] for n, kind in enumerate(load_lookup.KINDS)}
    kinds_of = load_lookup.lookup_kinds(queries)
    number_page, number_api = list(kinds_of)[:2]
    entries = [(number_page, 200, float(ms)) for ms in range(1, 101)]
    entries += [(number_api, 200, 7.0), ("/healthz", 200, 1.0)]

    figures = load_lookup.kind_breakdown(entries, kinds_of)

    assert [(f.kind, f.path, f.requests, f.p50_ms, f.p99_ms, f.max_ms) for f in figures] == [
        ("certificate number", "/certificates/", 100, 50.0, 99.0, 100.0),
        ("certificate number", "/api/public/certificates/", 1, 7.0, 7.0, 7.0),
    ]
    assert load_lookup.kind_table(figures).splitlines()[2] == (
        "| certificate number | /certificates/ | 100 | 50.0 | 90.0 | 99.0 | 100.0 |"
    )
    assert set(load_lookup.lookup_paths(queries)) == set(kinds_of)


def test_a_search_that_recurs_in_the_mix_keeps_its_weight() -> None:
    queries = {kind: [f"{kind[:3]}{n}" for n in range(2)] for kind in load_lookup.KINDS}
    queries["not found"] = ["不存在的公司", "不存在的公司"]

    paths = load_lookup.lookup_paths(queries)

    assert len(paths) == 2 * len(load_lookup.KINDS) * len(load_lookup.PATHS)
    assert len(load_lookup.lookup_kinds(queries)) == len(paths) - len(load_lookup.PATHS)
    assert paths[:2] == [f"{path}?q=cer0" for path in load_lookup.PATHS]


def test_the_python_client_counts_each_status_and_cycles_through_the_paths(http_server: int) -> None:
    result = load_lookup.run_python_client(http_server, ["/ok", "/limited", "/broken"], 2, 1, 5)

    assert result.client == "python"
    assert result.requests == sum(result.statuses.values())
    assert set(result.statuses) == {"200", "429", "500"}
    assert result.non_2xx == result.statuses["429"] + result.statuses["500"]
    assert result.socket_errors == 0
    assert set(_Handler.seen) == {"/ok", "/limited", "/broken"}


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)")
def test_the_wrk_script_cycles_through_the_paths_and_reports_each_status(http_server: int, tmp_path: Path) -> None:
    paths = tmp_path / "urls.txt"
    paths.write_text("/ok\n/limited\n\n/broken\n")

    result = load_lookup.run_wrk(http_server, paths, 2, 1, 2, 5)

    assert result.client == "wrk"
    assert result.requests > 0
    assert sum(result.statuses.values()) == result.requests
    assert set(result.statuses) == {"200", "429", "500"}
    assert result.non_2xx == result.statuses["429"] + result.statuses["500"]
    assert set(_Handler.seen) == {"/ok", "/limited", "/broken"}
