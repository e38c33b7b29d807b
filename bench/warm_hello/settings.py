"""Bare Django settings: no apps, no middleware, no database (the floor findash is held to)."""

SECRET_KEY = "bench-warm-hello-" + "x" * 48  # nosec B105 - never deployed
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.warm_hello.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict[str, dict[str, str]] = {}
USE_TZ = True
