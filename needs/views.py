"""Pages of technology needs: the public list, one need with its suggestions, the
owner's form and workflow buttons, staff moderation, and answers from technology owners."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.slugs import follows_former_slugs
from common.translated import reading, wants_original
from technologies.models import Need, NeedFormerSlug
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
        if need.is_published and permissions.can_see_suggestions(user, need)
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


@login_required
@require_POST
def need_fulfil(request, slug):
    return _workflow_action(
        request, slug, services.need_fulfil, _("Marked as fulfilled: congratulations. It has left the list.")
    )


@login_required
@require_POST
def need_withdraw(request, slug):
    return _workflow_action(request, slug, services.need_withdraw, _("Your need has been withdrawn from the list."))


def _staff_only(user) -> None:
    if not permissions.can_moderate_needs(user):
        raise PermissionDenied


@login_required
@require_POST
def need_publish(request, slug):
    _staff_only(request.user)
    form = NeedModerationForm(request.POST)
    if not form.is_valid():
        need = selectors.need_for_detail(user=request.user, slug=slug)
        return render(
            request, "needs/need_detail.html", _detail_context(request, need, moderation_form=form), status=400
        )
    return _workflow_action(
        request, slug, services.need_publish, _("The need is published."), message=form.cleaned_data["message"]
    )


@login_required
@require_POST
def need_return(request, slug):
    _staff_only(request.user)
    need = selectors.need_for_owner(user=request.user, slug=slug)
    form = NeedModerationForm(request.POST)
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
