"""The registry of providers the sandbox serves."""

from sandbox.providers.ibanera import provider as ibanera
from sandbox.providers.p100 import provider as p100

PROVIDERS = (ibanera, p100)

#: providers whose scenario sections are accepted (and ignored) until they are served
PLANNED = ("weavr", "prozora")
