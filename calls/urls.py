from django.urls import path

from . import application_views, jury_views, views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("feed/", views.LatestCallsFeed(), name="feed"),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/deadline.ics", views.call_deadline_ics, name="deadline_ics"),
    path("<slug:slug>/apply/", application_views.apply, name="apply"),
    path("<slug:slug>/applications/<int:pk>/", application_views.application_detail, name="application"),
    path("<slug:slug>/applications/<int:pk>/submit/", application_views.application_submit, name="submit"),
    path("<slug:slug>/jury/<int:pk>/", jury_views.score, name="jury_score"),
    path("<slug:slug>/ranking/", jury_views.ranking, name="ranking"),
    path("<slug:slug>/ranking.csv", jury_views.ranking_csv, name="ranking_csv"),
    path("<slug:slug>/ranking.xlsx", jury_views.ranking_xlsx, name="ranking_xlsx"),
]
