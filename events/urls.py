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
    path("<slug:slug>/restore/", views.restore, name="restore"),
    path("<slug:slug>/invitation/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/answers/", views.answers, name="answers"),
    path("<slug:slug>/visa-letter/", views.visa_letter_request, name="visa_letter_request"),
    path("<slug:slug>/visa-letter/<int:pk>/", views.visa_letter, name="visa_letter"),
    path("<slug:slug>/visa-letter/<int:pk>/letter.pdf", views.visa_letter_pdf, name="visa_letter_pdf"),
    path("<slug:slug>/certificate.pdf", views.certificate, name="certificate"),
]
