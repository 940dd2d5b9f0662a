#!/usr/bin/env python3
"""Print one Markdown row per PerfTests JSON report (one 7-run set) of the OneToOne.Long tests.

Each row: the report's file name, whether it was pinned (--cpus in its command), its linger, the ring's median and
mean batch, the Channel's median and the ring-to-Channel ratio, unbatched and batched (Batch10), and the median
cache-line round trip measured before the set's runs. A last line counts the sets that meet the issue's goals
(unbatched >= 20x, batched >= 40x the Channel of the same set).

    python3 perf/scripts/set_table.py perf/OptiFlow.PerfTests/results/ring-*-default-*.json
"""
import json
import os
import statistics
import sys


def main(paths):
    print("| set | pinned | linger | ring median | batch | Channel median | ÷ Channel | Batch10 median | batch | ÷ Channel | line rt |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    unbatched_met = batched_met = 0
    ratios_u, ratios_b = [], []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        tests = {t["name"]: t for t in report["tests"]}
        ring = tests["OneToOne.Long.Ring"]
        batched = tests["OneToOne.Long.Batch10.Ring"]
        channel = tests["OneToOne.Long.Channel"]
        ru = ring["opsPerSecond"]["median"] / channel["opsPerSecond"]["median"]
        rb = batched["opsPerSecond"]["median"] / channel["opsPerSecond"]["median"]
        ratios_u.append(ru)
        ratios_b.append(rb)
        unbatched_met += ru >= 20
        batched_met += rb >= 40
        rts = [r["lineRoundTripNs"] for t in (ring, batched, channel) for r in t["perRun"] if r.get("lineRoundTripNs") is not None]
        linger = report.get("lingerBatchSize", 0)
        linger_text = f"{linger}:{report.get('lingerNanoseconds', 0)}" if linger else "none"
        pinned = "yes" if "--cpus" in report["command"] else "no"
        print(f"| {os.path.basename(path)} | {pinned} | {linger_text} | {ring['opsPerSecond']['median'] / 1e6:.1f}M | {ring['meanBatchSize']:.0f} "
              f"| {channel['opsPerSecond']['median'] / 1e6:.1f}M | **{ru:.1f}×** | {batched['opsPerSecond']['median'] / 1e6:.1f}M "
              f"| {batched['meanBatchSize']:.0f} | **{rb:.1f}×** | {statistics.median(rts):.0f} ns |")
    n = len(paths)
    print()
    print(f"unbatched >= 20x in {unbatched_met} of {n} sets (median set ratio {statistics.median(ratios_u):.1f}x); "
          f"batched >= 40x in {batched_met} of {n} (median set ratio {statistics.median(ratios_b):.1f}x)")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
