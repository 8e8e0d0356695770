"""What the declaration says: its text, principles and the forums it names."""

from django.db import models
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .forums import forum_name


class Basis(models.TextChoices):
    """How sure a piece of the declaration's text on this site is: what the page marks it as."""

    QUOTED = "quoted", _("Quoted")
    PARAPHRASED = "paraphrased", _("Paraphrased")
    INFERRED = "inferred", _("Inferred")

    @property
    def meaning(self):
        """What the mark means, in the words the page's legend uses."""
        return BASIS_MEANINGS[self]


BASIS_MEANINGS = {
    Basis.QUOTED: _("seen word for word in a source"),
    Basis.PARAPHRASED: _(
        "our wording of what a source says (the official text has the exact words)"
    ),
    Basis.INFERRED: _("worked out by us from the sources, not seen in any of them"),
}

# The mark beside a heading, whole: no language builds it from the basis's word.
HEADING_MARKS = {
    Basis.QUOTED: _("quoted heading"),
    Basis.PARAPHRASED: _("paraphrased heading"),
    Basis.INFERRED: _("inferred heading"),
}


def _basis_help():
    return "; ".join(f"{basis.label}: {basis.meaning}" for basis in Basis)


BASIS_HELP = lazy(_basis_help, str)()


class Forum(models.Model):
    """An existing international process that a declaration's signatories commit to work through."""

    class Kind(models.TextChoices):
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental")
        MULTISTAKEHOLDER = "multistakeholder", _("Multistakeholder")
        COALITION = "coalition", _("Coalition")

    name = models.CharField(
        max_length=200, unique=True, help_text=_("Full name, e.g. “Group of Seven”.")
    )
    acronym = models.CharField(max_length=20, help_text=_("Short name shown in lists, e.g. “G7”."))
    slug = models.SlugField(
        max_length=20, unique=True, help_text=_("Used in addresses and filters, e.g. “g7”.")
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    website = models.URLField(blank=True, help_text=_("The forum's official website."))
    description = models.TextField(blank=True, help_text=_("One or two sentences for visitors."))
    has_member_list = models.BooleanField(
        default=True,
        help_text=_("Untick for forums without member states to list (ICANN, the IGF)."),
    )
    other_members = models.TextField(
        blank=True,
        help_text=_(
            "Members that are not participants in this tracker, one a line (the African "
            "Union in the G20); pages name them beside the figure."
        ),
    )
    member_list_complete = models.BooleanField(
        default=True,
        help_text=_(
            "Untick when the members recorded here are not all of them; pages say so "
            "beside the figure."
        ),
    )
    member_list_note = models.CharField(
        max_length=300,
        blank=True,
        help_text=_(
            "What is known of the whole list, shown beside the figure when it is "
            "incomplete, e.g. “the coalition reported 42 members in 2025”."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.acronym or self.name

    @property
    def local_name(self):
        """Its official name in the active language, where it has one (declaration/forums.py)."""
        return forum_name(self.slug, self.name)

    @property
    def others(self):
        """The members that are not participants, as a list."""
        return [name for name in self.other_members.splitlines() if name.strip()]


class Declaration(models.Model):
    """A political declaration that participants can endorse."""

    title = models.CharField(max_length=300, unique=True)
    short_name = models.CharField(max_length=30, help_text=_("e.g. “DFI”."))
    slug = models.SlugField(
        max_length=50, unique=True, help_text=_("Used in addresses, e.g. “dfi”.")
    )
    launched_on = models.DateField(
        help_text=_("Day the declaration was launched; no endorsement can be dated earlier.")
    )
    text_url = models.URLField(help_text=_("Link to the official text, for the exact words."))
    announcement_url = models.URLField(blank=True, help_text=_("Official launch announcement."))
    summary = models.TextField(help_text=_("A short summary in our own words."))
    forums = models.ManyToManyField(
        Forum,
        blank=True,
        related_name="declarations",
        help_text=_("Forums and processes the declaration names."),
    )
    grouping_basis = models.CharField(
        max_length=20,
        choices=Basis.choices,
        default=Basis.INFERRED,
        help_text=format_lazy(
            "{} {}.",
            _(
                "How sure the grouping of the commitments under the headings is (which "
                "commitment comes under which heading), shown in the page's legend."
            ),
            BASIS_HELP,
        ),
    )
    structure_note = models.CharField(
        max_length=300,
        blank=True,
        help_text=_(
            "What the sources say of the text's shape, shown in the page's legend, e.g. "
            "“one source counts 23 commitments in all”."
        ),
    )

    class Meta:
        ordering = ["launched_on", "title"]

    def __str__(self):
        return self.short_name or self.title

    def get_absolute_url(self):
        return reverse("declaration:detail", kwargs={"slug": self.slug})

    @property
    def grouping(self):
        """How sure the grouping of the commitments under the headings is, with its meaning."""
        return Basis(self.grouping_basis)

    @property
    def text_is_pdf(self):
        """Whether the official text is a PDF, which its link says."""
        return self.text_url.lower().split("?")[0].endswith(".pdf")


class Pillar(models.Model):
    """One of the headings under which a declaration groups its principles."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="pillars")
    number = models.PositiveSmallIntegerField(help_text=_("Position of the heading, from 1."))
    title = models.CharField(max_length=200)
    title_basis = models.CharField(
        max_length=20,
        choices=Basis.choices,
        default=Basis.INFERRED,
        help_text=format_lazy(
            "{} {}.", _("How sure the heading's wording is, shown beside it."), BASIS_HELP
        ),
    )
    title_note = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "Where the heading's wording was seen, shown beside its mark, e.g. “seen "
            "verbatim in one source”."
        ),
    )

    class Meta:
        ordering = ["declaration", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "number"], name="unique_pillar_number_per_declaration"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def title_mark(self):
        """What the mark beside the heading says, e.g. "quoted heading"."""
        return HEADING_MARKS[self.title_basis]


class Commitment(models.Model):
    """A numbered principle, written in our own words (the official text has the exact words)."""

    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="commitments")
    number = models.PositiveSmallIntegerField(
        help_text=_("Number across the whole declaration (1 to 23 for the DFI).")
    )
    text = models.TextField(help_text=_("The commitment in our own words."))
    text_basis = models.CharField(
        max_length=20,
        choices=Basis.choices,
        default=Basis.PARAPHRASED,
        help_text=format_lazy("{} {}.", _("How sure the text is, shown beside it."), BASIS_HELP),
    )

    class Meta:
        ordering = ["pillar__declaration", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["pillar", "number"], name="unique_commitment_number_per_pillar"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"
