"""Vendor isolation in the back office.

Every vendor-owned model is registered with `VendorOwnedPermissionPolicy`: a vendor's
members act on their own vendor's objects only; organisers reach the objects of vendors
taking part in their markets, within their group's model permissions (they look at
products, they moderate vendors); platform admins see everything. The view
mixins below make every object URL (edit, inspect, delete, history, usage, copy) answer
404 for an object outside the user's scope, so an id reveals nothing.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import policy_registry

READ_ACTIONS = frozenset({"view", "inspect", "choose", "export"})


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions narrowed to the objects `scope_filter` lets the user reach."""

    def scope_filter(self, user, actions) -> Q | None:
        """A filter on the model for what `user` may reach; None means everything."""
        raise NotImplementedError

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        manager = self.model._default_manager
        if not any(self.user_has_permission(user, action) for action in actions):
            return manager.none()
        allowed = self.scope_filter(user, actions)
        if allowed is None:
            return manager.all()
        # A subquery: the scope may follow multi-valued relations (no duplicate rows).
        return manager.filter(pk__in=manager.filter(allowed).values("pk"))

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission(user, action)
            and self.instances_user_has_any_permission_for(user, [action])
            .filter(pk=instance.pk)
            .exists()
            for action in actions
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)


class ScopedQuerysetMixin:
    """For index, export and chooser views: list only the objects in the user's scope."""

    scope_actions = ("view", "change")

    def scope_queryset(self, queryset):
        allowed = self.permission_policy.scope_filter(self.request.user, self.scope_actions)
        if allowed is None:
            return queryset
        return queryset.filter(pk__in=queryset.model._default_manager.filter(allowed).values("pk"))

    def get_base_queryset(self):
        return self.scope_queryset(super().get_base_queryset())


class ScopedObjectMixin:
    """For object views: 404 when the object is outside the user's scope."""

    scope_actions = ("view", "change")

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_any_permission_for_instance(
            self.request.user, self.scope_actions, obj
        ):
            raise Http404
        return obj


class ScopedWriteObjectMixin(ScopedObjectMixin):
    scope_actions = ("change", "delete")


def _scoped_ids(request, model):
    policy = policy_registry.get_by_type(model)
    return policy.instances_user_has_any_permission_for(request.user, ["view", "change"]).values(
        "pk"
    )


class ScopedChooseMixin:
    def get_object_list(self):
        return super().get_object_list().filter(pk__in=_scoped_ids(self.request, self.model_class))


class ScopedChosenMixin:
    def get_object(self, pk):
        return (
            self.model_class.objects.filter(pk__in=_scoped_ids(self.request, self.model_class))
            .get(pk=pk)
        )


class ScopedChosenMultipleMixin:
    def get_objects(self, pks):
        return super().get_objects(pks).filter(pk__in=_scoped_ids(self.request, self.model_class))


def scoped_snippet_chooser_viewset():
    """A snippet chooser whose every view lists and returns only objects in scope."""
    from wagtail.snippets.views import chooser

    class ScopedSnippetChooserViewSet(chooser.SnippetChooserViewSet):
        choose_view_class = type("ChooseView", (ScopedChooseMixin, chooser.ChooseView), {})
        choose_results_view_class = type(
            "ChooseResultsView", (ScopedChooseMixin, chooser.ChooseResultsView), {}
        )
        chosen_view_class = type(
            "ChosenView", (ScopedChosenMixin, chooser.SnippetChosenView), {}
        )
        chosen_multiple_view_class = type(
            "ChosenMultipleView", (ScopedChosenMultipleMixin, chooser.SnippetChosenMultipleView),
            {},
        )

    return ScopedSnippetChooserViewSet


# Every view of a viewset that takes an object id. Wagtail gives each of them a class
# attribute; the scoped viewsets wrap all of them, not only the ones a screen customises.
OBJECT_VIEW_CLASSES = (
    "edit_view_class", "delete_view_class", "inspect_view_class", "history_view_class",
    "usage_view_class", "copy_view_class",
)


def _scoped(mixin, view_class):
    if view_class is None or issubclass(view_class, mixin):
        return view_class
    return type(view_class.__name__, (mixin, view_class), {})


class ScopedViewSetMixin:
    """For a ModelViewSet or SnippetViewSet with a `ScopedPermissionPolicy`: its list
    holds, and each of its object URLs answers for, only the objects in the user's scope;
    anything else is 404. Applied to the view classes when the viewset is built, so a view
    class that a screen does not customise (history, usage…) is scoped all the same."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_view_class = _scoped(ScopedQuerysetMixin, self.index_view_class)
        for name in OBJECT_VIEW_CLASSES:
            setattr(self, name, _scoped(ScopedObjectMixin, getattr(self, name, None)))
