from django.contrib import admin
from django.urls import include, path

from config.health import healthz

# The editors' admin speaks of the tracker, not of Django.
admin.site.site_header = "Declaration tracker: the editors' admin"
admin.site.site_title = "Declaration tracker editors"
admin.site.index_title = "The record"
admin.site.empty_value_display = "—"  # as the history pages show nothing

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Before the admin's own addresses, which would take "import" for an endorsement's id.
    path("admin/signatories/endorsement/import/", include("importing.urls")),
    path("admin/", admin.site.urls),
    path("", include("declaration.urls")),
    path("", include("data.urls")),
    path("", include("signatories.urls")),
]
