"""The embedded default's message broker: kombu's filesystem transport, made safe.

kombu writes a message file in place (create, then write) and a consumer may move
and read it in between: it then reads an empty file and the worker dies with
``JSONDecodeError`` ("Unrecoverable error"), losing the message. Seen in CI under
load. Here a message is written to a hidden temporary name in the same folder and
renamed into place (atomic on POSIX), so a consumer sees either nothing or all of it.

:mod:`bmw.celery` registers :class:`Transport` under kombu's ``filesystem`` alias, so
``filesystem://`` URLs use it in every process that imports the Celery app.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.json import dumps

TMP_PREFIX = ".partial-"  # never matches the consumer's "<...>.<queue>.msg" names


class Channel(filesystem.Channel):
    # kombu's two base classes name the message argument differently.
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Write the message under a temporary name, then rename it into place."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        tmp = os.path.join(self.data_folder_out, f"{TMP_PREFIX}{uuid.uuid4()}")
        try:
            with open(tmp, "wb") as fh:
                fh.write(dumps(payload).encode())
            os.replace(tmp, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
