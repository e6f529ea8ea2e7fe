#!/bin/bash
# exsol-reduce with the moving-bin KWN scheme (--set kwn_scheme=1): the same bytes
# on 1 and 2 threads (class births, removals and CVODE re-initialisations depend
# on the state only), rows of a shared trajectory as alone, a result that differs
# from the fixed-bin default, and a scheme index beyond the table refused.
set -u
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-table

gen() { "$BIN/exsol-gen" -q --no-history --composition La0.2Sr0.7Ni0.1Ti0.9O3 \
    --temperature 550C,700C --time "$1"; }
gen 1h,5h >"$T/g.nc"
for t in 1 2; do
    "$BIN/exsol-reduce" -q --no-history --threads $t --set kwn_scheme=1 -o "$T/m$t.nc" "$T/g.nc" ||
        bad "movingbin run on $t threads"
done
cmp -s "$T/m1.nc" "$T/m2.nc" && ok "1 and 2 threads: same bytes" || bad "1 vs 2 threads differ"
gen 5h | "$BIN/exsol-reduce" -q --no-history --set kwn_scheme=1 >"$T/alone.nc" || bad "alone"
V=exsolved_fraction,surface_particle_density,surface_mean_diameter,buried_particle_density,cvode_steps
check "5 h rows of the shared run as alone" \
    "$("$BIN/exsol-table" -v $V "$T/m1.nc" | awk 'NR == 1 || NR % 2 == 1')" \
    "$("$BIN/exsol-table" -v $V "$T/alone.nc")"
"$BIN/exsol-reduce" -q --no-history -o "$T/f.nc" "$T/g.nc" || bad "fixed-bin run"
[ "$("$BIN/exsol-table" -v $V "$T/f.nc")" != "$("$BIN/exsol-table" -v $V "$T/m1.nc")" ] &&
    ok "the scheme parameter selects another scheme" || bad "kwn_scheme=1 gave the fixed-bin numbers"
holds "every movingbin row solved" \
    "$("$BIN/exsol-table" -v reduce_status "$T/m1.nc" | awk 'NR > 1 && $1 != 0' | wc -l)" 'v == 0'
"$BIN/exsol-reduce" -q --no-history --set kwn_scheme=2 -o "$T/x.nc" "$T/g.nc" 2>"$T/err"
rc=$?
check "kwn_scheme=2 is invalid input (above its maximum, exit 3)" "$rc" 3
[ ! -e "$T/x.nc" ] && ok "nothing written" || bad "output left behind"
exit $fail
