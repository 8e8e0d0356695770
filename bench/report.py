"""Benchmark the PDF report and the figure images of a view.

Migrates and seeds a throwaway SQLite database (``--rows N`` adds N synthetic endorsers, to
see the report's table stop at its cap), then asks the app in this process (Django's test
client, through every middleware, the page cache off) for the PDF of every participant, of
Europe, and for the map and timeline as PNG. For each it prints the median time of a few
rounds and the CPU time it took (steadier on a busy machine), the size, the pages, and the
peak memory: the process's peak resident memory (Linux VmHWM, reset before each request) and
Python's own allocations (tracemalloc, in a round of its own since it slows everything).

    .venv/bin/python bench/report.py [--rows 0] [--rounds 3]
"""

import argparse
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVERYONE = "status=endorsed&status=disputed&status=withdrawn&status=none"
TARGET_SECONDS = 5.0
REQUESTS = [
    ("PDF, every participant, A4", f"/participants/export.pdf?{EVERYONE}"),
    ("PDF, every participant, Letter", f"/participants/export.pdf?{EVERYONE}&paper=letter"),
    ("PDF, Europe", "/participants/export.pdf?region=150"),
    ("map.png, 1200 px", "/map.png"),
    ("map.png, 3000 px", "/map.png?width=3000"),
    ("timeline.png, 1200 px", "/timeline.png"),
]


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=0, help="synthetic endorsers to add")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per request")
    return parser.parse_args()


def setup_django(database):
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)  # DEBUG off, as in production
    os.environ["PAGE_CACHE_SECONDS"] = "0"  # every request builds its answer
    os.environ["STATIC_MANIFEST"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def reset_peak():
    """Make the process's peak resident memory (VmHWM) its current one (Linux)."""
    with open("/proc/self/clear_refs", "w") as file:
        file.write("5")


def memory_kb(field):
    with open("/proc/self/status") as status:
        return int(re.search(rf"^{field}:\s+(\d+) kB", status.read(), re.M).group(1))


def pages(pdf):
    """The number of pages, from pdfinfo where it is installed."""
    try:
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return int(re.search(rb"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def measure(client, url, rounds):
    """(median seconds, median CPU seconds, response, peak RSS in MB, Python peak in MB)."""
    client.get(url)  # warm-up: imports, fonts, the geometry
    times, cpu, rss_peaks = [], [], []
    for _ in range(rounds):
        reset_peak()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        rss_peaks.append(memory_kb("VmHWM"))
        assert response.status_code == 200, (url, response.status_code)
    tracemalloc.start()
    client.get(url)
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (
        statistics.median(times),
        statistics.median(cpu),
        response,
        max(rss_peaks) / 1024,
        python_peak / 2**20,
    )


def main():
    args = options()
    # No collected static files here: the report reads its stylesheet from static/ itself.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        from django.core.management import call_command
        from django.test import Client

        from bench.exports import fill
        from data.report import MAX_ROWS
        from signatories.models import Participant

        started = time.perf_counter()
        if args.rows:
            fill(args.rows)
        else:
            call_command("migrate", verbosity=0)
            call_command("seed", verbosity=0)
        took = time.perf_counter() - started
        print(f"(database ready in {took:.0f} s)", file=sys.stderr)
        participants = Participant.objects.count()
        client = Client()
        print(
            f"The PDF report and the figure images: {participants:,} participants "
            f"({args.rows:,} synthetic + the seed), SQLite, in one process, page cache off;"
        )
        print(f"median of {args.rounds} rounds; the report's table stops at {MAX_ROWS:,} rows.")
        print(f"Resident memory before the first request: {memory_kb('VmRSS') / 1024:.0f} MB")
        print()
        print(
            f"{'request':<32}{'time':>8}{'CPU':>8}{'bytes':>11}{'pages':>7}"
            f"{'peak RSS':>12}{'Python peak':>13}"
        )
        results = {}
        for label, url in REQUESTS:
            seconds, cpu, response, rss, python = measure(client, url, args.rounds)
            results[label] = seconds, cpu
            count = pages(response.content) if "PDF" in label else None
            print(
                f"{label:<32}{seconds:>7.2f}s{cpu:>7.2f}s{len(response.content):>11,}"
                f"{count if count is not None else '-':>7}{rss:>9.0f} MB{python:>10.1f} MB"
            )
        print()
        slowest, cpu_of_slowest = results["PDF, every participant, A4"]
        met = "met" if slowest < TARGET_SECONDS else "NOT MET"
        print(
            f"Target  [{met}] the PDF of every participant in under {TARGET_SECONDS:.0f} s: "
            f"{slowest:.2f} s ({cpu_of_slowest:.2f} s of CPU)"
        )


if __name__ == "__main__":
    main()
