from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from declaration.models import Declaration

from . import pending, quality
from .filters import region_choices
from .forms import ImportForm, WithdrawalForm
from .importing import PlanOutdated, apply_import, fingerprint, plan_import
from .models import (
    SOURCE_REQUIRED,
    Endorsement,
    Event,
    ForumMembership,
    ImportBatch,
    Participant,
    Region,
    Source,
)
from .services import withdraw_endorsement

ALREADY_WITHDRAWN = "{participant} was already withdrawn; nothing was changed."
BULK_WITHDRAWAL = "Withdrawal recorded for {count} endorsements at once"
WITHDRAWN = "{count} endorsement{s} withdrawn on {day:%-d %B %Y}."
UPLOAD_AGAIN = "The uploaded file is no longer available: upload it again."
IMPORTED = "{reason} applied: {summary}."


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
    actions = ["withdraw_selected"]

    @admin.action(
        description="Record the withdrawal of the selected endorsements", permissions=["change"]
    )
    def withdraw_selected(self, request, queryset):
        """One date for several withdrawals: all are recorded, or none if one is refused."""
        endorsements = list(queryset.select_related("participant", "declaration"))
        form = WithdrawalForm(request.POST if "withdrawn_on" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                with transaction.atomic():
                    for endorsement in endorsements:
                        if endorsement.status == Endorsement.Status.WITHDRAWN:
                            raise ValidationError(
                                ALREADY_WITHDRAWN.format(participant=endorsement.participant)
                            )
                        endorsement._change_reason = BULK_WITHDRAWAL.format(count=len(endorsements))
                        withdraw_endorsement(
                            endorsement=endorsement,
                            withdrawn_on=form.cleaned_data["withdrawn_on"],
                            note=form.cleaned_data["note"],
                        )
            except ValidationError as error:
                who = endorsement.participant
                for message in error.messages:
                    form.add_error(
                        None, f"{who}: {message}" if str(who) not in message else message
                    )
            else:
                count = len(endorsements)
                self.message_user(
                    request,
                    WITHDRAWN.format(
                        count=count,
                        s="" if count == 1 else "s",
                        day=form.cleaned_data["withdrawn_on"],
                    ),
                    messages.SUCCESS,
                )
                return None
        context = self._context(
            request,
            "Record withdrawals",
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
            path("import/", view(self.import_view), name="signatories_endorsement_import"),
            path("quality/", view(self.quality_view), name="signatories_endorsement_quality"),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "has_view_permission": True,
            **extra,
        }

    def import_view(self, request):
        """Upload a file, see what importing it would do, then confirm: all rows or none."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if request.method == "POST" and "pending" in request.POST:
            return self._confirm_import(request)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            declaration = form.cleaned_data["declaration"]
            upload = form.cleaned_data["file"]
            content = upload.read()
            plan = plan_import(declaration, upload.name, content)
            return self._preview(request, form, plan, content)
        return TemplateResponse(
            request,
            "admin/signatories/endorsement/import.html",
            self._context(request, "Import endorsements", form=form),
            status=400 if form.errors else 200,
        )

    def _preview(self, request, form, plan, content, token=None):
        signed = None
        if not plan.has_errors:
            token = token or pending.keep(request.user, content)
            signed = signing.dumps(
                {
                    "token": token,
                    "filename": plan.filename,
                    "declaration": plan.declaration.pk,
                    "fingerprint": fingerprint(plan),
                },
                salt="import",
            )
        context = self._context(
            request,
            "Import endorsements: preview",
            form=form,
            plan=plan,
            pending=signed,
            counts=plan.counts,
            problems=plan.all_problems,
        )
        return TemplateResponse(
            request,
            "admin/signatories/endorsement/import.html",
            context,
            status=400 if plan.has_errors else 200,
        )

    def _confirm_import(self, request):
        try:
            data = signing.loads(request.POST["pending"], salt="import", max_age=pending.MAX_AGE)
            declaration = Declaration.objects.get(pk=data["declaration"])
        except (signing.BadSignature, KeyError, TypeError, Declaration.DoesNotExist):
            data, declaration = {}, None
        content = pending.fetch(request.user, data.get("token")) if declaration else None
        if content is None:
            self.message_user(request, UPLOAD_AGAIN, messages.ERROR)
            return redirect("admin:signatories_endorsement_import")
        try:
            batch, plan = apply_import(
                declaration,
                data["filename"],
                content,
                user=request.user,
                expected=data["fingerprint"],
            )
        except PlanOutdated as outdated:
            self.message_user(request, str(outdated), messages.WARNING)
            form = ImportForm(initial={"declaration": declaration})
            return self._preview(request, form, outdated.plan, content, token=data["token"])
        pending.forget(request.user, data["token"])
        self.message_user(
            request, IMPORTED.format(reason=batch.reason, summary=plan.summary()), messages.SUCCESS
        )
        return redirect("admin:signatories_importbatch_change", batch.pk)

    def quality_view(self, request):
        """What needs attention: thin sourcing, disputes, missing facts, sources by site."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = self._context(
            request,
            "Data quality",
            single_source=quality.single_source_endorsements(),
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


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="history rows written")
    def changes(self, batch):
        rows = (
            Endorsement.history.filter(history_change_reason=batch.reason)
            .select_related("participant")
            .order_by("participant__name")
        )
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a>: {}</li>',
            (
                (
                    reverse("admin:signatories_endorsement_history", args=[row.id]),
                    row.participant.name,
                    "new" if row.history_type == "+" else "changed",
                )
                for row in rows
            ),
        )
        return format_html("<ul>{}</ul>", items) if items else "—"
