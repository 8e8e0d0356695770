"""Load-test the public pages at three sizes of the record; print a table (`make bench`).

1. Creates a PostgreSQL database (declaration_perf, dropped at the end unless --keep), migrates
   it and loads the seed (198 participants, one declaration).
2. For each size (the seed; 51 declarations endorsed by every participant, about 10,000
   endorsements; 506 declarations, about 100,000), with sources and history rows written by
   bulk_create: counts each page's queries and runs EXPLAIN ANALYZE on them in this process,
   then serves the app with gunicorn (the production settings plus a trivial view,
   bench/settings.py; sync workers, page cache off) and drives every page from a wrk process
   (4 connections): req/s, p50, p99 and errors, and each page's req/s as a share of the
   trivial view's (loaded first and last), which makes runs on other machines comparable.
   The comparison over the whole record (/compare/: from the eve of the launch to today, the
   list's 67 endorsers as 68 actions) is one of the pages; at the largest size it is also
   loaded in turn with the list, three rounds, for the target of 1.5 x the list's time.
3. At the largest size: the three exports (time to first byte, total time, peak memory of the
   worker above idle), then the pages again with the page cache on, a repeat request answered
   304, and the cached list with Redis when a server answers at REDIS_URL
   (default redis://127.0.0.1:6379/0).

    .venv/bin/python bench/pages.py [--duration 3] [--keep]

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/), wrk and
Linux. Loopback only; every load run is bounded by --duration.
"""

import argparse
import datetime
import http.client
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from exports import (
    count_rows,
    create_database,
    database_url,
    drop_database,
    fetch,
    free_port,
    rss_kb,
)

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
CONNECTIONS = 4
SIZES = [("seed", 1), ("~10,000 endorsements", 51), ("~100,000 endorsements", 506)]
CEILING = ("trivial view (ceiling)", "/bench/ceiling")
EUROPE = ("participants, Europe", "/participants/?region=150")
CSV_EUROPE = ("CSV, Europe", "/participants/export.csv?region=150")
JSON_EUROPE = ("JSON, Europe", "/participants/export.json?region=150")
COMPARE_ALL = ("compare, whole record", "/compare/")
PAGES = [
    CEILING,
    ("home", "/"),
    ("participants", "/participants/"),
    EUROPE,
    CSV_EUROPE,
    JSON_EUROPE,
    ("participants, filtered", "/participants/?region=150&status=endorsed&forum=g7&sort=name"),
    ("participant", "/participants/norway/"),
    ("regions", "/regions/"),
    ("map", "/map.svg"),
    COMPARE_ALL,
    ("API participants", "/api/participants/"),
    ("API endorsements", "/api/endorsements/"),
]
LIST = PAGES[2]
ROUNDS = 3
BATCH = 5000
NOTES = []  # errors seen by wrk, printed under the table
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %f, "p50": %f, "p99": %f, "status": %d, "socket": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=3, help="seconds of load per page")
    parser.add_argument("--database", default="declaration_perf")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # DEBUG stays off
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# Data


def grow(declarations):
    """Add synthetic declarations, each endorsed by every participant, up to ``declarations``."""
    from django.db import connection
    from simple_history.utils import bulk_create_with_history

    from declaration.models import Declaration
    from signatories.models import Action, DataVersion, Endorsement, Participant, Source

    participants = list(Participant.objects.order_by("pk").values_list("pk", flat=True))
    launched = datetime.date(2022, 4, 28)
    span = (datetime.date.today() - launched).days
    new = Declaration.objects.bulk_create(
        Declaration(
            title=f"Synthetic declaration {n:04d}",
            short_name=f"SD{n}",
            slug=f"synthetic-{n:04d}",
            launched_on=launched,
            text_url=f"https://example.org/declarations/{n}",
            summary="A synthetic declaration for the benchmark.",
        )
        for n in range(Declaration.objects.count(), declarations)
    )
    pending = [
        synthetic_endorsement(declaration, participant, launched, span)
        for declaration in new
        for participant in participants
    ]
    for start in range(0, len(pending), BATCH):
        endorsements = bulk_create_with_history(pending[start : start + BATCH], Endorsement)
        Source.objects.bulk_create(
            Source(endorsement=e, url=f"https://example.org/{e.pk}/{n}", position=n)
            for e in endorsements
            for n in range(1, 2 + (e.pk % 3 == 0))
        )
        Action.objects.bulk_create(a for e in endorsements for a in Action.from_dates(e))
    DataVersion.renew()  # bulk_create sends no signals
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load


def synthetic_endorsement(declaration, participant_id, launched, span):
    from signatories.models import Endorsement, Status

    endorsed_on = launched + datetime.timedelta(days=(participant_id * 7 + declaration.pk) % span)
    withdrawn = (participant_id + declaration.pk) % 50 == 0
    return Endorsement(
        participant_id=participant_id,
        declaration=declaration,
        endorsed_on=endorsed_on,
        status=Status.WITHDRAWN if withdrawn else Status.ENDORSED,
        withdrawn_on=endorsed_on if withdrawn else None,
        note=f"Synthetic note {participant_id}",
    )


def sizes():
    from declaration.models import Declaration
    from signatories.models import Endorsement, Participant

    return (
        f"{Participant.objects.count():,} participants, {Declaration.objects.count():,} "
        f"declarations, {Endorsement.objects.count():,} endorsements"
    )


# In-process: queries per request and EXPLAIN ANALYZE


def queries_and_plans(path, cached=False):
    """Queries one request runs (the second one, with the cache on) and the slowest's ms."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client()
    with override_settings(PAGE_CACHE_SECONDS=600 if cached else 0):
        read(client.get(path))  # all of it: an export is kept in the page cache once sent
        with CaptureQueriesContext(connection) as captured:
            status = read(client.get(path))
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    slowest = 0.0
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if sql.startswith("DECLARE"):  # a server-side cursor: explain its query
                sql = sql.split(" FOR ", 1)[1]
            if not sql.startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
            slowest = max(slowest, plan["Execution Time"])
    return len(captured.captured_queries), slowest


def read(response):
    """The whole answer (an export reads its rows while it is sent); its status."""
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


# The server and the load


def start_server(port, **env):
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
    ]
    environment = {**os.environ, "DEBUG": "0", "LOG_LEVEL": "ERROR", **env}
    with open(Path(tempfile.gettempdir()) / "bench-gunicorn.log", "a") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=environment, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if get(port, CEILING[1])[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise RuntimeError("gunicorn did not start within 30 s")


def stop(server):
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def workers(server):
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text()
    return [int(pid) for pid in children.split()]


def get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, dict(response.getheaders())


def load(port, path, duration, script, headers=()):
    """wrk's numbers for one address: requests/s, p50 and p99 in ms, errors."""
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", "--timeout", "10s", "-s", script]
    for header in headers:
        command += ["-H", header]
    url = f"http://127.0.0.1:{port}{path}"
    subprocess.run([*command, "-d1s", url], capture_output=True, check=True)  # warm-up
    output = subprocess.run(
        [*command, f"-d{duration:g}s", url], capture_output=True, text=True, check=True
    ).stdout
    result = json.loads(output.split("RESULT ", 1)[1])
    errors = result["status"] + result["socket"]
    if errors:
        NOTES.append(
            f"{path}: {result['status']} answers other than 2xx or 3xx, {result['socket']} "
            f"connection errors (server log: {Path(tempfile.gettempdir()) / 'bench-gunicorn.log'})"
        )
    return result["requests"] / result["seconds"], result["p50"], result["p99"], errors


def measure_pages(port, pages, duration, script, cached=False):
    """One row per page; the trivial view (first) is loaded again at the end, and its mean
    is the ceiling, so that other work on the machine weighs on both sides alike."""
    measured = []
    for label, path in pages:
        rate, p50, p99, errors = load(port, path, duration, script)
        queries, slowest = queries_and_plans(path, cached=cached)
        measured.append([label, path, rate, p50, p99, errors, queries, slowest])
    measured[0][2] = (measured[0][2] + load(port, CEILING[1], duration, script)[0]) / 2
    ceiling = measured[0][2]
    return [(label, path, rate, rate / ceiling, *rest) for label, path, rate, *rest in measured]


def measure_side_by_side(port, duration, script, pages=(CEILING, EUROPE, CSV_EUROPE, JSON_EUROPE)):
    """Pages loaded in turn (by default the list filtered to Europe and its CSV and JSON),
    ROUNDS times: each page's median row, so that a busy moment of the machine weighs on all
    of them alike."""
    rounds = [measure_pages(port, pages, duration, script) for _ in range(ROUNDS)]
    return [
        sorted((run[index] for run in rounds), key=lambda row: row[2])[ROUNDS // 2]
        for index in range(len(pages))
    ]


def print_pages(title, rows):
    print(title)
    print(
        f"{'page':<24}{'req/s':>8}{'of ceiling':>11}{'p50 ms':>8}{'p99 ms':>8}{'errors':>8}"
        f"{'queries':>9}{'slowest query':>15}"
    )
    for label, _, rate, share, p50, p99, errors, queries, slowest in rows:
        print(
            f"{label:<24}{rate:>8.0f}{share:>10.0%} {p50:>8.1f}{p99:>8.1f}{errors:>8}"
            f"{queries:>9}{slowest:>12.2f} ms"
        )
    for note in NOTES:
        print(f"  errors: {note}")
    NOTES.clear()
    print()


# Exports


class Peaks(threading.Thread):
    """The highest resident memory of each process, sampled every 5 ms until stopped."""

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.peaks = {pid: rss_kb(pid) for pid in pids}
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.005):
            for pid in self.peaks:
                self.peaks[pid] = max(self.peaks[pid], rss_kb(pid))


def measure_exports(port, pids):
    rows = []
    for fmt in ("csv", "xlsx", "json"):
        fetch(port, fmt)  # warm-up
        idle = {pid: rss_kb(pid) for pid in pids}
        sampler = Peaks(pids)
        sampler.start()
        status, first_byte, _, total, data = fetch(port, fmt)
        sampler.done.set()
        sampler.join()
        above = max(sampler.peaks[pid] - idle[pid] for pid in pids)
        rows.append((fmt, status, first_byte, total, len(data), count_rows(fmt, data), above))
    return rows


def print_exports(rows):
    print("Exports of /participants/ with the default filters (page cache off)")
    print(
        f"{'format':<8}{'status':>7}{'first byte':>12}{'total':>9}{'bytes':>10}{'rows':>6}"
        f"{'peak memory above idle':>24}"
    )
    for fmt, status, first_byte, total, size, rows_read, above in rows:
        print(
            f"{fmt:<8}{status:>7}{first_byte * 1000:>9.1f} ms{total * 1000:>6.0f} ms{size:>10,}"
            f"{rows_read:>6}{above / 1024:>21.1f} MB"
        )
    print()


def redis_answers(url):
    try:
        import redis

        return redis.Redis.from_url(url, socket_timeout=1).ping()
    except Exception:  # not installed, not running: the Redis row is left out
        return False


# Targets


def verdicts(by_size, cached, side_by_side, list_and_comparison):
    seed, largest = by_size[0], by_size[-1]

    def row(rows, page):
        return next(row for row in rows if row[1] == page[1])

    list_seed, list_large, cached_list = row(seed, LIST), row(largest, LIST), row(cached, LIST)
    europe, csv = row(side_by_side, EUROPE), row(side_by_side, CSV_EUROPE)
    json_ = row(side_by_side, JSON_EUROPE)
    cached_europe, cached_csv = row(cached, EUROPE), row(cached, CSV_EUROPE)
    slowest = max(row[8] for rows in by_size for row in rows)
    grows = [large[0] for small, large in zip(seed, largest, strict=True) if large[7] != small[7]]
    listed, compared = row(list_and_comparison, LIST), row(list_and_comparison, COMPARE_ALL)
    checks = [
        (
            "uncached list filtered to Europe, seed: >= 150 req/s",
            europe[2] >= 150,
            f"{europe[2]:.0f} req/s, p99 {europe[5]:.1f} ms",
        ),
        (
            "CSV and JSON of that view, uncached: >= the list's rate",
            min(csv[2], json_[2]) >= europe[2],
            f"CSV {csv[2]:.0f}, JSON {json_[2]:.0f}, list {europe[2]:.0f} req/s",
        ),
        (
            "a small export is cached like a page: one query, near the cached list's rate",
            cached_csv[7] == 1 and cached_csv[2] >= 0.7 * cached_europe[2],
            f"{cached_csv[7]} query, {cached_csv[2]:.0f} req/s "
            f"({cached_csv[3]:.0%} of the trivial view)",
        ),
        (
            "cached list filtered to Europe: >= 70% of the trivial view",
            cached_europe[3] >= 0.7,
            f"{cached_europe[3]:.0%}",
        ),
        (
            "uncached list, seed: >= 300 req/s, p99 < 60 ms",
            list_seed[2] >= 300 and list_seed[5] < 60,
            f"{list_seed[2]:.0f} req/s, p99 {list_seed[5]:.1f} ms",
        ),
        (
            "uncached list, ~100,000 endorsements: within 1.5 x its seed time",
            list_large[3] * 1.5 >= list_seed[3],
            f"{list_seed[3] / list_large[3]:.2f} x as shares of each run's trivial view "
            f"({list_seed[2] / list_large[2]:.2f} x in req/s)",
        ),
        (
            "comparison over the whole record, ~100,000 endorsements: within 1.5 x the time "
            "of the list (the same rows)",
            compared[2] * 1.5 >= listed[2],
            f"{listed[2] / compared[2]:.2f} x (list {listed[2]:.0f} req/s, p50 {listed[4]:.1f} "
            f"ms; comparison {compared[2]:.0f} req/s, p50 {compared[4]:.1f} ms)",
        ),
        (
            "every page's queries under 5 ms (EXPLAIN ANALYZE)",
            slowest < 5,
            f"slowest {slowest:.2f} ms",
        ),
        (
            "cached list: >= 70% of the trivial view",
            cached_list[3] >= 0.7,
            f"{cached_list[3]:.0%}",
        ),
        (
            "queries per page constant as rows grow",
            not grows,
            "constant" if not grows else "grows: " + ", ".join(grows),
        ),
    ]
    print("Targets")
    for text, met, detail in checks:
        print(f"  [{'met' if met else 'NOT MET'}] {text}: {detail}")


def main():
    args = options()
    if not shutil.which("wrk"):
        sys.exit("bench/pages.py needs wrk (apt-get install wrk; `make bench` installs it)")
    started = time.monotonic()
    url = database_url(args.database)
    create_database(args.database)
    server = None
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(WRK_REPORT)
    script.close()
    try:
        setup_django(url)
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        call_command("seed", verbosity=0)
        print(
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start; "
            f"gunicorn {WORKERS} sync workers, PostgreSQL; wrk {CONNECTIONS} connections, "
            f"{args.duration:g} s per page after 1 s of warm-up.\n"
        )
        by_size = []
        for name, declarations in SIZES:
            grow(declarations)
            connections.close_all()
            port = free_port()
            server = start_server(port, PAGE_CACHE_SECONDS="0")
            rows = measure_pages(port, PAGES, args.duration, script.name)
            by_size.append(rows)
            print_pages(f"Page cache off, {name}: {sizes()}", rows)
            if declarations == SIZES[0][1]:
                side_by_side = measure_side_by_side(port, args.duration, script.name)
                print_pages(
                    f"Page cache off, seed: the list and its exports side by side, median of "
                    f"{ROUNDS} interleaved rounds",
                    side_by_side,
                )
            if declarations == SIZES[-1][1]:
                list_and_comparison = measure_side_by_side(
                    port, args.duration, script.name, pages=(CEILING, LIST, COMPARE_ALL)
                )
                print_pages(
                    f"Page cache off, {name}: the list and the comparison over the whole "
                    f"record side by side, median of {ROUNDS} interleaved rounds",
                    list_and_comparison,
                )
                print_exports(measure_exports(port, workers(server)))
            stop(server)
            server = None
        port = free_port()
        server = start_server(port, PAGE_CACHE_SECONDS="600")
        cached = measure_pages(port, PAGES, args.duration, script.name, cached=True)
        etag = get(port, LIST[1])[1]["ETag"]
        rate, p50, p99, errors = load(
            port, LIST[1], args.duration, script.name, headers=[f"If-None-Match: {etag}"]
        )
        status = get(port, LIST[1], {"If-None-Match": etag})[0]
        cached.append(
            ("participants, 304", LIST[1], rate, rate / cached[0][2], p50, p99, errors, 1, 0.0)
        )
        stop(server)
        server = None
        redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
        if redis_answers(redis_url):
            port = free_port()
            server = start_server(port, PAGE_CACHE_SECONDS="600", REDIS_URL=redis_url)
            rows = measure_pages(port, [CEILING, LIST], args.duration, script.name, cached=True)
            _, path, rate, _, *rest = rows[1]
            cached.append(("participants, Redis", path, rate, rate / cached[0][2], *rest))
            stop(server)
            server = None
        print_pages(f"Page cache on, {SIZES[-1][0]}; a repeat request answers {status}", cached)
        verdicts(by_size, cached, side_by_side, list_and_comparison)
        print(f"\n(whole run: {time.monotonic() - started:.0f} s)")
    finally:
        if server is not None:
            stop(server)
        os.unlink(script.name)
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.database)


if __name__ == "__main__":
    main()
