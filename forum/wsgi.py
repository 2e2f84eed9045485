import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

application = get_wsgi_application()

# A server started without SECRET_KEY stops here ("The SECRET_KEY setting
# must not be empty") instead of failing at its first request.
settings.SECRET_KEY  # noqa: B018
