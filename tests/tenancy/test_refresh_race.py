"""Two clients racing to refresh the same token: the row lock lets exactly one win."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from findash.common.errors import Unauthorized
from findash.tenancy.models import RefreshToken
from findash.tenancy.tokens import token_pair_issue, token_pair_refresh
from tests import factories
from tests.services import on_postgres


@pytest.mark.django_db(transaction=True)
def test_concurrent_refresh_of_one_token_lets_one_win_and_revokes_the_family() -> None:
    if not on_postgres():
        pytest.skip("needs real row locks across connections (PostgreSQL)")
    user = factories.make_user("racer")
    token = token_pair_issue(user=user).refresh_token
    barrier = threading.Barrier(2)
    outcomes: list[Any] = []

    def attempt() -> None:
        barrier.wait()
        try:
            outcomes.append(token_pair_refresh(refresh_token=token))
        except Unauthorized as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == 2
    assert sum(isinstance(o, Unauthorized) for o in outcomes) == 1
    # The loser's attempt is a reuse: the winner's fresh token is revoked with the family.
    assert not RefreshToken.objects.filter(user=user, revoked_at=None).exists()
