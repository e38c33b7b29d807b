"""Container nginx configs: proxy to the web replicas, TLS in production."""

from __future__ import annotations

from tests.shipping.repo_files import ROOT

NGINX = ROOT / "deploy" / "nginx"


def test_both_configs_proxy_to_the_web_service_with_retries() -> None:
    snippet = (NGINX / "snippets" / "findash-proxy.conf").read_text()
    assert "proxy_next_upstream error timeout http_502 http_503;" in snippet
    for name in ("staging.conf", "production.conf"):
        text = (NGINX / name).read_text()
        assert "server web:8000" in text
        assert "include /etc/nginx/snippets/findash-proxy.conf;" in text
        assert "proxy_pass http://findash_web;" in text


def test_production_terminates_tls_and_redirects_plain_http() -> None:
    text = (NGINX / "production.conf").read_text()
    assert "listen 443 ssl" in text
    assert "ssl_certificate /etc/nginx/ssl/fullchain.pem;" in text
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in text
    assert "return 301 https://$host$request_uri;" in text
    assert "Strict-Transport-Security" in text
