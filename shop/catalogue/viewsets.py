"""The vendor's catalogue in the back office: the products viewset, its stock column and
its bulk actions, each scoped to the products the user may change."""

import django_filters
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column, StatusTagColumn, UpdatedAtColumn
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import SnippetViewSet

from markets.permissions import VendorOwnedPermissionPolicy
from shop.catalogue import admin_views
from shop.catalogue.admin_forms import ProductAdminForm
from shop.catalogue.models import Product
from shop.catalogue.services import products_set_active
from shop.money import format_cents
from vendors.permissions import scoped_snippet_chooser_viewset

product_policy = VendorOwnedPermissionPolicy(Product)
register_permission_policy(Product, product_policy)


class StockColumn(Column):
    """The stock, with a small form to correct it without opening the product."""

    cell_template_name = "shop/admin/stock_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        context["update_url"] = reverse("shop_product_stock", args=[instance.pk])
        context["next_url"] = request.get_full_path()
        context["can_change"] = product_policy.user_has_permission(request.user, "change")
        # Table cells are rendered from a plain dict, without the request's context: the
        # form's token has to be handed over, or a browser's post is refused.
        context["csrf_token"] = get_token(request)
        return context


class ProductFilterSet(WagtailFilterSet):
    # Wagtail's own boolean filter shows the chosen value as « True ».
    is_active = django_filters.ChoiceFilter(
        label=_("On sale"), choices=[("true", _("Yes")), ("false", _("No"))],
        method="filter_on_sale",
    )

    class Meta:
        model = Product
        fields = ["is_active", "condition", "category"]

    def filter_on_sale(self, queryset, name, value):
        return queryset.filter(is_active=value == "true")


class ProductViewSet(SnippetViewSet):
    model = Product
    icon = "tag"
    menu_label = _("My products")
    menu_name = "products"
    url_prefix = "shop/products"
    permission_policy = product_policy
    index_view_class = admin_views.ProductIndexView
    add_view_class = admin_views.ProductCreateView
    copy_view_class = admin_views.ProductCopyView
    edit_view_class = admin_views.ProductEditView
    delete_view_class = admin_views.ProductDeleteView
    inspect_view_class = admin_views.ProductInspectView
    history_view_class = admin_views.ProductHistoryView
    usage_view_class = admin_views.ProductUsageView
    inspect_view_enabled = True
    inspect_view_fields = [
        "title",
        "reference",
        "vendor",
        "category",
        "condition",
        "description",
        "stock",
        "is_active",
        "solidarity_project",
        "created_at",
        "updated_at",
    ]
    search_fields = ["title", "description"]
    search_backend_name = None
    filterset_class = ProductFilterSet
    list_per_page = 50
    ordering = ["-updated_at"]
    list_display = [
        "title",
        Column(
            "price", label=_("Price"), accessor=lambda product: format_cents(product.price_cents)
        ),
        StockColumn("stock", label=_("Stock")),
        Column("condition", label=_("Condition"), accessor="get_condition_display"),
        Column("category", label=_("Category"), accessor="category"),
        StatusTagColumn(
            "is_active",
            label=_("Status"),
            accessor=lambda product: _("On sale") if product.is_active else _("Off sale"),
            primary=lambda product: product.is_active,
        ),
        UpdatedAtColumn(),
    ]
    list_export = [
        "title",
        "reference",
        "category",
        "condition",
        "price_cents",
        "stock",
        "solidarity_bps",
        "is_active",
        "updated_at",
    ]
    export_headings = {
        "title": _("Title"),
        "reference": _("Reference"),
        "category": _("Category"),
        "condition": _("Condition"),
        "price_cents": _("Price (cents)"),
        "stock": _("Stock"),
        "solidarity_bps": _("Solidarity share (basis points)"),
        "is_active": _("On sale"),
        "updated_at": _("Updated"),
    }
    export_filename = "produits"

    edit_handler = ObjectList(
        [
            FieldPanel("vendor", permission="superuser"),
            FieldRowPanel([FieldPanel("title"), FieldPanel("reference")]),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("category"), FieldPanel("condition")]),
            FieldRowPanel([FieldPanel("price"), FieldPanel("stock"), FieldPanel("weight_grams")]),
            MultiFieldPanel(
                [FieldPanel("solidarity_percent"), FieldPanel("solidarity_project")],
                heading=_("Solidarity"),
            ),
            FieldPanel("is_active"),
            InlinePanel("images", heading=_("Photos"), label=_("Photo"), max_num=8),
        ],
        base_form_class=ProductAdminForm,
    )

    chooser_viewset_class = scoped_snippet_chooser_viewset()




class ScopedBulkActionMixin:
    """Bulk actions act on, and name, only objects in the user's scope."""

    def get_actionable_objects(self):
        object_ids = self.request.GET.getlist("id")
        scoped = self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change"]
        )
        if "all" not in object_ids:
            scoped = scoped.filter(pk__in=[pk for pk in object_ids if pk.isdigit()])
        return list(scoped), {"items_with_no_access": []}


class ProductBulkDelete(ScopedBulkActionMixin, DeleteBulkAction):
    models = [Product]

    @property
    def _actionable_objects(self):
        return ScopedBulkActionMixin.get_actionable_objects(self)


class ProductSetActive(ScopedBulkActionMixin, SnippetBulkAction):
    models = [Product]
    action_type = "put_on_sale"
    display_name = _("Put on sale")
    aria_label = _("Put the selected products on sale")
    template_name = "shop/admin/bulk_set_active.html"
    active = True

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        )

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        changed = products_set_active(
            products=Product.objects.filter(pk__in=[obj.pk for obj in objects]),
            active=cls.active,
        )
        return len(objects), changed

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d product put on sale.",
            "%(count)d products put on sale.",
            num_parent_objects,
        ) % {"count": num_parent_objects}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "active": self.active}


class ProductSetInactive(ProductSetActive):
    action_type = "take_off_sale"
    display_name = _("Take off sale")
    aria_label = _("Take the selected products off sale")
    active = False

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d product taken off sale.",
            "%(count)d products taken off sale.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
