"""Production configuration comes from the environment and passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "h7Vq2nY9-production-like-key-rT4mZ8xK1pW6sL3dF0gB5cJ2vN7qE",
    "ALLOWED_HOSTS": "declaration.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://declaration.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "BEHIND_PROXY": "1",
}


def run(code_or_args, **env):
    """Run Python in a fresh process with only the given environment (settings read it once)."""
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "DATABASE_URL"}}
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_issue_with_the_production_environment():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_flags_the_development_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr


SERVE = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def test_serving_with_debug_off_requires_a_secret_key():
    # A WSGI server imports the settings outside manage.py and pytest: like this process.
    result = run(SERVE, DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert run(["manage.py", "runserver", "--check"], DEBUG="0").returncode != 0
    assert run(SERVE, DEBUG="0", SECRET_KEY=PRODUCTION["SECRET_KEY"]).returncode == 0


def test_development_needs_no_environment():
    assert run(SERVE, DEBUG="1").stdout.strip() == "True"
    assert run(["manage.py", "check"]).returncode == 0  # make test's steps, with DEBUG off
    assert run(["manage.py", "check"], REQUIRE_SECRET_KEY="1").returncode != 0


def test_database_connections_persist_and_are_health_checked():
    database = settings.DATABASES["default"]
    assert database["CONN_MAX_AGE"] >= 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_cookies_and_headers_settings():
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SECURE_HSTS_SECONDS >= 365 * 24 * 3600
    assert settings.X_FRAME_OPTIONS == "DENY"


@pytest.mark.django_db  # closing the response closes obsolete connections
def test_hashed_static_files_are_served_compressed_with_far_future_cache(client):
    """WhiteNoise serves the files collected for the run (tests/conftest.py), hashed names."""
    url = staticfiles_storage.url("css/site.css")
    assert url != "/static/css/site.css"  # the name carries the content's hash
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    assert response["Content-Encoding"] in {"gzip", "br"}
    response.close()
