"""The shopper's filters on a market's catalogue."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from shop.catalogue.models import Product
from shop.catalogue.selectors import CatalogueQuery, Sort
from shop.money import parse_euros

# Far above any second-hand or solidarity product; keeps typed amounts inside the column range.
MAX_PRICE_CENTS = 100_000_000

SORT_CHOICES = [
    (Sort.RELEVANCE, _("Best match")),
    (Sort.NEWEST, _("Newest first")),
    (Sort.PRICE_ASC, _("Price: low to high")),
    (Sort.PRICE_DESC, _("Price: high to low")),
]


class EuroAmountField(forms.CharField):
    """An amount as French shoppers type it (« 12,50 », « 12 € »), cleaned to cents."""

    default_error_messages = {
        "invalid": _("Enter an amount in euros, for example 12,50."),
        "too_large": _("Enter an amount below 1,000,000 €."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 8})
        )
        super().__init__(**kwargs)

    def clean(self, value) -> int | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            cents = parse_euros(text)
        except (ValueError, ArithmeticError) as exc:  # « 1e400 » overflows the decimal context
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if cents > MAX_PRICE_CENTS:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        return cents


class CompactSelect(forms.Select):
    """A select of many plain options (a market's two hundred vendors) written in one pass,
    not through a template per option: the same HTML, a fraction of the time."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(choice)}"{" selected" if str(choice) in chosen else ""}>'
            f"{escape(label)}</option>"
            for choice, label in self.choices
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        # Every value and label is escaped above, the attributes by `flatatt`.
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}</select>')  # noqa: S308


class CatalogueFilterForm(forms.Form):
    """Search, filters and sort of a market's catalogue, read from the query string.

    `vendors` (with a slug and a name) and `categories` (`CategoryFacet`s) are the market's
    own (see `shop.catalogue.facets`); a value outside them is reported as an error on the
    page. `price_bounds` (cents) hint at the market's cheapest and dearest products.
    """

    q = forms.CharField(
        label=_("Search"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    vendor = forms.ChoiceField(
        label=_("Vendor"), required=False, widget=CompactSelect,
        error_messages={"invalid_choice": _("This vendor does not sell in this market.")},
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False,
        error_messages={"invalid_choice": _("No product of this market is in this category.")},
    )
    condition = forms.MultipleChoiceField(
        label=_("Condition"), required=False, choices=Product.Condition.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose conditions from the list.")},
    )
    min_price = EuroAmountField(label=_("Minimum (€)"))
    max_price = EuroAmountField(label=_("Maximum (€)"))
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=SORT_CHOICES,
        error_messages={"invalid_choice": _("Choose a sort order from the list.")},
    )

    refinement_fields = ("vendor", "category", "condition", "min_price", "max_price", "in_stock")

    def __init__(self, data=None, *, vendors=(), categories=(), price_bounds=(None, None),
                 **kwargs):
        if data is not None and not data.get("sort"):
            data = data.copy()
            data["sort"] = Sort.RELEVANCE if (data.get("q") or "").strip() else Sort.NEWEST
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, **kwargs)
        self.fields["vendor"].choices = [
            ("", _("All vendors")),
            *((vendor.slug, vendor.name) for vendor in vendors),
        ]
        category_choices = [("", _("All categories"))]
        for parent in categories:
            category_choices.append((parent.slug, parent.name))
            category_choices.extend(parent.children)
        self.fields["category"].choices = category_choices
        # Whole euros, rounded outwards, read the same in every language.
        low, high = price_bounds
        if low is not None and high is not None:
            self.fields["min_price"].widget.attrs["placeholder"] = str(low // 100)
            self.fields["max_price"].widget.attrs["placeholder"] = str(-(-high // 100))

    def clean(self):
        cleaned_data = super().clean()
        minimum, maximum = cleaned_data.get("min_price"), cleaned_data.get("max_price")
        if minimum is not None and maximum is not None and minimum > maximum:
            self.add_error(
                "max_price",
                forms.ValidationError(
                    _("The maximum price must be at least the minimum price."),
                    code="min_above_max",
                ),
            )
        return cleaned_data

    @property
    def is_refined(self) -> bool:
        """Whether the shopper narrowed the catalogue, or typed something wrong in it."""
        if not self.is_bound:
            return False
        self.is_valid()
        return bool(self.errors) or any(
            self.cleaned_data.get(name) not in (None, "", [], False)
            for name in self.refinement_fields
        )

    def to_query(self) -> CatalogueQuery:
        """The catalogue query of the valid fields; a field in error is ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return CatalogueQuery(
            q=data.get("q") or "",
            vendor=data.get("vendor") or "",
            category=data.get("category") or "",
            conditions=tuple(data.get("condition") or ()),
            min_price_cents=data.get("min_price"),
            max_price_cents=data.get("max_price"),
            in_stock=bool(data.get("in_stock")),
            sort=data.get("sort") or "",
        )
