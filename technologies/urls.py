from django.urls import path

from . import views

app_name = "technologies"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("feed/", views.LatestTechnologiesFeed(), name="feed"),
    path("new/", views.create, name="create"),
    path("inquiries/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("inquiries/<int:pk>/consent/", views.partner_consent, name="partner_consent"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/translate/<str:language>/", views.translate, name="translate"),
    path("<slug:slug>/submit/", views.submit, name="submit"),
    path("<slug:slug>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/renew/", views.renew, name="renew"),
    path("<slug:slug>/inquire/", views.inquire, name="inquire"),
    path("<slug:slug>/brochure/", views.brochure, name="brochure"),
    path("<slug:slug>/images/<int:pk>/", views.image, name="image"),
    path("<slug:slug>/images/<int:pk>/delete/", views.image_delete, name="image_delete"),
]
