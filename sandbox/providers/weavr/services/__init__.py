"""Weavr's state and business rules over the store, a module per domain
(auth: who calls, tokens, the password policy; consumers: consumers, email
verification, password, login, access tokens and KYC; money: managed
accounts, the simulator's deposits and fee charges; idempotency: the
idempotency-ref replay; notify: the events sent to an api-key's webhook
endpoint and the transitions planned on its outcomes). Knows nothing of
Flask; raises WeavrError."""
