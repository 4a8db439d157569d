"""Sign-in links that open a shopper's « Mes commandes » for one e-mail address."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


class OrderAccessLink(models.Model):
    """One link asked for on « Retrouver mes commandes ». The e-mail carries a signed token
    naming this row and its nonce; using it once marks it used, so a forwarded or
    intercepted e-mail does not open the space a second time. Rows are purged after a
    day: they hold an address, and nothing needs them once expired."""

    email = models.EmailField(_("e-mail"), db_index=True)
    nonce = models.CharField(max_length=64, default=new_nonce, editable=False)
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("order access link")
        verbose_name_plural = _("order access links")

    def __str__(self) -> str:
        return f"access link {self.pk}"
