"""The document's examples: requests the server accepts on the default
scenario (fixtures/default.yaml, weavr section) right after a reset. The
records they name are that scenario's, in the order it seeds them."""

from __future__ import annotations

from sandbox.core.openapi import Example
from sandbox.providers.weavr import constants as k

# the default scenario's consumers (ids from FIRST_CONSUMER_ID, in seeding order)
ADA = str(k.FIRST_CONSUMER_ID)  # password set, email verified, KYC not started; logs in
GRACE = str(k.FIRST_CONSUMER_ID + 1)  # email code sent, email not verified, no password
ALAN = str(k.FIRST_CONSUMER_ID + 2)  # KYC INITIATED
ADA_EMAIL, GRACE_EMAIL = "ada.lovelace@default.example", "grace.hopper@default.example"
PASSWORD = "Passw0rd!"
ADA_ACCOUNT = str(k.FIRST_ACCOUNT_ID)  # EUR, funded
ADA_IBAN = "DE63100100100000000000"

CONSUMER_CREATE = Example(body={
    "profileId": "1011",
    "rootUser": {
        "name": "Mary", "surname": "Somerville", "email": "mary.somerville@example.com",
        "mobile": {"countryCode": "+44", "number": "7700900123"},
        "dateOfBirth": {"year": 1990, "month": 12, "day": 10},
        "address": {"addressLine1": "1 Main Street", "city": "London", "postCode": "N1 9GU", "country": "GB"},
    },
    "ipAddress": "127.0.0.1",
    "baseCurrency": "EUR",
})
CONSUMER_UPDATE = Example(body={"tag": "partner-42", "locale": "en-GB"})
EMAIL_SEND = Example(body={"email": GRACE_EMAIL})
EMAIL_VERIFY = Example(body={"email": GRACE_EMAIL, "verificationCode": k.SANDBOX_VERIFICATION_CODE})
KYC_START = Example(body={"kycLevel": "KYC_LEVEL_2"})
CHARGE_FEE = Example(body={"feeType": "PRINTED_CARD_ACCOUNT_STATEMENT",
                           "source": {"type": "managed_accounts", "id": ADA_ACCOUNT}})
PASSWORD_CREATE = Example(path={"user_id": GRACE}, body={"password": {"value": PASSWORD}})
LOGIN = Example(body={"email": ADA_EMAIL, "password": {"value": PASSWORD}})
ACCESS_TOKEN = Example(body={"identity": {"type": "CONSUMER", "id": ADA}})
SIMULATE_VERIFY = Example(path={"consumer_id": int(ALAN)})
DEPOSIT_BY_ID = Example(path={"account_id": int(ADA_ACCOUNT)},
                        body={"depositAmount": {"currency": "EUR", "amount": 1000}})
DEPOSIT = Example(body={"depositAmount": {"currency": "EUR", "amount": 1000},
                        "destinationIbanDetails": {"iban": ADA_IBAN}})
SET_KYC = Example(path={"consumer_id": int(ALAN)}, body={"status": "APPROVED"})
OPEN_ACCOUNT = Example(path={"consumer_id": int(ADA)}, body={"currency": "GBP", "balance": 0})
GET_ACCOUNT = Example(path={"account_id": int(ADA_ACCOUNT)})
NOTHING = Example()
# the scenario holds no fee charge: right after a reset the first charge id is not found
FIRST_CHARGE = k.FIRST_TRANSACTION_ID
_NO_CHARGE = ("the scenario holds no fee charge, so right after a reset the id is not found (404); charge a fee "
              "(POST /multi/consumers/fees/charge) and use its transactionId.id.")
GET_FEE_CHARGE = Example(path={"charge_id": FIRST_CHARGE}, status=404, why=_NO_CHARGE)
COMPLETE_FEE_CHARGE = Example(path={"charge_id": FIRST_CHARGE}, status=404, why=_NO_CHARGE)
