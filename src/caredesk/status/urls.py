from django.urls import path

from caredesk.status import views

urlpatterns = [
    path("", views.status_page, name="status"),
    path("index.json", views.status_json, name="status-json"),
    path("feed.atom", views.status_feed, name="status-feed"),
]
