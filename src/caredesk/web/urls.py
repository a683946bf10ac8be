from django.urls import path

from caredesk.web import views

urlpatterns = [
    path("healthz", views.health, name="health"),
    path("", views.home, name="home"),
]
