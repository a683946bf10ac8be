"""WSGI entry point (gunicorn ``caredesk.site.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caredesk.site.settings")
application = get_wsgi_application()
