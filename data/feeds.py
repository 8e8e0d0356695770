"""An Atom feed of the record's actions in the world (endorsements, disputes, their
resolution, withdrawals), newest first, for the same parameters as the list."""

import datetime

from django import forms
from django.contrib.syndication.views import Feed, FeedDoesNotExist
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext, gettext_lazy

from signatories import cldr
from signatories.comparison import FEED_WORDS
from signatories.filters import ChoicesField, ParticipantField, ParticipantFilter
from signatories.models import Action

from .views import bad_parameters

FEED_SIZE = 50
TITLES = {
    Action.Kind.ENDORSED: gettext_lazy("%(participant)s endorsed the %(declaration)s"),
    Action.Kind.DISPUTED: gettext_lazy(
        "%(participant)s: endorsement of the %(declaration)s disputed"
    ),
    Action.Kind.DISPUTE_RESOLVED: gettext_lazy(
        "%(participant)s: dispute over its endorsement of the %(declaration)s resolved"
    ),
    Action.Kind.WITHDRAWN: gettext_lazy(
        "%(participant)s withdrew its endorsement of the %(declaration)s"
    ),
}


KINDS = FEED_WORDS


class FeedForm(forms.Form):
    """What a feed follows beyond the list's parameters: one participant, kinds of action."""

    participant = ParticipantField(required=False)
    kind = ChoicesField(
        choices=Action.Kind.choices,
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "“%(value)s” is not a kind of action: write endorsed, disputed, "
                "dispute_resolved or withdrawn."
            )
        },
    )


class InvalidParameters(Exception):
    def __init__(self, filterset):
        super().__init__("invalid parameters")
        self.filterset = filterset


class EndorsementsFeed(Feed):
    """The latest actions of the participants the parameters select, each with its sources."""

    feed_type = Atom1Feed
    author_name = gettext_lazy("Declaration tracker")
    description_template = "data/feed_entry.html"  # each entry's content: dates, event, sources

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidParameters as error:
            return bad_parameters(error.filterset)

    def get_object(self, request):
        filterset = ParticipantFilter(request.GET)
        if filterset.errors:
            raise InvalidParameters(filterset)
        follows = FeedForm(request.GET)
        if not follows.is_valid():
            raise InvalidParameters(follows)
        filterset.participant = follows.cleaned_data["participant"]
        filterset.kinds = follows.cleaned_data["kind"]
        if filterset.selected_declaration is None:
            raise FeedDoesNotExist
        filterset.query = request.GET.urlencode()
        filterset.site = request.build_absolute_uri("/").rstrip("/")
        return filterset

    def title(self, filterset):
        parts = filterset.describe()
        if filterset.participant:
            parts.insert(0, filterset.participant.local_name)
        what = cldr.join([KINDS[kind] for kind in filterset.kinds])  # disputes and withdrawals
        words = {
            "declaration": filterset.selected_declaration.short_name,
            "what": what or gettext("endorsements"),
            "where": "; ".join(parts),
        }
        if parts:
            return gettext("%(declaration)s %(what)s: %(where)s") % words
        return gettext("%(declaration)s %(what)s") % words

    def subtitle(self, filterset):
        return gettext(
            "Endorsements of the %(declaration)s, disputes and withdrawals, each dated and "
            "sourced, newest first."
        ) % {"declaration": filterset.selected_declaration.title}

    def link(self, filterset):
        if filterset.participant:
            return filterset.participant.get_absolute_url()
        return _with_query(reverse("signatories:participant-list"), filterset.query)

    def feed_url(self, filterset):
        return _with_query(reverse("data:feed"), filterset.query)

    def items(self, filterset):
        actions = Action.objects.filter(
            endorsement__declaration=filterset.selected_declaration,
            taken_on__lte=filterset.on_date,
        )
        if filterset.participant:
            actions = actions.filter(endorsement__participant=filterset.participant)
        else:
            actions = actions.filter(endorsement__participant__in=filterset.qs.values("pk"))
        if filterset.kinds:
            actions = actions.filter(kind__in=filterset.kinds)
        actions = list(
            actions.select_related("endorsement__participant", "endorsement__declaration", "event")
            .prefetch_related("endorsement__sources")
            .order_by("-taken_on", "-pk")[:FEED_SIZE]
        )
        for action in actions:
            endorsement = action.endorsement
            action.sources = [s for s in endorsement.sources.all() if s.supports == action.kind]
            # Atom ids are absolute and stay the same when the action is corrected.
            action.atom_id = (
                f"{filterset.site}{endorsement.get_absolute_url()}"
                f"#endorsement-{endorsement.pk}-{action.kind}"
            )
        return actions

    def item_title(self, action):
        return str(TITLES[action.kind]) % {
            "participant": action.endorsement.participant.local_name,
            "declaration": action.endorsement.declaration.short_name,
        }

    def item_link(self, action):
        return action.endorsement.get_absolute_url()

    def item_guid(self, action):
        return action.atom_id

    item_guid_is_permalink = False

    def item_pubdate(self, action):
        return datetime.datetime.combine(action.taken_on, datetime.time(12), datetime.UTC)

    def item_updateddate(self, action):
        return action.endorsement.updated_at


def _with_query(path, query):
    return f"{path}?{query}" if query else path
