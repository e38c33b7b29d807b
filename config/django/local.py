"""Embedded default: SQLite, local-memory cache, in-process tasks, DEBUG on."""

from __future__ import annotations

from config.django.base import *  # noqa: F403
from config.env import env_bool

DEBUG = env_bool("DEBUG", True)
