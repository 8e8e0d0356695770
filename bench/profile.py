"""Where a page's time goes: pyinstrument over repeated requests, in this process.

    .venv/bin/python bench/profile.py /participants/ [--requests 50] [--cached]

Uses the database at DATABASE_URL (SQLite without it) with DEBUG off and the page cache off
(--cached: on); prints the time per request, the queries of one request and the profile.
"""

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="e.g. /participants/?region=150")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--cached", action="store_true", help="with the page cache on")
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["PAGE_CACHE_SECONDS"] = "600" if args.cached else "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    client = Client()
    for _ in range(3):  # warm up: imports, templates, the connection
        client.get(args.path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(args.path)
    print(f"{args.path}: {response.status_code}, {len(response.content):,} bytes")
    for query in queries.captured_queries:
        print(f"  {query['time']}s  {query['sql'][:110]}")
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for _ in range(args.requests):
            client.get(args.path)
    elapsed = (time.perf_counter() - started) / args.requests
    print(f"{elapsed * 1000:.1f} ms per request (profiled) over {args.requests} requests")
    print(profiler.output_text(unicode=True, color=sys.stdout.isatty()))


if __name__ == "__main__":
    main()
