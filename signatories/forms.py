"""Editors' forms outside the model admin's own."""

from django import forms
from django.utils import timezone

from .filters import BAD_DATE
from .models import FUTURE_DATE, Source
from .services import SourceInput

# Every date an editor types is ISO (config/formats): 01/03/2024 could be January or March.
DATE_HELP = "Format: YYYY-MM-DD, e.g. 2022-04-28."


class WithdrawalForm(forms.Form):
    """The date (and an optional public note) for withdrawing several endorsements at once."""

    withdrawn_on = forms.DateField(
        label="Withdrawn on",
        help_text=f"The day the withdrawals took effect. {DATE_HELP}",
        error_messages={"invalid": BAD_DATE},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    source_url = forms.URLField(
        label="Source address",
        max_length=500,
        help_text="The statement or report that records the withdrawals (required).",
        error_messages={
            "required": "A withdrawal needs a source of its own: the address of "
            "the statement or report that records it."
        },
    )
    source_title = forms.CharField(label="Source title", max_length=300, required=False)
    source_kind = forms.ChoiceField(
        label="Kind of source", choices=Source.Kind.choices, initial=Source.Kind.OFFICIAL
    )
    publisher = forms.CharField(max_length=200, required=False)
    published_on = forms.DateField(
        label="Published on",
        required=False,
        help_text=DATE_HELP,
        error_messages={"invalid": BAD_DATE},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Added to each endorsement's public note, e.g. the announcement.",
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
            raise forms.ValidationError(FUTURE_DATE)
        return value
