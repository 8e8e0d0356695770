"""Who could endorse a declaration, who did, when, and on what evidence."""

import datetime
import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Case, F, FilteredRelation, Q, Value, When
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact, GreaterThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from simple_history.models import HistoricalRecords

from declaration.models import Declaration, Forum

# Texts an editor sees; tests assert these exact words.
FUTURE_DATE = gettext_noop("The date cannot be in the future.")
BEFORE_LAUNCH = gettext_noop(
    "{declaration} was launched on {launched_on}; no endorsement can be earlier."
)
WITHDRAWAL_BEFORE_ENDORSEMENT = gettext_noop(
    "The withdrawal date cannot be before the endorsement date."
)
WITHDRAWAL_DATE_REQUIRED = gettext_noop("A withdrawn endorsement needs the date of its withdrawal.")
WITHDRAWAL_DATE_ONLY_WHEN_WITHDRAWN = gettext_noop(
    "Only a withdrawn endorsement has a withdrawal date."
)
DUPLICATE_ENDORSEMENT = gettext_noop("{participant} already has an endorsement of {declaration}.")
UNKNOWN_ISO_ALPHA2 = gettext_noop(
    "“{value}” is not an ISO 3166-1 alpha-2 code (two capital letters, e.g. NO)."
)
UNKNOWN_ISO_ALPHA3 = gettext_noop(
    "“{value}” is not an ISO 3166-1 alpha-3 code (three capital letters, e.g. NOR)."
)
ISO_ALPHA3_MISMATCH = gettext_noop("The alpha-3 code of {alpha2} is {expected}, not {value}.")
DISPUTE_DATE_REQUIRED = gettext_noop("A disputed endorsement needs the date the dispute began.")
DISPUTE_BEFORE_ENDORSEMENT = gettext_noop("The dispute cannot begin before the endorsement date.")
RESOLUTION_BEFORE_DISPUTE = gettext_noop("A dispute can only be resolved after it began.")
MEMBERSHIP_END_BEFORE_START = gettext_noop("A membership cannot end before it starts.")


def normalise_for_search(text):
    """Lower-case ASCII form of a name, so “cote” finds “Côte d'Ivoire”."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_text(names):
    """Every name, normalised, between bars: "|turkiye|turkey|". A word search looks inside it;
    a whole name is found as "|name|"."""
    kept = dict.fromkeys(normalise_for_search(name).strip() for name in names)
    return "|" + "|".join(name for name in kept if name) + "|"


def validate_iso_alpha2(value):
    if value and value not in dict(countries):
        raise ValidationError(gettext(UNKNOWN_ISO_ALPHA2).format(value=value), code="unknown_iso")


def validate_not_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(gettext(FUTURE_DATE), code="future")


class Status(models.TextChoices):
    """Where a participant stands with a declaration on a given day: the one list of statuses.

    An endorsement records one of the first three; "none" is the status of a participant that
    had not endorsed by that day.
    """

    ENDORSED = "endorsed", pgettext_lazy("status", "Endorsed")
    DISPUTED = "disputed", pgettext_lazy("status", "Disputed")
    WITHDRAWN = "withdrawn", pgettext_lazy("status", "Withdrawn")
    NONE = "none", pgettext_lazy("status", "Not endorsed")

    @classmethod
    def recorded(cls):
        """The statuses an endorsement can have, as choices."""
        return [(status.value, status.label) for status in cls if status != cls.NONE]


class Region(models.Model):
    """A UN M49 geographic region, sub-region or intermediate region."""

    class Level(models.TextChoices):
        REGION = "region", _("Region")
        SUBREGION = "subregion", _("Sub-region")
        INTERMEDIATE = "intermediate", _("Intermediate region")

    code = models.CharField(
        max_length=3, primary_key=True, help_text=_("Three-digit UN M49 code, e.g. 150 for Europe.")
    )
    name = models.CharField(max_length=100, unique=True)
    level = models.CharField(max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The region this one belongs to; empty for the five top regions."),
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("code"), 3), name="region_code_has_three_digits"
            ),
            models.CheckConstraint(
                condition=Q(level="region", parent__isnull=True)
                | (~Q(level="region") & Q(parent__isnull=False)),
                name="only_top_regions_have_no_parent",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("signatories:participant-list") + f"?region={self.code}"

    @property
    def local_name(self):
        """Its name in the active language (CLDR's, signatories/cldr.py)."""
        from .cldr import region_name

        return region_name(self.code, self.name)


class ParticipantQuerySet(models.QuerySet):
    def in_region(self, code):
        """Participants in the region with this M49 code or in any region below it."""
        return self.filter(
            Q(region_id=code) | Q(region__parent_id=code) | Q(region__parent__parent_id=code)
        )

    def with_record(self, declaration, *, on=None):
        """Annotate each participant with its endorsement of the declaration and status on a date.

        ``status_on`` is endorsed / disputed / withdrawn, or none for a participant that had not
        endorsed by the end of that day (today when no date is given).
        """
        on = on or timezone.localdate()
        record = FilteredRelation(
            "endorsements", condition=Q(endorsements__declaration=declaration)
        )
        return self.annotate(record=record).annotate(
            endorsement_id=F("record__id"),
            endorsed_on=F("record__endorsed_on"),
            date_precision=F("record__date_precision"),
            withdrawn_on=F("record__withdrawn_on"),
            disputed_on=F("record__disputed_on"),
            event_name=F("record__event__name"),
            note=F("record__note"),
            status_on=record_status(on),
        )

    def with_status(self, name, *, on):
        """After ``with_record``: the status at the end of another day too, as ``name``
        (a comparison counts both of its days in one query)."""
        return self.annotate(**{name: record_status(on)})


def record_status(on, record="record__"):
    """The status at the end of the day ``on`` of the endorsement ``with_record`` joins (or,
    with ``record=""``, of the endorsement itself)."""

    def field(name, **lookup):
        return Q(**{f"{record}{name}__{key}": value for key, value in lookup.items()})

    return Case(
        When(field("id", isnull=True), then=Value(Status.NONE)),
        When(field("endorsed_on", gt=on), then=Value(Status.NONE)),
        When(field("withdrawn_on", lte=on), then=Value(Status.WITHDRAWN)),
        When(
            field("disputed_on", lte=on)
            & (field("dispute_resolved_on", isnull=True) | field("dispute_resolved_on", gt=on)),
            then=Value(Status.DISPUTED),
        ),
        default=Value(Status.ENDORSED),
        output_field=models.CharField(),
    )


class Participant(models.Model):
    """An entity that could endorse a declaration, whether or not it has."""

    class EntityType(models.TextChoices):
        """What a participant is, in words that describe its status without taking sides.

        The values stay as they were (they are in addresses and files); the kind a page shows
        (``kind``) also says whether a state is a UN member or observer.
        """

        STATE = "state", _("State (UN member or observer)")
        LIMITED_RECOGNITION = "limited_recognition", _("Other state or territory")
        SUPRANATIONAL = "supranational", _("Regional organisation")

    name = models.CharField(
        max_length=100, unique=True, help_text=_("Common English name, e.g. “Côte d'Ivoire”.")
    )
    slug = models.SlugField(
        max_length=100, unique=True, help_text=_("Used in the page address, e.g. “cote-divoire”.")
    )
    iso_name = models.CharField(
        max_length=150, blank=True, help_text=_("Name in ISO 3166-1, where it differs.")
    )
    iso_alpha2 = models.CharField(
        _("ISO alpha-2"),
        max_length=2,
        blank=True,
        validators=[validate_iso_alpha2],
        help_text=_("ISO 3166-1 alpha-2 code (XK for Kosovo); empty where none exists."),
    )
    iso_alpha3 = models.CharField(
        _("ISO alpha-3"),
        max_length=3,
        blank=True,
        help_text=_("ISO 3166-1 alpha-3 code (XKX for Kosovo); empty where none exists."),
    )
    entity_type = models.CharField(max_length=20, choices=EntityType.choices)
    un_member = models.BooleanField(_("UN member"), default=False)
    un_observer = models.BooleanField(_("UN observer state"), default=False)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participants",
        help_text=_("The most specific UN M49 region; empty for the European Commission."),
    )
    aliases = models.TextField(
        blank=True,
        help_text=_(
            "Other names people search for, one a line: former (Turkey), informal (UK) "
            "or official long names (United States of America). ISO codes need no line."
        ),
    )
    search_name = models.CharField(max_length=600, editable=False, db_index=True)
    history = HistoricalRecords()

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["iso_alpha2"],
                condition=~Q(iso_alpha2=""),
                name="unique_participant_iso_alpha2",
                violation_error_message="Another participant already has this ISO alpha-2 code.",
            ),
            models.UniqueConstraint(
                fields=["iso_alpha3"],
                condition=~Q(iso_alpha3=""),
                name="unique_participant_iso_alpha3",
                violation_error_message="Another participant already has this ISO alpha-3 code.",
            ),
            models.CheckConstraint(
                condition=Q(iso_alpha2="")
                | (Exact(Length("iso_alpha2"), 2) & Exact(Upper("iso_alpha2"), F("iso_alpha2"))),
                name="iso_alpha2_is_two_capitals",
            ),
            models.CheckConstraint(
                condition=Q(iso_alpha3="")
                | (Exact(Length("iso_alpha3"), 3) & Exact(Upper("iso_alpha3"), F("iso_alpha3"))),
                name="iso_alpha3_is_three_capitals",
            ),
            models.CheckConstraint(
                condition=~(Q(un_member=True) & Q(un_observer=True)),
                name="un_member_or_observer_not_both",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = search_text(self.names)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("signatories:participant-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.iso_alpha3:
            expected = countries.alpha3(self.iso_alpha2) if self.iso_alpha2 else None
            if not expected:
                raise ValidationError(
                    {"iso_alpha3": gettext(UNKNOWN_ISO_ALPHA3).format(value=self.iso_alpha3)}
                )
            if expected != self.iso_alpha3:
                raise ValidationError(
                    {
                        "iso_alpha3": gettext(ISO_ALPHA3_MISMATCH).format(
                            alpha2=self.iso_alpha2, expected=expected, value=self.iso_alpha3
                        )
                    }
                )

    @staticmethod
    def kind_of(entity_type, un_member, un_observer):
        """ "UN member state", "UN observer state", "Other state or territory" or "Regional
        organisation": what the participant is, without judgement."""
        if entity_type == Participant.EntityType.SUPRANATIONAL:
            return Participant.EntityType.SUPRANATIONAL.label
        if un_member:
            return gettext("UN member state")
        if un_observer:
            return gettext("UN observer state")
        return Participant.EntityType.LIMITED_RECOGNITION.label

    @property
    def kind(self):
        return self.kind_of(self.entity_type, self.un_member, self.un_observer)

    @property
    def local_name(self):
        """Its name in the active language (CLDR's, signatories/cldr.py)."""
        from .cldr import participant_name

        return participant_name(self.name, self.iso_alpha2, self.slug)

    @property
    def names(self):
        """Its name, ISO name and aliases: every name a search or an import finds it by."""
        return [self.name, self.iso_name, *self.aliases.splitlines()]

    @property
    def top_region(self):
        """The top M49 region (Africa, Americas, ...); select region__parent__parent first."""
        region = self.region
        while region is not None and region.parent_id:
            region = region.parent
        return region

    @property
    def subregion(self):
        """The most specific M49 region below the top one (e.g. Western Africa), if any."""
        return self.region if self.region and self.region.parent_id else None


class Event(models.Model):
    """An occasion at which endorsements were announced (the launch, the Prague event)."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="events")
    name = models.CharField(max_length=200, help_text=_("e.g. “Prague high-level event”."))
    held_on = models.DateField()
    place = models.CharField(max_length=100, blank=True)
    url = models.URLField(_("report or announcement"), blank=True)

    class Meta:
        ordering = ["declaration", "held_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "name"], name="unique_event_name_per_declaration"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({date_format(self.held_on)})"  # in the editor's language


class DatePrecision(models.TextChoices):
    """How exactly a date is known."""

    EXACT = "exact", _("Exact day")
    ON_OR_BEFORE = "on_or_before", _("On or before")


class EndorsementQuerySet(models.QuerySet):
    def of(self, declaration):
        return self.filter(declaration=declaration)

    def announced(self, *, on=None):
        """Endorsements made by the end of the day (withdrawn or not)."""
        return self.filter(endorsed_on__lte=on or timezone.localdate())

    def with_status(self, *, on):
        """Each endorsement's status at the end of the day, as ``status_on`` (the rule of
        ``Participant.objects.with_record``)."""
        return self.annotate(status_on=record_status(on, record=""))


class Endorsement(models.Model):
    """A participant's endorsement of a declaration: what happened to it is its ``actions``.

    The dates and the status below are kept from the actions, by ``follow`` (called by the
    services that write actions, and nowhere else), so that a list of 100,000 rows reads its
    status on any day from one row each; ``tests/signatories/test_actions.py`` proves they
    agree with the actions.
    """

    DatePrecision = DatePrecision

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="endorsements"
    )
    declaration = models.ForeignKey(
        Declaration, on_delete=models.PROTECT, related_name="endorsements"
    )
    endorsed_on = models.DateField(
        _("endorsement date"),
        validators=[validate_not_future],
        help_text=_(
            "Day of the endorsement; with “on or before”, the latest day it can have been."
        ),
    )
    date_precision = models.CharField(
        max_length=12, choices=DatePrecision.choices, default=DatePrecision.EXACT
    )
    status = models.CharField(
        max_length=10,
        choices=Status.recorded(),
        default=Status.ENDORSED,
        help_text=_(
            "Today's status, from the actions. Disputed: listed, but the participant "
            "questioned it. Never delete an endorsement to record a withdrawal."
        ),
    )
    disputed_on = models.DateField(
        _("dispute date"),
        null=True,
        blank=True,
        validators=[validate_not_future],
        help_text=_("The day the endorsement was first questioned, if it was."),
    )
    dispute_resolved_on = models.DateField(
        _("dispute resolution date"),
        null=True,
        blank=True,
        validators=[validate_not_future],
        help_text=_("The day the dispute was settled and the endorsement confirmed."),
    )
    withdrawn_on = models.DateField(
        _("withdrawal date"),
        null=True,
        blank=True,
        validators=[validate_not_future],
        help_text=_("Only for a withdrawn endorsement."),
    )
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="endorsements",
        help_text=_("Where the endorsement was announced, when a source says so."),
    )
    note = models.TextField(blank=True, help_text=_("Shown to the public; plain text."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    objects = EndorsementQuerySet.as_manager()

    class Meta:
        ordering = ["declaration", "endorsed_on", "participant__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "declaration"],
                name="unique_endorsement_per_participant_and_declaration",
                violation_error_message=_(
                    "This participant already has an endorsement of this declaration."
                ),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True)
                | GreaterThanOrEqual(F("withdrawn_on"), F("endorsed_on")),
                name="withdrawal_not_before_endorsement",
                violation_error_message=_(WITHDRAWAL_BEFORE_ENDORSEMENT),
            ),
            models.CheckConstraint(
                condition=Q(status=Status.WITHDRAWN, withdrawn_on__isnull=False)
                | (~Q(status=Status.WITHDRAWN) & Q(withdrawn_on__isnull=True)),
                name="withdrawal_date_iff_withdrawn",
                violation_error_message=_(WITHDRAWAL_DATE_REQUIRED),
            ),
            models.CheckConstraint(
                condition=Q(disputed_on__isnull=True)
                | GreaterThanOrEqual(F("disputed_on"), F("endorsed_on")),
                name="dispute_not_before_endorsement",
                violation_error_message=_(DISPUTE_BEFORE_ENDORSEMENT),
            ),
            models.CheckConstraint(
                condition=Q(dispute_resolved_on__isnull=True)
                | (
                    Q(disputed_on__isnull=False)
                    & GreaterThanOrEqual(F("dispute_resolved_on"), F("disputed_on"))
                ),
                name="resolution_follows_dispute",
                violation_error_message=_(RESOLUTION_BEFORE_DISPUTE),
            ),
            models.CheckConstraint(
                condition=Q(
                    status=Status.DISPUTED,
                    disputed_on__isnull=False,
                    dispute_resolved_on__isnull=True,
                )
                | (
                    ~Q(status=Status.DISPUTED)
                    & (
                        Q(disputed_on__isnull=True)
                        | Q(dispute_resolved_on__isnull=False)
                        | Q(withdrawn_on__isnull=False)
                    )
                ),
                name="disputed_iff_dispute_open",
                violation_error_message=_(DISPUTE_DATE_REQUIRED),
            ),
        ]
        indexes = [
            models.Index(fields=["declaration", "endorsed_on"]),
            # The API's list, earliest first, reads the first page from it at any size.
            models.Index(fields=["endorsed_on"], name="endorsement_endorsed_on"),
        ]

    def __str__(self):
        return f"{self.participant} – {self.declaration}"

    def get_absolute_url(self):
        return self.participant.get_absolute_url()

    def status_on(self, on=None):
        """The status as it stood at the end of the day (as ``Action.status_after`` gives it
        from the actions)."""
        on = on or timezone.localdate()
        if self.endorsed_on > on:
            return Status.NONE
        if self.withdrawn_on and self.withdrawn_on <= on:
            return Status.WITHDRAWN
        disputed = self.disputed_on and self.disputed_on <= on
        resolved = self.dispute_resolved_on and self.dispute_resolved_on <= on
        return Status.DISPUTED if disputed and not resolved else Status.ENDORSED

    def follow(self, actions):
        """Keep the dates, the status and the event of the record from its actions."""
        by_kind = {action.kind: action for action in actions}
        for kind, field in Action.RECORD_DATES.items():
            setattr(self, field, by_kind[kind].taken_on if kind in by_kind else None)
        if listing := by_kind.get(Action.Kind.ENDORSED):
            self.date_precision = listing.date_precision
            self.event_id = listing.event_id
        self.status = self.status_from_dates()

    def status_from_dates(self):
        """Today's status, as the dates of the actions leave it."""
        if self.withdrawn_on:
            return Status.WITHDRAWN
        if self.disputed_on and not self.dispute_resolved_on:
            return Status.DISPUTED
        return Status.ENDORSED

    def clean(self):
        super().clean()
        errors = {}
        if self.declaration_id and self.endorsed_on:
            launched_on = self.declaration.launched_on
            if self.endorsed_on < launched_on:
                errors["endorsed_on"] = gettext(BEFORE_LAUNCH).format(
                    declaration=self.declaration, launched_on=date_format(launched_on)
                )
        if self.status == Status.WITHDRAWN and not self.withdrawn_on:
            errors["withdrawn_on"] = gettext(WITHDRAWAL_DATE_REQUIRED)
        elif self.withdrawn_on and self.status != Status.WITHDRAWN:
            errors["withdrawn_on"] = gettext(WITHDRAWAL_DATE_ONLY_WHEN_WITHDRAWN)
        elif self.withdrawn_on and self.endorsed_on and self.withdrawn_on < self.endorsed_on:
            errors["withdrawn_on"] = gettext(WITHDRAWAL_BEFORE_ENDORSEMENT)
        if self.status == Status.DISPUTED and not self.disputed_on:
            errors["disputed_on"] = gettext(DISPUTE_DATE_REQUIRED)
        elif self.disputed_on and self.endorsed_on and self.disputed_on < self.endorsed_on:
            errors["disputed_on"] = gettext(DISPUTE_BEFORE_ENDORSEMENT)
        if self.dispute_resolved_on and (
            not self.disputed_on or self.dispute_resolved_on < self.disputed_on
        ):
            errors["dispute_resolved_on"] = gettext(RESOLUTION_BEFORE_DISPUTE)
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # Say which participant and declaration, rather than the generic constraint text.
        if (
            self.participant_id
            and self.declaration_id
            and Endorsement.objects.filter(
                participant_id=self.participant_id, declaration_id=self.declaration_id
            )
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                gettext(DUPLICATE_ENDORSEMENT).format(
                    participant=self.participant, declaration=self.declaration
                ),
                code="duplicate",
            )
        super().validate_constraints(exclude=exclude)


class Action(models.Model):
    """What happened to an endorsement in the world, on a day, on its own evidence (the
    sources whose ``supports`` is this action's kind), as a treaty depositary records it.

    An endorsement has one action of each kind at most: it is listed (endorsed) once, may be
    disputed, have the dispute resolved, and be withdrawn.
    """

    class Kind(models.TextChoices):
        ENDORSED = "endorsed", pgettext_lazy("action", "Endorsed")
        DISPUTED = "disputed", pgettext_lazy("action", "Disputed")
        DISPUTE_RESOLVED = "dispute_resolved", pgettext_lazy("action", "Dispute resolved")
        WITHDRAWN = "withdrawn", pgettext_lazy("action", "Withdrawn")

    # The record's column each kind dates (Endorsement.follow).
    RECORD_DATES = {
        Kind.ENDORSED: "endorsed_on",
        Kind.DISPUTED: "disputed_on",
        Kind.DISPUTE_RESOLVED: "dispute_resolved_on",
        Kind.WITHDRAWN: "withdrawn_on",
    }

    endorsement = models.ForeignKey(Endorsement, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    taken_on = models.DateField(
        _("date"),
        validators=[validate_not_future],
        help_text=_("YYYY-MM-DD; with “on or before”, the latest day it can have been."),
    )
    date_precision = models.CharField(
        max_length=12, choices=DatePrecision.choices, default=DatePrecision.EXACT
    )
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
        help_text=_("Where it was announced, only when a source says so."),
    )
    note = models.TextField(blank=True, help_text=_("Shown to the public; plain text."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["endorsement_id", "taken_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["endorsement", "kind"],
                name="one_action_of_each_kind",
                violation_error_message=_("An endorsement has one action of each kind."),
            ),
        ]

    def __str__(self):
        return gettext("%(kind)s on %(day)s") % {
            "kind": self.get_kind_display(),
            "day": date_format(self.taken_on),
        }

    @classmethod
    def from_dates(cls, endorsement):
        """The actions an endorsement's dates say (unsaved), for code that writes in bulk
        (benchmarks, test data) and so keeps the record and its actions together itself."""
        actions = []
        for kind, field in cls.RECORD_DATES.items():
            if day := getattr(endorsement, field):
                listing = kind == cls.Kind.ENDORSED
                actions.append(
                    cls(
                        endorsement=endorsement,
                        kind=kind,
                        taken_on=day,
                        date_precision=endorsement.date_precision if listing else "exact",
                        event_id=endorsement.event_id if listing else None,
                    )
                )
        return actions

    @classmethod
    def status_after(cls, actions, on):
        """The status at the end of the day, from the actions alone: the rule that
        ``Endorsement.status_on`` reads from the record's columns."""
        status = Status.NONE
        for action in sorted(actions, key=lambda a: (a.taken_on, ORDER[a.kind])):
            if action.taken_on > on:
                break
            status = AFTER[action.kind]
        return status


# Actions of one day apply in this order; the status each leaves.
ORDER = {kind: index for index, kind in enumerate(Action.Kind)}
AFTER = {
    Action.Kind.ENDORSED: Status.ENDORSED,
    Action.Kind.DISPUTED: Status.DISPUTED,
    Action.Kind.DISPUTE_RESOLVED: Status.ENDORSED,
    Action.Kind.WITHDRAWN: Status.WITHDRAWN,
}
# The action whose sources a status rests on (its "status sources"), where it is not the listing.
STATUS_ACTION = {Status.DISPUTED: Action.Kind.DISPUTED, Status.WITHDRAWN: Action.Kind.WITHDRAWN}


def support_level(publishers):
    """How well an action is supported, from its sources' publishers: "2 independent
    sources", "single source" or "no source"."""
    count = len(set(publishers))
    if count == 0:
        return gettext("no source")
    if count == 1:
        return gettext("single source")
    return ngettext("%(count)s independent source", "%(count)s independent sources", count) % {
        "count": count
    }


class Source(models.Model):
    """A published document that records an action of an endorsement (``supports``)."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Official list or statement")
        GOVERNMENT = "government", _("Government statement")
        NEWS = "news", _("News report")
        OTHER = "other", _("Other")

    endorsement = models.ForeignKey(Endorsement, on_delete=models.CASCADE, related_name="sources")
    supports = models.CharField(
        _("evidence of"),
        max_length=16,
        choices=Action.Kind.choices,
        default=Action.Kind.ENDORSED,
        help_text=_(
            "The action this source records: the endorsement, a dispute, its "
            "resolution or a withdrawal."
        ),
    )
    url = models.URLField(_("address"), max_length=500)
    title = models.CharField(
        max_length=300, blank=True, help_text=_("e.g. “White House fact sheet, 28 April 2022”.")
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OTHER)
    publisher = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "Who published it, e.g. “The White House”; sources with different "
            "publishers count as independent."
        ),
    )
    published_on = models.DateField(
        _("publication date"), null=True, blank=True, validators=[validate_not_future]
    )
    accessed_on = models.DateField(
        _("date accessed"), null=True, blank=True, validators=[validate_not_future]
    )
    archive_url = models.URLField(
        _("archived copy"),
        max_length=500,
        blank=True,
        help_text=_("An archived copy, e.g. at web.archive.org; nothing here fetches it."),
    )
    quote = models.TextField(
        _("quoted passage"), blank=True, help_text=_("A short passage, quoted exactly.")
    )
    position = models.PositiveSmallIntegerField(default=1, help_text=_("1 for the primary source."))
    history = HistoricalRecords()

    class Meta:
        # endorsement_id, not endorsement: ordering by the endorsement's own ordering joins
        # every endorsement, declaration and participant to sort one participant's sources.
        ordering = ["endorsement_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["endorsement", "supports", "url"],
                name="unique_source_url_per_action",
            ),
        ]

    def __str__(self):
        return self.title or self.url

    @property
    def publisher_name(self):
        """The publisher, or the site's address when none is given."""
        return self.publisher or host_of(self.url)


def host_of(url):
    """ "www.whitehouse.gov" of a source's address."""
    return url.split("//", 1)[-1].split("/", 1)[0].lower()


class ForumMembershipQuerySet(models.QuerySet):
    def current(self, *, on=None):
        """Memberships in force at the end of the day (today when no date is given)."""
        on = on or timezone.localdate()
        return self.filter(Q(since__isnull=True) | Q(since__lte=on)).filter(
            Q(until__isnull=True) | Q(until__gt=on)
        )


class ForumMembership(models.Model):
    """A participant's membership of a forum, from one date to another."""

    class Precision(models.TextChoices):
        DAY = "day", _("Day")
        YEAR = "year", _("Year only")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="memberships"
    )
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="memberships")
    since = models.DateField(
        null=True, blank=True, help_text=_("Start of membership; empty when not known.")
    )
    since_precision = models.CharField(
        max_length=4,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text=_("“Year only” when just the year is known (stored as 1 January)."),
    )
    until = models.DateField(
        null=True, blank=True, help_text=_("Last day of membership; empty while a member.")
    )
    source_url = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = ForumMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["forum", "participant__name", "since"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "forum", "since"], name="unique_membership_start"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True)
                | Q(since__isnull=True)
                | GreaterThanOrEqual(F("until"), F("since")),
                name="membership_ends_after_it_starts",
                violation_error_message=_(MEMBERSHIP_END_BEFORE_START),
            ),
        ]

    def __str__(self):
        return f"{self.participant} in {self.forum}"

    @property
    def since_display(self):
        if not self.since:
            return "unknown"
        if self.since_precision == self.Precision.YEAR:
            return str(self.since.year)
        return self.since.isoformat()


class ImportBatch(models.Model):
    """One confirmed bulk import: who, when, which file, and what it did.

    History rows written by the import name it in their change reason (``reason``).
    """

    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="imports")
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rows = models.PositiveIntegerField()
    new = models.PositiveIntegerField()
    changed = models.PositiveIntegerField()
    unchanged = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")

    def __str__(self):
        return self.reason

    @property
    def reason(self):
        return f"Import #{self.pk}: {self.filename}"


class DataVersion(models.Model):
    """When the public record last changed: one row, renewed at every change (``renew``).

    Cached pages and ETags are keyed by its token (config/caching.py), so every process (each
    gunicorn worker with its own memory cache) sees a change at once. Every save and delete in
    ``declaration`` and ``signatories`` renews it in the same transaction (signals.py); code
    that writes without signals (``bulk_create``, ``QuerySet.update``) calls ``renew()``. It
    holds no figure: counts come from records.
    """

    EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

    token = models.CharField(max_length=32, help_text=_("Random, new at every change."))
    changed_at = models.DateTimeField(help_text=_("When the record last changed."))

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Data changed at {self.changed_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def renew(cls):
        """Record that the public data changed, in the caller's transaction (a rolled-back
        change leaves the version alone)."""
        fields = {"token": uuid.uuid4().hex, "changed_at": timezone.now()}
        if not cls.objects.filter(pk=1).update(**fields):
            cls.objects.update_or_create(pk=1, defaults=fields)

    @classmethod
    def current(cls):
        """``(token, changed_at)`` of the last change, in one small query on every request."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT token, changed_at FROM {cls._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        if row is None:
            return "", cls.EPOCH
        token, changed_at = row
        if isinstance(changed_at, str):  # SQLite gives the text it stored
            changed_at = datetime.datetime.fromisoformat(changed_at)
        if timezone.is_naive(changed_at):
            changed_at = timezone.make_aware(changed_at, datetime.UTC)
        return token, changed_at
