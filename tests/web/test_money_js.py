"""money.js, run by Node: amounts are formatted from their digits, never through floats."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

MONEY_JS = Path(__file__).resolve().parents[2] / "findash" / "web" / "static" / "web" / "money.js"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")

CASES: list[tuple[str, list[Any], Any]] = [
    ("money", ["1234.50", "USD", "en-US"], "$1,234.50"),
    ("money", ["-814.48", "USD", "en-US"], "-$814.48"),
    ("money", ["0.00", "USD", "en-US"], "$0.00"),
    ("money", ["-0.00", "USD", "en-US"], "$0.00"),
    ("money", ["1234567.5", "EUR", "de-DE"], "1.234.567,5\u00a0€"),
    ("money", ["1500", "JPY", "en-US"], "¥1,500"),
    # Beyond a double's 15-17 significant digits: every digit survives.
    ("money", ["12345678901234567.89", "USD", "en-US"], "$12,345,678,901,234,567.89"),
    ("money", ["0.10", "USD", "en-US"], "$0.10"),
    ("money", [None, "USD", "en-US"], "—"),
    ("money", ["12.00", "NOT-A-CODE", "en-US"], "12.00 NOT-A-CODE"),
    ("decimal", ["-9876543.21", "en-US"], "-9,876,543.21"),
    ("ratioPercent", ["0.3521", "en-US"], "35.21%"),
    ("ratioPercent", ["-0.1500", "en-US"], "-15.00%"),
    ("ratioPercent", ["0.0005", "en-US"], "0.05%"),
    ("ratioPercent", ["1.0000", "en-US"], "100.00%"),
    ("ratioPercent", [None, "en-US"], "—"),
    ("percent", ["87.50", "en-US"], "87.50%"),
    ("trimZeros", ["1.0402000000"], "1.0402"),
    ("trimZeros", ["2.0000000000"], "2"),
    ("sumDecimals", [["0.10", "0.20"]], "0.30"),
    ("sumDecimals", [["9085.16", "-814.48", "-11570.00", "5188.90"]], "1889.58"),
    ("sumDecimals", [["-0.05", "0.01"]], "-0.04"),
    ("sumDecimals", [["99999999999999999.99", "0.01"]], "100000000000000000.00"),
    ("sumDecimals", [[]], "0"),
    ("sumDecimals", [["1.00", "abc"]], None),
    ("isNegative", ["-0.01"], True),
    ("isNegative", ["-0.00"], False),
    ("barWidth", ["250.00"], 100),
    ("barWidth", ["-3"], 0),
    ("barWidth", ["42.5"], 42.5),
    ("barWidth", [None], 0),
    ("date", ["2026-11-01", "en-US"], "Nov 1, 2026"),
    ("month", ["2026-02", "en-US"], "Feb 2026"),
]

RUNNER = """
const format = require(process.argv[1]);
const cases = JSON.parse(process.argv[2]);
process.stdout.write(JSON.stringify(cases.map(([name, args]) => format[name](...args))));
"""


@pytest.fixture(scope="module")
def results() -> list[Any]:
    assert NODE is not None
    payload = json.dumps([[name, args] for name, args, _ in CASES])
    done = subprocess.run(
        [NODE, "-e", RUNNER, str(MONEY_JS), payload],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return list(json.loads(done.stdout))


@pytest.mark.parametrize(("index", "case"), list(enumerate(CASES)), ids=lambda v: str(v))
def test_money_js(results: list[Any], index: int, case: tuple[str, list[Any], Any]) -> None:
    name, args, expected = case
    assert results[index] == expected, (name, args)
