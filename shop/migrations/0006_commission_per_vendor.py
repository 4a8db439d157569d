import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def rate_per_vendor(apps, schema_editor):
    """The checkout's one frozen rate becomes the rate of each of its lines and orders."""
    Checkout = apps.get_model("shop", "Checkout")
    frozen = Coalesce(
        Subquery(Checkout.objects.filter(pk=OuterRef("checkout_id"))
                 .values("frozen_commission_bps")[:1]),
        Value(0),
    )
    apps.get_model("shop", "CheckoutLine").objects.update(commission_bps=frozen)
    apps.get_model("shop", "Order").objects.update(commission_bps=frozen)


class Migration(migrations.Migration):

    dependencies = [
        ("markets", "0005_market_announcements"),
        ("shop", "0005_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkoutline",
            name="commission_bps",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="order",
            name="commission_bps",
            field=models.PositiveIntegerField(
                default=0, verbose_name="commission rate (basis points)"),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="organiser",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="ledger_entries", to="markets.organiser"),
        ),
        migrations.RunPython(rate_per_vendor, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="checkout",
            name="frozen_commission_bps",
        ),
    ]
