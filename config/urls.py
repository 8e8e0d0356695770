from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from config.health import healthz

# The editors' admin speaks of the tracker, not of Django.
admin.site.site_header = "Declaration tracker: the editors' admin"
admin.site.site_title = "Declaration tracker editors"
admin.site.index_title = "The record"
admin.site.empty_value_display = "—"  # as the history pages show nothing


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; the icon is an SVG. Its address is
    looked up at request time: the static files' manifest may not exist when URLs are loaded."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    # Before the admin's own addresses, which would take "import" for an endorsement's id.
    path("admin/signatories/endorsement/import/", include("importing.urls")),
    path("admin/", admin.site.urls),
    path("", include("declaration.urls")),
    path("", include("data.urls")),
    path("", include("signatories.urls")),
]

# The database failing is a 503 (HTML, or JSON under /api/), anything else the site's own 500.
handler500 = "config.health.server_error"
handler404 = "config.health.page_not_found"
