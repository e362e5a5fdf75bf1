from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.text import validate_single_line
from common.translated import original_language_field


class StakeholderType(models.TextChoices):
    TECHNOLOGY_INNOVATOR = "innovator", _("Technology innovator")
    INDUSTRIAL_MANUFACTURER = "manufacturer", _("Industrial manufacturer")
    GLOBALISATION_USER = "globalisation_user", _("Product-globalisation user")
    FINANCE_PROVIDER = "finance", _("Finance service provider")
    TECHNICAL_PARTNER = "technical_partner", _("Technical partner")


class Organisation(models.Model):
    """A company, university, fund or agency that members belong to.

    Names are unique regardless of case, so "SJTU" typed by two members is one
    organisation (the conflict-of-interest rules of the advisory group rely on it).
    """

    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of the portal. Email is the sign-in name."""

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("full name"), max_length=150, validators=[validate_single_line])
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True, validators=[validate_single_line])
    stakeholder_type = models.CharField(_("stakeholder type"), max_length=32, choices=StakeholderType.choices)
    country = CountryField(_("country"), blank=True)
    sectors = models.ManyToManyField(
        "reference.Sector", verbose_name=_("sectors of interest"), blank=True, related_name="members"
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    weekly_digest = models.BooleanField(
        _("weekly digest"),
        default=False,
        help_text=_("Once a week, an email with the technologies and needs newly published in my sectors."),
    )
    digest_sent_at = models.DateTimeField(_("last digest sent"), null=True, blank=True, editable=False)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Designates whether the user can use the admin site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return self.name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


# --- The privacy notice, the terms of use and members' consent ---------------------------


class LegalDocumentKind(models.TextChoices):
    PRIVACY = "privacy", _("Privacy notice")
    TERMS = "terms", _("Terms of use")


class LegalDocumentQuerySet(models.QuerySet):
    def effective(self, today=None):
        """Versions that have taken effect (the one in force and those it replaced)."""
        return self.filter(effective_date__lte=today or timezone.localdate())

    def newest_first(self):
        return self.order_by("kind", "-effective_date", "-version")


class LegalDocument(models.Model):
    """One version of the privacy notice or of the terms of use, in Markdown, entered by
    staff in the admin. The version in force is the latest that has taken effect; members
    accept each version in force once (`Consent`)."""

    kind = models.CharField(_("document"), max_length=16, choices=LegalDocumentKind.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    changes = models.TextField(
        _("what changed"),
        blank=True,
        help_text=_(
            "Markdown. A short summary of the changes from the previous version, shown to members asked to accept it."
        ),
    )
    body = models.TextField(_("text"), help_text=_("Markdown."))
    original_language = original_language_field()
    # Translations (see common/translated.py), entered by staff in the admin.
    title_i18n = models.CharField(_("title"), max_length=200, blank=True, validators=[validate_single_line])
    changes_i18n = models.TextField(_("what changed"), blank=True)
    body_i18n = models.TextField(_("text"), blank=True)
    effective_date = models.DateField(
        _("in force from"), help_text=_("Members are asked to accept this version from this date.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = LegalDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-effective_date", "-version"]
        verbose_name = _("privacy notice or terms version")
        verbose_name_plural = _("privacy notice and terms versions")
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="legal_document_kind_version_unique"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="legal_document_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    def get_absolute_url(self) -> str:
        return f"{reverse(self.kind)}?version={self.version}"


class Consent(models.Model):
    """A member accepted one version of the terms or acknowledged one version of the
    privacy notice, at sign-up or when asked again. Deleted with the member's account."""

    user = models.ForeignKey(User, verbose_name=_("member"), on_delete=models.CASCADE, related_name="consents")
    # A version that members accepted stays on record: it cannot be deleted.
    document = models.ForeignKey(
        LegalDocument, verbose_name=_("version accepted"), on_delete=models.PROTECT, related_name="consents"
    )
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [models.UniqueConstraint(fields=["user", "document"], name="consent_user_document_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.document}"


class ContactTopic(models.TextChoices):
    """What a message sent with the contact form is about (its subject line starts with it)."""

    GENERAL = "general", _("General question")
    ACCOUNT = "account", _("My account")
    LISTINGS = "listings", _("Technologies and needs")
    EVENTS = "events", _("Events")
    ADVISORY_GROUP = "advisory_group", _("National Advisory Group")
    PRIVACY = "privacy", _("Privacy and my personal data")
    OTHER = "other", _("Something else")
