"""django-simple-history's admin pages in the editors' words.

simple-history shows raw values: "withdrawn", "None", an id, "True". Here each value is read
through its model field, so a field added later is shown the same way with no change here: its
verbose name as the label, a choice's label, a related object by its name, dates as 29 April
2022 (the DATE_FORMAT of config/formats), Yes or No, and "—" for nothing.
"""

import dataclasses
import datetime

from django.contrib.admin.utils import label_for_field
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from .models import Endorsement

EMPTY = "—"
YES, NO = "Yes", "No"


def readable_value(value, field=None):
    """A field's value (or any value, without its field) as an editor reads it."""
    if isinstance(value, DeletedObject):
        return EMPTY if value.pk is None else str(value)
    if isinstance(field, models.BooleanField) or isinstance(value, bool):
        return EMPTY if value is None else (YES if value else NO)
    if value is None or value == "" or value == []:
        return EMPTY
    if field is not None and field.flatchoices:
        # A value no longer among the choices is still shown, as it was stored.
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.template_localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, list | tuple):  # a many-to-many field's related objects
        return ", ".join(readable_value(item) for item in value)
    return str(value)


def model_field(model, name):
    """The model's field called ``name`` (or with that column, e.g. ``event_id``), or None."""
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def record_value(record, field):
    """A field of a history row; a related object that is gone is said to be deleted."""
    try:
        return getattr(record, field.name)
    except ObjectDoesNotExist:
        return DeletedObject(field.related_model, getattr(record, field.attname))


class ReadableChanges(HistoricalRecordContextHelper):
    """The "Changes" of a history row: labels and values read through the model's fields, in
    the order of the model's fields rather than simple-history's alphabetical one."""

    def context_for_delta_changes(self, delta):
        order = {field.name: index for index, field in enumerate(self.model._meta.get_fields())}
        changes = sorted(delta.changes, key=lambda change: order.get(change.field, len(order)))
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        return readable_value(value, self.model._meta.get_field(change.field))


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    """A model admin with simple-history's history pages, told in the editors' words."""

    object_history_list_template = "admin/signatories/object_history_list.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version, to read. Reverting would write around the services (their rules,
        the actions, the history's reason), so it is off (SIMPLE_HISTORY_REVERT_DISABLED) and
        a POST here is refused: a correction is made in the record's own form."""
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def render_history_view(self, request, template, context, **kwargs):
        if "page_obj" in context:  # the list of history rows, not one row's form
            columns = context["history_list_display"]
            context["history_columns"] = [self.history_label(name) for name in columns]
            for record in context["page_obj"]:
                record.history_title = str(self.history_object(record))
                record.history_cells = [self.history_cell(record, name) for name in columns]
        return super().render_history_view(request, template, context, **kwargs)

    def history_object(self, record):
        """The object as the row saw it, with the related objects read with the row, so that
        naming it (``__str__``) queries nothing more."""
        instance = record.history_object
        for field in self.model._meta.concrete_fields:
            if field.is_relation and field.is_cached(record):
                field.set_cached_value(instance, field.get_cached_value(record))
        return instance

    def history_label(self, name):
        """The heading of a column of ``history_list_display``."""
        field = model_field(self.model, name)
        if field is not None:
            return capfirst(field.verbose_name)
        return capfirst(label_for_field(name, self.model, self))

    def history_cell(self, record, name):
        """A history row's value in a column of ``history_list_display``."""
        field = model_field(self.model, name)
        if field is not None:
            return readable_value(record_value(record, field), field)
        return readable_value(getattr(record, name))  # set by simple-history from our method


def import_changes(reason):
    """The endorsement history rows an import wrote, by participant, each with the changes it
    made: ``[(row, changes)]``, ``changes`` as the history page shows them (empty for new)."""
    related = [field.name for field in Endorsement._meta.concrete_fields if field.is_relation]
    written = Endorsement.history.filter(history_change_reason=reason)
    rows = (
        Endorsement.history.filter(id__in=written.values("id"))
        .select_related(*related)
        .order_by("id", "history_date", "history_id")
    )
    result, previous = [], {}
    for row in rows:
        before = previous.get(row.id)
        previous[row.id] = row
        if row.history_change_reason != reason:
            continue
        changes = []
        if row.history_type == "~" and before is not None:
            delta = row.diff_against(before, foreign_keys_are_objs=True)
            changes = ReadableChanges(Endorsement, row).context_for_delta_changes(delta)
        result.append((row, changes))
    result.sort(key=lambda item: item[0].participant.name)
    return result
