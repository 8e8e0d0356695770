from django.urls import path

from . import views

app_name = "signatories"

urlpatterns = [
    path("", views.home, name="home"),
    path("participants/", views.participant_list, name="participant-list"),
    path("participants/<slug:slug>/", views.participant_detail, name="participant-detail"),
    path("forums/", views.forum_list, name="forum-list"),
    path("forums/<slug:slug>/", views.forum_detail, name="forum-detail"),
    path("regions/", views.region_list, name="region-list"),
    path("changes/", views.changes, name="changes"),
    path("methods/", views.methods, name="methods"),
    path("map.svg", views.world_map, name="map"),
    path("compare/", views.compare, name="compare"),
    path("compare/map.svg", views.compare_map, name="compare-map"),
    path("timeline.svg", views.timeline, name="timeline"),
]
