"""The filter form's choice widgets and fields, writing Django's own markup in Python.

Django renders each option through two or three templates (django/forms/widgets/select.html,
multiple_input.html and the templates they include): with a few hundred declarations in the
"Declaration" list that was most of the time of every page with the filter form. These widgets
write the same HTML, byte for byte, with one string join, and BoundField does the same for each
field's label, help text and errors (django/forms/field.html and label.html);
tests/signatories/test_widgets.py compares them with Django's.
"""

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext


def _text(value):
    return conditional_escape(value if isinstance(value, str) else str(value))


def _attrs(attrs):
    """As django/forms/widgets/attrs.html."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _flat(choices):
    """The choices as (value, label) pairs, or None when they have groups."""
    pairs = [("" if value is None else value, label) for value, label in choices]
    return None if any(isinstance(label, list | tuple) for _, label in pairs) else pairs


class Select(forms.Select):
    """A <select>, as Django's template writes it."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = _flat(self.choices)
        if choices is None:
            return super().render(name, value, attrs, renderer)
        wanted = set(self.format_value(value))
        options, found = [], False
        for option_value, label in choices:
            selected = (not found or self.allow_multiple_selected) and str(option_value) in wanted
            found |= selected
            options.append(
                f'\n  <option value="{_text(option_value)}"{" selected" if selected else ""}>'
                f"{_text(label)}</option>\n"
            )
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        select = f'<select name="{_text(name)}"{_attrs(attrs)}>'
        return mark_safe(f"{select}{''.join(options)}\n</select>")


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """A list of checkboxes, as Django's template writes it."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = _flat(self.choices)
        if choices is None:
            return super().render(name, value, attrs, renderer)
        wanted = set(self.format_value(value))
        attrs = self.build_attrs(self.attrs, attrs)
        boxes = []
        for index, (option_value, label) in enumerate(choices):
            option_attrs = dict(attrs)
            if "id" in option_attrs:
                option_attrs["id"] = self.id_for_label(option_attrs["id"], index)
            if str(option_value) in wanted:
                option_attrs.update(self.checked_attribute)
            label_for = f' for="{_text(option_attrs["id"])}"' if option_attrs.get("id") else ""
            boxes.append(
                f'<div>\n    <label{label_for}><input type="{self.input_type}" name="{_text(name)}"'
                f' value="{_text(option_value)}"{_attrs(option_attrs)}>\n {_text(label)}</label>'
                "\n\n</div>"
            )
        id_ = f' id="{_text(attrs["id"])}"' if attrs.get("id") else ""
        class_ = f' class="{_text(attrs["class"])}"' if attrs.get("class") else ""
        return mark_safe(f"<div{id_}{class_}>{''.join(boxes)}\n</div>")


class QueryChoices(BaseChoiceIterator):
    """(value, label) pairs read with one ordinary query the first time they are needed.

    A ModelChoiceField reads its choices through a server-side cursor (three round trips on
    PostgreSQL), and again each time the widget looks at them.
    """

    def __init__(self, queryset, choice):
        self.queryset, self.choice, self.choices = queryset, choice, None

    def __iter__(self):
        if self.choices is None:
            self.choices = [self.choice(obj) for obj in self.queryset]
        return iter(self.choices)


class BoundField(forms.BoundField):
    """A field as django/forms/field.html and label.html write it (the form's bound_field_class)."""

    def as_field_group(self):
        if self.use_fieldset:
            aria = self.aria_describedby
            aria = f' aria-describedby="{_text(aria)}"' if aria else ""
            head = f"\n  <fieldset{aria}>\n  {self.legend_tag() if self.label else ''}\n"
        else:
            head = f"\n  {self.label_tag() if self.label else ''}\n"
        help_text = ""
        if self.help_text:
            id_ = f' id="{_text(self.auto_id)}_helptext"' if self.auto_id else ""
            help_text = f'<div class="helptext"{id_}>{self.help_text}</div>'
        errors = self.errors.render() if self.errors else ""
        end = "</fieldset>" if self.use_fieldset else ""
        # Django's renderer strips what the template writes.
        return mark_safe(f"{head}\n{help_text}\n{errors}\n{self}{end}\n".strip())

    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        if hasattr(self.form, "required_css_class"):
            return super().label_tag(contents, attrs, label_suffix, tag)
        contents = contents or self.label
        if label_suffix is None:
            label_suffix = (
                self.field.label_suffix
                if self.field.label_suffix is not None
                else self.form.label_suffix
            )
        text = _text(contents)
        # Only add the suffix if the label does not end in punctuation (as Django does).
        if label_suffix and contents and contents[-1] not in gettext(":?.!"):
            text += _text(label_suffix)
        id_ = self.field.widget.attrs.get("id") or self.auto_id
        if not id_:
            return mark_safe(text)
        id_for_label = self.field.widget.id_for_label(id_)
        if id_for_label:
            attrs = {**(attrs or {}), "for": id_for_label}
        tag = tag or "label"
        return mark_safe(f"<{tag}{_attrs(attrs or {})}>{text}</{tag}>")
