"""HTTP caching of the public site: ETags, Last-Modified, 304s and a page cache.

Everything public is a function of the request (address, Accept), the code, the day (pages
show the record "as of today") and the data. The data's part is ``DataVersion``: one row that
every save or delete in the ``declaration`` and ``signatories`` apps renews in the same
transaction (signals connected in ``apps.py``), so every worker process sees a change at once
and no rolled-back change counts. Code that writes rows without signals (``bulk_create``,
``QuerySet.update``) calls ``mark_data_changed()``.

A representation's ETag is a hash of all of that, so a repeat request answers 304 before any
page is built, and the page cache (``CACHES["default"]``: local memory, or Redis with
``REDIS_URL``) stores the response under that hash: a change makes a new key, never a stale hit.
Only anonymous requests are served from it (see ``PageCacheMiddleware.applies``); the admin,
staff with a session and responses that set cookies or vary on them are never cached.
"""

import datetime
import hashlib
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_etags, parse_http_date_safe

logger = logging.getLogger(__name__)

TRACKED_APPS = ("declaration", "signatories")
NEVER_CACHED = ("private", "no-store", "no-cache")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def mark_data_changed():
    """Record that the public data changed: every cached page and ETag before it is stale.

    Runs in the caller's transaction, so a rolled-back change leaves the version alone.
    """
    from .models import DataVersion

    fields = {"token": uuid.uuid4().hex, "changed_at": timezone.now()}
    if not DataVersion.objects.filter(pk=1).update(**fields):
        DataVersion.objects.update_or_create(pk=1, defaults=fields)


def data_version():
    """``(token, changed_at)`` of the last change, in one round trip to the database.

    On the driver's own cursor: Django's would first ping a reused connection (the health
    check), doubling the cost of a cached page. A connection that turns out to be dead is
    closed here, and the view opens a new one.
    """
    from .models import DataVersion

    sql = f"SELECT token, changed_at FROM {DataVersion._meta.db_table} WHERE id = 1"
    if connection.connection is None:
        connection.ensure_connection()
    try:
        cursor = connection.connection.cursor()
        try:
            cursor.execute(sql)
            row = cursor.fetchone()
        finally:
            cursor.close()
    except connection.Database.Error:
        if not connection.in_atomic_block:
            connection.close()
        raise
    # That proved the connection alive: Django's health check (CONN_HEALTH_CHECKS) would only
    # repeat it, with a "SELECT 1" round trip before the view's first query.
    connection.health_check_done = True
    if connection.queries_logged:  # so query counts (tests, DEBUG) include it
        connection.queries_log.append({"sql": sql, "time": "0.000"})
    if row is None:
        return "", EPOCH
    token, changed_at = row
    if isinstance(changed_at, str):  # SQLite returns text from a raw cursor
        changed_at = datetime.datetime.fromisoformat(changed_at)
    if timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, datetime.UTC)
    return token, changed_at


def _changed(sender, **kwargs):
    mark_data_changed()


def _m2m_changed(sender, action, **kwargs):
    if sender._meta.app_label in TRACKED_APPS and action.startswith("post_"):
        mark_data_changed()


def connect_signals(app_configs):
    """Renew the data version on every save and delete of the tracked apps' models."""
    from .models import DataVersion

    for app_config in app_configs:
        for model in app_config.get_models():
            if model is DataVersion:
                continue
            uid = f"data-version-{model._meta.label_lower}"
            post_save.connect(_changed, sender=model, weak=False, dispatch_uid=uid + "-save")
            post_delete.connect(_changed, sender=model, weak=False, dispatch_uid=uid + "-delete")
    m2m_changed.connect(_m2m_changed, weak=False, dispatch_uid="data-version-m2m")


def code_version(root=None):
    """A hash of the code, templates and static files: a deploy changes every ETag."""
    root = Path(root or settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder in ("config", "declaration", "signatories", "templates", "static"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class PageCacheMiddleware:
    """ETag, Last-Modified and 304s for public GET and HEAD; cached GET responses.

    Sits just inside SecurityMiddleware and WhiteNoise, so a hit skips sessions, CSRF and the
    view, and the stored response already carries the CSP and framing headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.code = code_version()
        self.cookies = {settings.CSRF_COOKIE_NAME}
        self.excluded = self.code_only = None

    def applies(self, request):
        """Anonymous reads of the public site: no session or other cookie, not the admin."""
        if request.method not in ("GET", "HEAD"):
            return False
        if any(name not in self.cookies for name in request.COOKIES):
            return False  # a session (staff), messages or anything else we did not set
        if self.excluded is None:
            self.excluded = (
                reverse("admin:index"),
                reverse("healthz"),
                *getattr(settings, "PAGE_CACHE_SKIP_PATHS", ()),  # bench/settings.py
            )
            # The API's schema and its documentation page come from the code alone.
            self.code_only = {reverse("data:schema"), reverse("data:docs")}
        return not request.path.startswith(self.excluded)

    def __call__(self, request):
        if not self.applies(request):
            return self.get_response(request)
        try:
            code_only = request.path in self.code_only
            token, changed_at = ("", EPOCH) if code_only else data_version()
            url = request.build_absolute_uri()
        except (DatabaseError, connection.Database.Error, DisallowedHost):
            return self.get_response(request)  # the view reports it as it would without us
        today = timezone.localdate()
        # Pages show the record as of today, so a new day is a change too.
        midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
        last_modified = max(changed_at, midnight).replace(microsecond=0)
        accept = request.headers.get("Accept", "")
        tag = hashlib.sha256(
            "\n".join([self.code, token, today.isoformat(), url, accept]).encode()
        ).hexdigest()[:32]
        etag = f'W/"{tag}"'
        if not_modified(request, etag, last_modified):
            response = HttpResponseNotModified()
            stamp(response, etag, last_modified)
            return response
        key, seconds = f"page:{tag}", settings.PAGE_CACHE_SECONDS
        if request.method == "GET" and seconds:
            cached = self._get(key)
            if cached is not None:
                content, headers = cached
                response = HttpResponse(content)
                for name, value in headers:
                    response.headers[name] = value
                return response
        response = self.get_response(request)
        if not cacheable(response):
            return response
        stamp(response, etag, last_modified)
        if (
            request.method == "GET"
            and seconds
            and not response.streaming
            and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
        ):
            self._set(key, (response.content, list(response.items())), seconds)
        return response

    def _get(self, key):
        try:
            return caches[settings.PAGE_CACHE_ALIAS].get(key)
        except Exception:  # a cache that is down costs speed, never an answer
            logger.warning("Page cache unavailable", exc_info=True)
            return None

    def _set(self, key, value, seconds):
        try:
            caches[settings.PAGE_CACHE_ALIAS].set(key, value, seconds)
        except Exception:
            logger.warning("Page cache unavailable", exc_info=True)


def not_modified(request, etag, last_modified):
    """Whether the client's copy is current (RFC 9110: If-None-Match wins over the date)."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        ours = etag.removeprefix("W/")
        return any(tag.removeprefix("W/") == ours for tag in parse_etags(if_none_match))
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(last_modified.timestamp()) <= since


def cacheable(response):
    """A 200 that is the same for every anonymous visitor."""
    if response.status_code != 200 or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in NEVER_CACHED):
        return False
    return "cookie" not in response.get("Vary", "").lower()


def stamp(response, etag, last_modified):
    """Validators and "store, but ask before reusing" on a public response."""
    response.headers.setdefault("ETag", etag)
    response.headers.setdefault("Last-Modified", http_date(last_modified.timestamp()))
    patch_cache_control(response, no_cache=True)
