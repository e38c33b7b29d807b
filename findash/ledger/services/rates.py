"""Exchange-rate writes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from findash.common.errors import Conflict, InvalidInput
from findash.common.money import RATE_DECIMAL_PLACES, RATE_MAX_DIGITS
from findash.common.patches import patch_changes
from findash.ledger.converted import converted_rates_changed
from findash.ledger.models import ExchangeRate
from findash.ledger.services.inputs import Loc
from findash.ledger.tenant_lock import tenant_write
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import get_owned_or_404, scope_require
from findash.tenancy.versioning import tenant_data_changed

# Exchange rates


def _validate_rate(rate: Decimal, loc: Loc) -> Decimal:
    if rate <= 0:
        raise InvalidInput(loc, "rate must be positive", "decimal")
    if rate >= Decimal(10) ** (RATE_MAX_DIGITS - RATE_DECIMAL_PLACES):
        raise InvalidInput(loc, "rate is too large", "decimal")
    exact = rate.quantize(Decimal(1).scaleb(-RATE_DECIMAL_PLACES))
    if exact != rate:
        raise InvalidInput(
            loc, f"rate allows at most {RATE_DECIMAL_PLACES} decimal places", "decimal_places"
        )
    return exact


def _rate_save(rate: ExchangeRate, old: tuple[str, str, date] | None = None) -> ExchangeRate:
    if rate.base == rate.quote:
        raise InvalidInput(["quote"], "base and quote must differ")
    duplicate = ExchangeRate.objects.filter(date=rate.date, base=rate.base, quote=rate.quote)
    if rate.pk is not None:
        duplicate = duplicate.exclude(pk=rate.pk)
    conflict = Conflict(f"a {rate.base}→{rate.quote} rate for {rate.date} already exists")
    if duplicate.exists():
        raise conflict
    try:
        with transaction.atomic():
            rate.save()
    except IntegrityError as exc:  # a concurrent writer won the race
        raise conflict from exc
    converted_rates_changed(
        changes=[(rate.base, rate.quote, rate.date), *([old] if old is not None else [])]
    )
    tenant_data_changed(rate.tenant_id)
    return rate


def exchange_rate_create(
    *, tenant: Tenant, date: date, base: str, quote: str, rate: Decimal
) -> ExchangeRate:
    scope_require(tenant)
    exact = _validate_rate(rate, ["rate"])
    with tenant_write(tenant.pk):
        return _rate_save(
            ExchangeRate(tenant=tenant, date=date, base=base, quote=quote, rate=exact)
        )


def exchange_rate_update(
    *, tenant: Tenant, exchange_rate_id: int, changes: Mapping[str, Any]
) -> ExchangeRate:
    scope_require(tenant)
    values = patch_changes(changes)
    if "rate" in values:
        values["rate"] = _validate_rate(values["rate"], ["rate"])
    with tenant_write(tenant.pk):
        rate = get_owned_or_404(ExchangeRate, exchange_rate_id, label="exchange rate")
        old = (rate.base, rate.quote, rate.date)
        for field, value in values.items():
            setattr(rate, field, value)
        return _rate_save(rate, old)


def exchange_rate_delete(*, tenant: Tenant, exchange_rate_id: int) -> None:
    scope_require(tenant)
    with tenant_write(tenant.pk):
        rate = get_owned_or_404(ExchangeRate, exchange_rate_id, label="exchange rate")
        rate.delete()
        converted_rates_changed(changes=[(rate.base, rate.quote, rate.date)])
        tenant_data_changed(tenant.pk)
