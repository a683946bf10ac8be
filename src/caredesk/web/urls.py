from django.contrib.auth import views as auth_views
from django.urls import path

from caredesk.web import views

urlpatterns = [
    path("healthz", views.health, name="health"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("cases/new", views.new_case, name="new-case"),
    path("cases/<int:case_id>", views.case_detail, name="case"),
    path("organisations/<int:org_id>/rules", views.organisation_rules, name="org-rules"),
    path("queue/fragment", views.queue_fragment, name="queue-fragment"),
    path("dashboard", views.dashboard, name="dashboard"),
    path("dashboard/outbox/<int:row_id>/retry", views.retry_delivery, name="retry-delivery"),
    path("", views.home, name="home"),
]
