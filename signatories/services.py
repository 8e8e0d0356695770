"""Writes that touch several models, each validated and atomic."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from declaration.models import Declaration

from .models import SOURCE_REQUIRED, Endorsement, Event, Participant, Source


@transaction.atomic
def record_endorsement(
    *,
    participant: Participant,
    declaration: Declaration,
    endorsed_on: datetime.date,
    sources: list[str],
    date_precision: str = Endorsement.DatePrecision.EXACT,
    status: str = Endorsement.Status.ENDORSED,
    withdrawn_on: datetime.date | None = None,
    event: Event | None = None,
    note: str = "",
) -> Endorsement:
    """Record a new endorsement with its sources; nothing is saved if anything is invalid."""
    urls = [url.strip() for url in sources if url and url.strip()]
    if not urls:
        raise ValidationError({"sources": SOURCE_REQUIRED})
    endorsement = Endorsement(
        participant=participant,
        declaration=declaration,
        endorsed_on=endorsed_on,
        date_precision=date_precision,
        status=status,
        withdrawn_on=withdrawn_on,
        event=event,
        note=note,
    )
    endorsement.full_clean()
    endorsement.save()
    for position, url in enumerate(urls, start=1):
        source = Source(endorsement=endorsement, url=url, position=position)
        source.full_clean()
        source.save()
    return endorsement


@transaction.atomic
def withdraw_endorsement(*, endorsement: Endorsement, withdrawn_on: datetime.date, note: str = ""):
    """Mark an endorsement withdrawn from a date; the record and its history stay."""
    endorsement.status = Endorsement.Status.WITHDRAWN
    endorsement.withdrawn_on = withdrawn_on
    if note:
        endorsement.note = f"{endorsement.note}\n\n{note}".strip()
    endorsement.full_clean()
    endorsement.save()
    return endorsement
