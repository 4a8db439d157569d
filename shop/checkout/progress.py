"""Where a shopper stands in the checkout, and the guards every step passes first: a
basket that can be ordered from an open market, and the earlier steps done."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from markets.models import SolidarityProject
from shop.checkout.basket_views import CHECKOUT_SESSION_KEY, session_cart
from shop.checkout.models import Checkout, CheckoutFulfilment
from shop.checkout.selectors import Basket, basket_for_cart, needs_project_choice
from shop.checkout.services import checkout_reopen

STEPS = ("contact", "fulfilment", "project", "donation", "review")
ONGOING = (Checkout.State.OPEN, Checkout.State.RESERVED)


@dataclass
class Progress:
    """Where a shopper stands: the basket, its market, the checkout and what it lacks."""

    basket: Basket
    checkout: Checkout | None
    fulfilments: list
    projects: list
    needs_project: bool

    @property
    def market(self):
        return self.basket.market

    @property
    def offers_donation(self) -> bool:
        """A donation needs a project to go to: none is asked in a market without one."""
        return bool(self.projects)

    @property
    def donation_asks_project(self) -> bool:
        """No project was chosen for the shares: the donation step asks where it goes."""
        return self.offers_donation and not self.needs_project

    @property
    def vendors(self) -> list:
        return [group.vendor for group in self.basket.groups
                if any(line.is_available for line in group.lines)]

    def missing_step(self) -> str | None:
        """The first step before the review that is not done yet."""
        checkout = self.checkout
        if checkout is None or not checkout.email:
            return "contact"
        if not self._fulfilments_complete():
            return "fulfilment"
        project_ids = {project.pk for project in self.projects}
        if self.needs_project and checkout.chosen_project_id not in project_ids:
            return "project"
        gives = checkout.donation_cents or checkout.donation_round_up
        if gives and checkout.chosen_project_id not in project_ids:
            return "donation"
        return None

    def _fulfilments_complete(self) -> bool:
        by_vendor = {fulfilment.vendor_id: fulfilment for fulfilment in self.fulfilments}
        market = self.market
        for vendor in self.vendors:
            fulfilment = by_vendor.get(vendor.pk)
            if fulfilment is None:
                return False
            if fulfilment.method == CheckoutFulfilment.Method.SHIPPING and not (
                vendor.ships and market.shipping_allowed
            ):
                return False
            if fulfilment.method == CheckoutFulfilment.Method.PICKUP and (
                fulfilment.pickup_point is not None
                and fulfilment.pickup_point.market_id != market.pk
            ):
                return False
        return True


def load_progress(request) -> tuple[Progress | None, HttpResponseRedirect | None]:
    """The shopper's progress, or where to send them when the basket cannot be ordered."""
    basket = basket_for_cart(session_cart(request))
    if basket.is_empty:
        messages.info(request, _("Your basket is empty."))
        return None, HttpResponseRedirect(reverse("shop:basket"))
    if not basket.market.is_open:
        messages.error(request, _("This market is not open: orders cannot be placed in it now."))
        return None, HttpResponseRedirect(reverse("shop:basket"))
    if not basket.available_lines:
        messages.error(request, _("None of the items in your basket can be ordered any more."))
        return None, HttpResponseRedirect(reverse("shop:basket"))
    checkout = _ongoing_checkout(request, basket)
    fulfilments = (
        list(checkout.fulfilments.select_related("pickup_point", "vendor")) if checkout else []
    )
    projects = list(
        SolidarityProject.objects.live().filter(markets=basket.market).order_by("title")
    )
    progress = Progress(
        basket=basket, checkout=checkout, fulfilments=fulfilments, projects=projects,
        needs_project=needs_project_choice(basket) and bool(projects),
    )
    if checkout is not None and not progress.offers_donation:
        _drop_donation(request, checkout)
    return progress, None


def _drop_donation(request, checkout: Checkout) -> None:
    """The market no longer supports any project: a donation chosen earlier would reach
    none, so it is taken off before the shopper pays."""
    if not (checkout.donation_cents or checkout.donation_round_up):
        return
    reopen_for_change(checkout)
    checkout.donation_cents = 0
    checkout.donation_round_up = False
    checkout.save(update_fields=["donation_cents", "donation_round_up", "updated_at"])
    messages.info(request, _("This market no longer supports any solidarity project: your "
                             "donation was taken off."))


def _ongoing_checkout(request, basket) -> Checkout | None:
    """The basket's one checkout being filled in: the one this session remembers, else the
    latest of the basket."""
    ongoing = Checkout.objects.select_related("market", "chosen_project").filter(
        cart=basket.cart, market=basket.market, state__in=ONGOING
    )
    checkout_id = request.session.get(CHECKOUT_SESSION_KEY)
    checkout = ongoing.filter(pk=checkout_id).first() if checkout_id else None
    if checkout is None:
        checkout = ongoing.order_by("-created_at", "-pk").first()
        if checkout is not None:
            request.session[CHECKOUT_SESSION_KEY] = checkout.pk
    return checkout


def step_guard(request, progress: Progress, step: str) -> HttpResponseRedirect | None:
    """Send the shopper back to the first earlier step that is not done."""
    missing = progress.missing_step()
    if missing is None or STEPS.index(missing) >= STEPS.index(step):
        return None
    notices = {
        "contact": _("Please give your contact details first."),
        "fulfilment": _("Please choose how you get the items of each seller first."),
        "project": _("Please choose the solidarity project first."),
        "donation": _("Please choose the project that receives your donation first."),
    }
    messages.info(request, notices[missing])
    return HttpResponseRedirect(reverse(f"shop:checkout_{missing}"))


def reopen_for_change(checkout: Checkout) -> None:
    """A step changes the checkout: units held for the payment go back until the review
    reserves them again."""
    if checkout.state == Checkout.State.RESERVED:
        reopened = checkout_reopen(checkout=checkout)
        checkout.state, checkout.revision = reopened.state, reopened.revision
