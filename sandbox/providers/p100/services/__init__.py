"""P100's state and business rules over the store, a module per domain
(partners: who calls, known by API key; users: onboarding, KYC, POA,
account management; money: every money operation over the ledger; ledger:
balances and their movements; ids: the seeded ids, IBANs, hashes and
timestamps). Knows nothing of Flask; raises P100Error."""
