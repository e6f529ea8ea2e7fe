#!/bin/bash
# exsol-ensemble's peak memory against the number of candidates (not a test; issue
# #14's "flat in the number of candidates"):
#   bench/bench_ensemble_memory.sh [BUILD_DIR [REF_BUILD_DIR]]
#   COUNTS="250 1000 4000" MEMBERS=16 FILM=La0.2Sr0.7TiO3 bench/bench_ensemble_memory.sh
# For each count, one film (30 nm, 5 % H2 + 3 % H2O) at that many anneals (1 K steps
# from 500 C, then more times), --members MEMBERS --seed 1 --threads 2: the peak RSS
# (ru_maxrss of the child, kB) and the wall time, for
# BUILD_DIR's exsol-ensemble (default blocks, BLOCK_ARGS for others) and, when given,
# REF_BUILD_DIR's (e.g. a build of main before the blocks). With both, the tables are
# compared byte for byte. The default film is undoped (nothing to exsolve: the
# cheapest rows), so the figures are of the ensemble's own storage and the chain's
# per-file working set, not of the exsolution model.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
REF=${2:+$(cd "$2" && pwd)}
export HDF5_PLUGIN_PATH=$BUILD/hdf5-plugin LC_ALL=C
COUNTS=${COUNTS:-"250 1000 4000"}
MEMBERS=${MEMBERS:-16}
FILM=${FILM:-La0.2Sr0.7TiO3}
BLOCK_ARGS=${BLOCK_ARGS:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TMPDIR=$T
peak() { # OUT CMD...: "peak_kB seconds" of one run, its stdout into OUT
    local out=$1
    shift
    /usr/bin/python3 - "$out" "$@" <<'PY'
import resource, subprocess, sys, time
t0 = time.time()
with open(sys.argv[1], "w") as f:
    subprocess.run(sys.argv[2:], stdout=f, check=True)
dt = time.time() - t0
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "%.1f" % dt)
PY
}
printf '%-10s %8s %8s %14s %10s  %s\n' build rows members peak_RSS_kB wall_s table
for n in $COUNTS; do
    # n anneals: min(n, 500) temperatures at 1 K steps from 500 C times enough times
    # (1 h, 2 h, ...); 250, 1000 and 4000 come out exact
    nT=$((n < 500 ? n : 500))
    times=$(seq -s, 1 $(((n + nT - 1) / nT)) | sed 's/\([0-9]*\)/\1h/g')
    "$BUILD/bin/exsol-gen" -q --composition "$FILM" --h2 5% --h2o 3% --thickness 30nm \
        --temperature "500C:$((500 + nT - 1))C:1C" --time "$times" -o "$T/g$n.nc"
    rows=$("$BUILD/bin/exsol-table" -v T_anneal "$T/g$n.nc" | tail -n +2 | wc -l)
    args=(-q --members "$MEMBERS" --seed 1 --threads 2 "$T/g$n.nc")
    if [ -n "$REF" ]; then
        read -r kb s < <(peak "$T/ref$n.tsv" "$REF/bin/exsol-ensemble" "${args[@]}")
        printf '%-10s %8s %8s %14s %10s  %s\n' ref "$rows" "$MEMBERS" "$kb" "$s" -
    fi
    # shellcheck disable=SC2086 # BLOCK_ARGS: words
    read -r kb s < <(peak "$T/new$n.tsv" "$BUILD/bin/exsol-ensemble" $BLOCK_ARGS "${args[@]}")
    same=-
    [ -n "$REF" ] && { cmp -s "$T/ref$n.tsv" "$T/new$n.tsv" && same=identical || same=DIFFERS; }
    printf '%-10s %8s %8s %14s %10s  %s\n' blocks "$rows" "$MEMBERS" "$kb" "$s" "$same"
done
