"""The one FilterSet behind the participants list, its exports, the map, the feed and the API,
its comparison between two dates and the endorsements of the participants it chooses."""

import datetime

import django_filters
from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.choices import CallableChoiceIterator
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from declaration.models import Declaration, Forum

from . import cldr, names, records
from .models import Endorsement, ForumMembership, Participant, Region, Status

DEFAULT_DECLARATION = "dfi"
SORTS = {
    "name": (gettext_lazy("Name, A to Z"), ["name"]),
    "-name": (gettext_lazy("Name, Z to A"), ["-name"]),
    "endorsed_on": (gettext_lazy("Endorsed, earliest first"), ["endorsed_on", "name"]),
    "-endorsed_on": (gettext_lazy("Endorsed, latest first"), ["-endorsed_on", "name"]),
    "region": (gettext_lazy("Region"), ["region_sort", "name"]),
}
# Texts a visitor sees (marked for translation; gettext() them where they are said).
UNKNOWN_REGION = gettext_noop("No UN M49 region has the code “%(value)s”.")
UNKNOWN_DECLARATION = gettext_noop("No declaration has the short name “%(value)s”.")
UNKNOWN_FORUM = gettext_noop("No forum has the short name “%(value)s”.")
BAD_DATE = gettext_noop("Enter a date as YYYY-MM-DD, e.g. 2022-04-28.")
CONTROL_CHARACTERS = gettext_noop(
    "A name has no control characters (such as tab or escape); type it as text."
)
DATES_REVERSED = gettext_noop("The “endorsed after” date is later than the “endorsed before” date.")
FROM_AFTER_TO = gettext_noop("The “from” date is later than the “to” date.")
AFTER_TODAY = gettext_noop("%(day)s is after today: the record holds nothing later.")
FROM_DEFAULT = gettext_noop(
    "No “from” date was given: the comparison starts at the end of %(day)s."
)
FROM_DEFAULT_LAUNCH = gettext_noop(
    "No “from” date was given: the comparison starts at the end of %(day)s, the day before "
    "the %(declaration)s was launched."
)
TO_DEFAULT = gettext_noop(
    "No “to” date was given: the comparison ends at the end of today, %(day)s."
)
# Control characters are no part of a name, and XML (the feed, the map) cannot hold them.
NO_CONTROL_CHARACTERS = RegexValidator(
    r"[\x00-\x1f\x7f]", gettext_lazy(CONTROL_CHARACTERS), inverse_match=True
)
# The parameters of the list a comparison keeps: who is compared, not the day or the status.
COMPARED = ("declaration", "q", "region", "entity_type", "forum")
# The parameters of the list that choose participants (the others choose their endorsements).
WHO = ("q", "region", "entity_type", "forum")


class ReadOnce(CallableChoiceIterator):
    """Choices from a query, read the first time a field needs them, then kept for the request.

    Django's fields call a callable's query again each time they look at its choices (to
    validate, then to render), and never when they need not: the API reads no list of forums
    for a request without ``forum``.
    """

    def __iter__(self):
        return iter(self.read())

    def __len__(self):
        return len(self.read())

    def read(self):
        if not hasattr(self, "choices"):
            self.choices = list(super().__iter__())
        return self.choices


class ChoicesField(django_filters.fields.MultipleChoiceField):
    """Boxes to tick. An empty value (a hand-typed ``forum=``) ticks none, as a form with none
    ticked sends nothing: it is no error."""

    def to_python(self, value):
        return [choice for choice in super().to_python(value) if choice != ""]


class MultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = ChoicesField


class ParticipantField(forms.CharField):
    """One participant, by its address name (``norway``) or any name it goes by or its ISO code,
    case and accents ignored (``Norway``, ``cote d'ivoire``, ``NOR``)."""

    default_validators = [NO_CONTROL_CHARACTERS]

    def __init__(self, **kwargs):
        super().__init__(max_length=100, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        participant, message = names.find_participant(text)
        if participant is None:
            raise forms.ValidationError(message)
        return participant


class ParticipantChoiceFilter(django_filters.CharFilter):
    field_class = ParticipantField


class ParticipantFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("endorsed_after"), cleaned.get("endorsed_before")
        if after and before and after > before:
            self.add_error("endorsed_before", gettext(DATES_REVERSED))
        return cleaned


class DateInput(forms.DateInput):
    input_type = "date"


def date_filter(label, lookup_expr=None, method=None, help_text=""):
    return django_filters.DateFilter(
        label=label,
        field_name="endorsed_on",
        lookup_expr=lookup_expr or "exact",
        method=method,
        input_formats=["%Y-%m-%d"],
        widget=DateInput,
        error_messages={"invalid": gettext_lazy(BAD_DATE)},
        help_text=help_text,
    )


class ParticipantFilter(django_filters.FilterSet):
    declaration = django_filters.ChoiceFilter(
        label=gettext_lazy("Declaration"),
        choices=lambda: Declaration.objects.values_list("slug", "short_name"),  # see __init__
        method="filter_declaration",
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy(UNKNOWN_DECLARATION)},
    )
    q = django_filters.CharFilter(
        label=gettext_lazy("Name"),
        method="filter_name",
        max_length=100,
        validators=[NO_CONTROL_CHARACTERS],
        help_text=gettext_lazy(
            "A name or part of one, former and common names too (Turkey, UK), or an ISO "
            "code (GB); accents and case are ignored."
        ),
    )
    region = django_filters.ChoiceFilter(
        label=gettext_lazy("Region"),
        choices=lambda: region_choices(),  # see __init__
        method="filter_region",
        empty_label=gettext_lazy("Any region"),
        error_messages={"invalid_choice": gettext_lazy(UNKNOWN_REGION)},
    )
    status = MultipleChoiceFilter(
        label=gettext_lazy("Status"),
        help_text=gettext_lazy(
            "None ticked: every participant that has endorsed (a name search looks "
            "through every participant)."
        ),
        choices=Status.choices,
        field_name="status_on",
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("“%(value)s” is not a status.")},
    )
    entity_type = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind of participant"),
        choices=Participant.EntityType.choices,
        empty_label=gettext_lazy("Any kind"),
        error_messages={
            "invalid_choice": gettext_lazy("“%(value)s” is not a kind of participant.")
        },
    )
    forum = MultipleChoiceFilter(
        label=gettext_lazy("Member of"),
        choices=lambda: Forum.objects.filter(has_member_list=True).values_list("slug", "acronym"),
        method="filter_forum",
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy(UNKNOWN_FORUM)},
    )
    endorsed_after = date_filter(gettext_lazy("Endorsed on or after"), lookup_expr="gte")
    endorsed_before = date_filter(gettext_lazy("Endorsed on or before"), lookup_expr="lte")
    as_of = date_filter(
        gettext_lazy("Record as of"),
        method="keep",
        help_text=gettext_lazy("The record as it stood at the end of that day."),
    )
    sort = django_filters.ChoiceFilter(
        label=gettext_lazy("Sort by"),
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        method="keep",
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("“%(value)s” is not a way to sort.")},
    )

    class Meta:
        model = Participant
        fields = []
        form = ParticipantFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data if data is not None else {}, *args, **kwargs)
        for name in {"declaration", "region", "forum"} & set(self.filters):
            self.form.fields[name].choices = ReadOnce(self.filters[name].extra["choices"])

    # Values kept for the whole list rather than filtered on one by one (the type hints name
    # the parameters' types in the API's schema).
    def keep(self, queryset, name, value):
        return queryset

    def filter_declaration(self, queryset, name, value: str):
        return queryset

    @property
    def selected_declaration(self):
        """The declaration the statuses refer to: the one asked for, or the default."""
        if not hasattr(self, "_declaration"):
            self.errors  # noqa: B018 - validate once so cleaned_data is there
            slug = self.form.cleaned_data.get("declaration") or DEFAULT_DECLARATION
            self._declaration = (
                Declaration.objects.filter(slug=slug).first()
                or Declaration.objects.order_by("-launched_on").first()
            )
        return self._declaration

    @property
    def on_date(self):
        self.errors  # noqa: B018
        return self.form.cleaned_data.get("as_of") or timezone.localdate()

    @property
    def as_of_query(self):
        """``?as_of=...`` when the record is shown as of a chosen day, for links onwards (a
        participant's page, the map's countries) to show the same day; else empty."""
        self.errors  # noqa: B018
        as_of = self.form.cleaned_data.get("as_of")
        return f"?as_of={as_of.isoformat()}" if as_of else ""

    @property
    def sort_key(self):
        self.errors  # noqa: B018
        return self.form.cleaned_data.get("sort") or "name"

    @property
    def shows_endorsers_only(self):
        """With no status chosen, the list shows those that endorsed, unless searching by name."""
        self.errors  # noqa: B018
        data = self.form.cleaned_data
        return not data.get("status") and not data.get("q")

    def filter_queryset(self, queryset):
        queryset = self.selection(queryset)
        if self.shows_endorsers_only:
            queryset = queryset.exclude(status_on=Status.NONE)
        return queryset

    def selection(self, queryset=None):
        """Every participant the explicit filters select, non-endorsers included, sorted."""
        declaration = self.selected_declaration
        queryset = self.queryset.all() if queryset is None else queryset
        if declaration is None:
            return queryset.none()
        queryset = queryset.with_record(declaration, on=self.on_date).select_related(
            "region__parent__parent"
        )
        queryset = super().filter_queryset(queryset)
        ordering = order_by(SORTS[self.sort_key][1])
        if self.form.cleaned_data.get("q") and not self.form.cleaned_data.get("sort"):
            ordering.insert(0, F("exact_name").asc())  # what the search names whole, first
        return queryset.annotate(region_sort=F("region__name")).order_by(*ordering)

    def in_language_order(self, rows):
        """The rows of ``records.table_rows`` in this list's order, on the names of the active
        language (the query's order is the English names')."""
        data = self.form.cleaned_data
        exact_first = bool(data.get("q")) and not data.get("sort")
        return records.in_language_order(rows, self.sort_key, exact_first=exact_first)

    def filter_name(self, queryset, name, value):
        return names.search(queryset, value)

    @property
    def selected_forums(self):
        """The forums chosen with ``forum``, as Forum objects (none chosen: an empty list)."""
        self.errors  # noqa: B018
        slugs = self.form.cleaned_data.get("forum")
        return list(Forum.objects.filter(slug__in=slugs).order_by("name")) if slugs else []

    def filter_region(self, queryset, name, value: str):
        return queryset.in_region(value) if value else queryset

    def filter_forum(self, queryset, name, value: list[str]):
        if not value:
            return queryset
        members = ForumMembership.objects.filter(forum__slug__in=value).current(on=self.on_date)
        return queryset.filter(pk__in=members.values("participant"))

    def valid_query(self):
        """The query string less the parameters that failed validation, for links onwards."""
        data = self.data.copy()
        for name in self.errors:
            data.pop(name, None)
        return data.urlencode()

    def kept_parameters(self):
        """The valid, non-empty parameters but ``as_of``, as ``(name, value)`` pairs: what a
        move to another day keeps (the date control's hidden inputs)."""
        return [
            (name, value)
            for name, values in self.data.lists()
            if name in self.filters and name not in self.errors and name != "as_of"
            for value in values
            if value
        ]

    def dated_query(self, on=None):
        """The valid, non-empty parameters with the day of the record made explicit
        (``as_of``, last; the day shown unless ``on`` is given): an address that shows the
        same rows on any later day."""
        data = QueryDict(mutable=True)
        for name, value in self.kept_parameters():
            data.appendlist(name, value)
        data["as_of"] = (on or self.on_date).isoformat()
        return data.urlencode()

    def compared_inputs(self):
        """``(name, value)`` of the valid parameters a comparison keeps (``COMPARED``), for the
        hidden inputs of a form that starts one from this page."""
        return [
            (name, value)
            for name, values in self.data.lists()
            if name in COMPARED and name not in self.errors
            for value in values
            if value
        ]

    def describe(self):
        """The filters applied, in words, for print headers and export metadata."""
        self.errors  # noqa: B018
        data = self.form.cleaned_data
        parts = []
        if data.get("q"):
            parts.append(gettext("name contains “%(name)s”") % {"name": data["q"]})
        if data.get("region"):
            region = dict(self.form.fields["region"].choices)[data["region"]].strip()
            parts.append(gettext("in %(region)s") % {"region": region})
        if data.get("status"):
            statuses = cldr.join(  # "endorsed or disputed", as the language says
                [str(Status(s).label).lower() for s in data["status"]], style="or"
            )
            parts.append(gettext("status: %(statuses)s") % {"statuses": statuses})
        if data.get("entity_type"):
            label = str(Participant.EntityType(data["entity_type"]).label)
            parts.append(label[0].lower() + label[1:])  # "state (UN member or observer)"
        if data.get("forum"):
            acronyms = dict(self.form.fields["forum"].choices)
            forums = cldr.join([acronyms[slug] for slug in data["forum"]], style="or")
            parts.append(gettext("member of %(forums)s") % {"forums": forums})
        if data.get("endorsed_after"):
            day = date_format(data["endorsed_after"])
            parts.append(gettext("endorsed on or after %(day)s") % {"day": day})
        if data.get("endorsed_before"):
            day = date_format(data["endorsed_before"])
            parts.append(gettext("endorsed on or before %(day)s") % {"day": day})
        return parts


class ComparisonFilterForm(ParticipantFilterForm):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", gettext(FROM_AFTER_TO))
        today = timezone.localdate()
        for name in ("from", "to"):
            day = cleaned.get(name)
            if day and day > today:
                self.add_error(name, gettext(AFTER_TODAY) % {"day": date_format(day)})
        return cleaned


class ComparisonFilter(ParticipantFilter):
    """The participants ParticipantFilter selects (``COMPARED``: declaration, name, region,
    kind, forum), compared between the end of one day (``from``) and the end of another
    (``to``): signatories/comparison.py reads what changed between them.

    ``from`` is a word Python keeps for itself, so the dates are added by ``get_filters``
    rather than as attributes. Forum memberships are those of the ``to`` day.
    """

    class Meta(ParticipantFilter.Meta):
        form = ComparisonFilterForm

    @classmethod
    def get_filters(cls):
        inherited = super().get_filters()
        dates = {
            "from": date_filter(
                gettext_lazy("From the end of"),
                method="keep",
                help_text=gettext_lazy(
                    "YYYY-MM-DD; empty: the day before the declaration was launched."
                ),
            ),
            "to": date_filter(
                gettext_lazy("To the end of"),
                method="keep",
                help_text=gettext_lazy("YYYY-MM-DD; empty: today."),
            ),
        }
        return dates | {name: inherited[name] for name in COMPARED}

    @property
    def end(self):
        """The last day compared, to its end: ``to``, or today."""
        self.errors  # noqa: B018
        return self.form.cleaned_data.get("to") or timezone.localdate()

    @property
    def start(self):
        """The day whose end the comparison starts from: ``from``, or the day before the
        declaration's launch (or ``to``, if that is earlier)."""
        self.errors  # noqa: B018
        if chosen := self.form.cleaned_data.get("from"):
            return chosen
        return min(self._eve_of_launch, self.end)

    @property
    def _eve_of_launch(self):
        return self.selected_declaration.launched_on - datetime.timedelta(days=1)

    @property
    def on_date(self):
        return self.end

    def defaults_said(self):
        """In words, the dates the comparison chose because none was given."""
        self.errors  # noqa: B018
        data, said = self.form.cleaned_data, []
        if not data.get("from") and "from" not in self.errors:
            day = date_format(self.start)
            if self.start == self._eve_of_launch:
                declaration = self.selected_declaration.short_name
                said.append(gettext(FROM_DEFAULT_LAUNCH) % {"day": day, "declaration": declaration})
            else:
                said.append(gettext(FROM_DEFAULT) % {"day": day})
        if not data.get("to") and "to" not in self.errors:
            said.append(gettext(TO_DEFAULT) % {"day": date_format(self.end)})
        return said

    def permalink_query(self):
        """The valid, non-empty parameters with both days made explicit (``from`` and ``to``
        first): an address that shows the same comparison on any later day."""
        data = QueryDict(mutable=True)
        data["from"], data["to"] = self.start.isoformat(), self.end.isoformat()
        for name, value in self.compared_inputs():
            data.appendlist(name, value)
        return data.urlencode()


class EndorsementFilter(ParticipantFilter):
    """Endorsements, chosen by the list's parameters but ``sort``: ``q``, ``region``,
    ``entity_type`` and ``forum`` choose the participants; ``declaration`` (none: every one),
    ``status`` (on the ``as_of`` day), ``endorsed_after`` and ``endorsed_before`` the
    endorsements, left out if made after ``as_of``; ``participant`` and ``updated_after`` are
    their own."""

    participant = ParticipantChoiceFilter(
        label="Participant",
        help_text="One participant: its address name (norway), a name it goes by or its ISO "
        "code (Norway, Côte d'Ivoire, NOR); case and accents are ignored.",
    )
    updated_after = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only those changed at or after this ISO 8601 moment.",
    )

    class Meta(ParticipantFilter.Meta):
        model = Endorsement

    @classmethod
    def get_filters(cls):
        return {name: f for name, f in super().get_filters().items() if name != "sort"}

    def filter_declaration(self, queryset, name, value: str):
        return queryset.filter(declaration__slug=value) if value else queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        if any(data.get(name) for name in WHO):
            participants = Participant.objects.all()
            for name in WHO:
                participants = self.filters[name].filter(participants, data.get(name))
            queryset = queryset.filter(participant__in=participants.values("pk"))
        if data.get("as_of"):
            queryset = queryset.announced(on=data["as_of"])
        if data.get("status"):
            queryset = queryset.with_status(on=self.on_date)
        for name, value in data.items():
            if name not in WHO:
                queryset = self.filters[name].filter(queryset, value)
        return queryset


def parameter_errors(filterset, *, name=str):
    """One line per bad parameter, naming it (as ``name`` spells it), for a 400 or a command."""
    lines = []
    for field, messages in filterset.errors.items():
        for message in messages:
            text = message if len(message) <= 200 else message[:199] + "…"
            words = gettext("Bad parameter “%(name)s”: %(message)s")
            lines.append(words % {"name": name(field), "message": text})
    return lines


def order_by(fields):
    ordering = []
    for field in fields:
        descending = field.startswith("-")
        expression = F(field.lstrip("-"))
        ordering.append(
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        )
    return ordering


def region_choices():
    """Every M49 region, listed as a tree: each region followed by the regions below it."""
    by_code = {
        code: (cldr.region_name(code, name), parent)
        for code, name, parent in Region.objects.values_list("code", "name", "parent_id")
    }

    def chain(code):
        names = []
        while code in by_code:
            name, code = by_code[code]
            names.insert(0, name)
        return names

    indent = "\u2003"
    english = translation.get_language() in (None, settings.LANGUAGE_CODE)
    key = (lambda names: names) if english else (lambda names: [*map(cldr.collation_key, names)])
    labelled = sorted(((chain(code), code) for code in by_code), key=lambda item: key(item[0]))
    return [(code, f"{indent * (len(names) - 1)}{names[-1]} ({code})") for names, code in labelled]
