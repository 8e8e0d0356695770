from django.urls import path

from . import views

app_name = "declaration"

urlpatterns = [
    path("declarations/<slug:slug>/", views.declaration_detail, name="detail"),
]
