from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from advisors.sitemaps import AdviserSitemap
from common.site import sitemap_index
from technologies.sitemaps import TechnologySitemap

from . import views

SITEMAPS = {"technologies": TechnologySitemap, "advisers": AdviserSitemap}

# The admin sign-in goes through allauth (rate limits, MFA), not around it.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "WiiTs administration"
admin.site.site_title = "WiiTs"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
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
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/my-data.json", views.data_export, name="data_export"),
    path("technologies/", include("technologies.urls")),
    path("needs/", include("needs.urls")),
    path("advisory-group/", include("advisors.urls")),
    path("events/", include("events.urls")),
    path("reports/", include("reports.urls")),
    path("accounts/profile/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "wiits.views.server_error"
