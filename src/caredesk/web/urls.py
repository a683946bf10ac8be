from django.contrib.auth import views as auth_views
from django.urls import path

from caredesk.web import views
from caredesk.web.views import account

# Django's sign-in and password-reset views, on templates and forms of our own.
ACCOUNT = "web/account/"
account_urls = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=account.SignInForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=account.ResetForm,
            template_name=ACCOUNT + "password_reset_form.html",
            email_template_name=ACCOUNT + "password_reset_email.txt",
            subject_template_name=ACCOUNT + "password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name=ACCOUNT + "password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=ACCOUNT + "password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name=ACCOUNT + "password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("profile/", account.profile_page, name="profile"),
    path("language/", account.switch_language, name="switch-language"),
]

urlpatterns = [
    path("healthz", views.health, name="health"),
    *account_urls,
    path("cases/new", views.new_case, name="new-case"),
    path("cases/<int:case_id>", views.case_detail, name="case"),
    path("cases/<int:case_id>/opened", views.case_opened, name="case-opened"),
    path("targets", views.plan_targets, name="targets"),
    path("cases/<int:case_id>/version", views.case_version, name="case-version"),
    path("organisations/<int:org_id>/rules", views.organisation_rules, name="org-rules"),
    path("queue/fragment", views.queue_fragment, name="queue-fragment"),
    path("dashboard", views.dashboard, name="dashboard"),
    path("dashboard/outbox/<int:row_id>/retry", views.retry_delivery, name="retry-delivery"),
    path("", views.home, name="home"),
]
