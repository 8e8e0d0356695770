"""What changed in the world between two days: the actions taken, in groups, each with its
sources, and the figures at both ends. The page, its exports, the API and the map read it here.

The rows are actions (endorsed, disputed, dispute resolved, withdrawn): events in the world,
never corrections of the record, which /changes/ lists.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from . import counting
from .models import ORDER as SAME_DAY
from .models import Action, Source
from .worldmap import UNCHANGED, MapEntry

RULE = (
    "An action is listed when it was taken after the end of the first day and by the end of "
    "the second (first day < date ≤ second day), so an endorsement made on the first day is "
    "already counted in its figure and is not listed. A date known only as “on or before” a "
    "day counts as that day. The figures at both ends follow the counting rule: disputed "
    "endorsements count as endorsers, withdrawn ones do not."
)

#: Each kind of action, in the order the groups come, with the heading of its group.
GROUPS = {
    Action.Kind.ENDORSED: "New endorsers",
    Action.Kind.DISPUTED: "Came under dispute",
    Action.Kind.DISPUTE_RESOLVED: "Dispute resolved",
    Action.Kind.WITHDRAWN: "Withdrew",
}
ORDER = {kind: index for index, kind in enumerate(GROUPS)}


@dataclass
class Group:
    kind: str
    heading: str
    actions: list


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
            by_kind[action.kind].append(action)
        return [Group(kind, GROUPS[kind], actions) for kind, actions in by_kind.items()]

    @property
    def figures(self):
        """“61 → 67 endorsers”, and “0 → 1 of them disputed” when either end has any."""
        before, after = self.before, self.after
        plural = "" if after.endorsers == 1 else "s"
        words = f"{before.endorsers} → {after.endorsers} endorser{plural}"
        if before.disputed or after.disputed:
            words += f", {before.disputed} → {after.disputed} of them disputed"
        return words


def actions_between(declaration, start, end, *, participants=None, sources=True):
    """The actions of ``declaration`` taken after the end of ``start`` and by the end of
    ``end``, of the ``participants`` (a queryset; everyone when None), in group order, then
    by date and name; each with its ``participant`` (and its regions) and, with ``sources``,
    the ``sources`` whose ``supports`` is its kind. One query, and one for the sources."""
    actions = Action.objects.filter(
        endorsement__declaration=declaration, taken_on__gt=start, taken_on__lte=end
    ).select_related("endorsement__participant__region__parent__parent", "event")
    if participants is not None:
        actions = actions.filter(endorsement__participant__in=participants.order_by().values("pk"))
    if sources:
        listed = Source.objects.order_by("position", "pk")
        actions = actions.prefetch_related(Prefetch("endorsement__sources", queryset=listed))
    rows = list(actions.order_by("taken_on", "endorsement__participant__name", "pk"))
    for action in rows:
        action.participant = action.endorsement.participant
        if sources:
            own = action.endorsement.sources.all()
            action.sources = [source for source in own if source.supports == action.kind]
    rows.sort(key=lambda action: ORDER[action.kind])  # stable: by date and name within a kind
    return rows


def compare(filterset):
    """The comparison a valid ComparisonFilter asks for: its selection's actions between its
    two days, and the figures (counting.py) at the end of each."""
    declaration = filterset.selected_declaration
    selection = filterset.selection()
    return Comparison(
        declaration=declaration,
        start=filterset.start,
        end=filterset.end,
        actions=actions_between(
            declaration, filterset.start, filterset.end, participants=selection
        ),
        before=_tally(filterset.selection(on=filterset.start)),
        after=_tally(selection),
    )


def _tally(participants):
    return counting.kind_tallies(counting.status_counts(participants))[1]


def map_entries(everyone, selected_pks, actions, *, link_query=""):
    """World-map entries for every participant, keyed by its latest action between the days
    (``UNCHANGED`` without one); those outside the selection are muted."""
    latest = {}
    for action in sorted(actions, key=lambda a: (a.taken_on, SAME_DAY[a.kind])):
        latest[action.participant.pk] = action.kind
    return [
        MapEntry(
            code=participant.iso_alpha2,
            name=participant.name,
            status=latest.get(participant.pk, UNCHANGED),
            url=participant.get_absolute_url() + link_query,
            muted=participant.pk not in selected_pks,
        )
        for participant in everyone
    ]
