"""The read-only JSON API: the same records, filters and rows as the pages, for programs."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from declaration.models import Commitment, Declaration, Forum, Pillar
from signatories.comparison import RULE
from signatories.filters import ComparisonFilter, EndorsementFilter, ParticipantFilter
from signatories.models import (
    Action,
    Endorsement,
    ForumMembership,
    Participant,
    Region,
    Source,
    Status,
    support_level,
)
from signatories.records import attach_related, timeline

from .columns import page_urls, participant_record
from .comparison import ComparisonExport
from .schema import BAD_PARAMETERS, NOT_FOUND


@extend_schema_field(OpenApiTypes.URI)
class PageURLField(serializers.Field):
    """The absolute URL of the record's page on this site."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The record's page on this site.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


class ParticipantSerializer(serializers.Serializer):
    """A row of the participants list, as ``columns.participant_record`` builds it."""

    name = serializers.CharField()
    slug = serializers.SlugField()
    url = serializers.URLField(help_text="The participant's page on this site.")
    iso_alpha2 = serializers.CharField(allow_null=True, help_text="ISO 3166-1 alpha-2 code.")
    iso_alpha3 = serializers.CharField(allow_null=True, help_text="ISO 3166-1 alpha-3 code.")
    entity_type = serializers.ChoiceField(choices=Participant.EntityType.choices)
    region_code = serializers.CharField(allow_null=True, help_text="Top UN M49 region code.")
    region = serializers.CharField(allow_null=True, help_text="Top UN M49 region name.")
    subregion_code = serializers.CharField(allow_null=True, help_text="Most specific M49 code.")
    subregion = serializers.CharField(allow_null=True, help_text="Most specific M49 region.")
    status = serializers.ChoiceField(choices=Status.choices, help_text="Status on the as_of day.")
    endorsed_on = serializers.DateField(allow_null=True)
    date_precision = serializers.ChoiceField(
        choices=Endorsement.DatePrecision.choices, allow_null=True
    )
    withdrawn_on = serializers.DateField(allow_null=True)
    disputed_on = serializers.DateField(
        allow_null=True, help_text="When the dispute began, for a status of disputed."
    )
    event = serializers.CharField(allow_null=True, help_text="Where it was announced.")
    sources = serializers.ListField(
        child=serializers.URLField(), help_text="The sources of the endorsement (its listing)."
    )
    support = serializers.CharField(
        allow_null=True,
        help_text="How well the endorsement is supported: “single source”, “2 independent "
        "sources”... (sources by different publishers).",
    )
    status_sources = serializers.ListField(
        child=serializers.URLField(),
        help_text="The sources of the dispute or the withdrawal the status rests on.",
    )
    note = serializers.CharField(allow_null=True)
    forums = serializers.ListField(
        child=serializers.CharField(), help_text="Acronyms of its forums on the as_of day."
    )

    def to_representation(self, instance):
        if not hasattr(self, "_page_url"):
            self._page_url = page_urls(self.context["request"].build_absolute_uri)
        return participant_record(instance, page_url=self._page_url)


class ParticipantRefSerializer(serializers.ModelSerializer):
    url = PageURLField()

    class Meta:
        model = Participant
        fields = ["name", "slug", "url"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = [
            "url",
            "title",
            "kind",
            "publisher",
            "published_on",
            "accessed_on",
            "archive_url",
            "quote",
        ]


class ActionSerializer(serializers.ModelSerializer):
    """An action in the world, dated, with its own sources."""

    event = serializers.CharField(source="event.name", allow_null=True, default=None)
    sources = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = ["kind", "taken_on", "date_precision", "event", "note", "sources"]

    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, action):
        sources = [s for s in action.endorsement.sources.all() if s.supports == action.kind]
        return SourceSerializer(sources, many=True).data


class EndorsementSerializer(serializers.ModelSerializer):
    participant = ParticipantRefSerializer()
    declaration = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    event = serializers.CharField(source="event.name", allow_null=True, default=None)
    sources = serializers.SerializerMethodField(help_text="The sources of the listing.")
    support = serializers.SerializerMethodField(
        help_text="How well the listing is supported: “single source”, “2 independent sources”."
    )
    actions = ActionSerializer(many=True)
    url = PageURLField()

    class Meta:
        model = Endorsement
        fields = [
            "id",
            "participant",
            "declaration",
            "status",
            "endorsed_on",
            "date_precision",
            "disputed_on",
            "dispute_resolved_on",
            "withdrawn_on",
            "event",
            "note",
            "sources",
            "support",
            "actions",
            "url",
            "created_at",
            "updated_at",
        ]

    @staticmethod
    def listing_sources(endorsement):
        return [s for s in endorsement.sources.all() if s.supports == Action.Kind.ENDORSED]

    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, endorsement):
        return SourceSerializer(self.listing_sources(endorsement), many=True).data

    @extend_schema_field(OpenApiTypes.STR)
    def get_support(self, endorsement):
        return support_level(s.publisher_name for s in self.listing_sources(endorsement))


class CommitmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commitment
        fields = ["number", "text", "text_basis"]


class PillarSerializer(serializers.ModelSerializer):
    commitments = CommitmentSerializer(many=True)

    class Meta:
        model = Pillar
        fields = ["number", "title", "title_basis", "title_note", "commitments"]


class ForumRefSerializer(serializers.ModelSerializer):
    url = PageURLField()

    class Meta:
        model = Forum
        fields = ["name", "acronym", "slug", "url"]


class DeclarationSerializer(serializers.ModelSerializer):
    url = PageURLField()
    pillars = PillarSerializer(many=True)
    forums = ForumRefSerializer(many=True)

    class Meta:
        model = Declaration
        fields = [
            "title",
            "short_name",
            "slug",
            "url",
            "launched_on",
            "text_url",
            "announcement_url",
            "summary",
            "grouping_basis",
            "structure_note",
            "pillars",
            "forums",
        ]


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="participant.name")
    slug = serializers.SlugField(source="participant.slug")
    url = serializers.SerializerMethodField(help_text="The participant's page on this site.")

    class Meta:
        model = ForumMembership
        fields = ["name", "slug", "url", "since", "since_precision", "until"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, membership):
        return self.context["request"].build_absolute_uri(membership.participant.get_absolute_url())


class ForumSerializer(serializers.ModelSerializer):
    url = PageURLField()
    members = MemberSerializer(
        source="current_members", many=True, help_text="Members today (empty without a list)."
    )

    class Meta:
        model = Forum
        fields = [
            "name",
            "acronym",
            "slug",
            "kind",
            "website",
            "description",
            "has_member_list",
            "url",
            "members",
        ]


class RegionSerializer(serializers.ModelSerializer):
    url = PageURLField(help_text="The list of participants in this region.")

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "url"]
        # The model says a top region has none (null).
        extra_kwargs = {"parent": {"read_only": True, "help_text": "Its parent's M49 code."}}


class TimelinePointSerializer(serializers.Serializer):
    date = serializers.DateField()
    endorsers = serializers.IntegerField(help_text="Endorsers in the selection by that day.")


@extend_schema_serializer(many=False)  # the "list" of its view is one object
class TimelineSerializer(serializers.Serializer):
    declaration = serializers.SlugField(allow_null=True, help_text="Null: none is recorded.")
    as_of = serializers.DateField()
    points = TimelinePointSerializer(many=True)


class TallySerializer(serializers.Serializer):
    endorsers = serializers.IntegerField(
        help_text="Endorsers at the end of the day, disputed ones included (see /methods/)."
    )
    disputed = serializers.IntegerField(help_text="How many of the endorsers are disputed.")
    participants = serializers.IntegerField(help_text="Participants compared, endorsers or not.")


class FiguresSerializer(serializers.Serializer):
    def get_fields(self):  # "from" is a word Python keeps for itself
        return {
            "from": TallySerializer(help_text="At the end of the first day."),
            "to": TallySerializer(help_text="At the end of the second day."),
        }


class ChangeSourceSerializer(serializers.Serializer):
    url = serializers.URLField()
    title = serializers.CharField(allow_null=True)
    kind = serializers.ChoiceField(choices=Source.Kind.choices)
    publisher = serializers.CharField(allow_null=True)
    published_on = serializers.DateField(allow_null=True)
    accessed_on = serializers.DateField(allow_null=True)
    archive_url = serializers.URLField(allow_null=True)
    quote = serializers.CharField(allow_null=True)


class ChangeSerializer(serializers.Serializer):
    """An action between the two days, as ``data.comparison.change_record`` builds it."""

    change = serializers.ChoiceField(choices=Action.Kind.choices, help_text="What happened.")
    date = serializers.DateField(help_text="The day it happened.")
    date_precision = serializers.ChoiceField(choices=Endorsement.DatePrecision.choices)
    name = serializers.CharField()
    slug = serializers.SlugField()
    url = serializers.URLField(help_text="The participant's page on this site.")
    iso_alpha2 = serializers.CharField(allow_null=True)
    iso_alpha3 = serializers.CharField(allow_null=True)
    entity_type = serializers.ChoiceField(choices=Participant.EntityType.choices)
    region_code = serializers.CharField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    subregion_code = serializers.CharField(allow_null=True)
    subregion = serializers.CharField(allow_null=True)
    event = serializers.CharField(allow_null=True, help_text="Where it was announced.")
    note = serializers.CharField(allow_null=True)
    sources = ChangeSourceSerializer(many=True, help_text="The sources of this action.")


@extend_schema_serializer(many=False)
class ComparisonSerializer(serializers.Serializer):
    declaration = serializers.SlugField()
    rule = serializers.CharField(help_text="Which actions are listed, and how figures count.")
    figures = FiguresSerializer()
    results = ChangeSerializer(many=True, help_text="The actions, in the page's order.")

    def get_fields(self):
        fields = super().get_fields()
        return {
            "declaration": fields.pop("declaration"),
            "from": serializers.DateField(help_text="From the end of this day (excluded)."),
            "to": serializers.DateField(help_text="To the end of this day (included)."),
            **fields,
        }


class ParticipantFilterBackend(DjangoFilterBackend):
    """django-filter's backend, keeping the filterset on the view for its date."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


class RecordFilter(ParticipantFilter):
    """The parameters of one participant's record: which declaration, on which day."""

    @classmethod
    def get_filters(cls):
        return {n: f for n, f in super().get_filters().items() if n in ("declaration", "as_of")}


class ParticipantViewSet(viewsets.ReadOnlyModelViewSet):
    """Participants, filtered exactly as the /participants/ page filters them."""

    queryset = Participant.objects.all()
    serializer_class = ParticipantSerializer
    filter_backends = [ParticipantFilterBackend]
    lookup_field = "slug"

    @property
    def filterset_class(self):
        return ParticipantFilter if self.action == "list" else RecordFilter

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return attach_related(page, on=self.filterset.on_date)

    def get_object(self):
        """One participant as it stood on ``as_of``, even if it had not endorsed by then."""
        self.filter_queryset(self.get_queryset())  # validates the parameters: 400 if bad
        participant = get_object_or_404(self.filterset.selection(), slug=self.kwargs["slug"])
        attach_related([participant], on=self.filterset.on_date)
        return participant


class EndorsementViewSet(viewsets.ReadOnlyModelViewSet):
    """Every dated, sourced endorsement, earliest first: of the participants the list's
    parameters choose, each of its declarations unless one is chosen."""

    queryset = (
        Endorsement.objects.select_related("participant", "declaration", "event")
        .prefetch_related("sources", Prefetch("actions", Action.objects.select_related("event")))
        .order_by("endorsed_on", "participant__name", "pk")
    )
    serializer_class = EndorsementSerializer
    filter_backends = [DjangoFilterBackend]

    @property
    def filterset_class(self):
        return EndorsementFilter if self.action == "list" else None


class DeclarationViewSet(viewsets.ReadOnlyModelViewSet):
    """Declarations with their pillars, numbered commitments and the forums they name."""

    queryset = Declaration.objects.prefetch_related("pillars__commitments", "forums")
    serializer_class = DeclarationSerializer
    lookup_field = "slug"


class ForumViewSet(viewsets.ReadOnlyModelViewSet):
    """Forums with their members today."""

    serializer_class = ForumSerializer
    lookup_field = "slug"

    def get_queryset(self):
        members = (
            ForumMembership.objects.current()
            .select_related("participant")
            .order_by("participant__name", "since")
        )
        return Forum.objects.prefetch_related(
            Prefetch("memberships", queryset=members, to_attr="current_members")
        ).order_by("name")


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """UN M49 regions, sub-regions and intermediate regions."""

    queryset = Region.objects.order_by("code")
    serializer_class = RegionSerializer


class TimelineViewSet(viewsets.GenericViewSet):
    """The number of endorsers by date, for the same parameters as the participants."""

    queryset = Participant.objects.all()
    serializer_class = TimelineSerializer
    filter_backends = [ParticipantFilterBackend]
    filterset_class = ParticipantFilter
    pagination_class = None

    def list(self, request):
        rows = self.filter_queryset(self.get_queryset())
        declaration, on = self.filterset.selected_declaration, self.filterset.on_date
        data = {
            "declaration": declaration.slug if declaration else None,
            "as_of": on,
            "points": [{"date": day, "endorsers": n} for day, n in timeline(rows, on=on)],
        }
        return Response(TimelineSerializer(data).data)


class ComparisonViewSet(viewsets.GenericViewSet):
    """What changed between the end of ``from`` and the end of ``to`` for the participants'
    parameters (declaration, region, forum, entity_type, q): the rows of /compare/."""

    queryset = Participant.objects.all()
    serializer_class = ComparisonSerializer
    filter_backends = [ParticipantFilterBackend]
    filterset_class = ComparisonFilter
    pagination_class = None

    @extend_schema(responses={200: ComparisonSerializer, 400: BAD_PARAMETERS, 404: NOT_FOUND})
    def list(self, request):
        self.filter_queryset(self.get_queryset())  # validates the parameters: 400 if bad
        if self.filterset.selected_declaration is None:
            raise NotFound(gettext("No declaration is recorded yet."))
        export = ComparisonExport(
            self.filterset, absolute=request.build_absolute_uri, export_path=request.path
        )
        data = {
            "declaration": export.comparison.declaration.slug,
            "from": export.comparison.start,
            "to": export.comparison.end,
            "rule": RULE,
            "figures": export.figures(),
            "results": export.records(),
        }
        return Response(ComparisonSerializer(data).data)
