import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from shop.models import Category, Product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_negative_stock():
    product = ProductFactory(stock=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(stock=F("stock") - 2)

    product.refresh_from_db()
    assert product.stock == 1


def test_the_database_refuses_a_solidarity_share_above_100_percent():
    product = ProductFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(solidarity_bps=10001)


def test_categories_are_seeded_in_french_on_two_levels():
    top = Category.objects.filter(parent__isnull=True)

    assert top.count() >= 8
    assert not Category.objects.filter(parent__parent__isnull=False).exists()
    assert Category.objects.get(slug="velos").parent.name == "Sport et loisirs"
    assert Category.objects.get(slug="vaisselle").name == "Vaisselle et arts de la table"


def test_a_third_level_category_is_refused():
    from django.core.exceptions import ValidationError

    child = Category.objects.get(slug="vaisselle")
    grandchild = Category(name="Tasses", slug="tasses", parent=child)

    with pytest.raises(ValidationError):
        grandchild.full_clean()
