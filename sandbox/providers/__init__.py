"""The registry of providers the sandbox serves."""

from sandbox.providers.ibanera import provider as ibanera
from sandbox.providers.p100 import provider as p100
from sandbox.providers.prozora import provider as prozora
from sandbox.providers.weavr import provider as weavr

PROVIDERS = (ibanera, p100, weavr, prozora)

#: providers whose scenario sections are accepted (and ignored) until they are served
PLANNED = ()
