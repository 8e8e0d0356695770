"""The editors' admin. Every write of endorsements and sources goes through ``services``."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import TextField
from django.forms import Textarea
from django.forms.models import BaseInlineFormSet
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from declaration.models import Declaration

from . import quality, services
from .admin_history import ReadableHistoryAdmin, import_changes
from .filters import region_choices
from .forms import BAD_DATE, DATE_HELP, WithdrawalForm
from .models import (
    Action,
    Endorsement,
    Event,
    ForumMembership,
    ImportBatch,
    Participant,
    Region,
    Source,
)

# The reason the history rows keep (stored, so in English).
BULK_WITHDRAWAL = "Withdrawal recorded for {count} endorsement{s} at once"
WITHDRAWN = ngettext_lazy(
    "%(count)s endorsement withdrawn on %(day)s.",
    "%(count)s endorsements withdrawn on %(day)s.",
    "count",
)


class ReadOnlyAdmin:
    """Records that editors read here and change elsewhere (or never)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TypedDates:
    """Date fields say how a date is typed (config/formats: YYYY-MM-DD), and say it again when
    one is mistyped."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(formfield, forms.DateField):
            said = formfield.help_text
            formfield.help_text = format_lazy("{} {}", said, _(DATE_HELP)) if said else _(DATE_HELP)
            formfield.error_messages["invalid"] = _(BAD_DATE)
            formfield.widget.attrs.setdefault("placeholder", "YYYY-MM-DD")
        return formfield


class RegionFilter(admin.SimpleListFilter):
    """Filter by an M49 region, including every region below it."""

    title = _("region (UN M49)")
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
    """The sources of the endorsement's form, given to ``services.save_endorsement``."""

    def clean(self):
        super().clean()
        try:
            services.check_sources(self.sources(), self.instance_action_kinds())
        except ValidationError as error:
            raise ValidationError(error.message_dict["sources"]) from None

    def instance_action_kinds(self):
        """The kinds of action the endorsement's form gives dates for."""
        return [action.kind for action in self.actions()]

    def actions(self):
        """The actions the endorsement's form says, from its dates."""
        instance = self.instance
        existing = instance.actions.all() if instance.pk else ()
        return services.actions_of_record(instance, existing, dates_only=True)

    def sources(self):
        """The sources the editor kept, in the order of their positions."""
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("url")
            and not form.cleaned_data.get("DELETE")
        ]
        kept.sort(key=lambda form: form.cleaned_data.get("position") or 0)
        return [
            services.SourceInput(
                url=form.cleaned_data["url"],
                title=form.cleaned_data.get("title") or "",
                pk=form.instance.pk,
                supports=form.cleaned_data.get("supports") or Action.Kind.ENDORSED,
                evidence={
                    name: form.cleaned_data.get(name)
                    for name in services.EVIDENCE_FIELDS
                    if name in form.cleaned_data
                },
            )
            for form in kept
        ]


class SourceInline(TypedDates, admin.StackedInline):
    """Each source says which action it is evidence of, and what it is."""

    model = Source
    formset = SourceFormSet
    extra = 1
    fieldsets = [
        (None, {"fields": ["supports", "url", "title", "position"]}),
        (
            _("Evidence"),
            {
                "fields": [
                    ("kind", "publisher"),
                    ("published_on", "accessed_on"),
                    "archive_url",
                    "quote",
                ]
            },
        ),
    ]
    formfield_overrides = {TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 60})}}

    # Sources are part of their endorsement: who may record or change one edits its sources.
    def has_add_permission(self, request, obj=None):
        return any(
            request.user.has_perm(f"signatories.{action}_endorsement")
            for action in ("add", "change")
        )

    has_change_permission = has_delete_permission = has_add_permission


class ForumMembershipInline(TypedDates, admin.TabularInline):
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
class ParticipantAdmin(ReadableHistoryAdmin):
    list_display = ["name", "iso_alpha2", "iso_alpha3", "entity_type", "un_member", "region"]
    list_filter = [RegionFilter, "entity_type", "un_member", "un_observer"]
    search_fields = ["name", "iso_name", "iso_alpha2", "iso_alpha3", "search_name"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["region"]
    inlines = [ForumMembershipInline]
    history_list_display = ["iso_alpha2", "region"]


@admin.register(Event)
class EventAdmin(TypedDates, admin.ModelAdmin):
    list_display = ["name", "held_on", "place", "declaration"]
    list_filter = ["declaration"]
    search_fields = ["name", "place"]
    date_hierarchy = "held_on"


class EndorsementForm(forms.ModelForm):
    """The endorsement with the dates of its actions; the status is read from them."""

    def clean(self):
        cleaned = super().clean()
        for name in ("withdrawn_on", "disputed_on", "dispute_resolved_on"):
            setattr(self.instance, name, cleaned.get(name))
        self.instance.status = self.instance.status_from_dates()
        return cleaned


@admin.register(Endorsement)
class EndorsementAdmin(TypedDates, ReadableHistoryAdmin):
    form = EndorsementForm
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
        (
            _("Dispute and withdrawal"),
            {
                "fields": ["status", "disputed_on", "dispute_resolved_on", "withdrawn_on"],
                "description": _(
                    "Each is an action in the world, dated: give its day and, "
                    "below, at least one source marked as its evidence. The status follows."
                ),
            },
        ),
        (_("Context"), {"fields": ["event", "note", "actions_list"]}),
    ]
    readonly_fields = ["status", "actions_list"]
    history_list_display = ["status", "endorsed_on", "disputed_on", "withdrawn_on"]
    actions = ["withdraw_selected"]

    @admin.action(
        description=_("Record the withdrawal of the selected endorsements"),
        permissions=["change"],
    )
    def withdraw_selected(self, request, queryset):
        """One date for several withdrawals: all are recorded, or none if one is refused."""
        queryset = queryset.select_related("participant", "declaration")
        endorsements = list(queryset)
        form = WithdrawalForm(request.POST if "withdrawn_on" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                services.withdraw_endorsements(
                    endorsements=endorsements,
                    withdrawn_on=form.cleaned_data["withdrawn_on"],
                    sources=[form.source()],
                    note=form.cleaned_data["note"],
                    user=request.user,
                    reason=BULK_WITHDRAWAL.format(
                        count=len(endorsements), s="" if len(endorsements) == 1 else "s"
                    ),
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
                endorsements = list(queryset)  # as they are: nothing was written
            else:
                count = len(endorsements)
                self.message_user(
                    request,
                    WITHDRAWN
                    % {
                        "count": count,
                        "day": date_format(form.cleaned_data["withdrawn_on"]),
                    },
                    messages.SUCCESS,
                )
                return None
        context = self.page_context(
            request,
            gettext("Record withdrawals"),
            form=form,
            endorsements=endorsements,
            action_checkbox_name=admin.helpers.ACTION_CHECKBOX_NAME,
        )
        return TemplateResponse(
            request,
            "admin/signatories/endorsement/withdraw.html",
            context,
            status=400 if form.errors else 200,
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("quality/", view(self.quality_view), name="signatories_endorsement_quality"),
            *super().get_urls(),
        ]

    def page_context(self, request, title, **extra):
        """The context of an admin page of ours beside the model's own pages."""
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "has_view_permission": True,
            **extra,
        }

    def save_model(self, request, obj, form, change):
        """Nothing yet: the endorsement is written with its sources, in ``save_related``."""

    @admin.display(description=_("actions"))
    def actions_list(self, endorsement):
        """The endorsement's dated actions, as the public pages show them."""
        if not endorsement.pk:
            return "—"
        return render_to_string(
            # Not "actions.html": the admin's own template for the actions bar has that name.
            "admin/signatories/endorsement/dated_actions.html",
            {"actions": endorsement.actions.select_related("event")},
        )

    def save_related(self, request, form, formsets, change):
        [sources] = formsets
        sources.save(commit=False)  # writes nothing: works out the changes the admin logs
        services.save_endorsement(
            endorsement=form.instance,
            sources=sources.sources(),
            actions=sources.actions(),
            user=request.user,
        )

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Sources and actions go with their endorsement (their own admins are read-only).
        perms_needed.discard(Source._meta.verbose_name)
        perms_needed.discard(Action._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        services.delete_endorsements(endorsements=[obj], user=request.user)

    def delete_queryset(self, request, queryset):
        services.delete_endorsements(endorsements=queryset, user=request.user)

    def quality_view(self, request):
        """What needs attention: thin sourcing, disputes, missing facts, sources by site."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = self.page_context(
            request,
            gettext("Data quality"),
            single_source=quality.single_source_endorsements(),
            unsourced_actions=quality.actions_without_a_source(),
            disputed=quality.disputed_endorsements(),
            missing_facts=quality.participants_missing_facts(),
            domains=quality.sources_by_domain(),
        )
        return TemplateResponse(request, "admin/signatories/endorsement/quality.html", context)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "declaration" not in initial:
            latest = Declaration.objects.order_by("-launched_on").first()
            if latest:
                initial["declaration"] = latest.pk
        return initial


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin, ReadableHistoryAdmin):
    """Every source, to search and read; each is edited on its endorsement's page."""

    list_display = ["url", "title", "endorsement", "position"]
    search_fields = ["url", "title", "endorsement__participant__name"]
    list_select_related = ["endorsement__participant", "endorsement__declaration"]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin, ReadableHistoryAdmin):
    """Every dated action, to search and read; each is recorded on its endorsement's page."""

    list_display = ["endorsement", "kind", "taken_on", "date_precision", "event"]
    list_filter = ["kind", "endorsement__declaration"]
    search_fields = ["endorsement__participant__name", "note"]
    date_hierarchy = "taken_on"
    list_select_related = ["endorsement__participant", "endorsement__declaration", "event"]


@admin.register(ForumMembership)
class ForumMembershipAdmin(TypedDates, ReadableHistoryAdmin):
    list_display = ["participant", "forum", "since_display", "until", "source_url"]
    list_filter = ["forum", "since_precision", ("until", admin.EmptyFieldListFilter)]
    search_fields = ["participant__name", "forum__acronym", "note"]
    autocomplete_fields = ["participant"]
    list_select_related = ["participant", "forum"]

    @admin.display(description=_("since"), ordering="since")
    def since_display(self, obj):
        return obj.since_display


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Confirmed imports, read-only: each lists the history rows it wrote."""

    list_display = ["__str__", "declaration", "created_at", "created_by", "new", "changed"]
    list_filter = ["declaration"]
    date_hierarchy = "created_at"
    fields = [
        "declaration",
        "filename",
        "sha256",
        "created_at",
        "created_by",
        "rows",
        "new",
        "changed",
        "unchanged",
        "changes",
    ]
    readonly_fields = fields

    @admin.display(description=_("history rows written"))
    def changes(self, batch):
        rows = import_changes(batch.reason)
        return render_to_string("admin/signatories/importbatch/changes.html", {"rows": rows})
