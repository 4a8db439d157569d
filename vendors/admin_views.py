"""Back-office views about vendors: « Ma structure » for vendors, moderation for organisers."""

from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.images import get_image_model
from wagtail.images.widgets import AdminImageChooser
from wagtail.permissions import policy_registry

from config.forms import HundredthsFieldsMixin

from .models import Vendor
from .selectors import vendor_for_user


def _choosable_images(user):
    """The images the user may choose: its own collection's (`wagtail.images` permissions
    per collection), never another vendor's."""
    if user is None:
        return get_image_model().objects.none()
    policy = policy_registry.get_by_type(get_image_model())
    return policy.instances_user_has_any_permission_for(user, ["choose"])


def _projects_of_its_organisers(projects, vendor: Vendor):
    """Live projects of the organisers whose markets the vendor takes part in: a project
    page sits in its organiser's space, next to that organiser's markets."""
    if vendor.pk is None:
        return projects.none()
    market_paths = vendor.participations.values_list("market__path", flat=True)
    steplen = projects.model.steplen
    spaces = {path[:-steplen] for path in market_paths}
    if not spaces:
        return projects.none()
    in_a_space = Q()
    for space in spaces:
        in_a_space |= Q(path__startswith=space, depth=len(space) // steplen + 1)
    return projects.live().filter(in_a_space).order_by("title")


class VendorProfileForm(HundredthsFieldsMixin, WagtailAdminModelForm):
    hundredths_fields = {
        "shipping_fee": "shipping_fee_cents",
        "default_solidarity_percent": "default_solidarity_bps",
    }
    shipping_fee = forms.DecimalField(
        label=gettext_lazy("Flat shipping fee (€)"), min_value=Decimal("0"),
        max_value=Decimal("1000"), decimal_places=2, localize=True, required=False,
        help_text=gettext_lazy("Charged once per order when the shopper chooses shipping."),
    )
    default_solidarity_percent = forms.DecimalField(
        label=gettext_lazy("Default solidarity share (%)"), min_value=Decimal("0"),
        max_value=Decimal("100"), decimal_places=2, localize=True, required=False,
        help_text=gettext_lazy("Proposed for each new product, from 0 to 100 %."),
    )

    class Meta:
        model = Vendor
        fields = [
            "name", "description", "ess_commitment", "logo", "email", "phone", "website",
            "address", "postcode", "city", "is_professional", "vat_liable", "vat_number",
            "vat_rate_bps", "ships", "default_solidarity_project", "accepts_donations",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logo"].queryset = _choosable_images(self.for_user)
        self.fields["logo"].widget = AdminImageChooser()
        field = self.fields["default_solidarity_project"]
        field.queryset = _projects_of_its_organisers(field.queryset, self.instance)
        # A VAT rate is kept when the form does not send one (a vendor not subject to VAT
        # has no reason to choose).
        self.fields["vat_rate_bps"].required = False

    def clean_vat_rate_bps(self):
        return self.cleaned_data.get("vat_rate_bps") or self.instance.vat_rate_bps

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("ships") and not self.instance.shipping_fee_cents:
            self.add_error("shipping_fee", _("Give the flat fee you charge for shipping."))
        return cleaned


class MyVendorView(generic.EditView):
    """« Ma structure »: the vendor edits its own public profile, its VAT situation (printed
    on its receipts) and its defaults. Its legal identity (legal form, SIRET, RNA) and its
    status are shown, not editable."""

    model = Vendor
    permission_policy = None
    template_name = "vendors/admin/my_vendor.html"
    header_icon = "home"
    edit_url_name = "vendors_my_vendor"
    panel = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("description"),
            FieldPanel("ess_commitment"),
            FieldPanel("logo"),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
                    FieldPanel("website"),
                    FieldPanel("address"),
                    FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
                ],
                heading=gettext_lazy("Contact"),
            ),
            FieldPanel("is_professional"),
            MultiFieldPanel(
                [
                    FieldPanel("vat_liable"),
                    FieldRowPanel([FieldPanel("vat_number"), FieldPanel("vat_rate_bps")]),
                ],
                heading=gettext_lazy("VAT"),
            ),
            FieldRowPanel([FieldPanel("ships"), FieldPanel("shipping_fee")]),
            MultiFieldPanel(
                [
                    FieldPanel("default_solidarity_percent"),
                    FieldPanel("default_solidarity_project"),
                    FieldPanel("accepts_donations"),
                ],
                heading=gettext_lazy("Solidarity"),
            ),
        ],
        base_form_class=VendorProfileForm,
    ).bind_to_model(Vendor)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pk = None

    def get_object(self, queryset=None):
        vendor = vendor_for_user(self.request.user)
        if vendor is None:
            raise PermissionDenied
        return vendor

    def get_page_title(self):
        return _("My organisation")

    def get_page_subtitle(self):
        return self.object.name

    def get_edit_url(self):
        return reverse("vendors_my_vendor")

    def get_success_url(self):
        return reverse("vendors_my_vendor")

    def get_success_message(self):
        return _("Your organisation's profile is saved.")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("My organisation")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["vendor"] = self.object
        return context
