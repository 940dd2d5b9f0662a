#!/usr/bin/env bash
# Interleaved A/B of `optiflow run` (journal on tmpfs) and `optiflow replay` on one recording: ROUNDS rounds, each
# running the base build then the new build, so both see the same machine state. Prints one TSV row per run:
#   build  round  process_wall_ms  run_elapsed_ms  replay_ms
# process_wall_ms is the whole command (start-up, the symbols' first pass, run, replay); run_elapsed_ms is the
# session's own figure (the new build's first pass happens before it starts).
# Usage: run_replay_ab.sh BASE_OPTIFLOW NEW_OPTIFLOW RECORDING [ROUNDS] [MARKET]
set -euo pipefail
base="$1"; new="$2"; recording="$3"; rounds="${4:-7}"; market="${5:-futures}"
scratch="$(mktemp -d /dev/shm/optiflow-ab.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
printf 'build\tround\tprocess_wall_ms\trun_elapsed_ms\treplay_ms\n'
for round in $(seq 1 "$rounds"); do
  for build in base new; do
    tool="$base"; [ "$build" = new ] && tool="$new"
    journal="$scratch/$build-$round"
    start="$(date +%s%N)"
    out="$("$tool" run --market "$market" --journal "$journal" "$recording" || true)"
    wall_ms="$(( ($(date +%s%N) - start) / 1000000 ))"
    run_ms="$(printf '%s\n' "$out" | sed -n 's/^elapsed: \([0-9,]*\) ms$/\1/p' | tr -d ,)"
    replay_ms="$(printf '%s\n' "$out" | sed -n 's/.* through the same core in \([0-9,]*\) ms;.*/\1/p' | tr -d ,)"
    printf '%s\t%s\t%s\t%s\t%s\n' "$build" "$round" "$wall_ms" "$run_ms" "$replay_ms"
    rm -rf "$journal"
  done
done
