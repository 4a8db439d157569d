"""The slots of a pick-up point in « Marchés »: the list with what is booked, « Ajouter des
créneaux », a slot's capacity, its deletion. Only for the organisers of the point's market
(and platform admins): any other point or slot answers 404."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .pickup import PickupPoint, PickupSlot, slot_bookings
from .selectors import market_ids_for_organiser_user
from .slots import (
    SlotError,
    SlotPlan,
    pickup_slot_delete,
    pickup_slot_set_capacity,
    pickup_slots_generate,
)

WEEKDAYS = [(0, gettext_lazy("Monday")), (1, gettext_lazy("Tuesday")),
            (2, gettext_lazy("Wednesday")), (3, gettext_lazy("Thursday")),
            (4, gettext_lazy("Friday")), (5, gettext_lazy("Saturday")),
            (6, gettext_lazy("Sunday"))]
MAX_DAYS = 120


def points_in_reach(user):
    """The pick-up points of the user's own markets."""
    market_ids = market_ids_for_organiser_user(user)
    points = PickupPoint.objects.select_related("market")
    return points if market_ids is None else points.filter(market_id__in=market_ids)


def _slot(request, pk: int) -> PickupSlot:
    return get_object_or_404(
        PickupSlot.objects.select_related("point__market")
        .filter(point__in=points_in_reach(request.user)), pk=pk)


class SlotPlanForm(forms.Form):
    first_day = forms.DateField(label=gettext_lazy("From"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=gettext_lazy("To"),
                               widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("On these days"), choices=WEEKDAYS, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Every day of the period when none is ticked."))
    from_time = forms.TimeField(label=gettext_lazy("From (hour)"),
                                widget=forms.TimeInput(attrs={"type": "time"}))
    to_time = forms.TimeField(label=gettext_lazy("To (hour)"),
                              widget=forms.TimeInput(attrs={"type": "time"}))
    length = forms.IntegerField(label=gettext_lazy("Slot length (minutes)"), min_value=5,
                                max_value=24 * 60, initial=60)
    capacity = forms.IntegerField(label=gettext_lazy("Capacity (baskets per slot)"),
                                  min_value=1, max_value=10_000, initial=8)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and not first <= last <= first + timedelta(days=MAX_DAYS):
            self.add_error("last_day", _("The period must end after it starts, within "
                                         "%(days)d days.") % {"days": MAX_DAYS})
        if data.get("from_time") and data.get("to_time") and data["to_time"] <= data["from_time"]:
            self.add_error("to_time", _("The last hour must come after the first."))
        return data

    def plan(self) -> SlotPlan:
        data = self.cleaned_data
        return SlotPlan(first_day=data["first_day"], last_day=data["last_day"],
                        from_time=data["from_time"], to_time=data["to_time"],
                        length=timedelta(minutes=data["length"]), capacity=data["capacity"],
                        weekdays=frozenset(data["weekdays"]))


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=gettext_lazy("Capacity (baskets)"), min_value=1,
                                  max_value=10_000)


def point_slots_view(request, pk: int):
    point = get_object_or_404(points_in_reach(request.user), pk=pk)
    slots = list(point.slots.all())
    booked = slot_bookings([slot.pk for slot in slots])
    for slot in slots:
        slot.booked = booked.get(slot.pk, 0)
        slot.over_capacity = slot.booked > slot.capacity
        slot.is_past = slot.ends_at <= timezone.now()
    return render(request, "markets/admin/point_slots.html", {"point": point, "slots": slots})


@require_http_methods(["GET", "POST"])
def slots_generate_view(request, pk: int):
    point = get_object_or_404(points_in_reach(request.user), pk=pk)
    form = SlotPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = pickup_slots_generate(point=point, plan=form.plan())
        except SlotError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(count)d slots opened at %(point)s.")
                             % {"count": len(created), "point": point.name})
            return redirect("markets_pickup_point_slots", pk=point.pk)
    return render(request, "markets/admin/slots_generate.html", {"point": point, "form": form})


@require_http_methods(["GET", "POST"])
def slot_capacity_view(request, pk: int):
    slot = _slot(request, pk)
    form = CapacityForm(request.POST or None, initial={"capacity": slot.capacity})
    if request.method == "POST" and form.is_valid():
        try:
            pickup_slot_set_capacity(slot=slot, capacity=form.cleaned_data["capacity"])
        except SlotError as error:
            form.add_error("capacity", str(error))
        else:
            messages.success(request, _("The capacity of the slot %(slot)s is now %(count)d.")
                             % {"slot": slot.label, "count": form.cleaned_data["capacity"]})
            return redirect("markets_pickup_point_slots", pk=slot.point_id)
    return render(request, "markets/admin/slot_capacity.html", {"slot": slot, "form": form})


@require_http_methods(["GET", "POST"])
def slot_delete_view(request, pk: int):
    slot = _slot(request, pk)
    if request.method == "POST":
        try:
            pickup_slot_delete(slot=slot)
        except SlotError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The slot %(slot)s was deleted.") % {"slot": slot.label})
        return redirect("markets_pickup_point_slots", pk=slot.point_id)
    return render(request, "markets/admin/slot_delete.html", {"slot": slot})
