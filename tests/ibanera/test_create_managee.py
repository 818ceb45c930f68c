"""POST /ibanera/api/v4/customer/managees/create (and its v5 alias), driven
through real HTTP requests: every error condition, the success envelope, what
the managee list shows afterwards, transport errors and authorisation.

Every rejected request also checks that nothing was stored."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlparse

import pytest

from sandbox.config import Config
from tests.ibanera.client import BASE, SANDBOX_OTP, SECRETS, IbaneraClient, errors_of
from tests.ibanera.payloads import JPEG_BYTES, managee, png_bytes
from tests.ibanera.totp import totp

V4 = "/api/v4/customer/managees/create"
V5 = "/api/v5/customer/managees/create"

# Every required field of the documented request, in camelCase.
REQUIRED_FIELDS = (
    "emailAddress", "manageesReference", "fiatCurrencyCode", "fullName", "firstGivenName", "lastSurname",
    "addressLine1", "townCity", "stateProvince", "postcode", "addressCountryISO", "phoneNumber", "dateOfBirth",
    "taxNumber", "nationalityISO", "sourceFundsTypes", "estimatedNetWorth", "estimatedGrossAnnualIncome",
    "otherBanks", "bActivelyEmployed", "purposeOfOpeningAccountTypes", "monthlyTurnover",
    "anticipatedTransactionActivity", "purchaseCryptoMonthlyVolume", "purchaseCryptoAverageAmount",
    "purchaseCryptoTotalAmountPerMonth", "sellingCryptoMonthlyVolume", "sellingCryptoAverageAmount",
    "sellingCryptoTotalAmountPerMonth", "totalMonthlyVolume", "totalAverageAmount", "totalMonthlyAmount",
    "btcTradingPercentage", "ethTradingPercentage", "usdcTradingPercentage", "otherCoinsTradingPercentage",
    "bIrsTax", "bForeignAccountTax", "bNotCriminal", "bAccurateInfo", "proofOfAddressFile", "proofOfAddressType",
)
# The required fields whose value is a JSON string: these can be sent blank.
REQUIRED_STRING_FIELDS = (
    "emailAddress", "manageesReference", "fiatCurrencyCode", "fullName", "firstGivenName", "lastSurname",
    "addressLine1", "townCity", "stateProvince", "postcode", "addressCountryISO", "phoneNumber", "dateOfBirth",
    "taxNumber", "nationalityISO", "proofOfAddressFile", "proofOfAddressType",
)
PERCENTAGES = ("btcTradingPercentage", "ethTradingPercentage", "usdcTradingPercentage", "otherCoinsTradingPercentage")
AGREEMENTS = ("bIrsTax", "bForeignAccountTax", "bNotCriminal", "bAccurateInfo")


# -- helpers -----------------------------------------------------------------------
def pascal(name: str) -> str:
    """The fieldName Ibanera reports for a JSON key: first letter upper-cased."""
    return name[:1].upper() + name[1:]


def body(*, drop=(), **changes) -> dict:
    """The valid example body with fields dropped or replaced, whatever casing
    tests/ibanera/payloads.py happens to use for them."""
    gone = {name.casefold() for name in (*drop, *changes)}
    result = {key: value for key, value in managee().items() if key.casefold() not in gone}
    result.update(changes)
    return result


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def email_of_length(length: int) -> str:
    """A syntactically valid address exactly `length` characters long
    (local part at most 64, domain labels at most 63)."""
    local, tld = "a" * 64, ".com"
    room = length - len(local) - 1 - len(tld)
    labels = []
    while room > 0:
        size = min(63, room)
        if room - size == 1:  # never leave room for just a dot
            size -= 1
        labels.append("d" * size)
        room -= size + 1  # the label and the dot after it (or before the tld)
    email = f"{local}@{'.'.join(labels)}{tld}"
    assert len(email) == length, (len(email), length)
    return email


def create(ibanera: IbaneraClient, payload: dict, path: str = V4):
    return ibanera.post(path, payload)


def stored(ibanera: IbaneraClient) -> list[dict]:
    """The calling manager's managees, as the list endpoint shows them."""
    response = ibanera.list_managees(PageSize=1000)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["details"]


def assert_rejected(ibanera: IbaneraClient, response, *expected: tuple[str, str], status: int = 400,
                    stored_before: int = 0) -> None:
    """The request failed with exactly these (fieldName, messageCode) pairs and stored nothing."""
    assert response.status_code == status, response.get_json()
    errors = errors_of(response)
    assert len(errors) == len(expected), errors
    assert set(errors) == set(expected), errors
    assert len(stored(ibanera)) == stored_before


def assert_created(response) -> int:
    """The documented success envelope; the new manageesId."""
    assert response.status_code == 200, response.get_json()
    payload = response.get_json()
    assert set(payload) == {"id", "details", "status", "errors"}, payload
    assert payload["id"] == 0 and payload["status"] == "1" and payload["errors"] == [], payload
    details = payload["details"]
    assert set(details) == {"manageesId", "jumioLink", "verificationStatus"}, details
    assert type(details["manageesId"]) is int and details["manageesId"] > 0, details
    link = urlparse(details["jumioLink"])
    assert link.scheme == "https" and link.netloc, details
    assert details["verificationStatus"] == "Pending", details
    return details["manageesId"]


def assert_accepted(ibanera: IbaneraClient, payload: dict, path: str = V4) -> int:
    managees_id = assert_created(create(ibanera, payload, path))
    assert [m["manageesId"] for m in stored(ibanera)] == [managees_id]
    return managees_id


# -- 1. Required ---------------------------------------------------------------------
@pytest.mark.parametrize("name", REQUIRED_FIELDS)
def test_missing_required_field(ibanera, name):
    assert_rejected(ibanera, create(ibanera, body(drop=[name])), (pascal(name), "Required"))


@pytest.mark.parametrize("name", REQUIRED_FIELDS)
def test_null_required_field(ibanera, name):
    assert_rejected(ibanera, create(ibanera, body(**{name: None})), (pascal(name), "Required"))


@pytest.mark.parametrize("blank", ["   ", ""], ids=["spaces", "empty"])
@pytest.mark.parametrize("name", REQUIRED_STRING_FIELDS)
def test_blank_required_string(ibanera, name, blank):
    assert_rejected(ibanera, create(ibanera, body(**{name: blank})), (pascal(name), "Required"))


@pytest.mark.parametrize("name", ["sourceFundsTypes", "purposeOfOpeningAccountTypes"])
def test_empty_required_array(ibanera, name):
    assert_rejected(ibanera, create(ibanera, body(**{name: []})), (pascal(name), "Required"))


@pytest.mark.parametrize("name", ["employedCompanyName", "employedJobTitle"])
@pytest.mark.parametrize("how", ["missing", "null", "blank"])
def test_employment_details_required_when_actively_employed(ibanera, name, how):
    payload = body(drop=[name], bActivelyEmployed=True) if how == "missing" else \
        body(bActivelyEmployed=True, **{name: None if how == "null" else "   "})
    assert_rejected(ibanera, create(ibanera, payload), (pascal(name), "Required"))


@pytest.mark.parametrize("how", ["missing", "null"])
def test_employment_details_optional_when_not_employed(ibanera, how):
    if how == "missing":
        payload = body(drop=["employedCompanyName", "employedJobTitle"], bActivelyEmployed=False)
    else:
        payload = body(bActivelyEmployed=False, employedCompanyName=None, employedJobTitle=None)
    assert_accepted(ibanera, payload)


def test_optional_fields_may_be_left_out(ibanera):
    assert_accepted(ibanera, body(drop=["addressLine2", "occupation", "otherSourceOfFunds"]))


# -- 2. Invalid_Length ---------------------------------------------------------------
OVER_MAX = [
    ("emailAddress", email_of_length(201)),
    ("manageesReference", "r" * 101),
    ("fiatCurrencyCode", "USD" + "D" * 8),
    ("fullName", "n" * 201),
    ("firstGivenName", "f" * 101),
    ("lastSurname", "l" * 101),
    ("addressLine1", "a" * 201),
    ("addressLine2", "a" * 201),
    ("townCity", "t" * 101),
    ("stateProvince", "s" * 1001),
    ("postcode", "1" * 51),
    ("addressCountryISO", "USAA"),
    ("phoneNumber", "1" * 101),
    ("taxNumber", "9" * 101),
    ("nationalityISO", "USAA"),
    ("employedCompanyName", "c" * 201),
    ("employedJobTitle", "j" * 201),
]


@pytest.mark.parametrize(("name", "value"), OVER_MAX, ids=[name for name, _ in OVER_MAX])
def test_one_over_max_length(ibanera, name, value):
    assert_rejected(ibanera, create(ibanera, body(**{name: value})), (pascal(name), "Invalid_Length"))


def test_other_banks_entry_over_max_length(ibanera):
    response = create(ibanera, body(otherBanks=["Bank1", "b" * 201]))
    assert_rejected(ibanera, response, ("OtherBanks", "Invalid_Length"))


AT_MAX = [
    ("emailAddress", email_of_length(200)),
    ("manageesReference", "r" * 100),
    ("fullName", "n" * 200),
    ("stateProvince", "s" * 1000),
    ("postcode", "1" * 50),
    ("otherBanks", ["Bank1", "b" * 200]),
]


@pytest.mark.parametrize(("name", "value"), AT_MAX, ids=[name for name, _ in AT_MAX])
def test_exactly_max_length_is_accepted(ibanera, name, value):
    assert_accepted(ibanera, body(**{name: value}))


# -- 3. Invalid_Format -----------------------------------------------------------------
BAD_FORMAT = [
    ("bad-email", "emailAddress", "alan.nameson.example.com"),
    ("email-two-ats", "emailAddress", "alan@@example.com"),
    ("dob-month-13", "dateOfBirth", "1994-13-01"),
    ("dob-slashes", "dateOfBirth", "02/01/1994"),
    ("dob-future", "dateOfBirth", "2999-01-01"),
    ("dob-not-a-date", "dateOfBirth", "yesterday"),
    ("dob-february-30", "dateOfBirth", "1994-02-30"),
    ("nationality-digit", "nationalityISO", "U1A"),
    ("country-digit", "addressCountryISO", "U1A"),
    ("country-two-letters", "addressCountryISO", "US"),
    ("source-funds-unknown", "sourceFundsTypes", ["Salary", "Lottery"]),
    ("purpose-unknown", "purposeOfOpeningAccountTypes", ["Gambling"]),
    ("proof-type-unknown", "proofOfAddressType", "Passport"),
    # wrong JSON types
    ("decimal-as-string", "estimatedNetWorth", "100000"),
    ("decimal-as-boolean", "monthlyTurnover", True),
    ("percentage-as-string", "btcTradingPercentage", "50"),
    ("boolean-as-string", "bActivelyEmployed", "true"),
    ("boolean-as-one", "bActivelyEmployed", 1),
    ("agreement-as-one", "bIrsTax", 1),
    ("agreement-as-string", "bAccurateInfo", "true"),
    ("string-as-number", "fullName", 123),
    ("postcode-as-number", "postcode", 12345),
    ("date-as-number", "dateOfBirth", 19940102),
    ("enum-as-number", "proofOfAddressType", 3),
    ("array-as-object", "sourceFundsTypes", {"0": "Salary"}),
    ("array-as-string", "otherBanks", "Bank1"),
    ("array-entry-as-number", "otherBanks", ["Bank1", 2]),
    # proof of address file
    ("file-not-base64", "proofOfAddressFile", "this is not base64!"),
    ("file-text", "proofOfAddressFile", b64(b"Just a text file, not an image.\n")),
    ("file-gif", "proofOfAddressFile", b64(b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04"
                                           b"\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D"
                                           b"\x01\x00;")),
    ("file-pdf", "proofOfAddressFile", b64(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
                                           b"trailer\n<< >>\n%%EOF\n")),
    ("file-data-uri", "proofOfAddressFile", "data:image/png;base64," + b64(png_bytes())),
]


@pytest.mark.parametrize(("name", "value"), [case[1:] for case in BAD_FORMAT], ids=[case[0] for case in BAD_FORMAT])
def test_invalid_format(ibanera, name, value):
    assert_rejected(ibanera, create(ibanera, body(**{name: value})), (pascal(name), "Invalid_Format"))


GOOD_FORMAT = [
    ("proof-type-lowercase", "proofOfAddressType", "utilitybill"),
    ("source-funds-lowercase", "sourceFundsTypes", ["salary", "SAVINGS"]),
    ("purpose-lowercase", "purposeOfOpeningAccountTypes", ["digitalasset"]),
    ("file-jpeg", "proofOfAddressFile", b64(JPEG_BYTES)),
    ("file-png", "proofOfAddressFile", b64(png_bytes())),
    ("decimal-with-fraction", "estimatedNetWorth", 100000.55),
    ("dob-as-date-time", "dateOfBirth", "1994-01-02T00:00:00"),
]


@pytest.mark.parametrize(("name", "value"), [case[1:] for case in GOOD_FORMAT], ids=[case[0] for case in GOOD_FORMAT])
def test_valid_format_is_accepted(ibanera, name, value):
    assert_accepted(ibanera, body(**{name: value}))


# -- 4. Email_Already_Exists -------------------------------------------------------------
@pytest.mark.parametrize("second", ["alan.nameson@example.com", "ALAN.Nameson@Example.COM"], ids=["same", "other-case"])
def test_email_already_used_by_this_manager(ibanera, second):
    ibanera.new_managee(emailAddress="alan.nameson@example.com")
    response = create(ibanera, body(emailAddress=second, manageesReference="another-ref"))
    assert_rejected(ibanera, response, ("EmailAddress", "Email_Already_Exists"), stored_before=1)


def test_same_email_under_another_manager_is_accepted(ibanera, ibanera2):
    first = ibanera.new_managee(emailAddress="alan.nameson@example.com")
    second = assert_created(create(ibanera2, body(emailAddress="alan.nameson@example.com")))
    assert [m["manageesId"] for m in stored(ibanera)] == [first]
    assert [m["manageesId"] for m in stored(ibanera2)] == [second]


def test_another_email_for_the_same_manager_is_accepted(ibanera):
    ibanera.new_managee(emailAddress="alan.nameson@example.com")
    assert_created(create(ibanera, body(emailAddress="bea.nameson@example.com")))
    assert len(stored(ibanera)) == 2


# -- 5-6. Currency, nationality, country --------------------------------------------------
def test_currency_other_than_usd(ibanera):
    response = create(ibanera, body(fiatCurrencyCode="EUR"))
    assert_rejected(ibanera, response, ("FiatCurrencyCode", "Currency_Not_Supported"))


def test_nationality_not_in_scenario(ibanera):
    response = create(ibanera, body(nationalityISO="PRK"))
    assert_rejected(ibanera, response, ("NationalityISO", "Nationality_Not_Supported"))


def test_address_country_not_in_scenario(ibanera):
    response = create(ibanera, body(addressCountryISO="IRN"))
    assert_rejected(ibanera, response, ("AddressCountryISO", "Country_Not_Supported"))


def test_lowercase_currency_and_country_codes_are_accepted(ibanera):
    assert_accepted(ibanera, body(fiatCurrencyCode="usd", nationalityISO="usa", addressCountryISO="gbr"))


# -- 7-8. Percentages ---------------------------------------------------------------------
@pytest.mark.parametrize("value", [-1, 100.01], ids=["minus-1", "100.01"])
@pytest.mark.parametrize("name", PERCENTAGES)
def test_percentage_out_of_range(ibanera, name, value):
    assert_rejected(ibanera, create(ibanera, body(**{name: value})), (pascal(name), "Invalid_Percentage"))


@pytest.mark.parametrize("name", PERCENTAGES)
def test_percentage_bounds_are_in_range(ibanera, name):
    payload = body(**{p: 0 for p in PERCENTAGES})
    payload[name] = 100
    assert_accepted(ibanera, payload)


def test_total_percentage_over_100(ibanera):
    payload = body(btcTradingPercentage=50, ethTradingPercentage=30, usdcTradingPercentage=10,
                   otherCoinsTradingPercentage=10.5)
    assert_rejected(ibanera, create(ibanera, payload), ("TotalTradingPercentage", "Invalid_Total_Percentage"))


@pytest.mark.parametrize("shares", [(25.5, 24.5, 25, 25), (33.33, 33.33, 33.34, 0), (0, 0, 0, 0)],
                         ids=["halves", "hundredths", "all-zero"])
def test_total_percentage_up_to_100_is_accepted(ibanera, shares):
    assert_accepted(ibanera, body(**dict(zip(PERCENTAGES, shares))))


# -- 9. Duplicate_Entries -----------------------------------------------------------------
DUPLICATES = [
    ("sourceFundsTypes", ["Salary", "salary"]),
    ("purposeOfOpeningAccountTypes", ["DigitalAsset", "CryptoLoans", "DigitalAsset"]),
    ("otherBanks", ["Bank1", "BANK1"]),
]


@pytest.mark.parametrize(("name", "value"), DUPLICATES, ids=[name for name, _ in DUPLICATES])
def test_duplicate_entries(ibanera, name, value):
    assert_rejected(ibanera, create(ibanera, body(**{name: value})), (pascal(name), "Duplicate_Entries"))


# -- 10. Must_Agree_To_Terms -----------------------------------------------------------------
@pytest.mark.parametrize(("name", "field_name"), [
    ("bIrsTax", "BIrsTax"), ("bForeignAccountTax", "BForeignAccountTax"),
    ("bNotCriminal", "BNotCriminal"), ("bAccurateInfo", "BAccurateInfo"),
])
def test_each_agreement_must_be_true(ibanera, name, field_name):
    assert_rejected(ibanera, create(ibanera, body(**{name: False})), (field_name, "Must_Agree_To_Terms"))


def test_all_agreements_false_give_four_errors(ibanera):
    response = create(ibanera, body(**{name: False for name in AGREEMENTS}))
    assert_rejected(ibanera, response,
                    ("BIrsTax", "Must_Agree_To_Terms"), ("BForeignAccountTax", "Must_Agree_To_Terms"),
                    ("BNotCriminal", "Must_Agree_To_Terms"), ("BAccurateInfo", "Must_Agree_To_Terms"))


# -- 11. Unknown field ------------------------------------------------------------------------
def test_unknown_field(ibanera):
    assert_rejected(ibanera, create(ibanera, body(favouriteColour="blue")), ("FavouriteColour", "Invalid"))


# -- 12. Many errors together ------------------------------------------------------------------
def test_all_errors_of_one_request_come_back_together(ibanera):
    payload = body(drop=["fullName"], emailAddress="not-an-email", fiatCurrencyCode="EUR", nationalityISO="PRK",
                   addressCountryISO="U1A", btcTradingPercentage=-1, bNotCriminal=False, otherBanks=["B", "b"],
                   dateOfBirth="1994-13-01", favouriteColour="blue")
    assert_rejected(
        ibanera, create(ibanera, payload),
        ("FullName", "Required"),
        ("EmailAddress", "Invalid_Format"),
        ("FiatCurrencyCode", "Currency_Not_Supported"),
        ("NationalityISO", "Nationality_Not_Supported"),
        ("AddressCountryISO", "Invalid_Format"),
        ("BtcTradingPercentage", "Invalid_Percentage"),
        ("BNotCriminal", "Must_Agree_To_Terms"),
        ("OtherBanks", "Duplicate_Entries"),
        ("DateOfBirth", "Invalid_Format"),
        ("FavouriteColour", "Invalid"),
    )


def test_empty_object_reports_every_required_field(ibanera):
    assert_rejected(ibanera, create(ibanera, {}), *[(pascal(name), "Required") for name in REQUIRED_FIELDS])


def test_total_and_field_errors_together(ibanera):
    payload = body(btcTradingPercentage=90, ethTradingPercentage=20, bIrsTax=False)
    assert_rejected(ibanera, create(ibanera, payload),
                    ("TotalTradingPercentage", "Invalid_Total_Percentage"), ("BIrsTax", "Must_Agree_To_Terms"))


# -- 13. Success -------------------------------------------------------------------------------
def test_created_managee_appears_in_the_list(ibanera):
    managees_id = assert_created(create(ibanera, body(fullName="Alan Q. Nameson", manageesReference="ref-1")))
    [item] = stored(ibanera)
    assert item["manageesId"] == managees_id
    assert item["name"] == "Alan Q. Nameson"
    assert item["manageesReference"] == "ref-1"
    assert item["verificationStatus"] == "Pending"
    assert item["widgetUserReference"] is None


def test_field_names_bind_case_insensitively(ibanera):
    assert_accepted(ibanera, {key.lower(): value for key, value in managee().items()})


def test_uppercase_field_names_bind_too(ibanera):
    assert_accepted(ibanera, {key.upper(): value for key, value in managee().items()})


def test_v5_path_creates_the_same_way(ibanera):
    assert_accepted(ibanera, body(), path=V5)


def test_v5_path_reports_errors_the_same_way(ibanera):
    response = create(ibanera, body(fiatCurrencyCode="EUR", bIrsTax=False), path=V5)
    assert_rejected(ibanera, response,
                    ("FiatCurrencyCode", "Currency_Not_Supported"), ("BIrsTax", "Must_Agree_To_Terms"))


def test_two_managees_get_distinct_ids(ibanera):
    first = assert_created(create(ibanera, body(emailAddress="one@example.com")))
    second = assert_created(create(ibanera, body(emailAddress="two@example.com")))
    assert first != second
    assert [m["manageesId"] for m in stored(ibanera)] == [first, second]


def test_a_reused_managees_reference_is_not_refused(ibanera):
    """Inferred (constants.py): the documented errors of this call name none for a reference used before."""
    first = assert_created(create(ibanera, body(emailAddress="one@example.com", manageesReference="shared-ref")))
    second = assert_created(create(ibanera, body(emailAddress="two@example.com", manageesReference="shared-ref")))
    assert [(m["manageesId"], m["manageesReference"]) for m in stored(ibanera)] == [
        (first, "shared-ref"), (second, "shared-ref")]


# -- 14. Transport errors ---------------------------------------------------------------------
def raw_post(ibanera: IbaneraClient, data, content_type: str = "application/json", path: str = V4):
    return ibanera.client.post(f"{BASE}{path}", data=data, content_type=content_type, headers=ibanera.headers())


def test_malformed_json(ibanera):
    response = raw_post(ibanera, '{"emailAddress": "alan.nameson@example.com",')
    assert_rejected(ibanera, response, ("", "Invalid_Json"))


@pytest.mark.parametrize("text", [json.dumps([managee()]), "[]", '"a string"', "42", "null"],
                         ids=["array", "empty-array", "string", "number", "null"])
def test_body_that_is_not_an_object(ibanera, text):
    assert_rejected(ibanera, raw_post(ibanera, text), ("", "Invalid_Json"))


@pytest.mark.parametrize("data", [b"", b"\xff\xfe{}"], ids=["empty", "not-utf8"])
def test_body_that_is_not_json_text(ibanera, data):
    assert_rejected(ibanera, raw_post(ibanera, data), ("", "Invalid_Json"))


def test_json_content_type_with_charset_is_accepted(ibanera):
    response = raw_post(ibanera, json.dumps(managee()), content_type="application/json; charset=utf-8")
    assert_created(response)
    assert len(stored(ibanera)) == 1


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_literal_is_not_json(ibanera, literal):
    text = json.dumps(body(estimatedNetWorth="__N__")).replace('"__N__"', literal)
    assert_rejected(ibanera, raw_post(ibanera, text), ("", "Invalid_Json"))


def test_wrong_content_type(ibanera):
    response = raw_post(ibanera, json.dumps(managee()), content_type="text/plain")
    assert_rejected(ibanera, response, ("", "Unsupported_Media_Type"), status=415)


def test_get_on_create_path(ibanera):
    response = ibanera.client.get(f"{BASE}{V4}", headers=ibanera.headers())
    assert_rejected(ibanera, response, ("", "Method_Not_Allowed"), status=405)
    assert "POST" in response.headers["Allow"]


@pytest.mark.parametrize("text", [
    "[" * 100_000,
    '{"otherBanks": ' + "[" * 100_000 + "]" * 100_000 + "}",
], ids=["top-level", "inside-a-field"])
def test_deeply_nested_json_is_a_client_error(ibanera, text):
    response = raw_post(ibanera, text)
    assert 400 <= response.status_code < 500, response.get_json()
    assert errors_of(response)
    assert stored(ibanera) == []


@pytest.mark.parametrize("number", ["1e400", "-1e400", "79228162514264337593543950336"])
def test_decimal_out_of_range_is_invalid_format(ibanera, number):
    text = json.dumps(body(estimatedNetWorth="__N__")).replace('"__N__"', number)
    assert_rejected(ibanera, raw_post(ibanera, text), ("EstimatedNetWorth", "Invalid_Format"))


@pytest.mark.parametrize("number", ["79228162514264337593543950335", "-79228162514264337593543950335",
                                    "79228162514264337593543950335.000", "7.9228162514264337593543950335E+28"])
def test_decimal_at_the_net_maximum_is_taken(ibanera, number):
    """.NET decimal's own maximum (29 digits) is a value it holds: not refused by a range check
    rounded to Python's 28-digit context."""
    text = json.dumps(body(estimatedNetWorth="__N__")).replace('"__N__"', number)
    managee = assert_created(raw_post(ibanera, text))
    assert [m["manageesId"] for m in stored(ibanera)] == [managee]


class TestBodyLimit:
    @pytest.fixture
    def config(self):
        return Config(max_body_bytes=2048)

    def test_body_under_the_limit_is_accepted(self, ibanera):
        payload = body()
        assert len(json.dumps(payload)) < 2048
        assert_accepted(ibanera, payload)

    def test_body_over_the_limit(self, ibanera):
        payload = body(stateProvince="s" * 900)  # a valid length; only the body size is wrong
        assert len(json.dumps(payload)) > 2048
        assert_rejected(ibanera, create(ibanera, payload), ("", "Request_Too_Large"), status=413)


# -- 15. Authorisation -----------------------------------------------------------------------
def wrong_otp(sandbox) -> str:
    """A six-digit code that is neither the sandbox code nor the manager's TOTP
    anywhere near the sandbox's current time."""
    now = sandbox.clock.timestamp()
    secret = SECRETS["manager@example.com"]
    valid = {totp(secret, at=now + 30 * step) for step in range(-3, 4)} | {SANDBOX_OTP}
    return next(code for code in ("000000", "111111", "222222", "333333", "444444", "555555") if code not in valid)


def test_no_authorization_header(ibanera):
    response = ibanera.client.post(f"{BASE}{V4}", json=managee(), headers={"otp": SANDBOX_OTP})
    assert_rejected(ibanera, response, ("Authorization", "Unauthorised"), status=401)
    assert response.headers.get("WWW-Authenticate", "").lower().startswith("bearer")


def test_wrong_otp_header(ibanera, sandbox):
    response = ibanera.client.post(f"{BASE}{V4}", json=managee(), headers=ibanera.headers(otp=wrong_otp(sandbox)))
    assert_rejected(ibanera, response, ("Otp", "Unauthorised"), status=401)
    assert response.headers.get("WWW-Authenticate", "").lower().startswith("bearer")


def test_missing_otp_header(ibanera):
    headers = {"Authorization": ibanera.headers()["Authorization"]}
    response = ibanera.client.post(f"{BASE}{V4}", json=managee(), headers=headers)
    assert_rejected(ibanera, response, ("Otp", "Unauthorised"), status=401)
