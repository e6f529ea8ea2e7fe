#!/usr/bin/env bash
# Long fuzz runs: every target in BUILD (a -DEXSOL_FUZZ=ON clang build) for RUNS
# executions or SECONDS seconds, whichever comes first, and one line per target with
# executions, exec/s and crashes. HDF5 modes (fuzz_ncfile, fuzz_copy with
# EXSOL_FUZZ_HDF5=1) run in fork mode with -ignore_crashes=1: Debian's HDF5 1.10.8
# crashes inside its own code on corrupt images, so those crashes are counted and
# their inputs kept in OUT/<target>-hdf5/ instead of ending the run.
# Usage: bench/fuzz.sh [BUILD] [RUNS] [SECONDS] [TARGET...]
#   defaults: build-fuzz 10000000 36000 (all targets); OUT=fuzz-out
set -u
BUILD=${1:-build-fuzz}
RUNS=${2:-10000000}
SECS=${3:-36000}
shift $(($# < 3 ? $# : 3))
SRC=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-fuzz-out}
export HDF5_PLUGIN_PATH=${HDF5_PLUGIN_PATH:-$BUILD/hdf5-plugin} EXSOL_DATADIR=${EXSOL_DATADIR:-$SRC/datasets}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for f in "$BUILD"/bin/fuzz_*; do [ -x "$f" ] && targets+=("$(basename "$f")"); done
    targets+=(fuzz_ncfile:hdf5 fuzz_copy:hdf5)
fi
mkdir -p "$OUT"
printf '%-20s %12s %10s %8s %s\n' target executions exec/s crashes note
for t in "${targets[@]}"; do
    bin=${t%%:*} mode=${t#*:}
    [ "$mode" == "$t" ] && mode=
    name=$bin${mode:+-$mode}
    corpus=$OUT/$name/corpus
    mkdir -p "$corpus" "$OUT/$name/crashes"
    [ -d "$SRC/tests/fuzz/corpus/$bin" ] && cp -n "$SRC/tests/fuzz/corpus/$bin"/* "$corpus"/ 2>/dev/null
    args=(-runs="$RUNS" -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=20
        -artifact_prefix="$OUT/$name/crashes/" -print_final_stats=1)
    env=()
    if [ "$mode" == hdf5 ]; then
        env=(EXSOL_FUZZ_HDF5=1)
        args+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -detect_leaks=0)
    fi
    start=$(date +%s)
    env "${env[@]}" "$BUILD/bin/$bin" "${args[@]}" "$corpus" >"$OUT/$name/log" 2>&1
    rc=$?
    secs=$(($(date +%s) - start))
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$OUT/$name/log" | awk '{s += $2} END {print s + 0}')
    [ "$execs" -eq 0 ] && execs=$(grep -oE '#[0-9]+' "$OUT/$name/log" | tail -n 1 | tr -d '#')
    crashes=$(find "$OUT/$name/crashes" -type f | wc -l)
    note=
    [ "$mode" == hdf5 ] && note="(fork mode; crashes inside HDF5 counted here)"
    [ "$mode" != hdf5 ] && [ $rc -ne 0 ] && note="exit $rc: see $OUT/$name/log"
    printf '%-20s %12s %10s %8s %s\n' "$name" "${execs:-0}" $(( ${execs:-0} / (secs > 0 ? secs : 1) )) "$crashes" "$note"
done
