"""Demo catalogue: 30 fictional sustainable industrial technologies, at every stage of the
listing workflow, created through the services exactly as members and staff would. The
listings themselves are data, in data/technologies.yaml.

Most are written in English; some in Chinese, Arabic, Russian, French or Spanish (their
`original_language`), with or without `translations` into other languages, so that the
quick start shows every reader's fallback chain (common/translated.py) at work.

Every organisation and person here is invented; any resemblance to a real company is
unintended. `load_demo_technologies` queues the emails the workflow implies (as rows in
the current transaction) and sends nothing itself.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from accounts.models import StakeholderType
from accounts.services import organisation_get_or_create
from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from common.translated import i18n_field_name
from devtools.demo import data
from technologies import services
from technologies.models import Technology

# The first entries belong to the demo innovator (their organisation replaces the one named
# here); the rest to one fictional member per organisation.
INNOVATOR_ENTRIES = 6

WORKFLOWS = ("published_nag", "published", "submitted", "in_review", "changes_requested", "draft")

# The listings, the contact person of each fictional organisation and the message of those
# published with the mark of the National Advisory Group.
_DATA = data.load("technologies")
DEMO_TECHNOLOGIES: list[dict] = _DATA["technologies"]
DEMO_CONTACTS: dict[str, str] = _DATA["contacts"]
NAG_MESSAGE: str = _DATA["nag_message"]


def _member_email(organisation_name: str) -> str:
    return f"demo.{slugify(organisation_name.replace('(fictional)', ''))}@wiits.example"


def _demo_member(entry: dict):
    """The fictional innovator of `entry`'s organisation, created the first time."""
    User = get_user_model()
    email = _member_email(entry["organisation"])
    member = User.objects.filter(email=email).first()
    if member is None:
        member = User(
            email=email,
            name=DEMO_CONTACTS.get(entry["organisation"], "Demo innovator"),
            organisation=organisation_get_or_create(name=entry["organisation"]),
            stakeholder_type=StakeholderType.TECHNOLOGY_INNOVATOR,
            country=entry["country_developed"],
        )
        member.set_unusable_password()
        member.save()
    return member


def translation_columns(translations: dict | None, *, original_language: str) -> dict[str, str]:
    """The translation columns of a text, `{title_i18n_fr: ..., summary_i18n_fr: ...}`, from
    its `translations` as the data files write them: `{language: {field: text}}` (as in
    data/translations.yaml). A language the portal does not have, or the language the
    text is written in, is a mistake in the data: ValueError, before anything is saved."""
    if original_language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown original_language {original_language!r}")
    columns = {}
    for language, fields in (translations or {}).items():
        if language not in dict(settings.LANGUAGES) or language == original_language:
            raise ValueError(f"cannot translate a text written in {original_language!r} into {language!r}")
        columns.update({i18n_field_name(field, language): text for field, text in fields.items()})
    return columns


def _create_listing(entry: dict, *, owner, sectors, sdgs, cooperation) -> Technology:
    original_language = entry.get("original_language", settings.LANGUAGE_CODE)
    fields = {
        "original_language": original_language,
        "title": entry["title"],
        "summary": entry["summary"],
        "description": entry["description"],
        "advantages": entry["advantages"],
        "sector": sectors[entry["sector"]],
        "trl": entry["trl"],
        "ip_status": entry["ip_status"],
        "country_developed": entry["country_developed"],
        "countries_deployed": entry["countries_deployed"],
        # Created with its translations: the service indexes every language at once.
        **translation_columns(entry.get("translations"), original_language=original_language),
    }
    return services.technology_create(
        owner=owner,
        fields=fields,
        sdgs=[sdgs[number] for number in entry["sdgs"]],
        cooperation=[cooperation[slug] for slug in entry["cooperation"]],
    )


def _advance(technology: Technology, workflow: str, *, owner, staff, message: str = "") -> None:
    """Move a new draft to the stage named by `workflow`, one service call per step."""
    if workflow not in WORKFLOWS:  # a typo in the YAML must not publish a listing
        raise ValueError(f"unknown workflow {workflow!r} for {technology.title!r}; expected one of {WORKFLOWS}")
    if workflow == "draft":
        return
    services.technology_submit(technology=technology, by=owner)
    if workflow == "submitted":
        return
    if workflow == "changes_requested":
        services.technology_request_changes(technology=technology, by=staff, message=message)
        return
    services.technology_screen(technology=technology, by=staff)
    if workflow in ("in_review", "published_nag"):
        return  # published_nag: the advisory group reviews it for the mark (devtools.demo.advisors)
    services.technology_publish(technology=technology, by=staff)


def load_demo_technologies(*, staff, innovator) -> int:
    """Create the demo catalogue through the services; return how many listings were made.

    The first INNOVATOR_ENTRIES listings belong to `innovator`; each other one to a fictional
    member of its organisation (created once, with no usable password). Runs inside the
    caller's transaction; the emails the workflow queues are left to the caller.
    """
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    sdgs = {goal.number: goal for goal in SustainableDevelopmentGoal.objects.all()}
    cooperation = {kind.slug: kind for kind in CooperationType.objects.all()}
    created = 0
    for index, entry in enumerate(DEMO_TECHNOLOGIES):
        owner = innovator if index < INNOVATOR_ENTRIES else _demo_member(entry)
        technology = _create_listing(entry, owner=owner, sectors=sectors, sdgs=sdgs, cooperation=cooperation)
        _advance(technology, entry["workflow"], owner=owner, staff=staff, message=entry.get("review_message", ""))
        created += 1
    return created
