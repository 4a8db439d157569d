"""The donor's offer (public) and the vendor's decision (back office)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shop.catalogue.models import Category, Product
from shop.donations.photos import MAX_PHOTOS, photo_check

MAX_PRICE = Decimal("100000")


class MultiplePhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """One to `MAX_PHOTOS` photos, each checked (size, JPEG/PNG/WebP that Pillow reads)."""

    widget = MultiplePhotosInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data or []) if upload]
        if not uploads:
            raise ValidationError(_("Add at least one photo of the object."))
        if len(uploads) > MAX_PHOTOS:
            raise ValidationError(_("%(count)d photos at most.") % {"count": MAX_PHOTOS})
        errors = []
        for upload in uploads:
            try:
                photo_check(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return uploads


class DonationOfferForm(forms.Form):
    description = forms.CharField(
        label=_("What is the object?"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What it is, its size, its story if you like, and any flaw."))
    condition_guess = forms.ChoiceField(label=_("Its condition, as far as you can tell"),
                                        choices=Product.Condition.choices)
    photos = PhotosField(
        label=_("Photos"),
        help_text=_("From 1 to 5 photos, JPEG, PNG or WebP, 5 MB at most each. Only the "
                    "vendor sees them until it accepts the object."))
    project = forms.ModelChoiceField(
        label=_("Which solidarity project should its sale support?"), queryset=None,
        widget=forms.RadioSelect, empty_label=None)
    donor_name = forms.CharField(label=_("Your name"), max_length=120,
                                 widget=forms.TextInput(attrs={"autocomplete": "name"}))
    donor_email = forms.EmailField(
        label=_("Your e-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send you a link to follow the object, and news of its sale."))
    gift = forms.BooleanField(
        label=_("I give this object: if the vendor accepts it, it will not be given back and "
                "what it sells for, less the vendor's costs, goes to the project."))
    # Left empty by people (it is hidden from them); filled in by robots that fill
    # every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class DonationAcceptForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    price = forms.DecimalField(label=_("Price (€)"), min_value=Decimal("0.01"),
                               max_value=MAX_PRICE, decimal_places=2, localize=True)
    condition = forms.ChoiceField(label=_("Condition"), choices=Product.Condition.choices)
    category = forms.ModelChoiceField(label=_("Category"),
                                      queryset=Category.objects.select_related("parent"))
    costs = forms.DecimalField(
        label=_("Declared costs (€)"), min_value=Decimal("0"), max_value=MAX_PRICE,
        decimal_places=2, localize=True, initial=Decimal("0"),
        help_text=_("What you keep for cleaning, repair and selling, the market's commission "
                    "included. The rest of the price goes to the donor's project."))

    @staticmethod
    def cents(amount: Decimal) -> int:
        return int(amount * 100)


class DonationDeclineForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the donor"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent by e-mail: why you cannot take the object, where else it could go."))
