"""The legal pages: written in Wagtail, chosen in the shop settings, linked from every page's
footer at no query once their addresses are cached."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site
from wagtail.test.utils.form_data import rich_text

from cms.demo.legal import build_legal_pages
from cms.legal import legal_links_forget
from cms.models import LegalPage, ShopSettings, StandardPage
from tests.factories import MarketPageFactory, home_page, product_in_market
from tests.helpers import count_queries
from tests.shop.test_views_checkout import CONTACT, fill_basket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_links():
    """The cache outlives each test's database: start from what this test chose."""
    legal_links_forget()
    yield
    legal_links_forget()


def legal_page(title: str, slug: str, body: str = "<p>Texte.</p>") -> LegalPage:
    page = LegalPage(title=title, slug=slug, body=body)
    home_page().add_child(instance=page)
    page.save_revision().publish()
    return page


def shop_settings() -> ShopSettings:
    return ShopSettings.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture
def chosen():
    notice = legal_page("Mentions légales", "mentions-legales")
    privacy = legal_page("Confidentialité", "confidentialite")
    terms = StandardPage(title="Conditions générales de vente", slug="cgv")
    home_page().add_child(instance=terms)
    terms.save_revision().publish()
    settings = shop_settings()
    settings.legal_notice_page, settings.privacy_page, settings.terms_page = (
        notice, privacy, terms)
    settings.save()
    return notice, privacy, terms


def footer(html: str) -> str:
    return html.split('<footer class="site-footer">', 1)[1].split("</footer>", 1)[0]


def test_every_page_links_the_three_legal_pages_in_its_footer(client, chosen):
    market = MarketPageFactory()
    product = product_in_market(market)
    fill_basket(client, market, (product, 1))

    for url in ("/", market.url, CONTACT):
        response = client.get(url)
        assert response.status_code == 200, url
        links = footer(response.content.decode())
        assert '<a href="/mentions-legales/">Mentions légales</a>' in links, url
        assert '<a href="/confidentialite/">Confidentialité</a>' in links, url
        assert '<a href="/cgv/">Conditions générales de vente</a>' in links, url


def test_a_page_not_chosen_or_not_live_is_left_out(client, chosen):
    notice, privacy, terms = chosen
    settings = shop_settings()
    settings.terms_page = None
    settings.save()
    privacy.unpublish()

    links = footer(client.get("/").content.decode())

    assert "/mentions-legales/" in links
    assert "/confidentialite/" not in links and "/cgv/" not in links


def test_without_legal_pages_the_footer_has_no_links(client):
    links = footer(client.get("/").content.decode())

    assert 'class="legal-links"' not in links


def test_a_new_choice_shows_at_once(client, chosen):
    client.get("/")
    other = legal_page("Mentions légales 2026", "mentions-legales-2026")
    settings = shop_settings()
    settings.legal_notice_page = other
    settings.save()

    assert "/mentions-legales-2026/" in footer(client.get("/").content.decode())
    other.slug = "mentions"
    other.save_revision().publish()
    assert "/mentions/" in footer(client.get("/").content.decode())


def test_the_footer_costs_no_query_once_its_links_are_known(client, chosen):
    with_links = count_queries(client, "/")
    legal_links_forget()
    ShopSettings.objects.all().delete()
    without_links = count_queries(client, "/")

    assert with_links == without_links


def test_finding_the_links_again_takes_one_query_on_a_site_page(client, chosen):
    known = count_queries(client, "/")
    legal_links_forget()

    with CaptureQueriesContext(connection) as again:
        client.get("/")

    assert len(again.captured_queries) == known + 1


def test_a_legal_page_shows_its_text_and_when_it_changed(client, chosen):
    notice = legal_page("Mentions", "mentions", "<h2>Éditeur</h2><p>L'<b>association</b></p>")

    html = client.get(notice.url).content.decode()

    assert "<h2>Éditeur</h2>" in html and "<b>association</b>" in html
    assert "Mise à jour le" in html


def test_the_editor_keeps_the_text_sanitised(client):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    url = reverse("wagtailadmin_pages:add", args=["cms", "legalpage", home_page().pk])
    script = "<script>alert(1)</script> Texte"
    shown = {}

    # Plain text (no editor state) is escaped; the editor's state keeps only its features.
    for slug, body in (("brut", script), ("editeur", rich_text(f"<p>{script}</p>"))):
        response = client.post(url, {"title": "Page", "slug": slug, "body": body,
                                     "action-publish": "publish"})
        assert response.status_code == 302
        html = client.get(LegalPage.objects.get(slug=slug).url).content.decode()
        shown[slug] = html.split('<article class="prose">', 1)[1].split("</article>", 1)[0]

    assert "<script" not in shown["brut"] and "<script" not in shown["editeur"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Texte" in shown["brut"]
    assert "alert(1) Texte" in shown["editeur"]


def test_the_demo_writes_the_legal_pages_once_and_keeps_an_editors_choice():
    home = home_page()
    build_legal_pages(home)
    settings = shop_settings()
    privacy = LegalPage.objects.get(pk=settings.privacy_page_id)
    chosen = legal_page("Nos mentions", "nos-mentions")
    settings.legal_notice_page = chosen
    settings.save()

    build_legal_pages(home)

    settings = shop_settings()
    assert settings.legal_notice_page_id == chosen.pk
    assert settings.privacy_page_id == privacy.pk
    assert settings.terms_page.slug == "conditions-generales-de-vente"
    assert LegalPage.objects.filter(slug__in=["mentions-legales", "confidentialite"]).count() == 2
    for text in ("10 ans", "L123-22", "Aucun traceur", "cookie", "CNIL"):
        assert text in privacy.body
