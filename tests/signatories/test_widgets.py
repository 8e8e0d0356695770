"""The filter form's widgets write exactly the HTML of Django's templates."""

import pytest
from django import forms
from django.http import QueryDict

from signatories import widgets
from signatories.filters import ParticipantFilter

pytestmark = pytest.mark.django_db

EVIL = "<b>\"Ünïcode\" & 'quotes'</b>"
CHOICES = [("", "Any"), ("a", "Alpha"), ("b", EVIL), (None, "None at all"), (3, "Three")]


def django_html(widget, *args, **kwargs):
    """The same widget rendered by Django's own class and templates."""
    stock = forms.Select if isinstance(widget, forms.Select) else forms.CheckboxSelectMultiple
    twin = stock(attrs=widget.attrs, choices=list(widget.choices))
    twin.is_required = widget.is_required
    return twin.render(*args, **kwargs)


@pytest.mark.parametrize("value", [None, "", "a", "b", 3, "missing", ["a", "b"]])
@pytest.mark.parametrize("attrs", [None, {"id": "id_x"}, {"id": "id_x", "aria-invalid": "true"}])
def test_select(value, attrs):
    widget = widgets.Select(choices=CHOICES)
    assert widget.render("x", value, attrs) == django_html(widget, "x", value, attrs)


def test_select_selects_only_the_first_match():
    widget = widgets.Select(choices=[("", "Any"), ("", "Any again")])
    html = widget.render("x", "", {"id": "id_x"})
    assert html.count("selected") == 1 and html == django_html(widget, "x", "", {"id": "id_x"})


@pytest.mark.parametrize("value", [None, [], ["a"], ["a", "b", 3], ["missing"]])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_x"}, {"id": "id_x", "class": "boxes", "disabled": True}]
)
def test_checkboxes(value, attrs):
    widget = widgets.CheckboxSelectMultiple(choices=CHOICES)
    assert widget.render("x", value, attrs) == django_html(widget, "x", value, attrs)


def test_grouped_choices_fall_back_to_the_templates():
    grouped = [("Letters", [("a", "Alpha"), ("b", "Beta")]), ("c", "Gamma")]
    attrs = {"id": "id_x"}
    for kind in (widgets.Select, widgets.CheckboxSelectMultiple):
        widget = kind(choices=grouped)
        assert widget.render("x", "a", attrs) == django_html(widget, "x", "a", attrs)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "region=150&status=endorsed&status=none&forum=g7&forum=g20&entity_type=state&sort=-name",
        "declaration=nope&region=999&status=bad&forum=nope&sort=nope&as_of=nonsense",
    ],
)
def test_the_filter_form_is_unchanged(query):
    """Every field of the real form, with and without errors, as Django would render it."""
    form = ParticipantFilter(QueryDict(query)).form
    form.is_valid()
    for field in form:
        ours = field.as_field_group()
        widget = field.field.widget
        if isinstance(widget, widgets.Select | widgets.CheckboxSelectMultiple):
            widget.__class__ = widget.__class__.__mro__[1]  # Django's own class
        stock = forms.BoundField(form, field.field, field.name)  # and Django's templates
        assert ours == stock.as_field_group(), field.name


class SampleForm(forms.Form):
    bound_field_class = widgets.BoundField
    text = forms.CharField(label=EVIL, help_text="<i>Help</i> & more")
    question = forms.CharField(label="Why?", required=False, label_suffix=" &")
    boxes = forms.MultipleChoiceField(
        choices=CHOICES[1:3], widget=forms.CheckboxSelectMultiple, help_text="Tick"
    )
    unlabelled = forms.CharField(label="", required=False)


@pytest.mark.parametrize("auto_id", ["id_%s", False])
@pytest.mark.parametrize("data", [None, {"question": "x"}])
def test_field_groups_and_labels(auto_id, data):
    """BoundField writes what django/forms/field.html and label.html write."""
    form = SampleForm(data, auto_id=auto_id)
    for field in form:
        stock = forms.BoundField(form, field.field, field.name)
        assert field.as_field_group() == stock.as_field_group(), field.name
        assert field.label_tag() == stock.label_tag(), field.name
        assert field.legend_tag(attrs={"class": "x"}) == stock.legend_tag(attrs={"class": "x"})
        assert field.label_tag(label_suffix="") == stock.label_tag(label_suffix="")


def test_query_choices_read_once(django_assert_num_queries):
    form = ParticipantFilter(QueryDict("")).form
    with django_assert_num_queries(1):
        form["declaration"].as_widget()
        form["declaration"].as_widget()
    assert '<option value="dfi">DFI</option>' in form["declaration"].as_widget()
