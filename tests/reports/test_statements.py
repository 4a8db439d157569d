"""Printable end-of-market statements: a vendor's and a project's, in French amounts, for
the market's organisers and for the vendor itself; 404 for anyone else."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def vendor_url(fair, vendor) -> str:
    return reverse("reports_exports:vendor_statement", args=[fair.participation(vendor).pk])


def project_url(fair) -> str:
    return reverse("reports_exports:project_statement", args=[fair.market.pk, fair.project.pk])


def test_the_organiser_prints_a_vendors_statement(client, fair, django_assert_max_num_queries):
    client.force_login(fair.organiser)

    with django_assert_max_num_queries(20):
        page = client.get(vendor_url(fair, fair.vendors[1])).content.decode()

    assert "Relevé de fin de marché — Bouquinerie A" in page
    assert "50,00\xa0€" in page  # sales: 1 + 3 units at 12,50 €
    assert "− 12,50\xa0€" in page  # one unit refunded
    assert "30,00\xa0€" in page  # net, still owed: nothing transferred
    assert "Épicerie A" in page and "3,75\xa0€" in page
    assert "@media print" in page and "size: A4" in page and "Imprimer" in page


def test_the_organiser_prints_a_projects_statement(client, fair, django_assert_max_num_queries):
    client.force_login(fair.organiser)

    with django_assert_max_num_queries(20):
        page = client.get(project_url(fair)).content.decode()

    assert "Relevé de fin de marché — Épicerie A" in page
    assert "Ateliers A" in page and "Bouquinerie A" in page
    assert "3,00\xa0€" in page and "10,50\xa0€" in page  # donation, total


def test_the_statements_index_lists_the_markets_vendors_and_projects(
        client, fair, django_assert_max_num_queries):
    client.force_login(fair.organiser)

    with django_assert_max_num_queries(30):
        page = client.get(reverse("reports_exports:statements",
                                  args=[fair.market.pk])).content.decode()

    assert vendor_url(fair, fair.vendors[0]) in page and project_url(fair) in page


def test_a_vendor_prints_its_own_statement_only(client, fair):
    client.force_login(fair.members[0])

    assert client.get(vendor_url(fair, fair.vendors[0])).status_code == 200
    assert client.get(vendor_url(fair, fair.vendors[1])).status_code == 404
    assert client.get(project_url(fair)).status_code == 404
    assert client.get(reverse("reports_exports:statements",
                              args=[fair.market.pk])).status_code == 404


def test_another_organiser_gets_404_on_every_statement(client, fair, other_fair):
    client.force_login(other_fair.organiser)

    assert client.get(vendor_url(fair, fair.vendors[0])).status_code == 404
    assert client.get(project_url(fair)).status_code == 404
    assert client.get(reverse("reports_exports:statements",
                              args=[fair.market.pk])).status_code == 404
    # Its own market with the other's project: not one of its projects.
    other = reverse("reports_exports:project_statement",
                    args=[other_fair.market.pk, fair.project.pk])
    assert client.get(other).status_code == 404


def test_a_stranger_is_refused(client, fair):
    client.force_login(UserFactory())

    assert client.get(vendor_url(fair, fair.vendors[0])).status_code in (302, 403, 404)
