"""Weavr's success answers: the body as is (no envelope), `request-ref` on
every one [spec], and the schemas that document them."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from marshmallow import Schema, fields

from sandbox.providers.weavr import constants as k
from sandbox.providers.weavr.errors import request_ref


def reply(result: Any, status: int) -> Response:
    if status == 204:
        response = Response(status=204)
        del response.headers["Content-Type"]
    else:
        response = jsonify(result)
        response.status_code = status
    response.headers[k.REQUEST_REF_HEADER] = request_ref()
    return response


class WeavrErrorSchema(Schema):
    """Every Weavr error body in one: a body carries the keys of its status."""

    message = fields.String(metadata={"maxLength": 255, "description": "400 and default errors."})
    syntaxErrors = fields.Dict(metadata={"description": "400: {invalidFields: [{params, fieldName, error}]}."})
    validation = fields.Dict(metadata={"description": "Simulator 400: {invalid, fields: [{name, errors}]}."})
    errorCode = fields.String(metadata={"description": "403 and 409: the operation's code."})
    code = fields.String(metadata={"description": "default (transport) errors."})


class IdentityIdOut(Schema):
    type = fields.String(required=True, metadata={"enum": ["CONSUMER", "CORPORATE"]})
    id = fields.String(required=True, metadata={"pattern": k.DIGITS})


class MobileOut(Schema):
    countryCode = fields.String(required=True)
    number = fields.String(required=True)


class DateOut(Schema):
    year = fields.Integer(required=True)
    month = fields.Integer(required=True)
    day = fields.Integer(required=True)


class AddressOut(Schema):
    addressLine1 = fields.String()
    addressLine2 = fields.String()
    city = fields.String()
    postCode = fields.String()
    state = fields.String()
    country = fields.String()


class ConsumerRootUserOut(Schema):
    id = fields.Nested(IdentityIdOut, required=True)
    name = fields.String(required=True)
    surname = fields.String(required=True)
    email = fields.String(required=True)
    mobile = fields.Nested(MobileOut, required=True)
    occupation = fields.String()
    active = fields.Boolean(required=True)
    emailVerified = fields.Boolean(required=True)
    mobileNumberVerified = fields.Boolean(required=True)
    dateOfBirth = fields.Nested(DateOut)
    address = fields.Nested(AddressOut)
    nationality = fields.String()
    placeOfBirth = fields.String()
    tag = fields.String()
    locale = fields.String()
    brand = fields.String()


class ConsumerOut(Schema):
    id = fields.Nested(IdentityIdOut, required=True)
    profileId = fields.String(required=True)
    tag = fields.String()
    rootUser = fields.Nested(ConsumerRootUserOut, required=True)
    creationTimestamp = fields.Integer(required=True, metadata={"format": "int64", "description": "epoch ms"})
    ipAddress = fields.String(required=True)
    acceptedTerms = fields.Boolean()
    baseCurrency = fields.String()
    feeGroup = fields.String()
    sourceOfFunds = fields.String()
    sourceOfFundsOther = fields.String()


class KycStartOut(Schema):
    reference = fields.String(required=True, metadata={"pattern": k.DIGITS})
    kycLevel = fields.String(required=True, metadata={"enum": list(k.KYC_LEVELS)})


class KycOut(Schema):
    fullDueDiligence = fields.String(required=True, metadata={"enum": sorted(k.KYC.states)})
    kycLevel = fields.String(metadata={"enum": list(k.KYC_LEVELS)})
    ongoingFullDueDiligence = fields.String(required=True, metadata={"enum": sorted(k.KYC.states)})
    ongoingKycLevel = fields.String(metadata={"enum": list(k.KYC_LEVELS)})


class InstrumentIdOut(Schema):
    id = fields.String(required=True)
    type = fields.String(required=True, metadata={"enum": list(k.INSTRUMENT_TYPES)})


class CurrencyAmountOut(Schema):
    currency = fields.String(required=True)
    amount = fields.Integer(required=True, metadata={"format": "int64", "description": "minor units"})


class TransactionIdOut(Schema):
    type = fields.String(required=True, metadata={"enum": ["CHARGE_FEE"]})
    id = fields.String(required=True)


class ChargeFeeOut(Schema):
    transactionId = fields.Nested(TransactionIdOut, required=True)
    profileId = fields.String(required=True)
    feeType = fields.String(required=True)
    source = fields.Nested(InstrumentIdOut, required=True)
    destination = fields.Dict(required=True, metadata={
        "x-provenance": "inferred", "description": "Required by Weavr's spec but never defined there: the "
                                                   "innovator's revenue account."})
    availableBalanceAdjustment = fields.Nested(CurrencyAmountOut, required=True)
    state = fields.String(required=True, metadata={
        "enum": list(k.CHARGE_FEE_STATES), "description": "COMPLETED in the charging request [QA]; INITIALISED (the "
        "spec's sample state) while the api-key's `fee` outcome holds it (PUT /_sandbox/weavr/outcomes)."})
    creationTimestamp = fields.Integer(required=True, metadata={"format": "int64"})


class PasswordInfoOut(Schema):
    identityId = fields.Nested(IdentityIdOut, required=True)
    expiryDate = fields.Integer(metadata={"description": "0: never expires"})


class PasswordOut(Schema):
    passwordInfo = fields.Nested(PasswordInfoOut, required=True)
    token = fields.String(required=True)


class CredentialIdOut(Schema):
    type = fields.String(required=True, metadata={"enum": ["ROOT", "USER", "API_CLIENT"]})
    id = fields.String(required=True)


class LoginOut(Schema):
    token = fields.String(required=True)
    tokenType = fields.String(required=True, metadata={"enum": ["NO_TYPE", "AUTH", "ACCESS"]})
    identity = fields.Nested(IdentityIdOut, required=True)
    credentials = fields.Nested(CredentialIdOut, required=True)


class AccessTokenOut(Schema):
    token = fields.String(required=True)
    identity = fields.Nested(IdentityIdOut, required=True)
    credentials = fields.Nested(CredentialIdOut, required=True)
    status = fields.String(required=True, metadata={"enum": ["STANDARD", "STEPPED_UP"]})


class DepositOut(Schema):
    code = fields.String(required=True, metadata={"enum": list(k.DEPOSIT_CODES)})


class ManagedAccountOut(Schema):
    id = fields.String(required=True)
    consumerId = fields.String(required=True)
    currency = fields.String(required=True)
    balance = fields.Integer(required=True, metadata={"description": "available balance, minor units"})
    iban = fields.String(required=True)
    sortCode = fields.String()
    accountNumber = fields.String()
