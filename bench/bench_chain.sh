#!/bin/bash
# End-to-end throughput of the screening chain (not a test):
#   bench/bench_chain.sh [BUILD_DIR] [GRID]        (defaults: build, the workflow's grid)
#   CORES=2 SHARDS=4 bench/bench_chain.sh build recipes/grids/default.cfg
# 1. the tools stage by stage through files (each with --threads $CORES): seconds and
#    share per stage, candidates per second of the bare chain;
# 2. the same grid through the Snakemake workflow (--cores $CORES, $SHARDS shards):
#    wall time, candidates per second, per-rule job seconds from Snakemake's
#    benchmark files, the time spent in workflow-only jobs (split, plots,
#    report), each stage rule's time computing and not (from its -v log line), and
#    Snakemake's own scheduling overhead (wall time not in any job).
# KEEP=1 keeps the files of both runs and says where they are.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
BIN=$BUILD/bin
CORES=${CORES:-2}
SHARDS=${SHARDS:-4}
export HDF5_PLUGIN_PATH=$BUILD/hdf5-plugin
GRID=${2:-}
GEN_ARGS=""
if [ -z "$GRID" ]; then
    GRID=$SRC/$(sed -n 's/^grid: *\([^ #]*\).*/\1/p' "$SRC/recipes/config.yaml")
    GEN_ARGS=$(sed -n 's/^gen_args: *"\(.*\)".*/\1/p' "$SRC/recipes/config.yaml")
fi
T=$(mktemp -d)
# KEEP=1 leaves the files (bare chain and workflow) for a closer look
if [ -n "${KEEP:-}" ]; then echo "files kept in $T"; else trap 'rm -rf "$T"' EXIT; fi
now() { date +%s.%N; }

echo "grid: $GRID $GEN_ARGS; cores: $CORES; shards: $SHARDS"
# Writing a file costs more the first time the kernel hands out page-cache memory:
# a VM that backs guest memory lazily (this one) pays for every page never used
# before, and each new output file needs such pages. Shown so that the I/O figures
# below can be read against it.
probe() { local a b; a=$(now); dd if=/dev/zero of="$T/probe" bs=4M count=64 status=none
          b=$(now); rm -f "$T/probe"; echo "$b - $a" | bc; }
p1=$(probe); p2=$(probe)
printf "page cache: a new 256 MiB file written in %.2f s, once more %.2f s\n" "$p1" "$p2"
# ---- 1. bare chain ----
declare -A sec comp
# the -v summary line of each stage says how much of its time was computing
computing() { sed -n 's/.*, \([0-9.]*\) s of it computing).*/\1/p' "$1" | tail -1; }
t0=$(now)
# shellcheck disable=SC2086
"$BIN/exsol-gen" -q --grid "$GRID" $GEN_ARGS -o "$T/gen.nc"
t1=$(now); sec[gen]=$(echo "$t1 - $t0" | bc)
n=$("$BIN/exsol-table" -v T_anneal "$T/gen.nc" | tail -n +2 | wc -l)
prev=gen
for st in reduce transport magnet; do
    a=$(now)
    "$BIN/exsol-$st" -v --threads "$CORES" -o "$T/$st.nc" "$T/$prev.nc" 2>"$T/$st.err"
    b=$(now); sec[$st]=$(echo "$b - $a" | bc); prev=$st
    comp[$st]=$(computing "$T/$st.err")
done
a=$(now)
"$BIN/exsol-rank" -v -o "$T/rank.nc" --tsv "$T/rank.tsv" "$T/magnet.nc" 2>"$T/rank.err"
b=$(now); sec[rank]=$(echo "$b - $a" | bc)
comp[rank]=$(sed -n 's/.*missing values (\([0-9.]*\) s)$/\1/p' "$T/rank.err" | tail -1)
comp[gen]=${sec[gen]} # generating the grid is gen's whole job
total=0
for st in gen reduce transport magnet rank; do total=$(echo "$total + ${sec[$st]}" | bc); done
echo
echo "bare chain, $n candidates:"
printf "  %-10s %9s %7s %10s\n" stage seconds share computing
ctot=0
for st in gen reduce transport magnet rank; do
    c=${comp[$st]:-0}
    ctot=$(echo "$ctot + $c" | bc)
    printf "  %-10s %9.3f %6.1f%% %9.3f s\n" "$st" "${sec[$st]}" \
        "$(echo "100 * ${sec[$st]} / $total" | bc -l)" "$c"
done
printf "  %-10s %9.3f   -> %.1f candidates/s\n" total "$total" "$(echo "$n / $total" | bc -l)"
printf "  file I/O and set-up (stage time not computing): %.3f s, %.1f%% of the chain\n" \
    "$(echo "$total - $ctot" | bc)" "$(echo "100 * ($total - $ctot) / $total" | bc -l)"
for f in "$T"/*.nc; do printf "  file %-14s %12d bytes\n" "$(basename "$f")" "$(stat -c %s "$f")"; done

# ---- 2. workflow ----
cfg=$T/bench.yaml
cat >"$cfg" <<YAML
grid: $GRID
gen_args: "$GEN_ARGS"
shards: $SHARDS
bin: $BIN
hdf5_plugin_path: $BUILD/hdf5-plugin
threads: {reduce: $CORES, transport: $CORES, magnet: $CORES}
YAML
a=$(now)
/usr/bin/python3 -m snakemake -q -s "$SRC/Snakefile" --configfile "$cfg" --cores "$CORES" \
    --directory "$T/wf" >"$T/wf.log" 2>&1 || { tail -20 "$T/wf.log"; exit 1; }
b=$(now)
wall=$(echo "$b - $a" | bc)
echo
echo "workflow (snakemake --cores $CORES, $SHARDS shards), $n candidates:"
jobsum=0
declare -A rs
for f in "$T"/wf/results/benchmarks/*.tsv; do
    r=$(basename "$f" .tsv); r=${r%%.*}
    s=$(awk 'NR == 2 { print $1 }' "$f")
    rs[$r]=$(echo "${rs[$r]:-0} + $s" | bc)
    jobsum=$(echo "$jobsum + $s" | bc)
done
# computing = what the stage jobs' logs say they spent computing (gen: all of it);
# the rest of the wall time is file I/O, set-up, the workflow's own jobs and scheduling
declare -A rc
rc[gen]=${rs[gen]:-0}
for r in reduce transport magnet; do
    rc[$r]=0
    for f in "$T"/wf/results/logs/$r.*.log; do
        c=$(computing "$f"); rc[$r]=$(echo "${rc[$r]} + ${c:-0}" | bc)
    done
done
rc[rank]=$(sed -n 's/.*missing values (\([0-9.]*\) s)$/\1/p' "$T"/wf/results/logs/rank.log | tail -1)
printf "  %-10s %9s %7s %10s %12s\n" rule job-s share computing "not comp."
for r in gen split reduce transport magnet rank plots report; do
    [ -n "${rs[$r]:-}" ] || continue
    if [ -n "${rc[$r]:-}" ]; then
        printf "  %-10s %9.3f %6.1f%% %9.3f s %10.3f s\n" "$r" "${rs[$r]}" \
            "$(echo "100 * ${rs[$r]} / $jobsum" | bc -l)" "${rc[$r]}" \
            "$(echo "${rs[$r]} - ${rc[$r]}" | bc)"
    else
        printf "  %-10s %9.3f %6.1f%%\n" "$r" "${rs[$r]}" \
            "$(echo "100 * ${rs[$r]} / $jobsum" | bc -l)"
    fi
done
extra=$(echo "${rs[split]:-0} + ${rs[plots]:-0} + ${rs[report]:-0}" | bc)
printf "  wall %.2f s -> %.1f candidates/s end to end (plots and report included)\n" \
    "$wall" "$(echo "$n / $wall" | bc -l)"
printf "  workflow-only jobs (split, plots, report): %.2f job-s (%.0f%% of all job time)\n" \
    "$extra" "$(echo "100 * $extra / $jobsum" | bc -l)"
# stage jobs use $CORES threads each, so they run one after another: whatever wall
# time no job accounts for is Snakemake's own (DAG, scheduling, polling, bookkeeping)
printf "  scheduling overhead: wall - job time = %.2f s\n" "$(echo "$wall - $jobsum" | bc)"
printf "  bare chain vs workflow stage jobs: %.1f s vs %.1f s (the machine is shared: expect noise)\n" \
    "$total" "$(echo "$jobsum - $extra" | bc)"
wcomp=$(echo "${rc[gen]} + ${rc[reduce]} + ${rc[transport]} + ${rc[magnet]} + ${rc[rank]:-0}" | bc)
# plots and report draw and write the figures: work the user asked for, not I/O or
# orchestration; shown both ways
pr=$(echo "${rs[plots]:-0} + ${rs[report]:-0}" | bc)
printf "  computing %.2f s of %.2f s wall; not computing %.1f%%, of which plots and report %.2f s\n" \
    "$wcomp" "$wall" "$(echo "100 * ($wall - $wcomp) / $wall" | bc -l)" "$pr"
printf "  I/O, set-up and orchestration: %.1f%% of the wall time (%.1f%% of a run without plots and report)\n" \
    "$(echo "100 * ($wall - $pr - $wcomp) / $wall" | bc -l)" \
    "$(echo "100 * ($wall - $pr - $wcomp) / ($wall - $pr)" | bc -l)"
