"""`load_demo`: the contract of DESIGN §7, idempotence, accounts and their permissions.

The demo is loaded once for the module (first without accounts, then with --force) inside
a transaction rolled back at the end, so the rest of the suite never sees it.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, F, Q
from django.test import RequestFactory
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupPagePermission, Page, Revision, Site

from cms.colours import validate_accent_colour
from cms.demo.data import OPEN_MARKET
from cms.demo.history import CLOSED_MARKET
from cms.legal import legal_links_forget
from cms.models import MarketIndexPage, MarketPage, SolidarityProjectPage
from markets.models import (
    MarketParticipation,
    MarketStatus,
    Organiser,
    OrganiserMembership,
    PickupPoint,
)
from outbox.models import OutboxMessage
from payments.ledger import checkout_balance
from payments.models import Payment, Refund
from shop.catalogue.selectors import products_on_sale
from shop.models import Checkout, LedgerEntry, Order, OrderLine, Product, ProductImage
from tests.cms.demo_loading import demo_database, load_demo
from vendors.models import Vendor, VendorMembership

pytestmark = pytest.mark.django_db

DEMO_MODELS = (
    Page, Revision, Collection, Organiser, Vendor, MarketParticipation, PickupPoint, Product,
    ProductImage, Group, GroupPagePermission, OrganiserMembership, VendorMembership,
)


def snapshot() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in DEMO_MODELS}
    counts["Image"] = get_image_model().objects.count()
    counts["User"] = get_user_model().objects.count()
    return counts


@dataclass
class Demo:
    output_without_accounts: str
    users_without_accounts: set[str]
    output_with_force: str

    @property
    def market(self) -> MarketPage:
        return MarketPage.objects.get(slug=OPEN_MARKET)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_database(django_db_blocker, tmp_path_factory.mktemp("demo-media")):
        without_accounts = load_demo()
        users = set(get_user_model().objects.values_list("username", flat=True))
        with_force = load_demo("--force")
        yield Demo(without_accounts, users, with_force)


def login(client, username: str) -> bool:
    request = RequestFactory().post("/admin/login/")
    return client.login(request=request, username=username, password="demo")


class TestDemoContent:
    def test_one_market_open_since_a_week_one_upcoming_one_closed(self, demo):
        now = timezone.now()

        statuses = [market.status for market in MarketPage.objects.live()]

        assert demo.market.status == MarketStatus.OPEN
        assert timedelta(days=6) < now - demo.market.opens_at < timedelta(days=8)
        assert timedelta(days=29) < demo.market.closes_at - now < timedelta(days=31)
        assert statuses.count(MarketStatus.UPCOMING) >= 1
        assert statuses.count(MarketStatus.CLOSED) >= 1

    def test_catalogue_counts_meet_the_contract(self, demo):
        products = Product.objects.all()

        assert Vendor.objects.count() >= 8
        assert products.count() >= 80
        assert products.filter(stock=1).exclude(condition="new").count() >= 20
        assert products.filter(stock=0).exists()
        assert SolidarityProjectPage.objects.live().count() >= 3
        assert demo.market.solidarity_projects.count() >= 3
        assert demo.market.pickup_points.count() == 2

    def test_the_open_market_has_its_banner_and_a_readable_accent_colour(self, demo):
        market = demo.market

        assert market.banner is not None
        assert market.accent_color
        validate_accent_colour(market.accent_color)

    def test_the_open_market_sells_products_of_at_least_eight_vendors(self, demo):
        on_sale = products_on_sale(market=demo.market)

        assert on_sale.values("vendor").distinct().count() >= 8
        assert on_sale.count() >= 80

    def test_suspended_and_pending_vendors_sell_nothing(self, demo):
        on_sale = products_on_sale(market=demo.market)
        suspended = Vendor.objects.get(status=Vendor.Status.SUSPENDED)
        pending = MarketParticipation.objects.get(market=demo.market, state="applied").vendor

        assert suspended.products.exists() and pending.products.exists()
        assert not on_sale.filter(vendor__in=[suspended, pending]).exists()

    def test_solidarity_shares_and_shipping_vary(self, demo):
        products = Product.objects.all()

        assert products.filter(solidarity_bps=0).exists()
        assert products.filter(solidarity_bps__range=(500, 2000)).exists()
        assert products.filter(solidarity_bps__gt=0, solidarity_project__isnull=False).exists()
        assert products.filter(solidarity_bps__gt=0, solidarity_project__isnull=True).exists()
        assert Vendor.objects.filter(ships=True, shipping_fee_cents__gt=0).exists()
        assert Vendor.objects.filter(is_professional=True).exists()
        assert Vendor.objects.filter(is_professional=False).exists()

    def test_vendor_identifiers_are_valid(self, demo):
        for vendor in Vendor.objects.all():
            vendor.full_clean()

    def test_every_product_has_illustrations_in_its_vendor_collection(self, demo):
        for product in Product.objects.select_related("vendor").prefetch_related(
            "images__image"
        ):
            images = list(product.images.all())

            assert 1 <= len(images) <= 2, product
            for product_image in images:
                assert product_image.alt_text.startswith("Vignette"), product_image.alt_text
                assert product.title in product_image.alt_text
                assert product_image.image.collection_id == product.vendor.collection_id

    def test_illustrations_are_real_images_drawn_locally(self, demo):
        image = ProductImage.objects.select_related("image").first().image

        with image.open_file() as file, PILImage.open(file) as picture:
            assert picture.format == "PNG"
            assert picture.size == (image.width, image.height) == (800, 600)

    def test_page_tree_gives_each_organiser_its_index(self, demo):
        home = Site.objects.get(is_default_site=True).root_page.specific
        indexes = MarketIndexPage.objects.child_of(home).live()

        assert home.intro
        assert indexes.count() == 2
        for index in indexes:
            assert MarketPage.objects.child_of(index).live().exists()
            assert SolidarityProjectPage.objects.child_of(index).live().exists()
        assert not Page.objects.filter(has_unpublished_changes=True).exists()

    def test_published_revisions_keep_participations_and_pick_up_points(self, demo):
        revision = demo.market.get_latest_revision_as_object()

        assert revision.participations.count() == demo.market.participations.count()
        assert revision.pickup_points.count() == 2


    def test_every_page_links_the_legal_pages(self, demo, client):
        legal_links_forget()
        footer = client.get("/").content.decode().split('class="site-footer"', 1)[1]

        for slug in ("mentions-legales", "confidentialite", "conditions-generales-de-vente"):
            assert f'href="/{slug}/"' in footer
            assert client.get(f"/{slug}/").status_code == 200


class TestDemoIsIdempotent:
    def test_running_again_changes_nothing(self, demo):
        before = snapshot()
        dates = (demo.market.opens_at, demo.market.closes_at)

        output = load_demo("--force")

        assert snapshot() == before
        assert (demo.market.opens_at, demo.market.closes_at) == dates
        assert "images drawn this run: 0" in output

    def test_running_again_reopens_a_market_whose_dates_went_by(self, demo):
        long_ago = timezone.now() - timedelta(days=400)
        MarketPage.objects.filter(pk=demo.market.pk).update(
            opens_at=long_ago, closes_at=long_ago + timedelta(days=10)
        )

        load_demo()

        assert demo.market.status == MarketStatus.OPEN
        assert demo.market.get_latest_revision_as_object().status == MarketStatus.OPEN


class TestDemoAccounts:
    usernames = ("admin", "orga", "orga-2", "vendeur-ressourcerie-de-l-ile")

    def test_without_debug_or_force_no_account_is_created(self, demo):
        assert "accounts skipped" in demo.output_without_accounts
        assert not set(self.usernames) & demo.users_without_accounts

    def test_force_creates_the_accounts(self, demo):
        users = get_user_model().objects

        assert users.get(username="admin").is_superuser
        assert OrganiserMembership.objects.filter(user__username="orga").exists()
        assert OrganiserMembership.objects.filter(user__username="orga-2").exists()
        for vendor in Vendor.objects.all():
            assert VendorMembership.objects.filter(
                vendor=vendor, user__username=f"vendeur-{vendor.slug}", role="owner"
            ).exists()
        assert "vendeur-ressourcerie-de-l-ile" in demo.output_with_force

    def test_debug_alone_creates_the_accounts(self, demo, settings):
        get_user_model().objects.filter(username__in=self.usernames).delete()
        settings.DEBUG = True

        load_demo()

        assert get_user_model().objects.filter(username__in=self.usernames).count() == 4

    @pytest.mark.parametrize("username", usernames)
    def test_accounts_log_in_with_password_demo(self, demo, client, username):
        assert login(client, username)

    def test_accounts_use_the_admin_in_french(self, demo):
        for user in get_user_model().objects.filter(username__in=self.usernames):
            assert user.wagtail_userprofile.preferred_language == "fr"

    def test_organisers_and_vendors_reach_the_admin(self, demo):
        users = get_user_model().objects

        for username in ("orga", "orga-2", "vendeur-fil-et-trame"):
            assert users.get(username=username).has_perm("wagtailadmin.access_admin")

    def test_each_organiser_edits_its_own_subtree_only(self, demo):
        users = get_user_model().objects
        orga, orga_2 = users.get(username="orga"), users.get(username="orga-2")
        own_market = demo.market
        other_market = MarketPage.objects.get(slug="marche-de-noel-du-reemploi-de-saint-nazaire")
        home = Site.objects.get(is_default_site=True).root_page

        assert own_market.permissions_for_user(orga).can_edit()
        assert own_market.permissions_for_user(orga).can_publish()
        assert own_market.get_parent().permissions_for_user(orga).can_add_subpage()
        assert not other_market.permissions_for_user(orga).can_edit()
        assert other_market.permissions_for_user(orga_2).can_edit()
        assert not own_market.permissions_for_user(orga_2).can_edit()
        assert not home.permissions_for_user(orga).can_edit()
        assert not home.permissions_for_user(orga_2).can_edit()


class TestDemoAccountsInTheBackOffice:
    """DESIGN §7 accounts, tried as a person would after `make run`."""

    def test_a_vendor_sees_only_its_own_products(self, demo, client):
        vendor = Vendor.objects.filter(status=Vendor.Status.APPROVED).order_by("slug").first()
        other = Product.objects.exclude(vendor=vendor).order_by("pk").first()
        assert login(client, f"vendeur-{vendor.slug}")

        html = client.get("/admin/shop/products/", {"per_page": 100}).content.decode()
        response = client.get(f"/admin/shop/products/edit/{other.pk}/")

        own = Product.objects.filter(vendor=vendor).order_by("pk").first()
        assert own.title in html
        assert other.title not in html
        assert response.status_code == 404

    def test_orga_sees_all_vendors_and_the_pending_applications(self, demo, client):
        assert login(client, "orga")
        market_vendors = Vendor.objects.filter(participations__market=demo.market).distinct()
        pending = MarketParticipation.objects.filter(market=demo.market, state="applied")

        vendors_html = client.get("/admin/markets/vendors/", {"per_page": 100}).content.decode()
        applications_html = client.get(
            "/admin/markets/applications/", {"state": "applied"}
        ).content.decode()

        assert pending.exists()
        for vendor in market_vendors:
            assert escape(vendor.name) in vendors_html
        for participation in pending:
            assert escape(participation.vendor.name) in applications_html


class TestClosedMarketSales:
    """The closed market's past sales, booked through the checkout and payment services so
    that dashboards, reports and statements have something to show."""

    @staticmethod
    def closed_market() -> MarketPage:
        return MarketPage.objects.get(slug=CLOSED_MARKET)

    def test_a_few_hundred_checkouts_were_paid_between_its_dates(self, demo):
        market = self.closed_market()
        checkouts = Checkout.objects.filter(market=market)

        paid = checkouts.filter(state=Checkout.State.PAID)

        assert market.status == MarketStatus.CLOSED
        assert paid.count() == checkouts.count() >= 200
        assert not paid.filter(paid_at__lt=market.opens_at).exists()
        assert not paid.filter(paid_at__gte=market.closes_at).exists()
        assert not Order.objects.filter(checkout__market=market).filter(
            Q(paid_at__lt=market.opens_at) | Q(paid_at__gte=market.closes_at)).exists()
        assert Order.objects.filter(checkout__market=market).values("vendor").distinct(
            ).count() >= 3
        assert paid.annotate(vendors=Count("orders")).filter(vendors__gte=2).exists()

    def test_charged_minus_refunded_is_the_ledger_for_every_checkout(self, demo):
        checkouts = list(Checkout.objects.filter(market=self.closed_market()))

        balances = [checkout_balance(checkout=checkout) for checkout in checkouts]

        assert all(balance.balanced for balance in balances)
        assert all(balance.charged_cents > 0 for balance in balances)
        assert sum(balance.refunded_cents > 0 for balance in balances) >= 3

    def test_some_give_to_its_projects_and_a_few_were_partly_refunded(self, demo):
        market = self.closed_market()
        ledger = LedgerEntry.objects.filter(checkout__market=market)
        projects = set(market.solidarity_projects.values_list("pk", flat=True))

        donations = ledger.filter(kind=LedgerEntry.Kind.DONATION)
        shares = ledger.filter(kind=LedgerEntry.Kind.SOLIDARITY, amount_cents__gt=0)

        assert donations.exists() and shares.exists()
        assert set(donations.values_list("project", flat=True)) <= projects
        assert set(shares.values_list("project", flat=True)) <= projects
        partly = Order.objects.filter(checkout__market=market,
                                      state=Order.State.PARTIALLY_REFUNDED)
        assert 3 <= partly.count() <= 20
        assert Refund.objects.filter(order__in=partly, reason=Refund.Reason.CANCELLED).exists()
        assert not OutboxMessage.objects.filter(done_at__isnull=True,
                                                given_up_at__isnull=True).exists()

    def test_the_open_market_still_sells_its_unique_items(self, demo):
        on_sale = products_on_sale(market=demo.market)

        unique = on_sale.filter(stock=1).exclude(condition=Product.Condition.NEW)

        assert unique.count() >= 20
        sold = OrderLine.objects.filter(order__checkout__market=self.closed_market())
        assert not sold.filter(product__stock__lte=1).exists()

    def test_running_again_books_nothing_more(self, demo):
        def counts():
            return {model.__name__: model.objects.count()
                    for model in (Checkout, Order, OrderLine, LedgerEntry, Payment, Refund,
                                  OutboxMessage)}
        before = counts()
        stock = dict(Product.objects.values_list("pk", "stock"))

        output = load_demo()

        assert counts() == before
        assert dict(Product.objects.values_list("pk", "stock")) == stock
        assert "0 paid checkouts" in output

    def test_on_a_later_day_the_sales_move_with_the_market(self, demo):
        # Given the demo loaded three days ago: the market's dates and its sales are three
        # days earlier than today's load would put them
        market = self.closed_market()
        paid = Checkout.objects.filter(market=market).order_by("pk")
        dates = list(paid.values_list("paid_at", flat=True))
        earlier = timedelta(days=3)
        MarketPage.objects.filter(pk=market.pk).update(opens_at=F("opens_at") - earlier,
                                                       closes_at=F("closes_at") - earlier)
        Checkout.objects.filter(market=market).update(paid_at=F("paid_at") - earlier)
        Order.objects.filter(checkout__market=market).update(paid_at=F("paid_at") - earlier)

        # When the demo is loaded today
        load_demo()

        # Then the market is back at today's dates, and its sales with it
        market.refresh_from_db()
        assert list(paid.values_list("paid_at", flat=True)) == dates
        assert not Order.objects.filter(checkout__market=market,
                                        paid_at__lt=market.opens_at).exists()
