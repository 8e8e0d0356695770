import datetime

import pytest

from declaration.models import Declaration
from signatories.models import Action, Endorsement, Participant, Source
from tests.factories import DeclarationFactory, EndorsementFactory, ParticipantFactory


@pytest.fixture
def many_endorsements(db):
    """About 2,000 more endorsements: 200 new participants, across ten more declarations."""
    declarations = [DeclarationFactory() for _ in range(9)] + [Declaration.objects.get(slug="dfi")]
    participants = Participant.objects.bulk_create(
        ParticipantFactory.build(search_name=f"synthetic participant {i}") for i in range(200)
    )
    endorsements = Endorsement.objects.bulk_create(
        EndorsementFactory.build(
            participant=participant,
            declaration=declaration,
            endorsed_on=datetime.date(2022, 6, 1) + datetime.timedelta(days=i % 900),
            source=None,
            listing=None,
        )
        for declaration in declarations
        for i, participant in enumerate(participants)
    )
    Source.objects.bulk_create(
        Source(endorsement=e, url=f"https://example.org/{e.pk}") for e in endorsements
    )
    Action.objects.bulk_create(a for e in endorsements for a in Action.from_dates(e))
    assert Endorsement.objects.count() >= 2000
    return endorsements
