"""HTTP caching of the public site: ETags, Last-Modified, 304s and a page cache.

Everything public is a function of the request (address, Accept, and Accept-Language on the
bare home page), the code, the day (pages show the record "as of today") and the data. The
data's part is ``DataVersion``: one row that every change to the record renews in the same
transaction (signatories/signals.py), so every worker process sees a change at once and no
rolled-back change counts.

A representation's ETag is a hash of all of that, so a repeat request answers 304 before any
page is built, and the page cache (``CACHES["default"]``: local memory, or Redis with
``REDIS_URL``) stores the response under that hash: a change makes a new key, never a stale hit.
Only anonymous requests are served from it (see ``PageCacheMiddleware.applies``); the admin,
staff with a session and responses that set cookies or vary on them are never cached.
"""

import datetime
import functools
import hashlib
import logging
import time
import uuid
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.http import http_date, parse_etags, parse_http_date_safe, urlencode

from config.languages import ENGLISH_HOME_PARAMETER, home_language
from signatories.models import DataVersion

logger = logging.getLogger(__name__)

NEVER_CACHED = ("private", "no-store", "no-cache")


def project_folders():
    """config/, templates/, static/, locale/ (a new translation is a new page) and every app
    of ours (not those installed as packages)."""
    root = Path(settings.BASE_DIR)
    ours = [Path(app.path) for app in apps.get_app_configs() if Path(app.path).parent == root]
    return sorted({"config", "templates", "static", "locale", *(path.name for path in ours)})


def code_version(root=None, folders=None):
    """A hash of the code, templates and static files: a deploy changes every ETag."""
    root = Path(root or settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder in folders or project_folders():
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
        self.circuit = Circuit(settings.PAGE_CACHE_ALIAS)
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
            return never_shared(self.get_response(request))
        try:
            code_only = request.path in self.code_only
            token, changed_at = ("", DataVersion.EPOCH) if code_only else DataVersion.current()
            request.build_absolute_uri()  # a host we do not serve is the view's to refuse
        except (DatabaseError, DisallowedHost):
            return self.get_response(request)  # the view reports it as it would without us
        if not code_only:
            request.data_version = token  # for the templates' fragment cache (data_version())
        today = timezone.localdate()
        # Pages show the record as of today, so a new day is a change too.
        midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
        last_modified = max(changed_at, midnight).replace(microsecond=0)
        url, junk = canonical_url(request)
        accept = accepted(request)
        # A language's pages have their own addresses; "/" alone answers as the browser's
        # Accept-Language asks (a 302 to /fr/, or the English page), so its key says which.
        language = home_language(request)
        tag = hashlib.sha256(
            "\n".join([self.code, token, today.isoformat(), url, accept, language]).encode()
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
            return never_shared(response)
        stamp(response, etag, last_modified)
        if request.method != "GET" or not seconds or junk:
            return response  # a page made for junk parameters is served, never kept
        if response.streaming:  # an export: kept if it turns out small, once it is all sent
            chunks = response.streaming_content
            response.streaming_content = self._kept_if_small(chunks, response, key, seconds)
        elif len(response.content) <= settings.PAGE_CACHE_MAX_BYTES:
            self._set(key, (response.content, list(response.items())), seconds)
        return response

    def _kept_if_small(self, streamed, response, key, seconds):
        """The streamed chunks, passed on as they come; stored once all are sent, if small."""
        chunks, size = [], 0
        for chunk in streamed:
            if chunks is not None:
                size += len(chunk)
                if size <= settings.PAGE_CACHE_MAX_BYTES:
                    chunks.append(chunk)
                else:
                    chunks = None  # too big to keep: streamed each time
            yield chunk
        if chunks is not None:
            self._set(key, (b"".join(chunks), list(response.items())), seconds)

    def _get(self, key):
        return self.circuit.call(lambda cache: cache.get(key))

    def _set(self, key, value, seconds):
        self.circuit.call(lambda cache: cache.set(key, value, seconds))


#: Parameters read by no view's form but by the API and its pages.
OTHER_PARAMETERS = {
    "page",
    "page_size",
    "format",
    "before",
    "paper",
    "width",
    "caption",
    ENGLISH_HOME_PARAMETER,
}


@functools.cache
def known_parameters():
    """Every parameter some public view reads: the filters', the feed's and the API's."""
    from data.feeds import FeedForm
    from signatories.filters import ComparisonFilter, EndorsementFilter, ParticipantFilter

    filtersets = (ParticipantFilter, ComparisonFilter, EndorsementFilter)
    return frozenset(
        {name for filterset in filtersets for name in filterset.base_filters}
        | set(FeedForm.base_fields)
        | OTHER_PARAMETERS
    )


def canonical_url(request):
    """``(url, junk)``: the address with only the parameters a view knows, names in order
    (each name's values as given), and whether the request had others. Junk parameters then
    share the canonical page rather than each making a new key."""
    known = known_parameters()
    pairs, junk = [], False
    for name in sorted(request.GET):
        if name in known:
            pairs += [(name, value) for value in request.GET.getlist(name)]
        else:
            junk = True
    query = urlencode(pairs)
    return f"{request.scheme}://{request.get_host()}{request.path}" + (
        f"?{query}" if query else ""
    ), junk


def accepted(request):
    """What the Accept header can change (the API's HTML or JSON), not each browser's words."""
    accept = request.headers.get("Accept", "")
    if "text/html" in accept:
        return "html"
    return "json" if "json" in accept else "any"


class Circuit:
    """A cache that is down costs speed, never an answer, and is not asked again for a while.

    The first failure opens the circuit: pages render uncached for ``PAGE_CACHE_RETRY_SECONDS``
    without asking the cache (whose client timeouts, a fraction of a second, settings.py, bound
    what that first failure cost); then one request tries again. One log line when the cache
    goes, one when it is back: never one a request.
    """

    def __init__(self, alias, clock=time.monotonic):
        self.alias, self.clock = alias, clock
        self.open_until = None  # while set, the cache is not asked

    def call(self, operation):
        if self.open_until is not None and self.clock() < self.open_until:
            return None
        try:
            result = operation(caches[self.alias])
        except Exception as error:  # any client error: connection, timeout, protocol
            if self.open_until is None:
                logger.warning(
                    "Page cache unavailable (%s: %s); pages render uncached, retried every %s s",
                    type(error).__name__,
                    error,
                    settings.PAGE_CACHE_RETRY_SECONDS,
                )
            self.open_until = self.clock() + settings.PAGE_CACHE_RETRY_SECONDS
            return None
        if self.open_until is not None:
            logger.warning("Page cache available again")
            self.open_until = None
        return result


def data_version(request):
    """The context processor giving templates ``data_version``, the key of their cached
    fragments: read by the middleware for public pages, or here when a template asks."""

    def read():
        if getattr(request, "data_version", None):
            return request.data_version
        try:
            return DataVersion.current()[0] or uuid.uuid4().hex
        except DatabaseError:
            return uuid.uuid4().hex  # a key no other request has: nothing stale is reused

    return {"data_version": SimpleLazyObject(read)}


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
    """Validators, and what caches may do with a public response: a shared cache (a CDN,
    nginx's proxy_cache) keeps it ``EDGE_CACHE_SECONDS`` then revalidates it with the ETag; a
    browser revalidates every time, so a visitor sees a change at once (a 304 costs no query)."""
    response.headers.setdefault("ETag", etag)
    response.headers.setdefault("Last-Modified", http_date(last_modified.timestamp()))
    seconds = settings.EDGE_CACHE_SECONDS
    if seconds:
        patch_cache_control(
            response, public=True, max_age=0, must_revalidate=True, s_maxage=seconds
        )
    else:
        patch_cache_control(response, public=True, no_cache=True)


def never_shared(response):
    """The admin, anything for a visitor with a session, and every error: for this browser
    only (a 503 says ``no-store`` already), whatever a view said, never ``public``."""
    words = response.get("Cache-Control", "").lower()
    if "no-store" not in words:
        patch_cache_control(response, private=True, no_cache=True)
    return response
