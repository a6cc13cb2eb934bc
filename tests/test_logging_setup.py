"""Tokens never reach the logs: the access log (gunicorn's, as `make serve` runs it) and the
development server's show the paths of invite, invite link, reset, confirmation and feed links
with the token masked."""

import logging

import pytest
from gunicorn.config import Config

from fitr.logging_setup import GunicornLogger, MaskTokens, mask

SECRET = "s3cr3t-T0ken_value"


@pytest.mark.parametrize("path", [
    f"/invite/{SECRET}", f"/join/{SECRET}", f"/reset-password/{SECRET}", f"/confirm/{SECRET}",
    f"/feeds/{SECRET}.ics", f"/invite/{SECRET}/logout",
])  # fmt: skip
def test_token_paths_are_masked(path):
    masked = mask(f'"GET {path}?x=1 HTTP/1.1" 200')
    assert SECRET not in masked and "***" in masked


def test_other_paths_are_left_alone():
    line = '"GET /programs/12/clients/active HTTP/1.1" 200'
    assert mask(line) == line


def test_gunicorns_access_log_masks_the_request_line_the_path_and_the_referer():
    logger = GunicornLogger(Config())

    class Response:
        status = "200 OK"
        response_length = 10
        sent = 10
        headers = []

    class Request:
        method, path, query, uri, version = "GET", f"/invite/{SECRET}", "", f"/invite/{SECRET}", (1, 1)
        headers = [("REFERER", f"https://fitr.example/join/{SECRET}")]

    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/invite/{SECRET}", "PATH_INFO": f"/invite/{SECRET}",
               "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_REFERER": f"https://fitr.example/join/{SECRET}",
               "REMOTE_ADDR": "127.0.0.1"}  # fmt: skip
    from datetime import timedelta

    atoms = logger.atoms(Response(), Request(), environ, timedelta(seconds=0.01))
    assert all(SECRET not in value for value in atoms.values() if isinstance(value, str)), atoms
    assert "/invite/***" in atoms["r"] and "/join/***" in atoms["f"]


def test_the_development_servers_log_is_masked(app, caplog):
    logger = logging.getLogger("werkzeug")
    assert any(isinstance(f, MaskTokens) for f in logger.filters)
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logger.info('127.0.0.1 - - "GET /reset-password/%s HTTP/1.1" 200 -', SECRET)
    assert SECRET not in caplog.text and "/reset-password/***" in caplog.text
