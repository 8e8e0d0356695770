"""factory_boy factories for synthetic data beside the seed."""

import datetime

import factory

from declaration.models import Declaration, Forum
from signatories.models import Action, Endorsement, ForumMembership, Participant, Source


class DeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Declaration

    title = factory.Sequence(lambda n: f"Synthetic declaration {n}")
    short_name = factory.Sequence(lambda n: f"SD{n}")
    slug = factory.Sequence(lambda n: f"synthetic-{n}")
    launched_on = datetime.date(2022, 1, 1)
    text_url = "https://example.org/declaration.pdf"
    summary = "A declaration made up for tests."


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    name = factory.Sequence(lambda n: f"Synthetic forum {n}")
    acronym = factory.Sequence(lambda n: f"SF{n}")
    slug = factory.Sequence(lambda n: f"sf{n}")
    kind = Forum.Kind.INTERGOVERNMENTAL


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    name = factory.Sequence(lambda n: f"Synthetic participant {n}")
    slug = factory.Sequence(lambda n: f"synthetic-participant-{n}")
    entity_type = Participant.EntityType.STATE


class EndorsementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endorsement
        skip_postgeneration_save = True

    participant = factory.SubFactory(ParticipantFactory)
    declaration = factory.SubFactory(DeclarationFactory)
    endorsed_on = datetime.date(2022, 6, 1)
    date_precision = Endorsement.DatePrecision.EXACT
    event = None
    listing = factory.RelatedFactory(
        "tests.factories.ActionFactory",
        "endorsement",
        taken_on=factory.SelfAttribute("..endorsed_on"),
        date_precision=factory.SelfAttribute("..date_precision"),
        event=factory.SelfAttribute("..event"),
    )
    source = factory.RelatedFactory("tests.factories.SourceFactory", "endorsement")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    endorsement = factory.SubFactory(EndorsementFactory, listing=None)
    kind = Action.Kind.ENDORSED
    taken_on = datetime.date(2022, 6, 1)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    endorsement = factory.SubFactory(EndorsementFactory, source=None)
    url = factory.Sequence(lambda n: f"https://example.org/source/{n}")


class ForumMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumMembership

    participant = factory.SubFactory(ParticipantFactory)
    forum = factory.SubFactory(ForumFactory)
    since = datetime.date(2000, 1, 1)


# The source of the withdrawals tests record (a withdrawal needs one of its own).
WITHDRAWAL_SOURCE = "https://example.org/foreign-ministry/withdrawal-statement"
