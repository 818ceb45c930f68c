"""The records of the default scenario (fixtures/default.yaml, `p100:`)
that the document's examples name. Their ids are the sandbox's own
(seeded), so they are the same after every start and reset with the default
seed; tests/core/test_examples.py posts every example and fails if one
drifts."""

from __future__ import annotations

USER = "ada"  # verified, funded
NEW_USER = "noor"  # created, no KYC yet
POA_USER = "oksana"  # Ukraine: proof of address required
SPARE_USER = "cleo"  # to suspend, unsuspend and delete
VERIFICATION_ID = "284e5f5e-75c9-4c86-b321-27555b679175"  # ada's KYC verification
LOCK_ID = "f5d1eaac-c406-463d-a23a-402be52a363a"  # ada's standing lock: 0.01 btc -> eur, one use per reset
EXCHANGE_ID = "cf1f2d28-037f-4d77-8c76-3bb78459bead"
SEPA_TRANSFER_ID = "82e56752-78aa-4e22-9256-7aa508c2fe3e"
WITHDRAWAL_ID = "82230288-d03b-485c-968e-8870244bb517"
TRANSFER_ID = "930bf2b7-9c3d-4ea5-9661-25214e63a717"
HELD_DEPOSIT_ID = "ee67c2ff-8112-4484-b079-8ab4e2f5bd97"  # 0.5 eth WAITING_FOR_TR_DATA
IBAN = "DE89370400440532013000"
CARD_ID = "c0ffee00-0000-4000-8000-000000000001"  # no card exists: the module is offline
