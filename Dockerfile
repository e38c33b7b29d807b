# findash image. Targets (docker build --target NAME):
#   base         Python runtime, virtualenv, non-root user; nothing of the app yet
#   builder      compilers + wheels for the runtime dependencies (never shipped)
#   builder-dev  + wheels for the dev extras (never shipped; production does not need it,
#                so a multi-arch production build never builds the dev tools)
#   development  runserver with hot reload, dev tools (the source is bind-mounted at /app)
#   testing      the test suite and quality gates (pytest, coverage, ruff, mypy, hadolint)
#   production   gunicorn as a non-root user, runtime wheels only, no compilers
# Settings always come from the environment (config/env.py); see deploy/env/*.env.example.
#
# BASE_IMAGE: any Debian bookworm image with Python 3.11 on PATH as `python`. Where no image
# registry answers, ci/make-base-image.sh makes one from Debian's packages and ci/build.sh
# passes it. Build with BuildKit (DOCKER_BUILDKIT=1, the builtin Dockerfile frontend: no
# `# syntax=` line, which would need a registry). pip reaches the package index through the
# build's network; a CA bundle passed as the BuildKit secret `ca_bundle` is trusted for it.
ARG BASE_IMAGE=python:3.11-slim-bookworm

FROM ${BASE_IMAGE} AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app
RUN python -m venv /opt/venv \
 && groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app

FROM base AS builder
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
# Empty package stubs: the dependency wheels depend on pyproject.toml and
# constraints.txt only, so a code change does not rebuild them.
RUN --mount=type=secret,id=ca_bundle \
    if [ -s /run/secrets/ca_bundle ]; then export PIP_CERT=/run/secrets/ca_bundle; fi \
 && mkdir -p findash config && touch findash/__init__.py config/__init__.py \
 && pip wheel --wheel-dir /wheels/runtime -c constraints.txt . \
 && rm -f /wheels/runtime/findash-*.whl

FROM builder AS builder-dev
RUN --mount=type=secret,id=ca_bundle \
    if [ -s /run/secrets/ca_bundle ]; then export PIP_CERT=/run/secrets/ca_bundle; fi \
 && pip wheel --wheel-dir /wheels/dev --find-links /wheels/runtime -c constraints.txt '.[dev]' \
 && rm -f /wheels/dev/findash-*.whl

FROM base AS development
ENV DJANGO_SETTINGS_MODULE=config.django.local \
    ENVIRONMENT=development \
    DEBUG=true
RUN --mount=type=bind,from=builder-dev,source=/wheels/dev,target=/tmp/wheels \
    pip install --no-index --no-deps /tmp/wheels/*.whl
COPY --chown=app:app . /app
# The ci/*.sh scripts call .venv/bin/...: point that at the image's virtualenv.
RUN ln -s /opt/venv /app/.venv \
 && mkdir -p /app/var \
 && chown app:app /app /app/var
USER 10001:10001
EXPOSE 8000
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]

FROM base AS testing
ENV DJANGO_SETTINGS_MODULE=config.django.test \
    ENVIRONMENT=testing
RUN --mount=type=bind,from=builder-dev,source=/wheels/dev,target=/tmp/wheels \
    pip install --no-index --no-deps /tmp/wheels/*.whl
COPY --chown=app:app . /app
# ci/test.sh and ci/lint.sh call .venv/bin/...; caches and reports are written in /app.
RUN ln -s /opt/venv /app/.venv \
 && mkdir -p /app/var /app/reports \
 && chown app:app /app /app/var /app/reports
USER 10001:10001
EXPOSE 8000
CMD ["python", "-m", "pytest", "-p", "xdist", "-n", "2"]

FROM base AS production
ENV DJANGO_SETTINGS_MODULE=config.django.production \
    ENVIRONMENT=production \
    PROMETHEUS_MULTIPROC_DIR=/app/var/prometheus
RUN --mount=type=bind,from=builder,source=/wheels/runtime,target=/tmp/wheels \
    pip install --no-index --no-deps /tmp/wheels/*.whl
COPY --chown=root:root manage.py ./
COPY --chown=root:root config ./config
COPY --chown=root:root findash ./findash
COPY --chown=root:root deploy/gunicorn.conf.py ./deploy/gunicorn.conf.py
# Static files are collected at build time with throwaway settings (production
# settings refuse to load without a real SECRET_KEY); the code stays root-owned
# and read-only for the app user, only var/ is writable.
RUN DJANGO_SETTINGS_MODULE=config.django.local SECRET_KEY=collectstatic-only \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/var/prometheus \
 && chown -R app:app /app/var
# The release identity comes last: it changes on every build, so every layer above stays cached.
ARG RELEASE=dev
ARG GIT_SHA=unknown
ARG BUILD_TIME=""
LABEL org.opencontainers.image.title="findash" \
      org.opencontainers.image.revision="${GIT_SHA}" \
      org.opencontainers.image.version="${RELEASE}" \
      org.opencontainers.image.created="${BUILD_TIME}"
ENV RELEASE=${RELEASE} \
    GIT_SHA=${GIT_SHA} \
    BUILD_TIME=${BUILD_TIME}
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status == 200 else 1)"]
# No control socket: the orchestrator, not gunicornc, manages this process (and $HOME is read-only).
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--no-control-socket", "config.wsgi:application"]
