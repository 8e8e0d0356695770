"""What changed in the world between two days: the actions taken, in groups, each with its
sources, and the figures at both ends. The page, its exports, the API and the map read it here.

The rows are actions (endorsed, disputed, dispute resolved, withdrawn): events in the world,
never corrections of the record, which /changes/ lists.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from . import cldr, counting, records
from .filters import COMPARED
from .models import ORDER as SAME_DAY
from .models import Action, DatePrecision, Source, host_of
from .worldmap import UNCHANGED, MapEntry

RULE = gettext_lazy(
    "An action is listed when it was taken after the end of the first day and by the end of "
    "the second (first day < date ≤ second day), so an endorsement made on the first day is "
    "already counted in its figure and is not listed. A date known only as “on or before” a "
    "day counts as that day. The figures at both ends follow the counting rule: disputed "
    "endorsements count as endorsers, withdrawn ones do not."
)

#: Each kind of action, in the order the groups come, with the heading of its group.
GROUPS = {
    Action.Kind.ENDORSED: gettext_lazy("New endorsers"),
    Action.Kind.DISPUTED: gettext_lazy("Came under dispute"),
    Action.Kind.DISPUTE_RESOLVED: gettext_lazy("Dispute resolved"),
    Action.Kind.WITHDRAWN: gettext_lazy("Withdrew"),
}
ORDER = {kind: index for index, kind in enumerate(GROUPS)}


#: What a group's feed follows, in words.
FEED_WORDS = {
    Action.Kind.ENDORSED: gettext_lazy("endorsements"),
    Action.Kind.DISPUTED: gettext_lazy("disputes"),
    Action.Kind.DISPUTE_RESOLVED: gettext_lazy("resolved disputes"),
    Action.Kind.WITHDRAWN: gettext_lazy("withdrawals"),
}

#: The link to a group's feed, in words.
FEED_LINKS = {
    Action.Kind.ENDORSED: gettext_lazy(
        "Atom feed of these participants' endorsements, as they are recorded"
    ),
    Action.Kind.DISPUTED: gettext_lazy(
        "Atom feed of these participants' disputes, as they are recorded"
    ),
    Action.Kind.DISPUTE_RESOLVED: gettext_lazy(
        "Atom feed of these participants' resolved disputes, as they are recorded"
    ),
    Action.Kind.WITHDRAWN: gettext_lazy(
        "Atom feed of these participants' withdrawals, as they are recorded"
    ),
}


@dataclass
class Group:
    kind: str
    heading: str
    actions: list

    @property
    def feed_words(self):
        return FEED_WORDS[self.kind]

    @property
    def feed_link(self):
        return FEED_LINKS[self.kind]


@dataclass
class Comparison:
    """The actions between the end of ``start`` and the end of ``end`` for a selection of
    participants, in group order (then by date and name), and a Tally at each end."""

    declaration: object
    start: datetime.date
    end: datetime.date
    actions: list
    before: counting.Tally
    after: counting.Tally

    @property
    def groups(self):
        """A Group for every kind of action, empty or not, in ``GROUPS`` order."""
        by_kind = {kind: [] for kind in GROUPS}
        for action in self.actions:
            by_kind[action["kind"]].append(action)
        return [Group(kind, GROUPS[kind], actions) for kind, actions in by_kind.items()]

    @property
    def figures(self):
        """“61 → 67 endorsers”, and “0 → 1 of them disputed” when either end has any."""
        before, after = self.before, self.after
        figures = {
            "before": before.endorsers,
            "after": after.endorsers,
            "disputed_before": before.disputed,
            "disputed_after": after.disputed,
        }
        if before.disputed or after.disputed:
            return (
                ngettext(
                    "%(before)s → %(after)s endorser, %(disputed_before)s → %(disputed_after)s of "
                    "them disputed",
                    "%(before)s → %(after)s endorsers, %(disputed_before)s → %(disputed_after)s of "
                    "them disputed",
                    after.endorsers,
                )
                % figures
            )
        return (
            ngettext(
                "%(before)s → %(after)s endorser",
                "%(before)s → %(after)s endorsers",
                after.endorsers,
            )
            % figures
        )


# The values each row reads in its one query, and the names the rows give them.
PARTICIPANT = "endorsement__participant__"
ROW_VALUES = {
    "kind": "kind",
    "taken_on": "taken_on",
    "date_precision": "date_precision",
    "note": "note",
    "endorsement_id": "endorsement_id",
    "participant_id": f"{PARTICIPANT}id",
    "name": f"{PARTICIPANT}name",
    "slug": f"{PARTICIPANT}slug",
    "iso_alpha2": f"{PARTICIPANT}iso_alpha2",
    "iso_alpha3": f"{PARTICIPANT}iso_alpha3",
    "entity_type": f"{PARTICIPANT}entity_type",
    "region_0": f"{PARTICIPANT}region__code",
    "region_0_name": f"{PARTICIPANT}region__name",
    "region_1": f"{PARTICIPANT}region__parent__code",
    "region_1_name": f"{PARTICIPANT}region__parent__name",
    "region_2": f"{PARTICIPANT}region__parent__parent__code",
    "region_2_name": f"{PARTICIPANT}region__parent__parent__name",
    "event_name": "event__name",
}
SOURCE_FIELDS = (
    "endorsement_id",
    "supports",
    "url",
    "title",
    "kind",
    "publisher",
    "published_on",
    "accessed_on",
    "archive_url",
    "quote",
)


def actions_between(declaration, start, end, *, participants=None, sources=True):
    """The actions of ``declaration`` taken after the end of ``start`` and by the end of
    ``end``, of the ``participants`` (a queryset; everyone when None), in group order, then
    by date and name: one query, and one for their sources (with ``sources``).

    Each is a dict of plain values, as records.table_rows gives the list's rows (templates
    read a dict's keys far faster than models' attributes): the action (``kind``,
    ``taken_on``, ``date_precision``, ``event_name``, ``note``), its participant (``name``,
    ``slug``, ``url``, ISO codes, ``entity_type``, top ``region`` and ``subregion`` with
    their codes) and ``sources``, those whose ``supports`` is its kind; and what the page
    writes of them (``day``, ``iso_day``, ``where``, each source's ``text`` and ``facts``).
    """
    actions = Action.objects.filter(
        endorsement__declaration=declaration, taken_on__gt=start, taken_on__lte=end
    )
    if participants is not None:
        actions = actions.filter(endorsement__participant__in=participants.order_by().values("pk"))
    ordered = actions.order_by("taken_on", f"{PARTICIPANT}name", "pk")
    values = ordered.values_list(*ROW_VALUES.values())
    rows = [dict(zip(ROW_VALUES, row, strict=True)) for row in values]
    own = defaultdict(list)
    if sources and rows:
        listed = Source.objects.filter(endorsement__in=actions.values("endorsement_id"))
        for source in listed.order_by("endorsement_id", "position", "pk").values(*SOURCE_FIELDS):
            own[source["endorsement_id"], source["supports"]].append(_source(source))
    url = reverse("signatories:participant-detail", kwargs={"slug": "SLUG"})
    for row in rows:
        row["name"] = cldr.participant_name(row["name"], row["iso_alpha2"], row["slug"])
        row.update(_regions(row))
        row["url"] = url.replace("SLUG", row["slug"])  # a slug needs no quoting
        row["day"] = records.short_date(row["taken_on"])
        row["iso_day"] = row["taken_on"].isoformat()
        row["where"] = " · ".join(filter(None, (row["region"], row["subregion"]))) or "—"
        row["on_or_before"] = row["date_precision"] == DatePrecision.ON_OR_BEFORE
        row["sources"] = own.get((row["endorsement_id"], row["kind"]), [])
    rows.sort(key=lambda row: ORDER[row["kind"]])  # stable: by date and name within a kind
    return rows


def _regions(row):
    """As Participant.top_region and .subregion, from the chain of up to three regions (the
    participant's own first), named in the active language."""
    chain = [(row.pop(f"region_{n}"), row.pop(f"region_{n}_name")) for n in range(3)]
    chain = [(code, cldr.region_name(code, name)) for code, name in chain if code is not None]
    top = chain[-1] if chain else (None, None)
    sub = chain[0] if len(chain) > 1 else (None, None)
    return {"region_code": top[0], "region": top[1], "subregion_code": sub[0], "subregion": sub[1]}


def _source(source):
    """The source's values, its ``text`` (title or address) and ``facts`` in words: "news
    report, Wataha, 2 Nov 2022"."""
    facts = [
        str(Source.Kind(source["kind"]).label).lower(),
        source["publisher"] or host_of(source["url"]),
    ]
    if source["published_on"]:
        facts.append(records.short_date(source["published_on"]))
    return {**source, "text": source["title"] or source["url"], "facts": ", ".join(facts)}


def compare(filterset):
    """The comparison a valid ComparisonFilter asks for: its selection's actions between its
    two days, and the figures (counting.py) at the end of each, counted in one query."""
    declaration, start, end = filterset.selected_declaration, filterset.start, filterset.end
    selection = filterset.selection()
    data = filterset.form.cleaned_data
    chosen = any(data.get(name) for name in COMPARED if name != "declaration")
    before, after = counting.status_counts_on_two_days(
        selection.with_status("status_then", on=start)
    )
    return Comparison(
        declaration=declaration,
        start=start,
        end=end,
        actions=actions_between(
            declaration, start, end, participants=selection if chosen else None
        ),  # else everyone, without a subquery
        before=counting.kind_tallies(before)[1],
        after=counting.kind_tallies(after)[1],
    )


def map_entries(everyone, selected_pks, actions, *, link_query=""):
    """World-map entries for every participant, keyed by its latest action between the days
    (``UNCHANGED`` without one); those outside the selection are muted."""
    latest = {}
    for action in sorted(actions, key=lambda a: (a["taken_on"], SAME_DAY[a["kind"]])):
        latest[action["participant_id"]] = action["kind"]
    return [
        MapEntry(
            code=participant.iso_alpha2,
            name=participant.local_name,
            status=latest.get(participant.pk, UNCHANGED),
            url=participant.get_absolute_url() + link_query,
            muted=participant.pk not in selected_pks,
        )
        for participant in everyone
    ]
