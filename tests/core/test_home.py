import re

import pytest
from wagtail.models import Site

from cms.models import HomePage

pytestmark = pytest.mark.django_db


def test_a_fresh_database_serves_the_home_page_as_site_root(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get("/")

    assert response.status_code == 200
    root = Site.objects.get(is_default_site=True).root_page.specific
    assert isinstance(root, HomePage)
    assert root.title == "Marchés solidaires"
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Marchés solidaires" in html
    assert "Welcome to your new Wagtail site" not in html


def test_the_home_page_speaks_french_by_default_and_english_on_request(client):
    french = client.get("/")
    english = client.get("/", headers={"accept-language": "en"})

    assert french["Content-Language"] == "fr"
    assert "Aller au contenu" in french.content.decode()
    assert english["Content-Language"] == "en"
    assert "Skip to content" in english.content.decode()


def test_the_language_can_be_switched_with_the_form(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_pages_load_nothing_from_third_party_hosts(client):
    html = client.get("/").content.decode()

    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []


def test_pages_send_a_content_security_policy_limited_to_the_site(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "https:" not in policy


def test_only_the_admin_allows_wagtails_inline_scripts(client):
    public = client.get("/")["Content-Security-Policy"]
    admin = client.get("/admin/login/")["Content-Security-Policy"]

    assert "'unsafe-inline'" not in public.split("script-src")[1].split(";")[0]
    assert "script-src 'self' 'unsafe-inline'" in admin
