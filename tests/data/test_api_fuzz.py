"""Schemathesis over the OpenAPI schema: every answer to any input, well formed or not, is one
the schema declares (status, content type, body, headers), and never a server error."""

import json
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from signatories import filters, names

# Fetching the schema needs no database: drf-spectacular builds it from the code.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: a request's end must not close the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def words(template):
    """A pattern for a message, each of its values (``%(value)s``, ``{name}``...) not empty."""
    parts = re.split(r"%\(\w+\)s|\{[^}]*\}", template)
    return re.compile(".+".join(map(re.escape, parts)), re.DOTALL)


# What no schema can say: which codes, slugs and names the record holds, and rules between
# parameters or against the calendar. A well-formed request may be refused for these, in these
# words (each naming a value, never an empty one), and for nothing else.
THE_RECORD_SAYS_NO = [
    words(filters.UNKNOWN_REGION),
    words(filters.UNKNOWN_DECLARATION),
    words(filters.UNKNOWN_FORUM),
    words(names.UNKNOWN_PARTICIPANT),
    words(names.UNKNOWN_DID_YOU_MEAN),
    words(names.AMBIGUOUS),
    words(filters.DATES_REVERSED),
    words(filters.FROM_AFTER_TO),
    words(filters.AFTER_TODAY),
]


def refused_only_for_what_the_record_knows(ctx, response, case):
    """A well-formed request refused (400) was refused for a value the record lacks or a rule
    between parameters, in so many words: the only refusals schemathesis.toml lets
    ``positive_data_acceptance`` pass."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if response.status_code != 400:
        return None
    said = [message for messages in json.loads(response.content).values() for message in messages]
    unexplained = [m for m in said if not any(p.fullmatch(m) for p in THE_RECORD_SAYS_NO)]
    if unexplained:
        raise AssertionError(f"A well-formed request was refused: {unexplained}")
    return None


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_is_the_one_the_schema_declares(case):
    case.call_and_validate(additional_checks=[refused_only_for_what_the_record_knows])
