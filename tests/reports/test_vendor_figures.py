"""« Mes chiffres »: a vendor's own sales by day and product, commission and shares given,
refunds and payouts received; another vendor's never show."""

import pytest
from django.urls import reverse

from payments.models import Transfer
from shop.orders.services import order_lines_cancel
from tests.factories import ProductFactory, UserFactory, paid_checkout

pytestmark = pytest.mark.django_db

URL = "/admin/reports/my-figures/"


@pytest.fixture
def sales(vendor_a, vendor_b):
    """Vendor A sells 2 × 12,00 € lamps (one later cancelled) and a 5,00 € mug; vendor B a
    99,00 € bike, in the same basket as one of A's."""
    lamp = ProductFactory(vendor=vendor_a.vendor, title="Lampe A", slug="lampe-a",
                          price_cents=1200, stock=5)
    mug = ProductFactory(vendor=vendor_a.vendor, title="Mug A", slug="mug-a",
                         price_cents=500, stock=5)
    bike = ProductFactory(vendor=vendor_b.vendor, title="Vélo de B", slug="velo-b",
                          price_cents=9900, stock=1)
    first = paid_checkout([(lamp, 2), (bike, 1)])
    second = paid_checkout([(mug, 1)], market=first.market)
    order = first.orders.get(vendor=vendor_a.vendor)
    order_lines_cancel(order=order, quantities={order.lines.get().pk: 1})
    Transfer.objects.create(kind=Transfer.Kind.VENDOR, checkout=second, amount_cents=450,
                            order=second.orders.get(), state=Transfer.State.SENT,
                            idempotency_key="test-transfer-a")
    return first, second


def test_the_vendor_sees_its_own_figures(client, vendor_a, sales,
                                         django_assert_max_num_queries):
    client.force_login(vendor_a.user)

    # Session, user, vendor, the five grouped queries of the figures, and the admin's
    # menu and sidebar.
    with django_assert_max_num_queries(30):
        response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "17,00\u00a0€" in html  # 12,00 € lamp kept + 5,00 € mug
    assert "12,00\u00a0€" in html  # the cancelled lamp, refunded
    assert "4,50\u00a0€" in html  # payout received
    assert "Lampe A" in html
    assert "Mug A" in html
    assert "Vélo de B" not in html
    assert "99,00" not in html


def test_another_vendor_sees_only_its_own(client, vendor_b, sales):
    client.force_login(vendor_b.user)

    html = client.get(URL).content.decode()

    assert "Vélo de B" in html
    assert "99,00\u00a0€" in html
    assert "Lampe A" not in html
    assert "Mug A" not in html


def test_a_user_who_is_no_vendor_gets_404(client):
    client.force_login(UserFactory(username="curieuse", is_staff=True))

    assert client.get(URL).status_code in (302, 404)


def test_my_figures_is_in_my_shop(client, vendor_a):
    client.force_login(vendor_a.user)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Mes chiffres" in html
