"""Security glue the packages leave to the project: the client's address, a read-only site."""

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.urls import reverse


def client_ip(request):
    """The address django-axes throttles: the one our proxy appended, else the socket's peer."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        # Only the right-most entry is trustworthy: the proxy appends it, a client writes the rest.
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


class PublicReadOnlyMiddleware:
    """Outside the admin nothing is writable: other methods than GET, HEAD, OPTIONS get 405."""

    SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        if request.method not in self.SAFE_METHODS and not request.path.startswith(
            self.admin_prefix
        ):
            return HttpResponseNotAllowed(self.SAFE_METHODS)
        return self.get_response(request)
