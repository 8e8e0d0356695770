"""HTTP caching as a visitor, an editor and a second worker process see it."""

import datetime
import uuid

import pytest
from django.core.cache import caches
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date

from config.caching import PageCacheMiddleware, cacheable, code_version, project_folders
from declaration.models import Declaration, Forum
from signatories.models import DataVersion, Participant

pytestmark = pytest.mark.django_db

LIST = reverse("signatories:participant-list")
TAGGED = [
    reverse("signatories:home"),
    LIST,
    LIST + "?region=150&status=endorsed",
    reverse("signatories:participant-detail", args=["norway"]),
    reverse("signatories:forum-list"),
    reverse("signatories:forum-detail", args=["g7"]),
    reverse("signatories:region-list"),
    reverse("signatories:map"),
    reverse("signatories:timeline") + "?caption=1",
    reverse("data:map-png") + "?region=150&width=400",
    reverse("data:timeline-png"),
    reverse("data:export-pdf") + "?region=150",
    reverse("data:embed-map"),
    reverse("data:embed-figures") + "?region=150",
    reverse("declaration:detail", args=["dfi"]),
    reverse("data:export-csv"),
    reverse("data:export-xlsx") + "?region=150",
    reverse("data:export-json"),
    reverse("data:feed"),
    reverse("data:participant-list"),
    reverse("data:participant-detail", args=["norway"]),
    reverse("data:endorsement-list"),
    reverse("data:timeline-list"),
    reverse("data:schema"),
]


@pytest.fixture
def page_cache(settings):
    """The page cache on, as in production, and empty."""
    settings.PAGE_CACHE_SECONDS = 600
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


def directives(response):
    return {word.strip() for word in response.get("Cache-Control", "").split(",") if word.strip()}


def shared_briefly(response):
    """What a public answer says to a shared cache (a CDN, nginx): keep me for
    EDGE_CACHE_SECONDS, then ask again with my ETag; and to a browser: ask every time."""
    return {"public", "max-age=0", "must-revalidate", "s-maxage=30"} <= directives(response)


def never_shared(response):
    words = directives(response)
    return "public" not in words and ("private" in words or "no-store" in words)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def rename_norway(name):
    norway = Participant.objects.get(slug="norway")
    norway.name = name
    norway.save()


@pytest.mark.parametrize("url", TAGGED)
def test_a_repeat_request_is_answered_304(client, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"].startswith('W/"') and first["Last-Modified"]
    assert shared_briefly(first)
    body(first)
    repeat = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert repeat.status_code == 304
    assert repeat["ETag"] == first["ETag"]
    assert repeat.content == b""
    assert repeat["Cache-Control"] == first["Cache-Control"]


def test_a_304_builds_nothing(client, django_assert_num_queries):
    etag = client.get(LIST)["ETag"]
    with django_assert_num_queries(1):  # the data version
        assert client.get(LIST, headers={"If-None-Match": etag}).status_code == 304


def test_if_modified_since(client):
    last_modified = client.get(LIST)["Last-Modified"]
    assert client.get(LIST, headers={"If-Modified-Since": last_modified}).status_code == 304
    earlier = http_date(datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC).timestamp())
    assert client.get(LIST, headers={"If-Modified-Since": earlier}).status_code == 200


def test_a_head_request_gets_the_validators(client):
    response = client.head(LIST)
    assert response.status_code == 200 and response["ETag"]


def test_a_change_gives_a_new_etag_and_a_full_answer(client):
    etag = client.get(LIST)["ETag"]
    rename_norway("Kingdom of Norway")
    response = client.get(LIST, headers={"If-None-Match": etag})
    assert response.status_code == 200 and response["ETag"] != etag
    assert "Kingdom of Norway" in response.content.decode()


def test_each_address_and_host_has_its_own_etag(client):
    assert client.get(LIST)["ETag"] != client.get(LIST + "?region=150")["ETag"]
    assert client.get(LIST)["ETag"] != client.get(LIST, HTTP_HOST="localhost")["ETag"]


def test_a_new_day_gives_a_new_etag(client, monkeypatch):
    etag = client.get(LIST)["ETag"]
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr("config.caching.timezone.localdate", lambda: tomorrow)
    assert client.get(LIST)["ETag"] != etag


def test_cached_page_is_served_without_building_it(client, page_cache, django_assert_num_queries):
    first = client.get(LIST)
    with django_assert_num_queries(1):  # the data version
        again = client.get(LIST)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert again["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "url",
    [
        reverse("data:export-pdf") + "?region=150&paper=letter",
        reverse("data:map-png") + "?region=150&width=800",
        reverse("data:embed-map") + "?region=150",
    ],
)
def test_reports_images_and_embeds_are_cached_like_pages(client, page_cache, url):
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert len(queries) == 1  # the data version: nothing laid out or drawn again
    assert again.content == first.content
    for header in ("Content-Type", "ETag", "Content-Security-Policy", "Link"):
        assert again.get(header) == first.get(header)
    assert again.get("X-Frame-Options") == first.get("X-Frame-Options")


def test_cached_page_follows_every_change(client, page_cache):
    assert "Kingdom of Norway" not in client.get(LIST).content.decode()
    rename_norway("Kingdom of Norway")
    assert "Kingdom of Norway" in client.get(LIST).content.decode()


def test_another_process_sees_the_change(client, page_cache, settings):
    """Two gunicorn workers, each with its own memory cache: the version is in the database."""
    settings.CACHES = {
        **settings.CACHES,
        "other": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "b"},
    }
    settings.PAGE_CACHE_ALIAS = "other"
    other = Client()
    assert "Kingdom of Norway" not in other.get(LIST).content.decode()
    settings.PAGE_CACHE_ALIAS = "default"
    rename_norway("Kingdom of Norway")  # through this "process"
    settings.PAGE_CACHE_ALIAS = "other"
    assert "Kingdom of Norway" in Client().get(LIST).content.decode()
    caches["other"].clear()


@pytest.mark.parametrize(
    "change",
    [
        lambda: rename_norway("Norge"),
        lambda: Participant.objects.get(slug="norway").memberships.first().delete(),
        lambda: Declaration.objects.get(slug="dfi").forums.remove(Forum.objects.get(slug="g7")),
        lambda: (Forum.objects.filter(slug="g7").update(name="Group of 7"), DataVersion.renew()),
    ],
    ids=["save", "delete", "many-to-many", "queryset update, then DataVersion.renew"],
)
def test_every_kind_of_change_renews_the_version(change):
    before = DataVersion.current()
    change()
    after = DataVersion.current()
    assert after[0] != before[0] and after[1] >= before[1]


def test_a_rolled_back_change_keeps_the_version():
    before = DataVersion.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        rename_norway("Norge")
        raise RuntimeError
    assert DataVersion.current() == before


def test_the_version_row_is_created_when_missing():
    DataVersion.objects.all().delete()
    assert DataVersion.current() == ("", DataVersion.EPOCH)
    DataVersion.renew()
    token, changed_at = DataVersion.current()
    assert token and changed_at.tzinfo is not None


def test_editors_and_the_admin_are_never_cached(admin_client, page_cache):
    client = Client()
    client.get(LIST)  # an anonymous visitor fills the cache
    rename_norway("Kingdom of Norway")
    response = admin_client.get(LIST)
    assert "ETag" not in response and "Kingdom of Norway" in response.content.decode()
    admin = admin_client.get(reverse("admin:index"))
    assert "ETag" not in admin and "no-cache" in admin["Cache-Control"]
    assert never_shared(response) and never_shared(admin)
    login = client.get(reverse("admin:login"))
    assert "ETag" not in login and never_shared(login)


def test_a_visitor_with_only_the_csrf_cookie_is_served_from_the_cache(client, page_cache):
    client.cookies["csrftoken"] = "x" * 32
    assert client.get(LIST)["ETag"]
    client.cookies["sessionid"] = "anything"
    with_a_session = client.get(LIST)
    assert "ETag" not in with_a_session and never_shared(with_a_session)


def test_health_check_is_neither_tagged_nor_cached(client, page_cache):
    assert "ETag" not in client.get(reverse("healthz"))


def test_writes_are_still_refused(client):
    assert client.post(LIST).status_code == 405


def test_errors_are_not_tagged(client):
    assert "ETag" not in client.get(reverse("signatories:participant-detail", args=["nowhere"]))
    assert "ETag" not in client.get(reverse("data:export-csv") + "?as_of=nonsense")


@pytest.mark.parametrize(
    "url",
    [
        reverse("signatories:participant-detail", args=["nowhere"]),
        reverse("data:export-csv") + "?as_of=nonsense",
        reverse("signatories:compare") + "?from=nonsense",
        reverse("data:participant-list") + "?as_of=nonsense",
    ],
    ids=["404", "bad-export-parameter", "bad-comparison", "bad-api-parameter"],
)
def test_error_answers_are_never_shared(client, url):
    response = client.get(url)
    assert response.status_code in (400, 404)
    assert never_shared(response)


def test_the_edge_cache_time_is_a_setting(client, settings):
    settings.EDGE_CACHE_SECONDS = 5
    assert "s-maxage=5" in directives(client.get(LIST))
    settings.EDGE_CACHE_SECONDS = 0
    words = directives(client.get(LIST))
    assert "public" in words and "no-cache" in words and "s-maxage=0" not in words


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (HttpResponse("ok"), True),
        (HttpResponse("gone", status=404), False),
        (HttpResponse("ok", headers={"Cache-Control": "private"}), False),
        (HttpResponse("ok", headers={"Cache-Control": "no-store"}), False),
        (HttpResponse("ok", headers={"Vary": "Cookie"}), False),
    ],
    ids=["plain", "404", "private", "no-store", "vary-cookie"],
)
def test_what_may_be_stored(response, expected):
    assert cacheable(response) is expected


def test_a_response_that_sets_a_cookie_is_not_stored():
    response = HttpResponse("ok")
    response.set_cookie("csrftoken", "x")
    assert not cacheable(response)


def test_a_database_error_leaves_the_answer_to_the_view(client, monkeypatch):
    def broken():
        raise DatabaseError("down")

    monkeypatch.setattr(DataVersion, "current", broken)
    response = client.get(LIST)
    assert response.status_code == 200 and "ETag" not in response


def test_a_cache_that_is_down_costs_no_answer(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        },
    }
    response = client.get(LIST)
    assert response.status_code == 200 and response["ETag"]


def test_redis_page_cache(client, settings):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis server at 127.0.0.1:6379")
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        },
    }
    first = client.get(LIST)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(LIST)
    assert again.content == first.content and len(queries) == 1
    rename_norway("Kingdom of Norway")
    assert "Kingdom of Norway" in client.get(LIST).content.decode()
    caches["default"].clear()


def test_large_responses_are_not_stored(client, page_cache, settings):
    settings.PAGE_CACHE_MAX_BYTES = 100
    client.get(LIST)
    assert not page_cache._cache  # LocMemCache's own dict: nothing stored


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_a_small_export_is_kept_once_sent_and_then_served_without_a_query(
    client, page_cache, django_assert_num_queries, fmt
):
    url = reverse(f"data:export-{fmt}") + "?region=150"
    first = client.get(url)
    assert first.streaming  # the first answer is streamed while the rows are read
    content = body(first)
    with django_assert_num_queries(1):  # the data version, nothing else
        again = client.get(url)
    assert body(again) == content
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["Content-Type"] == first["Content-Type"]


def test_a_large_export_is_streamed_each_time_not_kept(client, page_cache, settings):
    settings.PAGE_CACHE_MAX_BYTES = 1000
    url = reverse("data:export-csv")
    assert len(body(client.get(url))) > 1000
    assert not page_cache._cache
    assert client.get(url).streaming


def test_an_export_left_half_read_is_not_kept(client, page_cache):
    response = client.get(reverse("data:export-json"))
    next(iter(response.streaming_content))
    response.close()
    assert not page_cache._cache


def test_the_code_version_follows_the_files(tmp_path):
    for folder in ("config", "signatories", "templates"):
        (tmp_path / folder).mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("one")
    folders = ["config", "signatories", "templates"]
    before = code_version(tmp_path, folders)
    assert code_version(tmp_path, folders) == before
    page.write_text("two")
    assert code_version(tmp_path, folders) != before


def test_the_code_version_covers_every_app_of_the_project():
    """A change in any app of ours is a new version of the site; installed packages are not."""
    assert project_folders() == [
        "config",
        "data",
        "declaration",
        "importing",
        "locale",
        "signatories",
        "static",
        "templates",
    ]


def test_middleware_needs_no_view_for_a_304(rf, monkeypatch):
    middleware = PageCacheMiddleware(lambda request: pytest.fail("the view ran"))
    monkeypatch.setattr(DataVersion, "current", lambda: ("v1", DataVersion.EPOCH))
    first = PageCacheMiddleware(lambda request: HttpResponse("ok"))(rf.get(LIST))
    repeat = middleware(rf.get(LIST, headers={"If-None-Match": first["ETag"]}))
    assert repeat.status_code == 304


@pytest.fixture
def frozen_redis():
    """A server that takes connections and never answers, as a Redis paused with SIGSTOP;
    yields its URL and the list of connections it took."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    taken = []

    def accept():
        while True:
            try:
                connection_, _ = server.accept()
            except OSError:
                return
            taken.append(connection_)

    threading.Thread(target=accept, daemon=True).start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0", taken
    server.close()
    for connection_ in taken:
        connection_.close()


def test_a_frozen_cache_is_asked_once_then_left_alone_and_logged_once(
    client, settings, frozen_redis, caplog
):
    import time

    url, taken = frozen_redis
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_RETRY_SECONDS = 30
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        },
    }
    started = time.monotonic()
    answers = [client.get(LIST) for _ in range(5)]
    elapsed = time.monotonic() - started
    assert all(response.status_code == 200 for response in answers)
    assert len(taken) == 1  # asked once; then the circuit leaves it alone
    assert elapsed < 0.25 * 2 + 5 * 2  # one timeout at most, not ten seconds a request
    unavailable = [r for r in caplog.records if "Page cache unavailable" in r.getMessage()]
    assert len(unavailable) == 1 and unavailable[0].exc_info is None  # one line, no traceback


def test_the_circuit_tries_again_after_a_while_and_says_when_the_cache_is_back(settings, caplog):
    from config.caching import Circuit

    now = [0.0]
    settings.PAGE_CACHE_RETRY_SECONDS = 30
    circuit = Circuit("default", clock=lambda: now[0])
    calls = []

    def failing(cache):
        calls.append("asked")
        raise ConnectionError("refused")

    assert circuit.call(failing) is None
    now[0] = 10
    assert circuit.call(failing) is None and calls == ["asked"]  # not asked while open
    now[0] = 31
    assert circuit.call(failing) is None and calls == ["asked", "asked"]  # tried again
    now[0] = 62
    assert circuit.call(lambda cache: "hit") == "hit"
    messages = [r.getMessage() for r in caplog.records]
    assert len([m for m in messages if "unavailable" in m]) == 1
    assert "Page cache available again" in messages


def test_junk_parameters_share_the_canonical_page_and_fill_no_key(client, page_cache):
    canonical = client.get(LIST, {"region": "150", "status": "endorsed"})
    keys = len(page_cache._cache)
    for n in range(20):
        junk = client.get(f"{LIST}?status=endorsed&region=150&utm_source=x{n}&_={n}")
        assert junk.status_code == 200
        assert junk["ETag"] == canonical["ETag"]
        assert junk.content == canonical.content  # the canonical page, from the cache
    assert len(page_cache._cache) == keys  # no key a request


def test_a_page_first_asked_with_junk_is_served_but_not_kept(client, page_cache):
    client.get(LIST, {"region": "150", "junk": "1"})
    assert not page_cache._cache
    client.get(LIST, {"region": "150"})
    assert len(page_cache._cache) == 1


def test_accept_headers_make_at_most_three_keys_an_address(client, page_cache):
    """Each browser's words (and anyone's) fall into html, json or anything else."""
    for n in range(12):
        accept = [f"text/html;q=0.{n}", f"application/json;v={n}", f"image/webp,*/*;x={n}"][n % 3]
        assert client.get(LIST, HTTP_ACCEPT=accept).status_code == 200
    assert len(page_cache._cache) == 3


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("data:participant-list", {"page_size": "5"}),
        ("data:endorsement-list", {"page_size": "5"}),
        ("data:endorsement-list", {"updated_after": "2100-01-01T00:00:00Z"}),
        ("data:endorsement-list", {"participant": "Norway"}),
    ],
)
def test_an_api_parameter_is_part_of_the_key_not_junk(client, page_cache, path, params):
    url = reverse(path)
    whole = client.get(url).json()
    assert len(whole["results"]) > 5
    chosen = client.get(url, params)
    assert chosen.status_code == 200
    assert len(chosen.json()["results"]) <= 5  # not the cached page without the parameter
    assert len(page_cache._cache) == 2  # and it is kept under its own key


def test_every_parameter_the_api_documents_is_known_to_the_page_cache(client):
    from config.caching import known_parameters

    schema = client.get(reverse("data:schema"), {"format": "json"}).json()
    documented = {
        parameter["name"]
        for item in schema["paths"].values()
        for parameter in item["get"].get("parameters", [])
        if parameter["in"] == "query"
    }
    assert documented - known_parameters() == set()
