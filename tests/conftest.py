from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings

from config.translations import compile_catalogues


def pytest_configure(config):
    """A bare `pytest` compiles the translation catalogues as `make test` does, before Django
    reads any: the .mo files are built, never committed."""
    compile_catalogues(Path(__file__).resolve().parent.parent / "locale")


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Tests make many users; a strong hash takes a third of a second each (Django's advice)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def static_files(tmp_path_factory):
    """The static files collected as in production (hashed names), into a folder of the run's
    own: a bare `pytest` needs no step first, and a missing static file fails the run."""
    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("staticfiles")):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the real seed data, loaded once per run."""
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Every test builds its pages afresh (tests/config/test_caching.py turns the page cache
    on), fragments too: a test's rolled-back data must not outlive it under the same version."""
    settings.PAGE_CACHE_SECONDS = 0
    caches["fragments"].clear()


@pytest.fixture
def dfi(db):
    from declaration.models import Declaration

    return Declaration.objects.get(slug="dfi")


@pytest.fixture
def participant(db):
    """A seeded participant that has not endorsed the DFI."""
    from signatories.models import Participant

    return Participant.objects.get(name="Brazil")
