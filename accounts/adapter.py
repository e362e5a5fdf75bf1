import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core import ratelimit
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import get_random_string

from common.site import current_site, on_site

from .models import User

logger = logging.getLogger(__name__)


def mailbox_of(email: str) -> str:
    """The mailbox an address delivers to, as far as we can tell: lower case, without a
    `+tag` (Alice+1@Example.org and alice@example.org reach the same person). The key of
    the limits on sign-in failures and on account emails, which an attacker must not be
    able to reset by writing the same address another way."""
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if local else domain


class AccountAdapter(DefaultAccountAdapter):
    """allauth's emails, like ours, are queued in the database (EMAIL_BACKEND), written
    in the recipient's language, and carry an HTML part in the portal's email layout.

    Nothing in them comes from the request's Host header: every link is moved onto
    SITE_URL, in the recipient's language, and `current_site` is SITE_URL's (common.site).
    """

    def send_mail(self, template_prefix, email, context):
        language = (
            User.objects.filter(email__iexact=email).values_list("preferred_language", flat=True).first()
            or translation.get_language()
            or settings.LANGUAGE_CODE
        )
        request = allauth_context.request
        # A limit per mailbox replaces allauth's cooldown per address (confirm_email in
        # settings): whether a mail is sent or not, the page says the same, so it tells
        # nothing about which addresses have accounts.
        if request is not None and not ratelimit.consume(request, action="account_mail", key=mailbox_of(email)):
            logger.warning("Account email %s not sent: the mailbox had too many in a short time.", template_prefix)
            return
        context = {
            "site_url": settings.SITE_URL,
            **{
                name: on_site(value, language)
                if name.endswith("_url") and isinstance(value, str) and value.startswith(("http://", "https://"))
                else value
                for name, value in context.items()
            },
            "current_site": current_site(),
        }
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def send_account_already_exists_mail(self, email: str) -> None:
        # A sign-up with a new address hashes its password; one with a known address must
        # take as long, or the time of the answer would tell them apart.
        make_password(get_random_string(32))
        super().send_account_already_exists_mail(email)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth keys the per-account limit on wrong passwords with the request's host,
        # which a visitor chooses; the mailbox is what they cannot vary.
        return mailbox_of(credentials.get("email", credentials.get("username", "")))

    def post_login(self, request, user, *, signup: bool, **kwargs):
        # signup: a new member confirmed their address in the browser they signed up in
        # (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION): they are welcomed, not told "signed in as".
        request.wiits_welcome = signup
        return super().post_login(request, user, signup=signup, **kwargs)

    def add_message(self, request, level, message_template=None, message_context=None, *args, **kwargs):
        if message_template == "account/messages/logged_in.txt" and getattr(request, "wiits_welcome", False):
            message_template = "account/messages/welcome.txt"
        super().add_message(request, level, message_template, message_context, *args, **kwargs)

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
