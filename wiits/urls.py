from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView

from accounts import legal_views
from advisors.sitemaps import AdviserSitemap
from calls.sitemaps import CallSitemap
from common.site import sitemap_index
from events.sitemaps import EventSitemap
from needs.sitemaps import NeedSitemap
from technologies.sitemaps import TechnologySitemap

from . import metrics, views
from .sitemaps import PageSitemap

SITEMAPS = {
    "pages": PageSitemap,
    "technologies": TechnologySitemap,
    "needs": NeedSitemap,
    "events": EventSitemap,
    "advisers": AdviserSitemap,
    "calls": CallSitemap,
}

# robots.txt: the same for every visitor and language, so caches may keep it for a day.
robots_txt = cache_control(public=True, max_age=24 * 60 * 60)(
    TemplateView.as_view(
        template_name="robots.txt",
        content_type="text/plain; charset=utf-8",
        # English has no prefix; each other language's pages sit under theirs.
        extra_context={
            "language_prefixes": [""]
            + [f"/{code}" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
        },
    )
)

# The admin sign-in goes through allauth (rate limits, MFA), not around it.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "WiiTs administration"
admin.site.site_title = "WiiTs"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # For Prometheus: the monitoring addresses or a token only; 404 to anyone else.
    path("metrics", metrics.metrics, name="metrics"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    # An index of every page of every section (common.site), each section paged by its limit.
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "section_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots"),
    # The public API: one address for every language (`?lang=` or Accept-Language).
    path("api/v1/", include("opendata.api_urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/my-data.json", views.data_export, name="data_export"),
    path("privacy/", legal_views.privacy, name="privacy"),
    path("terms/", legal_views.terms, name="terms"),
    path("contact/", legal_views.contact, name="contact"),
    path("technologies/", include("technologies.urls")),
    path("needs/", include("needs.urls")),
    path("advisory-group/", include("advisors.urls")),
    path("events/", include("events.urls")),
    path("calls/", include("calls.urls")),
    path("reports/", include("reports.urls")),
    path("embed/", include("opendata.embed_urls")),
    path("accounts/profile/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "wiits.views.server_error"
