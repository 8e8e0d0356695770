"""Every write of the record goes through the services: each rule once, all of a write or none."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from signatories import models, services
from signatories.models import DataVersion, Endorsement, Participant, Source, Status
from signatories.services import SourceInput, save_endorsement, withdraw_endorsements
from tests.factories import WITHDRAWAL_SOURCE

pytestmark = pytest.mark.django_db

SOURCE = "https://example.org/announcement"


def messages(excinfo, field):
    return excinfo.value.message_dict[field]


def new_endorsement(participant, dfi, on=datetime.date(2023, 5, 1), **fields):
    return Endorsement(participant=participant, declaration=dfi, endorsed_on=on, **fields)


def urls(endorsement):
    return list(endorsement.sources.order_by("position").values_list("url", "title", "position"))


def test_a_new_endorsement_is_recorded_with_its_sources_in_order(dfi, participant):
    endorsement = save_endorsement(
        endorsement=new_endorsement(participant, dfi),
        sources=[SOURCE, SourceInput("https://example.org/second", title="Second")],
    )
    assert urls(endorsement) == [(SOURCE, "", 1), ("https://example.org/second", "Second", 2)]
    record = Participant.objects.with_record(dfi).get(pk=participant.pk)
    assert record.status_on == Status.ENDORSED


def test_the_history_says_who_and_why(dfi, participant, admin_user):
    endorsement = save_endorsement(
        endorsement=new_endorsement(participant, dfi),
        sources=[SOURCE],
        user=admin_user,
        reason="Import #7: file.csv",
    )
    [row] = endorsement.history.all()
    assert (row.history_user, row.history_change_reason) == (admin_user, "Import #7: file.csv")
    [source_row] = Source.history.filter(endorsement_id=endorsement.pk)
    assert source_row.history_change_reason == "Import #7: file.csv"


def test_a_write_renews_the_data_version(dfi, participant):
    before = DataVersion.current()
    save_endorsement(endorsement=new_endorsement(participant, dfi), sources=[SOURCE])
    assert DataVersion.current()[0] != before[0]


@pytest.mark.parametrize(
    ("case", "field", "expected"),
    [
        ("future date", "endorsed_on", [models.FUTURE_DATE]),
        (
            "before the launch",
            "endorsed_on",
            ["DFI was launched on 28 April 2022; no endorsement can be earlier."],
        ),
        ("no source", "sources", [services.SOURCE_REQUIRED]),
        ("blank sources", "sources", [services.SOURCE_REQUIRED]),
        ("not a web address", "url", ["Enter a valid URL."]),
        ("withdrawn without a date", "withdrawn_on", [models.WITHDRAWAL_DATE_REQUIRED]),
    ],
)
def test_bad_endorsement_is_refused_and_nothing_is_saved(dfi, participant, case, field, expected):
    endorsement = new_endorsement(participant, dfi)
    sources = [SOURCE]
    if case == "future date":
        endorsement.endorsed_on = timezone.localdate() + datetime.timedelta(days=1)
    elif case == "before the launch":
        endorsement.endorsed_on = datetime.date(2022, 4, 27)
    elif case == "no source":
        sources = []
    elif case == "blank sources":
        sources = ["", "  ", SourceInput(url="")]
    elif case == "not a web address":
        sources = ["not a web address"]
    elif case == "withdrawn without a date":
        endorsement.status = Status.WITHDRAWN
    sources_before = Source.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        save_endorsement(endorsement=endorsement, sources=sources)
    assert messages(excinfo, field) == expected
    assert not Endorsement.objects.filter(participant=participant).exists()
    assert Source.objects.count() == sources_before


def test_a_second_endorsement_of_the_same_declaration_is_refused(dfi):
    norway = Participant.objects.get(name="Norway")
    with pytest.raises(ValidationError) as excinfo:
        save_endorsement(endorsement=new_endorsement(norway, dfi), sources=[SOURCE])
    assert excinfo.value.messages == ["Norway already has an endorsement of DFI."]
    assert Endorsement.objects.filter(participant=norway).count() == 1


def test_sources_are_kept_changed_reordered_and_removed_as_given(dfi, participant):
    endorsement = save_endorsement(
        endorsement=new_endorsement(participant, dfi),
        sources=[
            SourceInput("https://example.org/a", "A"),
            SourceInput("https://example.org/b", "B"),
            SourceInput("https://example.org/c", "C"),
        ],
    )
    a, b, c = endorsement.sources.order_by("position")
    save_endorsement(
        endorsement=endorsement,
        sources=[
            SourceInput("https://example.org/c"),  # moved first, title kept
            SourceInput("https://example.org/a2", "A, moved", pk=a.pk),  # new address, same row
        ],  # b is left out: removed
    )
    assert urls(endorsement) == [
        ("https://example.org/c", "C", 1),
        ("https://example.org/a2", "A, moved", 2),
    ]
    assert set(endorsement.sources.values_list("pk", flat=True)) == {a.pk, c.pk}
    assert Source.history.filter(id=b.pk, history_type="-").exists()


def test_swapping_two_addresses_is_not_a_duplicate(dfi, participant):
    endorsement = save_endorsement(
        endorsement=new_endorsement(participant, dfi),
        sources=["https://example.org/a", "https://example.org/b"],
    )
    a, b = endorsement.sources.order_by("position")
    save_endorsement(
        endorsement=endorsement,
        sources=[
            SourceInput("https://example.org/b", "", pk=a.pk),
            SourceInput("https://example.org/a", "", pk=b.pk),
        ],
    )
    assert [url for url, _, _ in urls(endorsement)] == [
        "https://example.org/b",
        "https://example.org/a",
    ]


def test_an_unchanged_save_writes_no_source_history(dfi):
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    before = Source.history.count()
    save_endorsement(
        endorsement=norway,
        sources=[SourceInput(s.url, s.title, s.pk) for s in norway.sources.all()],
    )
    assert Source.history.count() == before


def test_withdrawal_keeps_the_record_and_applies_from_its_date(dfi):
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    withdraw_endorsements(
        sources=[WITHDRAWAL_SOURCE], endorsements=[norway], withdrawn_on=datetime.date(2024, 3, 1)
    )
    assert norway.status_on(datetime.date(2024, 2, 29)) == Status.ENDORSED
    assert norway.status_on(datetime.date(2024, 3, 1)) == Status.WITHDRAWN
    records = Participant.objects.with_record(dfi, on=datetime.date(2024, 2, 29))
    assert records.get(name="Norway").status_on == Status.ENDORSED
    records = Participant.objects.with_record(dfi, on=datetime.date(2024, 3, 1))
    assert records.get(name="Norway").status_on == Status.WITHDRAWN
    assert [h.history_type for h in norway.history.all()] == ["~", "+"]


def test_a_withdrawal_before_the_endorsement_is_refused_naming_the_participant(dfi):
    norway = Endorsement.objects.get(participant__name="Norway", declaration=dfi)
    with pytest.raises(ValidationError) as excinfo:
        withdraw_endorsements(
            sources=[WITHDRAWAL_SOURCE],
            endorsements=[norway],
            withdrawn_on=datetime.date(2022, 11, 1),
        )
    assert messages(excinfo, "withdrawn_on") == [f"Norway: {models.WITHDRAWAL_BEFORE_ENDORSEMENT}"]
    norway.refresh_from_db()
    assert (norway.status, norway.withdrawn_on) == (Status.ENDORSED, None)


def test_withdrawing_several_is_all_or_nothing(dfi):
    endorsements = list(
        Endorsement.objects.of(dfi)
        .filter(participant__name__in=["Norway", "Peru", "France"])
        .select_related("participant")
        .order_by("participant__name")
    )
    withdraw_endorsements(
        sources=[WITHDRAWAL_SOURCE],
        endorsements=[endorsements[2]],
        withdrawn_on=datetime.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as excinfo:
        withdraw_endorsements(
            sources=[WITHDRAWAL_SOURCE],
            endorsements=endorsements,
            withdrawn_on=datetime.date(2024, 2, 1),
        )
    assert excinfo.value.messages == [
        services.ALREADY_WITHDRAWN.format(participant=endorsements[2].participant)
    ]
    assert list(
        Endorsement.objects.filter(pk__in=[e.pk for e in endorsements])
        .order_by("participant__name")
        .values_list("withdrawn_on", flat=True)
    ) == [None, None, datetime.date(2024, 1, 1)]


def test_deleting_a_mistaken_endorsement_keeps_its_history(dfi, participant):
    endorsement = save_endorsement(endorsement=new_endorsement(participant, dfi), sources=[SOURCE])
    pk = endorsement.pk
    services.delete_endorsements(endorsements=[endorsement], reason="Recorded by mistake")
    assert not Endorsement.objects.filter(pk=pk).exists()
    assert not Source.objects.filter(endorsement_id=pk).exists()
    deleted = Endorsement.history.get(id=pk, history_type="-")
    assert deleted.history_change_reason == "Recorded by mistake"
