from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from findash.common.schemas import DecimalOut


class NetWorthPoint(BaseModel):
    date: date
    total_assets: DecimalOut
    total_liabilities: DecimalOut
    net_worth: DecimalOut


class TrendWarning(BaseModel):
    code: str
    currency: str
    target_currency: str
    message: str


class NetWorthSeries(BaseModel):
    currency: str
    points: list[NetWorthPoint]
    warnings: list[TrendWarning]
