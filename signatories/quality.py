"""What in the record needs an editor's attention. Nothing here touches the network."""

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext

from .models import Action, Endorsement, Participant, Source, Status


@dataclass
class Domain:
    name: str
    sources: list = field(default_factory=list)

    @property
    def endorsements(self):
        return len({source.endorsement_id for source in self.sources})


def domain_of(url):
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or "(no host)"


def single_source_endorsements():
    """Endorsements whose listing rests on fewer than two sources."""
    listing = Q(sources__supports=Action.Kind.ENDORSED)
    return (
        Endorsement.objects.annotate(source_count=Count("sources", filter=listing))
        .filter(source_count__lt=2)
        .select_related("participant", "declaration")
        .order_by("declaration__launched_on", "participant__name")
    )


def actions_without_a_source():
    """Dated actions no source backs: withdrawals recorded before every action needed its own
    source, or a source removed since."""
    backed = Source.objects.filter(endorsement=OuterRef("endorsement"), supports=OuterRef("kind"))
    return (
        Action.objects.filter(~Exists(backed))
        .select_related("endorsement__participant", "endorsement__declaration")
        .order_by("taken_on", "endorsement__participant__name")
    )


def disputed_endorsements():
    return (
        Endorsement.objects.filter(status=Status.DISPUTED)
        .select_related("participant", "declaration")
        .order_by("declaration__launched_on", "participant__name")
    )


def participants_missing_facts():
    """Participants without a region or without an ISO code, each with what is missing.

    A supranational institution (the European Commission) has neither by design: not listed.
    """
    participants = (
        Participant.objects.filter(Q(region__isnull=True) | Q(iso_alpha2="") | Q(iso_alpha3=""))
        .exclude(entity_type=Participant.EntityType.SUPRANATIONAL)
        .order_by("name")
    )
    for participant in participants:
        participant.missing = [
            label
            for label, absent in (
                (gettext("region"), participant.region_id is None),
                (gettext("ISO alpha-2 code"), not participant.iso_alpha2),
                (gettext("ISO alpha-3 code"), not participant.iso_alpha3),
            )
            if absent
        ]
    return participants


def sources_by_domain():
    """Every source grouped by web domain, largest group first."""
    domains = defaultdict(list)
    sources = Source.objects.select_related(
        "endorsement__participant", "endorsement__declaration"
    ).order_by("url")
    for source in sources:
        domains[domain_of(source.url)].append(source)
    grouped = [Domain(name, items) for name, items in domains.items()]
    grouped.sort(key=lambda domain: (-len(domain.sources), domain.name))
    return grouped
