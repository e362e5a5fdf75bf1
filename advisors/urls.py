from django.urls import path

from . import views

app_name = "advisors"

urlpatterns = [
    path("", views.group, name="group"),
    path("charter/", views.charter, name="charter"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/declare/", views.declare, name="declare"),
    path("reviews/<int:pk>/technology/", views.review_technology, name="review_technology"),
    path("reviews/<int:pk>/technology/images/<int:image_pk>/", views.review_image, name="review_image"),
    path("reviews/<int:pk>/technology/brochure/", views.review_brochure, name="review_brochure"),
    path("staff/technologies/<slug:slug>/assign/", views.assign, name="assign"),
    path("staff/technologies/<slug:slug>/decision/", views.decide, name="decide"),
    path("staff/assignments/<int:pk>/unassign/", views.unassign, name="unassign"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/photo/", views.photo, name="photo"),
]
