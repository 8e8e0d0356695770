"""Downloads of the participants list: the same parameters and rows as the page, as files."""

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from signatories.filters import ParticipantFilter, parameter_errors

from . import datapackage as package
from .exports import FORMATS, ParticipantsExport

NO_DECLARATION = "No declaration is recorded yet."


def bad_parameters(filterset):
    """A plain 400 answer naming each bad parameter."""
    text = "\n".join(parameter_errors(filterset)) + "\n"
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


@require_safe
def participants_export(request, fmt):
    """The rows of /participants/ for the same parameters, streamed as CSV, XLSX or JSON."""
    filterset = ParticipantFilter(request.GET)
    if filterset.errors:
        return bad_parameters(filterset)
    if filterset.selected_declaration is None:
        return HttpResponse(NO_DECLARATION, status=404, content_type="text/plain; charset=utf-8")
    export = ParticipantsExport(
        filterset,
        absolute=request.build_absolute_uri,
        query=request.GET.urlencode(),
        export_path=request.path,
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
def datapackage(request):
    """The data dictionary of the CSV download: a Frictionless Data Package descriptor."""
    declaration = ParticipantFilter().selected_declaration
    if declaration is None:
        return HttpResponse(NO_DECLARATION, status=404, content_type="text/plain; charset=utf-8")
    absolute = request.build_absolute_uri
    descriptor = package.descriptor(
        declaration,
        csv_url=absolute(reverse("data:export-csv")),
        list_url=absolute(reverse("signatories:participant-list")),
        methods_url=absolute(reverse("signatories:methods")),
    )
    return JsonResponse(descriptor, json_dumps_params={"indent": 2, "ensure_ascii": False})
