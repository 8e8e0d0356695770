"""The API's OpenAPI schema: drf-spectacular writes it from the views, their serializers and
the FilterSet; this adds what it cannot see there: the errors each operation answers (400
naming the bad parameters, 404), and what the form fields know about a parameter's values.

It is built from the code alone, never from the data (the page cache keeps it by the code's
version): a parameter whose values are rows of the record (a region's code, a forum's slug)
gets an example and the address that lists them, and a value the record lacks is a 400."""

import re

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

# A parameter whose values the record holds: an example, and where they are all listed.
LISTED = {
    "declaration": ("dfi", "/api/declarations/ lists their slugs; default dfi."),
    "region": ("150", "A UN M49 code (150 is Europe); /api/regions/ lists them."),
    "forum": ("g7", "A forum's slug; /api/forums/ lists them (those with a member list)."),
    "participant": ("Norway", "/api/participants/?q= finds a name."),
}


class ParameterErrorsSerializer(serializers.Serializer):
    """What a 400 answers: each bad parameter, with what was wrong with its value."""


class NotFoundSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What was not found (“Invalid page.” past the end).")


class ParameterErrorsExtension(OpenApiSerializerExtension):
    target_class = ParameterErrorsSerializer

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "description": ParameterErrorsSerializer.__doc__,
            "additionalProperties": build_array_type(build_basic_type(OpenApiTypes.STR)),
            "example": {"region": ["No UN M49 region has the code “999”."]},
        }


BAD_PARAMETERS = OpenApiResponse(ParameterErrorsSerializer, description="A bad parameter.")
NOT_FOUND = OpenApiResponse(NotFoundSerializer, description="No such record, or page.")


class APISchema(AutoSchema):
    """drf-spectacular's schema, with the errors an operation answers: 400 when it takes query
    parameters, 404 when its address names a record or it has pages."""

    def get_filter_backends(self):
        # A view's filterset_class says, action by action, which parameters it reads (one
        # participant's record reads its declaration and day).
        return getattr(self.view, "filter_backends", [])

    def get_response_serializers(self):
        found = super().get_response_serializers()
        responses = dict(found) if isinstance(found, dict) else {200: found}
        paged = self.view.action == "list" and self._get_paginator() is not None
        if paged or self._get_filter_parameters():
            responses.setdefault(400, BAD_PARAMETERS)
        if paged or "{" in self.path:
            responses.setdefault(404, NOT_FOUND)
        return responses


class FilterSetParameters(DjangoFilterExtension):
    """drf-spectacular's reading of the FilterSet, with what each form field knows: that an empty
    value is none, its longest value and the characters it refuses; and, for values the record
    holds, an example and where they are listed."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        field = filter_field.field
        for parameter in parameters:
            parameter["allowEmptyValue"] = True  # an empty value is no value, as on the pages
            schema = parameter["schema"]
            value = schema.get("items", schema)
            if getattr(field, "max_length", None):
                value["maxLength"] = field.max_length
            for validator in field.validators:
                refused = getattr(validator, "regex", None)
                if refused and validator.inverse_match and re.fullmatch(r"\[.+\]", refused.pattern):
                    value["pattern"] = f"^[^{refused.pattern[1:-1]}]*$"
            if field_name in LISTED:
                example, where = LISTED[field_name]
                parameter["example"] = [example] if schema.get("type") == "array" else example
                said = parameter.get("description")
                parameter["description"] = f"{said}. {where}" if said else where
        return parameters
