"""Checkout steps: contact, fulfilment per vendor, solidarity project, donation, review.
Each step checks what the earlier ones left and sends the shopper back if something is
missing; nothing can be ordered from a market that is not open."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from markets.models import SolidarityProject
from shop.checkout.basket_views import CHECKOUT_SESSION_KEY, session_cart
from shop.checkout.cart import cart_remove, cart_set_quantity
from shop.checkout.forms import ContactForm, DonationForm, FulfilmentForm, ProjectForm, ReviewForm
from shop.checkout.models import Checkout, CheckoutFulfilment
from shop.checkout.selectors import (
    Basket,
    basket_for_cart,
    checkout_review,
    needs_project_choice,
)
from shop.checkout.services import checkout_reopen, checkout_reserve
from shop.money import round_up_donation

STEPS = ("contact", "fulfilment", "project", "donation", "review")
STEP_LABELS = {
    "contact": gettext_lazy("Contact details"),
    "fulfilment": gettext_lazy("Pick-up or shipping"),
    "project": gettext_lazy("Solidarity project"),
    "donation": gettext_lazy("Donation"),
    "review": gettext_lazy("Review"),
}
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


def _load(request) -> tuple[Progress | None, HttpResponseRedirect | None]:
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
    _reopen(checkout)
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


def _guard(request, progress: Progress, step: str) -> HttpResponseRedirect | None:
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


def _reopen(checkout: Checkout) -> None:
    """A step changes the checkout: units held for the payment go back until the review
    reserves them again."""
    if checkout.state == Checkout.State.RESERVED:
        reopened = checkout_reopen(checkout=checkout)
        checkout.state, checkout.revision = reopened.state, reopened.revision


def _render(request, progress: Progress, step: str, template: str, **context):
    steps = [
        {"name": name, "label": STEP_LABELS[name], "url": reverse(f"shop:checkout_{name}"),
         "current": name == step}
        for name in STEPS
        if (name != "project" or progress.needs_project)
        and (name != "donation" or progress.offers_donation)
    ]
    return TemplateResponse(request, f"shop/checkout/{template}", {
        "market": progress.market,
        "offers_donation": progress.offers_donation,
        "basket": progress.basket,
        "checkout": progress.checkout,
        "steps": steps,
        "step": step,
        "basket_count": progress.basket.count,
        "uses_htmx": False,
        **context,
    })


def _data(request):
    return request.POST if request.method == "POST" else None


def _next_after_fulfilment(progress: Progress) -> str:
    if progress.needs_project:
        return reverse("shop:checkout_project")
    return reverse("shop:checkout_donation" if progress.offers_donation else "shop:checkout_review")


def _before_review(progress: Progress) -> str:
    if progress.offers_donation:
        return reverse("shop:checkout_donation")
    return reverse("shop:checkout_fulfilment")


def checkout_start(request):
    progress, redirect = _load(request)
    if redirect:
        return redirect
    missing = progress.missing_step() or ("donation" if progress.offers_donation else "review")
    return HttpResponseRedirect(reverse(f"shop:checkout_{missing}"))


@require_http_methods(["GET", "POST"])
def checkout_contact(request):
    progress, redirect = _load(request)
    if redirect:
        return redirect
    instance = progress.checkout or Checkout(market=progress.market, cart=progress.basket.cart)
    form = ContactForm(_data(request), instance=instance)
    if request.method == "POST" and form.is_valid():
        if progress.checkout:
            _reopen(progress.checkout)
        checkout = form.save()
        request.session[CHECKOUT_SESSION_KEY] = checkout.pk
        return HttpResponseRedirect(reverse("shop:checkout_fulfilment"))
    return _render(request, progress, "contact", "contact.html", form=form)


@require_http_methods(["GET", "POST"])
def checkout_fulfilment(request):
    progress, redirect = _load(request)
    if redirect or (redirect := _guard(request, progress, "fulfilment")):
        return redirect
    form = FulfilmentForm(
        _data(request), checkout=progress.checkout, vendors=progress.vendors,
        pickup_points=list(progress.market.pickup_points.all()),
        fulfilments=progress.fulfilments,
    )
    if request.method == "POST" and form.is_valid():
        _reopen(progress.checkout)
        form.save()
        return HttpResponseRedirect(_next_after_fulfilment(progress))
    return _render(request, progress, "fulfilment", "fulfilment.html", form=form)


@require_http_methods(["GET", "POST"])
def checkout_project(request):
    progress, redirect = _load(request)
    if redirect or (redirect := _guard(request, progress, "project")):
        return redirect
    if not progress.needs_project:
        return HttpResponseRedirect(_next_after_fulfilment(progress))
    checkout = progress.checkout
    initial = {"project": checkout.chosen_project_id} if checkout.chosen_project_id else {}
    form = ProjectForm(_data(request), projects=progress.projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        _reopen(checkout)
        checkout.chosen_project = form.chosen
        checkout.save(update_fields=["chosen_project", "updated_at"])
        return HttpResponseRedirect(reverse("shop:checkout_donation"))
    shared_lines = [
        line for line in progress.basket.available_lines
        if line.product.solidarity_bps and not line.product.solidarity_project_id
    ]
    return _render(request, progress, "project", "project.html", form=form,
                   shared_lines=shared_lines)


@require_http_methods(["GET", "POST"])
def checkout_donation(request):
    progress, redirect = _load(request)
    if redirect or (redirect := _guard(request, progress, "donation")):
        return redirect
    if not progress.offers_donation:
        return HttpResponseRedirect(reverse("shop:checkout_review"))
    checkout = progress.checkout
    choices = progress.projects if progress.donation_asks_project else ()
    form = DonationForm(_data(request), projects=choices,
                        initial=DonationForm.initial_for(checkout, choices))
    if request.method == "POST" and form.is_valid():
        _reopen(checkout)
        form.save(checkout)
        return HttpResponseRedirect(reverse("shop:checkout_review"))
    review = checkout_review(checkout=checkout, basket=progress.basket,
                             fulfilments=progress.fulfilments)
    return _render(
        request, progress, "donation", "donation.html", form=form,
        subtotal_cents=review.subtotal_cents,
        round_up_cents=round_up_donation(review.subtotal_cents),
        back_url=reverse("shop:checkout_project" if progress.needs_project
                         else "shop:checkout_fulfilment"),
    )


@require_http_methods(["GET", "POST"])
def checkout_review_step(request):
    progress, redirect = _load(request)
    if redirect or (redirect := _guard(request, progress, "review")):
        return redirect
    checkout = progress.checkout
    form = ReviewForm(_data(request))
    if request.method == "POST" and form.is_valid():
        checkout.terms_accepted_at = timezone.now()
        checkout.save(update_fields=["terms_accepted_at", "updated_at"])
        result = checkout_reserve(checkout=checkout)
        if not result.unavailable:
            return HttpResponseRedirect(reverse("payments:pay", args=[checkout.reference]))
        _keep_what_is_left(request, progress, result.unavailable)
        return HttpResponseRedirect(reverse("shop:checkout_review"))
    review = checkout_review(checkout=checkout, basket=progress.basket,
                             fulfilments=progress.fulfilments)
    return _render(request, progress, "review", "review.html", form=form, review=review,
                   back_url=_before_review(progress))


def _keep_what_is_left(request, progress: Progress, unavailable) -> None:
    """Some units went to other shoppers meanwhile: the basket keeps what is left, and the
    shopper is told item by item before confirming again."""
    cart = progress.basket.cart
    for item in unavailable:
        if item.available:
            cart_set_quantity(cart=cart, product_id=item.product.pk, quantity=item.available)
            messages.error(request, ngettext(
                "« %(title)s »: only %(count)d unit is left; your basket now holds it.",
                "« %(title)s »: only %(count)d units are left; your basket now holds them.",
                item.available,
            ) % {"title": item.product.title, "count": item.available})
        else:
            cart_remove(cart=cart, product_id=item.product.pk)
            messages.error(request, _("« %(title)s »: none left; it was taken out of your basket.")
                           % {"title": item.product.title})
    messages.warning(request, _("Please check your order again before going on to the payment."))
