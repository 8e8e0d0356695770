"""Editors type dates one way in the admin, YYYY-MM-DD, and read them one way: 2 November 2022."""

import datetime
import re

import pytest
from django.urls import reverse

from signatories.forms import BAD_DATE, DATE_HELP
from signatories.models import Endorsement, ForumMembership
from tests.importing.files import make_editor, snapshot
from tests.signatories.test_admin import ADD_URL, endorsement_form, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = make_editor(django_user_model)
    client.force_login(user)
    return user


def test_an_iso_date_is_recorded(client, editor, dfi, participant):
    response = client.post(ADD_URL, endorsement_form(participant, dfi, endorsed_on="2023-05-04"))
    assert response.status_code == 302
    endorsement = Endorsement.objects.get(participant=participant)
    assert endorsement.endorsed_on == datetime.date(2023, 5, 4)


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("04/05/2023", id="day-first"),  # the en-GB way, which Django would take
        pytest.param("05/04/2023", id="month-first"),
        pytest.param("2023-13-45", id="no-such-day"),
        pytest.param("yesterday", id="words"),
        pytest.param("4 May 2023", id="as-shown"),
    ],
)
def test_any_other_date_is_refused_with_the_format_and_nothing_is_written(
    client, editor, dfi, participant, typed
):
    before = snapshot()
    response = client.post(ADD_URL, endorsement_form(participant, dfi, endorsed_on=typed))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["endorsed_on"] == [BAD_DATE]
    assert BAD_DATE in visible_text(response)
    assert snapshot() == before


def test_date_fields_say_how_to_type_a_date_and_show_it_that_way(client, editor, dfi):
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    page = client.get(reverse("admin:signatories_endorsement_change", args=[norway.pk]))
    html = page.content.decode()
    field = re.search(r'<input type="text" name="endorsed_on"[^>]*>', html).group(0)
    assert 'value="2022-11-02"' in field and 'placeholder="YYYY-MM-DD"' in field
    assert page.context["adminform"].form.fields["endorsed_on"].help_text.endswith(DATE_HELP)
    assert DATE_HELP in visible_text(page)


def test_inline_and_event_dates_say_it_too(client, editor):
    membership = ForumMembership.objects.first()
    participant_page = client.get(
        reverse("admin:signatories_participant_change", args=[membership.participant_id])
    )
    formset = participant_page.context["inline_admin_formsets"][0].formset
    assert formset.forms[0].fields["since"].help_text.endswith(DATE_HELP)
    event_page = client.get(reverse("admin:signatories_event_add"))
    assert event_page.context["adminform"].form.fields["held_on"].help_text == DATE_HELP


def test_the_calendar_writes_iso_dates(client, editor):
    """The admin's date picker writes the first of the input formats its catalogue gives."""
    catalogue = client.get(reverse("admin:jsi18n")).content.decode()
    assert re.search(r'"DATE_INPUT_FORMATS": \[\s*"%Y-%m-%d"\s*\]', catalogue)


def test_the_lists_show_dates_written_out(client, editor):
    page = client.get(reverse("admin:signatories_endorsement_changelist"), {"q": "Norway"})
    assert "2 November 2022" in visible_text(page)
