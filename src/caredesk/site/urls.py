from django.contrib import admin
from django.urls import include, path

from caredesk.site.api import api

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("status/", include("caredesk.status.urls")),
    path("", include("caredesk.web.urls")),
]
