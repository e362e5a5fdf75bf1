import re
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.confirm import Confirmation, is_confirmed, render_confirmation
from common.fragments import cached_fragment, latest_change
from common.pagination import BoundedPaginator
from common.site import site_url
from common.slugs import follows_former_slugs
from common.translated import reading, translated, translations_of, wants_original

from . import permissions, selectors, services
from .filters import CatalogueFilter
from .forms import ContentTranslationForm, InquiryForm, OutcomeForm, TechnologyForm, technology_translation_fields
from .models import Inquiry, Technology, TechnologyFormerSlug, TechnologyImage
from .storage import private_file_response

PAGE_SIZE = 20
# Results a list offers (50 pages): enough to browse, and counting and paging cost the
# same with any number of listings. Searches rank their newest RESULT_LIMIT matches.
RESULT_LIMIT = 1000


def render_filtered_list(request, filterset_class, queryset, *, template: str, results_template: str):
    """A list page of search and filters (the catalogue, the needs): one page of results,
    and the filters that were not understood, named on the page. The results and the
    filters come from the fragment cache when the same page was shown lately."""

    def render_results() -> str:
        filterset = filterset_class(request.GET, queryset=queryset, result_limit=RESULT_LIMIT)
        rows = filterset.qs  # ranking a search counts its matches (`counted`)
        paginator = BoundedPaginator(rows, PAGE_SIZE, limit=RESULT_LIMIT, counted=filterset.counted)
        page = paginator.get_page(request.GET.get("page"))
        context = {"filterset": filterset, "page": page, "filter_errors": filterset.errors}
        return render_to_string(results_template, context, request=request)

    results = cached_fragment(
        request,
        namespace=queryset.model._meta.label_lower,
        version=latest_change(queryset.model),
        render=render_results,
    )
    return render(request, template, {"results": results})


@require_GET
def catalogue(request):
    return render_filtered_list(
        request,
        CatalogueFilter,
        Technology.objects.published().for_cards(),
        template="technologies/technology_list.html",
        results_template="technologies/_technology_results.html",
    )


def _detail_context(request, technology: Technology) -> dict:
    user = request.user
    return {
        "technology": technology,
        "can_edit": permissions.can_edit_technology(user, technology),
        "can_submit": permissions.can_submit_technology(user, technology),
        "can_withdraw": permissions.can_withdraw_technology(user, technology),
        "can_renew": permissions.can_renew_technology(user, technology),
        "can_inquire": permissions.can_inquire_about(user, technology),
        "is_owner": permissions.is_owner(user, technology),
        "history": selectors.technology_history(technology=technology)
        if permissions.can_see_history(user, technology)
        else None,
        "missing": services.technology_missing_fields(technology)
        if permissions.can_submit_technology(user, technology)
        else [],
        "translation_links": translation_links(
            technology, url_name="technologies:translate", fields=services.TECHNOLOGY_TRANSLATED_FIELDS
        )
        if permissions.can_translate_technology(user, technology)
        else [],
        "reading": reading(technology, services.TECHNOLOGY_TRANSLATED_FIELDS, original=wants_original(request)),
    }


def _inquiry_context(request, technology: Technology, form: InquiryForm | None = None) -> dict:
    """The inquiry part of a listing's page: what the member already wrote to its owner,
    and the form, which then writes a follow-up (one query, only for who may inquire)."""
    user = request.user
    sent = (
        selectors.inquiries_sent_about(user=user, technology=technology)
        if permissions.can_inquire_about(user, technology)
        else []
    )
    last = sent[0] if sent else None
    if form is None:
        initial = {"organisation_name": _organisation_of(user)}
        if last:  # a follow-up usually seeks the same, for the same organisation
            initial = {"organisation_name": last.organisation_name, "cooperation": last.cooperation_id}
        form = InquiryForm(initial=initial)
    if last:
        form.fields["message"].label = _("Your follow-up message")
    return {"my_inquiries": sent, "follows_up": last, "inquiry_form": form}


@require_GET
@follows_former_slugs(TechnologyFormerSlug, to="technology")
def detail(request, slug):
    technology = selectors.technology_for_detail(user=request.user, slug=slug)
    if _counts_as_a_view(request, technology):
        # After the request's transaction: the counter row is not held locked while the
        # page renders, so visitors of a popular listing do not wait on each other.
        transaction.on_commit(lambda: services.technology_count_view(technology=technology))
    context = _detail_context(request, technology)
    # The owner's "Needs your technology could meet" comes from the needs app's template tag.
    context.update(_inquiry_context(request, technology))
    return render(request, "technologies/technology_detail.html", context)


CRAWLER = re.compile(r"bot|crawl|spider|slurp|preview|fetch|monitor|curl|wget|python-requests", re.IGNORECASE)


def _counts_as_a_view(request, technology: Technology) -> bool:
    """A visitor's view of a published listing: not its owner, not staff, not a crawler."""
    user = request.user
    return (
        technology.is_published
        and not (permissions.is_owner(user, technology) or permissions.is_staff(user))
        and not CRAWLER.search(request.headers.get("User-Agent", ""))
    )


def _organisation_of(user) -> str:
    return user.organisation.name if user.is_authenticated and user.organisation_id else ""


def _return_to(request) -> str:
    """Where a page that sent the member here (a call's application form) wants them back:
    a path on this site only, never another host."""
    target = request.POST.get("return_to") or request.GET.get("return_to") or ""
    allowed = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    form = TechnologyForm(request.POST or None, request.FILES or None)
    return_to = _return_to(request)
    if request.method == "POST" and form.is_valid():
        technology = services.technology_create(owner=request.user, **form.service_kwargs())
        if return_to:
            # Back to the page that sent the member, with the new listing chosen there.
            messages.success(request, _("Your draft listing has been saved. You can now use it here."))
            separator = "&" if "?" in return_to else "?"
            return redirect(f"{return_to}{separator}{urlencode({'technology': technology.pk})}")
        messages.success(request, _("Your draft has been saved. Submit it when it is complete."))
        return redirect(technology)
    return render(
        request, "technologies/technology_form.html", {"form": form, "technology": None, "return_to": return_to}
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    technology = selectors.technology_for_owner(user=request.user, slug=slug)
    if not permissions.can_edit_technology(request.user, technology):
        raise PermissionDenied
    form = TechnologyForm(request.POST or None, request.FILES or None, instance=technology)
    if request.method == "POST" and form.is_valid():
        services.technology_update(
            technology=technology,
            by=request.user,
            remove_brochure=form.cleaned_data.get("remove_brochure", False),
            **form.service_kwargs(),
        )
        messages.success(request, _("Your changes have been saved."))
        return redirect(technology)
    return render(
        request,
        "technologies/technology_form.html",
        {"form": form, "technology": technology, "images": technology.images.order_by("order", "pk")},
    )


def translation_links(obj, *, url_name: str, fields) -> list[dict]:
    """The owner's links to translate `obj` into each language but its own, saying which exist."""
    existing = translations_of(obj, list(fields))
    return [
        {
            "code": code,
            "name": name,
            "url": reverse(url_name, kwargs={"slug": obj.slug, "language": code}),
            "exists": code in existing,
        }
        for code, name in settings.LANGUAGES
        if code != obj.original_language
    ]


def render_translation_page(request, obj, *, language: str, fields: dict, can_translate: bool, save, url_name: str):
    """The owner's page to translate a listing's or a need's texts into `language`."""
    languages = dict(settings.LANGUAGES)
    if language not in languages or language == obj.original_language:
        raise Http404
    if not can_translate:
        raise PermissionDenied
    form = ContentTranslationForm(request.POST or None, obj=obj, fields=fields, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            save(by=request.user, language=language, values=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The translation has been saved."))
            return redirect(obj)
    other_languages = [
        link for link in translation_links(obj, url_name=url_name, fields=fields) if link["code"] != language
    ]
    return render(
        request,
        "technologies/content_translation.html",
        {
            "obj": obj,
            "form": form,
            "language": language,
            "language_name": languages[language],
            "original_language_name": languages.get(obj.original_language, obj.original_language),
            "original_fields": [(fields[name].label, getattr(obj, name)) for name in fields],
            "other_languages": other_languages,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def translate(request, slug, language):
    technology = selectors.technology_for_owner(user=request.user, slug=slug)
    return render_translation_page(
        request,
        technology,
        language=language,
        fields=technology_translation_fields(),
        can_translate=permissions.can_translate_technology(request.user, technology),
        save=lambda **kwargs: services.technology_translate(technology=technology, **kwargs),
        url_name="technologies:translate",
    )


@login_required
@require_http_methods(["GET", "POST"])
def image_delete(request, slug, pk):
    """The edit page's "Remove" leads to a confirmation showing the image; the confirmed
    POST deletes it (common/confirm.py)."""
    technology = selectors.technology_for_owner(user=request.user, slug=slug)
    image = get_object_or_404(TechnologyImage, pk=pk, technology=technology)
    if not is_confirmed(request):
        if not permissions.can_edit_technology(request.user, technology):
            raise PermissionDenied
        edit_url = reverse("technologies:edit", kwargs={"slug": technology.slug})
        confirmation = Confirmation(
            title=_("Remove this image?"),
            subject=translated(technology, "title"),
            consequences=[_("The image is taken off your listing and deleted from the portal.")],
            cannot_undo=_("To show it again, you would upload it again."),
            confirm_label=_("Yes, remove the image"),
            back_url=edit_url,
            back_label=_("No, keep it"),
        )
        return render_confirmation(
            request, confirmation, template="technologies/image_delete_confirm.html", context={"image": image}
        )
    services.technology_image_delete(image=image, by=request.user)
    messages.success(request, _("The image has been removed."))
    return redirect("technologies:edit", slug=technology.slug)


def run_workflow_action(request, obj, action, done_message):
    """Run a workflow service on `obj` (a listing or a need), say how it went, and go back
    to its page. `action` takes `by=`; refusals become messages, not errors."""
    try:
        action(by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    except services.TransitionNotAllowed as error:  # e.g. a double click: already done
        messages.error(request, str(error))
    else:
        messages.success(request, done_message)
    return redirect(obj)


def _workflow_action(request, slug, action, done_message):
    technology = selectors.technology_for_owner(user=request.user, slug=slug)
    return run_workflow_action(request, technology, partial(action, technology=technology), done_message)


@login_required
@require_POST
def submit(request, slug):
    return _workflow_action(
        request, slug, services.technology_submit, _("Submitted. WiiTs staff will screen your listing.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, slug):
    """The listing page's button leads to a confirmation; the confirmed POST withdraws
    (common/confirm.py). Someone who may not withdraw is told so, as the service would."""
    if not is_confirmed(request):
        technology = selectors.technology_for_owner(user=request.user, slug=slug)
        if not permissions.can_withdraw_technology(request.user, technology):
            messages.error(request, _("Only the owner of a published listing may withdraw it."))
            return redirect(technology)
        confirmation = Confirmation(
            title=_("Withdraw your listing from the catalogue?"),
            subject=translated(technology, "title"),
            consequences=[
                _(
                    "The listing leaves the catalogue and the search at once: visitors can no longer read it "
                    "or send you inquiries about it."
                ),
                _("We email you a receipt."),
            ],
            cannot_undo=_(
                "A withdrawn listing cannot be published again: to list this technology again, you would create "
                "a new listing and submit it for review."
            ),
            confirm_label=_("Yes, withdraw the listing"),
            back_url=technology.get_absolute_url(),
            back_label=_("No, keep it listed"),
        )
        return render_confirmation(request, confirmation)
    return _workflow_action(
        request, slug, services.technology_withdraw, _("Your listing has been withdrawn from the catalogue.")
    )


@login_required
@require_POST
def renew(request, slug):
    return _workflow_action(request, slug, services.technology_renew, _("Your listing has been renewed."))


@login_required
@require_POST
def inquire(request, slug):
    technology = selectors.technology_for_detail(user=request.user, slug=slug)
    if not permissions.can_inquire_about(request.user, technology):
        raise PermissionDenied
    form = InquiryForm(request.POST)
    inquiry_context = _inquiry_context(request, technology, form)
    if form.is_valid():
        try:
            services.inquiry_create(technology=technology, sender=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your follow-up has been sent to the owner of this technology.")
                if inquiry_context["follows_up"]
                else _("Your inquiry has been sent to the owner of this technology."),
            )
            return redirect(technology)
    context = _detail_context(request, technology)
    context.update(inquiry_context)
    return render(request, "technologies/technology_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def outcome(request, pk):
    """The recipient of an inquiry (or of an answer to their need) records how it went."""
    inquiry = selectors.inquiry_for_recipient(user=request.user, pk=pk)
    form = OutcomeForm(request.POST or None, instance=inquiry)
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_record_outcome(inquiry=inquiry, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: the outcome has been recorded."))
            return redirect("dashboard")
    return render(
        request,
        "technologies/inquiry_outcome.html",
        {"inquiry": inquiry, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def partner_consent(request, pk):
    """The sender of an inquiry agrees, or no longer agrees, to have the agreement featured."""
    inquiry = get_object_or_404(Inquiry, pk=pk, sender=request.user)
    consent = request.POST.get("consent") == "yes"
    try:
        services.inquiry_set_partner_consent(inquiry=inquiry, by=request.user, consent=consent)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Thank you: WiiTs may feature this cooperation once staff confirm it.")
            if consent
            else _("This cooperation will not be featured."),
        )
    return redirect("dashboard")


@require_GET
def image(request, slug, pk):
    technology = selectors.technology_for_detail(user=request.user, slug=slug)
    picture = get_object_or_404(TechnologyImage, pk=pk, technology=technology)
    # A draft's image only by the browser that asked; a published one briefly anywhere
    # (briefly: a withdrawn listing's images must soon stop being served). Streamed from
    # this disk, or a redirect to a short-lived signed link on object storage.
    return private_file_response(picture.image, content_type="image/jpeg", public=technology.is_published)


@require_GET
@follows_former_slugs(TechnologyFormerSlug, to="technology")
def brochure(request, slug):
    technology = selectors.technology_for_detail(user=request.user, slug=slug)
    if not technology.brochure:
        raise Http404
    return private_file_response(
        technology.brochure,
        content_type="application/pdf",
        public=technology.is_published,
        filename=f"{technology.slug}.pdf",
    )


class LatestTechnologiesFeed(Feed):
    """Every address in the feed is on SITE_URL (common.site), in the feed's language."""

    title = gettext_lazy("WiiTs: newly published technologies")
    description = gettext_lazy("Sustainable industrial technologies newly published on WiiTs.")

    def link(self):
        return site_url(reverse("technologies:catalogue"))

    def feed_url(self):
        return site_url(reverse("technologies:feed"))

    def items(self):
        return Technology.objects.published().select_related("organisation").order_by("-published_at")[:30]

    def item_title(self, item):
        return translated(item, "title").text  # by the fallback chain, in the feed's language

    def item_description(self, item):
        return translated(item, "summary").text

    def item_pubdate(self, item):
        return item.published_at

    def item_link(self, item):
        return site_url(reverse("technologies:detail", kwargs={"slug": item.slug}))
