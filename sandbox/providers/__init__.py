"""The registry of providers the sandbox serves."""

from sandbox.providers.ibanera import provider as ibanera

PROVIDERS = (ibanera,)

#: providers whose scenario sections are accepted (and ignored) until they are served
PLANNED = ("p100", "weavr", "prozora")
