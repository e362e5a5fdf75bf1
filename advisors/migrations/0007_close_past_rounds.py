"""Rounds that ended before their rule lived in every transition (issue 24): a decision
taken in the admin left its assignments open. Close the assignments of listings no longer
screened or in review, and those older than the listing's latest submission (a round
before a resubmission), as the decision would have: at the time the listing left review
after the assignment was made (its history says when), so that two past rounds never
share a closing time (the review page tells rounds apart by it)."""

from django.db import migrations
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Now

REVIEWED = ["submitted", "in_review"]


def close_past_rounds(apps, schema_editor):
    Assignment = apps.get_model("advisors", "Assignment")
    TechnologyTransition = apps.get_model("technologies", "TechnologyTransition")
    left_review = (
        TechnologyTransition.objects.filter(
            technology_id=OuterRef("technology_id"), from_status__in=REVIEWED, at__gte=OuterRef("assigned_at")
        )
        .exclude(to_status__in=REVIEWED)
        .order_by("at", "pk")
        .values("at")[:1]
    )
    past = Assignment.objects.filter(closed_at__isnull=True).filter(
        ~Q(technology__status__in=REVIEWED) | Q(assigned_at__lt=F("technology__submitted_at"))
    )
    for assignment in past.annotate(ended=Coalesce(Subquery(left_review), Now())).only("pk"):
        Assignment.objects.filter(pk=assignment.pk).update(closed_at=assignment.ended)


class Migration(migrations.Migration):
    dependencies = [("advisors", "0006_clean_single_line_fields"), ("technologies", "0012_clean_single_line_fields")]

    operations = [migrations.RunPython(close_past_rounds, migrations.RunPython.noop)]
