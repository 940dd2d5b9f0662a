#!/usr/bin/env python3
"""Summarise one run_side_by_side.sh output folder into a Markdown table (median/min/max M ops/s per test).

usage: summarize.py OUT_DIR SUMMARY.md
OptiFlow runs come from each invocation's --json (perRun); Disruptor-net runs from its stdout lines
"Run: Ops: 70 024 333 - Duration: 29 (ms) - GC: 0 - 0 - 0 - Batch %: ... - Average Batch Size: 64,516.1",
the first run of each Disruptor-net invocation dropped (its warm-up; OptiFlow's harness makes its own untimed one).
"""
import json
import os
import re
import statistics
import sys

OUT, SUMMARY = sys.argv[1], sys.argv[2]
cfg = {}
for line in open(os.path.join(OUT, "config.env")):
    if "=" in line:
        k, v = line.rstrip("\n").split("=", 1)
        cfg[k] = v

TESTS = cfg["TESTS"].split()
EVENTS = {
    "ours-unbatched": cfg["EV_UNBATCHED"], "dn-value": cfg["EV_UNBATCHED"], "dn-class": cfg["EV_UNBATCHED"],
    "ours-unbatched-linger": cfg["EV_UNBATCHED"], "dn-value-static": cfg["EV_UNBATCHED"],
    "ours-batched": cfg["EV_BATCHED"], "dn-value-batch": cfg["EV_BATCHED"], "dn-class-batch": cfg["EV_BATCHED"],
    "ours-batched-linger": cfg["EV_BATCHED"], "dn-value-batch-static": cfg["EV_BATCHED"],
    "ours-channel": cfg["EV_CHANNEL"],
    "main-unbatched": cfg["EV_UNBATCHED"], "main-batched": cfg["EV_BATCHED"],
    "ours-market": cfg["EV_MARKET"], "main-market": cfg["EV_MARKET"], "dn-value128": cfg["EV_MARKET"],
    "ours-market-batched": cfg["EV_MARKET_BATCHED"], "main-market-batched": cfg["EV_MARKET_BATCHED"], "dn-value128-batch": cfg["EV_MARKET_BATCHED"],
    "ours-market-1to2": cfg["EV_MARKET2"], "main-market-1to2": cfg["EV_MARKET2"], "dn-value128-1to2": cfg["EV_MARKET2"],
    "ours-market-1to2-batched": cfg["EV_MARKET2_BATCHED"], "main-market-1to2-batched": cfg["EV_MARKET2_BATCHED"], "dn-value128-1to2-batch": cfg["EV_MARKET2_BATCHED"],
}
WHAT = {
    "ours-unbatched": "OptiFlow `OneToOne.Long.Ring`: value ring, 8-B struct, Next/Publish per event",
    "ours-batched": "OptiFlow `OneToOne.Long.Batch10.Ring`: Next(10)/Publish(lo,hi)",
    "ours-channel": "OptiFlow `OneToOne.Long.Channel`: bounded Channel, spin TryWrite/TryRead",
    "ours-unbatched-linger": "OptiFlow `OneToOne.Long.Ring` --linger 256:2000",
    "ours-batched-linger": "OptiFlow `OneToOne.Long.Batch10.Ring` --linger 256:2000",
    "dn-value": "Disruptor-net `OneToOneSequencedThroughputTest_Value`: ValueRingBuffer, 8-B struct",
    "dn-class": "Disruptor-net `OneToOneSequencedThroughputTest`: RingBuffer of class slots",
    "dn-value-batch": "Disruptor-net `..._Value_BatchPublisher`: Next(10)/Publish(lo,hi)",
    "dn-class-batch": "Disruptor-net `..._BatchPublisher` (class slots): Next(10)/Publish(lo,hi)",
    "dn-value-static": "Disruptor-net `..._Value`, static (interface-call) processor",
    "dn-value-batch-static": "Disruptor-net `..._Value_BatchPublisher`, static processor",
    "main-unbatched": "OptiFlow before (main) `OneToOne.Long.Ring`",
    "main-batched": "OptiFlow before (main) `OneToOne.Long.Batch10.Ring`",
    "ours-market": "OptiFlow `OneToOne.MarketEvent.Ring` (128-B slot)",
    "ours-market-batched": "OptiFlow `OneToOne.MarketEvent.Batch10.Ring`",
    "ours-market-1to2": "OptiFlow `CoreJournal.OneToTwo.MarketEvent.Ring` (1 → 2 parallel)",
    "ours-market-1to2-batched": "OptiFlow `CoreJournal.OneToTwo.MarketEvent.Batch10.Ring`",
    "main-market": "OptiFlow before (main) `OneToOne.MarketEvent.Ring`",
    "main-market-batched": "OptiFlow before (main) `OneToOne.MarketEvent.Batch10.Ring`",
    "main-market-1to2": "OptiFlow before (main engine) `CoreJournal.OneToTwo.MarketEvent.Ring`",
    "main-market-1to2-batched": "OptiFlow before (main engine) `CoreJournal.OneToTwo.MarketEvent.Batch10.Ring`",
    "dn-value128": "Disruptor-net local `OneToOneSequencedThroughputTest_Value128` (128-B struct)",
    "dn-value128-batch": "Disruptor-net local `..._Value128_BatchPublisher`",
    "dn-value128-1to2": "Disruptor-net local `OneToTwoSequencedThroughputTest_Value128` (1 → 2 parallel)",
    "dn-value128-1to2-batch": "Disruptor-net local `OneToTwo..._Value128_BatchPublisher`",
}
OURS_NAME = {
    "ours-unbatched": "OneToOne.Long.Ring", "ours-unbatched-linger": "OneToOne.Long.Ring",
    "ours-batched": "OneToOne.Long.Batch10.Ring", "ours-batched-linger": "OneToOne.Long.Batch10.Ring",
    "ours-channel": "OneToOne.Long.Channel",
    "main-unbatched": "OneToOne.Long.Ring", "main-batched": "OneToOne.Long.Batch10.Ring",
    "ours-market": "OneToOne.MarketEvent.Ring", "main-market": "OneToOne.MarketEvent.Ring",
    "ours-market-batched": "OneToOne.MarketEvent.Batch10.Ring", "main-market-batched": "OneToOne.MarketEvent.Batch10.Ring",
    "ours-market-1to2": "CoreJournal.OneToTwo.MarketEvent.Ring", "main-market-1to2": "CoreJournal.OneToTwo.MarketEvent.Ring",
    "ours-market-1to2-batched": "CoreJournal.OneToTwo.MarketEvent.Batch10.Ring", "main-market-1to2-batched": "CoreJournal.OneToTwo.MarketEvent.Batch10.Ring",
}
RUN_RE = re.compile(r"^Run: Ops:\s*([\d ]+?)\s+- Duration: ([\d,]+) \(ms\) - GC: (\d+) - (\d+) - (\d+)"
                    r" - Batch %: [^-]*- Average Batch Size: ([\d,.]+|)\s*$")


def parse_ours(base, test):
    runs, notes = [], []
    path = base + ".json"
    if not os.path.exists(path):
        return runs, ["no JSON"]
    doc = json.load(open(path))
    for t in doc["tests"]:
        if t["name"] != OURS_NAME[test]:
            continue
        gcs = t.get("gcPerRun", [])
        for i, r in enumerate(t["perRun"]):
            gc = sum(gcs[i]) if i < len(gcs) else None
            runs.append({"ops": r["opsPerSecond"], "batch": r.get("meanBatchSize"), "gc": gc,
                         "rt": r.get("lineRoundTripNs")})
        notes += t.get("failures", [])
    return runs, notes


def parse_dn(base):
    runs, notes = [], []
    lines = open(base + ".log", errors="replace").read().splitlines() if os.path.exists(base + ".log") else []
    seen = 0
    for line in lines:
        if line.startswith("Run: FAILED"):
            seen += 1
            notes.append(line)
            continue
        m = RUN_RE.match(line)
        if not m:
            continue
        seen += 1
        if seen == 1:
            continue  # warm-up run, dropped
        ops = float(m.group(1).replace(" ", ""))
        batch = float(m.group(6).replace(",", "")) if m.group(6) else None
        runs.append({"ops": ops, "batch": batch, "gc": sum(int(m.group(k)) for k in (3, 4, 5)), "rt": None})
    return runs, notes


rounds = int(cfg.get("ROUNDS_DONE", "0") or 0)
data = {t: {"runs": [], "per_round": {}, "notes": [], "rc": []} for t in TESTS}
for r in range(1, rounds + 1):
    for t in TESTS:
        base = os.path.join(OUT, f"r{r}-{t}")
        if not os.path.exists(base + ".rc"):
            continue
        rc = int(open(base + ".rc").read().strip() or 1)
        runs, notes = parse_ours(base, t) if t.startswith(("ours", "main")) else parse_dn(base)
        if rc == 0 and not runs and not notes:
            notes.append(f"round {r}: exit code 0 but no run parsed (see {os.path.basename(base)}.log)")
        if rc != 0:
            notes.append(f"round {r}: exit code {rc}" + (" (timed out)" if rc in (124, 137) else ""))
        d = data[t]
        d["runs"] += runs
        d["notes"] += [f"round {r}: {n}" if not n.startswith("round") else n for n in notes]
        if runs:
            d["per_round"][r] = statistics.median(x["ops"] for x in runs)


def m(x):
    return f"{x / 1e6:.1f}"


lines = []
lines.append(f"# Side-by-side 1 → 1 throughput: OptiFlow ring vs Disruptor-net ({cfg['MODE']} run)")
lines.append("")
lines.append(f"- started {cfg['STARTED_UTC']}, {cfg.get('ELAPSED_S', '?')} s; rounds done {rounds} of {cfg['ROUNDS']}"
             + (f" (**stopped early: {cfg['STOPPED']}**)" if cfg.get("STOPPED") else ""))
lines.append(f"- machine: {cfg['CPU']}; {cfg['RUNTIME']}; load average before {cfg['LOAD_BEFORE']}, after {cfg.get('LOAD_AFTER', '?')}")
lines.append(f"- OptiFlow {cfg['OURS_COMMIT']}; before (main-*): {cfg.get('MAIN_COMMIT', '-')}; Disruptor-net {cfg['DN_COMMIT']}")
lines.append(f"- per invocation {cfg['RUNS']} recorded run(s) (Disruptor-net: {int(cfg['RUNS']) + 1}, first dropped); "
             f"capacity {cfg['BUFFER']} (ring and Channel); wait strategy {cfg['WAIT']}; not pinned; scale {cfg['SCALE']}")
lines.append(f"- events per run: unbatched {int(cfg['EV_UNBATCHED']):,}, batched {int(cfg['EV_BATCHED']):,} "
             f"(= {int(cfg['EV_BATCHED']) // 10:,} claims of 10), Channel {int(cfg['EV_CHANNEL']):,}")
lines.append("")
lines.append("| test | what | events/run | runs | median M ops/s | min | max | mean batch (median) | GC/run (max) | line rt ns (median) | failures |")
lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for t in TESTS:
    d = data[t]
    runs = d["runs"]
    if runs:
        ops = [x["ops"] for x in runs]
        batches = [x["batch"] for x in runs if x["batch"]]
        gcs = [x["gc"] for x in runs if x["gc"] is not None]
        rts = [x["rt"] for x in runs if x["rt"]]
        row = [m(statistics.median(ops)), m(min(ops)), m(max(ops)),
               f"{statistics.median(batches):.1f}" if batches else "-",
               str(max(gcs)) if gcs else "-", f"{statistics.median(rts):.0f}" if rts else "-"]
    else:
        row = ["-"] * 6
    lines.append(f"| {t} | {WHAT.get(t, t)} | {int(EVENTS.get(t, 0)):,} | {len(runs)} | " + " | ".join(row)
                 + f" | {len(d['notes'])} |")

PAIRS = [("ours-unbatched", "dn-value"), ("ours-unbatched", "dn-class"), ("ours-batched", "dn-value-batch"),
         ("ours-batched", "dn-class-batch"), ("ours-unbatched-linger", "dn-value"), ("ours-batched-linger", "dn-value-batch"),
         ("dn-value", "dn-value-static"), ("dn-value-batch", "dn-value-batch-static"),
         ("ours-unbatched", "ours-channel"), ("dn-value", "ours-channel"),
         ("ours-batched", "ours-channel"), ("dn-value-batch", "ours-channel"),
         ("ours-batched", "main-batched"), ("ours-unbatched", "main-unbatched"),
         ("main-batched", "dn-value-batch"), ("main-unbatched", "dn-value"),
         ("ours-market", "dn-value128"), ("ours-market-batched", "dn-value128-batch"),
         ("ours-market-1to2", "dn-value128-1to2"), ("ours-market-1to2-batched", "dn-value128-1to2-batch"),
         ("ours-market", "main-market"), ("ours-market-batched", "main-market-batched"),
         ("ours-market-1to2", "main-market-1to2"), ("ours-market-1to2-batched", "main-market-1to2-batched"),
         ("main-market", "dn-value128"), ("main-market-batched", "dn-value128-batch"),
         ("main-market-1to2", "dn-value128-1to2"), ("main-market-1to2-batched", "dn-value128-1to2-batch")]
lines.append("")
lines.append("Ratios: *pooled* = median of all A runs ÷ median of all B runs; *per round* = median over rounds of "
             "(A's round median ÷ B's round median), i.e. each ratio taken within one round (same placement, minutes apart at most).")
lines.append("")
lines.append("| A | B | pooled A÷B | per-round A÷B median (min–max) | rounds |")
lines.append("|---|---|---:|---:|---:|")
for a, b in PAIRS:
    if a not in data or b not in data or not data[a]["runs"] or not data[b]["runs"]:
        continue
    pooled = statistics.median(x["ops"] for x in data[a]["runs"]) / statistics.median(x["ops"] for x in data[b]["runs"])
    common = sorted(set(data[a]["per_round"]) & set(data[b]["per_round"]))
    rr = [data[a]["per_round"][r] / data[b]["per_round"][r] for r in common]
    per = f"{statistics.median(rr):.2f}× ({min(rr):.2f}–{max(rr):.2f})" if rr else "-"
    lines.append(f"| {a} | {b} | {pooled:.2f}× | {per} | {len(rr)} |")

notes = [(t, n) for t in TESTS for n in data[t]["notes"]]
if notes:
    lines.append("")
    lines.append("Failures / non-zero exits:")
    for t, n in notes:
        lines.append(f"- {t}: {n}")

lines.append("")
lines.append("Per-round medians (M ops/s):")
lines.append("")
lines.append("| round | " + " | ".join(TESTS) + " |")
lines.append("|---|" + "---:|" * len(TESTS))
for r in range(1, rounds + 1):
    lines.append(f"| {r} | " + " | ".join(m(data[t]["per_round"][r]) if r in data[t]["per_round"] else "-" for t in TESTS) + " |")

lines.append("")
lines.append(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "comparability.md")).read().rstrip())
open(SUMMARY, "w").write("\n".join(lines) + "\n")
