"""Editors' forms outside the model admin's own."""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from .filters import BAD_DATE
from .models import FUTURE_DATE, Source
from .services import SourceInput

# Every date an editor types is ISO (config/formats): 01/03/2024 could be January or March.
DATE_HELP = gettext_noop("Format: YYYY-MM-DD, e.g. 2022-04-28.")


class WithdrawalForm(forms.Form):
    """The date (and an optional public note) for withdrawing several endorsements at once."""

    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"),
        help_text=format_lazy("{} {}", _("The day the withdrawals took effect."), _(DATE_HELP)),
        error_messages={"invalid": _(BAD_DATE)},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    source_url = forms.URLField(
        label=_("Source address"),
        max_length=500,
        help_text=_("The statement or report that records the withdrawals (required)."),
        error_messages={
            "required": _(
                "A withdrawal needs a source of its own: the address of "
                "the statement or report that records it."
            )
        },
    )
    source_title = forms.CharField(label=_("Source title"), max_length=300, required=False)
    source_kind = forms.ChoiceField(
        label=_("Kind of source"), choices=Source.Kind.choices, initial=Source.Kind.OFFICIAL
    )
    publisher = forms.CharField(label=_("Publisher"), max_length=200, required=False)
    published_on = forms.DateField(
        label=_("Published on"),
        required=False,
        help_text=_(DATE_HELP),
        error_messages={"invalid": _(BAD_DATE)},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Note"),
        help_text=_("Added to each endorsement's public note, e.g. the announcement."),
    )

    def source(self):
        """The source the editor gave, for ``services.withdraw_endorsements``."""
        data = self.cleaned_data
        return SourceInput(
            url=data["source_url"],
            title=data["source_title"],
            evidence={
                "kind": data["source_kind"],
                "publisher": data["publisher"],
                "published_on": data["published_on"],
            },
        )

    def clean_withdrawn_on(self):
        value = self.cleaned_data["withdrawn_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(gettext(FUTURE_DATE))
        return value
