from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = selectors.member_for_profile(user=request.user)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(user))
    if request.method == "POST" and form.is_valid():
        services.member_update_profile(
            user=user,
            name=form.cleaned_data["name"],
            organisation_name=form.cleaned_data["organisation"],
            job_title=form.cleaned_data["job_title"],
            stakeholder_type=form.cleaned_data["stakeholder_type"],
            country=form.cleaned_data["country"],
            sectors=form.cleaned_data["sectors"],
            preferred_language=form.cleaned_data["preferred_language"],
            weekly_digest=form.cleaned_data["weekly_digest"],
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/user_profile.html", {"form": form, "member": user})


@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def delete_account(request):
    """Deleting an account is sensitive: allauth asks for the password again first."""
    if request.method == "POST":
        user = request.user
        try:
            services.member_delete(user=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("accounts:profile")
        logout(request)
        messages.success(request, _("Your account has been deleted. We have sent a confirmation by email."))
        return redirect("home")
    return render(request, "accounts/user_confirm_delete.html")


@csrf_exempt  # mail clients post RFC 8058 one-click unsubscriptions without a CSRF token
@never_cache
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request, token):
    """Stop the weekly digest from the link in the email, without signing in.

    GET only shows a button (link scanners in mail systems open links); POST, from the
    button or from the mail client's one-click header, unsubscribes. The signed token
    is the authority: a changed or invented one finds nobody.
    """
    member = services.digest_member_from_token(token)
    if member is None:
        return render(request, "accounts/digest_unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.digest_unsubscribe(user=member)
        return render(request, "accounts/digest_unsubscribe.html", {"done": True, "email": _masked(member.email)})
    return render(request, "accounts/digest_unsubscribe.html", {"email": _masked(member.email)})


def _masked(email: str) -> str:
    """a•••@example.org: enough to recognise one's address, not to harvest it from a forwarded link."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"
