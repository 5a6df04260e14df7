"""The readers of the social networks, by network: the registry the reads and the draw use.

Each network's reader is one class behind :class:`~contest.sources.NetworkReader`, built from
the deployment's :class:`~contest.config.NetworkSettings` (the API's address and token: a
local server's in the tests) and a way to wait out the network's "too many requests".
"""

import time
from collections.abc import Mapping

from contest.config import NetworkSettings
from contest.rules.document import Network
from contest.sources import NetworkReader, Sleep
from contest.sources.instagram import InstagramReader
from contest.sources.telegram import TelegramReader
from contest.sources.vk import VkReader

READERS: Mapping[Network, type[NetworkReader]] = {
    reader.network: reader for reader in (VkReader, TelegramReader, InstagramReader)}


def readers(settings: NetworkSettings, *,
            sleep: Sleep = time.sleep) -> dict[Network, NetworkReader]:
    """A reader of each network, ready to call its API."""
    return {network: reader(settings, sleep=sleep) for network, reader in READERS.items()}
