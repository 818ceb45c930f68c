"""Weavr's request schemas, field by field from the spec (Multi v3 and the
simulator), the field builders they are made of, and the bases that turn
their failures into Weavr's 400 bodies.

Each constraint of the spec (maxLength/minLength, pattern, minimum/maximum,
enum) becomes a marshmallow validator whose message maps to the spec's
`error` value (SIZE, REGEX, RANGE, IN); apispec documents the same
constraints back.

What the spec's types say and the sandbox holds to: a field is null only
where the spec says it may be (nowhere): null is REQUIRED for a required
field, REGEX for another. What text the sandbox takes, everywhere: no
control character (core's rule, `no_control_characters`; REGEX), documented
as the pattern PRINTABLE_PATTERN where the spec gives none. Values that
cannot exist are refused as well: a date that is not in the calendar, an
ipAddress that is not an IP address, an email past RFC 5321's lengths."""

from __future__ import annotations

import calendar
import ipaddress
import re
from collections.abc import Mapping
from datetime import date
from typing import ClassVar

from marshmallow import EXCLUDE, ValidationError, fields, validate, validates_schema

from sandbox.core.errors import INFERRED, Problem
from sandbox.core.fields import (
    PRINTABLE_PATTERN,
    Msg,
    StrictBoolean,
    StrictInteger,
    no_control_characters,
    not_blank,
)
from sandbox.core.schemas import ApiSchema, first_message
from sandbox.providers.weavr import constants as k
from sandbox.providers.weavr import errors as e
from sandbox.providers.weavr import events as ev

# -- field builders --------------------------------------------------------------------------------
SIZE, RANGE, IN = "size", "range", "in"  # messages of our validators (Msg has the rest)
#: a blank string holding no control character, as a pattern (the document's, where the spec gives none)
PRINTABLE_TEXT = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"


class Bounded(str):
    """A message with its own params: a bound that depends on other fields
    (the last day of a month), which the field's validators cannot give."""

    params: tuple[str, ...] = ()


def bounded(message: str, *params: str) -> Bounded:
    found = Bounded(message)
    found.params = params
    return found


class Pattern(validate.Regexp):
    """The spec's pattern with JSON Schema's meaning: `$` ends the string (in
    Python it also matches before a final newline). Documented as written."""

    def __init__(self, pattern: str):
        super().__init__(pattern, error=Msg.PATTERN)
        self._whole = re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)

    def __call__(self, value):
        if self._whole.search(value) is None:
            raise validate.ValidationError(self._format_error(value))
        return value


def string(*, required: bool = False, min: int | None = None, max: int | None = None, pattern: str | None = None,
           has_text: bool = False, validators: tuple = (), **metadata) -> fields.String:
    """A string of printable text (no control character), never null."""
    checks = [not_blank] if has_text else []
    checks.append(no_control_characters)
    if not pattern:  # blank (has_text): HAS_TEXT; a control character: REGEX
        metadata.setdefault("pattern", PRINTABLE_TEXT if has_text else PRINTABLE_PATTERN)
    if min is not None or max is not None:
        checks.append(validate.Length(min=min, max=max, error=SIZE))
    if pattern:
        checks.append(Pattern(pattern))
    return fields.String(required=required, validate=[*checks, *validators], metadata=metadata)


def _email_lengths(value: str) -> None:
    """[spec] format: email, so RFC 5321's lengths: the local part at most 64 characters."""
    if len(value.rpartition("@")[0]) > k.EMAIL_LOCAL_MAX:
        raise ValidationError(Msg.INVALID)


def email(*, required: bool = False) -> fields.Email:
    """An address (format: email [spec]) within RFC 5321's lengths, with no control character."""
    return fields.Email(required=required, validate=[validate.Length(max=k.EMAIL_MAX, error=SIZE), _email_lengths,
                                                     no_control_characters])


def _ip_address(value: str) -> None:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ValidationError(Msg.INVALID) from None


def ip_address() -> fields.String:
    """[inferred] The spec says only 5-45 characters: the sandbox takes an IPv4 or IPv6 address (45 is the
    longest IPv6 text), and documents it so."""
    return fields.String(required=True, validate=[no_control_characters, validate.Length(min=5, max=45, error=SIZE),
                                                  _ip_address], metadata={
        "anyOf": [{"format": "ipv4"}, {"format": "ipv6"}], "x-provenance": INFERRED,
        "description": "The IP address of the user doing the registration: IPv4 or IPv6 (inferred: the spec gives "
                       "only its length)."})


def digits(*, required: bool = False, **metadata) -> fields.String:
    return string(required=required, pattern=k.DIGITS, **metadata)


def one_of(choices, *, required: bool = False, **metadata) -> fields.String:
    return fields.String(required=required, validate=validate.OneOf(choices, error=IN), metadata=metadata)


def integer(minimum: int = k.INT64_MIN, maximum: int = k.INT64_MAX, *, required: bool = False,
            **metadata) -> StrictInteger:
    return StrictInteger(required=required, validate=validate.Range(min=minimum, max=maximum, error=RANGE),
                         metadata=metadata)


def boolean(**metadata) -> StrictBoolean:
    return StrictBoolean(metadata=metadata)


def nested(schema, *, required: bool = False, **metadata) -> fields.Nested:
    return fields.Nested(schema, required=required, metadata=metadata)


def bounds(field_obj: fields.Field, message: str) -> list[str]:
    """The `params` Weavr gives with an error: [min, max] of a SIZE or RANGE
    ("_" for no bound, as the spec's x-fieldValidation writes it), the
    allowed values of IN."""
    for v in getattr(field_obj, "validators", ()):
        if message == SIZE and isinstance(v, validate.Length):
            return ["_" if v.min is None else str(v.min), "_" if v.max is None else str(v.max)]
        if message == RANGE and isinstance(v, validate.Range):
            return [str(v.min), str(v.max)]
        if message == IN and isinstance(v, validate.OneOf):
            return [str(c) for c in v.choices]
    return []


# -- the bases ------------------------------------------------------------------------------
class WeavrSchema(ApiSchema):
    """A Multi request. Unknown fields are ignored (the spec allows additional
    properties); null is no field's value (the spec's types are not nullable)."""

    ERRORS = e.WeavrError
    FALLBACK = e.REGEX
    MESSAGE_CODES: ClassVar = {
        Msg.REQUIRED: e.REQUIRED, Msg.NULL: e.REQUIRED, Msg.BLANK: e.HAS_TEXT, SIZE: e.SIZE, RANGE: e.RANGE,
        IN: e.IN, Msg.PATTERN: e.REGEX, Msg.INVALID: e.REGEX, Msg.TYPE: e.REGEX, Msg.CONTROL: e.REGEX,
    }

    class Meta:
        unknown = EXCLUDE

    def problems(self, messages: Mapping) -> list[Problem]:
        """One problem per field at fault: `fieldName` is the leaf name; `params`
        the parent path for REQUIRED (as Weavr reports `password.value`), the
        bounds for SIZE/RANGE, the allowed values for IN."""
        found: list[Problem] = []
        _collect(self, messages, (), found)
        return found


class SimulatorSchema(WeavrSchema):
    """A simulator request: the same checks, reported in ClientInvalidRequest."""

    FALLBACK = e.SIM_FIELD["REGEX"]
    MESSAGE_CODES: ClassVar = {message: e.SIM_FIELD[c.code] for message, c in WeavrSchema.MESSAGE_CODES.items()}


def _collect(schema, messages: Mapping, path: tuple[str, ...], found: list[Problem]) -> None:
    for key, value in messages.items():
        if key == "_schema":  # the nested object itself is wrong (not an object): named by its field,
            named = path  # or, for an array item, by its array
            while named and named[-1].isdigit():
                named = named[:-1]
            _leaf(schema, None, value, named[:-1], named[-1] if named else "", found)
            continue
        field_obj = schema.fields.get(key) if schema is not None else None
        if isinstance(value, Mapping):
            if isinstance(field_obj, fields.Nested):
                _collect(field_obj.schema, value, (*path, str(key)), found)
            elif isinstance(field_obj, fields.List):  # {index: messages}
                inner = field_obj.inner
                for index, item in value.items():
                    item_path = (*path, str(key), str(index))
                    if isinstance(item, Mapping) and isinstance(inner, fields.Nested):
                        _collect(inner.schema, item, item_path, found)
                    else:  # an item of the wrong kind: reported under the array's name
                        _leaf(schema, inner, item, path, str(key), found)
            else:
                _collect(None, value, (*path, str(key)), found)
        else:
            _leaf(schema, field_obj, value, path, str(key), found)


def _leaf(schema, field_obj, value, parents: tuple[str, ...], name: str, found: list[Problem]) -> None:
    _, message = first_message(value)
    owner = schema if isinstance(schema, ApiSchema) else _ROOT
    condition = owner.resolve(message)
    if message == Msg.NULL and field_obj is not None and not field_obj.required:
        condition = owner.FALLBACK  # null where a value may be absent: the wrong type, not a missing value
    if condition.code == "REQUIRED":
        params = [".".join(parents)] if parents else []
    elif isinstance(message, Bounded):
        params = list(message.params)
    else:
        params = bounds(field_obj, message) if field_obj is not None else []
    found.append(Problem(condition, name, {"values": params}))


# -- shared parts [spec] -------------------------------------------------------------------
class MobileSchema(WeavrSchema):
    countryCode = string(required=True, min=1, max=4, pattern=k.MOBILE_COUNTRY_CODE)
    number = string(required=True, pattern=k.MOBILE_NUMBER)


class DateSchema(WeavrSchema):
    """A date that is in the calendar (no 30 February): the day past its month's end is RANGE [1, last day]."""

    year = integer(1900, 2100, required=True)
    month = integer(1, 12, required=True)
    day = integer(1, 31, required=True, description="At most the month's last day.")

    @validates_schema
    def _in_the_calendar(self, data, **kwargs):
        try:
            date(data["year"], data["month"], data["day"])
        except ValueError:
            last = calendar.monthrange(data["year"], data["month"])[1]
            raise ValidationError(bounded(RANGE, "1", str(last)), "day") from None


class AddressSchema(WeavrSchema):
    """AddressWithCountryRequired."""

    addressLine1 = string()
    addressLine2 = string()
    city = string()
    postCode = string(max=10, pattern=k.POST_CODE)
    state = string(max=50)
    country = string(required=True, min=2, max=2, pattern=k.COUNTRY)


def tag_field():
    return string(max=50, pattern=k.TAG)


def currency(*, required: bool = False):
    return string(required=required, min=3, max=3, pattern=k.CURRENCY)


# -- consumers ------------------------------------------------------------------------------
class CreateRootUserSchema(WeavrSchema):
    name = string(required=True, max=50, has_text=True)  # blank: HAS_TEXT [inferred]
    surname = string(required=True, max=50, has_text=True)
    email = email(required=True)
    mobile = nested(MobileSchema, required=True)
    dateOfBirth = nested(DateSchema, required=True)
    occupation = one_of(k.OCCUPATIONS, deprecated=True)
    address = nested(AddressSchema, required=True)
    placeOfBirth = string()
    nationality = string(min=2, max=2, pattern=k.COUNTRY)
    tag = tag_field()
    locale = string(max=5, pattern=k.LOCALE)
    brand = string(max=25, pattern=k.BRAND)


class ConsumerCreateSchema(WeavrSchema):
    RAISES = (e.PROFILE_NOT_FOUND, e.ROOT_EMAIL_NOT_UNIQUE, e.CURRENCY_UNSUPPORTED, e.FEE_GROUP_INVALID,
              e.COUNTRY_INVALID, e.COUNTRY_UNSUPPORTED, e.EMAIL_DOMAIN_NOT_ALLOWED, e.MOBILE_OR_COUNTRY_CODE_INVALID)

    profileId = digits(required=True)
    tag = tag_field()
    rootUser = nested(CreateRootUserSchema, required=True)
    ipAddress = ip_address()
    acceptedTerms = boolean(deprecated=True)
    baseCurrency = currency()
    feeGroup = string()
    sourceOfFunds = one_of(k.SOURCES_OF_FUNDS, deprecated=True)
    sourceOfFundsOther = string(deprecated=True)


class ConsumerUpdateSchema(WeavrSchema):
    tag = tag_field()
    name = string(max=20, pattern=k.UPDATE_NAME)
    surname = string(max=20, pattern=k.UPDATE_NAME)
    email = email()
    mobile = nested(MobileSchema)
    dateOfBirth = nested(DateSchema)
    address = nested(AddressSchema)
    feeGroup = string()
    baseCurrency = currency()
    occupation = one_of(k.OCCUPATIONS, deprecated=True)
    sourceOfFunds = one_of(k.SOURCES_OF_FUNDS, deprecated=True)
    sourceOfFundsOther = string(deprecated=True)
    placeOfBirth = string()
    nationality = string(min=2, max=2, pattern=k.COUNTRY)
    resetMobileCounter = boolean()
    userTag = tag_field()
    locale = string(max=5, pattern=k.LOCALE)
    brand = string(max=25, pattern=k.BRAND)


class EmailSchema(WeavrSchema):
    email = email(required=True)


class EmailVerifySchema(WeavrSchema):
    email = email(required=True)
    verificationCode = string(required=True, pattern=k.VERIFICATION_CODE, example=k.SANDBOX_VERIFICATION_CODE)


class PrefillDetailSchema(WeavrSchema):
    name = string()
    value = string()


class KycStartSchema(WeavrSchema):
    kycLevel = one_of(k.KYC_LEVELS, deprecated=True)
    prefillDetails = fields.List(fields.Nested(PrefillDetailSchema))


class InstrumentIdSchema(WeavrSchema):
    id = digits(required=True)
    type = one_of(k.INSTRUMENT_TYPES, required=True)


class FeeSchema(WeavrSchema):
    feeType = string(required=True, example="PRINTED_CARD_ACCOUNT_STATEMENT")
    source = nested(InstrumentIdSchema, required=True)


# -- passwords and tokens -------------------------------------------------------------------
class SensitivePasswordSchema(WeavrSchema):
    value = string(required=True, max=100, format="password")


class PasswordCreateSchema(WeavrSchema):
    password = nested(SensitivePasswordSchema, required=True)


class LoginSchema(WeavrSchema):
    email = email(required=True)
    password = nested(SensitivePasswordSchema, required=True)


class IdentityIdSchema(WeavrSchema):
    type = one_of(("CONSUMER", "CORPORATE"), required=True)
    id = digits(required=True)


class AccessTokenSchema(WeavrSchema):
    identity = nested(IdentityIdSchema, required=True)
    clientAssertion = string()
    token = string()


# -- simulator -------------------------------------------------------------------------------
class CurrencyAmountSchema(SimulatorSchema):
    currency = currency(required=True)
    amount = integer()


class IbanDetailsByIdSchema(SimulatorSchema):
    iban = string(required=True, min=15, max=34, pattern=r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
    bankIdentifierCode = string(min=8, max=11, pattern=r"^[a-zA-Z0-9]{4}[a-zA-Z]{2}[a-zA-Z0-9]{2}[a-zA-Z0-9]{0,3}$")


class FasterPaymentsBankDetailsSchema(SimulatorSchema):
    accountNumber = string(required=True, min=8, max=8, pattern=r"^[0-9]{8}$")
    sortCode = string(required=True, min=6, max=6, pattern=r"^[0-9]{6}$")


class AccountDescriptorSchema(SimulatorSchema):
    accountDescriptor = string(required=True, max=50)


class DepositByAccountIdSchema(SimulatorSchema):
    depositAmount = nested(CurrencyAmountSchema, required=True)
    senderName = string()
    reference = string()
    receiverName = string()
    txId = integer()
    senderIban = string(max=50, pattern=r"^[a-zA-Z0-9_-]+$")
    sepa = nested(IbanDetailsByIdSchema)
    fasterPayments = nested(FasterPaymentsBankDetailsSchema)
    accountDescriptor = nested(AccountDescriptorSchema)
    paymentNetwork = one_of(k.PAYMENT_NETWORKS)


class IbanDetailsSchema(SimulatorSchema):
    iban = string(required=True, pattern=r"^[A-Z0-9]*$")
    bankIdentifierCode = string(pattern=r"^[A-Z0-9]*$")


class FasterPaymentsDetailsSchema(SimulatorSchema):
    sortCode = string(required=True, min=6, max=6, pattern=r"^[0-9]*$")
    accountNumber = string(required=True, pattern=r"^[0-9]*$")
    secondaryReference = string()


class DepositSchema(SimulatorSchema):
    iban = string(deprecated=True)
    paymentReference = string()
    depositAmount = nested(CurrencyAmountSchema, required=True)
    senderName = string()
    reference = string()
    receiverName = string()
    txId = integer()
    senderIbanDetails = nested(IbanDetailsSchema)
    senderFasterPaymentsDetails = nested(FasterPaymentsDetailsSchema)
    senderAccountDescriptorDetails = nested(AccountDescriptorSchema)
    destinationIbanDetails = nested(IbanDetailsSchema)
    destinationFasterPaymentsDetails = nested(FasterPaymentsDetailsSchema)
    paymentNetwork = one_of(k.PAYMENT_NETWORKS)


# -- sandbox controls -------------------------------------------------------------------------
class KycDecisionSchema(WeavrSchema):
    status = one_of(k.SANDBOX_KYC_TARGETS, required=True)
    details = fields.List(one_of(ev.KYC_REJECTION_REASONS), metadata={
        "description": f"With REJECTED: the KycEvent's `details` (default [{ev.DEFAULT_REJECTION}]); ignored "
                       f"otherwise."})
    rejectionComment = string(max=255, description="With REJECTED: the KycEvent's `rejectionComment`; ignored "
                                                   "otherwise.")


class ManagedAccountCreateSchema(WeavrSchema):
    currency = currency(required=True)
    balance = integer(0, k.INT64_MAX, description="Opening balance in minor units.")


_ROOT = WeavrSchema()
