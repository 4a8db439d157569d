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


PROXY = "10.0.0.2"  # the TLS proxy: every request reaches Django from it


def fail_to_log_in(client, username, x_forwarded_for, times=3):
    for _ in range(times):
        client.post(reverse("wagtailadmin_login"), {"username": username, "password": "mauvais"},
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=x_forwarded_for)


def log_in(client, username, x_forwarded_for):
    return client.post(reverse("wagtailadmin_login"), {"username": username, "password": "demo"},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=x_forwarded_for)


def test_behind_the_proxy_an_attacker_does_not_lock_the_account_for_everyone(
    client, vendor_a, settings
):
    # given one trusted proxy that appends the address it sees to X-Forwarded-For
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3

    # when an attacker fails to log in as the vendor, from behind the same proxy
    fail_to_log_in(client, "vendeur-a", "203.0.113.66")

    # then the vendor, from its own address, still logs in; the attacker stays locked
    assert log_in(client, "vendeur-a", "198.51.100.7").status_code == 302
    assert log_in(client, "vendeur-a", "203.0.113.66").status_code == 429


def test_a_forged_left_most_address_does_not_get_the_attacker_out_of_the_lock(
    client, vendor_a, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3

    for forged in ["1.1.1.1", "2.2.2.2", "3.3.3.3"]:
        fail_to_log_in(client, "vendeur-a", f"{forged}, 203.0.113.66", times=1)
    locked = log_in(client, "vendeur-a", "198.51.100.7, 203.0.113.66")

    assert locked.status_code == 429


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, vendor_a, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.AXES_FAILURE_LIMIT = 3

    fail_to_log_in(client, "vendeur-a", "203.0.113.66")

    # the same connecting address: a forged header cannot escape the lock
    assert log_in(client, "vendeur-a", "198.51.100.7").status_code == 429
