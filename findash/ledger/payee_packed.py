"""Payee spending per block, packed: one row per (tenant, currency, block, chunk of payees).

The payee rollups (``rollup_models``) hold one row per payee and block (a day, a month, an
aligned span of months, all time). With 10,000 payees, a period is ~30-50k such rows to
group, which costs in proportion to the tenant's size. Here each block's sums are three
little-endian arrays (payee number, signed hundredths, count) sorted by payee number, in
rows of ``CHUNK_PAYEES`` payees, payees numbered once per tenant (``PayeeNumber``). A
period decodes a few dozen rows at C speed and adds ~50k integers in Python, then looks up
the names of the few payees that rank (``packed_ranked``).

Kept by :func:`packed_apply` in the same transaction as every write (each touched chunk is
read, changed and rewritten under the tenant's write lock, ``tenant_lock``, so concurrent
writers queue instead of losing updates), rebuilt by :func:`packed_build` from the payee
rollups, compared by ``rollup_rebuild`` with a recomputation from transactions.
"""

from __future__ import annotations

import heapq
import sys
import time
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress
from operator import add, sub
from typing import Any, Literal

from django.db import connection

from findash.ledger.tenant_lock import tenant_write_lock

CHUNK_PAYEES = 1024  # a chunk's three arrays stay ~16 KB: a write rewrites little
ALL_TIME_MONTHS = 9999  # ``months`` of the all-time block
ALL_TIME_START = date(1, 1, 1)
_KEYS_PER_STATEMENT = 200
_INSERT_BATCH = 500
_TABLE = "ledger_payeepackedrollup"
_NUMBERS = "ledger_payeenumber"
_COLUMNS = "tenant_id, currency, months, start, chunk, numbers, cents, counts"

Block = tuple[str, int, date]  # currency, months (0 a day, 1 a month, ...), start
BlockRange = tuple[int, date, date]  # months, first and last start
ChunkKey = tuple[str, int, date, int]  # the block and its chunk
Sums = dict[int, tuple[int, int]]  # payee number -> (signed hundredths, count)

for _code, _size in (("I", 4), ("q", 8), ("i", 4)):
    if array(_code).itemsize != _size:  # pragma: no cover - every supported platform
        raise RuntimeError(f"array {_code!r} is not {_size} bytes here")


def _decoded(code: str, data: Any) -> array[int]:
    found = array(code)
    found.frombytes(data)
    if sys.byteorder != "little":  # pragma: no cover
        found.byteswap()
    return found


def _encoded(values: array[int]) -> bytes:
    if sys.byteorder != "little":  # pragma: no cover
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


@dataclass(slots=True)
class Packed:
    """One chunk of one block: payee numbers (ascending), their sums and counts."""

    numbers: array[int]
    cents: array[int]
    counts: array[int]

    @classmethod
    def decode(cls, numbers: Any, cents: Any, counts: Any) -> Packed:
        return cls(_decoded("I", numbers), _decoded("q", cents), _decoded("i", counts))

    def encode(self) -> tuple[bytes, bytes, bytes]:
        return _encoded(self.numbers), _encoded(self.cents), _encoded(self.counts)

    def add(self, deltas: Mapping[int, tuple[int, int]]) -> None:
        """Add (hundredths, count) per payee number in place; a payee left with nothing
        leaves the arrays."""
        for number, (cents, count) in sorted(deltas.items()):
            at = bisect_left(self.numbers, number)
            if at < len(self.numbers) and self.numbers[at] == number:
                self.cents[at] += cents
                self.counts[at] += count
                if self.cents[at] == 0 and self.counts[at] == 0:
                    for values in (self.numbers, self.cents, self.counts):
                        del values[at]
            elif (cents, count) != (0, 0):
                self.numbers.insert(at, number)
                self.cents.insert(at, cents)
                self.counts.insert(at, count)

    def sums(self) -> Sums:
        return {n: (c, k) for n, c, k in zip(self.numbers, self.cents, self.counts, strict=True)}


# --- writes --------------------------------------------------------------------------


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _numbering(tenant_id: int, by: Literal["payee", "number"], keys: Sequence[Any]) -> Any:
    """The tenant's ``PayeeNumber`` rows whose ``by`` column is one of ``keys``, as a dict
    from that column to the other."""
    other = "number" if by == "payee" else "payee"
    found: dict[Any, Any] = {}
    with connection.cursor() as cursor:
        for batch in _batches(keys, 500):
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"SELECT {by}, {other} FROM {_NUMBERS} "  # noqa: S608  # nosec B608
                f"WHERE tenant_id = %s AND {by} IN ({marks})",
                [tenant_id, *batch],
            )
            found.update(cursor.fetchall())
    return found


def payee_numbers(tenant_id: int, payees: Iterable[str]) -> dict[str, int]:
    """The tenant's number of each payee, numbering those without one (call under the
    tenant's lock: numbers are given in order)."""
    wanted = sorted(set(payees))
    found: dict[str, int] = _numbering(tenant_id, "payee", wanted)
    with connection.cursor() as cursor:
        missing = [payee for payee in wanted if payee not in found]
        if not missing:
            return found
        cursor.execute(
            f"SELECT MAX(number) FROM {_NUMBERS} WHERE tenant_id = %s",  # noqa: S608  # nosec B608
            [tenant_id],
        )
        (last,) = cursor.fetchone()
        first = -1 if last is None else last
        rows = [(tenant_id, payee, first + 1 + i) for i, payee in enumerate(missing)]
        for batch in _batches(rows, _INSERT_BATCH):
            cursor.execute(
                f"INSERT INTO {_NUMBERS} (tenant_id, payee, number) VALUES "  # noqa: S608  # nosec B608
                + ", ".join(["(%s, %s, %s)"] * len(batch)),
                [value for row in batch for value in row],
            )
        found.update((payee, number) for _, payee, number in rows)
    return found


# Each alternative names the whole index key: SQLite then searches the index once per
# alternative (a "multi-index OR"); with the tenant outside the OR it scans every chunk of
# the tenant.
_AT_KEY = "(tenant_id = %s AND currency = %s AND months = %s AND start = %s AND chunk = %s)"
_IN_RANGE = "(tenant_id = %s AND currency = %s AND months = %s AND start BETWEEN %s AND %s)"


def _at_keys(tenant_id: int, keys: Sequence[ChunkKey]) -> tuple[str, list[Any]]:
    return " OR ".join([_AT_KEY] * len(keys)), [v for key in keys for v in (tenant_id, *key)]


def _stored(tenant_id: int, keys: list[ChunkKey]) -> dict[ChunkKey, Packed]:
    found: dict[ChunkKey, Packed] = {}
    with connection.cursor() as cursor:
        for batch in _batches(keys, _KEYS_PER_STATEMENT):
            where, params = _at_keys(tenant_id, batch)
            cursor.execute(
                "SELECT currency, months, start, chunk, numbers, cents, counts "  # noqa: S608  # nosec B608
                f"FROM {_TABLE} WHERE {where}",
                params,
            )
            for currency, months, start, chunk, numbers, cents, counts in cursor.fetchall():
                found[(currency, months, start, chunk)] = Packed.decode(numbers, cents, counts)
    return found


def _write(tenant_id: int, changed: dict[ChunkKey, Packed]) -> None:
    emptied = sorted(key for key, packed in changed.items() if not packed.numbers)
    kept = [(key, changed[key]) for key in sorted(changed) if changed[key].numbers]
    upsert = (
        f"INSERT INTO {_TABLE} ({_COLUMNS}) VALUES {{values}} "  # noqa: S608  # nosec B608
        "ON CONFLICT (tenant_id, currency, months, start, chunk) DO UPDATE SET "
        "numbers = excluded.numbers, cents = excluded.cents, counts = excluded.counts"
    )
    with connection.cursor() as cursor:
        for batch in _batches(kept, _INSERT_BATCH):
            rows = [(tenant_id, *key, *packed.encode()) for key, packed in batch]
            cursor.execute(
                upsert.format(values=", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(rows))),
                [value for row in rows for value in row],
            )
        for keys in _batches(emptied, _KEYS_PER_STATEMENT):
            where, params = _at_keys(tenant_id, keys)
            cursor.execute(f"DELETE FROM {_TABLE} WHERE {where}", params)  # noqa: S608  # nosec B608


def packed_apply(deltas: Mapping[tuple[int, str, int, date, str], tuple[int, int]]) -> None:
    """Add ``(tenant, currency, months, start, payee) -> (hundredths, count)`` deltas to the
    packed blocks (inside the write's transaction)."""
    by_tenant: dict[int, dict[tuple[Block, str], tuple[int, int]]] = defaultdict(dict)
    for (tenant_id, currency, months, start, payee), sums in deltas.items():
        if sums != (0, 0):
            by_tenant[tenant_id][((currency, months, start), payee)] = sums
    for tenant_id in sorted(by_tenant):
        tenant_write_lock(tenant_id)
        tenant_deltas = by_tenant[tenant_id]
        numbers = payee_numbers(tenant_id, {payee for _, payee in tenant_deltas})
        by_chunk: dict[ChunkKey, Sums] = defaultdict(dict)
        for (block, payee), sums in tenant_deltas.items():
            number = numbers[payee]
            by_chunk[(*block, number // CHUNK_PAYEES)][number] = sums
        stored = _stored(tenant_id, sorted(by_chunk))
        changed: dict[ChunkKey, Packed] = {}
        for key, chunk_deltas in by_chunk.items():
            packed = changed[key] = stored.get(key) or Packed(array("I"), array("q"), array("i"))
            packed.add(chunk_deltas)
        _write(tenant_id, changed)


# --- rebuild ------------------------------------------------------------------------

_SOURCES = (  # (table, months, start): each payee rollup as blocks
    ("ledger_payeedailyrollup", "0", "day"),
    ("ledger_payeemonthlyrollup", "1", "month"),
    ("ledger_payeespanrollup", "months", "start"),
    ("ledger_payeetotalrollup", str(ALL_TIME_MONTHS), "%s"),
)


def packed_build(tenant_id: int) -> int:
    """Replace the tenant's packed blocks with the payee rollups' rows, packed (payees keep
    their numbers); returns the rows written. Reads the tables by name: migrations call it."""
    tenant_write_lock(tenant_id)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_TABLE} WHERE tenant_id = %s", [tenant_id])  # noqa: S608  # nosec B608
        cursor.execute(
            "SELECT DISTINCT payee FROM ledger_payeetotalrollup WHERE tenant_id = %s", [tenant_id]
        )
        payee_numbers(tenant_id, [payee for (payee,) in cursor.fetchall()])
    written = 0
    for table, months, start in _SOURCES:
        params: list[Any] = [ALL_TIME_START] if start == "%s" else []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT r.currency, {months}, {start}, n.number, r.total_cents, r.count "  # noqa: S608  # nosec B608
                f"FROM {table} r JOIN {_NUMBERS} n "
                "ON n.tenant_id = r.tenant_id AND n.payee = r.payee "
                "WHERE r.tenant_id = %s AND (r.total_cents <> 0 OR r.count <> 0) "
                "ORDER BY 1, 2, 3, 4",
                [*params, tenant_id],
            )
            rows: dict[ChunkKey, Packed] = {}
            for currency, block_months, block_start, number, cents, count in cursor.fetchall():
                key = (currency, int(block_months), block_start, number // CHUNK_PAYEES)
                packed = rows.get(key)
                if packed is None:
                    packed = rows[key] = Packed(array("I"), array("q"), array("i"))
                packed.numbers.append(number)
                packed.cents.append(cents)
                packed.counts.append(count)
        _write(tenant_id, rows)
        written += len(rows)
    return written


def packed_stored(tenant_id: int) -> dict[tuple[str, int, date, str], tuple[int, int]]:
    """Every stored (currency, months, start, payee) -> (hundredths, count), for checks."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT number, payee FROM {_NUMBERS} WHERE tenant_id = %s",  # noqa: S608  # nosec B608
            [tenant_id],
        )
        names = dict(cursor.fetchall())
        cursor.execute(
            "SELECT currency, months, start, chunk, numbers, cents, counts "  # noqa: S608  # nosec B608
            f"FROM {_TABLE} WHERE tenant_id = %s",
            [tenant_id],
        )
        found = {}
        for currency, months, start, chunk, numbers, cents, counts in cursor.fetchall():
            packed = Packed.decode(numbers, cents, counts)
            for number, sums in packed.sums().items():
                in_chunk = number // CHUNK_PAYEES == chunk
                payee = names[number] if in_chunk else f"#{number} outside chunk {chunk}"
                found[(currency, months, start, payee)] = sums
    return found


# --- reads --------------------------------------------------------------------------


def _view(code: Literal["I", "q", "i"], data: Any) -> Sequence[int]:
    """The stored bytes as integers: a view without copying where the machine is
    little-endian (every supported one), else a byte-swapped copy."""
    if sys.byteorder == "little":
        return memoryview(data).cast(code)
    return _decoded(code, data)  # pragma: no cover


def _binary_rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Rows of ``sql``; on PostgreSQL read in binary (Django's client-side cursors get
    ``bytea`` as hex text, ~3x the CPU on both sides), on the write's connection and
    transaction, and logged like Django's own queries."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    import psycopg

    connection.ensure_connection()
    started = time.monotonic()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        rows = cursor.fetchall()
    if connection.queries_logged:
        connection.queries_log.append(
            {"sql": f"{sql} -- {params}", "time": f"{time.monotonic() - started:.3f}"}
        )
    return rows


def _chunks(
    tenant_id: int, currency: str, added: list[BlockRange], removed: list[BlockRange]
) -> list[tuple[int, Any, Any, Any]]:
    """(sign, numbers, cents, counts) of the chunks of the blocks in these ranges."""
    selects, params = [], []
    for sign, ranges in ((1, added), (-1, removed)):
        if ranges:
            where = " OR ".join([_IN_RANGE] * len(ranges))
            selects.append(
                f"SELECT {sign}, numbers, cents, counts FROM {_TABLE} WHERE {where}"  # noqa: S608  # nosec B608
            )
            params += [value for block in ranges for value in (tenant_id, currency, *block)]
    return _binary_rows(" UNION ALL ".join(selects), params) if selects else []


def packed_ranked(
    tenant_id: int, currency: str, added: list[BlockRange], removed: list[BlockRange], limit: int
) -> list[tuple[str, int, int]]:
    """(payee, signed hundredths, count) of the ``limit`` payees with the most negative sum
    over the ``added`` blocks less the ``removed`` ones (``(months, first start, last
    start)`` ranges), most spent first, ties by name in code-point order. Names are read
    for those that rank."""
    chunks = [
        (sign, _view("I", numbers), _view("q", cents), counts)
        for sign, numbers, cents, counts in _chunks(tenant_id, currency, added, removed)
    ]
    size = max((numbers[-1] + 1 for _, numbers, _, _ in chunks if numbers), default=0)
    spent = [0] * size
    for sign, numbers, cents, _ in chunks:
        if not numbers:
            continue
        first, last = numbers[0], numbers[-1] + 1
        if last - first == len(numbers):  # every payee of the run: added as a slice, in C
            spent[first:last] = map(add if sign > 0 else sub, spent[first:last], cents)
        elif sign > 0:
            for number, value in zip(numbers, cents, strict=True):
                spent[number] += value
        else:
            for number, value in zip(numbers, cents, strict=True):
                spent[number] -= value
    smallest = heapq.nsmallest(limit, spent)
    if not smallest or smallest[0] >= 0:  # nobody spent anything
        return []
    bound = min(smallest[-1], -1)  # the limit-th most spent, or any spending when fewer
    contenders = list(compress(range(size), map(bound.__ge__, spent)))
    counts = dict.fromkeys(contenders, 0)
    for sign, numbers, _, stored_counts in chunks:
        if not numbers:
            continue
        first, last = numbers[0], numbers[-1]
        for number in contenders:
            if first <= number <= last:
                at = bisect_left(numbers, number)
                if numbers[at] == number:
                    counts[number] += sign * _view("i", stored_counts)[at]
    names = _names(tenant_id, contenders)
    ranked = sorted(contenders, key=lambda number: (spent[number], names[number]))
    return [(names[n], spent[n], counts[n]) for n in ranked[:limit]]


def _names(tenant_id: int, numbers: list[int]) -> dict[int, str]:
    return _numbering(tenant_id, "number", numbers)
