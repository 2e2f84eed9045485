from django.urls import path

from search import feeds, views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/feed/", feeds.search_feed, name="feed"),
    path("participants/<int:user_id>/", views.participant, name="participant"),
    path("contributions/mine/", views.my_contributions, name="my_contributions"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<str:key>/", views.organisation_detail, name="organisation"),
    path("organisation-merges/", views.organisation_merges, name="organisation_merges"),
]
