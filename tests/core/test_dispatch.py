"""A declared operation's request takes a short way through Flask
(sandbox/dispatch.py); what an app adds around requests, and what a test
client keeps of one, still happen as Flask does them."""

from __future__ import annotations

import flask
import pytest
from flask import request, request_finished

from sandbox.app import create_app
from tests.conftest import DEFAULT_CONFIG, PROVIDERS

LOGIN = "/ibanera/api/v1/public/auth/login"
CREDENTIALS = {"username": "manager@example.com", "password": "sandbox-password", "otp": "123456"}


@pytest.fixture
def own_app():
    """An app of this test's own: hooks added here must not reach the suite's shared app."""
    app = create_app(DEFAULT_CONFIG, PROVIDERS)
    yield app
    app.extensions["sandbox"].close()


def test_hooks_an_app_adds_run_around_a_declared_operation(own_app):
    seen = []
    own_app.before_request(lambda: seen.append(("before", request.endpoint)))

    @own_app.after_request
    def stamp(response):
        response.headers["X-Hooked"] = "yes"
        return response

    answer = own_app.test_client().post(LOGIN, json=CREDENTIALS)
    assert answer.status_code == 200 and answer.get_json()["details"]["accessToken"]
    assert answer.headers["X-Hooked"] == "yes"
    assert seen == [("before", "ibanera.login_0")]


def test_a_request_signal_receiver_hears_a_declared_operation(own_app):
    heard = []

    def finished(sender, response, **_):
        heard.append((request.path, response.status_code))

    with request_finished.connected_to(finished, own_app):
        answer = own_app.test_client().post(LOGIN, json={"username": "manager@example.com"})
    assert answer.status_code == 400
    assert heard == [(LOGIN, 400)]


def test_a_test_client_keeps_the_request_of_a_declared_operation(own_app):
    with own_app.test_client() as client:
        answer = client.post(LOGIN, json=CREDENTIALS)
        assert answer.status_code == 200
        assert flask.request.path == LOGIN and flask.request.get_json()["username"] == "manager@example.com"
