"""Editors' forms outside the model admin's own."""

from django import forms
from django.utils import timezone

from .filters import BAD_DATE
from .models import FUTURE_DATE

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
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Added to each endorsement's public note, e.g. the announcement.",
    )

    def clean_withdrawn_on(self):
        value = self.cleaned_data["withdrawn_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(FUTURE_DATE)
        return value
