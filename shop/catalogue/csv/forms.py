"""The vendor's upload of a catalogue file, and the confirmation of a checked one."""

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.catalogue.csv import MAX_FILE_BYTES
from shop.catalogue.csv.photos import MAX_ZIP_BYTES
from shop.catalogue.csv.reading import too_large_message

ALLOWED_EXTENSIONS = (".csv", ".txt", ".xlsx")


class CatalogueImportForm(forms.Form):
    """A catalogue file, an optional ZIP of photos and whether to only check them;
    `cleaned_data["file"]` and `["photos"]` are their contents (bytes)."""

    file = forms.FileField(
        label=_("Catalogue file"),
        help_text=_(
            "One product per line, after a header row with the columns: id, reference, "
            "title, description, category, condition, price, stock, solidarity share, "
            "solidarity project, photos (French names such as “titre” or “prix” work too; "
            "only title, category, condition, price and stock are required). A line with "
            "the id or the reference of one of your products updates it; the others are "
            "added. CSV (separator “;”, “,” or tab; UTF-8, Windows-1252 or Excel's "
            "“Unicode text”) or Excel workbook (.xlsx), at most 5,000 products and 5 MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-"
                             "officedocument.spreadsheetml.sheet"}
        ),
    )
    photos = forms.FileField(
        label=_("Photos (ZIP file)"), required=False,
        help_text=_("The photos named in the “photos” column (JPEG, PNG or WebP), in one ZIP "
                    "file of at most 50 MB. Photo links are not accepted."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    dry_run = forms.BooleanField(
        label=_("Check without importing"), required=False, initial=True,
        help_text=_("You will see, line by line, what would be added or changed, and can "
                    "then import the checked file without sending it again."),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(
                _("Choose a .csv, .txt or .xlsx file (in your spreadsheet: “Save as”)."),
                code="extension",
            )
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(too_large_message(), code="too_large")
        return upload.read()

    def clean_photos(self) -> bytes | None:
        upload = self.cleaned_data.get("photos")
        if not upload:
            return None
        if Path(upload.name).suffix.lower() != ".zip":
            raise forms.ValidationError(_("Choose a .zip file of photos."), code="extension")
        if upload.size > MAX_ZIP_BYTES:
            raise forms.ValidationError(
                _("The ZIP file of photos is larger than %(size)s MB.")
                % {"size": MAX_ZIP_BYTES // (1024 * 1024)},
                code="too_large",
            )
        return upload.read()


class CatalogueImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=500)
