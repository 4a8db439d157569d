"""The two back-office roles and the model permissions each one carries.

Object-level scope (which vendor, which organiser) is added on top by
`vendors.permissions` and by the per-vendor and per-organiser groups of
`vendors.services`.
"""

ORGANISERS_GROUP = "Organisateurs"
VENDORS_GROUP = "Exposants"

ROLE_PERMISSIONS = {
    VENDORS_GROUP: [
        ("wagtailadmin", "access_admin"),
        ("shop", "add_product"),
        ("shop", "change_product"),
        ("shop", "delete_product"),
        ("shop", "view_product"),
    ],
    ORGANISERS_GROUP: [
        ("wagtailadmin", "access_admin"),
        ("vendors", "view_vendor"),
        ("vendors", "change_vendor"),
        ("shop", "view_product"),
        ("cms", "view_marketparticipation"),
        ("cms", "change_marketparticipation"),
    ],
}

# « Mes commandes »: a vendor looks at its own orders and moves them on (orders are made by
# the checkout, never added by hand). Granted by shop/migrations/0006_order_permissions,
# not through ROLE_PERMISSIONS: vendors/migrations/0002_roles reads that dict and runs
# before the Order model exists.
ORDER_ROLE_PERMISSIONS = {
    VENDORS_GROUP: [
        ("shop", "view_order"),
        ("shop", "change_order"),
    ],
}



def grant_role_permissions(apps, grants: dict) -> None:
    """For data migrations: give each group its model permissions, creating the
    permissions first (on a fresh database they are only made after every migration)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for group_name, permissions in grants.items():
        group, _ = group_model.objects.get_or_create(name=group_name)
        for app_label, codename in permissions:
            group.permissions.add(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
