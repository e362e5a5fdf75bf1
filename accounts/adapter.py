from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .models import User


class AccountAdapter(DefaultAccountAdapter):
    """allauth's emails, like ours, are queued in the database (EMAIL_BACKEND), written
    in the recipient's language, and carry an HTML part in the portal's email layout."""

    def send_mail(self, template_prefix, email, context):
        language = (
            User.objects.filter(email__iexact=email).values_list("preferred_language", flat=True).first()
            or translation.get_language()
            or settings.LANGUAGE_CODE
        )
        context = {"site_url": settings.SITE_URL, **context}
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def render_mail(self, template_prefix, email, context, headers=None):
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if isinstance(message, EmailMultiAlternatives) and message.alternatives:
            return message
        html = render_to_string("emails/allauth_body.html", {"text": message.body, "site_url": settings.SITE_URL})
        with_html = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body,
            from_email=message.from_email,
            to=message.to,
            headers=message.extra_headers,
        )
        with_html.attach_alternative(html, "text/html")
        return with_html
