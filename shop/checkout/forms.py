"""Forms of the basket and of the checkout steps: contact, fulfilment, project, donation,
review."""

from django import forms
from django.core.validators import RegexValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shop.checkout.cart import MAX_QUANTITY
from shop.checkout.models import Checkout, CheckoutFulfilment
from shop.money import format_cents, parse_euros

MAX_DONATION_CENTS = 50_000

Method = CheckoutFulfilment.Method


class AddToBasketForm(forms.Form):
    market = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    product = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, initial=1, required=False
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_quantity(self) -> int:
        return self.cleaned_data.get("quantity") or 1


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=MAX_QUANTITY)


class ContactForm(forms.ModelForm):
    class Meta:
        model = Checkout
        fields = ["email", "first_name", "last_name", "phone"]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }
        help_texts = {"phone": _("Optional: only to reach you about your order.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("email", "first_name", "last_name"):
            self.fields[name].required = True


postcode_validator = RegexValidator(r"^\d{5}$", _("Enter a French postcode of 5 digits."))


class FulfilmentForm(forms.Form):
    """One choice per vendor of the basket (pick-up point or shipping) and one shipping
    address for every vendor that ships."""

    shipping_name = forms.CharField(
        label=_("Name on the parcel"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    shipping_address = forms.CharField(
        label=_("Address"), max_length=255, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    shipping_postcode = forms.CharField(
        label=_("Postcode"), max_length=10, required=False, validators=[postcode_validator],
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    shipping_city = forms.CharField(
        label=_("City"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )

    ADDRESS_FIELDS = ("shipping_name", "shipping_address", "shipping_postcode", "shipping_city")

    def __init__(self, *args, checkout, vendors, pickup_points, fulfilments, **kwargs):
        self.checkout = checkout
        self.vendors = list(vendors)
        self.pickup_points = {point.pk: point for point in pickup_points}
        market = checkout.market
        kwargs.setdefault("initial", self._initial(fulfilments))
        super().__init__(*args, **kwargs)
        point_choices = [
            (str(point.pk), f"{point.name}, {point.address}, {point.postcode} {point.city}")
            for point in self.pickup_points.values()
        ]
        for vendor in self.vendors:
            methods = [(Method.PICKUP, _("Pick-up"))]
            if vendor.ships and market.shipping_allowed:
                methods.append(
                    (Method.SHIPPING, _("Shipping (%(fee)s)") % {
                        "fee": format_cents(vendor.shipping_fee_cents)
                    })
                )
            self.fields[f"method_{vendor.pk}"] = forms.ChoiceField(
                label=_("How do you get the items of %(vendor)s?") % {"vendor": vendor.name},
                choices=methods, widget=forms.RadioSelect,
            )
            if point_choices:
                self.fields[f"pickup_{vendor.pk}"] = forms.ChoiceField(
                    label=_("Pick-up point"), choices=[("", "—"), *point_choices],
                    required=False,
                )

    def _initial(self, fulfilments) -> dict:
        initial = {
            "shipping_name": f"{self.checkout.first_name} {self.checkout.last_name}".strip(),
        }
        only_point = next(iter(self.pickup_points)) if len(self.pickup_points) == 1 else None
        for vendor in self.vendors:
            initial[f"method_{vendor.pk}"] = Method.PICKUP
            initial[f"pickup_{vendor.pk}"] = only_point
        for fulfilment in fulfilments:
            initial[f"method_{fulfilment.vendor_id}"] = fulfilment.method
            if fulfilment.pickup_point_id:
                initial[f"pickup_{fulfilment.vendor_id}"] = fulfilment.pickup_point_id
            if fulfilment.method == Method.SHIPPING:
                for name in self.ADDRESS_FIELDS:
                    initial[name] = getattr(fulfilment, name)
        return initial

    def vendor_rows(self) -> list[dict]:
        return [
            {
                "vendor": vendor,
                "method": self[f"method_{vendor.pk}"],
                "pickup": self[f"pickup_{vendor.pk}"] if self.pickup_points else None,
            }
            for vendor in self.vendors
        ]

    def address_fields(self) -> list:
        return [self[name] for name in self.ADDRESS_FIELDS]

    def clean(self):
        data = super().clean()
        ships = False
        for vendor in self.vendors:
            method = data.get(f"method_{vendor.pk}")
            if method == Method.SHIPPING:
                ships = True
            elif (method == Method.PICKUP and self.pickup_points
                  and not data.get(f"pickup_{vendor.pk}")):
                self.add_error(f"pickup_{vendor.pk}", _("Choose a pick-up point."))
        if ships:
            for name in self.ADDRESS_FIELDS:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed for shipping."))
        return data

    @transaction.atomic
    def save(self) -> list[CheckoutFulfilment]:
        data = self.cleaned_data
        rows = []
        for vendor in self.vendors:
            method = data[f"method_{vendor.pk}"]
            row = CheckoutFulfilment(checkout=self.checkout, vendor=vendor, method=method)
            if method == Method.SHIPPING:
                for name in self.ADDRESS_FIELDS:
                    setattr(row, name, data[name])
            elif self.pickup_points:
                row.pickup_point = self.pickup_points[int(data[f"pickup_{vendor.pk}"])]
            rows.append(row)
        self.checkout.fulfilments.all().delete()
        return CheckoutFulfilment.objects.bulk_create(rows)


class ProjectForm(forms.Form):
    project = forms.TypedChoiceField(
        label=_("Which project should the solidarity share of your purchase support?"),
        coerce=int, widget=forms.RadioSelect,
        error_messages={"required": _("Choose a project.")},
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = {project.pk: project for project in projects}
        self.fields["project"].choices = [
            (project.pk, project.title) for project in self.projects.values()
        ]

    def project_rows(self) -> list[dict]:
        return project_rows(self["project"], self.projects)

    @property
    def chosen(self):
        return self.projects[self.cleaned_data["project"]]


def project_rows(bound_field, projects: dict) -> list[dict]:
    """Each radio button of a project choice with its project, to show more than a title."""
    return [
        {"project": projects[int(choice.data["value"])], "choice": choice}
        for choice in bound_field
    ]


class DonationForm(forms.Form):
    """The optional donation. With `projects`, the shopper also says which of them
    receives it (when no project was chosen for the shares): every donation has one."""

    NONE = "none"
    ROUND_UP = "round_up"
    AMOUNT = "amount"

    choice = forms.ChoiceField(
        label=_("Would you like to add a donation?"), widget=forms.RadioSelect,
        choices=[(NONE, _("No, thank you")), (ROUND_UP, _("Round up")),
                 (AMOUNT, _("Give an amount of my choice"))],
    )
    amount = forms.CharField(
        label=_("Amount in euros"), required=False, max_length=12,
        help_text=_("For example 5 or 2,50. At most 500 €."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = {project.pk: project for project in projects}
        if self.projects:
            self.fields["project"] = forms.TypedChoiceField(
                label=_("Which project should receive your donation?"),
                choices=[(project.pk, project.title) for project in self.projects.values()],
                coerce=int, required=False, widget=forms.RadioSelect,
            )

    @classmethod
    def initial_for(cls, checkout: Checkout, projects=()) -> dict:
        if checkout.donation_round_up:
            initial = {"choice": cls.ROUND_UP}
        elif checkout.donation_cents:
            initial = {"choice": cls.AMOUNT, "amount": format_cents(checkout.donation_cents)
                       .replace("\u00a0€", "").replace("\u202f", "")}
        else:
            initial = {"choice": cls.NONE}
        project_ids = [project.pk for project in projects]
        if checkout.chosen_project_id in project_ids:
            initial["project"] = checkout.chosen_project_id
        elif len(project_ids) == 1:
            initial["project"] = project_ids[0]
        return initial

    def project_rows(self) -> list[dict]:
        return project_rows(self["project"], self.projects)

    def clean(self):
        data = super().clean()
        gives = data.get("choice") in (self.ROUND_UP, self.AMOUNT)
        if (self.projects and gives and not data.get("project")
                and "project" not in self.errors):
            self.add_error("project", _("Choose the project that receives your donation."))
        data["donation_cents"] = 0
        if data.get("choice") == self.AMOUNT:
            try:
                cents = parse_euros(data.get("amount", ""))
            except ValueError:
                self.add_error("amount", _("Enter an amount in euros, for example 5 or 2,50."))
                return data
            if cents <= 0:
                self.add_error("amount", _("Enter an amount above 0 €."))
            elif cents > MAX_DONATION_CENTS:
                self.add_error("amount", _("A donation is at most 500 €."))
            data["donation_cents"] = cents
        return data

    def save(self, checkout: Checkout) -> None:
        data = self.cleaned_data
        checkout.donation_round_up = data["choice"] == self.ROUND_UP
        checkout.donation_cents = data["donation_cents"]
        fields = ["donation_round_up", "donation_cents", "updated_at"]
        if self.projects:
            gives = checkout.donation_round_up or checkout.donation_cents
            checkout.chosen_project = self.projects[data["project"]] if gives else None
            fields.append("chosen_project")
        checkout.save(update_fields=fields)


class ReviewForm(forms.Form):
    terms = forms.BooleanField(
        label=_("I have read and accept the terms of sale."),
        error_messages={"required": _("Accept the terms of sale to go on to the payment.")},
    )
