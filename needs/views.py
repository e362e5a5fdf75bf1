"""Pages of technology needs: the public list, one need with its suggestions, the
owner's form and workflow buttons, staff moderation, and answers from technology owners."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.confirm import Confirmation, is_confirmed, is_going_back, posted_fields, render_confirmation
from common.slugs import follows_former_slugs
from common.translated import reading, translated, wants_original
from technologies.models import Need, NeedFormerSlug
from technologies.services import require_message
from technologies.views import render_filtered_list, render_translation_page, run_workflow_action, translation_links

from . import matching, permissions, selectors, services
from .filters import NeedFilter
from .forms import NeedAnswerForm, NeedForm, NeedModerationForm, need_translation_fields


@require_GET
def need_list(request):
    return render_filtered_list(
        request,
        NeedFilter,
        Need.objects.published().for_cards(),
        template="needs/need_list.html",
        results_template="needs/_need_results.html",
    )


def _detail_context(request, need: Need, *, answer_form=None, moderation_form=None) -> dict:
    user = request.user
    can_answer = permissions.can_answer_need(user, need)
    if can_answer and answer_form is None:
        answer_form = NeedAnswerForm(user=user)
    return {
        "need": need,
        "is_owner": permissions.is_need_owner(user, need),
        "can_edit": permissions.can_edit_need(user, need),
        "can_submit": permissions.can_submit_need(user, need),
        "can_close": permissions.can_close_need(user, need),
        "can_publish": permissions.can_publish_need(user, need),
        "can_answer": can_answer,
        "answer_form": answer_form,
        "has_technologies": bool(answer_form and answer_form.fields["technology"].queryset.exists()),
        "moderation_form": moderation_form or NeedModerationForm(),
        "suggestions": matching.technologies_for_need(need=need)
        if permissions.shows_suggestions(user, need)
        else None,
        "answers": list(selectors.answers_to_need(need=need)) if permissions.can_see_suggestions(user, need) else None,
        "history": selectors.need_history(need=need) if permissions.can_see_suggestions(user, need) else None,
        "missing": services.need_missing_fields(need) if permissions.can_submit_need(user, need) else [],
        "translation_links": translation_links(
            need, url_name="needs:translate", fields=services.NEED_TRANSLATED_FIELDS
        )
        if permissions.can_translate_need(user, need)
        else [],
        "reading": reading(need, services.NEED_TRANSLATED_FIELDS, original=wants_original(request)),
    }


@require_GET
@follows_former_slugs(NeedFormerSlug, to="need")
def need_detail(request, slug):
    need = selectors.need_for_detail(user=request.user, slug=slug)
    return render(request, "needs/need_detail.html", _detail_context(request, need))


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request):
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        need = services.need_create(owner=request.user, **form.service_kwargs())
        messages.success(request, _("Your need has been saved as a draft. Submit it when it is ready."))
        return redirect(need)
    return render(request, "needs/need_form.html", {"form": form, "need": None})


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request, slug):
    need = selectors.need_for_owner(user=request.user, slug=slug)
    if not permissions.can_edit_need(request.user, need):
        raise PermissionDenied
    form = NeedForm(request.POST or None, instance=need)
    if request.method == "POST" and form.is_valid():
        services.need_update(need=need, by=request.user, **form.service_kwargs())
        messages.success(request, _("Your changes have been saved."))
        return redirect(need)
    return render(request, "needs/need_form.html", {"form": form, "need": need})


def _workflow_action(request, slug, action, done_message, **kwargs):
    need = selectors.need_for_owner(user=request.user, slug=slug)
    return run_workflow_action(request, need, partial(action, need=need, **kwargs), done_message)


@login_required
@require_POST
def need_submit(request, slug):
    return _workflow_action(request, slug, services.need_submit, _("Submitted. WiiTs staff will check your need."))


def _owner_closes(request, slug, *, refusal: str, confirmation: dict, action, done_message):
    """Fulfilling and withdrawing: the need page's button leads to a confirmation
    (common/confirm.py), the confirmed POST acts. Someone who may not close the need is
    told so, as the service would."""
    if not is_confirmed(request):
        need = selectors.need_for_owner(user=request.user, slug=slug)
        if not permissions.can_close_need(request.user, need):
            messages.error(request, refusal)
            return redirect(need)
        return render_confirmation(
            request,
            Confirmation(
                subject=translated(need, "title"),
                back_url=need.get_absolute_url(),
                back_label=_("No, keep it on the list"),
                **confirmation,
            ),
        )
    return _workflow_action(request, slug, action, done_message)


@login_required
@require_http_methods(["GET", "POST"])
def need_fulfil(request, slug):
    return _owner_closes(
        request,
        slug,
        refusal=_("Only the owner of a published need may mark it as fulfilled."),
        confirmation={
            "title": _("Mark your need as fulfilled?"),
            "consequences": [
                _(
                    "The need leaves the public list and the search at once, as found: technology owners can no "
                    "longer read it or propose their technologies."
                )
            ],
            "cannot_undo": _(
                "A fulfilled need cannot be published again: for a new search, you would write a new need."
            ),
            "confirm_label": _("Yes, it is fulfilled"),
            "destructive": False,
        },
        action=services.need_fulfil,
        done_message=_("Marked as fulfilled: congratulations. It has left the list."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_withdraw(request, slug):
    return _owner_closes(
        request,
        slug,
        refusal=_("Only the owner of a published need may withdraw it."),
        confirmation={
            "title": _("Withdraw your need from the list?"),
            "consequences": [
                _(
                    "The need leaves the public list and the search at once: technology owners can no longer "
                    "read it or propose their technologies."
                )
            ],
            "cannot_undo": _(
                "A withdrawn need cannot be published again: to look for a technology again, you would write "
                "a new need."
            ),
            "confirm_label": _("Yes, withdraw the need"),
        },
        action=services.need_withdraw,
        done_message=_("Your need has been withdrawn from the list."),
    )


def _staff_only(user) -> None:
    if not permissions.can_moderate_needs(user):
        raise PermissionDenied


def _moderation_confirmation(need, form, **kwargs) -> Confirmation:
    message = form.cleaned_data["message"]
    return Confirmation(
        subject=translated(need, "title"),
        details=[(_("Message to the owner"), message)],
        hidden=posted_fields(form),
        back_url=need.get_absolute_url(),
        back_with_input=True,
        **kwargs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_publish(request, slug):
    """Staff's "Publish" (with its message) leads to a confirmation repeating the message;
    the confirmed POST publishes (common/confirm.py). A GET confirms publishing without
    a message."""
    _staff_only(request.user)
    form = NeedModerationForm(request.POST if request.method == "POST" else {"message": ""})
    if not form.is_valid() or is_going_back(request):
        need = selectors.need_for_detail(user=request.user, slug=slug)
        return render(
            request,
            "needs/need_detail.html",
            _detail_context(request, need, moderation_form=form),
            status=400 if form.errors else 200,
        )
    if not is_confirmed(request):
        need = selectors.need_for_owner(user=request.user, slug=slug)
        if not permissions.can_publish_need(request.user, need):
            messages.error(request, _("Only a submitted need can be published."))
            return redirect(need)
        confirmation = _moderation_confirmation(
            need,
            form,
            title=_("Publish this need?"),
            consequences=[
                _("The need appears on the public list of needs and in the search at once."),
                _("Its owner is emailed that it is published, with your message."),
            ],
            cannot_undo=_("The owner is emailed at once, and the need cannot be taken off the list from here."),
            confirm_label=_("Yes, publish the need"),
            destructive=False,
        )
        return render_confirmation(request, confirmation)
    return _workflow_action(
        request, slug, services.need_publish, _("The need is published."), message=form.cleaned_data["message"]
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_return(request, slug):
    """Staff's "Return to the owner" (with its message, required) leads to a confirmation
    repeating the message; the confirmed POST returns the need (common/confirm.py). A GET
    has no message to confirm: it goes to the need's page, where staff write it."""
    _staff_only(request.user)
    need = selectors.need_for_owner(user=request.user, slug=slug)
    if request.method == "GET":
        return redirect(need)
    form = NeedModerationForm(request.POST)
    if is_going_back(request):
        need = selectors.need_for_detail(user=request.user, slug=slug)
        return render(request, "needs/need_detail.html", _detail_context(request, need, moderation_form=form))
    if form.is_valid() and not is_confirmed(request):
        try:
            require_message(form.cleaned_data["message"])
        except ValidationError as error:
            form.add_error("message", error)
        else:
            if not permissions.can_publish_need(request.user, need):  # returning has the same door
                messages.error(request, _("Only a submitted need can be returned to its owner."))
                return redirect(need)
            confirmation = _moderation_confirmation(
                need,
                form,
                title=_("Return this need to its owner?"),
                consequences=[
                    _("The need goes back to its owner, who can change it and submit it again."),
                    _("Its owner is emailed your message."),
                ],
                cannot_undo=_("The owner is emailed at once: the message cannot be taken back."),
                confirm_label=_("Yes, return the need"),
            )
            return render_confirmation(request, confirmation)
    if form.is_valid():
        try:
            services.need_return(need=need, by=request.user, message=form.cleaned_data["message"])
        except ValidationError as error:
            form.add_error("message", error)
        except services.TransitionNotAllowed as error:
            messages.error(request, str(error))
            return redirect(need)
        else:
            messages.success(request, _("The need has been returned to its owner."))
            return redirect(need)
    need = selectors.need_for_detail(user=request.user, slug=slug)
    return render(request, "needs/need_detail.html", _detail_context(request, need, moderation_form=form), status=400)


@login_required
@require_POST
def need_answer(request, slug):
    need = selectors.need_for_detail(user=request.user, slug=slug)
    if not permissions.can_answer_need(request.user, need):
        raise PermissionDenied
    form = NeedAnswerForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.need_answer(need=need, sender=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your technology has been proposed to the owner of this need."))
            return redirect(need)
    return render(request, "needs/need_detail.html", _detail_context(request, need, answer_form=form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def need_translate(request, slug, language):
    need = selectors.need_for_owner(user=request.user, slug=slug)
    return render_translation_page(
        request,
        need,
        language=language,
        fields=need_translation_fields(),
        can_translate=permissions.can_translate_need(request.user, need),
        save=lambda **kwargs: services.need_translate(need=need, **kwargs),
        url_name="needs:translate",
    )
