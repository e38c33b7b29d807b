"""/imports: upload a bank file (CSV, OFX/QFX, CAMT.053) into an account; import history."""
# No "from __future__ import annotations": ninja reads these signatures at runtime.

from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from findash.common.pagination import Pagination
from findash.imports import selectors, services
from findash.imports.models import ImportBatch
from findash.imports.parsers.csv_file import mapping_parse
from findash.imports.schemas import ImportBatchOut, ImportOut
from findash.tenancy.auth import request_actor

router = Router(tags=["imports"])

Format = Literal["csv", "ofx", "qfx", "camt053"]


@router.post("/imports", response={200: ImportOut, 201: ImportOut})
def import_create(
    request: HttpRequest,
    file: File[UploadedFile],
    account_id: Form[int],
    format: Form[Format],  # the contract's field name
    mapping: Form[str | None] = None,
    dry_run: Form[bool] = False,
) -> Status[services.ImportResult]:
    actor = request_actor(request)
    services.import_size_check(file.size or 0)
    result = services.import_file(
        tenant=actor.tenant,
        account_id=account_id,
        fmt=format,
        data=file.read(),
        filename=file.name or "",
        mapping=mapping_parse(mapping),
        dry_run=dry_run,
        user=actor.user,
    )
    return Status(200 if dry_run else 201, result)


@router.get("/imports", response=list[ImportBatchOut])
@paginate(Pagination)
def import_batch_list(request: HttpRequest) -> QuerySet[ImportBatch]:
    return selectors.import_batch_list()


@router.get("/imports/{int:batch_id}", response=ImportBatchOut)
def import_batch_get(request: HttpRequest, batch_id: int) -> ImportBatch:
    return selectors.import_batch_get(batch_id=batch_id)
