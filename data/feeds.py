"""An Atom feed of new and changed endorsements, for the same parameters as the list."""

from django.contrib.syndication.views import Feed, FeedDoesNotExist
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from signatories.filters import ParticipantFilter
from signatories.models import Endorsement, Status

from .views import bad_parameters

FEED_SIZE = 50
TITLES = {
    Status.ENDORSED: "{participant} endorsed the {declaration}",
    Status.DISPUTED: "{participant}: endorsement of the {declaration} disputed",
    Status.WITHDRAWN: "{participant} withdrew its endorsement of the {declaration}",
}


class InvalidParameters(Exception):
    def __init__(self, filterset):
        super().__init__("invalid parameters")
        self.filterset = filterset


class EndorsementsFeed(Feed):
    """The latest changed endorsements of the participants the parameters select."""

    feed_type = Atom1Feed
    author_name = "Declaration tracker"
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
        if filterset.selected_declaration is None:
            raise FeedDoesNotExist
        filterset.query = request.GET.urlencode()
        filterset.site = request.build_absolute_uri("/").rstrip("/")
        return filterset

    def title(self, filterset):
        parts = filterset.describe()
        where = f": {'; '.join(parts)}" if parts else ""
        return f"{filterset.selected_declaration.short_name} endorsements{where}"

    def subtitle(self, filterset):
        return (
            f"New and changed endorsements of the {filterset.selected_declaration.title}, "
            "newest first."
        )

    def link(self, filterset):
        return _with_query(reverse("signatories:participant-list"), filterset.query)

    def feed_url(self, filterset):
        return _with_query(reverse("data:feed"), filterset.query)

    def items(self, filterset):
        endorsements = list(
            Endorsement.objects.of(filterset.selected_declaration)
            .announced(on=filterset.on_date)
            .filter(participant__in=filterset.qs.values("pk"))
            .select_related("participant", "declaration", "event")
            .prefetch_related("sources")
            .order_by("-updated_at", "-pk")[:FEED_SIZE]
        )
        for endorsement in endorsements:
            # Atom ids are absolute and stay the same when the endorsement changes.
            endorsement.atom_id = (
                f"{filterset.site}{endorsement.get_absolute_url()}#endorsement-{endorsement.pk}"
            )
        return endorsements

    def item_title(self, endorsement):
        return TITLES[endorsement.status].format(
            participant=endorsement.participant.name,
            declaration=endorsement.declaration.short_name,
        )

    def item_link(self, endorsement):
        return endorsement.get_absolute_url()

    def item_guid(self, endorsement):
        return endorsement.atom_id

    item_guid_is_permalink = False

    def item_pubdate(self, endorsement):
        return endorsement.created_at

    def item_updateddate(self, endorsement):
        return endorsement.updated_at


def _with_query(path, query):
    return f"{path}?{query}" if query else path
