"""The documented limits of the API, in one place (README "Security and limits").

Every input is held to them before it reaches a service, so no value the API
accepts can overflow a column or a date computation further on.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

# Dates: anything a household or a company ledger needs, far from year 9999 so that
# "next month", "next year" and period arithmetic never leave Python's date range.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)
# Real time zones span -12:00 … +14:00; PostgreSQL refuses offsets past ±15:59.
MAX_UTC_OFFSET = timedelta(hours=14)

# Amounts are stored as numeric(18, 2), but one amount is held below a trillion so that
# the rollups, which add amounts in integer hundredths (64-bit), hold the sum of 92,000
# maximum amounts in one account, category and day (and exactly on SQLite, whose sums are
# exact to 2**53 hundredths, the sum of 90).
AMOUNT_MAX_DIGITS = 18
AMOUNT_DECIMAL_PLACES = 2
AMOUNT_LIMIT = Decimal(10) ** 12  # |amount| < 1e12
AMOUNT_MAX = AMOUNT_LIMIT - Decimal("0.01")  # 999999999999.99

# A decimal string as the API reads it (amounts and rates): no exponent, no spaces.
DECIMAL_IN_PATTERN = r"^-?[0-9]{1,16}(\.[0-9]{1,10})?$"
DECIMAL_OUT_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"

# Ids are 64-bit; lists are paged.
MAX_ID = 2**63 - 1
PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = 500
MAX_OFFSET = 2**53  # far past any real list; keeps the SQL integer in range on every database
