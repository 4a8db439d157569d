"""Sending the platform's e-mails: a subject, a text and an HTML body from templates,
rendered in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_email(
    *, to: list[str], template: str, context: dict, language: str | None = None,
    reply_to: list[str] | None = None,
) -> int:
    """`template` names three files: <template>_subject.txt, <template>.txt, <template>.html."""
    recipients = [address for address in to if address]
    if not recipients:
        return 0
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients,
        reply_to=reply_to,
    )
    message.attach_alternative(html, "text/html")
    return message.send()
