"""What the demo tenants hold: accounts, categories, money flows and budgets, as plain data.

Amounts are decimal strings (never floats); the generator in ``findash.demo.seed``
turns these rules into 18 months of transactions with a seeded random source.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AccountSpec:
    key: str
    name: str
    type: str
    currency: str
    opening_balance: str


@dataclass(frozen=True)
class FlowSpec:
    """Income (positive) or spending (negative) on ``account`` in ``category``.

    ``per_month`` is a (min, max) count of rows each month; ``day`` fixes the day
    of month (otherwise random); ``every`` months skips the others.
    """

    account: str
    category: str | None  # "Parent/Child" path; None leaves the row uncategorized
    low: str
    high: str
    payees: tuple[str, ...]
    per_month: tuple[int, int] = (1, 1)
    day: int | None = None
    every: int = 1
    inflow: bool = False
    refund_rate: str = "0"  # chance that a purchase is refunded a few days later


@dataclass(frozen=True)
class TransferSpec:
    source: str
    target: str
    day: int
    amount: str | None  # None: pay off the target's balance as it stood at month start
    every: int = 1


@dataclass(frozen=True)
class BudgetSpec:
    category: str
    amount: str
    rollover: str = "none"
    alert_threshold: str = "80"
    currency: str | None = None


@dataclass(frozen=True)
class Profile:
    accounts: tuple[AccountSpec, ...]
    income_categories: tuple[str, ...]
    expense_categories: dict[str, tuple[str, ...]]
    flows: tuple[FlowSpec, ...]
    transfers: tuple[TransferSpec, ...]
    budgets: tuple[BudgetSpec, ...]
    rates: dict[str, tuple[str, str]] = field(default_factory=dict)  # currency → USD range


PERSON = Profile(
    accounts=(
        AccountSpec("checking", "Everyday Checking", "checking", "USD", "2450.00"),
        AccountSpec("savings", "High-Yield Savings", "savings", "USD", "12000.00"),
        AccountSpec("card", "Rewards Visa", "credit_card", "USD", "-845.30"),
        AccountSpec("loan", "Car Loan", "loan", "USD", "-18500.00"),
        AccountSpec("cash", "Wallet", "cash", "USD", "120.00"),
        AccountSpec("brokerage", "Index Fund Brokerage", "investment", "USD", "24000.00"),
        AccountSpec("eur", "Euro Account", "checking", "EUR", "3000.00"),
    ),
    income_categories=("Salary", "Interest", "Dividends", "Freelance", "Gifts"),
    expense_categories={
        "Housing": ("Rent", "Home Insurance", "Maintenance"),
        "Food": ("Groceries", "Restaurants", "Coffee"),
        "Transport": ("Fuel", "Public Transit", "Rideshare"),
        "Utilities": ("Electricity", "Internet", "Mobile Phone"),
        "Shopping": ("Clothing", "Electronics"),
        "Health": ("Pharmacy", "Gym"),
        "Entertainment": ("Streaming", "Events"),
        "Travel": (),
    },
    flows=(
        FlowSpec("checking", "Salary", "2750.00", "2750.00", ("Acme Corp",), day=1, inflow=True),
        FlowSpec("checking", "Salary", "2750.00", "2750.00", ("Acme Corp",), day=15, inflow=True),
        FlowSpec(
            "savings", "Interest", "28.00", "46.00", ("High-Yield Savings",), day=28, inflow=True
        ),
        FlowSpec(
            "brokerage",
            "Dividends",
            "120.00",
            "260.00",
            ("Index Fund",),
            day=20,
            every=3,
            inflow=True,
        ),
        FlowSpec(
            "eur", "Freelance", "400.00", "900.00", ("Studio Berlin GmbH",), every=2, inflow=True
        ),
        FlowSpec("eur", "Interest", "1.50", "4.00", ("Euro Account",), day=28, inflow=True),
        FlowSpec("checking", None, "20.00", "80.00", ("Venmo from Sam",), inflow=True),
        FlowSpec(
            "checking", "Housing/Rent", "1850.00", "1850.00", ("Maple Street Apartments",), day=1
        ),
        FlowSpec("checking", "Housing/Home Insurance", "24.00", "24.00", ("Lemonade",), day=3),
        FlowSpec("card", "Housing/Maintenance", "15.00", "180.00", ("Home Depot",), every=2),
        FlowSpec(
            "checking",
            "Food/Groceries",
            "18.00",
            "145.00",
            ("Whole Foods", "Trader Joe's", "Safeway", "Costco"),
            per_month=(6, 10),
        ),
        FlowSpec(
            "card",
            "Food/Restaurants",
            "14.00",
            "95.00",
            ("Chipotle", "Olive Garden", "Sushi Zen", "Thai Basil"),
            per_month=(3, 7),
            refund_rate="0.05",
        ),
        FlowSpec(
            "cash", "Food/Coffee", "3.50", "7.80", ("Blue Bottle", "Corner Cafe"), per_month=(5, 10)
        ),
        FlowSpec(
            "card", "Transport/Fuel", "35.00", "70.00", ("Shell", "Chevron"), per_month=(2, 4)
        ),
        FlowSpec(
            "card", "Transport/Public Transit", "2.75", "2.75", ("City Metro",), per_month=(4, 10)
        ),
        FlowSpec(
            "card", "Transport/Rideshare", "9.00", "38.00", ("Uber", "Lyft"), per_month=(0, 3)
        ),
        FlowSpec("checking", "Utilities/Electricity", "65.00", "140.00", ("City Power",), day=12),
        FlowSpec("checking", "Utilities/Internet", "59.99", "59.99", ("Fiber Net",), day=8),
        FlowSpec("checking", "Utilities/Mobile Phone", "45.00", "45.00", ("Mint Mobile",), day=9),
        FlowSpec(
            "card",
            "Shopping/Clothing",
            "20.00",
            "160.00",
            ("Uniqlo", "Zara"),
            per_month=(0, 3),
            refund_rate="0.15",
        ),
        FlowSpec(
            "card",
            "Shopping/Electronics",
            "25.00",
            "450.00",
            ("Best Buy", "Apple Store"),
            per_month=(0, 1),
            refund_rate="0.10",
        ),
        FlowSpec(
            "card", "Health/Pharmacy", "8.00", "60.00", ("CVS", "Walgreens"), per_month=(0, 2)
        ),
        FlowSpec("card", "Health/Gym", "39.00", "39.00", ("Fitness Hub",), day=5),
        FlowSpec("card", "Entertainment/Streaming", "15.49", "15.49", ("Netflix",), day=17),
        FlowSpec(
            "card", "Entertainment/Events", "25.00", "140.00", ("Ticketmaster",), per_month=(0, 2)
        ),
        FlowSpec(
            "eur", "Travel", "12.00", "180.00", ("Deutsche Bahn", "Hotel Adlon"), per_month=(1, 4)
        ),
        FlowSpec("checking", None, "2.50", "3.50", ("ATM fee",), per_month=(0, 1)),
    ),
    transfers=(
        TransferSpec("checking", "savings", 2, "600.00"),
        TransferSpec("checking", "brokerage", 3, "500.00"),
        TransferSpec("checking", "loan", 10, "385.00"),
        TransferSpec("checking", "cash", 6, "60.00"),
        TransferSpec("checking", "card", 22, None),
    ),
    budgets=(
        BudgetSpec("Housing/Rent", "1850.00", alert_threshold="100"),
        BudgetSpec("Food", "1050.00"),
        BudgetSpec("Food/Groceries", "650.00", rollover="surplus"),
        BudgetSpec("Food/Restaurants", "290.00", alert_threshold="90"),
        BudgetSpec("Transport", "210.00", rollover="full"),
        BudgetSpec("Utilities", "260.00"),
        BudgetSpec("Shopping", "190.00", rollover="surplus"),
        BudgetSpec("Entertainment", "135.00", rollover="full", alert_threshold="75"),
        BudgetSpec("Travel", "250.00", currency="EUR"),
    ),
    rates={"EUR": ("1.0400", "1.1200")},
)


ORGANIZATION = Profile(
    accounts=(
        AccountSpec("checking", "Business Checking", "checking", "USD", "48000.00"),
        AccountSpec("savings", "Reserve Savings", "savings", "USD", "60000.00"),
        AccountSpec("card", "Corporate Card", "credit_card", "USD", "-3200.00"),
        AccountSpec("loan", "Equipment Loan", "loan", "USD", "-42000.00"),
        AccountSpec("cash", "Petty Cash", "cash", "USD", "500.00"),
        AccountSpec("treasury", "Treasury Fund", "investment", "USD", "100000.00"),
        AccountSpec("eur", "EUR Operations", "checking", "EUR", "15000.00"),
        AccountSpec("gbp", "UK Office", "checking", "GBP", "8000.00"),
    ),
    income_categories=("Consulting Revenue", "Product Sales", "Interest"),
    expense_categories={
        "Payroll": ("Salaries", "Contractors"),
        "Office": ("Rent", "Supplies", "Utilities"),
        "Software": (),
        "Travel": ("Flights", "Hotels", "Meals"),
        "Marketing": (),
        "Professional Fees": (),
    },
    flows=(
        FlowSpec(
            "checking",
            "Consulting Revenue",
            "7000.00",
            "14000.00",
            ("Globex", "Initech", "Umbrella Co", "Stark Industries"),
            per_month=(4, 6),
            inflow=True,
        ),
        FlowSpec(
            "checking",
            "Product Sales",
            "49.00",
            "499.00",
            ("Stripe payout",),
            per_month=(15, 25),
            inflow=True,
        ),
        FlowSpec(
            "savings", "Interest", "150.00", "210.00", ("Reserve Savings",), day=28, inflow=True
        ),
        FlowSpec(
            "treasury", "Interest", "280.00", "420.00", ("Treasury Fund",), day=27, inflow=True
        ),
        FlowSpec("eur", "Consulting Revenue", "3000.00", "6000.00", ("Siemens AG",), inflow=True),
        FlowSpec("gbp", "Consulting Revenue", "2000.00", "4000.00", ("Tesco plc",), inflow=True),
        FlowSpec(
            "checking", None, "100.00", "900.00", ("Unidentified deposit",), every=3, inflow=True
        ),
        FlowSpec(
            "checking", "Payroll/Salaries", "14000.00", "14500.00", ("Gusto payroll",), day=15
        ),
        FlowSpec(
            "checking", "Payroll/Salaries", "14000.00", "14500.00", ("Gusto payroll",), day=28
        ),
        FlowSpec(
            "checking",
            "Payroll/Contractors",
            "1500.00",
            "4000.00",
            ("Upwork", "Toptal"),
            per_month=(2, 4),
        ),
        FlowSpec(
            "eur", "Payroll/Contractors", "1200.00", "3000.00", ("Freelancer EU",), per_month=(1, 2)
        ),
        FlowSpec("checking", "Office/Rent", "4200.00", "4200.00", ("Downtown Offices LLC",), day=1),
        FlowSpec("gbp", "Office/Rent", "1800.00", "1800.00", ("London Cowork",), day=1),
        FlowSpec("checking", "Office/Utilities", "300.00", "600.00", ("City Power",), day=12),
        FlowSpec(
            "card",
            "Office/Supplies",
            "20.00",
            "300.00",
            ("Staples", "Amazon"),
            per_month=(3, 6),
            refund_rate="0.08",
        ),
        FlowSpec("cash", "Office/Supplies", "5.00", "40.00", ("Corner Store",), per_month=(1, 3)),
        FlowSpec(
            "card",
            "Software",
            "10.00",
            "400.00",
            ("GitHub", "Slack", "Atlassian", "AWS", "Figma"),
            per_month=(6, 10),
        ),
        FlowSpec(
            "card", "Travel/Flights", "180.00", "900.00", ("United", "Delta"), per_month=(0, 2)
        ),
        FlowSpec(
            "card", "Travel/Hotels", "140.00", "600.00", ("Marriott", "Hilton"), per_month=(0, 2)
        ),
        FlowSpec("card", "Travel/Meals", "15.00", "120.00", ("Airport Grill",), per_month=(1, 4)),
        FlowSpec("gbp", "Travel/Meals", "12.00", "90.00", ("Pret A Manger",), per_month=(1, 3)),
        FlowSpec(
            "card",
            "Marketing",
            "200.00",
            "2500.00",
            ("Google Ads", "LinkedIn Ads"),
            per_month=(2, 4),
            refund_rate="0.05",
        ),
        FlowSpec("checking", "Professional Fees", "1500.00", "3000.00", ("KPMG",), every=3),
        FlowSpec("checking", None, "15.00", "35.00", ("Wire fee",), per_month=(0, 2)),
    ),
    transfers=(
        TransferSpec("checking", "savings", 2, "5000.00"),
        TransferSpec("checking", "treasury", 3, "3000.00"),
        TransferSpec("checking", "loan", 10, "1150.00"),
        TransferSpec("checking", "cash", 6, "100.00", every=2),
        TransferSpec("checking", "card", 21, None),
    ),
    budgets=(
        BudgetSpec("Payroll", "40000.00", alert_threshold="95"),
        BudgetSpec("Office", "8000.00"),
        BudgetSpec("Software", "1600.00", rollover="surplus"),
        BudgetSpec("Travel", "1500.00", rollover="full"),
        BudgetSpec("Marketing", "3500.00", rollover="surplus", alert_threshold="85"),
        BudgetSpec("Payroll/Contractors", "10500.00", currency="EUR"),
    ),
    rates={"EUR": ("1.0400", "1.1200"), "GBP": ("1.2300", "1.3200")},
)
