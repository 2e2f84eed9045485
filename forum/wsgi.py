import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

application = get_wsgi_application()

# A server started without SECRET_KEY stops here ("The SECRET_KEY setting
# must not be empty") instead of failing at its first request.
settings.SECRET_KEY  # noqa: B018

# The server imports this module before it serves: gunicorn's master once,
# with preload_app (gunicorn.conf.py), so every worker it forks starts with
# the URLconf, catalogues and templates loaded instead of loading them on its
# first requests. It opens no database or cache connection (forum/warm_up.py).
from forum.warm_up import warm_up  # noqa: E402

warm_up()
