import re
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page

from cms.models import StandardPage
from tests.factories import (
    MarketIndexPageFactory,
    MarketPageFactory,
    ProductImageFactory,
    SolidarityProjectPageFactory,
    home_page,
    product_in_market,
    product_url,
    vendor_url,
)

pytestmark = pytest.mark.django_db


def paris(*args):
    return timezone.make_aware(timezone.datetime(*args))


def test_the_home_page_lists_open_and_upcoming_markets_with_french_dates(client):
    MarketPageFactory(title="Marché ouvert")
    MarketPageFactory(
        title="Marché d'hiver", opens_at=paris(2030, 11, 21, 10), closes_at=paris(2030, 12, 24, 19)
    )
    MarketPageFactory(
        title="Marché passé",
        opens_at=timezone.now() - timedelta(days=60),
        closes_at=timezone.now() - timedelta(days=30),
    )

    html = client.get("/").content.decode()

    assert "Marchés en cours" in html and "Marchés à venir" in html
    assert "Marché ouvert" in html
    assert "Marché d&#x27;hiver" in html
    assert "Du 21 novembre au 24 décembre 2030" in html
    assert "Marché passé" not in html
    assert html.index("Marché ouvert") < html.index("Marché d&#x27;hiver")


def test_the_home_page_says_when_no_market_is_on(client):
    html = client.get("/").content.decode()

    assert "Aucun marché n'est ouvert pour le moment." in html


def test_an_unpublished_market_is_not_listed(client):
    market = MarketPageFactory(title="Brouillon")
    market.unpublish()

    assert "Brouillon" not in client.get("/").content.decode()


def test_the_market_index_lists_the_organisers_markets_and_projects(client):
    index = MarketIndexPageFactory(title="Marchés de Nantes")
    MarketPageFactory(title="Noël 2030", parent=index)
    SolidarityProjectPageFactory(title="Jardin partagé", parent=index)

    response = client.get(index.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Marchés de Nantes</h1>" in html
    assert "Noël 2030" in html
    assert "Jardin partagé" in html


def test_the_project_page_tells_its_story_goal_and_the_markets_that_support_it(client):
    project = SolidarityProjectPageFactory(
        title="Épicerie solidaire", beneficiary="Association Le Panier", goal_cents=500_000,
        story="<p>Une épicerie pour tous.</p>",
    )
    market = MarketPageFactory(title="Marché de Noël de Rezé")
    market.solidarity_projects.add(project)
    market.save_revision().publish()
    MarketPageFactory(title="Marché sans projet")

    response = client.get(project.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Bénéficiaire : Association Le Panier" in html
    assert "Une épicerie pour tous." in html
    assert "0,00\xa0€ collectés sur un objectif de 5\u202f000,00\xa0€" in html
    assert '<progress max="500000" value="0"' in html
    assert "Marché de Noël de Rezé" in html
    assert "Marché sans projet" not in html


def test_the_catalogue_lists_the_projects_the_market_supports(client):
    project = SolidarityProjectPageFactory(title="Jardin partagé")
    market = MarketPageFactory()
    market.solidarity_projects.add(project)
    market.save_revision().publish()

    html = client.get(market.url).content.decode()

    assert "Projets solidaires soutenus" in html
    assert "Jardin partagé" in html


def test_a_standard_page_renders_its_blocks(client):
    page = StandardPage(
        title="Conditions de vente",
        slug="cgv",
        body=[
            ("heading", "Retours"),
            ("paragraph", "<p>Vous disposez de <b>14 jours</b>.</p>"),
            ("quote", {"text": "Rien ne se perd.", "author": "Lavoisier"}),
        ],
    )
    home_page().add_child(instance=page)

    response = client.get(page.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Conditions de vente</h1>" in html
    assert "<h2>Retours</h2>" in html
    assert "Vous disposez de <b>14 jours</b>." in html
    assert "<footer>— Lavoisier</footer>" in html
    assert Page.objects.filter(slug="cgv").exists()


def test_storefront_pages_use_no_third_party_host_and_no_inline_script(client):
    market = MarketPageFactory()
    product = product_in_market(market)
    ProductImageFactory(product=product)
    project = SolidarityProjectPageFactory()

    for url in ("/", market.url, product_url(market, product),
                vendor_url(market, product.vendor), project.url):
        html = client.get(url).content.decode()
        assert re.findall(r'(?:src|href|srcset)="(https?://[^"]+)"', html) == [], url
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
        assert all('src="/static/' in attrs and not body.strip() for attrs, body in scripts), url
