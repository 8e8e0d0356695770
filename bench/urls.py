"""The site's addresses plus /bench/ceiling, a view that does nothing: the server's ceiling."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site


def ceiling(request):
    """The cheapest answer a Django view can give through the whole middleware stack."""
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [path("bench/ceiling", ceiling, name="bench-ceiling"), *site]
