"""Every Prometheus metric the service exports, declared once.

Under gunicorn with several workers ``PROMETHEUS_MULTIPROC_DIR`` is set
(deploy/gunicorn.conf.py) and each worker writes its samples to files there;
``/metrics`` merges them. Tenant ids never become labels: they would make a
series per tenant. ``dashboard_active_tenants`` is computed at scrape time
from the shared cache (see ``findash.observability.activity``) so it is the
same number whichever worker answers the scrape (``findash.observability.exposition``).
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

# 5 ms … 2 s, dense around the 100/200 ms targets so p99 is resolvable there.
LATENCY_BUCKETS = (
    0.005,
    0.01,
    0.025,
    0.05,
    0.075,
    0.1,
    0.15,
    0.2,
    0.3,
    0.5,
    0.75,
    1.0,
    2.0,
)

DASHBOARD_REQUESTS = Counter(
    "dashboard_requests_total",
    "Dashboard API requests",
    ["endpoint", "tenant_type", "status"],
)
DASHBOARD_ERRORS = Counter(
    "dashboard_errors_total",
    "Dashboard API requests answered with a 5xx status",
    ["endpoint", "tenant_type"],
)
DASHBOARD_DURATION = Histogram(
    "dashboard_request_duration_seconds",
    "Dashboard request duration in seconds",
    ["endpoint", "tenant_type"],
    buckets=LATENCY_BUCKETS,
)
DASHBOARD_CACHE_HITS = Counter(
    "dashboard_cache_hits_total",
    "Dashboard responses served from the cache",
    ["cache_key_type"],
)
DASHBOARD_CACHE_MISSES = Counter(
    "dashboard_cache_misses_total",
    "Dashboard responses computed from the database",
    ["cache_key_type"],
)
HTTP_REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests by route pattern",
    ["method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "http_request_duration_seconds",
    "HTTP request duration in seconds by route pattern",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
)
CACHE_ERRORS = Counter(
    "cache_errors_total",
    "Cache operations that failed or timed out (the request was served without the cache)",
    ["operation"],
)
CACHE_BYPASSED = Counter(
    "cache_bypassed_total",
    "Cache reads skipped because the cache failed moments ago (answered without the cache)",
    ["operation"],
)
DATABASE_ERRORS = Counter(
    "database_errors_total",
    "Database errors that turned into 503 answers or failed health checks",
    ["source"],
)
AUTH_RATE_LIMITED = Counter(
    "auth_rate_limited_total",
    "Login and registration attempts refused by the rate limiter (answered 429)",
    ["endpoint"],
)
HEALTH_CHECK_FAILURES = Counter(
    "health_check_failures_total",
    "Dependency checks of /health/dashboard that failed",
    ["service"],
)
