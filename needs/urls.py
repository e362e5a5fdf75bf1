from django.urls import path

from . import views

app_name = "needs"

urlpatterns = [
    path("", views.need_list, name="list"),
    path("new/", views.need_create, name="create"),
    path("<slug:slug>/", views.need_detail, name="detail"),
    path("<slug:slug>/edit/", views.need_edit, name="edit"),
    path("<slug:slug>/translate/<str:language>/", views.need_translate, name="translate"),
    path("<slug:slug>/submit/", views.need_submit, name="submit"),
    path("<slug:slug>/fulfil/", views.need_fulfil, name="fulfil"),
    path("<slug:slug>/withdraw/", views.need_withdraw, name="withdraw"),
    path("<slug:slug>/publish/", views.need_publish, name="publish"),
    path("<slug:slug>/return/", views.need_return, name="return"),
    path("<slug:slug>/answer/", views.need_answer, name="answer"),
]
