"""Back-office views of « Mes produits »: every one scoped to the user's own vendor."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import policy_registry
from wagtail.rich_text import RichText
from wagtail.snippets.views import snippets as snippet_views

from shop.catalogue.models import Product
from shop.catalogue.services import product_stock_set, product_unique_slug
from vendors.permissions import ScopedObjectMixin, ScopedQuerysetMixin
from vendors.selectors import vendor_for_user

COPIED_FIELDS = (
    "vendor", "description", "category", "condition", "price_cents", "weight_grams",
    "solidarity_bps", "solidarity_project",
)


class ProductIndexView(ScopedQuerysetMixin, snippet_views.IndexView):
    # Wagtail builds « Ajouter un(e) produit » from the model's name; French says it.
    add_item_label = gettext_lazy("Add a product")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("category", "category__parent", "vendor")

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if vendor_for_user(self.request.user) is not None and self.request.user.has_perm(
            "shop.add_product"
        ):
            buttons.append(
                HeaderButton(_("Import a CSV file"), url=reverse("shop_catalogue_import"),
                             icon_name="upload")
            )
        return buttons


class ProductCreateView(snippet_views.CreateView):
    def get_breadcrumbs_items(self):
        # « Nouvel(le) : Produit » otherwise.
        *items, _last = super().get_breadcrumbs_items()
        return [*items, {"url": "", "label": gettext_lazy("New product")}]

    def get_initial_form_instance(self):
        vendor = vendor_for_user(self.request.user)
        if vendor is None:
            if not self.request.user.is_superuser:
                raise PermissionDenied
            return Product()
        return Product(
            vendor=vendor,
            solidarity_bps=vendor.default_solidarity_bps,
            solidarity_project=vendor.default_solidarity_project,
        )

    def save_instance(self):
        product = self.form.instance
        product.slug = product_unique_slug(vendor=product.vendor, title=product.title)
        return super().save_instance()


class ProductCopyView(ProductCreateView):
    """« Dupliquer »: a new product prefilled from one of the vendor's own."""

    def get_original(self) -> Product:
        policy = policy_registry.get_by_type(Product)
        scoped = policy.instances_user_has_any_permission_for(self.request.user, ["change"])
        return get_object_or_404(scoped, pk=self.kwargs[self.pk_url_kwarg])

    def get_initial_form_instance(self):
        original = self.get_original()
        copy = Product(**{field: getattr(original, field) for field in COPIED_FIELDS})
        copy.title = _("%(title)s (copy)") % {"title": original.title}
        copy.stock = 1
        return copy


class ProductEditView(ScopedObjectMixin, snippet_views.EditView):
    pass


class ProductDeleteView(ScopedObjectMixin, snippet_views.DeleteView):
    pass


class ProductInspectView(ScopedObjectMixin, snippet_views.InspectView):
    """Values in words: « Oui »/« Non » rather than True/False, the description as text."""

    def get_is_active_display_value(self):
        return _("Yes") if self.object.is_active else _("No")

    def get_solidarity_project_display_value(self):
        return self.object.solidarity_project or _("Chosen by the shopper")

    def get_description_display_value(self):
        return RichText(self.object.description) if self.object.description else "—"


class ProductHistoryView(ScopedObjectMixin, snippet_views.HistoryView):
    pass


class ProductUsageView(ScopedObjectMixin, snippet_views.UsageView):
    pass


@require_POST
def product_stock_update(request, pk):
    """Quick stock edit from the product list."""
    policy = policy_registry.get_by_type(Product)
    product = policy.instances_user_has_any_permission_for(request.user, ["change"]).filter(
        pk=pk
    ).first()
    if product is None:
        raise Http404
    raw = request.POST.get("stock", "").strip()
    try:
        stock = int(raw)
        if stock < 0:
            raise ValueError
    except ValueError:
        messages.error(
            request,
            _("« %(value)s » is not a valid stock for %(title)s: give a whole number, 0 or more.")
            % {"value": raw, "title": product.title},
        )
    else:
        product_stock_set(product=product, stock=stock)
        messages.success(
            request, _("Stock of %(title)s set to %(stock)d.") % {"title": product.title,
                                                                   "stock": stock}
        )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(Product.snippet_viewset.get_url_name("list"))
    return redirect(next_url)
