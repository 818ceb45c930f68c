"""Listing managees and their accounts, widget users, KYC decisions, payins,
and tenant isolation between managers."""

from __future__ import annotations

import re

import pytest

from tests.ibanera.client import errors_of

ADD_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$")
DATE_ADDED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")


def aba_checksum_ok(routing: str) -> bool:
    digits = [int(c) for c in routing]
    return sum(d * w for d, w in zip(digits, [3, 7, 1] * 3)) % 10 == 0


# -- list managees ---------------------------------------------------------------------
def test_list_is_empty_for_a_new_manager(ibanera):
    body = ibanera.list_managees().get_json()
    # id: the calling manager's (the first manager of the scenario)
    assert body == {"id": 11001, "details": [], "pageSize": 10, "pageNumber": 1, "numberOfPages": 0,
                    "status": "1", "errors": []}


def test_list_shows_each_managee_newest_last(ibanera):
    ids = [ibanera.new_managee(emailAddress=f"m{i}@example.com", manageesReference=f"ref-{i}", fullName=f"Person {i}")
           for i in range(3)]
    body = ibanera.list_managees().get_json()
    assert [m["manageesId"] for m in body["details"]] == ids
    first = body["details"][0]
    assert list(first) == ["manageesId", "manageesReference", "name", "addDate", "verificationStatus",
                           "widgetUserReference"]
    assert first["manageesReference"] == "ref-0" and first["name"] == "Person 0"
    assert first["verificationStatus"] == "Pending" and first["widgetUserReference"] is None
    assert ADD_DATE.match(first["addDate"])


def test_paging(ibanera):
    ids = [ibanera.new_managee(emailAddress=f"p{i}@example.com") for i in range(7)]
    page2 = ibanera.list_managees(PageNumber=2, PageSize=3).get_json()
    assert [m["manageesId"] for m in page2["details"]] == ids[3:6]
    assert (page2["pageNumber"], page2["pageSize"], page2["numberOfPages"]) == (2, 3, 3)
    last = ibanera.list_managees(PageNumber=3, PageSize=3).get_json()
    assert [m["manageesId"] for m in last["details"]] == ids[6:]
    beyond = ibanera.list_managees(PageNumber=9, PageSize=3).get_json()
    assert beyond["details"] == [] and beyond["numberOfPages"] == 3


def test_v2_list_path_is_the_same_list(ibanera):
    managees_id = ibanera.new_managee()
    body = ibanera.get("/api/v2/customer/managees/list").get_json()
    assert [m["manageesId"] for m in body["details"]] == [managees_id]


def test_paging_parameters_bind_case_insensitively(ibanera):
    for i in range(3):
        ibanera.new_managee(emailAddress=f"c{i}@example.com")
    body = ibanera.list_managees(pagesize=2, pagenumber=2).get_json()
    assert (body["pageSize"], body["pageNumber"], len(body["details"])) == (2, 2, 1)


@pytest.mark.parametrize("params,field", [
    ({"PageNumber": 0}, "PageNumber"), ({"PageNumber": -1}, "PageNumber"), ({"PageNumber": "abc"}, "PageNumber"),
    ({"PageSize": 0}, "PageSize"), ({"PageSize": 1001}, "PageSize"), ({"PageSize": "1.5"}, "PageSize"),
    ({"PageSize": "1_0"}, "PageSize"), ({"PageSize": "\uff11\uff10"}, "PageSize"),
    ({"PageNumber": "\u0661"}, "PageNumber"), ({"PageNumber": ""}, "PageNumber"), ({"PageSize": " "}, "PageSize"),
    ({"PageNumber": "9" * 19}, "PageNumber"),
])
def test_bad_paging_parameters_are_invalid(ibanera, params, field):
    response = ibanera.list_managees(**params)
    assert response.status_code == 400
    assert errors_of(response) == [(field, "Invalid")]


# -- tenant isolation --------------------------------------------------------------------
def test_managers_see_only_their_own_managees(ibanera, ibanera2):
    mine = ibanera.new_managee(emailAddress="shared@example.com")
    theirs = ibanera2.new_managee(emailAddress="shared@example.com")  # same email, other tenant: allowed
    assert [m["manageesId"] for m in ibanera.list_managees().get_json()["details"]] == [mine]
    assert [m["manageesId"] for m in ibanera2.list_managees().get_json()["details"]] == [theirs]


def test_a_manager_cannot_touch_another_managers_managee(ibanera, ibanera2):
    managees_id, account_id = ibanera.accepted_managee()
    not_found = [("ManageesId", "Managee_Not_Found")]
    assert errors_of(ibanera2.list_accounts(ManageesId=managees_id)) == not_found
    assert errors_of(ibanera2.set_verification(managees_id, "Rejected")) == not_found
    assert errors_of(ibanera2.payin(account_id, 10)) == [("DestinationAccountId", "Account_Not_Found")]
    assert ibanera2.list_accounts().get_json()["details"] == []
    # manager 2 has no widget client; its answer must not reveal the managee either way
    assert errors_of(ibanera2.create_widget_user(managees_id, "w")) == [("WidgetClient", "Widget_Client_Not_Found")]
    # and nothing of manager 1's changed
    account = ibanera.list_accounts(ManageesId=managees_id).get_json()["details"][0]
    assert account["totalBalance"] == 0.0
    assert ibanera.list_managees().get_json()["details"][0]["verificationStatus"] == "Accepted"


# -- KYC decisions (sandbox control) and accounts -----------------------------------------
def test_a_pending_managee_has_no_account(ibanera):
    managees_id = ibanera.new_managee()
    body = ibanera.list_accounts(ManageesId=managees_id).get_json()
    assert body["details"] == [] and body["numberOfPages"] == 0


def test_accepting_opens_a_usd_account(ibanera):
    managees_id = ibanera.new_managee(fullName="Alan Nameson")
    response = ibanera.set_verification(managees_id, "Accepted")
    assert response.status_code == 200
    details = response.get_json()["details"]
    assert details["verificationStatus"] == "Accepted" and ADD_DATE.match(details["acceptDate"])
    assert details["rejectDate"] is None
    body = ibanera.list_accounts(ManageesId=managees_id).get_json()
    assert (body["pageSize"], body["pageNumber"], body["numberOfPages"]) == (10, 1, 1)
    (account,) = body["details"]
    assert list(account) == ["id", "manageesId", "name", "routingNumber", "accountNumber", "asset", "totalBalance",
                             "availableBalance", "pendingBalance", "bSuppressed", "dateAdded"]
    assert account["manageesId"] == managees_id and account["asset"] == "USD"
    assert re.fullmatch(r"\d{9}", account["routingNumber"]) and aba_checksum_ok(account["routingNumber"])
    assert re.fullmatch(r"[1-9]\d{11}", account["accountNumber"])
    assert (account["totalBalance"], account["availableBalance"], account["pendingBalance"]) == (0.0, 0.0, 0.0)
    assert account["bSuppressed"] is False and DATE_ADDED.match(account["dateAdded"])
    assert ibanera.list_managees().get_json()["details"][0]["verificationStatus"] == "Accepted"


def test_accounts_filter_by_managee_and_asset(ibanera):
    first, first_account = ibanera.accepted_managee(emailAddress="a@example.com")
    second, second_account = ibanera.accepted_managee(emailAddress="b@example.com")
    ibanera.new_managee(emailAddress="pending@example.com")
    ids = lambda **q: [a["id"] for a in ibanera.list_accounts(**q).get_json()["details"]]
    assert ids() == [first_account, second_account]
    assert ids(ManageesId=second) == [second_account]
    assert ids(Asset="usd") == [first_account, second_account]
    assert ids(Asset="BTC") == []
    assert ids(ManageesId=first, Asset="USD") == [first_account]
    assert ids(PageSize=1, PageNumber=2) == [second_account]


@pytest.mark.parametrize("params,field", [
    ({"ManageesId": "x"}, "ManageesId"), ({"ManageesId": 0}, "ManageesId"), ({"Asset": "X" * 11}, "Asset"),
    ({"PageSize": 0}, "PageSize"),
])
def test_bad_account_list_parameters(ibanera, params, field):
    response = ibanera.list_accounts(**params)
    assert response.status_code == 400 and errors_of(response) == [(field, "Invalid")]


def test_accounts_of_an_unknown_managee(ibanera):
    response = ibanera.list_accounts(ManageesId=999999)
    assert response.status_code == 400 and errors_of(response) == [("ManageesId", "Managee_Not_Found")]


def test_rejecting_is_final_and_opens_nothing(ibanera):
    managees_id = ibanera.new_managee()
    response = ibanera.set_verification(managees_id, "Rejected", rejectReason="Document unreadable")
    details = response.get_json()["details"]
    assert details["verificationStatus"] == "Rejected" and details["rejectReason"] == "Document unreadable"
    assert ADD_DATE.match(details["rejectDate"]) and details["acceptDate"] is None
    again = ibanera.set_verification(managees_id, "Accepted")
    assert again.status_code == 409 and errors_of(again) == [("VerificationStatus", "Verification_Final")]
    assert ibanera.list_accounts(ManageesId=managees_id).get_json()["details"] == []


def test_deciding_the_same_way_twice_is_idempotent(ibanera):
    managees_id, _ = ibanera.accepted_managee()
    assert ibanera.set_verification(managees_id, "Accepted").status_code == 200
    assert len(ibanera.list_accounts(ManageesId=managees_id).get_json()["details"]) == 1


@pytest.mark.parametrize("body,expected", [
    ({}, [("Status", "Required")]),
    ({"status": "Pending"}, [("Status", "Invalid")]),
    ({"status": "Accepted", "colour": "red"}, [("Colour", "Invalid")]),
])
def test_bad_verification_requests(ibanera, body, expected):
    managees_id = ibanera.new_managee()
    response = ibanera.client.post(f"/_sandbox/ibanera/managees/{managees_id}/verification", json=body,
                                   headers={"Authorization": f"Bearer {ibanera.token}"})
    assert response.status_code == 400 and errors_of(response) == expected


def test_verification_control_needs_the_managers_token(client, ibanera):
    managees_id = ibanera.new_managee()
    response = client.post(f"/_sandbox/ibanera/managees/{managees_id}/verification", json={"status": "Accepted"})
    assert response.status_code == 401 and errors_of(response) == [("Authorization", "Unauthorised")]


def test_unknown_control_path_answers_in_ibanera_envelope(client):
    response = client.post("/_sandbox/ibanera/managees/abc/verification", json={"status": "Accepted"})
    assert response.status_code == 404 and errors_of(response) == [("", "Not_Found")]


# -- widget users -------------------------------------------------------------------------
def test_create_widget_user(ibanera):
    managees_id, _ = ibanera.accepted_managee()
    response = ibanera.create_widget_user(managees_id, "TestWidgetUser1")
    assert response.status_code == 200
    assert response.get_json() == {"id": 0, "status": "1", "errors": []}
    assert ibanera.list_managees().get_json()["details"][0]["widgetUserReference"] == "TestWidgetUser1"


def test_widget_user_needs_a_widget_client(ibanera2):
    managees_id, _ = ibanera2.accepted_managee()
    response = ibanera2.create_widget_user(managees_id, "w1")
    assert response.status_code == 400 and errors_of(response) == [("WidgetClient", "Widget_Client_Not_Found")]


def test_widget_user_for_an_unknown_managee(ibanera):
    response = ibanera.create_widget_user(424242, "w1")
    assert response.status_code == 400
    assert response.get_json() == {"id": 0, "details": None, "status": "0",
                                   "errors": [{"fieldName": "ManageesId", "messageCode": "Managee_Not_Found"}]}


def test_widget_user_for_another_managers_managee(ibanera, ibanera2):
    theirs, _ = ibanera2.accepted_managee()
    assert errors_of(ibanera.create_widget_user(theirs, "w1")) == [("ManageesId", "Managee_Not_Found")]


@pytest.mark.parametrize("decision", [None, "Rejected"], ids=["pending", "rejected"])
def test_widget_user_needs_a_verified_managee(ibanera, decision):
    managees_id = ibanera.new_managee()
    if decision:
        ibanera.set_verification(managees_id, decision)
    response = ibanera.create_widget_user(managees_id, "w1")
    assert errors_of(response) == [("ManageesId", "Managee_Not_Verified")]


def test_one_widget_user_per_managee(ibanera):
    managees_id, _ = ibanera.accepted_managee()
    ibanera.create_widget_user(managees_id, "w1")
    response = ibanera.create_widget_user(managees_id, "w2")
    assert errors_of(response) == [("ManageesId", "Widget_User_Already_Exists")]
    assert ibanera.list_managees().get_json()["details"][0]["widgetUserReference"] == "w1"


def test_widget_user_reference_is_used_once(ibanera):
    first, _ = ibanera.accepted_managee(emailAddress="one@example.com")
    second, _ = ibanera.accepted_managee(emailAddress="two@example.com")
    ibanera.create_widget_user(first, "Shared-Ref")
    response = ibanera.create_widget_user(second, "shared-ref")
    assert errors_of(response) == [("WidgetUserReference", "WidgetUserReference_Already_Used")]
    assert ibanera.list_managees().get_json()["details"][1]["widgetUserReference"] is None


@pytest.mark.parametrize("body,expected", [
    ({}, [("ManageesId", "Required"), ("WidgetUserReference", "Required")]),
    ({"manageesId": "14001", "widgetUserReference": "w"}, [("ManageesId", "Invalid_Format")]),
    ({"manageesId": True, "widgetUserReference": "w"}, [("ManageesId", "Invalid_Format")]),
    ({"manageesId": 14001, "widgetUserReference": "w" * 101}, [("WidgetUserReference", "Invalid_Length")]),
    ({"manageesId": 14001, "widgetUserReference": " "}, [("WidgetUserReference", "Required")]),
])
def test_bad_widget_user_requests(ibanera, body, expected):
    response = ibanera.post("/api/v1/customer/managees/createwidgetuser", body)
    assert response.status_code == 400 and errors_of(response) == expected


# -- simulated payins ----------------------------------------------------------------------
def test_payin_credits_the_account(ibanera):
    managees_id, account_id = ibanera.accepted_managee()
    response = ibanera.payin(account_id, 5, "ACH", Name="Customer Name", Reference="1234567890")
    assert response.status_code == 200 and response.get_json() == {"id": 0, "status": "1", "errors": []}
    ibanera.payin(account_id, 100.25, "SWIFT")
    account = ibanera.list_accounts(ManageesId=managees_id).get_json()["details"][0]
    assert (account["totalBalance"], account["availableBalance"], account["pendingBalance"]) == (105.25, 105.25, 0.0)


def test_payin_amounts_add_up_exactly(ibanera):
    managees_id, account_id = ibanera.accepted_managee()
    for _ in range(10):
        ibanera.payin(account_id, 0.1)
    assert ibanera.list_accounts(ManageesId=managees_id).get_json()["details"][0]["totalBalance"] == 1.0


@pytest.mark.parametrize("overrides,expected", [
    ({"Amount": 0}, [("Amount", "Invalid")]),
    ({"Amount": -5}, [("Amount", "Invalid")]),
    ({"Amount": "5"}, [("Amount", "Invalid")]),
    ({"TransferType": "SEPA"}, [("TransferType", "Invalid")]),
    ({"DestinationAccountId": 99999}, [("DestinationAccountId", "Account_Not_Found")]),
])
def test_bad_payins(ibanera, overrides, expected):
    managees_id, account_id = ibanera.accepted_managee()
    body = {"DestinationAccountId": account_id, "TransferType": "ACH", "Amount": 5, **overrides}
    response = ibanera.post("/api/v1/customer/simulations/payins", body)
    assert response.status_code == 400 and errors_of(response) == expected
    assert ibanera.list_accounts(ManageesId=managees_id).get_json()["details"][0]["totalBalance"] == 0.0


def test_payin_requires_its_fields(ibanera):
    response = ibanera.post("/api/v1/customer/simulations/payins", {})
    assert sorted(errors_of(response)) == [("Amount", "Required"), ("DestinationAccountId", "Required"),
                                           ("TransferType", "Required")]


def test_unknown_query_parameters_are_ignored(ibanera):
    """A cache-buster or a tracking parameter, as ASP.NET ignores them (inferred)."""
    managees_id = ibanera.new_managee()
    body = ibanera.list_managees(_="1700000000", Sort="name", PageSize=5).get_json()
    assert [m["manageesId"] for m in body["details"]] == [managees_id] and body["pageSize"] == 5


def test_unicode_digits_never_name_a_managee(ibanera):
    managees_id, _ = ibanera.accepted_managee()
    arabic_digits = str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")
    arabic = str(managees_id).translate(arabic_digits)
    response = ibanera.list_accounts(ManageesId=arabic)
    assert response.status_code == 400 and errors_of(response) == [("ManageesId", "Invalid")]


@pytest.mark.parametrize("value", [10**400, 2**63, 2**31, 0, -1, "1e400", 1.5])
def test_ids_in_bodies_are_bounded_integers(ibanera, value):
    managees_id, _account_id = ibanera.accepted_managee()
    for response, field in ((ibanera.payin(value, 10), "DestinationAccountId"),
                            (ibanera.create_widget_user(value, "w-1"), "ManageesId")):
        assert response.status_code == 400 and errors_of(response) == [(field, "Invalid_Format")]
    assert ibanera.list_accounts(ManageesId=managees_id).get_json()["details"][0]["totalBalance"] == 0.0


def test_huge_exponent_ids_are_refused_not_a_500(ibanera):
    raw = b'{"DestinationAccountId": 1e5000, "TransferType": "ACH", "Amount": 1}'
    response = ibanera.client.post("/ibanera/api/v1/customer/simulations/payins", data=raw,
                                   content_type="application/json", headers=ibanera.headers())
    assert response.status_code == 400 and errors_of(response) == [("DestinationAccountId", "Invalid_Format")]


@pytest.mark.parametrize("amount", ["1e-400", "0.001", "12.345"])
def test_amounts_keep_cents(ibanera, amount):
    _, account_id = ibanera.accepted_managee()
    raw = f'{{"DestinationAccountId": {account_id}, "TransferType": "ACH", "Amount": {amount}}}'.encode()
    response = ibanera.client.post("/ibanera/api/v1/customer/simulations/payins", data=raw,
                                   content_type="application/json", headers=ibanera.headers())
    assert response.status_code == 400 and errors_of(response) == [("Amount", "Invalid")]
    assert ibanera.list_accounts().get_json()["details"][0]["availableBalance"] == 0.0


def test_cents_add_up_exactly(ibanera):
    _, account_id = ibanera.accepted_managee()
    for _ in range(3):
        assert ibanera.payin(account_id, 0.1).status_code == 200
    assert ibanera.list_accounts().get_json()["details"][0]["availableBalance"] == 0.3  # not 0.30000000000000004


@pytest.mark.parametrize("reference", ["a\u0000b", "tab\there", "esc\u001b[31m", "del\u007f"])
def test_control_characters_are_not_stored(ibanera, reference):
    managees_id, _ = ibanera.accepted_managee()
    response = ibanera.create_widget_user(managees_id, reference)
    assert response.status_code == 400 and errors_of(response) == [("WidgetUserReference", "Invalid_Format")]
    assert ibanera.list_managees().get_json()["details"][0]["widgetUserReference"] is None
