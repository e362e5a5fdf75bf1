import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Organisation, StakeholderType, User
from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from technologies.models import Inquiry, IPStatus, Need, NeedStatus, Technology, TechnologyStatus

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organisation {n}")
    country = "CN"


class UserFactory(factory.django.DjangoModelFactory):
    """A member with a verified primary email address, able to sign in."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    name = factory.Sequence(lambda n: f"Member {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    stakeholder_type = StakeholderType.INDUSTRIAL_MANUFACTURER
    country = "KE"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True
    stakeholder_type = StakeholderType.TECHNICAL_PARTNER


class TechnologyFactory(factory.django.DjangoModelFactory):
    """A complete listing, published unless told otherwise (status=...)."""

    class Meta:
        model = Technology
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Solar crop dryer model {n}")
    slug = factory.Sequence(lambda n: f"solar-crop-dryer-model-{n}")
    summary = "A low-cost solar dryer that halves post-harvest losses for smallholder farmers."
    description = "## How it works\n\nAir heated by the sun flows through trays of produce."
    advantages = "No fuel, no grid; built from local materials."
    sector = factory.LazyFunction(lambda: Sector.objects.get(slug="agro-food-processing"))
    trl = 7
    ip_status = IPStatus.PATENT_PENDING
    country_developed = "KE"
    countries_deployed = ["KE", "TZ"]
    owner = factory.SubFactory(UserFactory, stakeholder_type=StakeholderType.TECHNOLOGY_INNOVATOR)
    organisation = factory.LazyAttribute(lambda o: o.owner.organisation)
    status = TechnologyStatus.PUBLISHED
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == TechnologyStatus.PUBLISHED else None)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))

    @factory.post_generation
    def sdgs(self, create, extracted, **kwargs):
        if create:
            self.sdgs.set(
                extracted if extracted is not None else SustainableDevelopmentGoal.objects.filter(number__in=[2, 7])
            )

    @factory.post_generation
    def cooperation(self, create, extracted, **kwargs):
        if create:
            self.cooperation.set(
                extracted if extracted is not None else CooperationType.objects.filter(slug="licensing")
            )

    @factory.post_generation
    def indexed(self, create, extracted, **kwargs):
        """Searchable as every write path leaves a listing (technologies/search.py)."""
        if create:
            from technologies.search import refresh_technologies

            refresh_technologies(Technology.objects.filter(pk=self.pk))


class NeedFactory(factory.django.DjangoModelFactory):
    """A published need for a solar dryer in Senegal (sector agro-food, SDGs 2 and 7)."""

    class Meta:
        model = Need
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Solar drying for mango processing {n}")
    slug = factory.Sequence(lambda n: f"solar-drying-for-mango-processing-{n}")
    problem = "We lose a third of our mangoes after harvest and need a drying line that runs without diesel."
    sector = factory.LazyFunction(lambda: Sector.objects.get(slug="agro-food-processing"))
    country = "SN"
    trl_min = 6
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))
    owner = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda o: o.owner.organisation)
    status = NeedStatus.PUBLISHED
    submitted_at = factory.LazyAttribute(lambda o: None if o.status == NeedStatus.DRAFT else timezone.now())
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == NeedStatus.PUBLISHED else None)

    @factory.post_generation
    def sdgs(self, create, extracted, **kwargs):
        if create:
            self.sdgs.set(
                extracted if extracted is not None else SustainableDevelopmentGoal.objects.filter(number__in=[2, 7])
            )

    @factory.post_generation
    def cooperation(self, create, extracted, **kwargs):
        if create:
            self.cooperation.set(
                extracted if extracted is not None else CooperationType.objects.filter(slug="licensing")
            )

    @factory.post_generation
    def indexed(self, create, extracted, **kwargs):
        """Searchable as every write path leaves a need (technologies/search.py)."""
        if create:
            from technologies.search import refresh_needs

            refresh_needs(Need.objects.filter(pk=self.pk))


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    technology = factory.SubFactory(TechnologyFactory)
    sender = factory.SubFactory(UserFactory)
    cooperation = factory.LazyFunction(lambda: CooperationType.objects.get(slug="licensing"))
    organisation_name = "Dakar Agro-Processing SA"
    message = "We would like to license this dryer for Senegal."


class AdviserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "advisors.Adviser"
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, stakeholder_type=StakeholderType.TECHNICAL_PARTNER)
    slug = factory.Sequence(lambda n: f"adviser-{n}")
    role = "member"
    title = "Professor of process engineering"
    affiliation = factory.Sequence(lambda n: f"University {n}")
    country = "DE"

    @factory.post_generation
    def expertise(self, create, extracted, **kwargs):
        if create and extracted:
            self.expertise.set(Sector.objects.filter(slug__in=extracted))


class EventFactory(factory.django.DjangoModelFactory):
    """A published, open event in Nairobi next month."""

    class Meta:
        model = "events.Event"

    kind = "workshop"
    title = factory.Sequence(lambda n: f"Solar drying workshop {n}")
    slug = factory.Sequence(lambda n: f"solar-drying-workshop-{n}")
    summary = "Hands-on training on solar dryers for cooperatives."
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    time_zone = "Africa/Nairobi"
    venue = "KIRDI Conference Hall"
    city = "Nairobi"
    country = "KE"
    registration_mode = "open"
    is_published = True


# --- Calls for solutions (issue 21) -----------------------------------------------------------


class CallFactory(factory.django.DjangoModelFactory):
    """A published call, open since last week until next month, with every stage."""

    class Meta:
        model = "calls.Call"

    title = factory.Sequence(lambda n: f"Call for clean industrial solutions {n}")
    slug = factory.Sequence(lambda n: f"call-for-clean-industrial-solutions-{n}")
    theme = "Sustainable industrial technology for the SDGs"
    description = "We look for technologies ready to scale in developing countries."
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    stages = factory.LazyFunction(lambda: ["eligibility", "shortlist", "jury", "results"])
    is_published = True


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application to an open call, by the owner of its technology."""

    class Meta:
        model = "calls.Application"

    call = factory.SubFactory(CallFactory)
    technology = factory.SubFactory(TechnologyFactory)
    applicant = factory.LazyAttribute(lambda o: o.technology.owner)
    status = "submitted"
    submitted_at = factory.LazyFunction(timezone.now)
