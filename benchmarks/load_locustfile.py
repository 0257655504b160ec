"""Locust users of ``python -m benchmarks.load`` (run by it: ``locust -f ...``).

Each simulated user signs in with its own API token and, with 1-5 s of think time,
browses the market, opens detail pages (the learnware and its versions, as the web
app does), searches by text and with one of the users' RKMEs (``stat.json``
uploaded as multipart, as ``Client.search`` sends it) and downloads packages. The
mix and the think time are :data:`benchmarks.load.MIX` / ``WAIT_S``; the plan
(tokens, learnware ids, queries, specs) is the JSON file ``$BMW_LOAD_PLAN``.
Any non-2xx answer counts as an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, task

from benchmarks.load import MIX, WAIT_S, multipart
from benchmarks.load_market import REGIONS, SPACES

PLAN: dict[str, Any] = json.loads(Path(os.environ["BMW_LOAD_PLAN"]).read_text())
SPECS = [Path(s["path"]).read_bytes() for s in PLAN["specs"]]
TASK_TYPES = ("Classification", "Regression")
LICENSES = ("MIT", "Apache-2.0", "CC-BY-4.0")
_numbers = itertools.count()


class DockUser(FastHttpUser):
    wait_time = between(*WAIT_S)

    def on_start(self) -> None:
        number = next(_numbers)
        self.rng = random.Random(number)
        token = PLAN["tokens"][number % len(PLAN["tokens"])]
        self.auth = {"Authorization": f"Bearer {token}"}

    def _learnware(self) -> int:
        """A learnware to open: half the time one of the 200 newest (what the
        first pages show), else any."""
        ids: list[int] = PLAN["ids"]
        if self.rng.random() < 0.5:
            return self.rng.choice(ids[-200:])
        return self.rng.choice(ids)

    @task(MIX["browse"])
    def browse(self) -> None:
        """Mostly the first pages, sometimes a deep one; a tag filter 60 % of the
        time (pages of a filtered list stay within what it holds)."""
        pages = int(PLAN["pages"])
        f = self.rng.random()
        params = []
        if f < 0.3:
            params.append(f"task_type={self.rng.choice(TASK_TYPES)}")
            pages = max(1, pages // 2 - 1)  # half the market each
        elif f < 0.5:
            params.append("data_type=Table")
        elif f < 0.6:
            params.append(f"license={self.rng.choice(LICENSES)}")
            pages = 1
        r = self.rng.random()
        page = 1 if r < 0.5 else self.rng.randint(1, min(5, pages))
        if r > 0.9:
            page = self.rng.randint(1, pages)
        params.insert(0, f"page={page}")
        self.client.get(
            "/api/learnwares/?" + "&".join(params), headers=self.auth, name="browse"
        )

    @task(MIX["detail"])
    def detail(self) -> None:
        learnware = self._learnware()
        self.client.get(
            f"/api/learnwares/{learnware}/", headers=self.auth, name="detail"
        )
        self.client.get(
            f"/api/learnwares/{learnware}/versions/",
            headers=self.auth,
            name="detail versions",
        )

    def _search(self, body: tuple[bytes, str], name: str) -> None:
        data, content_type = body
        self.client.post(
            "/api/learnwares/search/",
            data=data,  # type: ignore[arg-type]  # bytes are sent as they are
            headers={**self.auth, "Content-Type": content_type},
            name=name,
        )

    def _query(self) -> str:
        """Half the time a popular query (typos included), else one of the long
        tail (a target and a place: 1,500 of them), so cached rankings do not
        answer everything."""
        if self.rng.random() < 0.5:
            return str(self.rng.choice(PLAN["queries"]))
        space = self.rng.choice(SPACES)
        return f"{self.rng.choice(space.targets)} {self.rng.choice(REGIONS)}"

    @task(MIX["semantic search"])
    def semantic_search(self) -> None:
        fields = [("query", self._query())]
        if self.rng.random() < 0.3:
            fields.append(("task_type", self.rng.choice(TASK_TYPES)))
        self._search(multipart(fields), "semantic search")

    @task(MIX["stat search"])
    def stat_search(self) -> None:
        spec = self.rng.choice(SPECS)
        fields = [("data_type", "Table"), ("top_k", "10")]
        files = [("stat_spec", "stat.json", spec, "application/json")]
        self._search(multipart(fields, files), "stat search")

    @task(MIX["download"])
    def download(self) -> None:
        self.client.get(
            f"/api/learnwares/{self._learnware()}/download/",
            headers=self.auth,
            name="download",
        )
