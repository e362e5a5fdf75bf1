"""Demo privacy notice and terms of use: version 1 of each, in English with translations
into the five other languages (data/legal.yaml), in force from the day the demo is loaded,
and accepted by every account that exists then, so that `make run` shows the pages, the
box to tick at sign-up and the record of consents, and nobody of the demo is asked again.

The texts are a plain, honest first draft for the office's legal review, and say so.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import LegalDocument
from accounts.services import consent_record
from devtools.demo import data
from devtools.demo.technologies import translation_columns

DEMO_LEGAL: dict[str, dict] = data.load("legal")


@transaction.atomic
def load_demo_legal() -> int:
    """Create the first privacy notice and terms unless any version exists (so a demo
    loaded before them gets them too); record that every account accepted them. Returns
    how many texts were created."""
    if LegalDocument.objects.exists():
        return 0
    documents = [
        LegalDocument.objects.create(
            kind=kind,
            version=1,
            title=entry["title"],
            body=entry["body"],
            original_language="en",
            effective_date=timezone.localdate(),
            **translation_columns(entry["translations"], original_language="en"),
        )
        for kind, entry in DEMO_LEGAL.items()
    ]
    for user in get_user_model().objects.all():
        consent_record(user=user, documents=documents)
    return len(documents)
