"""Carriers a vendor ships with, and the public page where a shopper follows a parcel."""

from urllib.parse import quote

from django.db import models
from django.utils.translation import gettext_lazy as _


class Carrier(models.TextChoices):
    COLISSIMO = "colissimo", _("La Poste / Colissimo")
    MONDIAL_RELAY = "mondial_relay", _("Mondial Relay")
    CHRONOPOST = "chronopost", _("Chronopost")
    DPD = "dpd", _("DPD")
    GLS = "gls", _("GLS")
    UPS = "ups", _("UPS")
    DHL = "dhl", _("DHL")
    OTHER = "other", _("Another carrier")


TRACKING_URLS = {
    Carrier.COLISSIMO: "https://www.laposte.fr/outils/suivre-vos-envois?code={number}",
    Carrier.MONDIAL_RELAY:
        "https://www.mondialrelay.fr/suivi-de-colis/?NumeroExpedition={number}",
    Carrier.CHRONOPOST:
        "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={number}",
    Carrier.DPD: "https://trace.dpd.fr/fr/trace/{number}",
    Carrier.GLS: "https://gls-group.com/FR/fr/suivi-colis?match={number}",
    Carrier.UPS: "https://www.ups.com/track?loc=fr_FR&tracknum={number}",
    Carrier.DHL: "https://www.dhl.com/fr-fr/home/suivi.html?tracking-id={number}",
}


def tracking_url(carrier: str, number: str) -> str:
    """The carrier's tracking page for `number`; empty for an unknown carrier, whose
    number is given on its own."""
    template = TRACKING_URLS.get(carrier)
    number = number.strip()
    if not template or not number:
        return ""
    return template.format(number=quote(number, safe=""))
