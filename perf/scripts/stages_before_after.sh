#!/usr/bin/env bash
# Issue 20's before/after: the stage harness (`OptiFlow.PerfTests stages`) of two builds, in alternating invocations
# (before, after, before, after, …) so both see the same machine state; every invocation writes its JSON.
#   stages_before_after.sh BEFORE_DLL AFTER_DLL OUT_DIR [INVOCATIONS (3)] [RUNS (7)] [RECORDING] [SETTLE (0)]
# BEFORE_DLL / AFTER_DLL: perf/OptiFlow.PerfTests/bin/Release/net10.0/OptiFlow.PerfTests.dll of each build.
# Writes OUT_DIR/{before,after}-N.json and prints, per stage, the median events/s of each invocation and the ratio
# of the medians of those medians (after ÷ before); (d) ÷ slowest per invocation, naming the pipeline stage it used (pipeline-memory, or pipeline in builds without it), and (d') ÷ slowest when both ran.
# SETTLE > 0 adds the same ratio over each invocation's runs after its first SETTLE (read from the JSON's perRun, the
# same for both builds): the steady state, once the JIT has tiered the hot path up (perf/ARCHIVE.md "Replay: the JIT's
# tier-up"); give RUNS ≥ SETTLE + 7 so at least seven runs count. A harness that reports the JIT's time per window
# (jitFreeRuns in its JSON) also gets the replay's median over its runs without JIT compilation, per invocation.
# HARNESS_ARGS (environment): more options for both builds' harness, e.g. HARNESS_ARGS="--stages pipeline,replay".
set -euo pipefail
before="$1"; after="$2"; out="$3"; invocations="${4:-3}"; runs="${5:-7}"; settle="${7:-0}"
recording="${6:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/shared/data/binance/hftbacktest/examples/usdm/btcusdt_20240808}"
mkdir -p "$out"
for n in $(seq 1 "$invocations"); do
  for build in before after; do
    dll="$before"; [ "$build" = after ] && dll="$after"
    echo "[$(date -u +%H:%M:%S)] $build $n (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    # shellcheck disable=SC2086 # HARNESS_ARGS is a list of options
    (cd "$(dirname "$dll")" && dotnet "$dll" stages --recording "$recording" --runs "$runs" ${HARNESS_ARGS:-} --json "$out/$build-$n.json" > "$out/$build-$n.txt" 2>&1) \
      || { echo "$build $n failed: see $out/$build-$n.txt" >&2; exit 1; }
  done
done
python3 - "$out" "$invocations" "$settle" <<'PY'
import json, statistics, sys
out, n, settle = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
runs = {b: [json.load(open(f"{out}/{b}-{i}.json")) for i in range(1, n + 1)] for b in ("before", "after")}
keys = [s["key"] for s in runs["after"][0]["stages"]]
def stages_of(b, key):
    """The stage `key` of each invocation of build `b` that ran it."""
    return [next(s for s in r["stages"] if s["key"] == key) for r in runs[b] if any(s["key"] == key for s in r["stages"])]
def med(b, key, skip=0):
    stages = stages_of(b, key)
    if skip == 0:
        return [s["eventsPerSecond"]["median"] for s in stages]
    return [statistics.median(p["eventsPerSecond"] for p in s["perRun"][skip:]) for s in stages if len(s["perRun"]) > skip]
settled = f" | after ÷ before, runs after the first {settle}" if settle else ""
print(f"| stage | before, events/s (each invocation) | after | after ÷ before (median of medians){settled} |")
print("|---|---|---|---|" + ("---|" if settle else ""))
ratio = lambda a, b: f"{statistics.median(a)/statistics.median(b):.2f}×" if a and b else "—"
for key in keys:
    b, a = med("before", key), med("after", key)
    label = next(s["label"] for s in runs["after"][0]["stages"] if s["key"] == key)
    fmt = lambda xs: ", ".join(f"{x/1e6:.1f}M" for x in xs) or "—"
    extra = f" | {ratio(med('after', key, settle), med('before', key, settle))}" if settle else ""
    print(f"| {label} | {fmt(b)} | {fmt(a)} | {ratio(a, b)}{extra} |")
for b in ("before", "after"):
    free = [s.get("jitFreeRuns") for s in stages_of(b, "replay")]
    if free and all(f is not None for f in free):
        print(f"replay, {b}, runs without JIT compilation in the window (count, median events/s): " + "; ".join(f"{f['count']}, {f.get('medianEventsPerSecond', float('nan'))/1e6:.1f}M" for f in free))
for b in ("before", "after"):
    if all("pipelineOverSlowestStage" in r for r in runs[b]):
        print(f"(d) ÷ slowest, {b}: " + ", ".join(f"{r['pipelineOverSlowestStage']['ratio']:.2f} ({r['pipelineOverSlowestStage']['slowestStage']}; {r['pipelineOverSlowestStage'].get('pipelineStage', 'pipeline')})" for r in runs[b]))
    if all("filesPipelineOverSlowestStage" in r for r in runs[b]):
        print(f"(d') ÷ slowest, reading the files, {b}: " + ", ".join(f"{r['filesPipelineOverSlowestStage']['ratio']:.2f}" for r in runs[b]))
    print(f"load at start, {b}: " + "; ".join(r["loadAverageAtStart"] for r in runs[b]))
PY
