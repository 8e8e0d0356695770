"""The API's pages (DRF's ``DEFAULT_PAGINATION_CLASS``)."""

import re

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 1000
BAD_PAGE_SIZE = f"Enter a whole number of results from 1 to {MAX_PAGE_SIZE}."


class Pages(PageNumberPagination):
    """Pages of 100 results, or of ``page_size`` (1 to 1000); a page past the end is a 404."""

    page_size_query_param = "page_size"
    page_size_query_description = "Results a page (default 100, at most 1000)."
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param, "")
        if value == "":
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,4}", value) or not 1 <= int(value) <= MAX_PAGE_SIZE:
            raise ValidationError({self.page_size_query_param: [BAD_PAGE_SIZE]})
        return int(value)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["allowEmptyValue"] = True  # the first page, of the default size
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(maximum=MAX_PAGE_SIZE, default=self.page_size)
        return parameters
