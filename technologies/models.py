import datetime
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, get_language_info, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.text import validate_single_line
from common.translated import original_language_field

from .storage import private_storage


class TechnologyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class IPStatus(models.TextChoices):
    PATENT_GRANTED = "patent_granted", _("Patent granted")
    PATENT_PENDING = "patent_pending", _("Patent pending")
    TRADE_SECRET = "trade_secret", _("Trade secret")
    OPEN = "open", _("Open or none")


# Statuses in which the owner may edit the listing.
EDITABLE_STATUSES = {TechnologyStatus.DRAFT, TechnologyStatus.CHANGES_REQUESTED}


class TechnologyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=TechnologyStatus.PUBLISHED)

    def nag_evaluated(self):
        return self.published().filter(nag_evaluated=True)

    def for_cards(self):
        """What a result card shows, in a fixed number of queries (not the long texts)."""
        return (
            self.defer(
                "description", "description_i18n", "advantages", "advantages_i18n", "search_vector", "search_words"
            )
            .select_related("sector", "organisation")
            .prefetch_related(
                "sdgs",
                models.Prefetch(
                    "images", queryset=TechnologyImage.objects.order_by("order", "pk"), to_attr="ordered_images"
                ),
            )
        )


def _image_name(instance, filename: str) -> str:
    return f"technologies/images/{uuid.uuid4().hex}.jpg"


def _brochure_name(instance, filename: str) -> str:
    return f"technologies/brochures/{uuid.uuid4().hex}.pdf"


class Technology(models.Model):
    """A sustainable industrial technology listed by an innovator."""

    slug = models.SlugField(_("slug"), max_length=220, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    summary = models.TextField(
        _("non-confidential summary"), max_length=1000, blank=True, help_text=_("Up to 1000 characters, public.")
    )
    description = models.TextField(
        _("description"), max_length=20_000, blank=True, help_text=_("Markdown: headings, lists, links.")
    )
    advantages = models.TextField(_("advantages over existing solutions"), max_length=5_000, blank=True)
    original_language = original_language_field()
    # Translations of the texts (django-modeltranslation adds a column per language; these
    # base fields stay empty: see common/translated.py).
    title_i18n = models.CharField(_("title"), max_length=200, blank=True, validators=[validate_single_line])
    summary_i18n = models.TextField(_("non-confidential summary"), max_length=1000, blank=True)
    description_i18n = models.TextField(_("description"), max_length=20_000, blank=True)
    advantages_i18n = models.TextField(_("advantages over existing solutions"), max_length=5_000, blank=True)
    sector = models.ForeignKey(
        "reference.Sector",
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="technologies",
    )
    sdgs = models.ManyToManyField(
        "reference.SustainableDevelopmentGoal",
        verbose_name=_("Sustainable Development Goals"),
        blank=True,
        related_name="technologies",
    )
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        null=True,
        blank=True,
        choices=[(level, str(level)) for level in range(1, 10)],
    )
    ip_status = models.CharField(_("intellectual property"), max_length=20, choices=IPStatus.choices, blank=True)
    country_developed = CountryField(_("country where developed"), blank=True)
    countries_deployed = CountryField(_("countries where deployed"), multiple=True, blank=True)
    cooperation = models.ManyToManyField(
        "reference.CooperationType", verbose_name=_("cooperation sought"), blank=True, related_name="technologies"
    )
    brochure = models.FileField(
        _("brochure (PDF)"), storage=private_storage, upload_to=_brochure_name, blank=True, max_length=200
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="technologies"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="technologies",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TechnologyStatus.choices, default=TechnologyStatus.DRAFT, db_index=True
    )
    nag_evaluated = models.BooleanField(
        _("NAG-evaluated"), default=False, help_text=_("Published after evaluation by the National Advisory Group.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    expiry_reminder_sent_at = models.DateTimeField(_("expiry reminder sent"), null=True, blank=True)
    # PostgreSQL only, kept by technologies/search.py: the weighted vector of every text in
    # its own language, and the folded titles and summaries in every language (typos).
    search_vector = SearchVectorField(null=True, editable=False)
    search_words = models.TextField(default="", editable=False)

    objects = TechnologyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trl__isnull=True) | models.Q(trl__gte=1, trl__lte=9), name="technology_trl_1_to_9"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="technology_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="technology_status_published"),
            # Sorting by readiness, and the NAG-evaluated filter (measured by `make bench`).
            models.Index(fields=["status", "-trl", "-published_at"], name="technology_status_trl"),
            # The dashboard's newest listings of an owner, whatever their number (make bench).
            models.Index(fields=["owner", "-updated_at"], name="technology_owner_updated"),
            # The latest change, which versions the cached catalogue pages (common/fragments.py).
            models.Index(fields=["updated_at"], name="technology_updated"),
            models.Index(
                fields=["-trl", "-published_at"],
                name="technology_nag_trl",
                condition=models.Q(status="published", nag_evaluated=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("technologies:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == TechnologyStatus.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def cover_image(self):
        images = getattr(self, "ordered_images", None)
        if images is None:
            images = list(self.images.order_by("order", "pk")[:1])
        return images[0] if images else None


class TechnologyImage(models.Model):
    """A picture of a technology, re-encoded as JPEG on upload, served through a view."""

    technology = models.ForeignKey(Technology, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        _("image"), storage=private_storage, upload_to=_image_name, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    alt_text = models.CharField(
        _("description of the image"), max_length=200, blank=True, validators=[validate_single_line]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.alt_text or self.technology.title

    def get_absolute_url(self) -> str:
        return reverse("technologies:image", kwargs={"slug": self.technology.slug, "pk": self.pk})


class PortalNote(models.TextChoices):
    """Notes the portal writes in a history itself: stored as a kind and its values, and
    written out in the language of whoever reads the history, not of whoever acted."""

    RENEWED = "renewed", _("renewed")
    TRANSLATION_SAVED = "translation_saved", _("translation saved")


class Transition(models.Model):
    """One step of a workflow: who moved the object, when, and why. Subclasses add the
    object and the statuses with their choices."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    # What a person wrote (a reason, a request for changes), as they wrote it.
    message = models.TextField(_("message"), blank=True)
    # What the portal notes, written out when read (`portal_note`).
    note = models.CharField(_("note"), max_length=30, choices=PortalNote.choices, blank=True)
    note_values = models.JSONField(_("values of the note"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    @property
    def portal_note(self) -> str:
        """The portal's note in the active language ("" when there is none)."""
        values = self.note_values or {}
        if self.note == PortalNote.RENEWED:
            until = formats.date_format(datetime.date.fromisoformat(values["until"]), "DATE_FORMAT")
            return _("Renewed until %(date)s.") % {"date": until}
        if self.note == PortalNote.TRANSLATION_SAVED:
            language = get_language_info(values["language"])["name_translated"]
            if get_language() in ("fr", "es"):  # language names are not capitalised in a sentence
                language = language[:1].lower() + language[1:]
            return _("Translation into %(language)s saved.") % {"language": language}
        return ""

    def actor(self, owner_id) -> str:
        """Who acted, for the history: "owner", "adviser", "staff" or "member" ("" if no one
        is recorded or the account is gone). Needs `by` and `by__adviser` loaded."""
        if self.by is None:
            return ""
        if self.by_id == owner_id:
            return "owner"
        if self.by.is_staff:
            return "staff"
        return "adviser" if hasattr(self.by, "adviser") else "member"


class TechnologyTransition(Transition):
    """One step of a technology's workflow."""

    technology = models.ForeignKey(Technology, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("previous status"), max_length=20, choices=TechnologyStatus.choices)
    to_status = models.CharField(_("new status"), max_length=20, choices=TechnologyStatus.choices)

    class Meta(Transition.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.technology}: {super().__str__()}"


# --- Outcomes of inquiries ----------------------------------------------------------------


class Outcome(models.TextChoices):
    NONE = "", _("Not recorded")
    IN_DISCUSSION = "in_discussion", _("In discussion")
    AGREEMENT = "agreement", _("Agreement reached")
    DECLINED = "declined", pgettext_lazy("outcome of an inquiry", "Declined")


class DeclineReason(models.TextChoices):
    TOO_EARLY = "too_early", _("Too early stage")
    BENEFIT_UNCLEAR = "benefit_unclear", _("Benefit unclear")
    NOT_OUR_FIELD = "not_our_field", _("Not our field")
    TERMS = "terms", _("Terms could not be agreed")
    OTHER = "other", _("Other")


class InquiryOutcomeMixin(models.Model):
    """How an inquiry went, recorded by its recipient; agreements confirmed by staff."""

    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True, db_index=True)
    agreement_type = models.ForeignKey(
        "reference.CooperationType",
        verbose_name=_("kind of agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = models.CharField(_("reason"), max_length=20, choices=DeclineReason.choices, blank=True)
    outcome_note = models.TextField(_("note"), max_length=2000, blank=True)
    outcome_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)
    # First time the inquiry reached a discussion (or an agreement directly): the funnel.
    discussed_at = models.DateTimeField(_("discussion started"), null=True, blank=True)
    agreed_at = models.DateTimeField(_("agreement reached"), null=True, blank=True)
    feature_consent = models.BooleanField(
        _("may be featured"),
        default=False,
        help_text=_("The recipient agrees that WiiTs features this cooperation as a success story."),
    )
    partner_consent = models.BooleanField(
        _("sender agrees to be featured"),
        default=False,
        help_text=_("The sender of the inquiry also agrees that WiiTs features this cooperation."),
    )
    story = models.TextField(_("success story"), max_length=1000, blank=True)
    agreement_confirmed_at = models.DateTimeField(_("agreement confirmed by staff"), null=True, blank=True)
    agreement_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    success_story = models.BooleanField(_("featured success story"), default=False)

    class Meta:
        abstract = True


# --- Technology needs ---------------------------------------------------------------------


class NeedStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")
    FULFILLED = "fulfilled", _("Fulfilled")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


NEED_EDITABLE_STATUSES = {NeedStatus.DRAFT, NeedStatus.RETURNED}


class NeedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=NeedStatus.PUBLISHED)

    def for_cards(self):
        return (
            self.defer("problem", "problem_i18n", "search_vector", "search_words")
            .select_related("sector", "organisation")
            .prefetch_related("sdgs")
        )


class Need(models.Model):
    """A technology a manufacturer (or any member) is looking for."""

    slug = models.SlugField(_("slug"), max_length=220, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    problem = models.TextField(
        _("the problem to solve"), max_length=10_000, help_text=_("Markdown: headings, lists, links. Public.")
    )
    original_language = original_language_field()
    # Translations (see Technology and common/translated.py).
    title_i18n = models.CharField(_("title"), max_length=200, blank=True, validators=[validate_single_line])
    problem_i18n = models.TextField(_("the problem to solve"), max_length=10_000, blank=True)
    sector = models.ForeignKey(
        "reference.Sector", verbose_name=_("sector"), on_delete=models.PROTECT, null=True, related_name="needs"
    )
    sdgs = models.ManyToManyField(
        "reference.SustainableDevelopmentGoal",
        verbose_name=_("Sustainable Development Goals"),
        blank=True,
        related_name="needs",
    )
    country = CountryField(_("country where the technology would be used"))
    trl_min = models.PositiveSmallIntegerField(
        _("minimum technology readiness level"), choices=[(level, str(level)) for level in range(1, 10)]
    )
    cooperation = models.ManyToManyField(
        "reference.CooperationType", verbose_name=_("cooperation offered"), blank=True, related_name="needs"
    )
    valid_until = models.DateField(_("valid until"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="needs"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    search_vector = SearchVectorField(null=True, editable=False)  # as Technology's
    search_words = models.TextField(default="", editable=False)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("technology need")
        verbose_name_plural = _("technology needs")
        constraints = [
            models.CheckConstraint(condition=models.Q(trl_min__gte=1, trl_min__lte=9), name="need_trl_1_to_9"),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="need_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="need_status_published"),
            models.Index(fields=["owner", "-updated_at"], name="need_owner_updated"),
            models.Index(fields=["updated_at"], name="need_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("needs:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == NeedStatus.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.status in NEED_EDITABLE_STATUSES


class NeedTransition(Transition):
    """One step of a need's workflow."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("previous status"), max_length=20, choices=NeedStatus.choices)
    to_status = models.CharField(_("new status"), max_length=20, choices=NeedStatus.choices)

    class Meta(Transition.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.need}: {super().__str__()}"


# --- Former addresses ---------------------------------------------------------------------


class FormerSlug(models.Model):
    """An address a listing had before (common/slugs.py): it redirects permanently to the
    listing's address, and no other listing may take it."""

    slug = models.SlugField(max_length=220, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.slug


class TechnologyFormerSlug(FormerSlug):
    technology = models.ForeignKey(Technology, on_delete=models.CASCADE, related_name="former_slugs")


class NeedFormerSlug(FormerSlug):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="former_slugs")


# --- Listing views ------------------------------------------------------------------------


class ListingViewDay(models.Model):
    """How many times a technology's page was seen on a day. Who saw it is not stored."""

    technology = models.ForeignKey(Technology, on_delete=models.CASCADE, related_name="view_days")
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("listing views on a day")
        verbose_name_plural = _("listing views per day")
        constraints = [models.UniqueConstraint(fields=["technology", "day"], name="one_view_count_per_day")]
        indexes = [models.Index(fields=["day"], name="listing_views_day")]

    def __str__(self) -> str:
        return f"{self.technology} {self.day}: {self.views}"


class Inquiry(InquiryOutcomeMixin):
    """A member's request for cooperation about a published technology, or a
    technology owner's answer to a published need (then `need` is set, the sender is the
    technology's owner and the recipient is the need's owner)."""

    technology = models.ForeignKey(
        Technology, verbose_name=_("technology"), on_delete=models.CASCADE, related_name="inquiries"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sender"), on_delete=models.CASCADE, related_name="inquiries_sent"
    )
    cooperation = models.ForeignKey(
        "reference.CooperationType", verbose_name=_("cooperation sought"), on_delete=models.PROTECT, related_name="+"
    )
    need = models.ForeignKey(
        "Need",
        verbose_name=_("answers the need"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, validators=[validate_single_line])
    message = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cooperation inquiry")
        verbose_name_plural = _("cooperation inquiries")
        constraints = [
            models.UniqueConstraint(
                fields=["need", "technology"],
                condition=models.Q(need__isnull=False),
                name="one_answer_per_need_and_technology",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sender} → {self.technology}"

    @property
    def recipient_id(self) -> int:
        """Who received it and records its outcome: the need's owner for an answer."""
        return self.need.owner_id if self.need_id else self.technology.owner_id

    @property
    def first_line(self) -> str:
        """The message's first non-empty line: what the sender remembers it by."""
        return next((line.strip() for line in self.message.splitlines() if line.strip()), "")
