"""`seed_bench`: bulk vendors and products for benchmarks, topped up rather than duplicated."""

import io

import pytest
from django.core.management import CommandError, call_command

from cms.demo.bench import MARKET_SLUG, VENDOR_PREFIX, siret_for
from cms.models import MarketPage
from markets.models import MarketStatus
from shop.catalogue.selectors import products_on_sale
from shop.models import Product, ProductImage
from vendors.models import Vendor
from vendors.validators import validate_siret

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def seed_bench(*args) -> str:
    out = io.StringIO()
    call_command("seed_bench", *args, stdout=out)
    return out.getvalue()


def bench_vendors():
    return Vendor.objects.filter(slug__startswith=VENDOR_PREFIX)


def bench_products():
    return Product.objects.filter(vendor__slug__startswith=VENDOR_PREFIX)


def test_creates_the_vendors_and_products_asked_for_in_an_open_market():
    seed_bench("--vendors", "5", "--products", "40")

    market = MarketPage.objects.get(slug=MARKET_SLUG)
    assert market.live and market.status == MarketStatus.OPEN
    assert bench_vendors().filter(status="approved").count() == 5
    assert bench_products().count() == 40
    assert products_on_sale(market=market).count() == 40
    assert products_on_sale(market=market).values("vendor").distinct().count() == 5


def test_running_again_does_not_duplicate():
    seed_bench("--vendors", "5", "--products", "40")

    output = seed_bench("--vendors", "5", "--products", "40")

    assert bench_vendors().count() == 5
    assert bench_products().count() == 40
    assert ProductImage.objects.filter(product__in=bench_products()).count() == 40
    assert "0 created" in output


def test_larger_counts_top_up_to_the_new_totals():
    seed_bench("--vendors", "4", "--products", "30")

    seed_bench("--vendors", "6", "--products", "50")

    market = MarketPage.objects.get(slug=MARKET_SLUG)
    assert bench_vendors().count() == 6
    assert bench_products().count() == 50
    assert market.participations.filter(state="approved").count() == 6
    assert market.get_latest_revision_as_object().participations.count() == 6


def test_products_share_a_handful_of_images_unless_told_not_to():
    seed_bench("--vendors", "3", "--products", "20", "--batch-size", "7")

    images = ProductImage.objects.filter(product__in=bench_products())
    assert images.count() == 20
    assert images.values("image").distinct().count() <= 6
    assert all(alt.startswith("Vignette") for alt in images.values_list("alt_text", flat=True))


def test_no_images_option():
    seed_bench("--vendors", "2", "--products", "10", "--no-images")

    assert not ProductImage.objects.filter(product__in=bench_products()).exists()


def test_bench_vendors_have_valid_siret_numbers():
    for number in (1, 42, 199, 9999):
        validate_siret(siret_for(number))


def test_nonsense_counts_are_refused():
    with pytest.raises(CommandError):
        seed_bench("--vendors", "0", "--products", "10")
