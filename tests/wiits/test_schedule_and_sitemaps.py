"""What must hold at scale: each scheduled job fires once in its period, and the sitemap
lists every published listing however many there are (issue 24)."""

import re

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.urls import reverse

from technologies.models import Technology
from technologies.sitemaps import TechnologySitemap
from tests.factories import TechnologyFactory

LOC = re.compile(r"<loc>([^<]+)</loc>")


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_scheduled_job_fires_once_in_its_period(name):
    schedule = settings.CELERY_BEAT_SCHEDULE[name]["schedule"]
    if isinstance(schedule, crontab):
        # One minute of one hour: a crontab without a minute fires sixty times an hour.
        assert len(schedule.minute) == 1 and len(schedule.hour) == 1, (name, schedule)
    else:
        assert isinstance(schedule, int | float) and schedule > 0, (name, schedule)


@pytest.mark.django_db
def test_the_sitemap_index_covers_every_published_listing(client, monkeypatch):
    # Addresses a page (5 000 in production): each listing has one per language, six.
    monkeypatch.setattr(TechnologySitemap, "limit", 12)
    published = {TechnologyFactory(title=f"Dryer {n}").slug for n in range(5)}
    TechnologyFactory(title="Draft kiln", status="draft")
    index = client.get(reverse("sitemap"))
    assert index.status_code == 200 and index["Content-Type"].startswith("application/xml")
    pages = LOC.findall(index.content.decode())
    technology_pages = [page for page in pages if "sitemap-technologies.xml" in page]
    assert len(technology_pages) == 3  # 5 listings in 6 languages, 12 addresses (2 listings) a page
    listed = []
    for page in technology_pages:
        path = page.removeprefix(settings.SITE_URL)
        for url in LOC.findall(client.get(path).content.decode()):
            listed.append(url.rstrip("/").rsplit("/", 1)[-1])
    assert set(listed) == published
    assert len(listed) == 30 and all(listed.count(slug) == 6 for slug in published)  # once in each language
    assert Technology.objects.count() == 6
