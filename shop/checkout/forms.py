"""Forms of the basket and of the checkout steps: contact, project, donation, review (the
fulfilment step has its own module, `fulfilment_forms`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.checkout.cart import MAX_QUANTITY
from shop.checkout.models import Checkout
from shop.money import format_cents, parse_euros

MAX_DONATION_CENTS = 50_000


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
