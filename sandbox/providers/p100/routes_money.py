"""Money endpoints of User Operations under /p100: history, exchange, SEPA,
crypto withdrawals and deposits, internal transfers."""

from __future__ import annotations

from sandbox.core.errors import INFERRED
from sandbox.providers.p100 import errors as e
from sandbox.providers.p100 import schemas as s
from sandbox.providers.p100.api import API_KEY, api

DOCS, GH = e.DOCS, e.GH
MONEY, EXCHANGE, SEPA, CRYPTO, TRANSFER = ("Money",), ("Exchange",), ("SEPA",), ("Crypto",), ("Internal transfers",)
REFUSED = (e.INVALID_USER, e.USER_SUSPENDED, e.USER_NOT_VERIFIED)


@api.route("/v1/user/transactions/<external_user_id>", method="GET", summary="Get user transaction history",
           query=s.HistoryQuerySchema, security=API_KEY, tags=MONEY, provenance=INFERRED,
           source=f"{DOCS}/get-user-transaction-history-19651337e0",
           description="Path, paging and shape inferred: every movement of every balance, newest first, each with "
                       "the balance after it.", ok=(s.HistoryReply, "A page of movements"), raises=(e.INVALID_USER,))
def transaction_history(runtime, caller, query, external_user_id):
    return runtime.money.history(caller, external_user_id, query)


@api.route("/v1/exchange/get-rate", method="GET", summary="Retrieve exchange rate (indicative)",
           query=s.RateQuerySchema, security=API_KEY, tags=EXCHANGE, provenance=INFERRED, source=e.FAQ_DOC,
           description="Path and fields inferred. Rates come from the scenario's fixed table.",
           ok=(s.RateReply, "The rate"))
def get_rate(runtime, query):
    return runtime.money.quote(query)


@api.route("/v1/exchange/get-lock", method="GET", summary="Retrieve exchange rate and create a lock",
           query=s.LockQuerySchema, security=API_KEY, tags=EXCHANGE, provenance=INFERRED, source=e.FAQ_DOC,
           description="Path inferred; fields mirror the order lock. The lock expires after a fixed time on the "
                       "sandbox clock and serves one exchange.", ok=(s.LockReply, "A guaranteed rate"),
           raises=REFUSED)
def get_lock(runtime, caller, query):
    return runtime.money.lock(caller, query)


@api.route("/v1/exchange", method="POST", summary="Create and finalize an exchange", body=s.ExchangeSchema,
           security=API_KEY, tags=EXCHANGE, provenance=INFERRED,
           source=f"{DOCS}/create-and-finalize-an-exchange-28597674e0 (partner flavour; user path inferred)",
           description="Settles at once (COMPLETED).", ok=(s.ExchangeReply, "Exchanged"),
           raises=(*REFUSED, e.LOCK_NOT_FOUND, e.LOCK_EXPIRED, e.LOCK_USED, e.LOCK_MISMATCH, e.INSUFFICIENT_FUNDS))
def exchange(runtime, caller, body):
    return runtime.money.exchange(caller, body)


@api.route("/v1/exchange/<exchange_id>", method="GET", summary="Retrieve detailed exchange information",
           security=API_KEY, tags=EXCHANGE, provenance=INFERRED, ok=(s.DetailsReply, "The exchange"),
           raises=(e.EXCHANGE_NOT_FOUND,))
def exchange_details(runtime, caller, exchange_id):
    return runtime.money.exchange_details(caller, exchange_id)


@api.route("/v1/user/sepa-deposit/info/<external_user_id>", method="GET", summary="Get SEPA deposit info",
           security=API_KEY, tags=SEPA, provenance=INFERRED, source=f"{DOCS}/get-sepa-deposit-info-28597709e0",
           description="Path inferred; fields as the partner variant. The IBAN is the user's own, stable for a "
                       "seed; `title` must be the transfer reference.", ok=(s.SepaInfoReply, "Where to send euros"),
           raises=REFUSED)
def sepa_deposit_info(runtime, caller, external_user_id):
    return runtime.money.sepa_info(caller, external_user_id)


@api.route("/v1/user/sepa-deposit/contacts/<external_user_id>", method="GET", summary="Get SEPA deposit contact list",
           security=API_KEY, tags=SEPA, provenance=INFERRED,
           description="Path and shape inferred: the senders of the user's SEPA deposits.",
           ok=(s.ContactsReply, "Known senders"), raises=(e.INVALID_USER,))
def sepa_contacts(runtime, caller, external_user_id):
    return runtime.money.sepa_contacts(caller, external_user_id)


@api.route("/v1/sepa-transfer", method="POST", summary="Create a SEPA transfer", body=s.SepaTransferSchema,
           security=API_KEY, tags=SEPA, source=e.SEPA_DOC,
           description="Accepted even without funds (documented): the details then show FAILED and nothing is "
                       "debited. Otherwise the amount and a 1 EUR fee are debited at once (SUCCESSFUL).",
           ok=(s.TransferIdReply, "Accepted"), raises=REFUSED)
def sepa_transfer(runtime, caller, body):
    return runtime.money.sepa_transfer(caller, body)


@api.route("/v1/sepa-transfer/details/<transfer_id>", method="GET", summary="Get SEPA transfer details",
           security=API_KEY, tags=SEPA, source=e.SEPA_DETAILS_DOC, ok=(s.DetailsReply, "The transfer"),
           raises=(e.SEPA_NOT_FOUND,))
def sepa_details(runtime, caller, transfer_id):
    return runtime.money.sepa_details(caller, transfer_id)


@api.route("/v1/crypto-withdrawal/get-network-fee", method="GET", summary="Get network fee",
           query=s.NetworkFeeQuerySchema, security=API_KEY, tags=CRYPTO, source=e.WITHDRAWAL_DOC,
           description="The network's feeWithdrawal (inferred equal).", ok=(s.NetworkFeeReply, "The fee"),
           raises=(e.INVALID_CURRENCY,))
def network_fee(runtime, query):
    return runtime.money.network_fee(query)


@api.route("/v1/crypto-withdrawal", method="POST", summary="Create crypto withdrawal", body=s.WithdrawalSchema,
           security=API_KEY, tags=CRYPTO, source=e.WITHDRAWAL_DOC,
           description="Debits amount plus the network fee at once (SUCCESSFUL, inferred).",
           ok=(s.WithdrawalIdReply, "Withdrawn"),
           raises=(*REFUSED, e.INVALID_CURRENCY, e.BELOW_MINIMUM, e.INSUFFICIENT_FUNDS))
def crypto_withdrawal(runtime, caller, body):
    return runtime.money.withdraw(caller, body)


@api.route("/v1/crypto-withdrawal/details/<withdrawal_id>", method="GET", summary="Get crypto withdrawal details",
           security=API_KEY, tags=CRYPTO, provenance=INFERRED, source="third-party client code (reference 4.24)",
           ok=(s.DetailsReply, "The withdrawal"), raises=(e.WITHDRAWAL_NOT_FOUND,))
def withdrawal_details(runtime, caller, withdrawal_id):
    return runtime.money.withdrawal_details(caller, withdrawal_id)


@api.route("/v1/crypto-deposit/travel-rule", method="PATCH", summary="Update travel rule", body=s.TravelRuleSchema,
           security=API_KEY, tags=CRYPTO, provenance=INFERRED, source=f"{DOCS}/update-travel-rule-28597716e0",
           description="Method, path and body inferred. Releases a WAITING_FOR_TR_DATA deposit: SUCCESSFUL, credited.",
           ok=(s.DepositReply, "Released"),
           raises=(e.DEPOSIT_NOT_FOUND, e.TRAVEL_RULE_NOT_REQUIRED, e.INVALID_USER, e.USER_SUSPENDED))
def update_travel_rule(runtime, caller, body):
    return runtime.money.update_travel_rule(caller, body)


@api.route("/v1/transfer", method="POST", summary="Create a transfer (partner <-> user)", status=201,
           body=s.TransferSchema, security=API_KEY, tags=TRANSFER, source=e.TRANSFER_DOC,
           description="Exactly one of sourceExternalUserId (user -> partner) or destinationExternalUserId "
                       "(partner -> user).", ok=(s.TransferIdReply, "Transferred"),
           raises=(e.SOURCE_OR_DESTINATION, e.USER_TO_USER, *REFUSED, e.INSUFFICIENT_FUNDS))
def create_transfer(runtime, caller, body):
    return runtime.money.transfer(caller, body)


@api.route("/v1/transfer/details/<transfer_id>", method="GET", summary="Get transfer details", security=API_KEY,
           tags=TRANSFER, source=e.TRANSFER_DOC, ok=(s.DetailsReply, "The transfer"),
           raises=(e.TRANSFER_NOT_FOUND,))
def transfer_details(runtime, caller, transfer_id):
    return runtime.money.transfer_details(caller, transfer_id)
