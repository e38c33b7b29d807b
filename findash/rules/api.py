"""/rules: per-tenant categorization rules, and applying them on demand."""
# No "from __future__ import annotations": ninja reads these signatures at runtime.

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from findash.common.pagination import Pagination
from findash.rules import selectors, services
from findash.rules.models import Rule
from findash.rules.schemas import RuleApplyIn, RuleApplyOut, RuleIn, RuleOut, RulePatch
from findash.tenancy.auth import request_actor

router = Router(tags=["rules"])


@router.get("/rules", response=list[RuleOut])
@paginate(Pagination)
def rule_list(request: HttpRequest) -> QuerySet[Rule]:
    return selectors.rule_list()


@router.post("/rules", response={201: RuleOut})
def rule_create(request: HttpRequest, payload: RuleIn) -> Status[Rule]:
    rule = services.rule_create(tenant=request_actor(request).tenant, **payload.model_dump())
    return Status(201, rule)


@router.post("/rules/apply", response=RuleApplyOut)
def rules_apply(request: HttpRequest, payload: RuleApplyIn) -> services.RuleApplyResult:
    return services.rules_apply(tenant=request_actor(request).tenant, **payload.model_dump())


@router.get("/rules/{rule_id}", response=RuleOut)
def rule_get(request: HttpRequest, rule_id: int) -> Rule:
    return selectors.rule_get(rule_id=rule_id)


@router.patch("/rules/{rule_id}", response=RuleOut)
def rule_update(request: HttpRequest, rule_id: int, payload: RulePatch) -> Rule:
    return services.rule_update(
        tenant=request_actor(request).tenant,
        rule_id=rule_id,
        changes=payload.model_dump(exclude_unset=True),
    )


@router.delete("/rules/{rule_id}", response={204: None})
def rule_delete(request: HttpRequest, rule_id: int) -> Status[None]:
    services.rule_delete(tenant=request_actor(request).tenant, rule_id=rule_id)
    return Status(204, None)
