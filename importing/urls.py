from django.contrib import admin
from django.urls import path

from . import views

app_name = "importing"

urlpatterns = [
    path("", admin.site.admin_view(views.import_endorsements), name="import"),
]
