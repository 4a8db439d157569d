"""The two back-office roles and the model permissions each one carries.

Object-level scope (which vendor, which organiser) is added on top by
`markets.permissions` and by the per-vendor and per-organiser groups of
`vendors.services` and `markets.services`. The groups are made by
`shop/migrations/0005_roles` (roles name models of every app up to the shop).
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
        # « Mes commandes »: orders are made by the checkout, never added by hand.
        ("shop", "view_order"),
        ("shop", "change_order"),
    ],
    ORGANISERS_GROUP: [
        ("wagtailadmin", "access_admin"),
        ("vendors", "view_vendor"),
        ("vendors", "change_vendor"),
        ("shop", "view_product"),
        ("markets", "view_marketparticipation"),
        ("markets", "change_marketparticipation"),
        ("markets", "view_pickuppoint"),
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
