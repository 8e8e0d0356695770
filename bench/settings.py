"""The production settings plus one trivial view, for bench/pages.py only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The ceiling is a view without the database: the page cache's version query stays out of it.
PAGE_CACHE_SKIP_PATHS = ("/bench/",)
