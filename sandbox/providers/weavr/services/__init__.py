"""Weavr's state and business rules over the store, a module per domain
(auth: who calls, tokens, the password policy; consumers: consumers, email
verification, password, login, access tokens and KYC; money: managed
accounts, the simulator's deposits and fee charges; idempotency: the
idempotency-ref replay). Knows nothing of Flask; raises WeavrError."""
