"""Run the reference deployment of deploy/ on this machine, break it under load, and print
what each fault cost (`make cluster-check`; not run in CI, loopback only).

The arrangement, as README "Deploying" describes it: nginx (Debian's, with
deploy/nginx/declaration.conf, changed only on its lines marked "local:") on a free local port,
balancing two app instances, each started with `make serve`; the local PostgreSQL (a scratch
database, declaration_cluster, migrated and seeded, dropped at the end); and a Redis server of
the check's own on a free port (started and stopped here) as the shared page cache.

Under wrk load it then:

1. stops one instance (SIGKILL, as a crash): nginx moves its traffic to the other; the
   requests that fail are at most those in flight (wrk's connections);
2. pauses Redis for 10 s (SIGSTOP): pages keep coming, p99 under 250 ms, straight from an
   instance and through nginx, and each worker logs the outage once;
3. restarts PostgreSQL: the site answers within 2 s of the database being back, and every write
   the admin confirmed is in the database (none it did not);
4. edits a record through one instance's admin: the other instance shows it at once (the page
   cache's keys carry the data's version), nginx within its stated freshness
   (EDGE_CACHE_SECONDS: Cache-Control s-maxage).

Prints each figure with its target, and exits 1 if one is missed.

    .venv/bin/python bench/cluster_check.py [--force]
    .venv/bin/python bench/cluster_check.py --config-only DIR   # write the nginx files, exit

The PostgreSQL restart cuts every client of the cluster, so the check first waits (up to a
minute) for other databases' clients to go idle; --force restarts anyway.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from db_restart import (
    Log,
    admin_session,
    free_port,
    post,
    psql,
    restart_cluster,
    wait_for_quiet_cluster,
    writer,
)

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "declaration.conf"
LUA = Path(__file__).with_name("cluster_check.lua")
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DB = "declaration_cluster"
EDGE_SECONDS = 30  # the settings' default, which the check runs with
PAGES = "/ /participants/ /participants/?region=150 /participants/norway/ /regions/ /forums/"
SESSION = "sessionid=cluster-check"  # reaches an instance through nginx, past both caches
TIMEOUT = 5.0
RESULTS = []  # (what, figure, target, met)


def report(what, figure, target, met):
    RESULTS.append((what, figure, target, met))
    print(f"  [{'met' if met else 'NOT MET'}] {what}: {figure} (target: {target})", flush=True)


# The nginx files ------------------------------------------------------------------------------


def local_site(text, *, listen, instances, cache, static):
    """deploy/nginx/declaration.conf with its "local:" lines pointed at this machine."""

    def one(pattern, replacement, what):
        nonlocal text
        text, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
        if count != 1:
            sys.exit(f"{SITE.relative_to(ROOT)}: cannot find the {what} line marked 'local:'")

    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+ .*$", text, flags=re.MULTILINE)
    if len(servers) < 2:
        sys.exit(f"{SITE.relative_to(ROOT)}: the upstream should list two instances or more")
    options = re.search(r"server 127\.0\.0\.1:\d+ ([^;]*);", servers[0]).group(1)
    upstream = "\n".join(f"    server 127.0.0.1:{port} {options};" for port in instances)
    text = text.replace(servers[0] + "\n", "").replace("\n".join(servers[1:]), upstream)
    one(r"^\s*listen 80;.*$", f"    listen 127.0.0.1:{listen};", "listen")
    one(r"^\s*server_name .*# local: server_name$", "    server_name 127.0.0.1 localhost;", "name")
    one(r"/var/cache/nginx/declaration(?= )", str(cache), "cache")
    one(r"/srv/declaration/staticfiles/", f"{static}/", "static")
    return text


def write_config(folder, *, listen, instances, static):
    """nginx.conf (what Debian's /etc/nginx/nginx.conf gives the site) and the local site."""
    folder = Path(folder)
    for name in ("cache", "temp", "logs"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    site = local_site(
        SITE.read_text(), listen=listen, instances=instances, cache=folder / "cache", static=static
    )
    (folder / "declaration.conf").write_text(site)
    temp = folder / "temp"
    (folder / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"""worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {folder}/logs/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/declaration.conf;
}}
"""
    )
    return folder / "nginx.conf"


# Processes and requests -----------------------------------------------------------------------


def fetch(port, path, headers=None):
    """(status, headers, body) or (None, {}, b"") when the connection fails."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    except OSError:
        return None, {}, b""
    finally:
        connection.close()


def wait_until(predicate, seconds, step=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


class Instance:
    """One `make serve`, in a process group of its own so that it can be killed whole."""

    def __init__(self, port, env, logs):
        self.port, self.env, self.log = port, env, logs / f"instance-{port}.log"
        self.process = None

    def start(self):
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                ["make", "--no-print-directory", "serve"],
                cwd=ROOT,
                env={**self.env, "PORT": str(self.port)},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if not wait_until(lambda: fetch(self.port, "/healthz")[0] == 200, 600, 0.2):
            sys.exit(f"make serve on port {self.port} did not start: see {self.log}")

    def kill(self, sig=signal.SIGKILL):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log_lines(self, text):
        return sum(text in line for line in self.log.read_text().splitlines())


def wrk(port, seconds, connections, paths=PAGES, cookie="", results=None):
    """wrk's figures for `seconds` of load (in a thread when given a list to put them in)."""

    def run():
        output = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "2s",
             "-s", str(LUA), f"http://127.0.0.1:{port}/"],
            capture_output=True, text=True, env={**os.environ, "CHECK_PATHS": paths,
                                                 "CHECK_COOKIE": cookie},
        ).stdout  # fmt: skip
        figures = json.loads(output.split("RESULT ", 1)[1])
        figures["failed"] = sum(figures[k] for k in ("status", "connect", "read", "write"))
        figures["failed"] += figures["timeout"]
        return figures

    if results is None:
        return run()
    thread = threading.Thread(target=lambda: results.append(run()))
    thread.start()
    return thread


def describe(figures):
    return (
        f"{figures['requests']} requests in {figures['seconds']:.1f} s, "
        f"p50 {figures['p50']:.0f} ms, p99 {figures['p99']:.0f} ms, failed {figures['failed']}"
    )


def reader(port, log, stop, path):
    """Reads past both caches (a session cookie), so each one reaches an instance."""
    while not stop.is_set():
        start = time.monotonic()
        status = fetch(port, path, {"Cookie": SESSION})[0]
        log.add(start, time.monotonic(), status == 200, "read")
        time.sleep(0.02)


# The faults -----------------------------------------------------------------------------------


def stop_an_instance(nginx_port, instances):
    print("\n1. One app instance stops (SIGKILL) under load through nginx", flush=True)
    results, connections = [], 4
    thread = wrk(nginx_port, 12, connections, cookie=SESSION, results=results)
    time.sleep(4)
    instances[1].kill()
    thread.join()
    figures = results[0]
    print(f"  through nginx, past its cache: {describe(figures)}")
    report(
        "failed requests when an instance stopped",
        figures["failed"],
        f"at most the {connections} that can be in flight",
        figures["failed"] <= connections,
    )
    started = time.monotonic()
    instances[1].start()
    print(f"  the instance is back after `make serve` again: {time.monotonic() - started:.1f} s")


def pause_redis(nginx_port, instances, redis):
    print("\n2. Redis paused (SIGSTOP) for 10 s under load", flush=True)
    for port in (nginx_port, instances[0].port):
        for path in PAGES.split():
            fetch(port, path)  # warm both caches
    before = sum(i.log_lines("Page cache unavailable") for i in instances)
    direct, edge = [], []
    redis.send_signal(signal.SIGSTOP)
    try:
        threads = [
            wrk(instances[0].port, 10, 2, results=direct),
            wrk(nginx_port, 10, 4, results=edge),
        ]
        for thread in threads:
            thread.join()
    finally:
        redis.send_signal(signal.SIGCONT)
    lines = sum(i.log_lines("Page cache unavailable") for i in instances) - before
    print(f"  straight from one instance: {describe(direct[0])}")
    print(f"  through nginx:              {describe(edge[0])}")
    for name, figures in (("one instance", direct[0]), ("nginx", edge[0])):
        report(
            f"p99 while Redis is paused, {name}",
            f"{figures['p99']:.0f} ms, {figures['failed']} failed",
            "under 250 ms, none failed",
            figures["p99"] < 250 and figures["failed"] == 0,
        )
    workers = 2 * len(instances)
    report(
        "log lines about the outage",
        lines,
        f"at most one a worker process ({workers})",
        lines <= workers,
    )


def restart_postgresql(nginx_port, password, declaration, force):
    print("\n3. PostgreSQL restarts under reads and admin writes through nginx", flush=True)
    log, stop = Log(), threading.Event()
    base = f"http://127.0.0.1:{nginx_port}"
    opener, jar = admin_session(base, "check", password)
    threads = [
        threading.Thread(target=reader, args=(nginx_port, log, stop, path))
        for path in ("/", "/participants/", "/participants/norway/")
    ]
    arguments = (base, log, stop, opener, jar, declaration)
    threads.append(threading.Thread(target=writer, args=arguments))
    wait_for_quiet_cluster(force, DB)
    for thread in threads:
        thread.start()
    visitors = []
    time.sleep(3)
    visitors_thread = wrk(nginx_port, 12, 4, results=visitors)
    time.sleep(2)
    down, back = restart_cluster()
    time.sleep(8)
    stop.set()
    for thread in threads:
        thread.join()
    visitors_thread.join()

    rows = sorted(log.rows)
    after = [row for row in rows if row[0] >= back]
    recovered = {
        kind: next((row[1] for row in after if row[2] and row[3] == kind), None)
        for kind in ("read", "write")
    }
    last = max((t for t in recovered.values() if t is not None), default=None)
    failed_later = [row for row in after if last is not None and row[0] >= last and not row[2]]
    stored = set(psql("select name from signatories_event where name like 'bench-%'", DB).split())
    confirmed = set(log.confirmed)
    print(f"  database down for {back - down:.2f} s (pg_ctlcluster restart until pg_isready)")
    print(f"  visitors through nginx meanwhile (its cache): {describe(visitors[0])}")
    seconds = None if last is None else last - back
    report(
        "seconds from the database being back to a read and a write succeeding",
        "never" if seconds is None else f"{seconds:.2f}",
        "within 2 s",
        seconds is not None and seconds <= 2,
    )
    report("failed requests after that", len(failed_later), "0", not failed_later)
    missing, extra = confirmed - stored, stored - confirmed
    report(
        "confirmed admin writes lost",
        f"{len(missing)} of {len(confirmed)} (and {len(extra)} stored but not confirmed)",
        "0 lost",
        not missing,
    )


def edit_through_one_instance(nginx_port, instances, password):
    print("\n4. An edit through one instance's admin, seen by the other and by nginx", flush=True)
    event, declaration, held_on, place, url, slug = psql(
        "select e.id, e.declaration_id, e.held_on, e.place, e.url, p.slug "
        "from signatories_event e join signatories_endorsement n on n.event_id = e.id "
        "join signatories_participant p on p.id = n.participant_id order by p.slug limit 1",
        DB,
    ).split("|")
    name = psql(f"select name from signatories_event where id = {event}", DB)
    page = f"/participants/{slug}/"
    wait_until(lambda: fetch(nginx_port, page)[1].get("X-Cache-Status") == "HIT", 10)
    print(f"  {page} through nginx before the edit: {fetch(nginx_port, page)[1]['X-Cache-Status']}")
    first, other = instances
    base = f"http://127.0.0.1:{first.port}"
    opener, jar = admin_session(base, "check", password)
    new = f"{name} (edited {time.strftime('%H%M%S')})"

    def rename(to):
        token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        data = {"declaration": declaration, "name": to, "held_on": held_on, "place": place,
                "url": url, "csrfmiddlewaretoken": token}  # fmt: skip
        return post(opener, base, f"/admin/signatories/event/{event}/change/", data)

    if rename(new) != 302:
        sys.exit("the admin did not confirm the edit")
    saved = time.monotonic()

    def shows(port):
        return new.encode() in fetch(port, page)[2]

    seen = {}
    for label, port, limit in (("other", other.port, 5), ("nginx", nginx_port, EDGE_SECONDS + 10)):
        if wait_until(lambda port=port: shows(port), limit, 0.05):
            seen[label] = time.monotonic() - saved
    rename(name)
    other_seconds, nginx_seconds = seen.get("other"), seen.get("nginx")
    report(
        "the other instance shows the edit after",
        "never" if other_seconds is None else f"{other_seconds:.2f} s",
        "at once (under 1 s)",
        other_seconds is not None and other_seconds < 1,
    )
    report(
        "nginx's cache shows the edit after",
        "never" if nginx_seconds is None else f"{nginx_seconds:.1f} s",
        f"within its stated freshness, s-maxage={EDGE_SECONDS} s",
        nginx_seconds is not None and nginx_seconds <= EDGE_SECONDS + 1,
    )


# The run --------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="restart PostgreSQL even if busy")
    parser.add_argument("--config-only", metavar="DIR", help="write the nginx files and exit")
    args = parser.parse_args()
    if args.config_only:
        ports = dict(listen=8080, instances=[8001, 8002], static=ROOT / "staticfiles")
        print(write_config(args.config_only, **ports))
        return 0
    for tool in ("nginx", "wrk", "redis-server", "psql", "pg_ctlcluster", "pg_isready"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (make cluster-check installs nginx and wrk)")

    folder = Path(tempfile.mkdtemp(prefix="cluster-check-"))
    logs = folder / "logs"
    nginx_port, redis_port = free_port(), free_port()
    app_ports = [free_port(), free_port()]
    password = secrets.token_urlsafe(16)
    origins = [f"http://127.0.0.1:{port}" for port in [nginx_port, *app_ports]]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": ",".join(origins),
        "SECURE_SSL_REDIRECT": "0",
        "BEHIND_PROXY": "1",
        "EDGE_CACHE_SECONDS": str(EDGE_SECONDS),
        "DJANGO_SUPERUSER_PASSWORD": password,
    }
    env.pop("PAGE_CACHE_SECONDS", None)
    static = ROOT / "staticfiles"
    config = write_config(folder, listen=nginx_port, instances=app_ports, static=static)
    print(f"nginx :{nginx_port} -> make serve :{app_ports[0]} and :{app_ports[1]}; Redis "
          f":{redis_port}; PostgreSQL 127.0.0.1:5432/{DB}; files and logs in {folder}")  # fmt: skip

    def manage(*argv):
        subprocess.run([PYTHON, "manage.py", *argv], cwd=ROOT, env=env, check=True)

    redis = nginx = None
    instances = [Instance(port, env, logs) for port in app_ports]
    psql(f"drop database if exists {DB} with (force)")
    psql(f"create database {DB}")
    try:
        manage("migrate", "--noinput", "-v0")
        manage("seed", "-v0")
        manage("createsuperuser", "--noinput", "--username", "check", "--email", "c@example.org")
        declaration = psql("select id from declaration_declaration where slug = 'dfi'", DB)
        redis = subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for instance in instances:  # one after the other: each runs migrate and collectstatic
            instance.start()
        nginx = subprocess.Popen(
            ["nginx", "-p", str(folder), "-c", str(config), "-g", "daemon off;"],
            stderr=(logs / "nginx-start.log").open("w"),
        )
        if not wait_until(lambda: fetch(nginx_port, "/healthz")[0] == 200, 10):
            sys.exit(f"nginx did not start: see {logs}")
        sheet = re.search(rb'href="(/static/[^"]+\.css)"', fetch(nginx_port, "/")[2]).group(1)
        _, headers, _ = fetch(nginx_port, sheet.decode())
        print(f"  static files from nginx's disk: {sheet.decode()}, {headers.get('Cache-Control')}")

        print("\n0. Warm-up: the public pages through nginx, anonymous", flush=True)
        print(f"  {describe(wrk(nginx_port, 5, 8))}")

        stop_an_instance(nginx_port, instances)
        pause_redis(nginx_port, instances, redis)
        restart_postgresql(nginx_port, password, declaration, args.force)
        edit_through_one_instance(nginx_port, instances, password)
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=10)
        for instance in instances:
            instance.kill(signal.SIGTERM)
        if redis is not None:
            redis.send_signal(signal.SIGCONT)
            redis.terminate()
            redis.wait(timeout=10)
        if not wait_until(lambda: _dropped(), 10, 0.5):
            print(f"could not drop the database {DB}", file=sys.stderr)
    missed = [what for what, _, _, met in RESULTS if not met]
    print(f"\n{len(RESULTS) - len(missed)} of {len(RESULTS)} targets met; logs in {logs}")
    if not missed:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if missed else 0


def _dropped():
    try:
        psql(f"drop database if exists {DB} with (force)")
        return True
    except subprocess.CalledProcessError:
        return False


if __name__ == "__main__":
    sys.exit(main())
