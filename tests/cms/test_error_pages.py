"""The site's own 404 and 500 pages, with DEBUG off: French first, English on request, in
the site's look, with a way back home; the 500 page renders without the database."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.template import loader
from django.test import Client
from django.utils import translation

from tests.factories import MarketPageFactory, product_in_market, product_url

pytestmark = pytest.mark.django_db

# Django's own pages, the ones a visitor must never see.
DJANGO_404 = "<h1>Not Found</h1>"
DJANGO_500 = "<h1>Server Error (500)</h1>"


@pytest.fixture
def shopper():
    return Client(raise_request_exception=False)


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def get(client, url, language=None):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    return client.get(url, **headers)


class TestPageNotFound:
    def test_an_unknown_address_answers_a_french_page_in_the_sites_look(self, shopper):
        response = get(shopper, "/nulle-part/")

        html = response.content.decode()
        assert response.status_code == 404
        assert DJANGO_404 not in html
        assert '<html lang="fr">' in html
        assert "Page introuvable" in html
        assert 'class="site-header"' in html and "css/site.css" in html
        assert 'href="/"' in html

    def test_english_is_served_to_an_english_browser(self, shopper):
        html = get(shopper, "/nulle-part/", language="en").content.decode()

        assert '<html lang="en">' in html
        assert "Page not found" in html

    def test_outside_a_market_it_offers_to_search_the_open_markets(self, shopper):
        market = MarketPageFactory(title="Marché de Noël de Rezé")

        html = get(shopper, "/nulle-part/").content.decode()

        assert 'role="search"' in html and 'name="q"' in html
        assert f'formaction="{market.url}"' in html
        assert "Marché de Noël de Rezé" in html

    def test_under_a_market_it_keeps_the_market_and_searches_its_catalogue(self, shopper):
        market = MarketPageFactory(title="Marché de Noël de Rezé")

        response = get(shopper, f"{market.url}rayon-inconnu/")

        html = response.content.decode()
        assert response.status_code == 404
        assert 'class="breadcrumb"' in html and "Marché de Noël de Rezé" in html
        assert f'action="{market.url}"' in html and 'name="q"' in html

    def test_a_product_gone_from_a_market_keeps_the_market(self, shopper):
        market = MarketPageFactory(title="Marché de Noël de Rezé")
        product = product_in_market(market, title="Lampe années 70")
        url = product_url(market, product)
        product.delete()

        response = get(shopper, url)

        assert response.status_code == 404
        assert f'action="{market.url}"' in response.content.decode()

    def test_it_reads_the_database_a_few_times_only(self, shopper, django_assert_max_num_queries):
        market = MarketPageFactory()
        get(shopper, f"{market.url}rayon-inconnu/")  # warms the site's caches

        # Wagtail's routing (the site, then a page per level), the redirects lookup of a
        # 404, and the page's own: the view restrictions and the nearest market.
        with django_assert_max_num_queries(10):
            response = get(shopper, f"{market.url}rayon-inconnu/")

        assert response.status_code == 404


@pytest.fixture
def failing_views(settings):
    settings.ROOT_URLCONF = "tests.cms.error_urls"


@pytest.mark.usefixtures("failing_views")
class TestServerError:
    def test_a_failing_view_answers_a_french_page_in_the_sites_look(self, shopper):
        response = get(shopper, "/en-panne/")

        html = response.content.decode()
        assert response.status_code == 500
        assert DJANGO_500 not in html
        assert '<html lang="fr">' in html
        assert "Une erreur est survenue" in html
        assert "css/site.css" in html and 'href="/"' in html

    def test_english_is_served_to_an_english_browser(self, shopper):
        html = get(shopper, "/en-panne/", language="en").content.decode()

        assert '<html lang="en">' in html
        assert "Something went wrong" in html

    def test_it_renders_while_the_database_is_down(self, shopper):
        refused = OperationalError("connection refused")

        with mock.patch.object(CursorWrapper, "execute", side_effect=refused):
            response = get(shopper, "/sans-base/")

        assert response.status_code == 500
        assert "Une erreur est survenue" in response.content.decode()

    def test_the_template_needs_no_context_and_no_query(self, django_assert_num_queries):
        with translation.override("fr"), django_assert_num_queries(0):
            html = loader.get_template("500.html").render()

        assert "Une erreur est survenue" in html
