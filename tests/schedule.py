"""Where and when the suite's tests run: which run in one pass only, and which start first.

ci/test.sh runs the suite twice, on SQLite and then on PostgreSQL. A test that uses no
database gives the same answer in both passes, so the modules in ``SQLITE_PASS_ONLY`` run
their database-free tests in the SQLite pass only; in the PostgreSQL pass those tests skip
with the reason "database-independent: runs in the SQLite pass". A test that uses the test
database (the ``db``/``transactional_db``/``live_server`` fixtures, ``django_db``, a
Django TestCase) runs in both passes even in those modules. The list is opt-in: a module
not listed runs whole in both passes, which is right for a test that reaches PostgreSQL
some other way (its own connection, a subprocess given DATABASE_URL): tests/deploy,
tests/bench/test_warm.py, tests/flags/test_kill_switch_two_processes.py,
tests/observability/test_health.py and the like must never be listed.

The order the tests are handed to the two xdist workers: the long ones first.

ci/test.sh runs the suite with ``-n 2 --dist loadgroup``: each worker takes the next test
(or the next ``xdist_group``) when it is nearly idle, and tests/conftest.py reorders only
then. A test that takes a minute must start early, or one worker runs it alone at the end
while the other waits: the blue-green deploy e2e test, last in pytest-django's order as it
uses no test database, once kept one worker busy for three minutes after the other had
finished. ``heavy_first`` moves the tests below to the front, longest first; every other
test keeps pytest-django's order (database tests, then transactional ones, then the rest).

The seconds are what each test took in a PostgreSQL pass (its SQLite figure when that is
larger) on the shared 2-core machine, load average ~8: a ranking, not a budget. A test
missing here only runs later; a name here that matches no test fails
tests/test_schedule.py. Refresh with ``--durations=40`` on both databases.
"""

from __future__ import annotations

import os

import pytest

SQLITE_PASS_ONLY = (
    "tests/shipping/",  # hadolint, the compose CLI, nginx -t, fresh Django processes
    "tests/dashboard/test_converted.py",  # the rounding property, in memory
    "tests/dashboard/test_periods.py",
    "tests/flags/test_bucketing.py",
    "tests/flags/test_feature_flags_script.py",  # argument handling (no database reached)
    "tests/flags/test_unleash_spec.py",
    "tests/notifications/test_email_settings.py",
    "tests/observability/test_resources.py",
    "tests/observability/test_safe_cache.py",
    "tests/observability/test_version_memo.py",  # Redis pub/sub, no database
    "tests/security/test_openapi_truth.py",
    "tests/tenancy/test_ratelimit.py",  # the cache's counters
    "tests/test_architecture.py",
    "tests/test_schedule.py",
    "tests/web/test_money_js.py",  # node
    "tests/web/test_static.py",
)
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}

HEAVY: dict[str, float] = {
    "tests/deploy/test_blue_green_e2e.py::test_blue_green_deploy_and_rollback_lose_no_request": 120,
    "tests/bench/test_matrix_smoke.py::test_smoke_matrix_fills_every_cell": 35,
    "tests/dashboard/test_converted_rollups.py::"
    "test_converted_reads_match_naive_after_rebuild_and_writes": 48,
    "tests/bench/test_warm.py::test_the_warm_benchmark_smoke_run_measures_every_target": 25,
    "tests/flags/test_kill_switch_two_processes.py::"
    "test_disabling_on_one_process_reaches_the_other_within_one_second": 21,
    "tests/test_tenant_isolation_property.py::"
    "test_no_read_or_write_crosses_between_two_tenants": 15,
    "tests/dashboard/test_against_naive.py::test_every_field_matches_the_naive_computation": 10,
    "tests/web/test_app_browser.py::test_api_docs_render_from_the_servers_own_files": 8,
    "tests/flags/test_bucketing.py::"
    "test_buckets_run_from_1_to_100_and_0_and_100_percent_are_absolute": 8,
    "tests/notifications/test_worker_process.py::"
    "test_a_worker_process_emails_the_alert_within_5_seconds": 8,
    "tests/dashboard/test_against_naive.py::test_multi_currency_matches_the_naive_computation": 7,
    "tests/dashboard/test_largest_long_periods.py::"
    "test_long_periods_rank_like_the_naive_computation": 6,
    "tests/web/test_app_browser.py::"
    "test_dashboard_charts_live_update_phone_layout_and_accessibility": 6,
    "tests/observability/test_gunicorn_metrics.py::"
    "test_metrics_add_up_across_workers_and_restart_clean": 6,
    "tests/shipping/test_check_configs.py::test_every_compose_file_and_nginx_config_is_valid": 6,
    "tests/web/test_app_browser.py::"
    "test_transactions_page_adds_filters_edits_categorizes_and_deletes": 5,
    "tests/dashboard/test_top_payees.py::"
    "test_top_payees_of_one_currency_match_the_naive_computation": 5,
    "tests/web/test_app_browser.py::"
    "test_a_viewer_sees_no_edit_controls_and_the_api_still_refuses": 5,
    "tests/ledger/test_rollups_property.py::test_rollups_stay_exact_under_random_writes": 4,
    "tests/flags/test_bucketing.py::test_stickiness_over_thousands_of_tenants_and_every_stage": 4,
    "tests/dashboard/test_rollups.py::test_concurrent_writers_on_postgresql_lose_nothing": 4,
    "tests/observability/test_ops_scripts.py::"
    "test_metrics_and_post_fix_monitoring_read_the_live_service": 4,
    "tests/demo/test_seed_demo.py::test_command_prints_the_login_and_a_curl_example": 4,
    "tests/notifications/test_in_process.py::test_a_slow_webhook_never_blocks_the_request": 3,
    "tests/web/test_app_browser.py::"
    "test_categories_and_budgets_pages_add_edit_and_show_status_and_lists_paginate": 3,
    "tests/bench/test_matrix_smoke.py::test_each_shape_builds_a_consistent_tenant_once": 3,
    "tests/web/test_browser.py::"
    "test_log_in_read_the_dashboard_renew_the_token_and_switch_to_a_flagged_off_org": 3,
}


def weight(item: pytest.Item) -> float:
    """The test's seconds from HEAVY (all parameters of a parametrized test share it;
    ``@group`` is what ``--dist loadgroup`` appends to the ids of grouped tests)."""
    return HEAVY.get(_function_id(item), 0.0)


def heavy_first(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: -weight(item))  # stable: the rest keep their order


# Property, oracle and smoke tests that run the same code paths hundreds of times: line and
# branch tracing adds ~75 % to their CPU time (SQLite, 23 → 41 s for four of them). The
# rest of the suite covers the paths of NOT_MEASURED; the tests of ALSO_NOT_MEASURED_ON_
# POSTGRES are the only ones to reach a few lines (the naive oracles: a budget month before
# its start, contiguous month runs; the matrix: an opening exchange rate), plain Python
# that the SQLite pass measures. So the combined report of ci/test.sh is the same as with
# everything measured. pytest-cov's ``no_cover`` marker pauses coverage for the call phase
# only; the assertions run exactly as before.
NOT_MEASURED = (
    "tests/test_tenant_isolation_property.py::test_no_read_or_write_crosses_between_two_tenants",
    "tests/dashboard/test_largest_long_periods.py::test_long_periods_rank_like_the_naive_computation",
    "tests/dashboard/test_top_payees.py::test_top_payees_of_one_currency_match_the_naive_computation",
    "tests/ledger/test_rollups_property.py::test_rollups_stay_exact_under_random_writes",
)
ALSO_NOT_MEASURED_ON_POSTGRES = (
    "tests/bench/test_matrix_smoke.py::test_smoke_matrix_fills_every_cell",
    "tests/dashboard/test_against_naive.py::test_every_field_matches_the_naive_computation",
    "tests/dashboard/test_against_naive.py::test_multi_currency_matches_the_naive_computation",
)


def _function_id(item: pytest.Item) -> str:
    """The test's id without its parameters or its ``@group`` (from --dist loadgroup)."""
    return item.nodeid.split("@", 1)[0].split("[", 1)[0]


def _postgres_pass() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


def not_measured(items: list[pytest.Item]) -> None:
    unmeasured = NOT_MEASURED + (ALSO_NOT_MEASURED_ON_POSTGRES if _postgres_pass() else ())
    for item in items:
        if _function_id(item) in unmeasured:
            item.add_marker(pytest.mark.no_cover)


def uses_database(item: pytest.Item) -> bool:
    """Whether pytest-django gives the test the test database (as its own ordering decides)."""
    from django.test import TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return True
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(fixtures & DATABASE_FIXTURES)


def sqlite_pass_only(items: list[pytest.Item]) -> None:
    """In the PostgreSQL pass, skip the database-free tests of SQLITE_PASS_ONLY's modules."""
    if not _postgres_pass():
        return
    skip = pytest.mark.skip(reason="database-independent: runs in the SQLite pass")
    for item in items:
        if item.nodeid.startswith(SQLITE_PASS_ONLY) and not uses_database(item):
            item.add_marker(skip)
