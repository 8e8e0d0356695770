"""How every figure is counted: one rule, written here once in words and in code.

``RULES`` are the words /methods/ publishes; the functions below are the arithmetic every page,
export and API figure goes through, so the explanation and the counts cannot drift apart.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ForumMembership, Participant, Status

#: Counted as endorsers: a disputed endorsement stays on the official list, so it is counted,
#: and every figure says how many of its endorsers are disputed. A withdrawn one is not.
ENDORSER_STATUSES = (Status.ENDORSED, Status.DISPUTED)


class Rule(NamedTuple):
    """A rule of the counting: its title and its words (in the language of the request);
    ``anchor``, the English title as a fragment identifier (/methods/#forums), is the same in
    every language."""

    title: str
    words: str

    @property
    def anchor(self):
        with translation.override("en"):
            return slugify(str(self.title))


RULES = [
    Rule(
        _("Endorsers"),
        _(
            "A participant counts as an endorser of a declaration on a day when, by the end of "
            "that day, it had endorsed it and not withdrawn. An endorsement whose author has "
            "questioned it (disputed) still counts, since it stays on the official list, and "
            "every figure says how many of its endorsers are disputed. A withdrawn endorsement "
            "does not count from the day of the withdrawal."
        ),
    ),
    Rule(
        _("Status history"),
        _(
            "An endorsement's status follows its dated actions, as a treaty depositary records "
            "them: endorsed (listed), disputed, dispute resolved, withdrawn. Each action has its "
            "own sources; the status on a day is the one the last action up to the end of that "
            "day left. A dispute or a withdrawal is recorded only with a source of its own. An "
            "event (the launch, the Prague event) is named only where a source says the "
            "endorsement was announced there."
        ),
    ),
    Rule(
        _("Support"),
        _(
            "How well an endorsement is supported is the number of independent sources of its "
            "listing: sources by different publishers, so two pages of one publisher count once "
            "(“single source”, “2 independent sources”). Each source says what it is (an official "
            "list or statement, a government statement, a news report), who published it and "
            "when, and may carry an archived copy and a quoted passage."
        ),
    ),
    Rule(
        _("Dates"),
        _(
            "Every figure is the record as it stood at the end of a day: today unless a page says "
            "otherwise (its as_of date). Where a source only shows that an endorsement was listed "
            "by a day, that day is used and marked “on or before”."
        ),
    ),
    Rule(
        _("Participants"),
        _(
            "Everyone that could endorse is a participant: the 193 UN member states, the 2 UN "
            "observer states, Taiwan, Kosovo and the European Commission, which endorsed for the "
            "European Union. Shares are of participants, endorsers or not."
        ),
    ),
    Rule(
        _("Forums"),
        _(
            "A forum's share counts its members that are states or territories. The European "
            "Union, which endorsed through the European Commission, is named apart rather than "
            "counted as one more member, since some forums count it as a member (the G20, the "
            "WTO) and others do not (the G7). Members that are not participants here (the African "
            "Union; Hong Kong, China and Macao, China) are named beside the figure, and so is a "
            "member list we know to be incomplete."
        ),
    ),
    Rule(
        _("Regions"),
        _(
            "Regions are the UN M49 regions, sub-regions and intermediate regions; a participant "
            "counts in its own region and in every region above it. The European Commission has "
            "no region and has a line of its own."
        ),
    ),
]


@dataclass
class Tally:
    """Endorsers among some participants on a day, and how many of them are disputed."""

    endorsers: int = 0
    disputed: int = 0
    total: int = 0

    def add(self, status, count=1):
        self.total += count
        if status in ENDORSER_STATUSES:
            self.endorsers += count
            self.disputed += count if status == Status.DISPUTED else 0

    def __str__(self):
        """“67 endorsers, 1 of them disputed”."""
        figures = {"endorsers": self.endorsers, "disputed": self.disputed}
        if self.disputed:
            return (
                ngettext(
                    "%(endorsers)s endorser, %(disputed)s of them disputed",
                    "%(endorsers)s endorsers, %(disputed)s of them disputed",
                    self.endorsers,
                )
                % figures
            )
        return (
            ngettext("%(endorsers)s endorser", "%(endorsers)s endorsers", self.endorsers) % figures
        )


def tally(statuses):
    counted = Tally()
    for status in statuses:
        counted.add(status)
    return counted


def status_counts(participants):
    """``{(entity_type, status): n}`` for a list, in one query."""
    return {
        (row["entity_type"], row["status_on"]): row["n"]
        for row in participants.order_by()
        .values("entity_type", "status_on")
        .annotate(n=Count("pk"))
    }


def status_counts_on_two_days(participants, *, then="status_then"):
    """``(counts on the earlier day, counts on the later)``, each as ``status_counts`` gives
    them, in one query, for a list annotated with both days' statuses (``status_on`` from
    ``with_record``, ``then`` from ``with_status``)."""
    earlier, later = defaultdict(int), defaultdict(int)
    rows = participants.order_by().values("entity_type", then, "status_on")
    for row in rows.annotate(n=Count("pk")):
        earlier[row["entity_type"], row[then]] += row["n"]
        later[row["entity_type"], row["status_on"]] += row["n"]
    return dict(earlier), dict(later)


def kind_tallies(counts):
    """From ``status_counts``: a Tally for each kind of participant, and one of them all."""
    by_kind, everyone = defaultdict(Tally), Tally()
    for (kind, status), count in counts.items():
        by_kind[kind].add(status, count)
        everyone.add(status, count)
    return by_kind, everyone


def region_coverage(participants, regions):
    """A Tally for every region, each participant counted in its region's chain, and one for
    the participants without a region (key ``None``). ``participants`` is a with_record
    queryset; ``regions`` every Region."""
    parents = {region.code: region.parent_id for region in regions}
    tallies = defaultdict(Tally)
    for region_id, status in participants.order_by().values_list("region_id", "status_on"):
        if region_id is None:
            tallies[None].add(status)
        code = region_id
        while code is not None:
            tallies[code].add(status)
            code = parents.get(code)
    return tallies


@dataclass
class ForumShare:
    """How many of a forum's members endorsed, as the Forums rule counts it."""

    tally: Tally
    eu_endorsed: bool | None = None  # None: the European Commission does not take part
    others: list = field(default_factory=list)
    complete: bool = True
    note: str = ""

    def __str__(self):
        """“7 of 7 members endorsed”, with the disputed ones if any."""
        counted = self.tally
        figures = {"endorsers": counted.endorsers, "total": counted.total}
        if counted.disputed:
            return ngettext(
                "%(endorsers)s of %(total)s member endorsed (%(disputed)s of them disputed)",
                "%(endorsers)s of %(total)s members endorsed (%(disputed)s of them disputed)",
                counted.total,
            ) % {**figures, "disputed": counted.disputed}
        return (
            ngettext(
                "%(endorsers)s of %(total)s member endorsed",
                "%(endorsers)s of %(total)s members endorsed",
                counted.total,
            )
            % figures
        )


def forum_shares(forums, declaration, *, on):
    """``{forum_pk: ForumShare}`` on a day, for the forums that list members."""
    listed = [forum for forum in forums if forum.has_member_list]
    statuses, supranational = {}, set()
    for pk, status, kind in Participant.objects.with_record(declaration, on=on).values_list(
        "pk", "status_on", "entity_type"
    ):
        statuses[pk] = status
        if kind == Participant.EntityType.SUPRANATIONAL:
            supranational.add(pk)
    members = defaultdict(set)
    for forum_id, participant_id in (
        ForumMembership.objects.current(on=on)
        .filter(forum__in=listed)
        .values_list("forum_id", "participant_id")
    ):
        members[forum_id].add(participant_id)
    shares = {}
    for forum in listed:
        pks = members[forum.pk]
        eu = pks & supranational
        shares[forum.pk] = ForumShare(
            tally=tally(statuses.get(pk, Status.NONE) for pk in pks - supranational),
            eu_endorsed=(any(statuses.get(pk) in ENDORSER_STATUSES for pk in eu) if eu else None),
            others=forum.others,
            complete=forum.member_list_complete,
            note=forum.member_list_note,
        )
    return shares
