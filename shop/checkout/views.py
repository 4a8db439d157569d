"""Checkout steps: contact, fulfilment per vendor, solidarity project, donation, review.
Each step checks what the earlier ones left and sends the shopper back if something is
missing; nothing can be ordered from a market that is not open."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from shop.checkout.basket_views import CHECKOUT_SESSION_KEY
from shop.checkout.cart import cart_remove, cart_set_quantity
from shop.checkout.forms import ContactForm, DonationForm, ProjectForm, ReviewForm
from shop.checkout.fulfilment_forms import FulfilmentForm
from shop.checkout.models import Checkout
from shop.checkout.progress import STEPS, Progress, load_progress, reopen_for_change, step_guard
from shop.checkout.remembered import contact_remember, contact_remembered
from shop.checkout.review import checkout_review
from shop.checkout.services import checkout_reserve, reservation_minutes
from shop.checkout.slots import pickup_points_with_slots, slots_on_offer
from shop.money import round_up_donation

STEP_LABELS = {
    "contact": gettext_lazy("Contact details"),
    "fulfilment": gettext_lazy("Pick-up or shipping"),
    "project": gettext_lazy("Solidarity project"),
    "donation": gettext_lazy("Donation"),
    "review": gettext_lazy("Review"),
}


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
        "reserved_until": progress.basket.reserved_until,
        "reservation_minutes": reservation_minutes(),
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
    progress, redirect = load_progress(request)
    if redirect:
        return redirect
    missing = progress.missing_step() or ("donation" if progress.offers_donation else "review")
    return HttpResponseRedirect(reverse(f"shop:checkout_{missing}"))


@require_http_methods(["GET", "POST"])
def checkout_contact(request):
    progress, redirect = load_progress(request)
    if redirect:
        return redirect
    instance = progress.checkout or Checkout(market=progress.market, cart=progress.basket.cart)
    # A new basket starts from the details given earlier in this session.
    initial = contact_remembered(request.session) if progress.checkout is None else None
    form = ContactForm(_data(request), instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        if progress.checkout:
            reopen_for_change(progress.checkout)
        checkout = form.save()
        request.session[CHECKOUT_SESSION_KEY] = checkout.pk
        contact_remember(request.session, checkout)
        return HttpResponseRedirect(reverse("shop:checkout_fulfilment"))
    return _render(request, progress, "contact", "contact.html", form=form)


@require_http_methods(["GET", "POST"])
def checkout_fulfilment(request):
    progress, redirect = load_progress(request)
    if redirect or (redirect := step_guard(request, progress, "fulfilment")):
        return redirect
    points = pickup_points_with_slots(market=progress.market)
    form = FulfilmentForm(
        _data(request), checkout=progress.checkout, vendors=progress.vendors,
        pickup_points=points, fulfilments=progress.fulfilments,
        slots=slots_on_offer(points=points, checkout=progress.checkout),
    )
    if request.method == "POST" and form.is_valid():
        reopen_for_change(progress.checkout)
        form.save()
        return HttpResponseRedirect(_next_after_fulfilment(progress))
    return _render(request, progress, "fulfilment", "fulfilment.html", form=form)


@require_http_methods(["GET", "POST"])
def checkout_project(request):
    progress, redirect = load_progress(request)
    if redirect or (redirect := step_guard(request, progress, "project")):
        return redirect
    if not progress.needs_project:
        return HttpResponseRedirect(_next_after_fulfilment(progress))
    checkout = progress.checkout
    initial = {"project": checkout.chosen_project_id} if checkout.chosen_project_id else {}
    form = ProjectForm(_data(request), projects=progress.projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        reopen_for_change(checkout)
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
    progress, redirect = load_progress(request)
    if redirect or (redirect := step_guard(request, progress, "donation")):
        return redirect
    if not progress.offers_donation:
        return HttpResponseRedirect(reverse("shop:checkout_review"))
    checkout = progress.checkout
    choices = progress.projects if progress.donation_asks_project else ()
    form = DonationForm(_data(request), projects=choices,
                        initial=DonationForm.initial_for(checkout, choices))
    if request.method == "POST" and form.is_valid():
        reopen_for_change(checkout)
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
    progress, redirect = load_progress(request)
    if redirect or (redirect := step_guard(request, progress, "review")):
        return redirect
    checkout = progress.checkout
    form = ReviewForm(_data(request))
    if request.method == "POST" and form.is_valid():
        checkout.terms_accepted_at = timezone.now()
        checkout.save(update_fields=["terms_accepted_at", "updated_at"])
        result = checkout_reserve(checkout=checkout)
        if result.slot_full or result.slot_gone:
            messages.error(request, _slot_refused_message(result))
            return HttpResponseRedirect(reverse("shop:checkout_fulfilment"))
        if not result.unavailable:
            return HttpResponseRedirect(reverse("payments:pay", args=[checkout.reference]))
        _keep_what_is_left(request, progress, result.unavailable)
        return HttpResponseRedirect(reverse("shop:checkout_review"))
    review = checkout_review(checkout=checkout, basket=progress.basket,
                             fulfilments=progress.fulfilments)
    return _render(request, progress, "review", "review.html", form=form, review=review,
                   back_url=_before_review(progress))


def _slot_refused_message(result) -> str:
    if result.slot_full:
        return _("The pick-up slot %(slot)s has just filled up: please choose another one. "
                 "Your basket is unchanged.") % {"slot": result.slot_full.label}
    return _("The pick-up slot you chose is no longer offered: please choose another one. "
             "Your basket is unchanged.")


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
