import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.local")
_django = get_wsgi_application()

from config.fast_lane import FastLane  # noqa: E402  (needs the settings set up)

# Warm dashboard reads whose every input is remembered in-process skip Django's handler
# (config/fast_lane.py; README, "Warm path").
application = FastLane(_django)
