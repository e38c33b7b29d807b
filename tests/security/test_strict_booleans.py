"""A number where the schema says boolean is refused, as the OpenAPI schema promises."""

from __future__ import annotations

from tests import factories
from tests.conftest import World


def test_numbers_are_not_booleans(world: World) -> None:
    client = world.client(world.owner)
    account = factories.make_account(world.owner_personal)
    for method, path, body in (
        ("put", "/notifications/preferences", {"budget_alerts": 0.0, "monthly_summary": 0.0}),
        ("patch", f"/accounts/{account.pk}", {"is_archived": 1}),
        ("post", "/rules/apply", {"dry_run": 0}),
    ):
        response = getattr(client, method)(path, body)
        assert response.status_code == 422, (path, response.content)
        assert response.json()["detail"][0]["loc"][-1] in body, path
    assert client.get(f"/accounts/{account.pk}").json()["is_archived"] is False
