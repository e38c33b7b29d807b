"""The served schema describes the API: every error status, money as strings, unique names."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import BaseModel

from config.api import api
from findash.common.limits import DECIMAL_IN_PATTERN
from tests.conftest import ApiClient


@pytest.fixture(scope="module")
def schema() -> Any:
    return api.get_openapi_schema()


def _operations(schema: Any) -> list[tuple[str, str, Any]]:
    return [
        (method, path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


def test_the_served_schema_is_the_documented_one(anon: ApiClient, db: None) -> None:
    served = anon.get("/openapi.json").json()
    assert "Error" in served["components"]["schemas"]
    assert "401" in served["paths"]["/accounts"]["get"]["responses"]


def test_every_operation_documents_its_error_answers_with_the_error_body(schema: Any) -> None:
    for method, path, operation in _operations(schema):
        responses = operation["responses"]
        expected = {"503"}
        if operation.get("security"):
            expected |= {"401", "403"}
        if "requestBody" in operation:
            expected |= {"400", "422"}
        if "{" in path:
            expected |= {"404", "422"}
        assert expected <= set(responses), (method, path, sorted(responses))
        for status, answer in responses.items():
            if status.startswith(("4", "5")) and not path.startswith("/health"):
                ref = answer["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (method, path, status)


def test_the_statuses_particular_to_an_operation_are_documented(schema: Any) -> None:
    paths = schema["paths"]
    assert {"401", "429"} <= set(paths["/auth/token"]["post"]["responses"])
    assert {"409", "429"} <= set(paths["/auth/register"]["post"]["responses"])
    assert "409" in paths["/exchange-rates"]["post"]["responses"]
    assert "202" in paths["/tenants/{tenant_id}/members"]["post"]["responses"]
    assert "Retry-After" in paths["/auth/token"]["post"]["responses"]["429"]["headers"]


def _money_fields(schema: Any) -> list[tuple[str, str, Any]]:
    found = []
    for name, component in schema["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            if field in {"amount", "opening_balance", "balance", "total", "rate", "income"}:
                found.append((name, field, spec))
    return found


def test_money_is_a_string_with_a_pattern_never_a_number(schema: Any) -> None:
    fields = _money_fields(schema)
    assert len(fields) > 10
    for name, field, spec in fields:
        variants = spec.get("anyOf", [spec])
        typed = [v for v in variants if v.get("type") != "null"]
        assert typed, (name, field)
        for variant in typed:
            assert variant.get("type") == "string", (name, field, spec)
            assert variant.get("pattern"), (name, field, spec)


def test_the_money_pattern_is_the_one_the_api_enforces() -> None:
    pattern = re.compile(DECIMAL_IN_PATTERN)
    for good in ("0", "-12.50", "1234.5", "9999999999999999.99"):
        assert pattern.match(good)
    for bad in ("1e5", " 1.00", "1.", ".5", "NaN", "12,50", "+1"):
        assert not pattern.match(bad)


def _models(annotation: Any, into: set[type[BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in into:
            return
        into.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, into)
    for argument in getattr(annotation, "__args__", ()) or ():
        _models(argument, into)


def test_no_two_schemas_share_a_name() -> None:
    found: set[type[BaseModel]] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    _models(model, found)
                for model in operation.models:
                    _models(model, found)
    by_name: dict[str, set[str]] = {}
    for model in found:
        by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: where for name, where in by_name.items() if len(where) > 1}
    assert not clashes


def test_health_and_the_dashboard_health_score_are_documented_apart(schema: Any) -> None:
    liveness = schema["paths"]["/health"]["get"]["responses"]["200"]["content"]
    ref = liveness["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][ref]["properties"]) == {"status"}
    assert "score" in schema["components"]["schemas"]["HealthOut"]["properties"]
