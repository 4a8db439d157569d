"""The vendor's upload of a catalogue CSV file."""

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.catalogue.csv import MAX_FILE_BYTES
from shop.catalogue.csv.reading import too_large_message

ALLOWED_EXTENSIONS = (".csv", ".txt")


class CatalogueImportForm(forms.Form):
    """A CSV file and whether to only check it; `cleaned_data["file"]` is its content (bytes)."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One product per line, after a header row with the columns: title, description, "
            "category, condition, price, stock, solidarity share (French names such as "
            "“titre” or “prix” work too; description and solidarity share may be left "
            "out). Separator “;” or “,”, encoding UTF-8 or Windows-1252, at most 5,000 "
            "products and 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )
    dry_run = forms.BooleanField(label=_("Check without importing"), required=False)

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(
                _("Choose a .csv or .txt file (in your spreadsheet: “Save as” › CSV)."),
                code="extension",
            )
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(too_large_message(), code="too_large")
        return upload.read()
