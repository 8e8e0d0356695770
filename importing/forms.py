"""The admin's upload form for a bulk import."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from declaration.models import Declaration

from .reading import MAX_BYTES, TOO_BIG, human_size


class ImportForm(forms.Form):
    declaration = forms.ModelChoiceField(
        queryset=Declaration.objects.order_by("-launched_on"),
        empty_label=None,
        label=_("Declaration"),
        help_text=_("The declaration whose endorsements the file records."),
    )
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "The columns of the participants export. Nothing is written before you "
            "confirm the preview."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                gettext(TOO_BIG).format(size=human_size(upload.size), limit=human_size(MAX_BYTES))
            )
        return upload
