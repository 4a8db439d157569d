"""A market's own look: its accent colour, readable with white text, and its banner."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cms.colours import contrast_with_white, validate_accent_colour
from tests.factories import (
    ImageFactory,
    MarketPageFactory,
    make_image_file,
    product_in_market,
    product_url,
)

pytestmark = pytest.mark.django_db


def test_the_contrast_is_the_wcag_ratio():
    assert contrast_with_white("#000000") == pytest.approx(21)
    assert contrast_with_white("#ffffff") == pytest.approx(1)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("colour", ["#0b6b3a", "#8A1C1C", "#767676"])
def test_a_dark_enough_colour_is_accepted(colour):
    validate_accent_colour(colour)


@pytest.mark.parametrize("colour", ["#ffcc00", "#777777", "#e53935"])
def test_a_colour_too_light_for_white_text_is_refused_in_french(colour):
    market = MarketPageFactory()
    market.accent_color = colour

    with translation.override("fr"):
        with pytest.raises(ValidationError) as error:
            market.full_clean()
        message = " ".join(error.value.message_dict["accent_color"])
    assert "trop claire" in message and "4,5:1" in message and re.search(r"\d,\d:1", message)


@pytest.mark.parametrize("colour", ["red", "#0b6b3", "0b6b3a1", "#0b6b3g"])
def test_a_colour_must_be_written_in_hexadecimal(colour):
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        validate_accent_colour(colour)

    assert "hexadécimaux" in " ".join(error.value.messages)


def test_the_accent_colour_tints_every_page_of_the_market(client):
    market = MarketPageFactory(accent_color="#8a1c1c")
    teapot = product_in_market(market, title="Théière")

    for url in (market.url, product_url(market, teapot)):
        assert 'style="--accent: #8a1c1c"' in client.get(url).content.decode()


def test_without_accent_colour_the_site_colour_stays(client):
    market = MarketPageFactory()

    assert "--accent" not in client.get(market.url).content.decode()


def test_the_banner_heads_the_market_page_with_its_description_eagerly(client):
    banner = ImageFactory(title="photo-042.jpg", file=make_image_file(1600, 900))
    market = MarketPageFactory(banner=banner, banner_alt="Les chalets du marché sous la neige")

    html = client.get(market.url).content.decode()

    assert 'alt="Les chalets du marché sous la neige"' in html
    assert "srcset=" in html and "600w" in html and "1200w" in html
    banner_tag = html[html.index('class="market-banner"') - 400:html.index('class="market-banner"')]
    assert 'loading="lazy"' not in banner_tag


def test_a_banner_without_description_takes_the_images_title(client):
    market = MarketPageFactory(banner=ImageFactory(title="Chalets sous la neige"))

    assert 'alt="Chalets sous la neige"' in client.get(market.url).content.decode()
