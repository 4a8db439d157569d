from django.db import migrations, models


def keep_platform_accounts_active(apps, schema_editor):
    """Until now an organiser's account was set up by the platform and received the
    commission as soon as it was filled in: those organisers keep receiving it. Stripe's
    next `account.updated` (or the organiser's return from onboarding) corrects the state
    if the account cannot take transfers."""
    Organiser = apps.get_model("markets", "Organiser")
    Organiser.objects.exclude(stripe_account_id="").update(transfers_active=True)


class Migration(migrations.Migration):

    dependencies = [
        ("markets", "0007_pickup_slots"),
    ]

    operations = [
        migrations.AddField(
            model_name="organiser",
            name="payouts_enabled",
            field=models.BooleanField(default=False, verbose_name="payouts enabled"),
        ),
        migrations.AddField(
            model_name="organiser",
            name="transfers_active",
            field=models.BooleanField(default=False, verbose_name="transfers active"),
        ),
        migrations.RunPython(keep_platform_accounts_active, migrations.RunPython.noop),
    ]
