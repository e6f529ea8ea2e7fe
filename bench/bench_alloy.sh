#!/bin/bash
# Speed of two-dopant alloy rows (issue #13; not a test; the machine may be shared, so
# the structured solver's figures are the best of 3 runs, the dense one's of 1):
#   bench/bench_alloy.sh [BUILD_DIR]                  GRID=... to use another grid
# recipes/grids/alloys.cfg (27 alloy films + 3 single-dopant films, 700/850 C, 2 h: 60
# rows) through exsol-reduce with the rank-k bordered-band Newton solver of alloy rows
# (exsol/sunls_bbk.h, the default) on 1 and 2 threads, and with --dense-fd (CVODE's
# dense difference-quotient Jacobian, what alloy rows used before) on 2 threads: rows
# per second, parallel efficiency, and how far apart the two solvers' surface
# densities and exsolved fractions are (largest relative difference over the rows).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
BIN=$BUILD/bin
export HDF5_PLUGIN_PATH=$BUILD/hdf5-plugin LC_ALL=C
GRID=${GRID:-$SRC/recipes/grids/alloys.cfg}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$BIN/exsol-gen" -q --no-history --grid "$GRID" -o "$T/g.nc"
n=$("$BIN/exsol-table" -v candidate "$T/g.nc" | tail -n +2 | wc -l)
na=$("$BIN/exsol-table" -v dopant2 "$T/g.nc" | tail -n +2 | grep -vc none || true)
best() { # seconds, best of $4 runs: $1 threads, $2 extra flag, $3 output
    for i in $(seq "$4"); do
        s=$(date +%s.%N)
        # shellcheck disable=SC2086
        "$BIN/exsol-reduce" -q --no-history --threads "$1" $2 -o "$3" "$T/g.nc"
        e=$(date +%s.%N)
        awk -v s="$s" -v e="$e" 'BEGIN {print e - s}' 
    done | sort -g | head -1
}
t1=$(best 1 "" "$T/s1.nc" 3)
t2=$(best 2 "" "$T/s2.nc" 3)
td=$(best 2 --dense-fd "$T/d2.nc" 1) # ~2 minutes: once
V=surface_particle_density,exsolved_fraction
"$BIN/exsol-table" -v $V "$T/s2.nc" | tail -n +2 >"$T/s.tsv"
"$BIN/exsol-table" -v $V "$T/d2.nc" | tail -n +2 >"$T/d.tsv"
cmp -s "$T/s1.nc" "$T/s2.nc" && same=yes || same=NO
paste "$T/s.tsv" "$T/d.tsv" | awk -v n="$n" -v na="$na" -v t1="$t1" -v t2="$t2" -v td="$td" -v same="$same" '
function rel(a, b) { return (a == b) ? 0 : (b == 0 ? 1 : (a / b - 1 < 0 ? 1 - a / b : a / b - 1)) }
{ if ($1 > 1e12 || $3 > 1e12) { r = rel($1, $3); if (r > dn) dn = r }
  r = rel($2, $4); if (r > df) df = r }
END {
    printf "alloy grid: %d rows (%d alloy)\n", n, na
    printf "  structured (bbk)  1 thread : %6.2f s  %7.1f rows/s\n", t1, n / t1
    printf "  structured (bbk)  2 threads: %6.2f s  %7.1f rows/s  efficiency %3.0f %%  1 vs 2 threads same bytes: %s\n", t2, n / t2, 50 * t1 / t2, same
    printf "  dense (--dense-fd) 2 threads: %6.2f s  %7.1f rows/s\n", td, n / td
    printf "  speed-up structured/dense at 2 threads: %.1fx\n", td / t2
    printf "  largest relative difference, structured vs dense: density %.2g (rows above 1 um-2), f %.2g\n", dn, df
}'
