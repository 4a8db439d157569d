"""E-mails about applications, sent after the transaction that decided them commits."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from config.mail import send_templated_email
from vendors.models import Vendor

from .models import Market, MarketParticipation, OrganiserMembership

RETRY = {"autoretry_for": (ConnectionError, TimeoutError, OSError), "retry_backoff": True,
         "max_retries": 5}


def _participation(participation_id: int):
    return (
        MarketParticipation.objects.select_related("vendor", "market")
        .filter(pk=participation_id).first()
    )


def _organiser_addresses(organisers) -> list[str]:
    """The contact address of each organiser and those of its team."""
    organisers = [organiser for organiser in organisers if organiser is not None]
    recipients = {organiser.contact_email for organiser in organisers}
    recipients.update(
        OrganiserMembership.objects.filter(organiser__in=organisers)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(address for address in recipients if address)


@shared_task(**RETRY)
def send_application_received_to_organisers(participation_id: int) -> int:
    participation = _participation(participation_id)
    if participation is None:
        return 0
    return send_templated_email(
        to=_organiser_addresses([participation.market.organiser]),
        template="markets/emails/application_received",
        context={"participation": participation, "vendor": participation.vendor,
                 "market": participation.market,
                 "review_url": f"{settings.SITE_URL}{reverse('wagtailadmin_home')}"},
    )


@shared_task(**RETRY)
def send_participation_decision(participation_id: int) -> int:
    participation = _participation(participation_id)
    if participation is None:
        return 0
    organiser = participation.market.organiser
    return send_templated_email(
        to=[participation.vendor.email],
        template="markets/emails/participation_decision",
        context={"participation": participation, "vendor": participation.vendor,
                 "market": participation.market,
                 "approved": participation.state == MarketParticipation.State.APPROVED,
                 "admin_url": f"{settings.SITE_URL}{reverse('wagtailadmin_home')}"},
        reply_to=[organiser.contact_email] if organiser and organiser.contact_email else None,
    )


@shared_task(**RETRY)
def send_suspension_notices(vendor_id: int, participation_ids: list[int], suspended: bool,
                            everywhere: bool = False) -> int:
    """The vendor learns in which markets it is suspended (or reinstated); the organisers
    of its other markets learn it too, since the vendor is the same structure there. After
    a platform-wide decision, every organiser of its markets is told."""
    changed = list(MarketParticipation.objects.filter(pk__in=participation_ids)
                   .select_related("vendor", "market").order_by("market__title"))
    if not changed:
        return 0
    vendor = changed[0].vendor
    markets = [participation.market for participation in changed]
    deciders = {market.organiser for market in markets}
    others = {
        participation.market.organiser
        for participation in vendor.participations.select_related("market")
        .exclude(pk__in=participation_ids)
    } - deciders
    context = {"vendor": vendor, "markets": markets, "suspended": suspended,
               "everywhere": everywhere}
    sent = send_templated_email(to=[vendor.email], template="markets/emails/suspension_vendor",
                                context=context)
    told = deciders | others if everywhere else others
    return sent + send_templated_email(
        to=_organiser_addresses(told), template="markets/emails/suspension_organisers",
        context=context,
    )


@shared_task(**RETRY)
def send_invitation(participation_id: int) -> int:
    participation = _participation(participation_id)
    if participation is None:
        return 0
    organiser = participation.market.organiser
    return send_templated_email(
        to=[participation.vendor.email], template="markets/emails/invitation",
        context={"participation": participation, "vendor": participation.vendor,
                 "market": participation.market, "organiser": organiser,
                 "answer_url": settings.SITE_URL + reverse("markets_invitation_answer",
                                                           args=[participation.pk])},
        reply_to=[organiser.contact_email] if organiser and organiser.contact_email else None,
    )


@shared_task(**RETRY)
def send_invitation_answer(participation_id: int) -> int:
    participation = _participation(participation_id)
    if participation is None:
        return 0
    return send_templated_email(
        to=_organiser_addresses([participation.market.organiser]),
        template="markets/emails/invitation_answer",
        context={"participation": participation, "vendor": participation.vendor,
                 "market": participation.market,
                 "accepted": participation.state == MarketParticipation.State.APPROVED},
    )


@shared_task
def announce_markets() -> int:
    """Every minute (beat): the markets that opened or closed since are announced."""
    from .lifecycle import markets_announce

    return len(markets_announce())


def _market_emails(market_id: int, template: str) -> int:
    market = Market.objects.filter(pk=market_id).first()
    if market is None:
        return 0
    vendors = Vendor.objects.filter(
        participations__market=market, participations__state=MarketParticipation.State.APPROVED,
    ).order_by("name")
    context = {"market": market, "market_url": f"{settings.SITE_URL}{market.url or ''}",
               "admin_url": f"{settings.SITE_URL}{reverse('wagtailadmin_home')}"}
    sent = sum(
        send_templated_email(to=[vendor.email], template=template,
                             context={**context, "vendor": vendor})
        for vendor in vendors
    )
    return sent + send_templated_email(
        to=_organiser_addresses([market.organiser]), template=template,
        context={**context, "vendors": vendors, "for_organisers": True},
    )


@shared_task(**RETRY)
def send_market_opened(market_id: int) -> int:
    return _market_emails(market_id, "markets/emails/market_opened")


@shared_task(**RETRY)
def send_market_closed(market_id: int) -> int:
    return _market_emails(market_id, "markets/emails/market_closed")
