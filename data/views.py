"""Downloads of the participants list and of a comparison between two dates (the same
parameters and rows as their pages, as files), the list's figures as images, and the pages
another site may frame."""

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from config.languages import in_language
from signatories import counting, figures
from signatories.citation import LICENCE_URL, cite_list
from signatories.filters import ComparisonFilter, ParticipantFilter, parameter_errors

from . import comparison, report
from . import datapackage as package
from .exports import FORMATS, ParticipantsExport, download_name
from .figures import FigureSize, png

NO_DECLARATION = gettext_noop("No declaration is recorded yet.")
# Read by programs: the same bytes at every language's address (the English ones, with the
# English addresses in them). The XLSX file, the PDF and the figures are read by people.
MACHINE_READABLE = {"csv", "json"}


def bad_parameters(*forms):
    """A plain 400 answer naming each bad parameter (of the filters and of any other form)."""
    text = "\n".join(line for form in forms for line in parameter_errors(form)) + "\n"
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


DRAWING_UNAVAILABLE = gettext_noop(
    "This server cannot draw the {what}: its system libraries are missing (Debian: apt-get "
    "install libpango-1.0-0 libpangoft2-1.0-0 libcairo2 fonts-dejavu-core). The CSV, XLSX, "
    "JSON and SVG downloads work.\n"
)


def drawing_unavailable(what):
    """503: the PDF report or the PNG figures need Pango and Cairo, which this server lacks."""
    return HttpResponse(
        gettext(DRAWING_UNAVAILABLE).format(what=what),
        status=503,
        content_type="text/plain; charset=utf-8",
    )


def no_declaration():
    return HttpResponse(
        gettext(NO_DECLARATION), status=404, content_type="text/plain; charset=utf-8"
    )


def cite_links(citation):
    """The HTTP ``Link`` header of a file that cannot say in words how to cite it."""
    return f'<{citation.permalink}>; rel="cite-as", <{LICENCE_URL}>; rel="license"'


def written_in(language, build, request, *args):
    """``build(request, *args, path)``'s response with ``language`` active, ``path`` the
    request's address in that language: for files MACHINE_READABLE, English (its words and
    addresses) whichever language's address asked. Streamed content is written in it too."""
    path = translate_url(request.path, language)
    with translation.override(language):
        response = build(request, *args, path)
    if response.streaming:
        response.streaming_content = in_language(response.streaming_content, language)
    return response


@require_safe
def participants_export(request, fmt):
    """The rows of /participants/ for the same parameters, streamed as CSV, XLSX or JSON."""
    language = settings.LANGUAGE_CODE if fmt in MACHINE_READABLE else translation.get_language()
    return written_in(language, _participants_export, request, fmt)


def _participants_export(request, fmt, path):
    filterset = ParticipantFilter(request.GET)
    if filterset.errors:
        return bad_parameters(filterset)
    if filterset.selected_declaration is None:
        return no_declaration()
    export = ParticipantsExport(
        filterset,
        absolute=request.build_absolute_uri,
        query=request.GET.urlencode(),
        export_path=path,
    )
    content_type, write = FORMATS[fmt]
    if request.method == "HEAD":  # the headers only: no need to read the rows
        response = HttpResponse(content_type=content_type)
    else:
        response = StreamingHttpResponse(write(export), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, export.filename(fmt))
    response["Link"] = export.links(fmt)
    return response


@require_safe
def comparison_export(request, fmt):
    """The rows of /compare/ for the same parameters, as CSV or JSON."""
    return written_in(settings.LANGUAGE_CODE, _comparison_export, request, fmt)


def _comparison_export(request, fmt, path):
    filterset = ComparisonFilter(request.GET)
    if filterset.errors:
        return bad_parameters(filterset)
    if filterset.selected_declaration is None:
        return HttpResponse(NO_DECLARATION, status=404, content_type="text/plain; charset=utf-8")
    export = comparison.ComparisonExport(
        filterset, absolute=request.build_absolute_uri, export_path=path
    )
    content_type, write = comparison.FORMATS[fmt]
    response = HttpResponse(write(export), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, export.filename(fmt))
    response["Link"] = export.links()
    return response


@require_safe
def participants_pdf(request):
    """The view of /participants/ for the same parameters as a PDF report (``paper``: a4 or
    letter): its selection, figures, map, rows, methods, sources and citation."""
    filterset, options = ParticipantFilter(request.GET), report.ReportOptions(request.GET)
    if filterset.errors or options.errors:
        return bad_parameters(filterset, options)
    if filterset.selected_declaration is None:
        return no_declaration()
    query = request.GET.copy()
    query.pop("paper", None)
    export = ParticipantsExport(
        filterset,
        absolute=request.build_absolute_uri,
        query=query.urlencode(),
        export_path=request.path,
    )
    if request.method == "HEAD":  # the headers only: nothing to lay out
        response = HttpResponse(content_type="application/pdf")
    else:
        try:
            pdf = report.write_pdf(export, page_size=options.page_size)
        except OSError:  # Pango or its fonts are not installed
            return drawing_unavailable("PDF")
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, export.filename("pdf"))
    response["Link"] = export.links("pdf")
    return response


@require_safe
def figure_png(request, name):
    """A figure of the view ("map" or "timeline") with its caption, as a PNG ``width`` pixels
    wide (400 to 3000, default 1200): what ``/map.svg?caption=1`` draws, rasterised."""
    filterset, size = ParticipantFilter(request.GET), FigureSize(request.GET)
    if filterset.errors or size.errors:
        return bad_parameters(filterset, size)
    if filterset.selected_declaration is None:
        return no_declaration()
    citation = cite_list(filterset, request.build_absolute_uri(request.path))
    if request.method == "HEAD":
        response = HttpResponse(content_type="image/png")
    else:
        svg = figures.captioned_figure(
            name, filterset, citation=citation, width=size.cleaned_data["width"]
        )
        try:
            response = HttpResponse(png(svg), content_type="image/png")
        except OSError:  # Cairo is not installed
            return drawing_unavailable("PNG")
    filename = download_name(filterset, "png", what=name)
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Link"] = cite_links(citation)
    return response


# Made to be framed by any site: their own framing policy, no cookies, links out to _top.
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@require_safe
def embed(request, kind):
    """The map ("map") or the figures, map and timeline ("figures") of a view, alone on a
    page that another site may put in an <iframe>, with a link back to the full view."""
    filterset = ParticipantFilter(request.GET)
    if filterset.errors:
        return bad_parameters(filterset)
    declaration = filterset.selected_declaration
    if declaration is None:
        return no_declaration()
    list_url = request.build_absolute_uri(reverse("signatories:participant-list"))
    context = {
        "kind": kind,
        "filterset": filterset,
        "declaration": declaration,
        "selection": figures.selection_words(filterset),
        "map_svg": figures.world_map(filterset),
        "full_view": f"{list_url}?{filterset.dated_query()}",
        "citation": cite_list(filterset, list_url),
    }
    if kind == "figures":
        _, context["headline"] = counting.kind_tallies(
            counting.status_counts(filterset.selection())
        )
        context["timeline_svg"] = figures.timeline(filterset)
    return render(request, "data/embed.html", context)


@require_safe
def datapackage(request):
    """The data dictionary of the CSV download: a Frictionless Data Package descriptor."""
    return written_in(settings.LANGUAGE_CODE, _datapackage, request)


def _datapackage(request, path):
    declaration = ParticipantFilter().selected_declaration
    if declaration is None:
        return no_declaration()
    absolute = request.build_absolute_uri
    descriptor = package.descriptor(
        declaration,
        csv_url=absolute(reverse("data:export-csv")),
        list_url=absolute(reverse("signatories:participant-list")),
        methods_url=absolute(reverse("signatories:methods")),
    )
    return JsonResponse(descriptor, json_dumps_params={"indent": 2, "ensure_ascii": False})
