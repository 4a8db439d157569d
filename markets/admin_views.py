"""Back-office views for organisers: applications to their markets, and the moderation of
the vendors taking part."""

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic

from vendors.models import Vendor
from vendors.permissions import ScopedObjectMixin, ScopedPermissionPolicy, ScopedQuerysetMixin

from .fields import format_rate
from .models import Market, MarketParticipation, PickupPoint
from .selectors import market_ids_for_organiser_user, participation_commission_bps
from .services import participation_decide, participations_suspend, vendor_suspend_everywhere


class MarketOwnedPermissionPolicy(ScopedPermissionPolicy):
    """Objects of a market (`market_id`): an organiser reaches those of its own markets, a
    platform admin all of them."""

    def scope_filter(self, user, actions):
        if user.is_active and user.is_superuser:
            return None
        return Q(market_id__in=market_ids_for_organiser_user(user) or [])


class ParticipationPermissionPolicy(MarketOwnedPermissionPolicy):
    """Organisers act on the applications to their own markets; nobody adds or deletes
    one here (vendors apply through the public form)."""

    def user_has_permission(self, user, action):
        if action in {"add", "delete"}:
            return False
        return user.is_active and super().user_has_permission(user, action)


class ParticipationIndexView(ScopedQuerysetMixin, generic.IndexView):
    page_title = gettext_lazy("Applications")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("vendor", "market")


class ParticipationInspectView(ScopedObjectMixin, generic.InspectView):
    def get_commission_bps_display_value(self):
        return participation_commission_label(self.object)


def participation_commission_label(participation: MarketParticipation) -> str:
    """« 5,5 % », or « 0 % (own rate) » when the organiser set the vendor's rate."""
    rate = format_rate(participation_commission_bps(participation))
    if participation.commission_bps is None:
        return rate
    return _("%(rate)s (own rate)") % {"rate": rate}


class DecisionForm(WagtailAdminModelForm):
    state = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (MarketParticipation.State.APPROVED, gettext_lazy("Approve")),
            (MarketParticipation.State.REFUSED, gettext_lazy("Refuse")),
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=gettext_lazy("Message to the vendor"), required=False, widget=forms.Textarea,
        help_text=gettext_lazy("Sent with the decision. Say why when you refuse."),
    )

    class Meta:
        model = MarketParticipation
        fields = ["state", "message"]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("state") == MarketParticipation.State.APPROVED
            and self.instance.vendor.status == Vendor.Status.SUSPENDED
        ):
            raise forms.ValidationError(
                _("This vendor is suspended: reinstate it before approving an application.")
            )
        if cleaned.get("state") == MarketParticipation.State.REFUSED and not cleaned.get(
            "message", ""
        ).strip():
            self.add_error("message", _("Tell the vendor why its application is refused."))
        return cleaned


class ParticipationDecisionView(ScopedObjectMixin, generic.EditView):
    """The « edit » of an application is the organiser's decision, sent to the vendor."""

    template_name = "markets/admin/decision.html"

    def get_form_class(self):
        return DecisionForm

    def save_instance(self):
        return participation_decide(
            participation=self.object,
            approve=self.form.cleaned_data["state"] == MarketParticipation.State.APPROVED,
            message=self.form.cleaned_data["message"],
        )

    def get_success_message(self):
        instance = self.object
        if instance.state == MarketParticipation.State.APPROVED:
            return _("%(vendor)s is approved for %(market)s; it has been told by e-mail.") % {
                "vendor": instance.vendor, "market": instance.market.title}
        return _("The application of %(vendor)s is refused; it has been told by e-mail.") % {
            "vendor": instance.vendor}

    def form_invalid(self, form):
        messages.error(self.request, _("The decision could not be saved."))
        return super().form_invalid(form)


class VendorIndexView(ScopedQuerysetMixin, generic.IndexView):
    # Wagtail builds « Ajouter un(e) exposant » from the model's name; French says it.
    add_item_label = gettext_lazy("Add a vendor")


class VendorInspectView(ScopedObjectMixin, generic.InspectView):
    pass


class ModerationForm(WagtailAdminModelForm):
    """Suspend or reinstate: everywhere for a platform admin, in the organiser's own
    markets for an organiser (its other markets are not its decision)."""

    status = forms.ChoiceField(label=gettext_lazy("Status"), widget=forms.RadioSelect)

    class Meta:
        model = Vendor
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everywhere = bool(self.for_user and self.for_user.is_superuser)
        self.fields["status"].choices = [
            (Vendor.Status.APPROVED, gettext_lazy("Approved: its products are on sale")),
            (Vendor.Status.SUSPENDED,
             gettext_lazy("Suspended: its products leave every storefront at once")
             if everywhere else
             gettext_lazy("Suspended in my markets: its products leave them at once")),
        ]
        if not everywhere and self.instance.pk:
            self.initial["status"] = (
                Vendor.Status.SUSPENDED if _suspended_in_my_markets(self.instance, self.for_user)
                else Vendor.Status.APPROVED
            )


def _suspended_in_my_markets(vendor: Vendor, user) -> bool:
    return vendor.participations.filter(
        market_id__in=market_ids_for_organiser_user(user) or [],
        state=MarketParticipation.State.SUSPENDED,
    ).exists()


class VendorModerationView(ScopedObjectMixin, generic.EditView):
    """A platform admin suspends or reinstates a vendor on the whole platform; an organiser
    in its own markets. The vendor's profile stays its own."""

    def get_form_class(self):
        return ModerationForm

    def save_instance(self):
        suspend = self.form.cleaned_data["status"] == Vendor.Status.SUSPENDED
        if self.request.user.is_superuser:
            return vendor_suspend_everywhere(vendor=self.object, suspend=suspend)
        participations_suspend(vendor=self.object, suspend=suspend,
                               market_ids=market_ids_for_organiser_user(self.request.user))
        return self.object

    def get_success_message(self):
        vendor = self.object
        if self.request.user.is_superuser:
            if vendor.status == Vendor.Status.SUSPENDED:
                return _("%(vendor)s is suspended: its products are off sale.") % {
                    "vendor": vendor}
            return _("%(vendor)s is approved: its products are on sale again.") % {
                "vendor": vendor}
        if self.form.cleaned_data["status"] == Vendor.Status.SUSPENDED:
            return _("%(vendor)s is suspended in your markets; it has been told by e-mail.") % {
                "vendor": vendor}
        return _("%(vendor)s is on sale again in your markets; it has been told by e-mail.") % {
            "vendor": vendor}


def markets_for_filter(request):
    """The markets a filter may offer: the user's own, never another organiser's."""
    market_ids = market_ids_for_organiser_user(request.user) if request else []
    markets = Market.objects.order_by("-opens_at", "title")
    return markets if market_ids is None else markets.filter(pk__in=market_ids)


class ParticipationFilterSet(WagtailFilterSet):
    market = django_filters.ModelChoiceFilter(label=gettext_lazy("Market"),
                                              queryset=markets_for_filter)

    class Meta:
        model = MarketParticipation
        fields = ["state", "market"]


class PickupPointFilterSet(WagtailFilterSet):
    market = django_filters.ModelChoiceFilter(label=gettext_lazy("Market"),
                                              queryset=markets_for_filter)

    class Meta:
        model = PickupPoint
        fields = ["market"]


class PickupPointPermissionPolicy(MarketOwnedPermissionPolicy):
    """Organisers look at the pick-up points of their own markets. They are written on the
    market page only, where they belong to its revisions: a point changed anywhere else
    would be lost when a draft of the page is published."""

    def user_has_permission(self, user, action):
        if action not in {"view", "inspect", "export"}:
            return False
        return user.is_active and super().user_has_permission(user, "view")


class PickupPointIndexView(ScopedQuerysetMixin, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("market")


class PickupPointInspectView(ScopedObjectMixin, generic.InspectView):
    pass
