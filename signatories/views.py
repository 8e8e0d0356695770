"""Public pages: browse, filter and read the record."""

import datetime
from dataclasses import dataclass

from csp.constants import SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.clickjacking import xframe_options_sameorigin

from declaration.models import Declaration, Forum

from . import cldr, comparison, counting, figures, records
from .charts import render_region_bars
from .citation import cite_comparison, cite_list, cite_participant
from .filters import ComparisonFilter, ParticipantFilter, parameter_errors
from .history import RECENT, initial_record, participant_changes, recent_changes
from .models import Action, Endorsement, Participant, Region, Source, Status
from .names import NameIndex
from .worldmap import CHANGE_KEY, CHANGE_WORDS, UNCHANGED, render_world_map

LATEST_ENDORSEMENTS = 8


def _wide_and_narrow(render, *args, **kwargs):
    """A chart in its two layouts, one after the other: the page shows the one that fits."""
    return render(*args, **kwargs) + render(*args, **kwargs, narrow=True)


@dataclass(frozen=True)
class Step:
    """A link of the date control to the day of another change to the record."""

    day: datetime.date
    url: str


def _time_control(request, filterset):
    """The date control's steps: permalinks to the day of the previous and of the next change
    to the record (None where there is none), keeping the page's other parameters."""
    days = records.change_days(filterset.selected_declaration, on=filterset.on_date)
    previous, following = (
        day and Step(day, f"{request.path}?{filterset.dated_query(on=day)}") for day in days
    )
    return {"previous_change": previous, "next_change": following}


def home(request):
    """Headline figures, map, timeline and the latest endorsements."""
    filterset = ParticipantFilter(request.GET)
    declaration = filterset.selected_declaration
    if declaration is None:
        return render(request, "signatories/empty.html", status=200)
    everyone = filterset.selection()
    counts = counting.status_counts(everyone)
    by_kind, headline = counting.kind_tallies(counts)
    latest = (
        Endorsement.objects.of(declaration)
        .announced(on=filterset.on_date)
        .select_related("participant", "event")
        .order_by("-endorsed_on", "participant__name")[:LATEST_ENDORSEMENTS]
    )
    context = {
        "filterset": filterset,
        "declaration": declaration,
        "headline": headline,
        "by_status": {s: sum(n for (_, st), n in counts.items() if st == s) for s in Status},
        "by_type": [(label, by_kind[kind]) for kind, label in Participant.EntityType.choices],
        "latest": latest,
        "timeline_svg": figures.timeline(filterset, layouts=(False, True)),  # wide, narrow
        **_time_control(request, filterset),
    }
    return render(request, "signatories/home.html", context)


def participant_list(request):
    """The filterable list of participants, endorsed or not."""
    filterset = ParticipantFilter(request.GET)
    declaration = filterset.selected_declaration
    if declaration is None:
        return render(request, "signatories/empty.html", status=200)
    rows = records.table_rows(filterset.qs, on=filterset.on_date, link_query=filterset.as_of_query)
    rows = filterset.in_language_order(rows)
    forums = filterset.selected_forums
    shares = counting.forum_shares(forums, declaration, on=filterset.on_date) if forums else {}
    searched = filterset.form.cleaned_data.get("q")
    context = {
        "filterset": filterset,
        "declaration": declaration,
        "rows": rows,
        "shares": [(forum, shares.get(forum.pk)) for forum in forums],
        "did_you_mean": _did_you_mean(request, searched) if searched and not rows else "",
        "citation": cite_list(filterset, request.build_absolute_uri(request.path)),
        **_time_control(request, filterset),
    }
    return render(request, "signatories/participant_list.html", context)


def _did_you_mean(request, searched):
    """The names close to a search that found nothing, each a link to the same list searching
    it, joined as the language lists choices ("A, B, or C", "A、B或C")."""
    links = []
    for participant in NameIndex().suggestions(searched):
        query, name = request.GET.copy(), participant.local_name
        query["q"] = name
        links.append(format_html('<a href="?{}">{}</a>', query.urlencode(), name))
    # Each link is escaped; CLDR's joining words are text without markup.
    return mark_safe(cldr.join(links, style="or")) if links else ""


def participant_detail(request, slug):
    """One participant's record as it stood on a day (today by default): endorsements,
    sources, forums and public history."""
    participant = get_object_or_404(
        Participant.objects.select_related("region__parent__parent"), slug=slug
    )
    filterset = ParticipantFilter(request.GET)  # for as_of, validated as on every page
    on = filterset.on_date
    endorsements = [
        endorsement
        for endorsement in participant.endorsements.select_related("declaration", "event")
        .prefetch_related("sources", Prefetch("actions", Action.objects.select_related("event")))
        .order_by("declaration__launched_on")
        if endorsement.endorsed_on <= on
    ]
    for endorsement in endorsements:
        records.follow_actions(endorsement, on=on)
    endorsed = {e.declaration_id for e in endorsements}
    memberships = list(
        participant.memberships.select_related("forum").order_by("forum__acronym", "since")
    )
    not_endorsed = list(Declaration.objects.exclude(pk__in=endorsed))
    context = {
        "participant": participant,
        "filterset": filterset,
        "endorsements": endorsements,
        "not_endorsed": not_endorsed,
        "memberships": memberships,
        "alongside": records.memberships_alongside(memberships, endorsements, on=on),
        "changes": participant_changes(participant),
        "citation": cite_participant(
            participant,
            [e.declaration for e in endorsements] + not_endorsed,
            on=on,
            url=request.build_absolute_uri(participant.get_absolute_url()),
        ),
    }
    return render(request, "signatories/participant_detail.html", context)


def forum_list(request):
    """Every forum the declarations name, with how many of its members endorsed."""
    filterset = ParticipantFilter(request.GET)
    declaration = filterset.selected_declaration
    forums = list(Forum.objects.order_by("name"))
    if translation.get_language() != settings.LANGUAGE_CODE:  # by the names it shows
        forums.sort(key=lambda forum: cldr.collation_key(forum.local_name))
    shares = counting.forum_shares(forums, declaration, on=filterset.on_date)
    context = {
        "filterset": filterset,
        "declaration": declaration,
        "forums": [(forum, shares.get(forum.pk)) for forum in forums],
    }
    return render(request, "signatories/forum_list.html", context)


def forum_detail(request, slug):
    """A forum's members on a date, each with its status, and the coverage."""
    forum = get_object_or_404(Forum, slug=slug)
    data = request.GET.copy()
    if forum.has_member_list:
        data.setlist("forum", [forum.slug])
    filterset = ParticipantFilter(data)
    everyone = filterset.selection()
    rows = everyone if forum.has_member_list else everyone.none()
    rows = records.table_rows(rows, on=filterset.on_date, link_query=filterset.as_of_query)
    rows = filterset.in_language_order(rows)
    shares = counting.forum_shares([forum], filterset.selected_declaration, on=filterset.on_date)
    context = {
        "forum": forum,
        "filterset": filterset,
        "declaration": filterset.selected_declaration,
        "rows": rows,
        "share": shares.get(forum.pk),
    }
    return render(request, "signatories/forum_detail.html", context)


def region_list(request):
    """Endorsers / participants for every UN M49 region and sub-region, and for those
    without a region."""
    filterset = ParticipantFilter(request.GET)
    declaration = filterset.selected_declaration
    regions = list(Region.objects.order_by("code"))
    coverage = counting.region_coverage(
        Participant.objects.with_record(declaration, on=filterset.on_date), regions
    )
    tree = records.region_tree(regions, coverage, as_of=filterset.form.cleaned_data.get("as_of"))
    top = [node for node in tree if node.depth == 0]
    context = {
        "filterset": filterset,
        "declaration": declaration,
        "tree": tree,
        "without_region": coverage.get(None),
        "chart_svg": _wide_and_narrow(
            render_region_bars,
            [
                (node.region.local_name, node.tally.endorsers, node.tally.total, node.list_url)
                for node in top
            ],
            title=gettext("%(declaration)s endorsers by region")
            % {"declaration": declaration.short_name},
            description=gettext(
                "For each UN M49 region, how many participants endorsed and how many did not."
            ),
        ),
    }
    return render(request, "signatories/region_list.html", context)


def methods(request):
    """How every figure is counted (the words of counting.py), the sources, licence and
    citation."""
    filterset = ParticipantFilter(request.GET)
    declaration = filterset.selected_declaration
    sources = (
        Source.objects.values("url", "title")
        .annotate(endorsements=Count("endorsement", distinct=True))
        .order_by("-endorsements", "title", "url")
    )
    list_url = request.build_absolute_uri(reverse("signatories:participant-list"))
    context = {
        "filterset": filterset,
        "declaration": declaration,
        "rules": counting.RULES,
        "sources": sources,
        "citation": declaration and cite_list(filterset, list_url),
    }
    return render(request, "signatories/methods.html", context)


BAD_BEFORE = gettext_noop("“{value}” is not a date and time; showing the latest changes.")


def changes(request):
    """The latest changes to the public record, newest first; never who made them."""
    before, problem = None, None
    if value := request.GET.get("before"):
        try:
            before = datetime.datetime.fromisoformat(value)
        except ValueError:
            problem = gettext(BAD_BEFORE).format(value=value[:40])
        else:
            if before.tzinfo is None:
                before = before.replace(tzinfo=datetime.UTC)
    rows = recent_changes(before=before)
    context = {
        "changes": rows,
        "initial_record": initial_record(),
        "before": before,
        "problem": problem,
        "older": rows[-1].when.isoformat() if len(rows) == RECENT else None,
    }
    return render(request, "signatories/changes.html", context, status=400 if problem else 200)


# Embedded in our own pages with <object>: framing by this site only, in both headers.
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def world_map(request):
    """The world map alone, as an SVG file, for the same parameters as the list; with
    ``caption=1``, captioned for a report."""
    return _figure_svg(request, "map")


@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def timeline(request):
    """The number of endorsers over time, as an SVG file, for the same parameters as the list;
    with ``caption=1``, captioned for a report."""
    return _figure_svg(request, "timeline")


def _figure_svg(request, name):
    filterset = ParticipantFilter(request.GET)
    declaration = filterset.selected_declaration
    if declaration is None:
        return HttpResponse(gettext("No declaration is recorded yet."), status=404)
    if request.GET.get("caption") == "1":
        # A figure for a report says its selection: it never drops a bad parameter silently.
        if filterset.errors:
            text = "\n".join(parameter_errors(filterset)) + "\n"
            return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
        citation = cite_list(filterset, request.build_absolute_uri(request.path))
        svg = figures.captioned_figure(name, filterset, citation=citation)
    elif name == "map":  # as the pages embed it, its legend left to the page on a phone
        svg = figures.world_map(filterset, stylesheet=static("css/map.css"))
    else:
        svg = figures.timeline(filterset)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    filename = f"{declaration.slug}-{name}-{filterset.on_date:%Y-%m-%d}.svg"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def compare(request):
    """What changed in the world between two days for the list's selection: who endorsed,
    came under dispute, had a dispute resolved or withdrew, with the sources of each, and the
    figures at both ends."""
    filterset = ComparisonFilter(request.GET)
    declaration = filterset.selected_declaration
    if declaration is None:
        return render(request, "signatories/empty.html", status=200)
    context = {"filterset": filterset, "declaration": declaration}
    if filterset.errors:
        context["problems"] = parameter_errors(filterset)
        return render(request, "signatories/compare.html", context, status=400)
    query = filterset.permalink_query()
    context |= {
        "comparison": comparison.compare(filterset),
        "rule": comparison.RULE,
        "defaults": filterset.defaults_said(),
        "selection": filterset.describe(),
        "query": query,
        "participant_query": f"?as_of={filterset.end.isoformat()}",
        "citation": cite_comparison(filterset, request.build_absolute_uri(request.path)),
    }
    return render(request, "signatories/compare.html", context)


@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def compare_map(request):
    """The comparison as a world map: each participant coloured by its latest action between
    the two days, the others muted."""
    filterset = ComparisonFilter(request.GET)
    declaration = filterset.selected_declaration
    if declaration is None:
        return HttpResponse(gettext("No declaration is recorded yet."), status=404)
    if filterset.errors:
        text = "\n".join(parameter_errors(filterset)) + "\n"
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    start, end = filterset.start, filterset.end
    selected = set(filterset.selection().values_list("pk", flat=True))
    actions = comparison.actions_between(declaration, start, end, sources=False)
    entries = comparison.map_entries(
        Participant.objects.order_by("name"),
        selected,
        actions,
        link_query=f"?as_of={end.isoformat()}",
    )
    off_map = [
        gettext("%(name)s: %(status)s (not on the map)")
        % {"name": e.name, "status": CHANGE_WORDS[e.status]}
        for e in entries
        if not e.code and not e.muted and e.status != UNCHANGED
    ]
    where = "; ".join(filterset.describe()) or gettext("all participants")
    svg = render_world_map(
        entries,
        title=gettext(
            "Map of what changed in %(declaration)s endorsements between %(start)s and %(end)s"
        )
        % {
            "declaration": declaration.short_name,
            "start": date_format(start),
            "end": date_format(end),
        },
        description=gettext(
            "Each participant coloured by its latest action after the end of the first day "
            "and by the end of the second: endorsed, came under dispute, dispute resolved or "
            "withdrew; the others are drawn pale. Selection: %(selection)s. The comparison "
            "page lists the same changes with their sources."
        )
        % {"selection": where},
        legend_extra=off_map,
        key=CHANGE_KEY,
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    name = f"{declaration.slug}-changes-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.svg"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
