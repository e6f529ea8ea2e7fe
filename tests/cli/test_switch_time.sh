#!/bin/bash
# t_switch_transport is a property of the film and the anneal, not of the requested
# anneal length (issue #12, defect 7). The seed at 550 C switches about 1.25 h into the
# anneal: requested anneals of 2, 3, 5, 7 and 10 h (whose log-spaced trajectory samples
# fall at different times) give the same switching time within 1 %, flagged exact
# (t_switch_bound 0). At 900 C the film has switched before the first sample: the time
# is reported as an upper bound (t_switch_bound 1) that moves with the request, and a
# 0.5 h anneal at 550 C never switches (t_switch_bound 2, time fill). The flag carries
# CF flag_values/flag_meanings.
set -u
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-transport exsol-table

"$BIN/exsol-gen" -q --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C,900C \
    --time 0.5h,2h,3h,5h,7h,10h --h2 5% --h2o 3% --thickness 30nm | "$BIN/exsol-reduce" -q |
    "$BIN/exsol-transport" -q >"$T/out.nc"
[ "$?" -eq 0 ] && ok "chain exit 0" || bad "chain failed"
tab=$("$BIN/exsol-table" --no-header -v T_anneal,t_anneal,t_switch_transport,t_switch_bound \
    "$T/out.nc")
echo "$tab"
c550=$(echo "$tab" | awk '$1 < 900 && $2 > 1800')
holds "550 C, 2-10 h: all exact" "$(echo "$c550" | awk '$4 != 0' | wc -l)" "v == 0"
spread=$(echo "$c550" | awk 'NR == 1 { lo = hi = $3 } { if ($3 < lo) lo = $3; if ($3 > hi) hi = $3 }
    END { print (hi - lo) / lo }')
holds "550 C: t_switch independent of the requested anneal within 1 % (spread $spread)" \
    "$spread" "v < 0.01"
holds "550 C: the switch falls inside the shortest of these anneals" \
    "$(echo "$c550" | awk 'NR == 1 { print $3 }')" "v > 600 && v < 7200"
short=$(echo "$tab" | awk '$1 < 900 && $2 == 1800')
check "550 C, 0.5 h: not reached (fill, flag 2)" "$(echo "$short" | cut -f3-4)" "$(printf 'NA\t2')"
c900=$(echo "$tab" | awk '$1 > 900')
holds "900 C: every row an upper bound" "$(echo "$c900" | awk '$4 != 1' | wc -l)" "v == 0"
holds "900 C: the bound is the first sample (1e-4 of the anneal)" \
    "$(echo "$c900" | awk '{ r = $3 / ($2 * 1e-4); if (r < 0.999 || r > 1.001) n++ } END { print n + 0 }')" \
    "v == 0"
atts=$("$BIN/exsol-table" -l "$T/out.nc" | grep -c '^t_switch_bound')
holds "t_switch_bound listed" "$atts" "v == 1"
if command -v ncdump >/dev/null; then
    h=$(ncdump -h "$T/out.nc")
    case $h in *"t_switch_bound:flag_values = 0, 1, 2"*) ok "flag_values 0, 1, 2" ;;
        *) bad "flag_values missing" ;; esac
    case $h in *'t_switch_bound:flag_meanings = "exact upper_bound not_reached"'*)
        ok "flag_meanings" ;; *) bad "flag_meanings missing" ;; esac
fi
exit $fail
