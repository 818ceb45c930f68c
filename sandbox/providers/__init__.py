"""The registry of providers the sandbox serves."""

from sandbox.providers.ibanera import provider as ibanera
from sandbox.providers.weavr import provider as weavr

PROVIDERS = (ibanera, weavr)

#: providers whose scenario sections are accepted (and ignored) until they are served
PLANNED = ("p100", "prozora")
