"""Give the « Exposants » group the order permissions of « Mes commandes »."""

from django.db import migrations

from vendors.roles import ORDER_ROLE_PERMISSIONS, grant_role_permissions


def grant_order_permissions(apps, schema_editor):
    grant_role_permissions(apps, ORDER_ROLE_PERMISSIONS)


def revoke_order_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, permissions in ORDER_ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for app_label, codename in permissions:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0005_orders"),
        ("vendors", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_order_permissions, revoke_order_permissions)]
