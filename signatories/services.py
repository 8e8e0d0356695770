"""Every write of the record: endorsements, their sources, withdrawals and deletions.

The admin's forms and bulk actions, the importer and the management commands all write through
these functions, so each rule is checked here once, with the words an editor reads (the rules
of a single row are the model's ``clean()`` and constraints, run by ``full_clean``). Each runs
in one transaction: all of it is written, or nothing. ``user`` and ``reason`` go into the
history rows (django-simple-history), e.g. "Import #3: endorsements.csv".
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Endorsement, Source, Status

# Texts an editor sees; tests assert these exact words.
SOURCE_REQUIRED = "Every endorsement needs at least one source."
ALREADY_WITHDRAWN = "{participant} was already withdrawn; nothing was changed."


@dataclass(frozen=True)
class SourceInput:
    """A source as an editor gives it; ``pk`` names the source row it edits, if any.

    A ``title`` of None keeps the title the source has (a file of addresses only).
    """

    url: str
    title: str | None = None
    pk: int | None = None


def check_sources(sources: Iterable[SourceInput | str]) -> list[SourceInput]:
    """The sources that have an address, in order, each once; at least one, or ValidationError.

    Forms call it to show the message beside the sources before anything is saved.
    """
    kept, seen = [], set()
    for source in sources:
        if isinstance(source, str):
            source = SourceInput(url=source)
        url = (source.url or "").strip()
        if url and url not in seen:
            seen.add(url)
            title = source.title.strip() if source.title is not None else None
            kept.append(SourceInput(url=url, title=title, pk=source.pk))
    if not kept:
        raise ValidationError({"sources": SOURCE_REQUIRED}, code="source_required")
    return kept


def validate_endorsement(
    endorsement: Endorsement,
    sources: Iterable[SourceInput | str],
    *,
    related_checked: bool = False,
) -> list[SourceInput]:
    """Every rule an endorsement and its sources must meet, checked without writing anything.

    Returns the sources as ``check_sources`` keeps them, or raises one ValidationError with the
    messages by field ("sources" for the sources). ``related_checked``: the caller has read the
    participants and the declaration's endorsements already (the importer, for thousands of
    rows), so the queries that check them again for each row are left out.
    """
    errors, kept = {}, []
    try:
        kept = check_sources(sources)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        if related_checked:
            endorsement.full_clean(
                exclude=["participant", "declaration"],
                validate_unique=False,
                validate_constraints=False,
            )
        else:
            endorsement.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return kept


@transaction.atomic
def save_endorsement(
    *,
    endorsement: Endorsement,
    sources: Iterable[SourceInput | str],
    user=None,
    reason: str = "",
) -> Endorsement:
    """Record a new endorsement, or a change to one, with exactly these sources, in order.

    A source given with the ``pk`` of one of the endorsement's sources, or with the address of
    one, changes that row; the endorsement's other sources are removed.
    """
    sources = validate_endorsement(endorsement, sources)
    _stamp(endorsement, user, reason)
    endorsement.save()
    existing = list(endorsement.sources.all())
    by_url = {source.url: source for source in existing}
    by_pk = {source.pk: source for source in existing}
    # Same address first, so reordering or swapping addresses never repeats one on the way.
    matched = [by_url.get(given.url) for given in sources]
    used = {source.pk for source in matched if source}
    for index, given in enumerate(sources):
        if matched[index] is None and given.pk in by_pk and given.pk not in used:
            matched[index] = by_pk[given.pk]
            used.add(given.pk)
    for source in existing:
        if source.pk not in used:
            _stamp(source, user, reason)
            source.delete()
    for position, (given, source) in enumerate(zip(sources, matched, strict=True), start=1):
        source = source or Source(endorsement=endorsement, title="")
        title = source.title if given.title is None else given.title
        if source.pk and (source.url, source.title, source.position) == (
            given.url,
            title,
            position,
        ):
            continue
        source.url, source.title, source.position = given.url, title, position
        _stamp(source, user, reason)
        source.full_clean()
        source.save()
    return endorsement


@transaction.atomic
def withdraw_endorsements(
    *,
    endorsements: Iterable[Endorsement],
    withdrawn_on: datetime.date,
    note: str = "",
    user=None,
    reason: str = "",
) -> list[Endorsement]:
    """Record that each endorsement was withdrawn on a day: all of them, or none.

    The note, if any, is added to each endorsement's public note. The record and its history
    stay: an endorsement is never deleted to record a withdrawal. Messages name the participant.
    """
    endorsements = list(endorsements)
    for endorsement in endorsements:
        who = endorsement.participant
        if endorsement.status == Status.WITHDRAWN:
            raise ValidationError(ALREADY_WITHDRAWN.format(participant=who), code="withdrawn")
        endorsement.status = Status.WITHDRAWN
        endorsement.withdrawn_on = withdrawn_on
        if note:
            endorsement.note = f"{endorsement.note}\n\n{note}".strip()
        try:
            endorsement.full_clean()
        except ValidationError as error:
            raise ValidationError(
                {
                    field: [text if str(who) in text else f"{who}: {text}" for text in texts]
                    for field, texts in error.message_dict.items()
                }
            ) from None
        _stamp(endorsement, user, reason)
        endorsement.save()
    return endorsements


@transaction.atomic
def delete_endorsements(*, endorsements: Iterable[Endorsement], user=None, reason: str = ""):
    """Remove endorsements recorded by mistake, with their sources (history rows stay).

    Only for mistakes: a withdrawal is recorded with ``withdraw_endorsements``.
    """
    for endorsement in endorsements:
        for source in endorsement.sources.all():
            _stamp(source, user, reason)
            source.delete()
        _stamp(endorsement, user, reason)
        endorsement.delete()


def _stamp(instance, user, reason):
    """What django-simple-history writes into the history row: who, and why."""
    if reason:
        instance._change_reason = reason
    if user is not None and user.is_authenticated:
        instance._history_user = user
