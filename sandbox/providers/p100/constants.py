"""P100's fixed values, and every choice the sandbox makes where the docs are
silent. [doc] = the reference (shared/reference/p100-user-api.md) confirms
it; [inferred] = our choice, also marked `x-provenance: inferred` in the
OpenAPI where it shows (paths, codes)."""

from __future__ import annotations

from decimal import Decimal

# -- authentication --------------------------------------------------------------
API_KEY_HEADER = "x-api-key"  # [doc] any case accepted (HTTP headers are case-insensitive)

# -- currencies ------------------------------------------------------------------
FIAT = ("eur",)  # [doc]
CRYPTO = ("btc", "doge", "eth", "eurt", "ltc", "pol", "usdc", "usdt")  # [doc] withdrawal currencies
CURRENCIES = FIAT + CRYPTO
# Wire decimals: [doc] eur 2, btc 8, usdc 6, pol 8; [inferred] the others by kind (stablecoins 6, coins 8).
DECIMALS = {"eur": 2, "btc": 8, "doge": 8, "eth": 8, "eurt": 6, "ltc": 8, "pol": 8, "usdc": 6, "usdt": 6}
# EUR value of one unit: [doc] eur 1, btc 102178.03394219, usdc 0.863331, pol 0.19598695 (create-user example);
# [inferred] the others. The scenario may replace any of them (p100.rates).
DEFAULT_RATES = {
    "eur": "1", "btc": "102178.03394219", "doge": "0.15", "eth": "3000", "eurt": "1", "ltc": "80",
    "pol": "0.19598695", "usdc": "0.863331", "usdt": "0.863331",
}
MAX_AMOUNT = Decimal(1000000000)  # [inferred] guards against absurd amounts

# Networks, fees and minimums: [doc] the staging table (pol, usdc, btc fee, eth, ltc); [inferred] the rest.
# currency -> network -> (staging network name, feeWithdrawal, minWithdrawal, minDeposit)
NETWORKS: dict[str, dict[str, tuple[str, str, str, str]]] = {
    "btc": {"btc": ("test", "0.0003", "0.0001", "0")},
    "doge": {"doge": ("test", "1", "5", "0")},
    "eth": {"ethereum": ("sepolia", "0.003", "0.0006", "0")},
    "eurt": {"ethereum": ("sepolia", "5", "1", "0")},
    "ltc": {"ltc": ("test", "0.002", "0.001", "0")},
    "pol": {"polygon": ("amoy", "0.001", "0.00005", "0")},
    "usdc": {"ethereum": ("sepolia", "10", "1", "5"), "polygon": ("amoy", "0.5", "2", "0")},
    "usdt": {"ethereum": ("sepolia", "10", "1", "5"), "polygon": ("amoy", "0.5", "2", "0")},
}
DEFAULT_NETWORK = "ethereum"  # [doc] for usdc/usdt


def default_network(currency: str) -> str:
    """The network a currency uses when none is named."""
    networks = NETWORKS[currency]
    return DEFAULT_NETWORK if DEFAULT_NETWORK in networks else next(iter(networks))


# -- users -----------------------------------------------------------------------
POA_COUNTRIES = frozenset({"AM", "AR", "AZ", "GE", "IL", "MD", "UA"})  # [doc]
IBAN_COUNTRIES = frozenset({  # [doc] countries whose users get an IBAN
    "AM", "AT", "AZ", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GE", "GR", "HR",
    "HU", "IE", "IL", "IN", "IS", "IT", "LI", "LT", "LU", "LV", "MD", "MT", "NL", "NO", "PL", "PT", "RO", "SE",
    "SI", "SK", "UA",
})
# [inferred] the user's IBAN: a valid Lithuanian IBAN (P100's own bank is Lithuanian, [doc] LT333130010135556427)
IBAN_COUNTRY, IBAN_BANK_CODE = "LT", "31300"
SEPA_SWIFT, SEPA_ACCOUNT_HOLDER, SEPA_ADDRESS = "BZENLT22", "P100 sp. z o.o.", "Połonińska 19"  # [doc]
DOCUMENT_TYPES = ("ID_CARD", "PASSPORT", "RESIDENCE_PERMIT", "DRIVER_LICENSE")  # [doc]
# [inferred] an externalUserId travels in paths afterwards, so a new one must be one path segment a client
# can send (no slash or backslash: schemas.ADDRESSABLE_PATTERN) and none of these: dot segments (clients
# collapse them) and the fixed segments of the endpoints that share a path with a user's
# (POST /v1/user/balances/crypto-and-fiat beside GET /v1/user/balances/{id}, POST /v1/user/verification
# beside DELETE /v1/user/{id})
RESERVED_USER_IDS = ("crypto-and-fiat", "verification")
UNADDRESSABLE_USER_IDS = (".", "..", *RESERVED_USER_IDS)


def addressable(external_user_id: str) -> bool:
    """Whether a new externalUserId can travel in the paths that name it afterwards."""
    return not ({"/", "\\"} & set(external_user_id)) and external_user_id not in UNADDRESSABLE_USER_IDS


# -- KYC -------------------------------------------------------------------------
VERIFICATION_STATUSES = ("NOT_VERIFIED", "VERIFIED", "EXPIRED")  # [doc]
ATTEMPT_STATUSES = ("PENDING", "VERIFICATION", "REJECTED_BY_PROVIDER", "SUCCESSFUL")  # [doc]
INCOME_SOURCES = ("BUSINESS_ACTIVITY", "SALARY", "OTHER", "MAINTAINED_BY_FAMILY", "INVESTMENTS", "SOCIAL_BENEFITS",
                  "TENANCY")  # [doc]
OPEN_ACCOUNT_REASONS = ("INVESTMENTS_OR_CRYPTOCURRENCIE", "CURRENCY_EXCHANGE", "DAILY_USE", "GAMING_OR_GAMBLING",
                        "TRANSFER_OF_FUNDS_OUTSIDE_OF_EUROPE")  # [doc] (sic)
OCCUPATIONS = (  # [doc]
    "IT", "HEALTHCARE_AND_MEDICAL_SERVICES", "FINANCE_AND_ACCOUNTING", "EDUCATION_AND_TEACHING", "SALES_AND_MARKETING",
    "ENGINEERING", "CUSTOMER_SERVICE", "ADMINISTRATION_AND_OFFICE_MANAGEMENT", "LEGAL_SERVICES", "ARTS_AND_DESIGN",
    "RETAIL_AND_SALES", "CONSTRUCTION_AND_TRADES", "HUMAN_RESOURCES", "MANUFACTURING_AND_PRODUCTION",
    "SCIENCE_AND_RESEARCH",
)
ADDITIONAL_INFO_SOURCES = frozenset({"SALARY", "OTHER", "MAINTAINED_BY_FAMILY", "INVESTMENTS", "SOCIAL_BENEFITS",
                                     "TENANCY"})  # [doc] additionalInfo required for these
# [inferred] the sandbox's own "vendor" page, as the real redirect chain ends at ui.idenfy.com
VERIFICATION_PAGE = "/_sandbox/p100/verification/{verification_id}"

# -- files (KYC Method A and POA) ------------------------------------------------
FILE_FIELD = "files"  # [doc] POA curl: --form 'files=@...'; [inferred] the same for KYC files
FILE_TYPES = frozenset({"image/jpeg", "image/png", "image/jpg", "application/pdf"})  # [doc] POA
MAX_FILE_BYTES = 5 * 1024 * 1024  # [doc] POA "max 5MB each"
MAX_POA_FILES = 3  # [doc]
MAX_KYC_FILES = 3  # [inferred] front, back and a selfie
POA_STATUSES = ("WAITING", "APPROVED", "REJECTED", "QUESTIONED")  # [doc]

# -- money -----------------------------------------------------------------------
RATE_LOCK_SECONDS = 30  # [inferred] "valid for a limited time"; the order lock shows a short expiresAt
SEPA_FEE = Decimal(1)  # [doc] the newer details example shows "fee": 1 (eur)
DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT = 20, 100  # [inferred] paging of the transaction history
EXCHANGE_STATUS = "COMPLETED"  # [doc] final state; [inferred] the sandbox settles at once
# Transfers, SEPA transfers and crypto withdrawals settle as the partner's outcome setting says (events.py;
# at once unless set): [doc] SUCCESSFUL (transfer webhook, SEPA details); [inferred] PROCESSING until then
# (third-party client code has "processing") and FAILED.
SUCCESSFUL, FAILED, PROCESSING = "SUCCESSFUL", "FAILED", "PROCESSING"
# [doc] crypto deposit statuses: seen on chain, then decided (events.py), or held for travel-rule data
DEPOSIT_SEEN, DEPOSIT_HELD = "WAITING_FOR_VERIFICATION", "WAITING_FOR_TR_DATA"
DEPOSIT_SUCCESSFUL, DEPOSIT_UNSUCCESSFUL = "SUCCESSFUL", "UNSUCCESSFUL"
TRANSFER_ERROR_STATUS = "Error"  # [doc] the transfer webhook's error {"description", "status": "Error"}
WALLET_TYPES = ("CUSTODIAL", "NON_CUSTODIAL", "OTHER")  # [doc]
RECEIVER_TYPES = ("NATURAL", "LEGAL")  # [doc]
PARTNER = "partner"  # the owner key of the partner's own balances

# [inferred] movement types in the history: CRYPTO_DEPOSIT, FIAT_DEPOSIT, EXCHANGE, SEPA_TRANSFER, SEPA_FEE,
# CRYPTO_WITHDRAWAL, WITHDRAWAL_FEE, TRANSFER, REFUND (a failed transfer or withdrawal given back), ADJUSTMENT
# (the partner's balances set by the sandbox)
REFUND = "REFUND"


# -- request fields the docs do not show [inferred], marked x-provenance: inferred in the OpenAPI
INFERRED_FIELDS = {
    "UserVerificationSchema": ("documentType", "documentNumber", "documentIssueDate", "documentExpiryDate"),
    "UpdateUserSchema": ("externalUserId",),
    "TravelRuleSchema": ("cryptoDepositId", "name", "walletType", "receiverType"),
    "ExchangeSchema": ("externalUserId",),
    "LockQuerySchema": ("externalUserId",),
    "RateQuerySchema": ("amount", "externalUserId"),
    "HistoryQuerySchema": ("page", "limit"),
}
