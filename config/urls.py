from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import LocalePrefixPattern, URLResolver, include, path
from django.urls.resolvers import RoutePattern
from django.utils.translation import gettext_lazy as _

from config.health import healthz
from data import urls as data_urls

# The editors' admin speaks of the tracker, not of Django.
admin.site.site_header = _("Declaration tracker: the editors' admin")
admin.site.site_title = _("Declaration tracker editors")
admin.site.index_title = _("The record")
admin.site.empty_value_display = "—"  # as the history pages show nothing


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; the icon is an SVG. Its address is
    looked up at request time: the static files' manifest may not exist when URLs are loaded."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def data_namespace():
    """The namespace "data": its API at one address, its outputs at their English address and
    under each other language's prefix (/fr/...), as i18n_patterns puts the pages. include()
    refuses a language prefix inside an included URLconf (LocaleMiddleware looks for one only
    at the top, where i18n_patterns below puts one, and config/languages.py reads the path
    itself), so the namespace's resolver is built here as include() would build it."""
    outputs = URLResolver(LocalePrefixPattern(prefix_default_language=False), data_urls.outputs)
    return URLResolver(
        RoutePattern(""), [*data_urls.api, outputs], app_name="data", namespace="data"
    )


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    # Before the admin's own addresses, which would take "import" for an endorsement's id.
    path("admin/signatories/endorsement/import/", include("importing.urls")),
    path("admin/", admin.site.urls),
    data_namespace(),
    # The pages, in English at their first addresses and under /ar/, /fr/... (config/languages.py).
    *i18n_patterns(
        path("", include("declaration.urls")),
        path("", include("signatories.urls")),
        prefix_default_language=False,
    ),
]

# The database failing is a 503 (HTML, or JSON under /api/), anything else the site's own 500.
handler500 = "config.health.server_error"
handler404 = "config.health.page_not_found"
