from __future__ import annotations

import pytest

from config.settings.email import email_config


def test_no_url_prints_mail_to_the_console() -> None:
    assert email_config("")["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_smtp_url_gives_host_port_and_credentials() -> None:
    config = email_config("smtp+tls://alerts%40example.com:s3cr%2Ft@mail.example.com:587")
    assert config["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("mail.example.com", 587)
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == (
        "alerts@example.com",
        "s3cr/t",
    )
    assert config["EMAIL_USE_TLS"] and not config["EMAIL_USE_SSL"]
    assert config["EMAIL_TIMEOUT"] == 5


def test_smtps_defaults_to_port_465_with_ssl() -> None:
    config = email_config("smtps://mail.example.com")
    assert (config["EMAIL_PORT"], config["EMAIL_USE_SSL"]) == (465, True)


def test_mailhog_style_url_without_credentials() -> None:
    config = email_config("smtp://127.0.0.1:1025")
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"], config["EMAIL_HOST_USER"]) == (
        "127.0.0.1",
        1025,
        "",
    )


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="not supported"):
        email_config("carrier-pigeon://coop")


def test_every_beat_entry_names_a_registered_task() -> None:
    from config.celery import app

    app.loader.import_default_modules()  # what a worker or beat does at start
    schedule = app.conf.beat_schedule
    assert {
        "outbox-resend",
        "budget-alerts-daily",
        "rollups-verify-recent",
        "dashboards-warm",
        "monthly-summary",
    } <= set(schedule)
    for entry in schedule.values():
        assert entry["task"] in app.tasks
    assert schedule["outbox-resend"]["schedule"] == 30.0
