from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.upcoming, name="upcoming"),
    path("past/", views.past, name="past"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("<slug:slug>.ics", views.event_ics, name="ics"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/cancel/", views.cancel, name="cancel"),
    path("<slug:slug>/invitation/<str:token>/", views.invitation, name="invitation"),
]
