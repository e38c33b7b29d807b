from __future__ import annotations

from django.conf import settings
from ninja import Router, Schema

router = Router(tags=["operations"])


class VersionOut(Schema):
    release: str
    git_sha: str
    build_time: str
    environment: str


@router.get("/version", auth=None, response=VersionOut)
def version(request: object) -> dict[str, str]:
    return {
        "release": settings.RELEASE,
        "git_sha": settings.GIT_SHA,
        "build_time": settings.BUILD_TIME,
        "environment": settings.ENVIRONMENT_NAME,
    }
