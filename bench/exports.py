"""Benchmark the participants exports on 100,000 synthetic rows.

Creates a separate PostgreSQL database (dropped at the end), fills it with the seed data plus
synthetic participants and endorsements, serves the app with gunicorn (one sync worker) on a
free loopback port, downloads each export with the default filters and prints, per format,
the time to the first body byte, the total time, the bytes, the rows and the worker's peak
resident memory above its idle level (sampled from /proc every 5 ms).

    .venv/bin/python bench/exports.py [--rows 100000] [--keep]

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/) and Linux.
"""

import argparse
import datetime
import http.client
import io
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5000
REQUEST_TIMEOUT = 600  # seconds; every loop below is bounded by a count or a deadline
FORMATS = ["csv", "xlsx", "json"]


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="synthetic participants")
    parser.add_argument("--database", default="declaration_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def server_url():
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")


def admin_sql(*statements):
    import psycopg2

    parts = urlsplit(server_url())
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    connection.close()


def database_url(name):
    return server_url().rstrip("/") + f"/{name}"


def create_database(name):
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')


def drop_database(name):
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    # The server runs with DEBUG off, as in production, so it needs a key: a throwaway one.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def fill(rows):
    """Migrate, load the seed, then add ``rows`` synthetic endorsers with bulk_create."""
    from django.core.management import call_command
    from django.db import connection

    from declaration.models import Declaration, Forum
    from signatories.models import (
        Action,
        Endorsement,
        ForumMembership,
        Participant,
        Region,
        Source,
        normalise_for_search,
    )

    call_command("migrate", verbosity=0)
    call_command("seed", verbosity=0)
    dfi = Declaration.objects.get(slug="dfi")
    regions = list(Region.objects.filter(parent__isnull=False))
    forums = list(Forum.objects.filter(has_member_list=True))
    days = (datetime.date.today() - dfi.launched_on).days
    for start in range(0, rows, BATCH):
        numbers = range(start, min(start + BATCH, rows))
        participants = Participant.objects.bulk_create(
            Participant(
                name=f"Synthetic participant {i:06d}",
                slug=f"synthetic-participant-{i:06d}",
                entity_type=Participant.EntityType.STATE,
                region=regions[i % len(regions)],
                search_name=normalise_for_search(f"Synthetic participant {i:06d}"),
            )
            for i in numbers
        )
        endorsements = Endorsement.objects.bulk_create(
            synthetic_endorsement(participant, dfi, i, days)
            for i, participant in zip(numbers, participants, strict=True)
        )
        Source.objects.bulk_create(
            Source(endorsement=e, url=f"https://example.org/{e.pk}/{n}", position=n)
            for e in endorsements
            for n in range(1, 1 + 1 + e.pk % 2)
        )
        Action.objects.bulk_create(a for e in endorsements for a in Action.from_dates(e))
        ForumMembership.objects.bulk_create(
            ForumMembership(participant=p, forum=forums[p.pk % len(forums)])
            for p in participants
            if p.pk % 3 == 0
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
    return Participant.objects.count()


def synthetic_endorsement(participant, declaration, i, days):
    from signatories.models import Endorsement, Status

    endorsed_on = declaration.launched_on + datetime.timedelta(days=i % days)
    withdrawn = i % 97 == 0
    return Endorsement(
        participant=participant,
        declaration=declaration,
        endorsed_on=endorsed_on,
        status=Status.WITHDRAWN if withdrawn else Status.ENDORSED,
        withdrawn_on=endorsed_on if withdrawn else None,
        note="=1+2 looks like a formula" if i % 10 == 0 else f"Synthetic note {i}",
    )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(url, port):
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "LOG_LEVEL": "ERROR"}
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--timeout",
        str(REQUEST_TIMEOUT),
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    else:
        server.terminate()
        raise RuntimeError("gunicorn did not start within 30 s")
    return server


def worker_pid(master):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("no gunicorn worker")


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class PeakSampler(threading.Thread):
    """Samples a process's resident memory until stopped, keeping the peak."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, rss_kb(pid), threading.Event()

    def run(self):
        while not self.done.wait(0.005):
            self.peak = max(self.peak, rss_kb(self.pid))


def fetch(port, fmt):
    """Download an export; returns status, seconds to the first body byte and to the first
    data row (CSV and JSON: XLSX rows are compressed), total seconds and the body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    started = time.perf_counter()
    connection.request("GET", f"/participants/export.{fmt}")
    response = connection.getresponse()
    parts, first_byte, first_row = [], None, None
    while chunk := response.read1(65536):
        parts.append(chunk)
        first_byte = first_byte or time.perf_counter() - started
        if first_row is None and fmt != "xlsx" and has_a_row(fmt, b"".join(parts)):
            first_row = time.perf_counter() - started
    total = time.perf_counter() - started
    connection.close()
    return response.status, first_byte, first_row, total, b"".join(parts)


def fetch_path(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    connection.request("GET", path)
    connection.getresponse().read()
    connection.close()


def has_a_row(fmt, data):
    return data.count(b"\r\n") >= 2 if fmt == "csv" else b'{"name"' in data


def count_rows(fmt, data):
    if fmt == "csv":
        return data.count(b"\r\n") - 1
    if fmt == "json":
        return len(json.loads(data)["results"])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").count(b"<row ") - 1


def measure(port, worker):
    idle = rss_kb(worker)
    results = []
    for fmt in FORMATS:
        sampler = PeakSampler(worker)
        sampler.start()
        status, first_byte, first_row, total, data = fetch(port, fmt)
        sampler.done.set()
        sampler.join()
        results.append((fmt, status, first_byte, first_row, total, len(data), data, sampler.peak))
    return idle, results


def report(rows, participants, idle, results):
    print(f"Exports of /participants/ with the default filters: {participants:,} participants in")
    print(f"the database ({rows:,} synthetic + the seed), PostgreSQL, gunicorn with 1 sync worker.")
    print(f"Worker resident memory when idle (after a warm-up request): {idle / 1024:.1f} MB")
    print()
    print(
        f"{'format':<7}{'status':>7}{'first byte':>12}{'first row':>11}{'total':>9}"
        f"{'bytes':>13}{'rows':>9}{'peak RSS above idle':>21}"
    )
    for fmt, status, first_byte, first_row, total, size, data, peak in results:
        row = f"{first_row:.3f}s" if first_row is not None else "-"
        print(
            f"{fmt:<7}{status:>7}{first_byte:>11.3f}s{row:>11}{total:>8.2f}s{size:>13,}"
            f"{count_rows(fmt, data):>9,}{(peak - idle) / 1024:>18.1f} MB"
        )


def main():
    args = options()
    url = database_url(args.database)
    create_database(args.database)
    server = None
    try:
        setup_django(url)
        started = time.perf_counter()
        participants = fill(args.rows)
        print(f"(filled {args.database} in {time.perf_counter() - started:.0f} s)", file=sys.stderr)
        from django.db import connections

        connections.close_all()
        port = free_port()
        server = start_server(url, port)
        worker = worker_pid(server.pid)
        for fmt in FORMATS:  # warm up: import everything, open the database connection
            fetch_path(port, f"/participants/export.{fmt}?q=no-such-name")
        idle, results = measure(port, worker)
        report(args.rows, participants, idle, results)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if not args.keep:
            drop_database(args.database)


if __name__ == "__main__":
    main()
