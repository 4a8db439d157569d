"""Create the « Organisateurs » and « Exposants » groups with their model permissions.

Wagtail's own data migrations give `choose_image` and `choose_document` to every group that
can reach the admin, whichever runs last; a model-level grant would open every collection
(the other vendors' photos, the platform's documents). Runs after them and takes those
grants back: images are reached per collection (`vendors.services`), documents not at all."""

from django.db import migrations

from vendors.roles import ROLE_PERMISSIONS, grant_role_permissions


def create_roles(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    whole_library = Permission.objects.filter(
        content_type__app_label__in=("wagtailimages", "wagtaildocs"))
    for group in Group.objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*whole_library)


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0004_seed_categories"),
        ("markets", "0002_initial"),
        ("vendors", "0001_initial"),
        ("wagtailadmin", "0005_editingsession_is_editing"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
