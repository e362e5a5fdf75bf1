import secrets
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from common.text import validate_single_line
from common.translated import original_language_field, translated

TIME_ZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    PLENARY = "plenary", _("Plenary")
    CONFERENCE = "conference", _("Conference")
    WEBINAR = "webinar", _("Webinar")
    ROADSHOW = "roadshow", _("Roadshow")


class RegistrationMode(models.TextChoices):
    OPEN = "open", pgettext_lazy("registration mode", "Open")
    APPROVAL = "approval", _("By approval")
    INVITATION = "invitation", _("By invitation only")


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")


class Event(models.Model):
    """A workshop, plenary, conference, webinar or roadshow, run by staff in the admin."""

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=400, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True, max_length=20_000, help_text=_("Markdown."))
    original_language = original_language_field()
    # Translations (see common/translated.py), entered by staff in the admin.
    title_i18n = models.CharField(_("title"), max_length=200, blank=True, validators=[validate_single_line])
    summary_i18n = models.CharField(_("summary"), max_length=400, blank=True, validators=[validate_single_line])
    description_i18n = models.TextField(_("description"), blank=True, max_length=20_000)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="Asia/Shanghai",
        help_text=_("Where the event happens; times are shown in it."),
    )  # fmt: skip
    venue = models.CharField(_("venue"), max_length=200, blank=True, validators=[validate_single_line])
    city = models.CharField(_("city"), max_length=120, blank=True, validators=[validate_single_line])
    country = CountryField(_("country"), blank=True)
    online_url = models.URLField(_("online link"), blank=True, help_text=_("Shown only to registered participants."))
    cover_image = models.ImageField(_("cover image"), upload_to="events/", blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: no limit."))
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Registration always closes when the event starts."),
    )
    registration_mode = models.CharField(
        _("how to register"), max_length=20, choices=RegistrationMode.choices, default=RegistrationMode.OPEN
    )
    offers_visa_letter = models.BooleanField(
        _("offers visa invitation letters"),
        default=False,
        help_text=_("Registered participants may ask for a letter to support their visa application."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    sectors = models.ManyToManyField("reference.Sector", verbose_name=_("sectors"), blank=True, related_name="events")
    sdgs = models.ManyToManyField(
        "reference.SustainableDevelopmentGoal", verbose_name=_("SDGs"), blank=True, related_name="events"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.slug in {"past", "calendar"}:
            errors["slug"] = _("This slug is used by a page of the site; choose another.")
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if not (self.venue or self.city or self.online_url):
            errors["venue"] = _("Give a venue and city, or an online link.")
        if self.offers_visa_letter and self.country != "CN":
            # The letter (events/documents.py) is addressed to China's embassies and consulates.
            errors["offers_visa_letter"] = _("Visa invitation letters are for events held in China.")
        if errors:
            raise ValidationError(errors)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_starts_at(self):
        return timezone.localtime(self.starts_at, self.tz)

    @property
    def local_ends_at(self):
        return timezone.localtime(self.ends_at, self.tz)

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.venue

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if now >= self.starts_at:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now >= self.registration_closes_at)


class Speaker(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=150, validators=[validate_single_line])
    title = models.CharField(_("title"), max_length=200, blank=True, validators=[validate_single_line])
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True, validators=[validate_single_line])
    photo = models.ImageField(_("photo"), upload_to="speakers/", blank=True)
    biography = models.TextField(_("biography"), blank=True, max_length=5000)
    # Translations of the role and the biography, in the event's languages (common/translated.py).
    title_i18n = models.CharField(_("title"), max_length=200, blank=True, validators=[validate_single_line])
    biography_i18n = models.TextField(_("biography"), blank=True, max_length=5000)
    adviser = models.ForeignKey(
        "advisors.Adviser",
        verbose_name=_("adviser"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="talks",
        help_text=_("If the speaker is a member of the National Advisory Group."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name

    @property
    def original_language(self) -> str:
        """A speaker's texts are written in the event's language."""
        return self.event.original_language


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda")
    starts_at = models.DateTimeField(_("time"))
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True, max_length=2000)
    # Translations (common/translated.py), in the event's languages.
    title_i18n = models.CharField(_("title"), max_length=200, blank=True, validators=[validate_single_line])
    description_i18n = models.TextField(_("description"), blank=True, max_length=2000)
    speakers = models.ManyToManyField(Speaker, verbose_name=_("speakers"), blank=True, related_name="agenda_items")

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")

    def __str__(self) -> str:
        return self.title

    @property
    def original_language(self) -> str:
        """An agenda item is written in the event's language."""
        return self.event.original_language


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    PENDING = "pending", _("Waiting for approval")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_REGISTRATION_STATUSES = [RegistrationStatus.REGISTERED, RegistrationStatus.WAITING, RegistrationStatus.PENDING]


class Registration(models.Model):
    """A member's place at an event. One per member and event (re-used if they come back)."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(_("first registered on"), default=timezone.now)
    # The waiting list is ordered by this: the time the member joined it.
    queued_at = models.DateTimeField(_("in this status since"), default=timezone.now, db_index=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    attended = models.BooleanField(
        _("attended"), null=True, blank=True, help_text=_("Recorded by staff after the event; empty until then.")
    )
    # {str(question pk): answer} to the event's registration questions (services.clean_answers).
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_member")]

    def __str__(self) -> str:
        return f"{self.user} — {self.event}"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A single-use invitation to an invitation-only event, sent to an email address."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.event}"

    def get_absolute_url(self) -> str:
        return reverse("events:invitation", kwargs={"slug": self.event.slug, "token": self.token})


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Choice")
    YES_NO = "yes_no", _("Yes or no")


class RegistrationQuestion(models.Model):
    """A question staff ask the people who register for an event (dietary needs, access…)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300, validators=[validate_single_line])
    kind = models.CharField(
        _("kind of answer"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.TextField(
        _("choices"), blank=True, max_length=2_000, help_text=_("For a choice: one option per line.")
    )
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Translations (common/translated.py), in the event's languages; the options' translations
    # are given one per line, in the same order as the options.
    text_i18n = models.CharField(_("question"), max_length=300, blank=True, validators=[validate_single_line])
    choices_i18n = models.TextField(
        _("choices"), blank=True, max_length=2_000, help_text=_("The same options, in the same order.")
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind == QuestionKind.CHOICE and len(self.choice_list) < 2:
            raise ValidationError({"choices": _("Give at least two options, one per line.")})

    @property
    def original_language(self) -> str:
        """A question is written in the event's language."""
        return self.event.original_language

    @property
    def choice_list(self) -> list[str]:
        """The options as answers store them (the original texts)."""
        return _lines(self.choices)

    def options(self, language: str | None = None) -> list[tuple[str, str]]:
        """(stored value, label in the reader's language) of each option: the translation
        of the options when staff gave one for each, else the original texts."""
        values = self.choice_list
        labels = _lines(translated(self, "choices", language).text)
        return list(zip(values, labels if len(labels) == len(values) else values, strict=True))

    def answer_label(self, value: str, language: str | None = None) -> str:
        """A stored answer as the reader reads it (an option in their language, yes or no)."""
        if self.kind == QuestionKind.YES_NO and value in ("yes", "no"):
            return str(_("Yes") if value == "yes" else _("No"))
        if self.kind == QuestionKind.CHOICE:
            return dict(self.options(language)).get(value, value)
        return value


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class VisaLetterStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


def mask_passport_number(number: str) -> str:
    """What lists and exports show of a passport number: its last four characters."""
    if not number:
        return ""
    return "\u2022\u2022\u2022\u2022" + (number[-4:] if len(number) > 6 else "")


class VisaLetterRequest(models.Model):
    """A participant's request for a visa invitation letter, decided by staff.

    The passport number and the date of birth are personal data kept only as long as the
    letter may be needed: a daily task clears them WIITS_VISA_DATA_RETENTION_DAYS after the
    event (the request stays, as a record of the letter issued)."""

    registration = models.OneToOneField(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="visa_letter"
    )
    full_name = models.CharField(_("full name as in the passport"), max_length=200, validators=[validate_single_line])
    nationality = CountryField(_("nationality"))
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    passport_expiry = models.DateField(_("passport expiry date"))
    arrival = models.DateField(_("intended arrival"))
    departure = models.DateField(_("intended departure"))
    status = models.CharField(
        _("status"), max_length=20, choices=VisaLetterStatus.choices, default=VisaLetterStatus.REQUESTED
    )
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True, max_length=2_000)
    created_at = models.DateTimeField(_("requested on"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    personal_data_deleted_at = models.DateTimeField(_("passport data deleted on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("visa letter request")
        verbose_name_plural = _("visa letter requests")

    def __str__(self) -> str:
        return f"{self.full_name} — {self.registration.event}"

    def get_absolute_url(self) -> str:
        return reverse("events:visa_letter", kwargs={"slug": self.registration.event.slug, "pk": self.pk})

    @property
    def masked_passport_number(self) -> str:
        return mask_passport_number(self.passport_number)

    @property
    def reference(self) -> str:
        """The letter's reference, unique and the same at every download."""
        return f"WIITS-{self.registration.event_id}-{self.pk}"
