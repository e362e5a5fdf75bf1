"""The privacy notice, the terms of use, accepting them, and the contact form."""

import time
from itertools import pairwise

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors, services
from .adapter import mailbox_of
from .forms import ConsentForm, ContactForm
from .middleware import SESSION_KEY
from .models import LegalDocumentKind


def _document_page(request, kind: str):
    version = request.GET.get("version")
    if version is not None and not (version.isascii() and version.isdigit() and 0 < int(version) < 2**15):
        raise Http404
    document, history = selectors.legal_document_page(kind=kind, version=int(version) if version else None)
    if document is None and version is not None:
        raise Http404
    current = history[0] if history else None
    # When each earlier version stopped being in force: the day its successor took effect.
    replaced_on = {older.pk: newer.effective_date for newer, older in pairwise(history)}
    return render(
        request,
        "accounts/legal_document.html",
        {
            "kind": kind,
            "kind_label": LegalDocumentKind(kind).label,
            "document": document,
            "is_current": document is not None and document == current,
            "current": current,
            "history": history,
            "replaced_on": replaced_on.get(document.pk) if document else None,
        },
    )


@require_GET
def privacy(request):
    return _document_page(request, LegalDocumentKind.PRIVACY)


@require_GET
def terms(request):
    return _document_page(request, LegalDocumentKind.TERMS)


def _next_url(request) -> str:
    """Where to go once the versions are accepted: the page the member was going to, on this
    site only."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def consent(request):
    """The versions in force a member has not accepted yet, and the button to accept them."""
    due = selectors.consent_due(user=request.user)
    # What this page found is what the middleware believes from now on: a member who
    # accepted elsewhere (another device) is not sent back here from a stale answer.
    request.session[SESSION_KEY] = {"due": bool(due), "at": time.time()}
    next_url = _next_url(request)
    form = ConsentForm(request.POST if request.method == "POST" else None, due=due)
    if request.method == "POST" and form.is_valid():
        services.consent_record(user=request.user, documents=due)
        request.session[SESSION_KEY] = {"due": False, "at": time.time()}
        if due:
            messages.success(request, _("Thank you. You can continue where you were."))
        return redirect(next_url or "dashboard")
    return render(
        request,
        "accounts/consent.html",
        {"due": due, "form": form, "next_url": next_url},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def contact(request):
    """A message to the WiiTs team, by email through the mail queue; no staff address is
    shown. Limited per client address and per sender's mailbox ("contact" in
    ACCOUNT_RATE_LIMITS)."""
    user = request.user
    initial = {"name": user.name, "email": user.email} if user.is_authenticated else {}
    form = ContactForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            if ratelimit.consume(request, action="contact", key=mailbox_of(data["email"])):
                services.contact_message_send(
                    name=data["name"],
                    email=data["email"],
                    topic=data["topic"],
                    subject=data["subject"],
                    message=data["message"],
                    sender=user if user.is_authenticated else None,
                )
                messages.success(
                    request,
                    _("Thank you, your message has been sent to the WiiTs team. We will reply to %(email)s.")
                    % {"email": data["email"]},
                )
                return redirect("contact")
            status = 429
            form.add_error(
                None,
                _("You have sent several messages in a short time. Please wait an hour and try again."),
            )
    return render(request, "accounts/contact.html", {"form": form}, status=status)
