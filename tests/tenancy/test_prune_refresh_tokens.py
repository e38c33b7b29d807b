from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from findash.tenancy.models import RefreshToken
from tests.conftest import ApiClient, World
from tests.tenancy.conftest import login


def test_prune_deletes_only_expired_refresh_tokens(world: World, anon: ApiClient) -> None:
    live = login(anon, "owner").json()["refresh_token"]
    login(anon, "outsider")
    RefreshToken.objects.filter(user=world.outsider).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    out = StringIO()

    call_command("prune_refresh_tokens", stdout=out)

    assert "Deleted 1 expired" in out.getvalue()
    assert not RefreshToken.objects.filter(user=world.outsider).exists()
    assert anon.post("/auth/refresh", {"refresh_token": live}).status_code == 200
