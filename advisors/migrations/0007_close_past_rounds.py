"""Rounds that ended before their rule lived in every transition (issue 24): a decision
taken in the admin left its assignments open. Close the assignments of listings no longer
screened or in review, and those older than the listing's latest submission (a round
before a resubmission), as the decision would have."""

from django.db import migrations
from django.db.models import F, Q
from django.utils import timezone


def close_past_rounds(apps, schema_editor):
    Assignment = apps.get_model("advisors", "Assignment")
    past = Assignment.objects.filter(closed_at__isnull=True).filter(
        ~Q(technology__status__in=["submitted", "in_review"]) | Q(assigned_at__lt=F("technology__submitted_at"))
    )
    past.update(closed_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("advisors", "0006_clean_single_line_fields"), ("technologies", "0012_clean_single_line_fields")]

    operations = [migrations.RunPython(close_past_rounds, migrations.RunPython.noop)]
