"""The load balancer's question: can this process answer, database included? And what a
visitor or a program gets when the database does not answer, or an address leads nowhere."""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found as django_page_not_found
from django.views.defaults import server_error as django_server_error

UNAVAILABLE = gettext_noop("The record's database is not answering; please try again in a minute.")
NOT_FOUND = gettext_noop("Not found.")
RETRY_AFTER = "30"


@never_cache
def healthz(request):
    """200 when the database answers a trivial query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request, template_name="500.html"):
    """The site's 500, or a 503 when the database is what failed (an outage, a restart): a
    load balancer and a program may try again; the API answers in JSON as it always does."""
    error = sys.exc_info()[1]
    if not isinstance(error, OperationalError | InterfaceError):
        return django_server_error(request, template_name)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": gettext(UNAVAILABLE)}, status=503)
    else:
        page = loader.get_template("503.html").render({"message": gettext(UNAVAILABLE)})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = RETRY_AFTER
    response["Cache-Control"] = "no-store"
    return response


def page_not_found(request, exception, template_name="404.html"):
    """The site's 404, or under /api/ the API's own: JSON, as its schema declares."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": NOT_FOUND}, status=404)
    return django_page_not_found(request, exception, template_name)
