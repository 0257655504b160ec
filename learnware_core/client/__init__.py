"""A Python client for the dock's API v1 (``/api/``): upload, follow checks, list,
update, delete and download learnwares with an API token.

Framework-free: ``requests`` (and ``tqdm`` for progress bars). The token comes from
the ``token`` argument, else the ``BMW_TOKEN`` environment variable, else the
credentials file ``bmw login`` writes (``~/.config/bmw/credentials``, mode 0600).

Examples
--------
>>> from learnware_core.client import Client
>>> client = Client("https://dock.example.org", token="bmw_...")  # doctest: +SKIP
>>> result = client.upload("model.zip", spec, wait=True)  # doctest: +SKIP
>>> result.status  # doctest: +SKIP
'awaiting_review'
"""

from learnware_core.client._client import (
    CHECKS_DONE,
    Client,
    ClientError,
    UploadResult,
)
from learnware_core.client._credentials import (
    Credentials,
    credentials_path,
    load_credentials,
    save_credentials,
)

__all__ = [
    "CHECKS_DONE",
    "Client",
    "ClientError",
    "Credentials",
    "UploadResult",
    "credentials_path",
    "load_credentials",
    "save_credentials",
]
