"""A small Ibanera client for tests: what a partner's integration would do."""

from __future__ import annotations

from tests.ibanera.payloads import managee

BASE = "/ibanera"
PASSWORD = "sandbox-password"
SANDBOX_OTP = "123456"
# 160-bit secrets (32 base32 characters): what pyotp 2.12 and RFC 4226 ask for
SECRETS = {"manager@example.com": "3S3QY26KJEEBY4FPBER5NCOMBZQMT3N4",
           "manager2@example.com": "PTPWMOP5F66FT6PHAHIQNPOGG7JPCQ4X"}


def errors_of(response) -> list[tuple[str, str]]:
    """The (fieldName, messageCode) pairs of an Ibanera error envelope, after
    checking the envelope itself."""
    body = response.get_json()
    assert body["status"] == "0", body
    assert body["id"] == 0 and body["details"] is None, body
    return [(e["fieldName"], e["messageCode"]) for e in body["errors"]]


class IbaneraClient:
    def __init__(self, client, username: str, password: str = PASSWORD):
        self.client = client
        self.username = username
        self.password = password
        self.token: str | None = None

    def login(self, otp: str = SANDBOX_OTP) -> IbaneraClient:
        response = self.client.post(f"{BASE}/api/v1/public/auth/login",
                                    json={"username": self.username, "password": self.password, "otp": otp})
        assert response.status_code == 200, response.get_json()
        self.token = response.get_json()["details"]["accessToken"]
        return self

    def headers(self, otp: str = SANDBOX_OTP) -> dict:
        return {"Authorization": f"Bearer {self.token}", "otp": otp}

    def get(self, path: str, **params):
        return self.client.get(f"{BASE}{path}", query_string=params, headers=self.headers())

    def post(self, path: str, body):
        return self.client.post(f"{BASE}{path}", json=body, headers=self.headers())

    # -- the endpoints ---------------------------------------------------------
    def create_managee(self, **overrides):
        return self.post("/api/v4/customer/managees/create", managee(**overrides))

    def new_managee(self, **overrides) -> int:
        """Create a managee that must succeed; its manageesId."""
        response = self.create_managee(**overrides)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["details"]["manageesId"]

    def list_managees(self, **params):
        return self.get("/api/v1/customer/managees/list", **params)

    def list_accounts(self, **params):
        return self.get("/api/v1/customer/manageeaccounts/list", **params)

    def create_widget_user(self, managees_id, reference):
        return self.post("/api/v1/customer/managees/createwidgetuser",
                         {"manageesId": managees_id, "widgetUserReference": reference})

    def payin(self, account_id, amount, transfer_type="ACH", **extra):
        return self.post("/api/v1/customer/simulations/payins",
                         {"DestinationAccountId": account_id, "TransferType": transfer_type, "Amount": amount, **extra})

    def set_verification(self, managees_id, status, **extra):
        return self.client.post(f"/_sandbox/ibanera/managees/{managees_id}/verification",
                                json={"status": status, **extra}, headers={"Authorization": f"Bearer {self.token}"})

    def accepted_managee(self, **overrides) -> tuple[int, int]:
        """A managee whose KYC is Accepted: (manageesId, its USD account id)."""
        managees_id = self.new_managee(**overrides)
        assert self.set_verification(managees_id, "Accepted").status_code == 200
        account = self.list_accounts(ManageesId=managees_id).get_json()["details"][0]
        return managees_id, account["id"]
