"""Editors' forms outside the model admin's own."""

from django import forms
from django.utils import timezone

from declaration.models import Declaration

from .importing import MAX_BYTES, TOO_BIG, human_size
from .models import FUTURE_DATE


class ImportForm(forms.Form):
    declaration = forms.ModelChoiceField(
        queryset=Declaration.objects.order_by("-launched_on"),
        empty_label=None,
        help_text="The declaration whose endorsements the file records.",
    )
    file = forms.FileField(
        label="CSV or XLSX file",
        help_text="The columns of the participants export. Nothing is written before you "
        "confirm the preview.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                TOO_BIG.format(size=human_size(upload.size), limit=human_size(MAX_BYTES))
            )
        return upload


class WithdrawalForm(forms.Form):
    """The date (and an optional public note) for withdrawing several endorsements at once."""

    withdrawn_on = forms.DateField(
        label="Withdrawn on",
        input_formats=["%Y-%m-%d"],  # 01/03/2024 could be January or March
        help_text="YYYY-MM-DD: the day the withdrawals took effect.",
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
