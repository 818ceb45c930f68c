"""Ibanera login and the bearer-token + TOTP guard on private calls."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sandbox.config import Config
from tests.ibanera.client import BASE, PASSWORD, SECRETS, IbaneraClient, errors_of
from tests.ibanera.totp import totp

LOGIN = f"{BASE}/api/v1/public/auth/login"
LIST = f"{BASE}/api/v1/customer/managees/list"


def login(client, username="manager@example.com", password=PASSWORD, otp="123456"):
    return client.post(LOGIN, json={"username": username, "password": password, "otp": otp})


def real_totp(username="manager@example.com") -> str:
    return totp(SECRETS[username])


# A moment, mid-way through a 30 s step, at which both managers' codes, the
# code two steps earlier and the sandbox code 123456 all differ (checked below).
FIXED = 1_700_000_015
assert len({totp(SECRETS["manager@example.com"], FIXED), totp(SECRETS["manager2@example.com"], FIXED),
            totp(SECRETS["manager@example.com"], FIXED - 61), "123456"}) == 4


def at_fixed_moment(sandbox) -> None:
    """Move the sandbox clock to FIXED (the tests' codes are computed for it)."""
    sandbox.clock.set(datetime.fromtimestamp(FIXED, UTC))


def code_at_fixed_moment(username="manager@example.com", offset: float = 0) -> str:
    return totp(SECRETS[username], FIXED + offset)


def test_login_returns_the_documented_envelope(client):
    response = login(client)
    assert response.status_code == 200
    body = response.get_json()
    assert list(body) == ["id", "details", "status", "errors"]
    assert body["id"] == 0 and body["status"] == "1" and body["errors"] == []
    details = body["details"]
    assert details["expiresIn"] == 3600
    assert isinstance(details["accessToken"], str) and details["accessToken"].count(".") == 2  # a JWT
    assert isinstance(details["refreshToken"], str) and details["refreshTokenExpiresIn"] > 3600


def test_login_accepts_the_managers_current_totp(client):
    assert login(client, otp=real_totp()).status_code == 200


def test_login_refuses_another_managers_totp(client, sandbox):
    at_fixed_moment(sandbox)
    assert errors_of(login(client, otp=code_at_fixed_moment("manager2@example.com"))) == [("Otp", "Invalid")]


def test_login_refuses_a_totp_two_steps_old(client, sandbox):
    at_fixed_moment(sandbox)
    assert errors_of(login(client, otp=code_at_fixed_moment(offset=-61))) == [("Otp", "Invalid")]


def test_login_accepts_a_totp_one_step_old(client, sandbox):
    previous_step = totp(SECRETS["manager@example.com"], at=sandbox.clock.now().timestamp() - 30)
    assert login(client, otp=previous_step).status_code == 200


def test_username_is_case_insensitive(client):
    assert login(client, username="Manager@Example.COM").status_code == 200


def test_login_fields_bind_case_insensitively(client):
    response = client.post(LOGIN, json={"Username": "manager@example.com", "Password": PASSWORD, "Otp": "123456"})
    assert response.status_code == 200


def test_missing_login_fields_are_all_reported_as_required(client):
    response = client.post(LOGIN, json={"password": "  "})
    assert response.status_code == 400
    assert sorted(errors_of(response)) == [("Otp", "Required"), ("Password", "Required"), ("Username", "Required")]


@pytest.mark.parametrize("username,password", [("manager@example.com", "wrong"), ("nobody@example.com", PASSWORD)],
                         ids=["wrong-password", "unknown-user"])
def test_bad_credentials(client, username, password):
    response = login(client, username=username, password=password)
    assert response.status_code == 400
    assert errors_of(response) == [("Username", "Username_Or_Password_Incorrect")]


def test_wrong_otp_at_login(client):
    response = login(client, otp="000000")
    assert response.status_code == 400
    assert errors_of(response) == [("Otp", "Invalid")]


def test_five_failures_lock_the_account_for_ten_minutes(client, sandbox):
    for _ in range(4):
        assert errors_of(login(client, password="wrong")) == [("Username", "Username_Or_Password_Incorrect")]
    assert errors_of(login(client, otp="000000")) == [("Otp", "Invalid")]  # wrong OTPs count too
    locked = login(client)  # right credentials, still locked
    assert locked.status_code == 400
    assert errors_of(locked) == [("Username", "Account_Locked")]
    sandbox.clock.advance(599)
    assert errors_of(login(client)) == [("Username", "Account_Locked")]
    sandbox.clock.advance(2)
    assert login(client).status_code == 200


def test_a_success_clears_earlier_failures(client):
    for _ in range(4):
        login(client, password="wrong")
    assert login(client).status_code == 200
    for _ in range(4):
        login(client, password="wrong")
    assert login(client).status_code == 200


def test_lockout_is_per_manager(client):
    for _ in range(5):
        login(client, password="wrong")
    assert errors_of(login(client)) == [("Username", "Account_Locked")]
    assert login(client, username="manager2@example.com").status_code == 200


SECRET = SECRETS["manager@example.com"]


class TestManagerStates:
    @pytest.fixture
    def config(self, tmp_path):
        scenario = tmp_path / "states.yaml"
        scenario.write_text(
            "ibanera:\n  managers:\n"
            f"    - {{username: pending@example.com, password: pw, totp_secret: {SECRET}, status: not_verified}}\n"
            f"    - {{username: gone@example.com, password: pw, totp_secret: {SECRET}, status: suppressed}}\n"
        )
        return Config(scenario=str(scenario))

    def test_not_verified_account(self, client):
        response = login(client, username="pending@example.com", password="pw")
        assert response.status_code == 400
        assert errors_of(response) == [("Username", "Account_Not_Verified")]

    def test_suppressed_account(self, client):
        response = login(client, username="gone@example.com", password="pw")
        assert response.status_code == 400
        assert errors_of(response) == [("Username", "Account_Suppressed")]

    def test_states_do_not_leak_to_a_wrong_password(self, client):
        response = login(client, username="gone@example.com", password="nope")
        assert errors_of(response) == [("Username", "Username_Or_Password_Incorrect")]


# -- the guard on private calls ----------------------------------------------------
def unauthorised(response) -> list[tuple[str, str]]:
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    return errors_of(response)


def test_no_token(client):
    assert unauthorised(client.get(LIST, headers={"otp": "123456"})) == [("Authorization", "Unauthorised")]


@pytest.mark.parametrize("authorization", ["Bearer", "Bearer not-a-jwt", "Basic dXNlcjpwYXNz", "Bearer a.b.c"])
def test_malformed_token(client, authorization):
    response = client.get(LIST, headers={"Authorization": authorization, "otp": "123456"})
    assert unauthorised(response) == [("Authorization", "Unauthorised")]


def test_token_expires_after_expires_in(client, ibanera, sandbox):
    assert ibanera.list_managees().status_code == 200
    sandbox.clock.advance(3601)
    assert unauthorised(ibanera.list_managees()) == [("Authorization", "Unauthorised")]


def test_refresh_token_is_not_an_access_token(client):
    refresh = login(client).get_json()["details"]["refreshToken"]
    response = client.get(LIST, headers={"Authorization": f"Bearer {refresh}", "otp": "123456"})
    assert unauthorised(response) == [("Authorization", "Unauthorised")]


def test_token_from_another_sandbox_is_refused(ibanera, config):
    from sandbox.app import create_app

    other = create_app(config).test_client()
    response = other.get(LIST, headers=ibanera.headers())
    assert unauthorised(response) == [("Authorization", "Unauthorised")]


@pytest.mark.parametrize("otp", [None, "", "000000", "12345", "１２３４５６"],
                         ids=["absent", "empty", "wrong", "short", "non-ascii"])
def test_otp_header_must_be_a_current_code(client, ibanera, otp):
    headers = {"Authorization": f"Bearer {ibanera.token}"}
    if otp is not None:
        headers["otp"] = otp
    assert unauthorised(client.get(LIST, headers=headers)) == [("Otp", "Unauthorised")]


def test_real_totp_works_on_private_calls(client, ibanera):
    response = client.get(LIST, headers={"Authorization": f"Bearer {ibanera.token}", "otp": real_totp()})
    assert response.status_code == 200


def test_the_published_secrets_work_with_pyotp(client):
    """The first thing a partner tries: pyotp (2.12 refuses secrets under 112 bits)."""
    import pyotp

    for username, secret in SECRETS.items():
        assert len(secret) == 32  # 160 bits
        assert login(client, username=username, otp=pyotp.TOTP(secret).now()).status_code == 200


class TestAnEightyBitSecretOfAPartnersOwn:
    """A partner's own scenario may carry the 80-bit secrets many issuers hand
    out: login still takes their codes (the sandbox does not apply pyotp's floor)."""

    @pytest.fixture
    def config(self, tmp_path):
        scenario = tmp_path / "short.yaml"
        scenario.write_text("ibanera:\n  managers:\n"
                            "    - {username: short@example.com, password: pw, totp_secret: JBSWY3DPEHPK3PXP}\n")
        return Config(scenario=str(scenario), providers={"ibanera": {"strict_otp": True}})

    def test_login_takes_its_current_code(self, client):
        current = totp("JBSWY3DPEHPK3PXP")
        assert login(client, username="short@example.com", password="pw", otp=current).status_code == 200
        assert login(client, username="short@example.com", password="pw", otp="123456").status_code == 400


def test_token_survives_a_reset(client, ibanera):
    """A partner's client keeps its token between tests that reset the sandbox."""
    assert client.post("/_sandbox/reset").status_code == 200
    assert ibanera.list_managees().status_code == 200


class TestStrictOtp:
    @pytest.fixture
    def config(self):
        return Config(providers={"ibanera": {"strict_otp": True}})

    def test_sandbox_code_is_refused_at_login(self, client, sandbox):
        at_fixed_moment(sandbox)
        assert errors_of(login(client)) == [("Otp", "Invalid")]

    def test_real_codes_still_work(self, client, sandbox):
        at_fixed_moment(sandbox)
        ibanera = IbaneraClient(client, "manager@example.com").login(otp=code_at_fixed_moment())
        assert client.get(LIST, headers=ibanera.headers(otp=code_at_fixed_moment())).status_code == 200
        assert unauthorised(client.get(LIST, headers=ibanera.headers(otp="123456"))) == [("Otp", "Unauthorised")]


def test_a_full_width_totp_is_not_a_totp(client, sandbox):
    at_fixed_moment(sandbox)
    full_width = code_at_fixed_moment().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert errors_of(login(client, otp=full_width)) == [("Otp", "Invalid")]
    assert login(client, otp=code_at_fixed_moment()).status_code == 200


def test_a_token_issued_after_the_clock_moved_works(client, sandbox):
    """Tokens carry the sandbox's time; the wall clock never judges them."""
    sandbox.clock.advance(3 * 24 * 3600)
    ibanera = IbaneraClient(client, "manager@example.com").login()
    assert ibanera.list_managees().status_code == 200
