#!/bin/bash
# Impossible films are infeasible (issue #12, defect 8): La0.1Sr0.3Ni0.1Ti0.9O3 (a = 0.6,
# delta0 = 0.65) and Sr0.5Ni0.5Ti0.5O3 (delta0 = 1) break the sourced limits on A-site
# vacancy (a_max) and as-grown delta (delta_max) and the tolerance factor with the
# vacancies counted; La0.6Ca0.4FeO3 has no Ti on the B site. gen writes feasible 0 and a
# reason naming each limit, reduce skips those rows (status 4, "gen row infeasible")
# instead of calling them "unphysical input" or exsolving them, and rank never calls
# them dual switches, while the seed in the same batch goes through and switches.
set -u
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-transport exsol-magnet exsol-rank exsol-table

"$BIN/exsol-gen" -q --no-history -c La0.2Sr0.7Ni0.1Ti0.9O3 -c La0.1Sr0.3Ni0.1Ti0.9O3 \
    -c Sr0.5Ni0.5Ti0.5O3 -c La0.6Ca0.4FeO3 --temperature 550C --time 5h -o "$T/gen.nc"
check "gen exit 0" "$?" 0
g() { "$BIN/exsol-table" --no-header -v "$1" "$T/gen.nc" | sed -n "$2p"; }
check "seed feasible" "$(g feasible 1)" 1
for i in 2 3 4; do check "$(g formula $i) infeasible" "$(g feasible $i)" 0; done
case $(g gen_reason 2) in *"A-site vacancy 0.6 > a_max"*"delta 0.65 > delta_max"*) ok "a = 0.6 row: a and delta named" ;;
    *) bad "a = 0.6 row reason: $(g gen_reason 2)" ;; esac
case $(g gen_reason 2) in *"t with vacancies counted"*) ok "a = 0.6 row: vacancy-counted t named" ;;
    *) bad "a = 0.6 row: no vacancy-counted t" ;; esac
case $(g gen_reason 3) in *"delta 1 > delta_max"*) ok "delta0 = 1 row: delta named" ;;
    *) bad "delta0 = 1 row reason: $(g gen_reason 3)" ;; esac
case $(g gen_reason 4) in *"no host cation on the B site"*) ok "LaCaFeO3: no Ti named" ;;
    *) bad "LaCaFeO3 reason: $(g gen_reason 4)" ;; esac

"$BIN/exsol-reduce" -q --no-history -o "$T/red.nc" "$T/gen.nc" &&
    "$BIN/exsol-transport" -q --no-history -o "$T/tr.nc" "$T/red.nc" &&
    "$BIN/exsol-magnet" -q --no-history -o "$T/mag.nc" "$T/tr.nc" &&
    "$BIN/exsol-rank" -q --no-history -o "$T/rank.nc" "$T/mag.nc"
check "chain exit 0 (the batch goes on)" "$?" 0
r() { "$BIN/exsol-table" --no-header -v "$1" "$T/rank.nc" | sed -n "$2p"; }
check "seed reduce_status 0" "$(r reduce_status 1)" 0
for i in 2 3 4; do
    check "row $i reduce_status 4 (not applicable)" "$(r reduce_status $i)" 4
    check "row $i reduce_reason" "$(r reduce_reason $i)" "gen row infeasible"
    check "row $i not a dual switch" "$(r dual_switch $i)" 0
done
check "the seed is a dual switch" "$(r dual_switch 1)" 1
exit $fail
