"""deploy/nginx/declaration.conf, run by Debian's nginx in front of the app: what a visitor, an
editor and the app itself see through it. (bench/cluster_check.py runs it with two real
instances and breaks them; this checks the configuration on every run of the suite.)"""

import http.client
import importlib.util
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signals import request_started

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = pytest.mark.skipif(
    NGINX is None, reason="Debian's nginx is not installed (apt-get install nginx)"
)


@pytest.fixture
def cluster_check(monkeypatch):
    """bench/cluster_check.py, which writes the local copy of the site's configuration."""
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("cluster_check", ROOT / "bench/cluster_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_the_configuration_is_valid_for_nginx(cluster_check, tmp_path):
    config = cluster_check.write_config(
        tmp_path, listen=free_port(), instances=[8001, 8002], static=tmp_path
    )
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(config)], text=True,
                            capture_output=True)  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_check_finds_every_line_it_changes(cluster_check, tmp_path, monkeypatch):
    site = (ROOT / "deploy/nginx/declaration.conf").read_text()
    local = cluster_check.local_site(
        site, listen=9999, instances=[7001, 7002, 7003], cache=tmp_path, static=tmp_path
    )
    assert "listen 127.0.0.1:9999;" in local
    assert re.findall(r"server 127\.0\.0\.1:(\d+) max_fails", local) == ["7001", "7002", "7003"]
    assert "/var/cache/nginx" not in local and "/srv/declaration" not in local
    monkeypatch.setattr(cluster_check, "SITE", ROOT / "deploy/nginx/declaration.conf")
    with pytest.raises(SystemExit, match="listen"):
        cluster_check.local_site(
            site.replace("listen 80;", "listen 81;"),
            listen=1,
            instances=[1, 2],
            cache=tmp_path,
            static=tmp_path,
        )


@pytest.fixture
def nginx(cluster_check, live_server, transactional_db, tmp_path):
    """nginx on a free port before the live server and an instance that is down."""
    call_command("seed", verbosity=0)
    app = int(live_server.url.rsplit(":", 1)[1])
    port = free_port()
    config = cluster_check.write_config(
        tmp_path, listen=port, instances=[free_port(), app], static=settings.STATIC_ROOT
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(config), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    for _ in range(100):
        try:
            get(port, "/healthz")
            break
        except OSError:
            time.sleep(0.05)
    yield port
    process.terminate()
    process.wait(timeout=10)


def test_a_visitor_is_served_by_the_instance_that_is_up_then_from_nginx_cache(nginx):
    statuses = [get(nginx, "/participants/norway/") for _ in range(4)]
    assert [status for status, _, _ in statuses] == [200] * 4  # the dead instance costs nothing
    first, *later = (headers["x-cache-status"] for _, headers, _ in statuses)
    assert first == "MISS" and set(later) == {"HIT"}
    assert b"Norway" in statuses[-1][2]
    assert "s-maxage=30" in statuses[-1][1]["cache-control"]


def test_an_editor_with_a_session_always_reaches_the_app(nginx):
    get(nginx, "/participants/")
    status, headers, _ = get(nginx, "/participants/", {"Cookie": "sessionid=anything"})
    assert status == 200 and headers["x-cache-status"] == "BYPASS"
    assert "private" in headers["cache-control"]


def test_the_admin_and_errors_are_never_stored(nginx):
    for _ in range(2):
        status, headers, _ = get(nginx, "/admin/login/")
        assert status == 200 and "x-cache-status" not in headers
    for _ in range(2):
        status, headers, _ = get(nginx, "/participants/nowhere/")
        assert status == 404 and headers["x-cache-status"] == "MISS"


def test_static_files_come_from_disk_with_long_lived_headers(nginx):
    _, _, page = get(nginx, "/")
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', page).group(1).decode()
    status, headers, body = get(nginx, stylesheet)
    assert status == 200 and body
    assert "immutable" in headers["cache-control"] and "x-cache-status" not in headers


def test_the_app_receives_the_client_address_and_scheme(nginx):
    seen = []

    def record(sender, environ, **kwargs):
        seen.append((environ.get("HTTP_X_FORWARDED_FOR"), environ.get("HTTP_X_FORWARDED_PROTO")))

    request_started.connect(record)
    try:
        get(nginx, "/healthz", {"X-Forwarded-For": "203.0.113.9"})
    finally:
        request_started.disconnect(record)
    # What a client wrote comes first; the address nginx saw is appended: the app trusts only it.
    assert ("203.0.113.9, 127.0.0.1", "http") in seen
