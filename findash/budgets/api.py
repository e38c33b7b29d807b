"""/budgets: monthly spending limits on the acting tenant's expense categories."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from findash.budgets import selectors, services
from findash.budgets.models import Budget
from findash.budgets.schemas import BudgetIn, BudgetOut, BudgetPatch
from findash.common.pagination import Pagination
from findash.common.schemas import Id
from findash.tenancy.auth import request_actor

router = Router(tags=["budgets"])


class BudgetFilters(Schema):
    category_id: Id | None = None


@router.get("/budgets", response=list[BudgetOut])
@paginate(Pagination)
def budget_list(request: HttpRequest, filters: Query[BudgetFilters]) -> QuerySet[Budget]:
    return selectors.budget_list(category_id=filters.category_id)


@router.post("/budgets", response={201: BudgetOut})
def budget_create(request: HttpRequest, payload: BudgetIn) -> Status[Budget]:
    budget = services.budget_create(tenant=request_actor(request).tenant, **payload.model_dump())
    return Status(201, budget)


@router.get("/budgets/{budget_id}", response=BudgetOut)
def budget_get(request: HttpRequest, budget_id: int) -> Budget:
    return selectors.budget_get(budget_id=budget_id)


@router.patch("/budgets/{budget_id}", response=BudgetOut)
def budget_update(request: HttpRequest, budget_id: int, payload: BudgetPatch) -> Budget:
    return services.budget_update(
        tenant=request_actor(request).tenant,
        budget_id=budget_id,
        changes=payload.model_dump(exclude_unset=True),
    )


@router.delete("/budgets/{budget_id}", response={204: None})
def budget_delete(request: HttpRequest, budget_id: int) -> Status[None]:
    services.budget_delete(tenant=request_actor(request).tenant, budget_id=budget_id)
    return Status(204, None)
