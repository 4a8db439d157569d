"""The fulfilment step: one pick-up choice for the whole basket (a point, and a slot when
the market's points have slots), « pick-up or shipping » for each vendor that ships, and
one shipping address."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shop.checkout.models import CheckoutFulfilment
from shop.money import format_cents

Method = CheckoutFulfilment.Method

postcode_validator = RegexValidator(r"^\d{5}$", _("Enter a French postcode of 5 digits."))


def _value(point, slot=None) -> str:
    return f"{point.pk}-{slot.pk}" if slot else str(point.pk)


class PickupField(forms.ChoiceField):
    """A posted value among the choices. A point that is collected in slots, named alone
    (a hand-made request), is refused with the reason rather than « no longer available »."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.points_in_slots: dict[str, str] = {}  # {posted value: point name}

    def validate(self, value):
        if value in self.points_in_slots:
            raise ValidationError(
                _("At « %(point)s », orders are collected in time slots: please choose one."),
                code="slot_needed", params={"point": self.points_in_slots[value]})
        super().validate(value)


class FulfilmentForm(forms.Form):
    """`pickup` is « point » or « point-slot »; `method_<vendor>` exists only for the
    vendors that may ship in this market (the others are collected)."""

    pickup = PickupField(
        label=_("Where and when do you collect your order?"), required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _(
            "This pick-up slot is no longer available: please choose another one.")},
    )
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

    def __init__(self, *args, checkout, vendors, pickup_points, slots, fulfilments, **kwargs):
        """`slots` is {point id: its slots on offer} (`slots_on_offer`); a point that has
        slots but none on offer is not offered."""
        self.checkout = checkout
        self.vendors = list(vendors)
        self.pickup_points = {point.pk: point for point in pickup_points}
        self.slots = slots
        self.with_slots = {point.pk for point in pickup_points if point.pk in slots
                           or getattr(point, "has_slots", False)}
        self.choices = self._pickup_choices()
        self.shipping_vendors = [vendor for vendor in self.vendors
                                 if vendor.ships and checkout.market.shipping_allowed]
        kwargs.setdefault("initial", self._initial(fulfilments))
        super().__init__(*args, **kwargs)
        self.fields["pickup"].choices = [(value, value) for value in self.choices]
        self.fields["pickup"].points_in_slots = {
            _value(point): point.name for point in self.pickup_points.values()
            if self.slots.get(point.pk)}
        for vendor in self.shipping_vendors:
            self.fields[f"method_{vendor.pk}"] = forms.ChoiceField(
                label=_("How do you get the items of %(vendor)s?") % {"vendor": vendor.name},
                choices=[(Method.PICKUP, _("Pick-up")), (Method.SHIPPING, _(
                    "Shipping (%(fee)s)") % {"fee": format_cents(vendor.shipping_fee_cents)})],
                widget=forms.RadioSelect,
            )

    def _pickup_choices(self) -> dict[str, tuple]:
        """{posted value: (point, slot or None)}: a point with slots is chosen with one."""
        choices: dict[str, tuple] = {}
        for point in self.pickup_points.values():
            if point.pk not in self.with_slots:
                choices[_value(point)] = (point, None)
            for slot in self.slots.get(point.pk, ()):
                choices[_value(point, slot)] = (point, slot)
        return choices

    def _initial(self, fulfilments) -> dict:
        initial = {
            "shipping_name": f"{self.checkout.first_name} {self.checkout.last_name}".strip(),
        }
        if len(self.pickup_points) == 1 and len(self.choices) == 1:
            initial["pickup"] = next(iter(self.choices))
        for vendor in self.shipping_vendors:
            initial[f"method_{vendor.pk}"] = Method.PICKUP
        for fulfilment in fulfilments:
            initial[f"method_{fulfilment.vendor_id}"] = fulfilment.method
            if fulfilment.method == Method.SHIPPING:
                for name in self.ADDRESS_FIELDS:
                    initial[name] = getattr(fulfilment, name)
            elif fulfilment.pickup_point_id:
                value = (f"{fulfilment.pickup_point_id}-{fulfilment.pickup_slot_id}"
                         if fulfilment.pickup_slot_id else str(fulfilment.pickup_point_id))
                if value in self.choices:
                    initial["pickup"] = value
        return initial

    def pickup_groups(self) -> list[dict]:
        """The pick-up choices by point, and by day for a point with slots, each radio
        button with its point, slot and places left."""
        radios = {radio.data["value"]: radio for radio in self["pickup"]}
        groups = []
        for point in self.pickup_points.values():
            if point.pk not in self.with_slots:
                groups.append({"point": point, "radio": radios[_value(point)], "days": []})
                continue
            days: dict[str, list] = {}
            for slot in self.slots.get(point.pk, ()):
                days.setdefault(slot.day_label, []).append({
                    "slot": slot, "radio": radios[_value(point, slot)],
                    "places": ngettext("%(count)d place", "%(count)d places",
                                       slot.places_left) % {"count": slot.places_left},
                })
            if days:
                groups.append({"point": point, "radio": None, "days": [
                    {"label": label, "slots": rows} for label, rows in days.items()]})
        return groups

    def vendor_rows(self) -> list[dict]:
        return [
            {"vendor": vendor, "method": self[f"method_{vendor.pk}"]
             if vendor in self.shipping_vendors else None}
            for vendor in self.vendors
        ]

    def address_fields(self) -> list:
        return [self[name] for name in self.ADDRESS_FIELDS]

    def _method(self, vendor) -> str:
        if vendor in self.shipping_vendors:
            return self.cleaned_data.get(f"method_{vendor.pk}") or ""
        return Method.PICKUP

    def clean(self):
        data = super().clean()
        methods = [self._method(vendor) for vendor in self.vendors]
        if (Method.PICKUP in methods and self.pickup_points and not data.get("pickup")
                and "pickup" not in self.errors):
            self.add_error("pickup", _("Choose where and when you collect your order.")
                           if self.with_slots else _("Choose a pick-up point."))
        if Method.SHIPPING in methods:
            for name in self.ADDRESS_FIELDS:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed for shipping."))
        return data

    @transaction.atomic
    def save(self) -> list[CheckoutFulfilment]:
        data = self.cleaned_data
        point, slot = self.choices.get(data.get("pickup") or "", (None, None))
        rows = []
        for vendor in self.vendors:
            method = self._method(vendor)
            row = CheckoutFulfilment(checkout=self.checkout, vendor=vendor, method=method)
            if method == Method.SHIPPING:
                for name in self.ADDRESS_FIELDS:
                    setattr(row, name, data[name])
            else:
                row.pickup_point, row.pickup_slot = point, slot
            rows.append(row)
        self.checkout.fulfilments.all().delete()
        return CheckoutFulfilment.objects.bulk_create(rows)
