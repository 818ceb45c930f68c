"""Request schemas of P100's User Operations (every failure is P403
naming the field, or P410 for a currency) and the response schemas the
OpenAPI document shows. Field names are the documented JSON keys."""

from __future__ import annotations

import decimal
import numbers
import re
from typing import ClassVar

import pycountry
from marshmallow import INCLUDE, Schema, ValidationError, fields, validate, validates_schema
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from sandbox.core.fields import (
    PRINTABLE_PATTERN,
    Choice,
    IsoDate,
    Msg,
    QueryInteger,
    StrictBoolean,
    decimal_from_text,
    no_control_characters,
    not_blank,
    text,
)
from sandbox.core.schemas import ApiSchema
from sandbox.providers.p100 import constants as k
from sandbox.providers.p100 import errors as e

#: ISO 3166-1 alpha-2, as pycountry knows them (the document lists them: "XX" is not a country)
COUNTRIES = sorted(country.alpha_2 for country in pycountry.countries)
# printable and not blank (at least one character that is not white space): what `text` and `optional`
# enforce (not_blank strips str.isspace characters, which is what \S excludes), as the document says it
NOT_BLANK = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"
AMOUNT_TEXT = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,18})?$", re.ASCII)  # ASCII digits: not "١٠", not "１０"
#: the rule on every amount (services.money.amount_fits), said once: on the amount field, so on every amount
AMOUNT_DECIMALS = "An amount takes at most its currency's decimals (eur 2, btc 8, usdc 6, ...: P403)."


class P100Schema(ApiSchema):
    ERRORS = e.P100Error
    FALLBACK = e.VALIDATION
    MESSAGE_CODES: ClassVar = {}


class Amount(fields.Field):
    """A positive amount, as a JSON number (10, 0.005) or a decimal string
    ("346.59"): the docs use both. Never a float in memory. Its description
    says the rule the money service holds every amount to (P403)."""

    default_error_messages = {"invalid": Msg.INVALID}

    def __init__(self, *, allow_zero: bool = False, **kwargs):
        self.allow_zero = allow_zero
        metadata = {"oneOf": [{"type": "number"}, {"type": "string", "pattern": AMOUNT_TEXT.pattern}],
                    "example": "10.00", "description": AMOUNT_DECIMALS, **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, str):
            amount = decimal_from_text(value) if AMOUNT_TEXT.fullmatch(value) else None
            if amount is None:
                raise self.make_error("invalid")
        elif isinstance(value, numbers.Number):
            try:
                amount = decimal.Decimal(str(value)) if isinstance(value, float) else decimal.Decimal(value)
            except (decimal.InvalidOperation, ValueError):
                raise self.make_error("invalid") from None
        else:
            raise self.make_error("invalid")
        if not amount.is_finite() or amount > k.MAX_AMOUNT or amount < 0 or (amount == 0 and not self.allow_zero):
            raise self.make_error("invalid")
        return amount

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(value)


def amount_field(**kwargs) -> Amount:
    return Amount(required=True, **kwargs)


def currency_field(choices=k.CURRENCIES, **kwargs) -> Choice:
    """A currency slug (any case, answered lower-case); unknown ones are P410."""
    return Choice(choices, error_messages={"invalid": e.INVALID_CURRENCY.code}, **kwargs)


def iso_country(value) -> None:
    if pycountry.countries.get(alpha_2=value) is None or not value.isupper():
        raise ValidationError(Msg.INVALID)


def country_code(required: bool = True) -> fields.String:
    """An ISO 3166-1 alpha-2 code, upper case (pycountry's list; P403 names the field)."""
    field = text(2, required=required, enum=COUNTRIES if required else [*COUNTRIES, None])  # OpenAPI 3.0: null
    field.metadata.pop("pattern", None)
    field.validators.append(iso_country)
    return field


#: printable, not blank, and no / or \\ (the rule k.UNADDRESSABLE_USER_IDS completes)
ADDRESSABLE_PATTERN = r"^[^/\\\x00-\x1f\x7f]*[^\s/\\\x00-\x1f\x7f][^/\\\x00-\x1f\x7f]*$"
ADDRESSABLE = ("It travels in paths afterwards (/v1/user/balances/{externalUserId}, ...), so it is one path segment "
               "a client can send: no / or \\, not . or .., and not " + " or ".join(k.RESERVED_USER_IDS)
               + " (the fixed segment of another endpoint there); inferred (P403).")


def addressable(value) -> None:
    if isinstance(value, str) and not k.addressable(value):
        raise ValidationError("cannot travel in a path")


def new_external_id() -> fields.String:
    """The externalUserId of a new user: it must be addressable afterwards (P403)."""
    field = text(100, pattern=ADDRESSABLE_PATTERN, description=ADDRESSABLE)
    field.metadata["not"] = {"enum": list(k.UNADDRESSABLE_USER_IDS)}
    field.validators.append(addressable)
    return field


#: [inferred] a phone as the docs show it (486012334567): the international number in ASCII digits, with an
#: optional +, 5 to 15 digits (E.164's longest); no spaces, no other script's digits
PHONE = r"^\+?[0-9]{5,15}$"


PHONE_RULE = ("The international number in ASCII digits: an optional + and 5 to 15 digits (inferred from the "
              "docs' example 486012334567).")


def phone() -> fields.String:
    """An optional phone (PHONE); absent stays absent (Update Existing User changes only what is sent)."""
    return fields.String(validate=[no_control_characters, validate.Regexp(PHONE, error=Msg.PATTERN)],
                         metadata={"pattern": PHONE, "description": PHONE_RULE, "example": "486012334567"})


def optional(max_length: int) -> fields.String:
    """An optional string that, when absent, stays absent (an update changes only what is sent)."""
    return fields.String(validate=[not_blank, no_control_characters,
                                   validate.Length(max=max_length, error=Msg.TOO_LONG)],
                         metadata={"pattern": NOT_BLANK})


def external_id(**metadata) -> fields.String:
    return text(100, **metadata)


class IbanField(fields.String):
    """An IBAN, checked by schwifty (country format and check digits)."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        try:
            return str(IBAN(value))
        except SchwiftyException:
            raise self.make_error("invalid") from None


# -- users ---------------------------------------------------------------------------------------------------
class CreateUserSchema(P100Schema):
    externalUserId = new_external_id()
    email = fields.Email(required=True, validate=validate.Length(max=254, error=Msg.TOO_LONG))
    phone = phone()
    firstName = text(100)
    lastName = text(100)
    street = text(200, required=False)
    number = text(50, required=False)
    city = text(100, required=False)
    postCode = text(20, required=False)
    country = country_code()
    citizenship = country_code()
    nationality = country_code(required=False)
    birthCountry = country_code(required=False)
    birthDate = IsoDate(past_only=True, load_default=None, allow_none=True)
    userIdentificationNumber = text(50, required=False)
    hasAcceptedP100Tc = StrictBoolean(required=True, validate=validate.Equal(True, error=Msg.INVALID),
                                      metadata={"description": "Must be true."})


class UpdateUserSchema(P100Schema):
    """Contact and address data only: country and identity data cannot change (P403 names the field)."""

    externalUserId = external_id()
    email = fields.Email(validate=validate.Length(max=254, error=Msg.TOO_LONG))
    phone = phone()
    street = optional(200)
    number = optional(50)
    city = optional(100)
    postCode = optional(20)


class CreateKycVerificationSchema(P100Schema):
    externalUserId = external_id()
    documentType = Choice(k.DOCUMENT_TYPES, required=True)
    country = country_code()
    incomeSource = Choice(k.INCOME_SOURCES, required=True)
    openAccountReason = Choice(k.OPEN_ACCOUNT_REASONS, required=True)
    taxId = text(50, required=False)
    occupation = Choice(k.OCCUPATIONS, load_default=None, allow_none=True)
    additionalInfo = text(500, required=False)

    @validates_schema
    def _conditional(self, data, **kwargs):
        source = data["incomeSource"]
        if source == "BUSINESS_ACTIVITY" and not data.get("taxId"):
            raise ValidationError(Msg.REQUIRED, field_name="taxId")
        if source == "SALARY" and not data.get("occupation"):
            raise ValidationError(Msg.REQUIRED, field_name="occupation")
        if source in k.ADDITIONAL_INFO_SOURCES and not data.get("additionalInfo"):
            raise ValidationError(Msg.REQUIRED, field_name="additionalInfo")


class UserVerificationSchema(P100Schema):
    externalUserId = external_id()
    documentType = Choice(k.DOCUMENT_TYPES, required=True)
    documentNumber = text(50)
    documentIssueDate = IsoDate(past_only=True, load_default=None, allow_none=True)
    documentExpiryDate = IsoDate(load_default=None, allow_none=True)


# -- money -----------------------------------------------------------------------------------------------
class RateQuerySchema(P100Schema):
    currencyFrom = currency_field(required=True)
    currencyTo = currency_field(required=True)
    amount = amount_field()
    externalUserId = text(100, required=False, description="The user whose exchange pair is asked for "
                          "(documented: \"rates for user-specific exchange pairs\"; the name is inferred): one of "
                          "this API key's users (P412). The sandbox's rates are the same for every user.")


class LockQuerySchema(RateQuerySchema):
    externalUserId = external_id()


class HistoryQuerySchema(P100Schema):
    page = QueryInteger(load_default=1, validate=validate.Range(min=1, max=1_000_000, error=Msg.INVALID))
    limit = QueryInteger(load_default=k.DEFAULT_HISTORY_LIMIT,
                         validate=validate.Range(min=1, max=k.MAX_HISTORY_LIMIT, error=Msg.INVALID))


class ExchangeSchema(P100Schema):
    externalUserId = external_id()
    amount = amount_field()
    currencyFrom = currency_field(required=True)
    currencyTo = currency_field(required=True)
    lockId = text(64)


class SepaTransferSchema(P100Schema):
    sourceExternalUserId = external_id()
    currency = currency_field(k.FIAT, required=True)
    amount = amount_field()
    destinationIban = IbanField(required=True, validate=validate.Length(max=34, error=Msg.TOO_LONG))
    transferTitle = text(140)
    receiverType = Choice(k.RECEIVER_TYPES, load_default=None, allow_none=True)
    receiverFirstName = text(100, required=False)
    receiverLastName = text(100, required=False)
    companyName = text(200, required=False)

    @validates_schema
    def _receiver(self, data, **kwargs):
        """Level 2 (third-party payee): names for NATURAL, companyName for LEGAL."""
        if data.get("receiverType") == "NATURAL":
            for name in ("receiverFirstName", "receiverLastName"):
                if not data.get(name):
                    raise ValidationError(Msg.REQUIRED, field_name=name)
        if data.get("receiverType") == "LEGAL" and not data.get("companyName"):
            raise ValidationError(Msg.REQUIRED, field_name="companyName")


class NetworkFeeQuerySchema(P100Schema):
    currency = currency_field(k.CRYPTO, required=True)  # [doc] the withdrawal currencies
    network = text(20, required=False)


class WithdrawalSchema(P100Schema):
    sourceExternalUserId = external_id()
    currency = currency_field(k.CRYPTO, required=True)  # [doc] the withdrawal currencies
    amount = amount_field()
    walletAddress = text(200)
    memo = text(200, required=False)
    network = text(20, required=False)
    name = text(200)
    walletType = Choice(k.WALLET_TYPES, required=True)
    receiverType = Choice(k.RECEIVER_TYPES, required=True)


class TravelRuleSchema(P100Schema):
    cryptoDepositId = text(64)
    name = text(200)
    walletType = Choice(k.WALLET_TYPES, required=True)
    receiverType = Choice(k.RECEIVER_TYPES, required=True)


class TransferSchema(P100Schema):
    sourceExternalUserId = text(100, required=False)
    destinationExternalUserId = text(100, required=False)
    currency = currency_field(required=True)
    amount = amount_field()


# -- sandbox controls --------------------------------------------------------------------------------------
class CryptoDepositSchema(P100Schema):
    currency = currency_field(k.CRYPTO, required=True)
    amount = amount_field()
    network = text(20, required=False)
    holdForTravelRule = StrictBoolean(load_default=False,
                                      metadata={"description": "true: WAITING_FOR_TR_DATA until Update Travel Rule"})


class FiatDepositSchema(P100Schema):
    amount = amount_field()
    senderIban = IbanField(load_default="LT601010012345678901", validate=validate.Length(max=34, error=Msg.TOO_LONG))
    senderName = text(200, required=False)
    title = text(140, required=False)


class SetKycSchema(P100Schema):
    verificationStatus = Choice(k.VERIFICATION_STATUSES, load_default=None, allow_none=True)
    attemptStatus = Choice(k.ATTEMPT_STATUSES, load_default=None, allow_none=True)
    rejectionReason = text(100, required=False)
    poaStatus = Choice(k.POA_STATUSES, load_default=None, allow_none=True)


class PartnerBalancesSchema(P100Schema):
    RAISES = (e.INVALID_CURRENCY,)  # the keys' currency check (core walks values, not dict keys)

    balances = fields.Dict(keys=currency_field(), values=Amount(allow_zero=True), required=True,
                           validate=validate.Length(min=1, error=Msg.EMPTY))


# -- responses ---------------------------------------------------------------------------------------------
class ReplySchema(Schema):
    """A success body: the fields P100 documents, typed; others may appear (additionalProperties)."""

    class Meta:
        unknown = INCLUDE


def reply_schema(schema_name: str, /, **declared) -> type[Schema]:
    return ReplySchema.from_dict(declared, name=schema_name)


S, N, B, D = fields.String, fields.Float, fields.Boolean, fields.Dict
CreateUserReply = reply_schema("P100CreateUserReply", userId=S(), poaRequiredForExtended=B())
NetworkLimitsReply = reply_schema("P100NetworkLimits", mainnet=B(), name=S(), withdrawal=fields.Nested(reply_schema(
    "P100WithdrawalLimits", feeWithdrawal=N(), minWithdrawal=N())), deposit=fields.Nested(reply_schema(
        "P100DepositLimits", minDeposit=N())))
FiatBalanceReply = reply_schema("P100FiatBalance", id=S(), amount=S(), name=S(), rate=N(), iban=S(allow_none=True),
                                status=S())
CryptoBalanceReply = reply_schema("P100CryptoBalance", id=S(), amount=S(), name=S(), wallet=S(allow_none=True),
                                  rate=N(), networkConfig=D(keys=S(), values=fields.Nested(NetworkLimitsReply),
                                                            metadata={"description": "By network."}))
BalancesReply = reply_schema("P100BalancesReply", userId=S(), poaRequired=B(),
                             fiatBalances=fields.List(fields.Nested(FiatBalanceReply)),
                             cryptoBalances=fields.List(fields.Nested(CryptoBalanceReply)))
StatusReply = reply_schema("P100StatusReply", externalUserId=S(), status=S())
UserReply = reply_schema("P100UserReply", externalUserId=S(), userId=S(), status=S())
KycStatusReply = reply_schema("P100KycStatusReply", externalUserId=S(), verificationStatus=S(),
                              attemptStatus=S(), rejectionReason=S(allow_none=True))
KycControlReply = reply_schema("P100KycControlReply", externalUserId=S(), verificationStatus=S(),
                               attemptStatus=S(), rejectionReason=S(allow_none=True), poaStatus=S(allow_none=True))
VerificationReply = reply_schema("P100KycVerificationReply", verificationId=S(), verificationUrl=S())
MovementReply = reply_schema("P100MovementReply", transactionId=S(), type=S(), currency=S(), amount=S(),
                             balanceAfter=S(), reference=S(allow_none=True), createdAt=S())
HistoryReply = reply_schema("P100HistoryReply", transactions=fields.List(fields.Nested(MovementReply)),
                            page=fields.Integer(), limit=fields.Integer(), total=fields.Integer())
RateReply = reply_schema("P100RateReply", currencyFrom=S(), currencyTo=S(), amount=S(), rate=S(), amountTo=S())
LockReply = reply_schema("P100LockReply", lockId=S(), amount=S(), rate=S(), expiresAt=S(), currency=S(),
                         destinationCurrency=S(), destinationAmount=S())
ExchangeReply = reply_schema("P100ExchangeReply", exchangeId=S())
DetailsReply = reply_schema("P100DetailsReply", id=S(), status=S())
SepaInfoReply = reply_schema("P100SepaInfoReply", title=S(), iban=S(), swift=S(), accountHolder=S(), address=S())
ContactReply = reply_schema("P100Contact", iban=S(), name=S(allow_none=True))
ContactsReply = reply_schema("P100ContactsReply", externalUserId=S(), contacts=fields.List(fields.Nested(ContactReply)))
TransferIdReply = reply_schema("P100TransferIdReply", transferId=S())
INFERRED_REPLY = {"x-provenance": "inferred"}
NetworkFeeReply = reply_schema(
    "P100NetworkFeeReply", networkFee=N(metadata={"description": "The network's withdrawal fee (documented)."}),
    currency=S(metadata={**INFERRED_REPLY, "description": "The currency asked for (inferred)."}),
    network=S(metadata={**INFERRED_REPLY, "description": "The network the fee and limits are for: the one asked "
                                                         "for, or the currency's default (inferred)."}),
    feeWithdrawal=N(metadata={"description": "The same fee under its networkConfig name (documented name)."}),
    minWithdrawal=N(metadata={"description": "The smallest amount a withdrawal may send (documented name, as in "
                                             "networkConfig.*.withdrawal; below it P479)."}))
WithdrawalIdReply = reply_schema("P100WithdrawalIdReply", withdrawalId=S())
DepositReply = reply_schema("P100DepositReply", cryptoDepositId=S(), status=S(), amount=S(), currency=S())
PartnerBalancesReply = reply_schema("P100PartnerBalancesReply", balances=D(keys=S(), values=S(), metadata={
    "description": "Amount by currency, as P100 writes amounts (text)."}))
FilesReply = reply_schema("P100FilesReply", externalUserId=S(), status=S())


class P100ErrorSchema(Schema):
    """P100's error body (errors.P100Envelope)."""

    errorCode = fields.String(metadata={"example": "P412"})
    errorMessage = fields.String(metadata={"example": "User does not exist"})
    errorName = fields.String(metadata={"example": "invalid-user"})


def _not_blank_in_the_document() -> None:
    """Every printable-text field of these schemas is also never blank (core's
    `text`): its documented pattern says both. A field that takes null says
    so in its enum too."""
    for schema in [*P100Schema.__subclasses__(), *LockQuerySchema.__subclasses__()]:
        for field in schema._declared_fields.values():
            if field.metadata.get("pattern") == PRINTABLE_PATTERN:
                field.metadata = {**field.metadata, "pattern": NOT_BLANK}
            if isinstance(field, Choice) and field.allow_none:  # OpenAPI 3.0: a nullable enum lists null
                field.metadata = {**field.metadata, "enum": [*field.metadata["enum"], None]}


_not_blank_in_the_document()


def _mark_inferred_fields() -> None:
    """Request fields the docs do not show carry x-provenance: inferred in the OpenAPI."""
    for schema_name, names in k.INFERRED_FIELDS.items():
        declared = globals()[schema_name]._declared_fields
        for name in names:
            declared[name].metadata = {**declared[name].metadata, "x-provenance": "inferred"}


_mark_inferred_fields()
