"""Many synthetic endorsers at once, for exports, the API and the feed."""

import datetime
import itertools

from signatories.models import (
    Action,
    Endorsement,
    ForumMembership,
    Participant,
    Source,
    normalise_for_search,
)

_batch = itertools.count(1)


def make_endorsers(declaration, count, *, forum=None, note="", **participant_fields):
    """``count`` new participants that endorsed ``declaration``, each with two sources."""
    batch = next(_batch)
    participants = Participant.objects.bulk_create(
        Participant(
            name=f"Bulk {batch} participant {i}",
            slug=f"bulk-{batch}-participant-{i}",
            entity_type=Participant.EntityType.STATE,
            search_name=normalise_for_search(f"Bulk {batch} participant {i}"),
            **participant_fields,
        )
        for i in range(count)
    )
    endorsements = Endorsement.objects.bulk_create(
        Endorsement(
            participant=participant,
            declaration=declaration,
            endorsed_on=datetime.date(2022, 6, 1) + datetime.timedelta(days=i % 300),
            note=note,
        )
        for i, participant in enumerate(participants)
    )
    Source.objects.bulk_create(
        Source(endorsement=endorsement, url=f"https://example.org/{endorsement.pk}/{n}", position=n)
        for endorsement in endorsements
        for n in (1, 2)
    )
    Action.objects.bulk_create(a for e in endorsements for a in Action.from_dates(e))
    if forum is not None:
        ForumMembership.objects.bulk_create(
            ForumMembership(participant=participant, forum=forum) for participant in participants
        )
    return participants
