from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from common.text import validate_single_line
from common.translated import original_language_field
from technologies.models import TechnologyStatus


class AdviserRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CONVENER = "convener", _("Convener")
    MEMBER = "member", pgettext_lazy("role in the advisory group", "Member")


class AdviserQuerySet(models.QuerySet):
    def current(self, today=None):
        """Current advisers: active, and `today` within their term (from active_from to
        active_until, either end open). Everyone else is a former adviser: no access to
        reviews, no reminders, no assignment, not on the public pages. The same rule for
        one adviser is advisors.permissions.adviser_is_current."""
        today = today or timezone.localdate()
        return self.filter(is_active=True).filter(
            Q(active_from__isnull=True) | Q(active_from__lte=today),
            Q(active_until__isnull=True) | Q(active_until__gte=today),
        )

    def active(self, today=None):
        """The former name of current(), kept for its callers."""
        return self.current(today)


# Paths under /advisory-group/ that are pages, not advisers.
RESERVED_ADVISER_SLUGS = {"charter", "reviews", "staff"}


def _photo_name(instance, filename: str) -> str:
    import os
    import uuid

    extension = os.path.splitext(filename)[1].lower()
    return f"advisers/{uuid.uuid4().hex}{extension if extension in {'.jpg', '.jpeg', '.png', '.webp'} else '.jpg'}"


class Adviser(models.Model):
    """A member of the National Advisory Group, linked to their member account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("member account"), on_delete=models.PROTECT, related_name="adviser"
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    role = models.CharField(_("role"), max_length=20, choices=AdviserRole.choices, default=AdviserRole.MEMBER)
    title = models.CharField(
        _("title"), max_length=200, help_text=_("Position, e.g. Chairman of …"), validators=[validate_single_line]
    )
    affiliation = models.CharField(_("affiliation"), max_length=200, validators=[validate_single_line])
    country = CountryField(_("country"))
    expertise = models.ManyToManyField(
        "reference.Sector", verbose_name=_("expertise"), blank=True, related_name="advisers"
    )
    biography = models.TextField(_("biography"), blank=True, max_length=10_000, help_text=_("Markdown."))
    original_language = original_language_field()
    # Translations of the biography (see common/translated.py), entered by staff in the admin.
    biography_i18n = models.TextField(_("biography"), blank=True, max_length=10_000)
    photo = models.ImageField(_("photo"), upload_to=_photo_name, blank=True)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_until = models.DateField(_("term ends"), null=True, blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Deactivate instead of deleting: past reviews stay.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = AdviserQuerySet.as_manager()

    class Meta:
        ordering = ["order", "user__name"]
        verbose_name = _("adviser")
        verbose_name_plural = _("advisers")

    def __str__(self) -> str:
        return self.user.name

    def get_absolute_url(self) -> str:
        return reverse("advisors:detail", kwargs={"slug": self.slug})

    @property
    def is_current(self) -> bool:
        """A current adviser today (advisors.permissions.adviser_is_current), for templates
        of other apps: an event's speaker links to the profile only while it is public."""
        from .permissions import adviser_is_current

        return adviser_is_current(self)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.slug in RESERVED_ADVISER_SLUGS:
            raise ValidationError({"slug": _("This slug is used by a page of the site; choose another.")})

    @property
    def name(self) -> str:
        return self.user.name


class AdviserConflict(models.Model):
    """An adviser's declared conflict of interest with an organisation."""

    adviser = models.ForeignKey(Adviser, on_delete=models.CASCADE, related_name="conflicts")
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["adviser", "organisation"], name="one_conflict_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.adviser} / {self.organisation}"


class CharterQuerySet(models.QuerySet):
    def current(self, today=None):
        today = today or timezone.localdate()
        return self.filter(effective_date__lte=today).order_by("-effective_date", "-version").first()


class Charter(models.Model):
    """One approved version of the group's charter, in Markdown."""

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    body = models.TextField(_("text"), help_text=_("Markdown."))
    original_language = original_language_field()
    # Translations (see common/translated.py), entered by staff in the admin.
    title_i18n = models.CharField(_("title"), max_length=200, blank=True, validators=[validate_single_line])
    body_i18n = models.TextField(_("text"), blank=True)
    approved_on = models.DateField(_("approved on"))
    approved_by = models.CharField(
        _("approved by"),
        max_length=200,
        help_text=_("e.g. the First Plenary, Wuzhen"),
        validators=[validate_single_line],
    )
    effective_date = models.DateField(_("effective from"))

    objects = CharterQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_date", "-version"]
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class CriterionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True).order_by("order", "pk")


class Criterion(models.Model):
    """A review criterion and its weight. Active weights add up to 100."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    guidance = models.TextField(_("guidance for reviewers"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0, weight__lte=100), name="criterion_weight_0_100")
        ]

    def __str__(self) -> str:
        return self.name


class AssignmentState(models.TextChoices):
    AWAITING_DECLARATION = "awaiting_declaration", _("Awaiting conflict declaration")
    REVIEWING = "reviewing", _("Reviewing")
    SUBMITTED = "submitted", _("Review submitted")
    RECUSED = "recused", _("Recused")
    CANCELLED = "cancelled", _("Unassigned")


OPEN_ASSIGNMENT_STATES = [AssignmentState.AWAITING_DECLARATION, AssignmentState.REVIEWING]


class AssignmentQuerySet(models.QuerySet):
    def current(self):
        """Assignments of the current round: a decision closes a round."""
        return self.filter(closed_at__isnull=True)

    def open(self):
        """Reviews expected in a round under way: awaiting the declaration or reviewing, the
        round not closed, the listing in review (advisors.permissions.assignment_is_open)."""
        return self.current().filter(state__in=OPEN_ASSIGNMENT_STATES, technology__status=TechnologyStatus.IN_REVIEW)

    def seen_by_their_adviser(self):
        """The assignments their adviser may still open: open ones, and those they reviewed
        (advisors.permissions.can_open_assignment)."""
        return self.open() | self.filter(state=AssignmentState.SUBMITTED)

    def of_current_advisers(self, today=None):
        return self.filter(adviser__in=Adviser.objects.current(today))

    def counting(self):
        """This round's assignments whose review is expected or done (not recused, not unassigned)."""
        return self.current().filter(state__in=[*OPEN_ASSIGNMENT_STATES, AssignmentState.SUBMITTED])


class Assignment(models.Model):
    """An adviser asked by staff to review a submitted technology by a due date."""

    technology = models.ForeignKey(
        "technologies.Technology", verbose_name=_("technology"), on_delete=models.CASCADE, related_name="assignments"
    )
    adviser = models.ForeignKey(
        Adviser, verbose_name=_("adviser"), on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    due_date = models.DateField(_("due"))
    state = models.CharField(
        _("state"), max_length=30, choices=AssignmentState.choices, default=AssignmentState.AWAITING_DECLARATION
    )
    declared_at = models.DateTimeField(_("conflict declared"), null=True, blank=True)
    recusal_reason = models.TextField(_("reason for recusal"), blank=True)
    due_soon_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    all_in_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(
        _("closed"), null=True, blank=True, editable=False, help_text=_("Set when staff decide: the round is over.")
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["technology", "adviser"],
                condition=Q(state__in=["awaiting_declaration", "reviewing", "submitted"], closed_at__isnull=True),
                name="one_live_assignment_per_adviser",
            )
        ]

    def __str__(self) -> str:
        return f"{self.adviser} → {self.technology}"

    def get_absolute_url(self) -> str:
        return reverse("advisors:review", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_ASSIGNMENT_STATES and self.closed_at is None

    @property
    def expects_review(self) -> bool:
        """Counts toward the reviews of its round (not recused, not unassigned, not closed)."""
        return self.closed_at is None and self.state in (*OPEN_ASSIGNMENT_STATES, AssignmentState.SUBMITTED)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()


class Recommendation(models.TextChoices):
    NAG_EVALUATED = "nag_evaluated", _("Recommend as NAG-evaluated")
    PUBLISH = "publish", _("Publish")
    REVISE = "revise", _("Revise")
    REJECT = "reject", _("Reject")


class Review(models.Model):
    """An adviser's review: a draft until submitted, then read-only."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    recommendation = models.CharField(_("recommendation"), max_length=20, choices=Recommendation.choices, blank=True)
    comments_for_innovator = models.TextField(
        _("comments for the innovator"), blank=True, max_length=10_000, help_text=_("Shared without your name.")
    )
    confidential_comments = models.TextField(
        _("confidential comments for staff"),
        blank=True,
        max_length=10_000,
        help_text=_("Never shown to the innovator."),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    weighted_score = models.DecimalField(
        _("weighted score"), max_digits=5, decimal_places=1, null=True, blank=True, help_text=_("0 to 100")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return str(self.assignment)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ReviewScore(models.Model):
    """A score for one criterion, with the criterion's name and weight as they were
    when the review was submitted: later changes to criteria never alter it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.SET_NULL, null=True, related_name="+")
    criterion_name = models.CharField(max_length=200, validators=[validate_single_line])
    weight = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(choices=[(n, str(n)) for n in range(1, 6)])

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="review_score_1_to_5"),
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_name}: {self.score}"


def weighted_score(scores) -> Decimal:
    """0-100: each 1-5 score mapped to 0-100 and weighted (weights add up to 100)."""
    total_weight = sum(item.weight for item in scores)
    if not total_weight:
        return Decimal("0.0")
    value = sum(Decimal(item.weight) * (Decimal(item.score) - 1) / 4 for item in scores) * 100 / total_weight
    return value.quantize(Decimal("0.1"))
