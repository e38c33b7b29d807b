"""/exports (streamed downloads) and /imports/full (restore a full.json into an empty tenant)."""
# No "from __future__ import annotations": ninja reads these signatures at runtime.

from collections.abc import Callable, Iterator

from django.http import HttpRequest, StreamingHttpResponse
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from findash.exports.csv_export import transactions_csv
from findash.exports.json_export import full_json
from findash.exports.ledger_export import journal
from findash.exports.restore import full_restore
from findash.exports.schemas import RestoreOut, TransactionsExportFilters
from findash.exports.tables import TenantTables, tenant_tables_get
from findash.imports.services import import_size_check
from findash.ledger.models import Account
from findash.tenancy.auth import request_actor
from findash.tenancy.scoping import resolve_owned

router = Router(tags=["exports"])

_DOWNLOAD = {200: None}


def _stream(
    request: HttpRequest,
    generator: Callable[[TenantTables], Iterator[str]],
    tables: TenantTables,
    filename: str,
    content_type: str,
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (chunk.encode() for chunk in generator(tables)), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get("/exports/transactions.csv", response=_DOWNLOAD)
def export_transactions_csv(
    request: HttpRequest, filters: Query[TransactionsExportFilters]
) -> StreamingHttpResponse:
    if filters.account_id is not None:
        resolve_owned(Account, filters.account_id, ["account_id"], source="query")
    tables = tenant_tables_get(tenant=request_actor(request).tenant, **filters.dict())
    return _stream(request, transactions_csv, tables, "transactions.csv", "text/csv; charset=utf-8")


@router.get("/exports/full.json", response=_DOWNLOAD)
def export_full_json(request: HttpRequest) -> StreamingHttpResponse:
    tables = tenant_tables_get(tenant=request_actor(request).tenant)
    return _stream(request, full_json, tables, "full.json", "application/json")


@router.get("/exports/journal.ledger", response=_DOWNLOAD)
def export_journal(request: HttpRequest) -> StreamingHttpResponse:
    tables = tenant_tables_get(tenant=request_actor(request).tenant)
    return _stream(request, journal, tables, "journal.ledger", "text/plain; charset=utf-8")


@router.post("/imports/full", response={201: RestoreOut}, tags=["imports"])
def import_full(request: HttpRequest, file: File[UploadedFile]) -> Status[dict[str, int]]:
    import_size_check(file.size or 0)
    return Status(201, full_restore(tenant=request_actor(request).tenant, data=file.read()))
