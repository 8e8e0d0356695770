"""Rows of the participants list, as the page, the exports and the API show them."""

import datetime
import functools
import operator
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Min, Q
from django.urls import reverse
from django.utils import formats, translation
from django.utils.dates import MONTHS_3

from . import cldr
from .counting import Tally
from .models import (
    STATUS_ACTION,
    Action,
    ForumMembership,
    Participant,
    Region,
    Source,
    Status,
    host_of,
    support_level,
)
from .worldmap import MapEntry


def attach_related(participants, *, on):
    """Give each participant of a batch its ``sources`` (URLs of its listing), ``support``
    (how well the listing is supported), ``status_sources`` (URLs of the dispute or the
    withdrawal its status on the day rests on) and ``forums`` (acronyms).

    Two queries per batch, whatever its size; ``participants`` come from
    ``ParticipantQuerySet.with_record`` (the ParticipantFilter's ``qs``).
    """
    participants = list(participants)
    endorsement_ids = [p.endorsement_id for p in participants if p.endorsement_id]
    urls, publishers = defaultdict(list), defaultdict(list)
    for endorsement_id, supports, url, publisher in (
        Source.objects.filter(endorsement_id__in=endorsement_ids)
        .order_by("endorsement_id", "position", "pk")
        .values_list("endorsement_id", "supports", "url", "publisher")
    ):
        urls[endorsement_id, supports].append(url)
        publishers[endorsement_id, supports].append(publisher or host_of(url))
    forums = _forums([p.pk for p in participants], on=on)
    listed = Action.Kind.ENDORSED
    for participant in participants:
        endorsement = participant.endorsement_id
        participant.sources = urls.get((endorsement, listed), [])
        participant.support = (
            support_level(publishers.get((endorsement, listed), [])) if endorsement else None
        )
        kind = STATUS_ACTION.get(participant.status_on)
        participant.status_sources = urls.get((endorsement, kind), []) if kind else []
        participant.forums = forums.get(participant.pk, [])
    return participants


def follow_actions(endorsement, *, on):
    """What a participant's page shows of an endorsement on a day: ``status_then``, the
    ``actions_then`` taken by then (each with its ``sources``), the action the status rests
    on (``status_action``) and the listing's ``support``. Sources and actions prefetched."""
    by_kind = defaultdict(list)
    for source in endorsement.sources.all():
        by_kind[source.supports].append(source)
    endorsement.actions_then = [a for a in endorsement.actions.all() if a.taken_on <= on]
    for action in endorsement.actions_then:
        action.sources = by_kind.get(action.kind, [])
    endorsement.status_then = endorsement.status_on(on)
    kind = STATUS_ACTION.get(endorsement.status_then)
    endorsement.status_action = next((a for a in endorsement.actions_then if a.kind == kind), None)
    listing = by_kind.get(Action.Kind.ENDORSED, [])
    endorsement.support = support_level(source.publisher_name for source in listing)
    return endorsement


def memberships_alongside(memberships, endorsements, *, on):
    """``(first day, memberships)``: the forum memberships in force at some time between the
    participant's first action and ``on``, for its timeline; ``(None, [])`` without actions."""
    days = [a.taken_on for e in endorsements for a in e.actions_then]
    if not days:
        return None, []
    first = min(days)
    return first, [
        m
        for m in memberships
        if (m.since is None or m.since <= on) and (m.until is None or m.until >= first)
    ]


def _forums(participant_ids=None, *, on):
    """``{participant_id: [acronym, ...]}`` of the forums each belongs to on a date.

    Without ``participant_ids``, every participant's: a few hundred short rows, read faster
    than Django builds a query that lists a hundred ids.
    """
    memberships = ForumMembership.objects.current(on=on)
    if participant_ids is not None:
        memberships = memberships.filter(participant_id__in=participant_ids)
    forums = defaultdict(list)
    for participant_id, acronym in (
        memberships.order_by("forum__acronym")
        .values_list("participant_id", "forum__acronym")
        .distinct()
    ):
        forums[participant_id].append(acronym)
    return forums


TABLE_FIELDS = (
    "pk",
    "slug",
    "name",
    "iso_alpha2",
    "entity_type",
    "un_member",
    "un_observer",
    "status_on",
    "endorsed_on",
    "date_precision",
    "withdrawn_on",
    "region__name",
    "region__parent__name",
    "region__parent__parent__name",
    "region_id",
    "region__parent_id",
    "region__parent__parent_id",
)


def table_rows(participants, *, on, link_query=""):
    """What each row of a participants table shows, as plain values, in two queries.

    The table is the biggest part of the list page: Django's templates read a dict's keys far
    faster than a model's attributes, properties and ``reverse()``, and plain values are read
    without building four model instances a row. ``participants`` come from
    ``ParticipantQuerySet.with_record`` (the ParticipantFilter's ``qs``); ``on`` is the date of
    the forum memberships; ``link_query`` follows each participant's address (``?as_of=...``).
    """
    searched = "exact_name" in participants.query.annotations  # names.search's
    participants = list(participants.values(*TABLE_FIELDS, *(["exact_name"] if searched else [])))
    forums = _forums(on=on)
    url = reverse("signatories:participant-detail", kwargs={"slug": "SLUG"})
    english = translation.get_language() in (None, settings.LANGUAGE_CODE)
    if not english:
        for row in participants:  # the names of the active language
            row["name"] = cldr.participant_name(row["name"], row["iso_alpha2"], row["slug"])
            for level in ("region", "region__parent", "region__parent__parent"):
                if row[f"{level}_id"]:
                    name = row[f"{level}__name"]
                    row[f"{level}__name"] = cldr.region_name(row[f"{level}_id"], name)
    rows = []
    for row in participants:
        status = row["status_on"]
        endorsed_on, withdrawn_on = row["endorsed_on"], row["withdrawn_on"]
        shows_endorsement = bool(endorsed_on) and status != Status.NONE
        rows.append(
            {
                "slug": row["slug"],
                "name": row["name"],
                "url": url.replace("SLUG", row["slug"]) + link_query,  # a slug needs no quoting
                "iso": row["iso_alpha2"] or "—",
                "region": _region(row),
                "kind": Participant.kind_of(
                    row["entity_type"], row["un_member"], row["un_observer"]
                ),
                "status": status,
                "status_label": Status(status).label,
                "withdrawn_on": short_date(withdrawn_on) if status == Status.WITHDRAWN else "",
                "endorsed_on": endorsed_on if shows_endorsement else None,
                "endorsed_day": short_date(endorsed_on) if shows_endorsement else "",
                "on_or_before": row["date_precision"] == "on_or_before",
                "forums": ", ".join(forums.get(row["pk"], [])) or "—",
                "region_name": row["region__name"],  # the most specific, for sorting
                "exact_name": row.get("exact_name", 1),  # a search named it whole: 0
            }
        )
    return rows


def in_language_order(rows, sort_key, *, exact_first=False):
    """Rows of ``table_rows`` sorted by ``sort_key`` (as filters.SORTS: "name", "-name",
    "endorsed_on", "-endorsed_on", "region"; ``exact_first``: what a search names whole
    first) on the active language's names: the database sorts by the English ones. English
    rows are returned as they came."""
    if translation.get_language() in (None, settings.LANGUAGE_CODE):
        return rows
    by_name = sorted(rows, key=lambda row: cldr.collation_key(row["name"]))
    if exact_first:
        return sorted(by_name, key=operator.itemgetter("exact_name"))
    if sort_key == "-name":
        return by_name[::-1]
    if sort_key in ("endorsed_on", "-endorsed_on"):
        dated = [row for row in by_name if row["endorsed_on"]]
        dated.sort(key=operator.itemgetter("endorsed_on"), reverse=sort_key == "-endorsed_on")
        return dated + [row for row in by_name if not row["endorsed_on"]]
    if sort_key == "region":
        placed = [row for row in by_name if row["region_name"]]
        placed.sort(key=lambda row: cldr.collation_key(row["region_name"]))
        return placed + [row for row in by_name if not row["region_name"]]
    return by_name


def _region(row):
    """As Participant.top_region and .subregion: "Africa · Western Africa", "Europe" or "—"."""
    name, parent, grandparent = (
        row["region__name"],
        row["region__parent__name"],
        row["region__parent__parent__name"],
    )
    if name is None:
        return "—"
    if parent is None:
        return name
    return f"{grandparent or parent} · {name}"


def short_date(day):
    """``4 May 2023``, as the template filter ``date:"j M Y"`` writes it, twenty times faster
    (a table writes two a row). In another language, its long date (``29 avril 2022``)."""
    language = translation.get_language()
    if language in (None, settings.LANGUAGE_CODE):
        return f"{day.day} {MONTHS_3[day.month].title()} {day.year}"
    return _long_date(day, language)


@functools.lru_cache(maxsize=4096)
def _long_date(day, language):
    return formats.date_format(day)  # the language is active: it is in the cache's key


def timeline(participants, *, on):
    """Cumulative number of endorsers, by day, for a filtered list up to the end of ``on``.

    Returns ``[(date, count), ...]``, one point per day on which the number changed: an
    endorsement adds one, a withdrawal (by ``on``) takes one away. The last count equals the
    number of the list's rows that have endorsed (endorsed or disputed) on that day.
    """
    changes = defaultdict(int)
    for endorsed_on, withdrawn_on in participants.filter(endorsed_on__lte=on).values_list(
        "endorsed_on", "withdrawn_on"
    ):
        changes[endorsed_on] += 1
        if withdrawn_on and withdrawn_on <= on:
            changes[withdrawn_on] -= 1
    points, total = [], 0
    for day in sorted(changes):
        total += changes[day]
        points.append((day, total))
    return points


def change_days(declaration, *, on):
    """``(previous, next)``: the day of the last action on the declaration's endorsements
    before ``on`` and of the first after it, None where there is none: the steps "previous /
    next change to the record" of the date control. One query."""
    days = Action.objects.filter(endorsement__declaration=declaration).aggregate(
        previous=Max("taken_on", filter=Q(taken_on__lt=on)),
        next=Min("taken_on", filter=Q(taken_on__gt=on)),
    )
    return days["previous"], days["next"]


def map_entries(all_rows, selected_pks, *, link_query=""):
    """World-map entries for every participant; those outside the selection are muted."""
    return [
        MapEntry(
            code=row.iso_alpha2,
            name=row.local_name,
            status=row.status_on,
            url=row.get_absolute_url() + link_query,
            muted=row.pk not in selected_pks,
        )
        for row in all_rows
    ]


@dataclass
class RegionNode:
    region: Region
    depth: int
    tally: Tally
    as_of: datetime.date | None = None  # the day the page shows, kept by its links

    @property
    def list_url(self):
        day = f"&as_of={self.as_of.isoformat()}" if self.as_of else ""
        return f"{reverse('signatories:participant-list')}?region={self.region.code}{day}"

    @property
    def endorsed_url(self):
        return f"{self.list_url}&status=endorsed&status=disputed"


def region_tree(regions, coverage, *, as_of=None):
    """Regions in tree order (each followed by the regions below it) with their Tally
    (``counting.region_coverage``); ``as_of``, the day their links keep."""
    children = defaultdict(list)
    english = translation.get_language() in (None, settings.LANGUAGE_CODE)
    by_name = (lambda r: r.name) if english else (lambda r: cldr.collation_key(r.local_name))
    for region in sorted(regions, key=by_name):
        children[region.parent_id].append(region)
    nodes = []

    def walk(parent, depth):
        for region in children[parent]:
            nodes.append(RegionNode(region, depth, coverage[region.code], as_of=as_of))
            walk(region.code, depth + 1)

    walk(None, 0)
    return nodes
