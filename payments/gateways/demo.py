"""The demo gateway: a fake card form on our own page, so that `make run` can go from a
basket to paid orders without any account anywhere. No money moves."""

import secrets

from django.utils.translation import gettext as _

from payments.forms import DECLINED_CARD, DemoCardForm
from payments.models import Payment, Refund

from .base import CardSubmission, PaymentGateway


def _demo_id(prefix: str) -> str:
    return f"demo_{prefix}_{secrets.token_hex(12)}"


class DemoGateway(PaymentGateway):
    name = "demo"
    template_name = "payments/includes/demo_card_form.html"

    def open(self, *, payment: Payment) -> str:
        return _demo_id("pi")

    def page_context(self, *, payment: Payment, request) -> dict:
        return {"form": DemoCardForm()}

    def handle_return(self, *, payment: Payment, request) -> str:
        return payment.state

    def execute_refund(self, *, refund: Refund) -> Refund:
        refund.external_id = _demo_id("re")
        refund.state = Refund.State.SUCCEEDED
        refund.save(update_fields=["external_id", "state"])
        return refund

    def submit_card(self, *, payment: Payment, request) -> CardSubmission:
        form = DemoCardForm(request.POST)
        if not form.is_valid():
            return CardSubmission(form=form)
        if form.cleaned_data["card_number"] == DECLINED_CARD:
            return CardSubmission(form=form, declined_message=_("Card declined (demo)"))
        return CardSubmission(form=form, succeeded=True)
