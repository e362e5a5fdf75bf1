"""What the API shows of each object: exactly what its public page shows, never more.

Texts are objects `{"text", "language", "is_translation"}`, chosen by the portal's
fallback chain for the reader's language (common/translated.py); long texts add `html`,
the Markdown rendered and cleaned as on the page. Every address is absolute, on SITE_URL.
The serializers are read-only and built by hand (`to_representation`) from rows the
views load in a fixed number of queries.
"""

from django.urls import reverse
from django.utils.translation import get_language, gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.countries import country_name
from common.site import site_url
from common.text import render_markdown
from common.translated import translated


def absolute(url: str) -> str:
    """A stored file's or a page's address, absolute (a bucket's or CDN's already is)."""
    return url if url.startswith(("https://", "http://")) else site_url(url)


def file_url(field) -> str | None:
    return absolute(field.url) if field else None


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The text, in `language`.")
    language = serializers.CharField(help_text="The language the text is in: en, fr, es, ru, ar or zh-hans.")
    is_translation = serializers.BooleanField(help_text="False for the original text.")


class LongTextSerializer(TextSerializer):
    html = serializers.CharField(help_text="The text's Markdown as HTML, cleaned (the tags of the portal's pages).")


@extend_schema_field(TextSerializer)
class TextField(serializers.Field):
    """A member's or staff's text in the reader's language (or the nearest one there is)."""

    def __init__(self, *, html: bool = False, **kwargs):
        self.html = html
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def bind(self, field_name, parent):
        self.text_field = field_name
        super().bind(field_name, parent)

    def to_representation(self, obj):
        chosen = translated(obj, self.text_field, get_language())
        value = {"text": chosen.text, "language": chosen.language, "is_translation": chosen.is_translation}
        if self.html:
            value["html"] = render_markdown(chosen.text)
        return value


@extend_schema_field(LongTextSerializer)
class LongTextField(TextField):
    def __init__(self, **kwargs):
        super().__init__(html=True, **kwargs)


class NamedSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the reader's language.")


class CountrySerializer(NamedSerializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2.")


def named(code: str, name) -> dict | None:
    return {"code": code, "name": str(name)} if code else None


def country(code) -> dict | None:
    code = str(code or "")
    return {"code": code, "name": country_name(code)} if code else None


@extend_schema_field(CountrySerializer(allow_null=True))
class CountryField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return country(value)


@extend_schema_field(CountrySerializer(many=True))
class CountriesField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return [country(code) for code in value or []]


def choice_field(choices_display: str):
    """A coded value and its name in the reader's language: `{"code", "name"}`."""

    @extend_schema_field(NamedSerializer(allow_null=True))
    class ChoiceField(serializers.Field):
        def __init__(self, **kwargs):
            super().__init__(read_only=True, source="*", **kwargs)

        def to_representation(self, obj):
            code = getattr(obj, self.field_name)
            return named(code, getattr(obj, choices_display % self.field_name)())

    return ChoiceField


DisplayedChoice = choice_field("get_%s_display")


# --- Reference lists --------------------------------------------------------------------


class SectorSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The value of the `sector` filters.")
    name = serializers.CharField(source="__str__", help_text="In the reader's language.")


class GoalSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="1 to 17: the value of the `sdg` filters.")
    name = serializers.SerializerMethodField(help_text="In the reader's language.")
    colour = serializers.CharField(help_text="The goal's official colour.")

    def get_name(self, goal) -> str:
        return gettext(goal.name)


class CooperationTypeSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The value of the `cooperation` filters.")
    name = serializers.CharField(source="__str__", help_text="In the reader's language.")


class OrganisationSerializer(serializers.Serializer):
    name = serializers.CharField()


# --- Technologies and needs ---------------------------------------------------------------


class ImageSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt_text = serializers.CharField(help_text="What the image shows, as its owner wrote it.")

    def get_url(self, image) -> str:
        return site_url(image.get_absolute_url())


class PageSerializer(serializers.Serializer):
    """The page's address on the portal (in the reader's language) and the API's own."""

    url = serializers.SerializerMethodField(help_text="The public page on the portal.")
    api_url = serializers.SerializerMethodField(help_text="This object in the API.")
    api_name = ""

    def get_url(self, obj) -> str:
        return site_url(obj.get_absolute_url())

    def get_api_url(self, obj) -> str:
        return site_url(reverse(f"api:{self.api_name}-detail", kwargs={"slug": obj.slug}))


class TechnologySerializer(PageSerializer):
    api_name = "technology"

    slug = serializers.SlugField()
    title = TextField()
    summary = TextField()
    original_language = serializers.CharField()
    sector = SectorSerializer(allow_null=True)
    sdgs = GoalSerializer(many=True, source="sdgs.all")
    trl = serializers.IntegerField(allow_null=True, help_text="Technology readiness level, 1 to 9.")
    ip_status = DisplayedChoice()
    country_developed = CountryField()
    countries_deployed = CountriesField()
    cooperation = CooperationTypeSerializer(many=True, source="cooperation.all", help_text="Cooperation sought.")
    organisation = OrganisationSerializer(allow_null=True)
    nag_evaluated = serializers.BooleanField(help_text="Published after evaluation by the National Advisory Group.")
    published_at = serializers.DateTimeField()
    valid_until = serializers.DateField(allow_null=True)
    images = ImageSerializer(many=True, source="ordered_images")
    brochure_url = serializers.SerializerMethodField()

    def get_brochure_url(self, technology) -> str | None:
        if not technology.brochure:
            return None
        return site_url(reverse("technologies:brochure", kwargs={"slug": technology.slug}))


class TechnologyDetailSerializer(TechnologySerializer):
    description = LongTextField()
    advantages = LongTextField()


class NeedSerializer(PageSerializer):
    api_name = "need"

    slug = serializers.SlugField()
    title = TextField()
    original_language = serializers.CharField()
    sector = SectorSerializer(allow_null=True)
    sdgs = GoalSerializer(many=True, source="sdgs.all")
    country = CountryField(help_text="Where the technology would be used.")
    trl_min = serializers.IntegerField(help_text="The lowest technology readiness level the need is open to.")
    cooperation = CooperationTypeSerializer(many=True, source="cooperation.all", help_text="Cooperation offered.")
    organisation = OrganisationSerializer(allow_null=True)
    published_at = serializers.DateTimeField()
    valid_until = serializers.DateField()


class NeedDetailSerializer(NeedSerializer):
    problem = LongTextField()


# --- Events -------------------------------------------------------------------------------


class SpeakerSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = TextField()
    affiliation = serializers.CharField()
    biography = LongTextField()
    photo_url = serializers.SerializerMethodField()
    adviser_url = serializers.SerializerMethodField(help_text="The speaker's page in the advisory group, if any.")

    def get_photo_url(self, speaker) -> str | None:
        return file_url(speaker.photo)

    def get_adviser_url(self, speaker) -> str | None:
        adviser = speaker.adviser
        if adviser is None or not adviser.is_current:
            return None
        return site_url(adviser.get_absolute_url())


class AgendaItemSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    title = TextField()
    description = LongTextField()
    speakers = serializers.SerializerMethodField(help_text="Names of the item's speakers.")

    def get_speakers(self, item) -> list[str]:
        return [speaker.name for speaker in item.speakers.all()]


class RegistrationSerializer(serializers.Serializer):
    mode = serializers.CharField(source="registration_mode", help_text="open, approval or invitation.")
    is_open = serializers.SerializerMethodField()

    def get_is_open(self, event) -> bool:
        return event.registration_is_open()


class EventSerializer(PageSerializer):
    api_name = "event"

    slug = serializers.SlugField()
    kind = DisplayedChoice()
    title = TextField()
    summary = TextField()
    original_language = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    time_zone = serializers.CharField(help_text="Where the event happens (IANA name).")
    venue = serializers.CharField()
    city = serializers.CharField()
    country = CountryField()
    is_online = serializers.BooleanField()
    registration = RegistrationSerializer(source="*")
    calendar_url = serializers.SerializerMethodField(help_text="The event as an iCalendar file.")
    cover_image_url = serializers.SerializerMethodField()
    sectors = SectorSerializer(many=True, source="sectors.all")
    sdgs = GoalSerializer(many=True, source="sdgs.all")
    agenda = AgendaItemSerializer(many=True, source="agenda.all")
    speakers = SpeakerSerializer(many=True, source="speakers.all")

    def get_calendar_url(self, event) -> str:
        return site_url(reverse("events:ics", kwargs={"slug": event.slug}))

    def get_cover_image_url(self, event) -> str | None:
        return file_url(event.cover_image)


class EventDetailSerializer(EventSerializer):
    description = LongTextField()


# --- The advisory group -------------------------------------------------------------------


class AdviserSerializer(PageSerializer):
    api_name = "adviser"

    slug = serializers.SlugField()
    name = serializers.CharField()
    role = DisplayedChoice()
    title = serializers.CharField(help_text="Position.")
    affiliation = serializers.CharField()
    country = CountryField()
    expertise = SectorSerializer(many=True, source="expertise.all")
    biography = LongTextField()
    photo_url = serializers.SerializerMethodField()

    def get_photo_url(self, adviser) -> str | None:
        return file_url(adviser.photo)
