#!/bin/bash
# exsol-reduce runs rows that differ only in their anneal time on one shared
# trajectory (exsol_reduce_run_multi). The steps CVODE takes do not depend on where
# an anneal ends, so every row must come out with the same bytes as when it is
# run alone: here a grid of 2 temperatures x 3 times against the three
# single-time grids, every variable compared (ncdump of each row).
set -u
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

gen() { "$BIN/exsol-gen" -q --no-history --composition La0.2Sr0.7Ni0.1Ti0.9O3 \
    --temperature 600C,800C --time "$1"; }
gen 1h,2h,20h | "$BIN/exsol-reduce" -q --no-history >"$T/all.nc" || bad "grouped run"
# rows: temperature outer, time inner
"$BIN/exsol-table" -v T_anneal,t_anneal,cvode_steps "$T/all.nc" >"$T/tab"
[ "$(awk -F'\t' 'NR > 1' "$T/tab" | wc -l)" -eq 6 ] && ok "6 rows" || { bad "rows"; cat "$T/tab"; }
i=0
for t in 1h 2h 20h; do
    gen "$t" | "$BIN/exsol-reduce" -q --no-history >"$T/$t.nc" || bad "run $t alone"
    for k in 0 1; do
        row=$((k * 3 + i))
        # every variable but the candidate id, which is the row of each gen run
        ncks -O -h -C -x -v candidate -d candidate,$row,$row "$T/all.nc" "$T/a.nc" 2>/dev/null &&
            ncks -O -h -C -x -v candidate -d candidate,$k,$k "$T/$t.nc" "$T/b.nc" 2>/dev/null ||
            { bad "ncks"; continue; }
        if diff <(ncdump "$T/a.nc" | tail -n +2) <(ncdump "$T/b.nc" | tail -n +2) >"$T/diff"; then
            ok "row $row ($t, temperature $k) as alone"
        else
            bad "row $row ($t, temperature $k) differs from its run alone"
            head -20 "$T/diff"
        fi
    done
    i=$((i + 1))
done
# the shorter anneals really are points of the longer one's trajectory: the same
# t_half and more steps for a longer anneal
awk -F'\t' 'NR > 1 {s[NR] = $3} END {exit !(s[2] < s[3] && s[3] < s[4] && s[5] < s[6] && s[6] < s[7])}' \
    "$T/tab" && ok "steps grow with the anneal time" || { bad "steps"; cat "$T/tab"; }
exit $fail
