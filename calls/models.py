"""Calls for solutions (issue 21): a themed call, its questions and weighted criteria, the
applications to it and each application's way through the call's stages.

Times are stored in UTC like every other; a call names the time zone its dates are set
and shown in (`time_zone`), and the deadline is decided by the server, not the browser.
"""

import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.models import StakeholderType
from common.text import validate_single_line
from common.translated import original_language_field

TIME_ZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class Stage(models.TextChoices):
    """The stages a call may use, in their order; a call chooses which (`Call.stages`)."""

    ELIGIBILITY = "eligibility", _("Eligibility check")
    SHORTLIST = "shortlist", _("Shortlist")
    JURY = "jury", _("Jury review")
    RESULTS = "results", _("Results")


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def open_at(self, moment):
        return self.published().filter(opens_at__lte=moment, closes_at__gt=moment)

    def upcoming_at(self, moment):
        return self.published().filter(opens_at__gt=moment)

    def closed_at(self, moment):
        return self.published().filter(closes_at__lte=moment)


class Call(models.Model):
    """A call for solutions on a theme, run by staff in the admin."""

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    theme = models.CharField(_("theme"), max_length=300, validators=[validate_single_line])
    description = models.TextField(_("description"), max_length=20_000, help_text=_("Markdown."))
    focus = models.TextField(
        _("focus categories"),
        blank=True,
        max_length=2_000,
        help_text=_("One per line, as applicants should read them."),
    )
    eligibility_rules = models.TextField(
        _("eligibility rules"), blank=True, max_length=10_000, help_text=_("Markdown, shown to applicants.")
    )
    original_language = original_language_field()
    # Translations (common/translated.py), entered by staff in the admin.
    title_i18n = models.CharField(_("title"), max_length=200, blank=True, validators=[validate_single_line])
    theme_i18n = models.CharField(_("theme"), max_length=300, blank=True, validators=[validate_single_line])
    description_i18n = models.TextField(_("description"), blank=True, max_length=20_000)
    focus_i18n = models.TextField(_("focus categories"), blank=True, max_length=2_000)
    eligibility_rules_i18n = models.TextField(_("eligibility rules"), blank=True, max_length=10_000)
    sectors = models.ManyToManyField("reference.Sector", verbose_name=_("sectors"), blank=True, related_name="calls")
    sdgs = models.ManyToManyField(
        "reference.SustainableDevelopmentGoal", verbose_name=_("SDGs"), blank=True, related_name="calls"
    )
    stakeholder_types = models.JSONField(
        _("who may apply"), default=list, blank=True, help_text=_("Stakeholder types; none chosen: every member.")
    )
    countries = CountryField(
        _("countries that may apply"), multiple=True, blank=True, help_text=_("None chosen: every country.")
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("deadline"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="Asia/Shanghai",
        help_text=_("The dates are set and shown in it; the deadline is the server's clock in this zone."),
    )  # fmt: skip
    jury = models.ManyToManyField("advisors.Adviser", verbose_name=_("jury"), blank=True, related_name="juries")
    reviews_per_application = models.PositiveSmallIntegerField(_("reviews per application"), default=3)
    stages = models.JSONField(
        _("stages"), default=list, blank=True, help_text=_("The stages this call uses, from eligibility to results.")
    )
    is_published = models.BooleanField(_("published"), default=False)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-closes_at", "pk"]
        verbose_name = _("call for solutions")
        verbose_name_plural = _("calls for solutions")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_it_opens"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("calls:detail", kwargs={"slug": self.slug})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def is_open(self, moment=None) -> bool:
        """Whether applications are accepted at `moment` (now): the server's clock decides."""
        moment = moment or timezone.now()
        return self.is_published and self.opens_at <= moment < self.closes_at

    def uses(self, stage: str) -> bool:
        """Whether the call goes through `stage`; every call ends with its results."""
        return stage == Stage.RESULTS or stage in (self.stages or [])

    @property
    def stakeholder_type_names(self) -> list[str]:
        names = dict(StakeholderType.choices)
        return [str(names[value]) for value in self.stakeholder_types or [] if value in names]


class CallCriterion(models.Model):
    """A criterion the jury scores for this call, with its weight (a call's weights add up
    to 100). A new call starts with a copy of the advisory group's criteria."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    name_i18n = models.CharField(_("name"), max_length=200, blank=True, validators=[validate_single_line])
    guidance = models.TextField(_("guidance for the jury"), blank=True, max_length=2_000)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria and weights")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="call_criterion_weight_1_100")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight} %)"

    @property
    def original_language(self) -> str:
        return self.call.original_language


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Choice")
    YES_NO = "yes_no", _("Yes or no")
    NUMBER = "number", _("Number")


class CallQuestion(models.Model):
    """A question of the call that every application answers."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=500, validators=[validate_single_line])
    text_i18n = models.CharField(_("question"), max_length=500, blank=True, validators=[validate_single_line])
    kind = models.CharField(
        _("kind of answer"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.TextField(_("choices"), blank=True, max_length=2_000, help_text=_("For a choice: one per line."))
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    @property
    def original_language(self) -> str:
        return self.call.original_language

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    NOT_SHORTLISTED = "not_shortlisted", _("Not shortlisted")
    JURY_REVIEW = "jury_review", _("In jury review")
    WINNER = "winner", _("Winner")
    FINALIST = "finalist", _("Finalist")
    NOT_SELECTED = "not_selected", _("Not selected")


class Application(models.Model):
    """A member's application to a call with one of their technologies."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    technology = models.ForeignKey(
        "technologies.Technology", on_delete=models.PROTECT, related_name="applications", verbose_name=_("technology")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications", verbose_name=_("applicant")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True
    )
    # {str(question pk): answer}, as the applicant gave them (checked by the call's questions).
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # Why staff moved it where it is, for the applicant to read (an ineligible application's reason).
    decision_reason = models.TextField(_("reason given to the applicant"), blank=True, max_length=2_000)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reminded_7_days_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_1_day_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["call", "-submitted_at", "pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["call", "technology"], name="one_application_per_technology_per_call"),
        ]
        indexes = [models.Index(fields=["call", "status"], name="application_call_status")]

    def __str__(self) -> str:
        return f"{self.technology} → {self.call}"

    def get_absolute_url(self) -> str:
        return reverse("calls:application", kwargs={"slug": self.call.slug, "pk": self.pk})


class ApplicationTransition(models.Model):
    """One move of an application between stages: who, when, why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("previous status"), max_length=20, choices=ApplicationStatus.choices)
    to_status = models.CharField(_("new status"), max_length=20, choices=ApplicationStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.application}: {self.from_status} → {self.to_status}"


# --- The jury ----------------------------------------------------------------------------------


class JuryState(models.TextChoices):
    AWAITING_DECLARATION = "awaiting_declaration", _("Awaiting conflict declaration")
    SCORING = "scoring", _("Scoring")
    SUBMITTED = "submitted", _("Scores submitted")
    RECUSED = "recused", _("Recused")


class JuryAssignment(models.Model):
    """A juror (an adviser on the call's jury) asked by staff to score one application.
    As in the advisory group's reviews: a conflict of interest is declared first, the
    scores are the juror's own and read-only once submitted, and the comments for the
    applicant reach them without the juror's name; the confidential ones never do."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="jury_assignments")
    adviser = models.ForeignKey(
        "advisors.Adviser", on_delete=models.PROTECT, related_name="jury_assignments", verbose_name=_("juror")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("assigned by")
    )
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=30, choices=JuryState.choices, default=JuryState.AWAITING_DECLARATION
    )
    declared_at = models.DateTimeField(_("conflict declared"), null=True, blank=True)
    recusal_reason = models.TextField(_("reason for recusal"), blank=True, max_length=2_000)
    comments_for_applicant = models.TextField(
        _("comments for the applicant"), blank=True, max_length=5_000, help_text=_("Shared without your name.")
    )
    confidential_comments = models.TextField(
        _("confidential comments for staff"),
        blank=True,
        max_length=5_000,
        help_text=_("Never shown to the applicant."),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    weighted_score = models.DecimalField(
        _("weighted score"), max_digits=5, decimal_places=1, null=True, blank=True, help_text=_("0 to 100")
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["assigned_at", "pk"]
        verbose_name = _("jury assignment")
        verbose_name_plural = _("jury assignments")
        constraints = [
            models.UniqueConstraint(fields=["application", "adviser"], name="one_jury_assignment_per_juror"),
        ]

    def __str__(self) -> str:
        return f"{self.adviser} → {self.application}"

    def get_absolute_url(self) -> str:
        return reverse("calls:jury_score", kwargs={"slug": self.application.call.slug, "pk": self.pk})


class JuryScore(models.Model):
    """A juror's score (1 to 5) for one of the call's criteria, with the criterion's
    weight as it was when the scores were submitted."""

    assignment = models.ForeignKey(JuryAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(CallCriterion, on_delete=models.SET_NULL, null=True, related_name="+")
    criterion_name = models.CharField(max_length=200, validators=[validate_single_line])
    weight = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(choices=[(n, str(n)) for n in range(1, 6)])

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="jury_score_1_to_5"),
            models.UniqueConstraint(fields=["assignment", "criterion"], name="one_jury_score_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_name}: {self.score}"
