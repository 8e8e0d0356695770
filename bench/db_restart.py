"""Restart PostgreSQL under load and count what it costs (not run in CI; loopback only).

Creates a scratch database (declaration_faults), migrates and seeds it, starts gunicorn on a free
local port against it, then drives reads (pages, /healthz) and writes (events added through the
admin, each recorded once the admin confirms it) from a few threads. In the middle it restarts
the PostgreSQL cluster, and at the end it prints:

- the requests that failed during the outage,
- the seconds from the database being back to the first successful request,
- the requests that failed after that (goal: 0),
- whether every confirmed write is in the database, and none that was not confirmed.

Usage: .venv/bin/python bench/db_restart.py [--force]. The restart cuts every client of the
cluster, so the script first waits (up to a minute) for other databases' clients to go idle;
--force restarts anyway.
"""

import argparse
import http.cookiejar
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DB = "declaration_faults"
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
PAGES = ["/", "/participants/", "/participants/brazil/", "/regions/", "/healthz"]
READERS = 4
WARM_UP, AFTER_BACK = 6.0, 15.0  # seconds of load before the restart and after it
TIMEOUT = 5.0


def psql(sql, db="postgres"):
    result = subprocess.run(
        ["psql", *PG, "-d", db, "-tAc", sql], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cluster():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return version, "main"


def wait_for_quiet_cluster(force, db=DB):
    """Wait for other databases' clients to finish: the restart would cut them off."""
    if force:
        return
    deadline = time.monotonic() + 60
    query = (
        "select count(*) from pg_stat_activity where backend_type = 'client backend' "
        f"and pid <> pg_backend_pid() and datname is distinct from '{db}'"
    )
    while int(psql(query)) > 0:
        if time.monotonic() > deadline:
            sys.exit("Other clients are using the cluster; rerun later or with --force.")
        time.sleep(1)


def restart_cluster():
    """Restart the PostgreSQL cluster; ``(down, back)``: when the restart began and when the
    server accepted connections again (time.monotonic)."""
    version, name = cluster()
    down = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"], check=True
    )
    while subprocess.run(["pg_isready", *PG[:4], "-q"]).returncode != 0:
        time.sleep(0.05)
    return down, time.monotonic()


class Log:
    """Every request: when it started and ended, and whether it succeeded."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []
        self.confirmed = []
        self.attempted = []

    def add(self, start, end, ok, kind):
        with self.lock:
            self.rows.append((start, end, ok, kind))


def reader(base, log, stop, number):
    opener = urllib.request.build_opener()
    i = number
    while not stop.is_set():
        url = base + PAGES[i % len(PAGES)]
        i += 1
        start = time.monotonic()
        try:
            with opener.open(url, timeout=TIMEOUT) as response:
                response.read()
                ok = response.status == 200
        except (urllib.error.URLError, OSError):
            ok = False
        log.add(start, time.monotonic(), ok, "read")
        time.sleep(0.02)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def admin_session(base, username, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    opener.open(base + "/admin/login/", timeout=TIMEOUT).read()
    insecure_cookies(jar)
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = {"username": username, "password": password, "csrfmiddlewaretoken": token}
    if post(opener, base, "/admin/login/", data) != 302:
        sys.exit("could not log in to the admin")
    insecure_cookies(jar)
    return opener, jar


def insecure_cookies(jar):
    """Send the Secure cookies over plain HTTP: here loopback stands in for the TLS proxy."""
    for cookie in jar:
        cookie.secure = False


def post(opener, base, path, data):
    request = urllib.request.Request(
        base + path,
        data=urllib.parse.urlencode(data).encode(),
        headers={"Referer": base + path},
    )
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def writer(base, log, stop, opener, jar, declaration):
    n = 0
    while not stop.is_set():
        n += 1
        name = f"bench-event-{n:05d}"
        token = next(c.value for c in jar if c.name == "csrftoken")
        data = {
            "declaration": declaration,
            "name": name,
            "held_on": "2024-01-01",
            "place": "",
            "url": "",
            "csrfmiddlewaretoken": token,
        }
        log.attempted.append(name)
        start = time.monotonic()
        try:
            status = post(opener, base, "/admin/signatories/event/add/", data)
        except (urllib.error.URLError, OSError):
            status = None
        ok = status == 302  # the admin redirects once the row is saved
        if ok:
            log.confirmed.append(name)
        log.add(start, time.monotonic(), ok, "write")
        time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="restart even if others are busy")
    args = parser.parse_args()
    for tool in ("psql", "pg_ctlcluster", "pg_isready"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    password = secrets.token_urlsafe(16)
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": base,
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SUPERUSER_PASSWORD": password,
    }

    def manage(*argv):
        subprocess.run([PYTHON, "manage.py", *argv], cwd=ROOT, env=env, check=True)

    psql(f"drop database if exists {DB}")
    psql(f"create database {DB}")
    server = None
    try:
        manage("migrate", "--noinput", "-v0")
        manage("seed", "-v0")
        manage("collectstatic", "--noinput", "-v0")
        manage("createsuperuser", "--noinput", "--username", "bench", "--email", "b@example.org")
        declaration = psql("select id from declaration_declaration where slug = 'dfi'", DB)

        server = subprocess.Popen(
            [GUNICORN, "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        else:
            sys.exit("gunicorn did not start")

        wait_for_quiet_cluster(args.force)
        log, stop = Log(), threading.Event()
        opener, jar = admin_session(base, "bench", password)
        threads = [
            threading.Thread(target=reader, args=(base, log, stop, i)) for i in range(READERS)
        ]
        threads.append(
            threading.Thread(target=writer, args=(base, log, stop, opener, jar, declaration))
        )
        for thread in threads:
            thread.start()

        time.sleep(WARM_UP)
        down, back = restart_cluster()
        time.sleep(AFTER_BACK)
        stop.set()
        for thread in threads:
            thread.join()

        rows = sorted(log.rows)
        during = [r for r in rows if r[1] >= down and r[0] < back]
        after = [r for r in rows if r[0] >= back]
        first_ok = next((r for r in after if r[2]), None)
        recovered = first_ok[1] if first_ok else None
        after_recovery = [r for r in after if recovered is not None and r[0] >= recovered]
        stored = set(
            psql("select name from signatories_event where name like 'bench-%'", DB).split()
        )
        confirmed = set(log.confirmed)

        print(f"requests: {len(rows)} ({sum(r[3] == 'write' for r in rows)} writes)")
        print(f"database down for {back - down:.2f} s (pg_ctlcluster restart until pg_isready)")
        print(
            f"requests failed during the outage: {sum(not r[2] for r in during)} of {len(during)}"
        )
        if recovered is None:
            print("seconds to recovery after the database is back: never")
        else:
            print(f"seconds to recovery after the database is back: {recovered - back:.2f}")
        failed_after = [r for r in after_recovery if not r[2]]
        print(
            f"failed requests after recovery: {len(failed_after)} of {len(after_recovery)} "
            f"({sum(r[3] == 'write' for r in failed_after)} writes)"
        )
        missing, extra = confirmed - stored, stored - confirmed
        print(
            f"confirmed writes: {len(confirmed)}, in the database: {len(stored)}, "
            f"missing: {len(missing)}, extra: {len(extra)}"
        )
        verdict = "yes" if not missing and not extra else "NO"
        print(f"every confirmed write still there, none extra: {verdict}")
        if extra:
            print("  extra (committed, but the client saw a failure): " + ", ".join(sorted(extra)))
        return 0 if verdict == "yes" and not any(not r[2] for r in after_recovery) else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        for _ in range(20):
            try:
                psql(f"drop database if exists {DB} with (force)")
                break
            except subprocess.CalledProcessError:
                time.sleep(0.5)


if __name__ == "__main__":
    sys.exit(main())
