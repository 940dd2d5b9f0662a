#!/usr/bin/env python3
"""Split the runs of PerfTests JSON reports by the cache-line round trip measured just before each run.

On a shared VM the host places the two virtual CPUs either in one core complex (short round trip) or apart (long
round trip), and a communication-bound test follows the placement. This prints, per test, the median ops/s of the
runs on each side of a threshold, and each ring test's ratio to the Channel runs on the same side.

    python3 perf/scripts/by_round_trip.py [--near-ns 300] perf/OptiFlow.PerfTests/results/ring-f1389fd-*.json
"""
import argparse
import json
import statistics


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--near-ns", type=float, default=300.0, help="round trips below this are 'near' (default 300)")
    parser.add_argument("reports", nargs="+", help="JSON files written by --json")
    args = parser.parse_args()

    runs = {}  # test name -> {"near": [ops], "far": [ops]}
    for path in args.reports:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        for test in report["tests"]:
            side = runs.setdefault(test["name"], {"near": [], "far": [], "unmeasured": []})
            for run in test.get("perRun", []):
                rt = run.get("lineRoundTripNs")
                key = "unmeasured" if rt is None else ("near" if rt < args.near_ns else "far")
                side[key].append(run["opsPerSecond"])

    def median(values):
        return statistics.median(values) if values else None

    def rate(value):
        return "-" if value is None else f"{value / 1e6:.1f}M"

    print(f"{'test':42} {'near: n':>8} {'median':>9} {'÷ Channel':>10}   {'far: n':>7} {'median':>9} {'÷ Channel':>10}")
    for name, side in runs.items():
        cells = []
        for key in ("near", "far"):
            m = median(side[key])
            ratio = "-"
            if name.endswith(".Ring") and m is not None:
                topology = name[: -len(".Ring")].split(".Batch")[0]
                channel = median(runs.get(f"{topology}.Channel", {}).get(key, []))
                ratio = "-" if channel is None else f"{m / channel:.1f}x"
            cells.append((len(side[key]), rate(m), ratio))
        (nn, nm, nr), (fn, fm, fr) = cells
        print(f"{name:42} {nn:8} {nm:>9} {nr:>10}   {fn:7} {fm:>9} {fr:>10}")


if __name__ == "__main__":
    main()
