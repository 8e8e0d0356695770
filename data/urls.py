"""Data for programs and reports: the list's exports, a comparison's, the list's figures as
images, embeds, the feed and the JSON API.

``outputs`` are read by people too (labels, dates, names), so each language has them under its
prefix, as it has the pages; the ``api`` speaks one language at one address. config/urls.py
puts both in the one namespace "data".
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import api
from .feeds import EndorsementsFeed
from .views import (
    comparison_export,
    datapackage,
    embed,
    figure_png,
    participants_export,
    participants_pdf,
)

router = DefaultRouter()
router.register("participants", api.ParticipantViewSet, basename="participant")
router.register("endorsements", api.EndorsementViewSet, basename="endorsement")
router.register("declarations", api.DeclarationViewSet, basename="declaration")
router.register("forums", api.ForumViewSet, basename="forum")
router.register("regions", api.RegionViewSet, basename="region")
router.register("timeline", api.TimelineViewSet, basename="timeline")
router.register("compare", api.ComparisonViewSet, basename="compare")

outputs = [
    path("participants/export.csv", participants_export, {"fmt": "csv"}, name="export-csv"),
    path("participants/export.xlsx", participants_export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("participants/export.json", participants_export, {"fmt": "json"}, name="export-json"),
    path("participants/export.pdf", participants_pdf, name="export-pdf"),
    path("participants/datapackage.json", datapackage, name="datapackage"),
    path("compare/export.csv", comparison_export, {"fmt": "csv"}, name="compare-csv"),
    path("compare/export.json", comparison_export, {"fmt": "json"}, name="compare-json"),
    path("map.png", figure_png, {"name": "map"}, name="map-png"),
    path("timeline.png", figure_png, {"name": "timeline"}, name="timeline-png"),
    path("embed/map/", embed, {"kind": "map"}, name="embed-map"),
    path("embed/figures/", embed, {"kind": "figures"}, name="embed-figures"),
    path("feeds/endorsements.atom", EndorsementsFeed(), name="feed"),
]

api = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        # The page and its script are two responses, so no inline script is needed (CSP).
        SpectacularSwaggerSplitView.as_view(template_name="api/docs.html", url_name="data:schema"),
        name="docs",
    ),
    path("api/", include(router.urls)),
]
