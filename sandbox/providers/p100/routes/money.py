"""Money: a user's history, exchange (rates, locks), SEPA, crypto withdrawals
and travel rule, internal transfers partner <-> user."""

from __future__ import annotations

from sandbox.core.errors import INFERRED
from sandbox.core.openapi import Example
from sandbox.providers.p100 import errors as e
from sandbox.providers.p100 import examples as ex
from sandbox.providers.p100 import schemas as s
from sandbox.providers.p100.api import API_KEY, api
from sandbox.providers.p100.runtime import P100Runtime
from sandbox.providers.p100.services.partners import Partner

DOCS = e.DOCS
MONEY, EXCHANGE, SEPA, CRYPTO, TRANSFER = ("Money",), ("Exchange",), ("SEPA",), ("Crypto",), ("Internal transfers",)
REFUSED = (e.INVALID_USER, e.USER_SUSPENDED, e.USER_NOT_VERIFIED)


@api.route(
    "/v1/user/transactions/<external_user_id>", method="GET", summary="Get user transaction history",
    query=s.HistoryQuerySchema, security=API_KEY, tags=MONEY, provenance=INFERRED,
    source=f"{DOCS}/get-user-transaction-history-19651337e0",
    description="Path, paging and shape inferred: every movement of every balance, newest first, each with the "
                "balance after it.",
    ok=(s.HistoryReply, "A page of movements"), raises=(e.INVALID_USER,),
    example=Example(path={"external_user_id": ex.USER}, query={"page": 1, "limit": 20}),
)
def transaction_history(runtime: P100Runtime, caller: Partner, query: dict, external_user_id: str) -> dict:
    return runtime.money.history(caller, external_user_id, query)


# -- exchange -----------------------------------------------------------------------------------------------
@api.route(
    "/v1/exchange/get-rate", method="GET", summary="Retrieve exchange rate (indicative)",
    query=s.RateQuerySchema, security=API_KEY, tags=EXCHANGE, provenance=INFERRED, source=e.FAQ_DOC,
    description="Path and fields inferred. Documented as \"rates for user-specific exchange pairs\": "
                "externalUserId, if given, must be one of this API key's users (P412); the rates come from the "
                "scenario's fixed table, the same for every user. currencyTo must differ from currencyFrom (P403).",
    ok=(s.RateReply, "The rate"), raises=(e.INVALID_USER,),
    example=Example(query={"currencyFrom": "btc", "currencyTo": "eur", "amount": "0.5", "externalUserId": ex.USER}),
)
def get_rate(runtime: P100Runtime, caller: Partner, query: dict) -> dict:
    return runtime.money.rate_for(caller, query)


@api.route(
    "/v1/exchange/get-lock", method="GET", summary="Retrieve exchange rate and create a lock",
    query=s.LockQuerySchema, security=API_KEY, tags=EXCHANGE, provenance=INFERRED, source=e.FAQ_DOC,
    description="Path inferred; fields mirror the order lock. The lock expires after a fixed time on the sandbox "
                "clock and serves one exchange. currencyTo must differ from currencyFrom (P403). The user must be "
                "verified and not suspended (P459, P455).",
    ok=(s.LockReply, "A guaranteed rate"), raises=REFUSED,
    example=Example(query={"externalUserId": ex.USER, "currencyFrom": "eur", "currencyTo": "btc", "amount": "10"}),
    links={"Exchange": {"operationId": "exchange", "requestBody": {
        "externalUserId": "$request.query.externalUserId", "lockId": "$response.body#/lockId",
        "amount": "$response.body#/amount", "currencyFrom": "$response.body#/currency",
        "currencyTo": "$response.body#/destinationCurrency"}}},
)
def get_lock(runtime: P100Runtime, caller: Partner, query: dict) -> dict:
    return runtime.money.lock(caller, query)


@api.route(
    "/v1/exchange", method="POST", summary="Create and finalize an exchange", body=s.ExchangeSchema,
    security=API_KEY, tags=EXCHANGE, provenance=INFERRED,
    source=f"{DOCS}/create-and-finalize-an-exchange-28597674e0 (partner flavour; user path inferred)",
    description="Settles at once (COMPLETED). The lock must be this user's, unexpired, unused, and match amount and "
                "currencies (P470-P473); the user verified, not suspended and holding the amount (P459, P455, P433).",
    ok=(s.ExchangeReply, "Exchanged"),
    raises=(*REFUSED, e.LOCK_NOT_FOUND, e.LOCK_EXPIRED, e.LOCK_USED, e.LOCK_MISMATCH, e.INSUFFICIENT_FUNDS),
    example=Example(body={"externalUserId": ex.USER, "amount": "0.01", "currencyFrom": "btc", "currencyTo": "eur",
                          "lockId": ex.LOCK_ID}),
    links={"GetExchange": {"operationId": "exchange_details",
                           "parameters": {"exchange_id": "$response.body#/exchangeId"}}},
)
def exchange(runtime: P100Runtime, caller: Partner, body: dict) -> dict:
    return runtime.money.exchange(caller, body)


@api.route(
    "/v1/exchange/<exchange_id>", method="GET", summary="Retrieve detailed exchange information",
    security=API_KEY, tags=EXCHANGE, provenance=INFERRED, ok=(s.DetailsReply, "The exchange"),
    raises=(e.EXCHANGE_NOT_FOUND,), example=Example(path={"exchange_id": ex.EXCHANGE_ID}),
)
def exchange_details(runtime: P100Runtime, caller: Partner, exchange_id: str) -> dict:
    return runtime.money.exchange_details(caller, exchange_id)


# -- SEPA ---------------------------------------------------------------------------------------------------
@api.route(
    "/v1/user/sepa-deposit/info/<external_user_id>", method="GET", summary="Get SEPA deposit info",
    security=API_KEY, tags=SEPA, provenance=INFERRED, source=f"{DOCS}/get-sepa-deposit-info-28597709e0",
    description="Path inferred; fields as the partner variant. The IBAN is the user's own, stable for a seed; "
                "`title` must be the transfer reference.",
    ok=(s.SepaInfoReply, "Where to send euros"), raises=REFUSED,
    example=Example(path={"external_user_id": ex.USER}),
)
def sepa_deposit_info(runtime: P100Runtime, caller: Partner, external_user_id: str) -> dict:
    return runtime.money.sepa_info(caller, external_user_id)


@api.route(
    "/v1/user/sepa-deposit/contacts/<external_user_id>", method="GET", summary="Get SEPA deposit contact list",
    security=API_KEY, tags=SEPA, provenance=INFERRED,
    description="Path and shape inferred: the senders of the user's SEPA deposits.",
    ok=(s.ContactsReply, "Known senders"), raises=(e.INVALID_USER,),
    example=Example(path={"external_user_id": ex.USER}),
)
def sepa_contacts(runtime: P100Runtime, caller: Partner, external_user_id: str) -> dict:
    return runtime.money.sepa_contacts(caller, external_user_id)


@api.route(
    "/v1/sepa-transfer", method="POST", summary="Create a SEPA transfer", body=s.SepaTransferSchema,
    security=API_KEY, tags=SEPA, source=e.SEPA_DOC,
    description="Accepted even without funds (documented), then PROCESSING until decided as the API key's "
                "`sepa_transfer` outcome says (at once unless set; PROCESSING and FAILED are inferred): SUCCESSFUL "
                "debits the amount and a 1 EUR fee then, or, if the balance cannot pay them, FAILED with "
                "insufficient-funds in the details and nothing debited. destinationIban must be a "
                "valid IBAN (its country's format and check digits; P403); receiverFirstName and receiverLastName "
                "are required with receiverType NATURAL, companyName with LEGAL. The user must be verified and not "
                "suspended.",
    ok=(s.TransferIdReply, "Accepted"), raises=REFUSED,
    example=Example(body={"sourceExternalUserId": ex.USER, "currency": "eur", "amount": "2.50",
                          "destinationIban": ex.IBAN, "transferTitle": "Rent", "receiverType": "NATURAL",
                          "receiverFirstName": "John", "receiverLastName": "Doe"}),
    links={"GetSepaTransfer": {"operationId": "sepa_details",
                               "parameters": {"transfer_id": "$response.body#/transferId"}}},
)
def sepa_transfer(runtime: P100Runtime, caller: Partner, body: dict) -> dict:
    return runtime.money.sepa_transfer(caller, body)


@api.route(
    "/v1/sepa-transfer/details/<transfer_id>", method="GET", summary="Get SEPA transfer details",
    security=API_KEY, tags=SEPA, source=e.SEPA_DETAILS_DOC, ok=(s.DetailsReply, "The transfer"),
    raises=(e.SEPA_NOT_FOUND,), example=Example(path={"transfer_id": ex.SEPA_TRANSFER_ID}),
)
def sepa_details(runtime: P100Runtime, caller: Partner, transfer_id: str) -> dict:
    return runtime.money.sepa_details(caller, transfer_id)


# -- crypto -------------------------------------------------------------------------------------------------
@api.route(
    "/v1/crypto-withdrawal/get-network-fee", method="GET", summary="Get network fee",
    query=s.NetworkFeeQuerySchema, security=API_KEY, tags=CRYPTO, source=e.WITHDRAWAL_DOC,
    description="Documented as \"gas costs and limits for withdrawals\": networkFee (documented), the network's "
                "feeWithdrawal (inferred equal) and minWithdrawal (the networkConfig names), and the currency and "
                "network they are for (inferred). network, if given, must be one the currency is "
                "served on (btc: btc; doge: doge; eth and eurt: ethereum; ltc: ltc; pol: polygon; usdc and usdt: "
                "ethereum or polygon), else P410.",
    ok=(s.NetworkFeeReply, "The fee and limits"), raises=(e.INVALID_CURRENCY,),
    example=Example(query={"currency": "usdc", "network": "polygon"}),
)
def network_fee(runtime: P100Runtime, query: dict) -> dict:
    return runtime.money.network_fee(query)


@api.route(
    "/v1/crypto-withdrawal", method="POST", summary="Create crypto withdrawal", body=s.WithdrawalSchema,
    security=API_KEY, tags=CRYPTO, source=e.WITHDRAWAL_DOC,
    description="Debits amount plus the network fee at once, then PROCESSING until decided as the API key's "
                "`crypto_withdrawal` outcome says (at once unless set; inferred): SUCCESSFUL with its "
                "transactionHash, or FAILED with amount and fee given back; either is a /crypto-withdrawal-webhook "
                "event. network, if given, must be one "
                "the currency is served on (P410); amount at least the network's minWithdrawal (P479); the user "
                "verified, not suspended and holding amount plus fee (P459, P455, P433).",
    ok=(s.WithdrawalIdReply, "Withdrawn"),
    raises=(*REFUSED, e.INVALID_CURRENCY, e.BELOW_MINIMUM, e.INSUFFICIENT_FUNDS),
    example=Example(body={"sourceExternalUserId": ex.USER, "currency": "btc", "amount": 0.002,
                          "walletAddress": "tb1qsandboxwallet", "memo": "payout", "network": "btc",
                          "name": "Jan Kowalski", "walletType": "CUSTODIAL", "receiverType": "NATURAL"}),
    links={"GetWithdrawal": {"operationId": "withdrawal_details",
                             "parameters": {"withdrawal_id": "$response.body#/withdrawalId"}}},
)
def crypto_withdrawal(runtime: P100Runtime, caller: Partner, body: dict) -> dict:
    return runtime.money.withdraw(caller, body)


@api.route(
    "/v1/crypto-withdrawal/details/<withdrawal_id>", method="GET", summary="Get crypto withdrawal details",
    security=API_KEY, tags=CRYPTO, provenance=INFERRED, source="third-party client code (reference 4.24)",
    ok=(s.DetailsReply, "The withdrawal"), raises=(e.WITHDRAWAL_NOT_FOUND,),
    example=Example(path={"withdrawal_id": ex.WITHDRAWAL_ID}),
)
def withdrawal_details(runtime: P100Runtime, caller: Partner, withdrawal_id: str) -> dict:
    return runtime.money.withdrawal_details(caller, withdrawal_id)


@api.route(
    "/v1/crypto-deposit/travel-rule", method="PATCH", summary="Update travel rule", body=s.TravelRuleSchema,
    security=API_KEY, tags=CRYPTO, provenance=INFERRED, source=f"{DOCS}/update-travel-rule-28597716e0",
    description="Method, path and body inferred. Releases a WAITING_FOR_TR_DATA deposit: SUCCESSFUL, credited "
                "(a /crypto-deposit-webhook event). "
                "cryptoDepositId must be a deposit of this API key's users (P477) that waits for travel-rule data "
                "(P478).",
    ok=(s.DepositReply, "Released"),
    raises=(e.DEPOSIT_NOT_FOUND, e.TRAVEL_RULE_NOT_REQUIRED, e.INVALID_USER, e.USER_SUSPENDED),
    example=Example(body={"cryptoDepositId": ex.HELD_DEPOSIT_ID, "name": "Anna Nowak", "walletType": "CUSTODIAL",
                          "receiverType": "NATURAL"}),
)
def update_travel_rule(runtime: P100Runtime, caller: Partner, body: dict) -> dict:
    return runtime.money.update_travel_rule(caller, body)


# -- internal transfers ------------------------------------------------------------------------------------
@api.route(
    "/v1/transfer", method="POST", summary="Create a transfer (partner <-> user)", status=201,
    body=s.TransferSchema, security=API_KEY, tags=TRANSFER, source=e.TRANSFER_DOC,
    description="Exactly one of sourceExternalUserId (user -> partner) or destinationExternalUserId (partner -> "
                "user). Exactly one of the two user fields (neither: P424; both: P425). The user must be verified "
                "and not suspended; the debited side (the user, or the partner) must hold the amount (P433), and is "
                "debited at once. Then PROCESSING until decided as the API key's `transfer` outcome says (at once "
                "unless set; inferred): SUCCESSFUL credits the other side, FAILED gives the amount back; either is a "
                "/transfer-webhook event.",
    ok=(s.TransferIdReply, "Transferred"),
    raises=(e.SOURCE_OR_DESTINATION, e.USER_TO_USER, *REFUSED, e.INSUFFICIENT_FUNDS),
    example=Example(body={"sourceExternalUserId": ex.USER, "currency": "eur", "amount": "3.00"}),
    links={"GetTransfer": {"operationId": "transfer_details",
                           "parameters": {"transfer_id": "$response.body#/transferId"}}},
)
def create_transfer(runtime: P100Runtime, caller: Partner, body: dict) -> dict:
    return runtime.money.transfer(caller, body)


@api.route(
    "/v1/transfer/details/<transfer_id>", method="GET", summary="Get transfer details", security=API_KEY,
    tags=TRANSFER, source=e.TRANSFER_DOC, ok=(s.DetailsReply, "The transfer"), raises=(e.TRANSFER_NOT_FOUND,),
    example=Example(path={"transfer_id": ex.TRANSFER_ID}),
)
def transfer_details(runtime: P100Runtime, caller: Partner, transfer_id: str) -> dict:
    return runtime.money.transfer_details(caller, transfer_id)
