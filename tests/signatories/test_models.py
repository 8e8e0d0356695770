"""Bad data is refused with a clear message, and nothing is saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from signatories import models
from signatories.models import Endorsement, Participant, Status, normalise_for_search

pytestmark = pytest.mark.django_db

SOURCE = "https://example.org/announcement"


def messages(excinfo, field):
    return excinfo.value.message_dict[field]


def test_duplicate_endorsement_is_refused_by_the_database(dfi):
    norway = Participant.objects.get(name="Norway")
    with pytest.raises(IntegrityError), transaction.atomic():
        Endorsement.objects.create(
            participant=norway, declaration=dfi, endorsed_on=datetime.date(2023, 1, 1)
        )
    assert Endorsement.objects.filter(participant=norway).count() == 1


def test_withdrawal_before_endorsement_is_refused_by_the_database(dfi):
    with pytest.raises(IntegrityError), transaction.atomic():
        Endorsement.objects.filter(participant__name="Norway").update(
            status="withdrawn", withdrawn_on=datetime.date(2022, 1, 1)
        )


def test_withdrawn_without_a_date_is_refused(dfi):
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    norway.status = Status.WITHDRAWN
    with pytest.raises(ValidationError) as excinfo:
        norway.full_clean()
    assert messages(excinfo, "withdrawn_on") == [models.WITHDRAWAL_DATE_REQUIRED]


def test_unknown_iso_code_is_refused():
    participant = Participant(
        name="Atlantis", slug="atlantis", iso_alpha2="QZ", entity_type="state"
    )
    with pytest.raises(ValidationError) as excinfo:
        participant.full_clean()
    assert messages(excinfo, "iso_alpha2") == [
        "“QZ” is not an ISO 3166-1 alpha-2 code (two capital letters, e.g. NO)."
    ]


def test_lower_case_iso_code_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(name="Atlantis", slug="atlantis", iso_alpha2="no")


def test_mismatched_alpha3_is_refused():
    participant = Participant.objects.get(name="Norway")
    participant.iso_alpha3 = "SWE"
    with pytest.raises(ValidationError) as excinfo:
        participant.full_clean()
    assert messages(excinfo, "iso_alpha3") == ["The alpha-3 code of NO is NOR, not SWE."]


def test_duplicate_iso_code_is_refused():
    participant = Participant(name="Norge", slug="norge", iso_alpha2="NO", entity_type="state")
    with pytest.raises(ValidationError) as excinfo:
        participant.full_clean()
    assert excinfo.value.messages == ["Another participant already has this ISO alpha-2 code."]
    with pytest.raises(IntegrityError), transaction.atomic():
        participant.save()
    assert Participant.objects.filter(iso_alpha2="NO").count() == 1


def test_participants_without_iso_code_may_be_several():
    Participant.objects.create(
        name="African Union Commission", slug="au", entity_type="supranational"
    )
    assert Participant.objects.filter(iso_alpha2="").count() == 2


def test_search_name_ignores_case_and_accents():
    assert normalise_for_search("Côte d'Ivoire") == "cote d'ivoire"
    assert Participant.objects.get(slug="cote-divoire").search_name == "|cote d'ivoire|ivory coast|"


def test_an_action_and_an_event_are_named_in_the_editors_language(dfi):
    albania = Endorsement.objects.get(participant__name="Albania", declaration=dfi)
    action = albania.actions.get(kind="endorsed")
    with translation.override("fr"):
        assert str(action).endswith(" le 28 avril 2022")
        assert str(action.event).endswith(" (28 avril 2022)")
    with translation.override("en"):
        assert str(action) == "Endorsed on 28 April 2022"
