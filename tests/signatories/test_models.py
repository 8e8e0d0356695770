"""Bad data is refused with a clear message, and nothing is saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from signatories import models
from signatories.models import Endorsement, Participant, Source, Status, normalise_for_search
from signatories.services import record_endorsement, withdraw_endorsement
from tests.factories import EndorsementFactory

pytestmark = pytest.mark.django_db

SOURCE = "https://example.org/announcement"


def messages(excinfo, field):
    return excinfo.value.message_dict[field]


def test_record_endorsement_with_sources(dfi, participant):
    endorsement = record_endorsement(
        participant=participant,
        declaration=dfi,
        endorsed_on=datetime.date(2023, 5, 1),
        sources=[SOURCE, "https://example.org/second"],
    )
    assert [s.url for s in endorsement.sources.all()] == [SOURCE, "https://example.org/second"]
    record = Participant.objects.with_record(dfi).get(pk=participant.pk)
    assert record.status_on == Status.ENDORSED


def test_future_date_is_refused(dfi, participant):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        record_endorsement(
            participant=participant, declaration=dfi, endorsed_on=tomorrow, sources=[SOURCE]
        )
    assert messages(excinfo, "endorsed_on") == [models.FUTURE_DATE]
    assert not Endorsement.objects.filter(participant=participant).exists()


def test_date_before_launch_is_refused(dfi, participant):
    with pytest.raises(ValidationError) as excinfo:
        record_endorsement(
            participant=participant,
            declaration=dfi,
            endorsed_on=datetime.date(2022, 4, 27),
            sources=[SOURCE],
        )
    assert messages(excinfo, "endorsed_on") == [
        "DFI was launched on 28 April 2022; no endorsement can be earlier."
    ]
    assert not Endorsement.objects.filter(participant=participant).exists()


def test_duplicate_endorsement_is_refused(dfi):
    norway = Participant.objects.get(name="Norway")
    with pytest.raises(ValidationError) as excinfo:
        record_endorsement(
            participant=norway,
            declaration=dfi,
            endorsed_on=datetime.date(2023, 1, 1),
            sources=[SOURCE],
        )
    assert excinfo.value.messages == ["Norway already has an endorsement of DFI."]
    assert Endorsement.objects.filter(participant=norway).count() == 1


def test_duplicate_endorsement_is_refused_by_the_database(dfi):
    norway = Participant.objects.get(name="Norway")
    with pytest.raises(IntegrityError), transaction.atomic():
        Endorsement.objects.create(
            participant=norway, declaration=dfi, endorsed_on=datetime.date(2023, 1, 1)
        )
    assert Endorsement.objects.filter(participant=norway).count() == 1


def test_withdrawal_before_endorsement_is_refused(dfi):
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    with pytest.raises(ValidationError) as excinfo:
        withdraw_endorsement(endorsement=norway, withdrawn_on=datetime.date(2022, 11, 1))
    assert messages(excinfo, "withdrawn_on") == [models.WITHDRAWAL_BEFORE_ENDORSEMENT]
    norway.refresh_from_db()
    assert norway.status == Endorsement.Status.ENDORSED
    assert norway.withdrawn_on is None


def test_withdrawal_before_endorsement_is_refused_by_the_database(dfi):
    with pytest.raises(IntegrityError), transaction.atomic():
        Endorsement.objects.filter(participant__name="Norway").update(
            status="withdrawn", withdrawn_on=datetime.date(2022, 1, 1)
        )


def test_withdrawn_without_a_date_is_refused(dfi):
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    norway.status = Endorsement.Status.WITHDRAWN
    with pytest.raises(ValidationError) as excinfo:
        norway.full_clean()
    assert messages(excinfo, "withdrawn_on") == [models.WITHDRAWAL_DATE_REQUIRED]


def test_endorsement_without_a_source_is_refused(dfi, participant):
    with pytest.raises(ValidationError) as excinfo:
        record_endorsement(
            participant=participant,
            declaration=dfi,
            endorsed_on=datetime.date(2023, 5, 1),
            sources=["", "  "],
        )
    assert messages(excinfo, "sources") == [models.SOURCE_REQUIRED]
    assert not Endorsement.objects.filter(participant=participant).exists()


def test_invalid_source_url_saves_nothing(dfi, participant):
    with pytest.raises(ValidationError):
        record_endorsement(
            participant=participant,
            declaration=dfi,
            endorsed_on=datetime.date(2023, 5, 1),
            sources=["not a web address"],
        )
    assert not Endorsement.objects.filter(participant=participant).exists()
    assert not Source.objects.filter(url="not a web address").exists()


def test_withdrawal_keeps_the_record_and_applies_from_its_date(dfi):
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    withdraw_endorsement(endorsement=norway, withdrawn_on=datetime.date(2024, 3, 1))
    assert norway.status_on(datetime.date(2024, 2, 29)) == Status.ENDORSED
    assert norway.status_on(datetime.date(2024, 3, 1)) == Status.WITHDRAWN
    records = Participant.objects.with_record(dfi, on=datetime.date(2024, 2, 29))
    assert records.get(name="Norway").status_on == Status.ENDORSED
    records = Participant.objects.with_record(dfi, on=datetime.date(2024, 3, 1))
    assert records.get(name="Norway").status_on == Status.WITHDRAWN
    assert [h.history_type for h in norway.history.all()] == ["~", "+"]


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
    assert Participant.objects.get(slug="cote-divoire").search_name.startswith("cote d'ivoire")


def test_in_force_counts_only_one_declaration(dfi):
    other = EndorsementFactory(participant=Participant.objects.get(name="Brazil"))
    assert Endorsement.objects.of(dfi).in_force().count() == 67
    assert Endorsement.objects.of(other.declaration).in_force().count() == 1
