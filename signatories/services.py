"""Every write of the record: endorsements, their dated actions and their sources.

The admin's forms and bulk actions, the importer and the management commands all write through
these functions, so each rule is checked here once, with the words an editor reads (the rules
of a single row are the model's ``clean()`` and constraints, run by ``full_clean``). Each runs
in one transaction: all of it is written, or nothing. ``user`` and ``reason`` go into the
history rows (django-simple-history), e.g. "Import #3: endorsements.csv".

An endorsement's actions (endorsed, disputed, dispute resolved, withdrawn) each need a source
of their own; the endorsement's dates and status are kept from them by ``Endorsement.follow``,
here and nowhere else.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from .models import Action, DatePrecision, Endorsement, Source, Status

Kind = Action.Kind

# Texts an editor sees; tests assert these exact words.
# (marked for translation; gettext() them where they are said).
SOURCE_REQUIRED = gettext_noop("Every endorsement needs at least one source.")
ACTION_SOURCE_REQUIRED = {
    Kind.ENDORSED: SOURCE_REQUIRED,
    Kind.DISPUTED: gettext_noop(
        "A dispute needs a source of its own: the address of the statement or "
        "report that questions the endorsement."
    ),
    Kind.DISPUTE_RESOLVED: gettext_noop(
        "A resolved dispute needs a source of its own: the address of the "
        "statement or report that settles it."
    ),
    Kind.WITHDRAWN: gettext_noop(
        "A withdrawal needs a source of its own: the address of the statement or "
        "report that records it."
    ),
}
SOURCE_WITHOUT_ACTION = gettext_noop(
    "A source is given as evidence of “{kind}”, but no such action is recorded."
)
LISTING_REQUIRED = gettext_noop(
    "An endorsement starts with its listing: give the day it was endorsed."
)
ACTION_REPEATED = gettext_noop(
    "“{kind}” is recorded twice; an endorsement has one action of each kind."
)
ACTION_DATE_REQUIRED = gettext_noop("“{kind}” needs its date (YYYY-MM-DD).")
ALREADY_WITHDRAWN = gettext_noop("{participant} was already withdrawn; nothing was changed.")
EVIDENCE_FIELDS = ("kind", "publisher", "published_on", "accessed_on", "archive_url", "quote")


@dataclass(frozen=True)
class SourceInput:
    """A source as an editor gives it; ``pk`` names the source row it edits, if any.

    ``supports`` is the kind of action it records. A ``title`` of None keeps the title the
    source has (a file of addresses only); ``evidence`` (kind, publisher, published_on,
    accessed_on, archive_url, quote), when given, sets those fields, else they are kept.
    """

    url: str
    title: str | None = None
    pk: int | None = None
    supports: str = Kind.ENDORSED
    evidence: dict | None = None


@dataclass(frozen=True)
class ActionInput:
    """An action as an editor gives it."""

    kind: str
    taken_on: datetime.date | None
    date_precision: str = DatePrecision.EXACT
    event_id: int | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


def actions_of_record(
    endorsement: Endorsement, existing: Iterable[Action] = (), *, dates_only: bool = False
):
    """The actions an endorsement's dates say, for callers that give dates rather than
    actions (the admin's form, the importer, scripts): the listing, a dispute, its resolution,
    a withdrawal. ``dates_only``: the status is left out (the admin's form, whose status is
    read from the dates). What the dates do not say (an action's note, a dispute's precision)
    is kept."""
    existing = {action.kind: action for action in existing}
    status = None if dates_only else endorsement.status
    dates = {
        Kind.ENDORSED: endorsement.endorsed_on,
        Kind.DISPUTED: endorsement.disputed_on,
        Kind.DISPUTE_RESOLVED: endorsement.dispute_resolved_on,
        Kind.WITHDRAWN: endorsement.withdrawn_on,
    }
    wanted = {kind for kind, day in dates.items() if day} | {Kind.ENDORSED}
    if status == Status.DISPUTED:
        wanted.add(Kind.DISPUTED)
    if status == Status.WITHDRAWN:
        wanted.add(Kind.WITHDRAWN)
    actions = []
    for kind in Kind:
        if kind not in wanted:
            continue
        before = existing.get(kind)
        if kind == Kind.ENDORSED:
            precision, event_id = endorsement.date_precision, endorsement.event_id
        else:
            precision = before.date_precision if before else DatePrecision.EXACT
            event_id = before.event_id if before else None
        actions.append(
            ActionInput(
                kind=kind,
                taken_on=dates[kind],
                date_precision=precision,
                event_id=event_id,
                note=before.note if before else "",
            )
        )
    return actions


def check_sources(
    sources: Iterable[SourceInput | str], kinds: Iterable[str] = (Kind.ENDORSED,)
) -> list[SourceInput]:
    """The sources that have an address, in order, each once per action; every action of
    ``kinds`` backed by one at least, and no source for an action not there; or
    ValidationError (under "sources"). Forms call it to show the message beside the sources."""
    kinds = list(kinds)
    kept, seen = [], set()
    for source in sources:
        if isinstance(source, str):
            source = SourceInput(url=source)
        url = (source.url or "").strip()
        if url and (source.supports, url) not in seen:
            seen.add((source.supports, url))
            title = source.title.strip() if source.title is not None else None
            kept.append(
                SourceInput(
                    url=url,
                    title=title,
                    pk=source.pk,
                    supports=source.supports,
                    evidence=source.evidence,
                )
            )
    backed = {source.supports for source in kept}
    problems = [
        gettext(ACTION_SOURCE_REQUIRED[kind])
        for kind in Kind
        if kind in kinds and kind not in backed
    ]
    problems += [
        gettext(SOURCE_WITHOUT_ACTION).format(kind=str(Kind(kind).label).lower())
        for kind in Kind
        if kind in backed and kind not in kinds
    ]
    if problems:
        raise ValidationError({"sources": problems}, code="source_required")
    return kept


def _check_actions(endorsement, actions):
    """Errors of the actions as a list: one listing, each kind once, each dated."""
    problems, kinds = [], [action.kind for action in actions]
    for kind in Kind:
        if kinds.count(kind) > 1:
            problems.append(gettext(ACTION_REPEATED).format(kind=kind.label))
    if Kind.ENDORSED not in kinds:
        problems.append(gettext(LISTING_REQUIRED))
    for action in actions:
        if action.taken_on is None and action.kind != Kind.ENDORSED:
            problems.append(gettext(ACTION_DATE_REQUIRED).format(kind=Kind(action.kind).label))
    return problems


def validate_endorsement(
    endorsement: Endorsement,
    sources: Iterable[SourceInput | str],
    *,
    actions: list[ActionInput] | None = None,
    kept_sources: Iterable[SourceInput] = (),
    existing_actions: Iterable[Action] | None = None,
    related_checked: bool = False,
) -> tuple[list[SourceInput], list[ActionInput]]:
    """Every rule an endorsement, its actions and sources must meet, checked without writing.

    ``actions`` of None takes them from the endorsement's dates (``actions_of_record``).
    Returns ``(sources, actions)`` as they will be written, or raises one ValidationError with
    the messages by field ("sources" for the sources, "actions" for the actions).
    ``kept_sources``: sources of the endorsement that stay without being given (the importer
    gives the listing's and the status's sources only). ``related_checked``: the caller has
    read the participants and the declaration's endorsements already (the importer, for
    thousands of rows), so the queries that check them again for each row are left out, and
    gives the endorsement's ``existing_actions`` it read.
    """
    errors, kept = {}, []
    if existing_actions is not None:
        existing = list(existing_actions)
    else:
        existing = list(endorsement.actions.all()) if endorsement.pk else []
    if actions is None:
        try:  # the dates and status as given, before the actions are made of them
            endorsement.clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        actions = actions_of_record(endorsement, existing)
    if problems := _check_actions(endorsement, actions):
        errors.setdefault("actions", []).extend(problems)
    kinds = [action.kind for action in actions]
    try:
        kept = check_sources([*sources, *kept_sources], kinds)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not errors:
        endorsement.follow(actions)
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
    return kept, actions


@transaction.atomic
def save_endorsement(
    *,
    endorsement: Endorsement,
    sources: Iterable[SourceInput | str],
    actions: list[ActionInput] | None = None,
    source_kinds: Iterable[str] | None = None,
    user=None,
    reason: str = "",
) -> Endorsement:
    """Record a new endorsement, or a change to one, with these actions and sources.

    ``actions`` of None takes them from the endorsement's dates. The sources given replace
    the endorsement's sources of the actions in ``source_kinds`` (every kind when None); a
    source given with the ``pk`` of one of them, or with its address, changes that row.
    """
    existing_sources = list(endorsement.sources.all()) if endorsement.pk else []
    replaced = set(source_kinds) if source_kinds is not None else set(Kind)
    kept_sources = [
        SourceInput(url=s.url, title=None, pk=s.pk, supports=s.supports)
        for s in existing_sources
        if s.supports not in replaced
    ]
    sources, actions = validate_endorsement(
        endorsement, sources, actions=actions, kept_sources=kept_sources
    )
    _stamp(endorsement, user, reason)
    endorsement.save()
    _save_actions(endorsement, actions, user, reason)
    _save_sources(endorsement, existing_sources, sources, user, reason)
    return endorsement


def _save_actions(endorsement, actions, user, reason):
    existing = {action.kind: action for action in endorsement.actions.all()}
    for given in actions:
        action = existing.pop(given.kind, None) or Action(endorsement=endorsement, kind=given.kind)
        values = {
            "taken_on": given.taken_on,
            "date_precision": given.date_precision,
            "event_id": given.event_id,
            "note": given.note,
        }
        if action.pk and all(getattr(action, k) == v for k, v in values.items()):
            continue
        for name, value in values.items():
            setattr(action, name, value)
        action.full_clean(exclude=["endorsement"])
        _stamp(action, user, reason)
        action.save()
    for action in existing.values():
        _stamp(action, user, reason)
        action.delete()


def _save_sources(endorsement, existing, sources, user, reason):
    """Exactly these sources, in order; the other rows of ``existing`` are removed."""
    key = lambda s: (s.supports, s.url)  # noqa: E731
    by_key = {key(source): source for source in existing}
    by_pk = {source.pk: source for source in existing}
    # Same address first, so reordering or swapping addresses never repeats one on the way.
    matched = [by_key.get(key(given)) for given in sources]
    used = {source.pk for source in matched if source}
    for index, given in enumerate(sources):
        if matched[index] is None and given.pk in by_pk and given.pk not in used:
            matched[index] = by_pk[given.pk]
            used.add(given.pk)
    for source in existing:
        if source.pk not in used:
            _stamp(source, user, reason)
            source.delete()
    positions = {}
    for given, source in zip(sources, matched, strict=True):
        position = positions[given.supports] = positions.get(given.supports, 0) + 1
        source = source or Source(endorsement=endorsement, title="")
        values = {
            "url": given.url,
            "supports": given.supports,
            "title": source.title if given.title is None else given.title,
            "position": position,
            **(given.evidence or {}),
        }
        if source.pk and all(getattr(source, k) == v for k, v in values.items()):
            continue
        for name, value in values.items():
            setattr(source, name, value)
        _stamp(source, user, reason)
        source.full_clean(exclude=["endorsement"], validate_unique=False)
        source.save()


@transaction.atomic
def record_action(
    *,
    endorsement: Endorsement,
    action: ActionInput,
    sources: Iterable[SourceInput | str],
    note: str = "",
    user=None,
    reason: str = "",
) -> Endorsement:
    """Add one dated action (a dispute, its resolution, a withdrawal) with its own sources;
    ``note``, if any, is added to the endorsement's public note."""
    who = endorsement.participant
    current = [
        ActionInput(a.kind, a.taken_on, a.date_precision, a.event_id, a.note)
        for a in endorsement.actions.all()
    ]
    given = [
        SourceInput(url=s, supports=action.kind)
        if isinstance(s, str)
        else SourceInput(s.url, s.title, None, action.kind, s.evidence)
        for s in sources
    ]
    if note:
        endorsement.note = f"{endorsement.note}\n\n{note}".strip()
    try:
        return save_endorsement(
            endorsement=endorsement,
            sources=given,
            actions=[*current, action],
            source_kinds=[action.kind],
            user=user,
            reason=reason,
        )
    except ValidationError as error:
        raise ValidationError(
            {
                name: [text if str(who) in text else f"{who}: {text}" for text in texts]
                for name, texts in error.message_dict.items()
            }
        ) from None


@transaction.atomic
def withdraw_endorsements(
    *,
    endorsements: Iterable[Endorsement],
    withdrawn_on: datetime.date,
    sources: Iterable[SourceInput | str] = (),
    note: str = "",
    user=None,
    reason: str = "",
) -> list[Endorsement]:
    """Record that each endorsement was withdrawn on a day, on these sources: all of them, or
    none. The record and its history stay: an endorsement is never deleted to record a
    withdrawal. Messages name the participant."""
    endorsements = list(endorsements)
    sources = list(sources)
    for endorsement in endorsements:
        if endorsement.status == Status.WITHDRAWN:
            raise ValidationError(
                gettext(ALREADY_WITHDRAWN).format(participant=endorsement.participant),
                code="withdrawn",
            )
        record_action(
            endorsement=endorsement,
            action=ActionInput(Kind.WITHDRAWN, withdrawn_on),
            sources=sources,
            note=note,
            user=user,
            reason=reason,
        )
    return endorsements


@transaction.atomic
def delete_endorsements(*, endorsements: Iterable[Endorsement], user=None, reason: str = ""):
    """Remove endorsements recorded by mistake, with their actions and sources (history rows
    stay). Only for mistakes: a withdrawal is recorded with ``withdraw_endorsements``."""
    for endorsement in endorsements:
        for row in [*endorsement.sources.all(), *endorsement.actions.all()]:
            _stamp(row, user, reason)
            row.delete()
        _stamp(endorsement, user, reason)
        endorsement.delete()


def _stamp(instance, user, reason):
    """What django-simple-history writes into the history row: who, and why."""
    if reason:
        instance._change_reason = reason
    if user is not None and user.is_authenticated:
        instance._history_user = user
