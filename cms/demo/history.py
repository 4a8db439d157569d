"""The closed demo market's past sales: a few hundred shoppers' baskets, booked through the
checkout and payment services with the demo gateway, so that the dashboards, reports and
statements read real orders and a ledger that adds up (charged − refunded = ledger, for
every checkout).

The services sell only in an open market and date what they write now, so the sales are
booked inside one transaction in which the market is open, then dated within its dates;
nobody sees the market open. They are sold from the vendors' stocked products (never a
unique item, which the open market still sells), whose stock is put back afterwards: the
vendors restocked since. Booked once: a second run finds the sales and adds nothing, and
moves them only along with the market's dates, when the demo moved those.
"""

import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from cms.models import MarketPage
from markets.models import Market
from outbox.models import OutboxMessage
from payments.gateways import get_gateway
from payments.models import Payment, Refund
from payments.refunds import order_lines_cancel_and_refund
from payments.services import payment_start, payment_succeeded
from shop.catalogue.selectors import products_on_sale
from shop.checkout.cart import cart_add, cart_for_session
from shop.checkout.services import checkout_reserve
from shop.models import Cart, Checkout, CheckoutFulfilment, LedgerEntry, Order, Product

CLOSED_MARKET = "grand-marche-solidaire-d-automne"
CLOSED_MARKET_SALES = 340
SEED = 2025
# One basket in this many has a unit cancelled by its vendor (and refunded) the next day.
CANCEL_EVERY = 50
# How many units of each product the vendors are assumed to have had in stock that season.
SEASON_STOCK = 1000


@dataclass
class History:
    checkouts: int = 0
    refunds: int = 0
    note: str = ""


FIRST_NAMES = ("Léa", "Hugo", "Chloé", "Nathan", "Manon", "Louis", "Inès", "Gabriel", "Jade",
               "Arthur", "Louise", "Jules", "Camille", "Yanis", "Zoé", "Malo", "Maëlle",
               "Sacha", "Nour", "Éloïse", "Mathis", "Anaïs", "Rose", "Tom")
LAST_NAMES = ("Durand", "Le Goff", "Martin", "Bernard", "Guérin", "Moreau", "Nguyen",
              "Lefèvre", "Robin", "Benali", "Le Bihan", "Petit", "Fontaine", "Garnier",
              "Morvan", "Da Silva", "Roux", "Caradec", "Diallo", "Mercier")
STREETS = ("3 rue Kervégan", "12 boulevard Guist'hau", "7 rue de Strasbourg",
           "21 quai de Versailles", "4 place Viarme", "15 rue des Olivettes",
           "9 allée Duguay-Trouin", "30 rue Paul-Bellamy")


def closed_market_sales_book(*, slug: str = CLOSED_MARKET, count: int = CLOSED_MARKET_SALES,
                             market_moved: bool = False, now: datetime | None = None) -> History:
    """Book `count` paid checkouts in the closed market `slug`, once. Booked already, they
    move with the market when this run of the demo moved its dates (`market_moved`)."""
    market = MarketPage.objects.live().filter(slug=slug).first()
    if market is None:
        return History(note="no such market")
    booked = Checkout.objects.filter(market=market, state=Checkout.State.PAID)
    if booked.exists():
        moved = market_moved and _follow_the_dates(market=market, booked=booked, count=count)
        return History(note="booked before" + (", moved with the market's dates" if moved
                                                else ""))
    if get_gateway().name != "demo":
        return History(note="skipped: payments go through Stripe on this site")
    products = list(products_on_sale(market=market).filter(stock__gte=2)
                    .select_related("vendor").order_by("pk"))
    if not products:
        return History(note="no stocked product to sell")
    with transaction.atomic():
        return _book(market=market, products=products, count=count,
                     now=now or timezone.now())


def _book(*, market: MarketPage, products: list[Product], count: int, now) -> History:
    rng = random.Random(SEED + 1)
    dates = (market.opens_at, market.closes_at)
    stock = {product.pk: product.stock for product in products}
    first_message = (OutboxMessage.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    Product.objects.filter(pk__in=stock).update(stock=F("stock") + SEASON_STOCK)
    Market.objects.filter(pk=market.pk).update(opens_at=now - timedelta(days=1),
                                               closes_at=now + timedelta(days=1))
    by_vendor: dict = {}
    for product in products:
        by_vendor.setdefault(product.vendor, []).append(product)
    shop = _Shop(market=Market.objects.get(pk=market.pk), by_vendor=by_vendor, rng=rng,
                 projects=list(market.solidarity_projects.all()),
                 points=list(market.pickup_points.all()))
    history = History()
    for index, moment in enumerate(_moments(*dates, count=count)):
        history.refunds += shop.sell(index=index, moment=moment)
        history.checkouts += 1
    Market.objects.filter(pk=market.pk).update(opens_at=dates[0], closes_at=dates[1])
    for pk, units in stock.items():
        Product.objects.filter(pk=pk).update(stock=units)
    # Their e-mails went out at the time: the outbox must not send them again now.
    OutboxMessage.objects.filter(pk__gte=first_message, done_at__isnull=True).update(
        done_at=now)
    return history


def _moments(opens_at, closes_at, *, count: int) -> list[datetime]:
    """`count` moments between the market's dates, in the day (9:00 to 21:00, Paris), the
    same ones for the same dates."""
    rng = random.Random(SEED)
    first = timezone.localtime(opens_at)
    last = timezone.localtime(closes_at) - timedelta(hours=1)
    days = max((last.date() - first.date()).days, 0)
    moments = []
    for _attempt in range(count * 50):  # a market open only at night gets none
        if len(moments) == count:
            break
        day = first + timedelta(days=rng.randint(0, days))
        moment = day.replace(hour=rng.randint(9, 20), minute=rng.randint(0, 59),
                             second=rng.randint(0, 59), microsecond=0)
        if first <= moment <= last:
            moments.append(moment)
    return sorted(moments)


# What the sales wrote with a date, moved along when the market's dates move.
DATED = (
    (Cart, "checkouts__in", ("created_at", "updated_at")),
    (Checkout, "pk__in", ("created_at", "updated_at", "paid_at", "confirmation_sent_at",
                          "terms_accepted_at")),
    (Payment, "checkout__in", ("created_at", "updated_at")),
    (Refund, "payment__checkout__in", ("created_at",)),
    (LedgerEntry, "checkout__in", ("created_at",)),
    (Order, "checkout__in", ("created_at", "paid_at", "ready_at", "fulfilled_at",
                             "vendor_notified_at")),
)


@transaction.atomic
def _follow_the_dates(*, market: MarketPage, booked, count: int) -> bool:
    """The demo's dates are relative to the day it is loaded: on a later day the market
    has moved, and its sales move by as much, so that they stay between its dates."""
    first_sale = booked.order_by("pk").values_list("paid_at", flat=True).first()
    moments = _moments(market.opens_at, market.closes_at, count=count)
    shift = moments[0] - first_sale if moments and first_sale else None
    if not shift:
        return False
    checkouts = list(booked.values_list("pk", flat=True))
    for model, lookup, fields in DATED:
        model.objects.filter(**{lookup: checkouts}).update(
            **{field: F(field) + shift for field in fields})
    return True


@dataclass
class _Shop:
    market: Market
    by_vendor: dict
    rng: random.Random
    projects: list
    points: list

    def sell(self, *, index: int, moment: datetime) -> int:
        """One shopper's basket, paid at `moment`; returns the refunds made on it."""
        rng = self.rng
        vendors = rng.sample(list(self.by_vendor),
                             k=min(len(self.by_vendor), rng.choice((1, 1, 1, 2, 2, 3, 4))))
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        cart = cart_for_session(session_key=f"demo-history-{index}")
        for vendor in vendors:
            for product in rng.sample(self.by_vendor[vendor],
                                      k=min(len(self.by_vendor[vendor]), rng.choice((1, 1, 2)))):
                cart_add(cart=cart, market=self.market, product=product,
                         quantity=rng.choice((1, 1, 1, 2)))
        project = rng.choice(self.projects) if self.projects and rng.random() < 0.85 else None
        checkout = Checkout.objects.create(
            market=self.market, cart=cart, first_name=first, last_name=last,
            email=f"{_ascii(first)}.{_ascii(last)}.{index}@example.org",
            phone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                  f"{rng.randint(10, 99)}",
            chosen_project=project, terms_accepted_at=moment,
            donation_cents=rng.choice((0, 0, 0, 0, 0, 200, 300, 500, 1000)) if project else 0,
        )
        for vendor in sorted(vendors, key=lambda vendor: vendor.pk):
            self._fulfilment(checkout=checkout, vendor=vendor, name=f"{first} {last}")
        reserved = checkout_reserve(checkout=checkout)
        if not reserved.ok:
            raise RuntimeError(f"demo sale {index}: {reserved.unavailable}")
        payment_succeeded(payment=payment_start(checkout=checkout))
        booked = LedgerEntry.objects.filter(checkout=checkout).aggregate(last=Max("pk"))["last"]
        refunds = self._cancel_some(checkout=checkout) if index % CANCEL_EVERY == 7 else 0
        _date(checkout=checkout, cart=cart, moment=moment, booked=booked, rng=rng)
        return refunds

    def _fulfilment(self, *, checkout: Checkout, vendor, name: str) -> None:
        if self.points and (not vendor.ships or self.rng.random() < 0.6):
            CheckoutFulfilment.objects.create(checkout=checkout, vendor=vendor,
                                              pickup_point=self.rng.choice(self.points))
            return
        CheckoutFulfilment.objects.create(
            checkout=checkout, vendor=vendor, method=CheckoutFulfilment.Method.SHIPPING,
            shipping_name=name, shipping_address=self.rng.choice(STREETS),
            shipping_postcode="44000", shipping_city="Nantes",
        )

    def _cancel_some(self, *, checkout: Checkout) -> int:
        """A vendor could not serve one unit of an order of several: it cancels that unit
        and the shopper is refunded for it, the rest of the order goes on."""
        for order in checkout.orders.order_by("pk"):
            lines = list(order.lines.order_by("-quantity", "pk"))
            if len(lines) > 1 or lines[0].quantity > 1:
                order_lines_cancel_and_refund(order=order, quantities={lines[0].pk: 1})
                return 1
        return 0


def _date(*, checkout: Checkout, cart: Cart, moment: datetime, booked: int,
          rng: random.Random) -> None:
    """Date what the services wrote now at the moment of the sale; a cancellation comes
    the next day, the orders are handed over within the week."""
    later = moment + timedelta(days=1)
    Cart.objects.filter(pk=cart.pk).update(created_at=moment - timedelta(minutes=12),
                                           updated_at=moment)
    Checkout.objects.filter(pk=checkout.pk).update(
        created_at=moment - timedelta(minutes=6), updated_at=moment, paid_at=moment,
        confirmation_sent_at=moment)
    Payment.objects.filter(checkout=checkout).update(created_at=moment - timedelta(minutes=1),
                                                     updated_at=moment)
    Refund.objects.filter(payment__checkout=checkout).update(created_at=later)
    ledger = LedgerEntry.objects.filter(checkout=checkout)
    ledger.filter(pk__lte=booked).update(created_at=moment)
    ledger.filter(pk__gt=booked).update(created_at=later)
    orders = Order.objects.filter(checkout=checkout)
    orders.update(created_at=moment, paid_at=moment, vendor_notified_at=moment)
    handed_over = moment + timedelta(days=rng.randint(2, 6))
    orders.filter(state=Order.State.PAID).update(
        state=Order.State.FULFILLED, ready_at=moment + timedelta(days=1),
        fulfilled_at=handed_over)


def _ascii(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "-").replace("'", "")
