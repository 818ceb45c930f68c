"""Marshmallow schemas of Prozora's Customer section: they validate requests
(answering with the messages of errors.py) and describe responses; the
OpenAPI document is generated from them. Field names are the documented
JSON keys (snake_case).

The value formats come first, each checked by the kept library for it:
GUIDs (uuid), Stellar account IDs (SEP-23 strkeys, with the stdlib calls
stellar-sdk's StrKey makes, see is_stellar_account), IBANs (schwifty), phone
numbers (phonenumbers), time bounds (dates and RFC 3339 date-times,
datetime) and the wire timestamp. The services (a path's GUID, timestamps)
and the scenario loader take them from here.

Every text the API takes, body or query, is printable (core's
no_control_characters), and every number in a query is ASCII digits (core's
QueryInteger, decimal_from_text): int() and Decimal() would take any Unicode
digit ("١" is 1 to them)."""

from __future__ import annotations

import base64
import binascii
import math
import re
import struct
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import ClassVar

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from sandbox.core.errors import INFERRED
from sandbox.core.fields import (
    DECIMAL_MAX,
    DECIMAL_TEXT,
    PRINTABLE_PATTERN,
    Choice,
    Msg,
    QueryInteger,
    StrictBoolean,
    StrictDecimal,
    StrictInteger,
    decimal_from_text,
    no_control_characters,
    not_blank,
    raises,
)
from sandbox.core.schemas import ApiSchema
from sandbox.providers.prozora import constants as k
from sandbox.providers.prozora import errors as e

# -- value formats ---------------------------------------------------------------------------
#: [I] a GUID is written 8-4-4-4-12 hexadecimal digits, any case (RFC 4122's text form, every GUID of
#: the docs): exactly OpenAPI's `format: uuid`. google/uuid's other spellings (braces, urn:uuid:, no
#: hyphens) are refused, so what the document says and what the server takes are the same set.
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def guid(value: str | None) -> str | None:
    """The canonical (lower-case, hyphenated) form of a UUID, or None."""
    if not isinstance(value, str) or not _GUID.fullmatch(value):
        return None
    return str(uuid.UUID(value))


def path_guid(value: str | None, name: str) -> str:
    """The GUID of the path parameter `name`, canonical; else `invalid UUID format` about that parameter."""
    canonical = guid(value)
    if canonical is None:
        raise e.at(e.INVALID_UUID, name)
    return canonical


#: SEP-23 version byte of an ed25519 public key (the "G" prefix)
_ACCOUNT_VERSION = 6 << 3


def is_stellar_account(value: str) -> bool:
    """A Stellar account ID (SEP-23): base32 of the version byte, the 32-byte
    key and its CRC-16/XModem (little-endian). These are the stdlib calls
    stellar-sdk's StrKey.is_valid_ed25519_public_key makes; the SDK itself is
    not imported because its import costs ~0.7 s and the default scenario's
    issuers are checked at start-up, which must stay well under a second.
    tests/prozora/test_stellar_account.py holds this to the SDK's answer."""
    if not isinstance(value, str) or len(value) != 56 or not value.isascii():
        return False
    try:
        raw = base64.b32decode(value)
    except binascii.Error:
        return False
    payload, checksum = raw[:-2], raw[-2:]
    crc = struct.pack("<H", binascii.crc_hqx(payload, 0))
    return len(raw) == 35 and payload[0] == _ACCOUNT_VERSION and crc == checksum


#: an IBAN as typed: ASCII letters and digits, spaces between groups (schwifty alone would also take
#: tabs and other Unicode whitespace)
IBAN_TEXT = r"^[A-Za-z0-9 ]+$"


def compact_iban(value: str) -> str | None:
    """The IBAN without spaces, upper case, if it is ASCII letters, digits and spaces and its country
    format and checksum hold; else None."""
    if not isinstance(value, str) or not re.fullmatch(IBAN_TEXT, value, re.ASCII):
        return None
    try:
        return IBAN(value).compact
    except (SchwiftyException, ValueError):
        return None


def is_phone_number(value: str) -> bool:
    """A possible phone number (its country's lengths, phonenumbers) in ASCII digits: + and the country
    code, or a national number of k.PHONE_REGION. phonenumbers alone would take Arabic-Indic or
    fullwidth digits and letters ("1-800-FLOWERS"). phonenumbers is imported on the first number
    (~25 ms of start-up otherwise)."""
    import phonenumbers

    if not isinstance(value, str) or len(value) > k.MAX_PHONE or not re.fullmatch(k.PHONE_PATTERN, value, re.ASCII):
        return False
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(value, k.PHONE_REGION))
    except phonenumbers.NumberParseException:
        return False


def utc_timestamp(moment: datetime) -> str:
    """The wire (and stored) form: fixed width, so text order is time order."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


#: [I] a time bound is OpenAPI's `date` (RFC 3339 full-date) or `date-time` (RFC 3339: T, seconds and
#: an offset required; t/z in any case; a leap second :60 counts as :59)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
                        r"([Zz]|[+-][0-9]{2}:[0-9]{2})")


def time_bound(value: str) -> str | None:
    """A date or RFC 3339 date-time as a comparable timestamp (a date: midnight UTC), or None."""
    if not isinstance(value, str):
        return None
    try:
        if _DATE.fullmatch(value):
            moment = datetime.fromisoformat(value).replace(tzinfo=UTC)
        elif match := _DATE_TIME.fullmatch(value):
            day, hour, minute, second, fraction, offset = match.groups()
            second = "59" if second == "60" else second
            zone = "+00:00" if offset in "Zz" else offset
            moment = datetime.fromisoformat(f"{day}T{hour}:{minute}:{second}{(fraction or '')[:7]}{zone}")
        else:
            return None
    except ValueError:
        return None
    try:
        return utc_timestamp(moment)
    except (OverflowError, ValueError):
        return None


ASSET_CODE = r"^[A-Za-z0-9]{1,12}$"  # Stellar: 1-12 letters or digits


#: the characters core.fields.no_control_characters refuses, as the body of a character class
CONTROLS = "\\u0000-\\u001F\\u007F"


def _printable_text_pattern() -> str:
    """core.fields.no_control_characters and not_blank as the document says them: printable characters
    only, one at least that is not str.isspace(); the blanks spelled out (\\s and \\S differ between
    Python, ECMA and Rust regex engines, e.g. on U+001C..U+001F)."""
    blanks = [c for c in range(0x20, 0x3001) if chr(c).isspace() and c != 0x7F]
    runs: list[list[int]] = []
    for c in blanks:
        if runs and runs[-1][1] == c - 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    spelled = "".join(f"\\u{a:04X}" if a == b else f"\\u{a:04X}-\\u{b:04X}" for a, b in runs)
    return f"^[^{CONTROLS}]*[^{CONTROLS}{spelled}][^{CONTROLS}]*$"


PRINTABLE_TEXT = _printable_text_pattern()  # the document's form of text(): printable, not blank
#: the largest JSON number below the decimal range StrictDecimal holds (the float of DECIMAL_MAX rounds past it)
MONEY_MAX = math.nextafter(float(DECIMAL_MAX), 0)
#: every count and amount: below 0 is `must not be negative`
NOT_NEGATIVE = validate.Range(min=0, error=e.NEGATIVE.code)
#: a kyc level (body or query): not negative, at most Go's int64
KYC_LEVEL = [NOT_NEGATIVE, validate.Range(max=k.MAX_KYC_LEVEL, error=e.INVALID_VALUE.code)]


class ProzoraSchema(ApiSchema):
    ERRORS = e.ProzoraError
    FALLBACK = e.INVALID_VALUE
    MESSAGE_CODES: ClassVar = {
        Msg.REQUIRED: e.REQUIRED, Msg.NULL: e.REQUIRED, Msg.UNKNOWN: e.UNKNOWN_FIELD, Msg.TYPE: e.INVALID_BODY,
        Msg.CONTROL: e.CONTROL_CHARACTERS,
    }


@dataclass(frozen=True)
class Rules:
    """What validating a customer body needs from the caller's counterparty."""

    #: asset code -> its issuer
    assets: dict[str, str]


# -- fields ------------------------------------------------------------------------------------
#: a GUID in the document: exactly what guid() accepts
GUID_SCHEMA = {"type": "string", "format": "uuid",
               "description": "A GUID: 8-4-4-4-12 hexadecimal digits (any case)."}


class Guid(fields.String):
    """A UUID, returned in canonical lower-case form."""

    default_error_messages = {"invalid_uuid": e.INVALID_UUID.code}

    def __init__(self, **kwargs):
        metadata = kwargs.pop("metadata", {})
        super().__init__(metadata={"format": "uuid", **metadata}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        canonical = guid(super()._deserialize(value, attr, data, **kwargs))
        if canonical is None:
            raise self.make_error("invalid_uuid")
        return canonical


#: a Stellar account ID's shape; the CRC16 (and the key's version byte) OpenAPI cannot check
STELLAR_ACCOUNT = r"^G[A-Z2-7]{55}$"


class StellarAccount(fields.String):
    """A Stellar account ID (SEP-23 strkey): the pattern, and a valid CRC16 checksum (said in words)."""

    default_error_messages = {"invalid_account": e.INVALID_STELLAR_ACCOUNT.code}

    def __init__(self, **kwargs):
        metadata = kwargs.pop("metadata", {})
        description = metadata.pop("description", "")
        super().__init__(metadata={
            "pattern": STELLAR_ACCOUNT, "minLength": 56, "maxLength": 56,
            "description": f"{description} A Stellar account ID: G and 55 base32 characters whose last ones are "
                           "the CRC16 checksum of the rest (not expressible here; checked).".strip(),
            **metadata}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not is_stellar_account(value):
            raise self.make_error("invalid_account")
        return value


def printable(field: fields.Field, value: str) -> str:
    """The value, if it holds no control character (core's rule), else the field's `control` error:
    for a field that checks a format of its own after it (an IBAN, a phone number)."""
    try:
        no_control_characters(value)
    except ValidationError:
        raise field.make_error("control") from None
    return value


class Iban(fields.String):
    """An IBAN (spaces allowed), returned compact."""

    default_error_messages = {"invalid_iban": e.INVALID_IBAN.code, "control": Msg.CONTROL}

    def __init__(self, **kwargs):
        metadata = kwargs.pop("metadata", {})
        description = metadata.pop("description", "")
        super().__init__(metadata={
            "maxLength": k.MAX_SHORT, "pattern": IBAN_TEXT, "example": "UA213223130000026007233566001",
            "description": f"{description} An IBAN valid for its country (length, format and mod-97 checksum; "
                           "not expressible here, checked), spaces ignored; unique in the counterparty."
                           .strip(), **metadata}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = printable(self, super()._deserialize(value, attr, data, **kwargs))
        compact = compact_iban(value) if len(value) <= k.MAX_SHORT else None
        if compact is None:
            raise self.make_error("invalid_iban")
        return compact


class PhoneNumber(fields.String):
    """A phone number (is_phone_number), kept as sent."""

    default_error_messages = {"invalid_phone": e.INVALID_PHONE.code, "control": Msg.CONTROL}

    def __init__(self, **kwargs):
        super().__init__(metadata={
            "maxLength": k.MAX_PHONE, "pattern": k.PHONE_PATTERN, "example": "+380501234567",
            "x-provenance": INFERRED,
            "description": "The customer's phone number: + and the country code, or a Ukrainian national number; "
                           "ASCII digits, spaces, hyphens, dots and parentheses; a possible number for its "
                           "country (its length; not expressible here, checked)."}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = printable(self, super()._deserialize(value, attr, data, **kwargs))
        if not is_phone_number(value):
            raise self.make_error("invalid_phone")
        return value


class TimeBound(fields.String):
    """A date (YYYY-MM-DD, midnight UTC) or an RFC 3339 date-time, returned as a stored timestamp."""

    default_error_messages = {"invalid_date": e.INVALID_DATE.code}

    def __init__(self, **kwargs):
        super().__init__(metadata={
            "anyOf": [{"format": "date"}, {"format": "date-time"}], "example": k.TIMESTAMP_EXAMPLE,
            "x-provenance": INFERRED,
            "description": "A date (YYYY-MM-DD: midnight UTC) or an RFC 3339 date-time; inclusive."}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        bound = time_bound(super()._deserialize(value, attr, data, **kwargs))
        if bound is None:
            raise self.make_error("invalid_date")
        return bound


class QueryList(fields.List):
    """An array in the query string: repeated keys and/or comma-separated values. A control character
    anywhere in one is refused before the values are split and trimmed (a trailing line break is not
    whitespace to drop)."""

    default_error_messages = {"control": Msg.CONTROL}

    def __init__(self, inner, *, raw_max: int | None = None, **kwargs):
        #: the longest value of one key, commas included: the document's item maxLength holds for it too
        self.raw_max = raw_max
        super().__init__(inner, metadata={"x-provenance": INFERRED, "description": "Repeat the key or separate "
                                          "values with commas."}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(item, str) for item in values):
            raise self.make_error("invalid")
        if self.raw_max is not None and any(len(item) > self.raw_max for item in values):
            raise ValidationError(Msg.TOO_LONG)
        for item in values:
            printable(self, item)
        parts = [part.strip() for item in values for part in item.split(",")]
        return super()._deserialize([part for part in parts if part], attr, data, **kwargs)


class KycLevel(QueryInteger):
    """A kyc level sent as a string in the query ("kyc_levels: string[]"): ASCII digits, up to Go's
    int64 (19 digits, where core's QueryInteger stops at 18)."""

    _DIGITS = re.compile(r"[+-]?[0-9]{1,19}", re.ASCII)

    def __init__(self, **kwargs):
        super().__init__(validate=KYC_LEVEL, **kwargs)


class QueryDecimal(fields.Decimal):
    """A decimal in the query: ASCII digits, an optional sign and fraction (core's decimal_from_text),
    no exponent; the document says so with a pattern (a `number` would let a client send 1e-05)."""

    def __init__(self, **kwargs):
        super().__init__(metadata={"type": "string", "pattern": f"^{DECIMAL_TEXT.pattern}$",
                                   "maxLength": k.MAX_SHORT, "example": "1500.50", "x-provenance": INFERRED,
                                   "description": "A decimal in ASCII digits (no exponent)."}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        amount = decimal_from_text(value) if isinstance(value, str) and len(value) <= k.MAX_SHORT else None
        if amount is None:
            raise self.make_error("invalid")
        return amount


def query_text(max_length: int = k.MAX_TEXT, **metadata) -> fields.String:
    """Text in the query: printable, at most `max_length` characters."""
    return fields.String(validate=[no_control_characters, validate.Length(max=max_length, error=Msg.TOO_LONG)],
                         metadata={"pattern": PRINTABLE_PATTERN, "maxLength": max_length, **metadata})


@raises(e.TOO_PRECISE.code)
def exact_in_json(value: Decimal) -> None:
    if value is not None and len(value.normalize().as_tuple().digits) > k.MAX_MONEY_DIGITS:
        raise ValidationError(e.TOO_PRECISE.code)


@raises(Msg.INVALID)
def well_formed(value: str) -> None:
    """Unicode that UTF-8 can write: the stdlib's JSON reader turns an escaped lone surrogate ("\\ud800")
    into a str no store or answer can encode (a 500 until this refused it)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(Msg.INVALID) from None


def text(max_length: int = k.MAX_TEXT, *, required: bool = False, pattern: str | None = None,
         **metadata) -> fields.String:
    validators = [well_formed, not_blank, no_control_characters,
                  validate.Length(min=1, max=max_length, error=Msg.TOO_LONG)]
    if pattern:
        validators.append(validate.Regexp(pattern, error=Msg.PATTERN))
    else:  # printable, not blank: some character that is not whitespace
        metadata = {"pattern": PRINTABLE_TEXT, **metadata}
    if required:
        return fields.String(required=True, validate=validators, metadata=metadata)
    return fields.String(allow_none=True, validate=validators, metadata=metadata)


def money(description: str = "", **metadata) -> StrictDecimal:
    return StrictDecimal(allow_none=True, validate=[NOT_NEGATIVE, exact_in_json],
                         metadata={"description": f"{description} At most {k.MAX_MONEY_DIGITS} significant digits "
                                                  "(what a JSON number holds exactly) and at most the decimal "
                                                  "places of its asset's minor unit (see the operation; neither "
                                                  "is expressible here, both checked).".strip(),
                                   "maximum": MONEY_MAX, **metadata})


# -- requests --------------------------------------------------------------------------------
# The rules beyond the schema, checked against the caller's counterparty, each said once; an operation's
# description lists those its body is held to.
ASSET_RULE = "`asset_code` is one of the counterparty's assets and `asset_issuer` that asset's issuer"
BALANCE_ASSET_RULE = ("`balance_asset_code` is one of the counterparty's assets and `balance_asset_issuer` the "
                      "issuer of the balance asset (`balance_asset_code`, else the customer's first account's)")
BRANCH_RULE = "`branch_guid` is one of the counterparty's branches (for a branch employee, its own)"
LOGIN_RULE = "`login` is not yet taken in the counterparty (case-insensitively)"
IBAN_RULE = "`iban` is not yet taken in the counterparty"
BALANCE_PLACES_RULE = ("`balance_allowed` has at most the decimal places of its asset's minor unit: the balance "
                       "asset's (`balance_asset_code`) if the customer has one, else its first account's asset's "
                       "(2 for UAH)")
WALLET_USER_RULE = "`wallet_user_guid` (if given) is the path's customer"


def beyond_the_schema(*rules: str) -> str:
    return f"Beyond the schema: {'; '.join(rules)} (400 otherwise)."


class CustomerFieldsSchema(ProzoraSchema):
    """The fields create and update share (all optional). Null means "not given"."""

    RAISES = (e.ASSET_NOT_AVAILABLE,)

    balance_allowed = money(description="The customer's allowed balance (default 0).")
    balance_asset_code = text(12, pattern=ASSET_CODE, description="The balance's asset code.")
    balance_asset_issuer = StellarAccount(allow_none=True, metadata={"description": "The balance's asset issuer."})
    branch_guid = Guid(allow_none=True, metadata={"description": "The customer's branch."})
    is_disabled = StrictBoolean(allow_none=True, metadata={"description": "Default false."})
    kyc_level = StrictInteger(allow_none=True, validate=KYC_LEVEL,
                              metadata={"description": "The customer's level of verification (KYC), default 0."})
    name = text()
    paternal_name = text()
    phone_number = PhoneNumber(allow_none=True)
    segment = text(k.MAX_SHORT, description="Customer's segment, e.g. PL or PI.")
    status = Choice(k.STATUSES, allow_none=True, metadata={
        "x-provenance": INFERRED, "description": f"The customer's status (default {k.DEFAULT_STATUS!r}). The docs "
                                                 "list no values: these are the sandbox's."})
    surname = text()

    @validates("balance_asset_code")
    def _balance_asset_known(self, value, **kwargs):
        if value is not None and value not in self.context.assets:
            raise ValidationError(e.ASSET_NOT_AVAILABLE.code)


class CreateCustomerSchema(CustomerFieldsSchema):
    asset_code = text(12, required=True, pattern=ASSET_CODE,
                      description="Asset's code of e-money currency: one of the counterparty's assets.")
    asset_issuer = StellarAccount(required=True, metadata={"description": "Address in stellar which issues the "
                                                                          "token: the asset's issuer."})
    iban = Iban(allow_none=True, metadata={"description": "IBAN of the first account (checksum checked)."})
    login = text(description="Login unique user name: phone, email or other (unique in the counterparty).")

    @validates("asset_code")
    def _asset_known(self, value, **kwargs):
        if value not in self.context.assets:
            raise ValidationError(e.ASSET_NOT_AVAILABLE.code)

    @validates_schema(skip_on_field_errors=True)
    def _issuer_of_asset(self, data, **kwargs):
        if self.context.assets[data["asset_code"]] != data["asset_issuer"]:
            raise ValidationError(e.ASSET_NOT_AVAILABLE.code, field_name="asset_issuer")


class UpdateCustomerSchema(CustomerFieldsSchema):
    wallet_user_guid = Guid(allow_none=True, metadata={"description": "The customer's GUID; if given, the path's."})


class CreateAccountSchema(ProzoraSchema):
    iban = Iban(allow_none=True, metadata={"description": "IBAN of the new account (checksum checked)."})


class AccountsQuerySchema(ProzoraSchema):
    iban = query_text(k.MAX_SHORT, description="Only the account with this IBAN (spaces ignored).")


def _strings(**metadata):
    return QueryList(query_text(), raw_max=k.MAX_TEXT, **metadata)


class CustomersQuerySchema(ProzoraSchema):
    wallet_user_guids = QueryList(Guid())
    logins = _strings()
    kyc_levels = QueryList(KycLevel())
    is_disabled = fields.Boolean(metadata={"description": "Include disabled: true lists only disabled customers, "
                                           "false only enabled ones; absent lists both.", "x-provenance": INFERRED})
    min_balance_allowed = QueryDecimal()
    max_balance_allowed = QueryDecimal()
    balance_asset_codes = _strings()
    balance_asset_issuers = _strings()
    branch_guids = QueryList(Guid())
    names = _strings()
    paternal_names = _strings()
    phone_numbers = _strings()
    segments = _strings()
    statuses = QueryList(Choice(k.STATUSES))
    surnames = _strings()
    search_string = query_text(description="Case-insensitive part of the name, surname, paternal name or login.",
                               **{"x-provenance": INFERRED})
    min_created_at = TimeBound()
    max_created_at = TimeBound()
    min_updated_at = TimeBound()
    max_updated_at = TimeBound()
    offset = QueryInteger(load_default=0, validate=[NOT_NEGATIVE,
                                                    validate.Range(max=k.MAX_OFFSET, error=e.LIMIT_TOO_LARGE.code)])
    limit = QueryInteger(load_default=k.DEFAULT_LIMIT, metadata={"x-provenance": INFERRED},
                         validate=[NOT_NEGATIVE, validate.Range(max=k.MAX_LIMIT, error=e.LIMIT_TOO_LARGE.code)])
    ordering = Choice(k.ORDERINGS, load_default=k.DEFAULT_ORDERING, metadata={"x-provenance": INFERRED})


# -- responses --------------------------------------------------------------------------------
class AssetSchema(Schema):
    activated = fields.Boolean()
    balance = fields.Decimal(as_string=False)
    code = fields.String()
    minor_unit = fields.Integer()
    name = fields.String()
    platform = fields.String()
    stellar_code = fields.String()
    stellar_issuer = fields.String()


class AccountSchema(Schema):
    activated = fields.Boolean()
    assets = fields.List(fields.Nested(AssetSchema))
    assets_total = fields.Integer()
    blocked = fields.Boolean()
    customer_guid = fields.String()
    guid = fields.String(metadata={"description": "Same as wallet_account_guid."})
    iban = fields.String()
    name = fields.String()
    platform = fields.String()
    registered = fields.Boolean()
    type = fields.String(metadata={"description": "The account type's GUID."})
    wallet_account_guid = fields.String(metadata={"description": "Same as guid."})


class AccountCreatedSchema(Schema):
    wallet_account_guid = fields.String()


class AccountListSchema(Schema):
    accounts = fields.List(fields.Nested(AccountSchema), metadata={"x-provenance": INFERRED})
    total = fields.Integer()


class CustomerSchema(Schema):
    wallet_user_guid = fields.String()
    counterparty_guid = fields.String()
    login = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    surname = fields.String(allow_none=True)
    paternal_name = fields.String(allow_none=True)
    phone_number = fields.String(allow_none=True)
    kyc_level = fields.Integer()
    is_disabled = fields.Boolean()
    balance_allowed = fields.Decimal(as_string=False)
    balance_asset_code = fields.String(allow_none=True)
    balance_asset_issuer = fields.String(allow_none=True)
    branch_guid = fields.String(allow_none=True)
    segment = fields.String(allow_none=True)
    status = fields.String()
    created_at = fields.String(metadata={"format": "date-time"})
    updated_at = fields.String(metadata={"format": "date-time"})


class CustomerListSchema(Schema):
    customers = fields.List(fields.Nested(CustomerSchema), metadata={"x-provenance": INFERRED})
    total = fields.Integer()


class EmptySchema(Schema):
    """The update answer: an empty object."""


class ProzoraErrorSchema(Schema):
    error = fields.String(required=True)
