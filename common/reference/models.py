from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.text import validate_single_line


class SectorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Sector(models.Model):
    """A field of industrial technology. Names are stored in English and translated
    through the message catalogue (see `data.py`)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True, validators=[validate_single_line])
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = SectorQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return gettext(self.name)


class SustainableDevelopmentGoal(models.Model):
    """One of the 17 UN Sustainable Development Goals, with its official colour."""

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)
    name = models.CharField(_("name"), max_length=120, validators=[validate_single_line])
    colour = models.CharField(_("colour"), max_length=7, help_text=_("Official hex colour, e.g. #E5243B"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1) & models.Q(number__lte=17), name="sdg_number_1_to_17"
            ),
        ]

    def __str__(self) -> str:
        return gettext("SDG %(number)s: %(name)s") % {"number": self.number, "name": gettext(self.name)}


class CooperationType(models.Model):
    """A kind of cooperation sought or offered: licensing, joint venture, investment..."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80, unique=True, validators=[validate_single_line])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("cooperation type")
        verbose_name_plural = _("cooperation types")

    def __str__(self) -> str:
        return gettext(self.name)
