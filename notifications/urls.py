from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.preferences, name="preferences"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "consultations/<slug:slug>/follow/",
        views.follow_consultation,
        name="follow_consultation",
    ),
    path(
        "consultations/<slug:slug>/questions/<int:number>/follow/",
        views.follow_question,
        name="follow_question",
    ),
]
