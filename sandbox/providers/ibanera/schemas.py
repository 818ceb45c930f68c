"""Marshmallow schemas of Ibanera's Managees module: they validate requests
(answering with the codes in errors.py) and describe responses; the OpenAPI
document is generated from them.

Field names are the documented JSON keys. Requests bind them
case-insensitively (the docs' own example mixes camelCase and PascalCase).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate, validates, validates_schema

from sandbox.core.errors import INFERRED
from sandbox.core.fields import (
    PRINTABLE_PATTERN,
    Choice,
    IsoDate,
    Msg,
    QueryInteger,
    StrictBoolean,
    StrictDecimal,
    choice_list,
    identifier,
    no_duplicates,
    not_blank,
)
from sandbox.core.fields import text as printable_text
from sandbox.core.schemas import ApiSchema, CaseInsensitiveKeys
from sandbox.providers.ibanera import constants as k
from sandbox.providers.ibanera import errors as e


class IbaneraSchema(CaseInsensitiveKeys, ApiSchema):
    """Every marshmallow message becomes an Ibanera messageCode: missing,
    null or blank -> Required, anything else a field does not name itself
    -> FALLBACK. Fields are reported PascalCase."""

    ERRORS = e.IbaneraError
    FALLBACK = e.INVALID_FORMAT
    MESSAGE_CODES: ClassVar = {
        Msg.REQUIRED: e.REQUIRED, Msg.NULL: e.REQUIRED, Msg.BLANK: e.REQUIRED, Msg.EMPTY: e.REQUIRED,
        Msg.TOO_LONG: e.INVALID_LENGTH, Msg.PATTERN: e.INVALID_FORMAT, Msg.DUPLICATE: e.DUPLICATE_ENTRIES,
        Msg.UNKNOWN: e.INVALID, Msg.TYPE: e.INVALID_JSON, Msg.CONTROL: e.INVALID_FORMAT, Msg.BAD_ID: e.INVALID_FORMAT,
    }
    #: .NET's [Required] treats a blank body field as absent; query strings are parsed as typed
    BLANK_IS_MISSING = True

    def report_field(self, key: str) -> str:
        return e.field_name(key)

    @pre_load
    def _blank_is_missing(self, data, **kwargs):
        """A whitespace-only string counts as absent, as .NET's [Required]
        treats it: required fields answer Required, optional ones take their
        default (a blank `?PageSize=` means the default page size)."""
        if not isinstance(data, Mapping) or not self.BLANK_IS_MISSING:
            return data
        return {key: value for key, value in data.items() if not (isinstance(value, str) and not value.strip())}


# What "blank" means to the server (str.strip(), as .NET's [Required] trims): these characters only.
WHITESPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: the document's pattern of a field that must not be blank: holds a character that is not whitespace
NOT_BLANK_PATTERN = f"[^{WHITESPACE}]"
#: the same for a required text field: printable (core.fields.PRINTABLE_PATTERN), and not blank
PRINTABLE_NOT_BLANK_PATTERN = (
    f"^{PRINTABLE_PATTERN[1:-2]}*[^\\x00-\\x1f\\x7f{WHITESPACE}]{PRINTABLE_PATTERN[1:-2]}*$"
)


def text(max_length: int, *, required: bool = True, pattern: str | None = None, **metadata):
    """core.fields.text; a required one documents that it must not be blank
    (a whitespace-only string counts as absent: Required)."""
    field = printable_text(max_length, required=required, pattern=pattern, **metadata)
    if required and pattern is None:
        field.metadata = {**field.metadata, "pattern": PRINTABLE_NOT_BLANK_PATTERN}
    return field


def not_blank_string(**metadata) -> fields.String:
    return fields.String(required=True, validate=not_blank,
                         metadata={"minLength": 1, "pattern": NOT_BLANK_PATTERN, **metadata})


def money(description: str = "USD") -> StrictDecimal:
    return StrictDecimal(required=True, metadata={"description": description})


def percentage() -> StrictDecimal:
    return StrictDecimal(
        required=True,
        validate=validate.Range(min=0, max=100, error=e.INVALID_PERCENTAGE.code),
        metadata={"description": "0..100; the four trading percentages add up to at most 100."},
    )


def agreement(description: str) -> StrictBoolean:
    return StrictBoolean(
        required=True,
        validate=validate.Equal(True, error=e.MUST_AGREE_TO_TERMS.code),
        metadata={"description": f"Must be true: {description}"},
    )


def country_code() -> fields.String:
    """nationalityISO, addressCountryISO: alpha-3 (documented), any letter case, among the scenario's countries."""
    return text(3, pattern=k.ISO3_PATTERN, enum=list(k.DEFAULT_SUPPORTED_COUNTRIES), **{"x-provenance": INFERRED},
                description="ISO 3166-1 alpha-3 (documented, e.g. USA). Inferred: any letter case is accepted (usa), "
                            "as a case-insensitive lookup would, and stored upper case; the supported countries are "
                            "the loaded scenario's (the docs say some are not supported, not which): the enum of the "
                            "document served at /ibanera/openapi.json lists them, openapi/ibanera.json lists the "
                            "default scenario's.")


def employer_field() -> fields.String:
    """employedCompanyName, employedJobTitle: required only of an employed managee (inferred: constants)."""
    return text(200, required=False, **{"x-provenance": INFERRED},
                description="Required when bActivelyEmployed is true, optional otherwise (inferred: the docs mark it "
                            "neither way, and a managee who is not employed has no employer to name).")


class ProofOfAddressFile(fields.String):
    """Base64 of a JPEG or PNG, no `data:` prefix. Only its kind, size and
    SHA-256 are kept, never the bytes."""

    def __init__(self, **kwargs):
        super().__init__(
            metadata={"pattern": k.PROOF_OF_ADDRESS_PATTERN,
                      "description": "Base64 of a JPEG or PNG image, without a data: prefix (the pattern: base64 "
                                     "beginning with PNG's or JPEG's magic bytes)."},
            **kwargs,
        )

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        try:
            raw = base64.b64decode(re.sub(r"\s+", "", value), validate=True)
        except (binascii.Error, ValueError):
            raise self.make_error("invalid") from None
        import filetype  # on the first proof of address, not at start-up

        kind = filetype.guess(raw)
        if kind is None or kind.mime not in k.PROOF_OF_ADDRESS_MIME_TYPES:
            raise self.make_error("invalid")
        return {"mimeType": kind.mime, "size": len(raw), "sha256": hashlib.sha256(raw).hexdigest()}


# -- requests --------------------------------------------------------------------
class LoginSchema(IbaneraSchema):
    # The one place the docs confirm "Required".
    MESSAGE_CODES: ClassVar = {
        **IbaneraSchema.MESSAGE_CODES,
        Msg.REQUIRED: e.LOGIN_REQUIRED, Msg.NULL: e.LOGIN_REQUIRED, Msg.BLANK: e.LOGIN_REQUIRED,
    }

    username = not_blank_string()
    password = not_blank_string()
    otp = not_blank_string(description="The manager's current 6-digit TOTP code (SHA-1, 30 s); the sandbox also "
                                       "takes 123456 unless --strict-otp. Another value is Invalid.")


class ManageeRules:
    """What validating a new managee needs from the state: the scenario's
    supported countries and whether the manager already uses an email."""

    def __init__(self, supported_countries, email_in_use):
        self.supported_countries = frozenset(supported_countries)
        self.email_in_use = email_in_use


#: what the create-managee declaration enforces beyond its schema, in words (OpenAPI cannot say it)
CREATE_MANAGEE_RULES = (
    "All errors of one request come back together, one per field. Nothing is stored on error. Beyond the schema: "
    "emailAddress must not be the email of one of the caller's managees yet (compared case-insensitively; "
    "Email_Already_Exists); nationalityISO and addressCountryISO must be among the loaded scenario's supported "
    "countries (the document served at /ibanera/openapi.json lists them in its enum; Nationality_Not_Supported, "
    "Country_Not_Supported); the four trading percentages add up to at most 100 (Invalid_Total_Percentage); "
    "dateOfBirth is not after today; proofOfAddressFile must decode to a JPEG or PNG image; when "
    "bActivelyEmployed is true, employedCompanyName and employedJobTitle are required (Required; inferred); a "
    "string of only whitespace counts as absent (Required when the field is required). A manageesReference used "
    "before is not refused (inferred). Field names bind case-insensitively. The managee starts Pending; its KYC "
    "is decided as the manager's kyc outcome says (PUT /_sandbox/ibanera/outcomes; manual by default, then "
    "POST /_sandbox/ibanera/managees/{managees_id}/verification decides), and the decision sends "
    "MANAGEE_JUMIO_COMPLETED then MANAGEE_KYC_UPDATED to the manager's webhook endpoint."
)
#: the same for linking a widget user
WIDGET_USER_RULES = (
    "Beyond the schema: the caller must have a widget client (Widget_Client_Not_Found); manageesId must be one of "
    "the caller's managees (Managee_Not_Found) whose verification is Accepted (Managee_Not_Verified) and that has "
    "no widget user yet (Widget_User_Already_Exists); widgetUserReference must not be used yet by the caller "
    "(compared case-insensitively; WidgetUserReference_Already_Used)."
)


class CreateManageeSchema(IbaneraSchema):
    """Validated against the state too: `context` is the caller's ManageeRules."""

    RAISES = (e.CURRENCY_NOT_SUPPORTED, e.NATIONALITY_NOT_SUPPORTED, e.COUNTRY_NOT_SUPPORTED, e.EMAIL_ALREADY_EXISTS,
              e.INVALID_TOTAL_PERCENTAGE, e.REQUIRED)

    emailAddress = fields.Email(required=True, validate=[not_blank, validate.Length(max=200, error=Msg.TOO_LONG)])
    manageesReference = text(100, **{"x-provenance": INFERRED}, description=(
        "Your unique reference for this managee (documented). The sandbox does not refuse one you used before "
        "(inferred: the create call's documented errors name none for it, while the widget-user call's name one "
        "for its reference); keeping it unique is yours to do."))
    fiatCurrencyCode = text(10, enum=sorted(k.SUPPORTED_CURRENCIES), **{"x-provenance": INFERRED},
                            description="Only USD is supported (documented). Any letter case is accepted (inferred: "
                                        "as a case-insensitive lookup would; stored upper case).")
    fullName = text(200)
    firstGivenName = text(100)
    lastSurname = text(100)
    addressLine1 = text(200)
    addressLine2 = text(200, required=False)
    townCity = text(100)
    stateProvince = text(1000)
    postcode = text(50)
    addressCountryISO = country_code()
    phoneNumber = text(100, example="+447729594017")
    dateOfBirth = IsoDate(required=True, past_only=True)
    taxNumber = text(100)
    nationalityISO = country_code()
    occupation = text(200, required=False, **{"x-provenance": INFERRED})
    sourceFundsTypes = choice_list(k.SOURCE_FUNDS_TYPES, provenance=INFERRED)
    otherSourceOfFunds = text(200, required=False, **{"x-provenance": INFERRED})
    estimatedNetWorth = money()
    estimatedGrossAnnualIncome = money()
    otherBanks = fields.List(text(200), required=True, validate=no_duplicates, metadata={
        "uniqueItems": True, "description": "Each bank once, compared case-insensitively."})
    bActivelyEmployed = StrictBoolean(required=True)
    employedCompanyName = employer_field()
    employedJobTitle = employer_field()
    purposeOfOpeningAccountTypes = choice_list(k.PURPOSE_OF_OPENING_ACCOUNT_TYPES, provenance=INFERRED)
    monthlyTurnover = money()
    anticipatedTransactionActivity = money("USD, next 12 months")
    purchaseCryptoMonthlyVolume = money("count")
    purchaseCryptoAverageAmount = money()
    purchaseCryptoTotalAmountPerMonth = money()
    sellingCryptoMonthlyVolume = money("count")
    sellingCryptoAverageAmount = money()
    sellingCryptoTotalAmountPerMonth = money()
    totalMonthlyVolume = money("count")
    totalAverageAmount = money()
    totalMonthlyAmount = money()
    btcTradingPercentage = percentage()
    ethTradingPercentage = percentage()
    usdcTradingPercentage = percentage()
    otherCoinsTradingPercentage = percentage()
    bIrsTax = agreement("up to date with IRS filing.")
    bForeignAccountTax = agreement("FATCA compliant.")
    bNotCriminal = agreement("no criminal conduct or proceeds.")
    bAccurateInfo = agreement("the information is accurate.")
    proofOfAddressFile = ProofOfAddressFile(required=True)
    proofOfAddressType = Choice(k.PROOF_OF_ADDRESS_TYPES, required=True)

    @validates("fiatCurrencyCode")
    def _currency_supported(self, value, **kwargs):
        if value.upper() not in k.SUPPORTED_CURRENCIES:
            raise ValidationError(e.CURRENCY_NOT_SUPPORTED.code)

    @validates("nationalityISO")
    def _nationality_supported(self, value, **kwargs):
        if value.upper() not in self.context.supported_countries:
            raise ValidationError(e.NATIONALITY_NOT_SUPPORTED.code)

    @validates("addressCountryISO")
    def _country_supported(self, value, **kwargs):
        if value.upper() not in self.context.supported_countries:
            raise ValidationError(e.COUNTRY_NOT_SUPPORTED.code)

    @validates("emailAddress")
    def _email_unused(self, value, **kwargs):
        if self.context.email_in_use(value):
            raise ValidationError(e.EMAIL_ALREADY_EXISTS.code)

    @validates_schema(skip_on_field_errors=False)
    def _cross_field_rules(self, data, **kwargs):
        errors = {}
        shares = [data.get(name) for name in k.TRADING_PERCENTAGE_FIELDS]
        if all(s is not None for s in shares) and sum(shares, Decimal(0)) > 100:
            errors[e.INVALID_TOTAL_PERCENTAGE.field] = [e.INVALID_TOTAL_PERCENTAGE.code]
        if data.get("bActivelyEmployed") is True:
            for name in k.EMPLOYER_FIELDS:
                if name in data and data[name] is None:
                    errors[name] = [e.REQUIRED.code]
        if errors:
            raise ValidationError(errors)


class PageQuerySchema(IbaneraSchema):
    """Query parameters: ASCII integers in range; a blank value is invalid;
    unknown parameters (a cache-buster `?_=1`) are ignored, as ASP.NET does
    (inferred)."""

    FALLBACK = e.INVALID
    BLANK_IS_MISSING = False

    class Meta:
        unknown = EXCLUDE

    PageNumber = QueryInteger(load_default=1, validate=validate.Range(min=1, max=k.MAX_ID, error=e.INVALID.code))
    PageSize = QueryInteger(
        load_default=k.DEFAULT_PAGE_SIZE, validate=validate.Range(min=1, max=k.MAX_PAGE_SIZE, error=e.INVALID.code)
    )


class ManageeAccountsQuerySchema(PageQuerySchema):
    ManageesId = QueryInteger(load_default=None, validate=validate.Range(min=1, max=k.MAX_ID, error=e.INVALID.code))
    Asset = fields.String(load_default=None, validate=validate.Length(min=1, max=10, error=e.INVALID.code))


class CreateWidgetUserSchema(IbaneraSchema):
    manageesId = identifier(k.MAX_ID, required=True)
    widgetUserReference = text(100)


class SimulatePayinSchema(IbaneraSchema):
    FALLBACK = e.INVALID
    DestinationAccountId = identifier(k.MAX_ID, required=True)
    TransferType = Choice(k.TRANSFER_TYPES, required=True)
    Amount = StrictDecimal(
        required=True, max_places=k.MONEY_PLACES,
        validate=validate.Range(min=0, min_inclusive=False, max=k.MAX_PAYIN, error=e.INVALID.code),
        metadata={"exclusiveMinimum": True,  # apispec drops min_inclusive=False
                  "description": f"USD, more than 0, at most {k.MONEY_PLACES} decimal places (inferred)."},
    )
    Name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200, error=e.INVALID.code))
    Reference = fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(max=100, error=e.INVALID.code))


class SetVerificationSchema(IbaneraSchema):
    FALLBACK = e.INVALID
    status = Choice(k.DECIDED_STATUSES, required=True)
    rejectReason = fields.String(load_default=None, allow_none=True,
                                 validate=validate.Length(max=500, error=e.INVALID.code))


# -- responses (documentation, and the shape the handlers return) -----------------
class IbaneraErrorItemSchema(Schema):
    fieldName = fields.String(metadata={"description": "The request field or processing step that failed."})
    messageCode = fields.String(metadata={"description": "See x-error-codes on each response for the values."})


class IbaneraErrorEnvelopeSchema(Schema):
    id = fields.Integer(metadata={"example": 0})
    details = fields.Raw(allow_none=True, metadata={"nullable": True, "example": None})
    status = fields.String(metadata={"enum": ["0"]})
    errors = fields.List(fields.Nested(IbaneraErrorItemSchema))


def envelope_schema(name: str, details, *, paged: bool = False) -> type[Schema]:
    """The success envelope around `details` (a field), named for OpenAPI."""
    # Key order as the docs show it: id, details, [paging], status, errors.
    attrs = {
        "id": fields.Integer(metadata={"description": "Id of the entity modified, or 0."}),
        "details": details,
    }
    if paged:
        attrs |= {"pageSize": fields.Integer(), "pageNumber": fields.Integer(), "numberOfPages": fields.Integer()}
    attrs |= {
        "status": fields.String(metadata={"enum": ["1"]}),
        "errors": fields.List(fields.Nested(IbaneraErrorItemSchema), metadata={"maxItems": 0}),
    }
    return Schema.from_dict(attrs, name=name)


class LoginDetailsSchema(Schema):
    accessToken = fields.String()
    expiresIn = fields.Integer(metadata={"description": "Seconds"})
    refreshToken = fields.String()
    refreshTokenExpiresIn = fields.Integer(metadata={"description": "Seconds"})


class CreatedManageeSchema(Schema):
    manageesId = fields.Integer()
    jumioLink = fields.String(metadata={"format": "uri", "description": "The docs type it Integer; it is a URL."})
    verificationStatus = fields.String(metadata={"enum": list(k.VERIFICATION_STATUSES), "x-provenance": INFERRED})


class ManageeItemSchema(Schema):
    manageesId = fields.Integer()
    manageesReference = fields.String()
    name = fields.String()
    addDate = fields.String(metadata={"example": "2022-10-03T10:59:04.213"})
    verificationStatus = fields.String(metadata={"enum": list(k.VERIFICATION_STATUSES)})
    widgetUserReference = fields.String(allow_none=True, metadata={"nullable": True})


class ManageeAccountSchema(Schema):
    id = fields.Integer()
    manageesId = fields.Integer()
    name = fields.String()
    routingNumber = fields.String(metadata={"example": "021214891"})
    accountNumber = fields.String(metadata={"example": "357901009807"})
    asset = fields.String(metadata={"example": "USD"})
    totalBalance = fields.Float()
    availableBalance = fields.Float()
    pendingBalance = fields.Float()
    bSuppressed = fields.Boolean()
    dateAdded = fields.String(metadata={"example": "2022-07-07T16:33:08.413+00:00"})


class VerificationSchema(Schema):
    manageesId = fields.Integer()
    verificationStatus = fields.String(metadata={"enum": list(k.VERIFICATION_STATUSES)})
    acceptDate = fields.String(allow_none=True, metadata={"nullable": True})
    rejectDate = fields.String(allow_none=True, metadata={"nullable": True})
    rejectReason = fields.String(allow_none=True, metadata={"nullable": True})


LoginResponseSchema = envelope_schema("LoginResponse", fields.Nested(LoginDetailsSchema))
CreateManageeResponseSchema = envelope_schema("CreateManageeResponse", fields.Nested(CreatedManageeSchema))
ManageeListResponseSchema = envelope_schema(
    "ManageeListResponse", fields.List(fields.Nested(ManageeItemSchema)), paged=True
)
ManageeAccountListResponseSchema = envelope_schema(
    "ManageeAccountListResponse", fields.List(fields.Nested(ManageeAccountSchema)), paged=True
)
VerificationResponseSchema = envelope_schema("VerificationResponse", fields.Nested(VerificationSchema))


class SuccessNoDetailsSchema(Schema):
    """Success without a payload: the documented body is {"id":0,"status":"1","errors":[]}."""

    id = fields.Integer()
    status = fields.String(metadata={"enum": ["1"]})
    errors = fields.List(fields.Nested(IbaneraErrorItemSchema), metadata={"maxItems": 0})
