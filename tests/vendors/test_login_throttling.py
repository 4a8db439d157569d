import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_login_locks_after_repeated_failures(client, vendor_a, settings):
    settings.AXES_FAILURE_LIMIT = 3
    url = reverse("wagtailadmin_login")

    for _ in range(3):
        client.post(url, {"username": "vendeur-a", "password": "mauvais"})
    locked = client.post(url, {"username": "vendeur-a", "password": "demo"})

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_good_password_logs_in(client, vendor_a):
    response = client.post(
        reverse("wagtailadmin_login"), {"username": "vendeur-a", "password": "demo"}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(vendor_a.user.pk)
