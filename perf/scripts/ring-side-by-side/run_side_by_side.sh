#!/usr/bin/env bash
# The project's copy of ../shared/tools/disruptor-side-by-side/run_side_by_side.sh (issue 20 item 4), plus a "before"
# OptiFlow build (MAIN_DIR: main-* ids) and the 128-byte slot (ours-market*, main-market*, dn-value128* ids; Disruptor-net's
# side is generated into the local Disruptor-net clone by add-dn-value128-tests.sh, never into this repository). The
# Disruptor-net patch is read from beside this script or from ../shared/tools/disruptor-side-by-side/ (PATCH overrides).
# Same-machine, same-run throughput comparison: OptiFlow's ring (perf/OptiFlow.PerfTests) against Disruptor-net
# (src/Disruptor.PerfTests, built locally with the changes in disruptor-net-local.patch), in INTERLEAVED rounds.
#
#   OURS_REPO=<project checkout> DN_MIRROR=<Disruptor-net git dir> bash run_side_by_side.sh          # the real run: 7 rounds x 5 runs per test (quiet machine!)
#   ... bash run_side_by_side.sh --smoke    # 1 round, 1 run, counts x0.01: proves the plumbing only
#
# Every round runs each test once as its own process, in this order (TESTS overrides it):
#   ours-unbatched   OptiFlow  --filter OneToOne.Long.Ring          (value ring, 8-byte struct, Next/Publish per event)
#   dn-value         Disruptor OneToOneSequencedThroughputTest_Value (ValueRingBuffer<PerfValueEvent>, 8-byte struct)
#   dn-class         Disruptor OneToOneSequencedThroughputTest       (RingBuffer<PerfEvent>, class slots)
#   ours-batched     OptiFlow  --filter OneToOne.Long.Batch10.Ring  (Next(10) / Publish(lo, hi))
#   dn-value-batch   Disruptor OneToOneSequencedThroughputTest_Value_BatchPublisher (Next(10) / Publish(lo, hi))
#   dn-class-batch   Disruptor OneToOneSequencedThroughputTest_BatchPublisher
#   ours-channel     OptiFlow  --filter OneToOne.Long.Channel       (bounded Channel<long-struct>, spin TryWrite/TryRead)
# Optional ids: ours-unbatched-linger, ours-batched-linger (--linger 256:2000), dn-value-static and
# dn-value-batch-static (DISRUPTOR_DYNAMIC_CODE_DISABLED=1: the interface-call processor that upstream's own
# PublishAot build uses).
#
# Settings shared by both harnesses: ring (and Channel) capacity 65,536, yielding wait strategy, not pinned, the same
# events per run per pair (Disruptor-net's count comes from DISRUPTOR_PERF_EVENTS, a local change), the same number
# of recorded runs per invocation (Disruptor-net gets one extra run that is dropped: OptiFlow's harness makes one
# untimed warm-up run per invocation, Disruptor-net's makes none).
#
# Environment: ROUNDS (7), RUNS (5), SCALE (1.0 = OptiFlow's default counts: 25M unbatched, 40M batched, 3M Channel),
# TESTS, BUDGET_S (570: whole script, build included; a run that would pass it is not started and the calls are cut
# at it), CALL_TIMEOUT_S (120), OUT (a new folder under $WORK/runs), SUMMARY ($WORK/summary.md), WORK (/tmp/disruptor-side-by-side),
# OURS_DIR (/tmp/peer-ours), DN_DIR (/tmp/peer-disruptor), DN_MIRROR (bare git dir of Disruptor-net, for a fresh
# clone), REBUILD=1 (build even if the binaries exist).
set -u -o pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${PATCH:=$( [[ -f "$HERE/disruptor-net-local.patch" ]] && echo "$HERE/disruptor-net-local.patch" || echo "$HERE/../../../../shared/tools/disruptor-side-by-side/disruptor-net-local.patch")}"
: "${WORK:=/tmp/disruptor-side-by-side}"; mkdir -p "$WORK"
START_EPOCH=$(date +%s)
MODE=full
if [[ "${1:-}" == "--smoke" ]]; then
    MODE=smoke
    : "${ROUNDS:=1}" "${RUNS:=1}" "${SCALE:=0.01}" "${SUMMARY:=$WORK/summary-smoke.md}"
fi
: "${ROUNDS:=7}" "${RUNS:=5}" "${SCALE:=1.0}" "${BUDGET_S:=570}" "${CALL_TIMEOUT_S:=120}"
: "${SUMMARY:=$WORK/summary.md}"
: "${OURS_DIR:=/tmp/peer-ours}" "${DN_DIR:=/tmp/peer-disruptor}" "${MAIN_DIR:=/tmp/peer-main}"
: "${OURS_REPO:?set OURS_REPO to the project checkout}" "${DN_MIRROR:?set DN_MIRROR to a Disruptor-net git dir (a clone of disruptor-net/Disruptor-net)}"
: "${DN_COMMIT:=8f6d8c61a98b6c3da1bcba9fecaaa1ce97b232b4}"
: "${TESTS:=ours-unbatched dn-value dn-class ours-batched dn-value-batch dn-class-batch ours-channel}"
: "${OUT:=$WORK/runs/$(date -u +%Y%m%dT%H%M%SZ)-$MODE}"
BUFFER=65536
WAIT=yielding
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

elapsed() { echo $(( $(date +%s) - START_EPOCH )); }
log() { echo "[$(date -u +%H:%M:%S) +$(elapsed)s] $*"; }

mkdir -p "$OUT"
exec > >(tee -a "$OUT/console.log") 2>&1

# ---- work trees (created only if missing) -------------------------------------------------------------------------
if [[ ! -d "$OURS_DIR/perf/OptiFlow.PerfTests" ]]; then
    log "cloning $OURS_REPO -> $OURS_DIR"
    git clone -q "$OURS_REPO" "$OURS_DIR" || { echo "cannot clone $OURS_REPO"; exit 2; }
fi
if [[ ! -d "$DN_DIR/src/Disruptor.PerfTests" ]]; then
    [[ -d "$DN_MIRROR" ]] || { echo "no Disruptor-net source at DN_MIRROR=$DN_MIRROR (clone github.com/disruptor-net/Disruptor-net there)"; exit 2; }
    log "cloning $DN_MIRROR @ $DN_COMMIT -> $DN_DIR and applying $PATCH"
    git clone -q "$DN_MIRROR" "$DN_DIR" && git -C "$DN_DIR" checkout -q "$DN_COMMIT" \
        && git -C "$DN_DIR" apply "$PATCH" || { echo "Disruptor-net setup failed"; exit 2; }
fi

DN_FORCE=0
if ! grep -q Value128 "$DN_DIR/src/Disruptor.PerfTests/PerfTestType.cs"; then
    bash "$HERE/add-dn-value128-tests.sh" "$DN_DIR" || exit 2
    DN_FORCE=1
fi
OURS_DLL="$OURS_DIR/perf/OptiFlow.PerfTests/bin/Release/net10.0/OptiFlow.PerfTests.dll"
MAIN_DLL="$MAIN_DIR/perf/OptiFlow.PerfTests/bin/Release/net10.0/OptiFlow.PerfTests.dll"
DN_DLL="$DN_DIR/src/Disruptor.PerfTests/bin/Release/net10.0/Disruptor.PerfTests.dll"
build() { # $1 project dir, $2 dll
    if [[ "${REBUILD:-0}" == 1 || ! -f "$2" ]]; then
        log "building $1"
        timeout 240 dotnet build -c Release "$1" > "$OUT/build-$(basename "$1").log" 2>&1 \
            || { tail -20 "$OUT/build-$(basename "$1").log"; echo "build failed: $1"; exit 2; }
    fi
}
build "$OURS_DIR/perf/OptiFlow.PerfTests" "$OURS_DLL"
[[ $DN_FORCE == 1 ]] && rm -f "$DN_DLL"
build "$DN_DIR/src/Disruptor.PerfTests" "$DN_DLL"
[[ -d "$MAIN_DIR/perf/OptiFlow.PerfTests" ]] && build "$MAIN_DIR/perf/OptiFlow.PerfTests" "$MAIN_DLL"

# ---- per-test commands ------------------------------------------------------------------------------------------
# Events per run, computed as OptiFlow's harness does (max(1000, (long)(default * scale)); batched: a multiple of 10).
read -r EV_UNBATCHED EV_BATCHED EV_CHANNEL EV_MARKET EV_MARKET_BATCHED EV_MARKET2 EV_MARKET2_BATCHED < <(python3 -c "
s=float('$SCALE'); f=lambda d: max(1000, int(d*s)); t=lambda d: f(d) - f(d) % 10
print(f(25_000_000), t(40_000_000), f(3_000_000), f(10_000_000), t(20_000_000), f(8_000_000), t(10_000_000))")

ours() { # $1 id, $2 json, $3 filter, extra args...
    local json=$2 filter=$3; shift 3
    dotnet "${DLL:-$OURS_DLL}" --filter "$filter" --runs "$RUNS" --scale "$SCALE" --buffer-size "$BUFFER" --wait "$WAIT" --json "$json" "$@"
}
dn() { # $1 events, $2 target, extra env in DN_ENV
    env ${DN_ENV:-} DISRUPTOR_PERF_EVENTS="$1" DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 \
        dotnet "$DN_DLL" --target "$2" --runs $((RUNS + 1)) --report false --print-spec false --wait-strategy "$WAIT"
}
run_test() { # $1 id, $2 base path of its outputs (.log, .json)
    case "$1" in
        ours-unbatched)        ours "$1" "$2.json" OneToOne.Long.Ring ;;
        main-unbatched)        DLL=$MAIN_DLL ours "$1" "$2.json" OneToOne.Long.Ring ;;
        main-batched)          DLL=$MAIN_DLL ours "$1" "$2.json" OneToOne.Long.Batch10.Ring ;;
        ours-market)           ours "$1" "$2.json" OneToOne.MarketEvent.Ring ;;
        ours-market-batched)   ours "$1" "$2.json" OneToOne.MarketEvent.Batch10.Ring ;;
        ours-market-1to2)      ours "$1" "$2.json" CoreJournal.OneToTwo.MarketEvent.Ring ;;
        ours-market-1to2-batched) ours "$1" "$2.json" CoreJournal.OneToTwo.MarketEvent.Batch10.Ring ;;
        main-market)           DLL=$MAIN_DLL ours "$1" "$2.json" OneToOne.MarketEvent.Ring ;;
        main-market-batched)   DLL=$MAIN_DLL ours "$1" "$2.json" OneToOne.MarketEvent.Batch10.Ring ;;
        main-market-1to2)      DLL=$MAIN_DLL ours "$1" "$2.json" CoreJournal.OneToTwo.MarketEvent.Ring ;;
        main-market-1to2-batched) DLL=$MAIN_DLL ours "$1" "$2.json" CoreJournal.OneToTwo.MarketEvent.Batch10.Ring ;;
        dn-value128)           dn "$EV_MARKET" OneToOneSequencedThroughputTest_Value128 ;;
        dn-value128-batch)     dn "$EV_MARKET_BATCHED" OneToOneSequencedThroughputTest_Value128_BatchPublisher ;;
        dn-value128-1to2)      dn "$EV_MARKET2" OneToTwoSequencedThroughputTest_Value128 ;;
        dn-value128-1to2-batch) dn "$EV_MARKET2_BATCHED" OneToTwoSequencedThroughputTest_Value128_BatchPublisher ;;
        ours-batched)          ours "$1" "$2.json" OneToOne.Long.Batch10.Ring ;;
        ours-channel)          ours "$1" "$2.json" OneToOne.Long.Channel ;;
        ours-unbatched-linger) ours "$1" "$2.json" OneToOne.Long.Ring --linger 256:2000 ;;
        ours-batched-linger)   ours "$1" "$2.json" OneToOne.Long.Batch10.Ring --linger 256:2000 ;;
        dn-value)              dn "$EV_UNBATCHED" OneToOneSequencedThroughputTest_Value ;;
        dn-class)              dn "$EV_UNBATCHED" OneToOneSequencedThroughputTest ;;
        dn-value-batch)        dn "$EV_BATCHED" OneToOneSequencedThroughputTest_Value_BatchPublisher ;;
        dn-class-batch)        dn "$EV_BATCHED" OneToOneSequencedThroughputTest_BatchPublisher ;;
        dn-value-static)       DN_ENV=DISRUPTOR_DYNAMIC_CODE_DISABLED=1 dn "$EV_UNBATCHED" OneToOneSequencedThroughputTest_Value ;;
        dn-value-batch-static) DN_ENV=DISRUPTOR_DYNAMIC_CODE_DISABLED=1 dn "$EV_BATCHED" OneToOneSequencedThroughputTest_Value_BatchPublisher ;;
        *) echo "unknown test id $1"; return 2 ;;
    esac
}
export -f ours dn run_test
export OURS_DLL MAIN_DLL DN_DLL RUNS SCALE BUFFER WAIT EV_UNBATCHED EV_BATCHED EV_CHANNEL EV_MARKET EV_MARKET_BATCHED EV_MARKET2 EV_MARKET2_BATCHED

cat > "$OUT/config.env" <<EOF
MODE=$MODE
ROUNDS=$ROUNDS
RUNS=$RUNS
SCALE=$SCALE
BUFFER=$BUFFER
WAIT=$WAIT
TESTS=$TESTS
EV_UNBATCHED=$EV_UNBATCHED
EV_BATCHED=$EV_BATCHED
EV_CHANNEL=$EV_CHANNEL
EV_MARKET=$EV_MARKET
EV_MARKET_BATCHED=$EV_MARKET_BATCHED
EV_MARKET2=$EV_MARKET2
EV_MARKET2_BATCHED=$EV_MARKET2_BATCHED
MAIN_COMMIT=$( [[ -d "$MAIN_DIR/.git" ]] && echo "$(git -C "$MAIN_DIR" log --format=%h -1) = $(git -C "$MAIN_DIR" log --format=%h -1 HEAD~1) + the perf-test commit" )
OURS_COMMIT=$(git -C "$OURS_DIR" rev-parse --short HEAD)$(git -C "$OURS_DIR" diff --quiet HEAD || echo +local)
DN_COMMIT=$(git -C "$DN_DIR" rev-parse --short HEAD)+local-patch($(git -C "$DN_DIR" diff HEAD --stat | tail -1 | sed 's/^ *//'))
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) CPUs)
RUNTIME=$(dotnet --list-runtimes | grep NETCore.App | tail -1)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED_UTC=$(date -u +%FT%TZ)
EOF
log "mode $MODE: $ROUNDS round(s) x $RUNS run(s); events/run unbatched $EV_UNBATCHED, batched $EV_BATCHED, channel $EV_CHANNEL; out $OUT"
log "load average before: $(cat /proc/loadavg)"
awk '{ if ($1 > 0.5) print "WARNING: 1-min load average " $1 " > 0.5: the machine is not quiet" }' /proc/loadavg

# ---- interleaved rounds -----------------------------------------------------------------------------------------
ROUNDS_DONE=0
STOPPED=""
for ((r = 1; r <= ROUNDS; r++)); do
    echo "round $r start $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/rounds.txt"
    for id in $TESTS; do
        left=$(( BUDGET_S - $(elapsed) ))
        if (( left < 10 )); then STOPPED="time budget reached in round $r before $id"; break 2; fi
        limit=$(( left < CALL_TIMEOUT_S ? left : CALL_TIMEOUT_S ))
        base="$OUT/r$r-$id"
        t0=$(date +%s%N)
        timeout -k 5 "$limit" bash -c 'run_test "$1" "$2"' _ "$id" "$base" > "$base.log" 2>&1
        rc=$?
        printf 'round %d %-22s rc=%d %6d ms\n' "$r" "$id" "$rc" $(( ($(date +%s%N) - t0) / 1000000 )) | tee -a "$OUT/rounds.txt"
        echo "$rc" > "$base.rc"
    done
    ROUNDS_DONE=$r
done
echo "LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/config.env"
echo "ROUNDS_DONE=$ROUNDS_DONE" >> "$OUT/config.env"
echo "STOPPED=$STOPPED" >> "$OUT/config.env"
echo "ELAPSED_S=$(elapsed)" >> "$OUT/config.env"
[[ -n "$STOPPED" ]] && log "stopped early: $STOPPED"

python3 "$HERE/summarize.py" "$OUT" "$SUMMARY"
log "summary: $SUMMARY (raw logs and JSON: $OUT)"
cat "$SUMMARY"
