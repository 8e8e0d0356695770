from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from declaration.models import Declaration

from .filters import region_choices
from .models import (
    SOURCE_REQUIRED,
    Endorsement,
    Event,
    ForumMembership,
    Participant,
    Region,
    Source,
)


class RegionFilter(admin.SimpleListFilter):
    """Filter by an M49 region, including every region below it."""

    title = "region (UN M49)"
    parameter_name = "region"
    participant_path = ""

    def lookups(self, request, model_admin):
        return region_choices()

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        ids = Participant.objects.in_region(self.value()).values("pk")
        return queryset.filter(**{f"{self.participant_path}pk__in": ids})


class EndorsementRegionFilter(RegionFilter):
    participant_path = "participant__"


class SourceFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and form.cleaned_data.get("url")
            and not form.cleaned_data.get("DELETE")
        ]
        if not kept:
            raise ValidationError(SOURCE_REQUIRED)


class SourceInline(admin.TabularInline):
    model = Source
    formset = SourceFormSet
    extra = 1
    fields = ["url", "title", "position"]


class ForumMembershipInline(admin.TabularInline):
    model = ForumMembership
    extra = 0
    fields = ["forum", "since", "since_precision", "until", "source_url", "note"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    ordering = ["code"]


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["name", "iso_alpha2", "iso_alpha3", "entity_type", "un_member", "region"]
    list_filter = [RegionFilter, "entity_type", "un_member", "un_observer"]
    search_fields = ["name", "iso_name", "iso_alpha2", "iso_alpha3", "search_name"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["region"]
    inlines = [ForumMembershipInline]
    history_list_display = ["iso_alpha2", "region"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "held_on", "place", "declaration"]
    list_filter = ["declaration"]
    search_fields = ["name", "place"]
    date_hierarchy = "held_on"


@admin.register(Endorsement)
class EndorsementAdmin(SimpleHistoryAdmin):
    list_display = [
        "participant",
        "declaration",
        "endorsed_on",
        "date_precision",
        "status",
        "withdrawn_on",
        "event",
    ]
    list_filter = [
        "declaration",
        "status",
        EndorsementRegionFilter,
        "participant__entity_type",
        "date_precision",
        "endorsed_on",
        "event",
    ]
    search_fields = ["participant__name", "participant__iso_alpha2", "note", "sources__url"]
    autocomplete_fields = ["participant"]
    date_hierarchy = "endorsed_on"
    list_select_related = ["participant", "declaration", "event"]
    inlines = [SourceInline]
    fieldsets = [
        (None, {"fields": ["participant", "declaration", "endorsed_on", "date_precision"]}),
        ("Status", {"fields": ["status", "withdrawn_on"]}),
        ("Context", {"fields": ["event", "note"]}),
    ]
    history_list_display = ["status", "endorsed_on", "withdrawn_on"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "declaration" not in initial:
            latest = Declaration.objects.order_by("-launched_on").first()
            if latest:
                initial["declaration"] = latest.pk
        return initial


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["url", "title", "endorsement", "position"]
    search_fields = ["url", "title", "endorsement__participant__name"]
    list_select_related = ["endorsement__participant", "endorsement__declaration"]
    autocomplete_fields = ["endorsement"]


@admin.register(ForumMembership)
class ForumMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["participant", "forum", "since_display", "until", "source_url"]
    list_filter = ["forum", "since_precision", ("until", admin.EmptyFieldListFilter)]
    search_fields = ["participant__name", "forum__acronym", "note"]
    autocomplete_fields = ["participant"]
    list_select_related = ["participant", "forum"]

    @admin.display(description="since", ordering="since")
    def since_display(self, obj):
        return obj.since_display
