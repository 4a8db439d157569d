"""The « Exports » screen: an organiser exports its markets, a vendor its own orders and
statement; the list shows progress and a download link; nobody downloads another's."""

import json

import pytest
from django.urls import reverse

from reports.models import ReportExport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("reports_exports:index")


def download_url(export) -> str:
    return reverse("reports_exports:download", args=[export.pk])


def ask(client, market, kind="vendor_statement", fmt="csv", capture=None):
    with capture(execute=True):
        response = client.post(INDEX, {"market": market.pk, "kind": kind, "format": fmt})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ReportExport.objects.latest("pk")


def test_an_organiser_exports_a_market_and_downloads_the_file(
        client, fair, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    client.force_login(fair.organiser)

    export = ask(client, fair.market, "orders", "xlsx", django_capture_on_commit_callbacks)

    assert (export.market_id, export.vendor_id, export.state) == (fair.market.pk, None, "done")
    with django_assert_max_num_queries(30):
        page = client.get(INDEX).content.decode()
    assert "Télécharger" in page and download_url(export) in page
    assert 'http-equiv="refresh"' not in page
    response = client.get(download_url(export))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_while_an_export_is_built_the_list_shows_its_progress_and_refreshes(client, fair):
    ReportExport.objects.create(market=fair.market, kind="orders", format="csv",
                                requested_by=fair.organiser, state="running", progress=40)
    client.force_login(fair.organiser)

    page = client.get(INDEX).content.decode()

    assert '<progress id="progress-' in page and 'value="40"' in page and "40 %" in page
    assert 'http-equiv="refresh"' in page


def test_another_organiser_neither_lists_nor_downloads_the_export(
        client, fair, other_fair, django_capture_on_commit_callbacks):
    client.force_login(fair.organiser)
    export = ask(client, fair.market, "orders", "csv", django_capture_on_commit_callbacks)

    client.force_login(other_fair.organiser)

    assert client.get(download_url(export)).status_code == 404
    page = client.get(INDEX).content.decode()
    assert download_url(export) not in page and "Marché A" not in page
    response = client.post(INDEX, {"market": fair.market.pk, "kind": "orders", "format": "csv"})
    assert response.status_code == 200 and ReportExport.objects.count() == 1


def test_a_vendor_exports_its_own_statement_and_orders_only(
        client, fair, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    client.force_login(fair.members[0])
    with django_assert_max_num_queries(30):
        page = client.get(INDEX).content.decode()
    assert 'value="project_statement"' not in page
    assert json.dumps("Mon relevé et mes exports")[1:-1] in page  # the sidebar's JSON

    export = ask(client, fair.market, "vendor_statement", "csv",
                 django_capture_on_commit_callbacks)

    assert export.vendor_id == fair.vendors[0].pk
    body = b"".join(client.get(download_url(export)).streaming_content).decode("utf-8-sig")
    assert "Ateliers A" in body and "Bouquinerie A" not in body
    response = client.post(INDEX, {"market": fair.market.pk, "kind": "project_statement",
                                   "format": "csv"})
    assert response.status_code == 200 and ReportExport.objects.count() == 1


def test_a_vendor_does_not_download_another_vendors_export(
        client, fair, django_capture_on_commit_callbacks):
    client.force_login(fair.members[0])
    export = ask(client, fair.market, "orders", "csv", django_capture_on_commit_callbacks)

    client.force_login(fair.members[1])

    assert client.get(download_url(export)).status_code == 404
    assert download_url(export) not in client.get(INDEX).content.decode()


def test_the_organiser_downloads_its_vendors_exports_and_a_platform_admin_all(
        client, fair, django_capture_on_commit_callbacks):
    client.force_login(fair.members[0])
    export = ask(client, fair.market, "orders", "csv", django_capture_on_commit_callbacks)

    client.force_login(fair.organiser)
    assert client.get(download_url(export)).status_code == 200
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(download_url(export)).status_code == 200


def test_a_user_neither_organiser_nor_vendor_is_refused(client, fair):
    client.force_login(UserFactory())

    assert client.get(INDEX).status_code in (302, 403)


def test_an_export_not_ready_is_not_downloaded(client, fair):
    export = ReportExport.objects.create(market=fair.market, kind="orders", format="csv",
                                         requested_by=fair.organiser)
    client.force_login(fair.organiser)

    assert client.get(download_url(export)).status_code == 404
