#!/bin/bash
# exsol-fit (issue #14), synthetic recovery: four anchors made by the model itself
# (exsol-gen | exsol-reduce at known gamma_interface = 0.7 J/m2 and E_a = 2.6 eV, the
# seed film at 550 and 650 C for 1 and 5 h; density, diameter and exsolved fraction as
# reduce writes them) are fitted by exsol-fit from the priors; the true values lie inside
# the posterior's 90 % interval, split-R-hat < 1.05 and the ESS is above 100; the
# residual table covers every anchor (|z| <= 1). Coarse numerics (n_bins 40) for both
# the generation and the fit, so the test stays short on one core.
set -u
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-table exsol-fit
S="--set n_bins=40"
"$BIN/exsol-gen" -q --composition La0.2Sr0.7Ni0.1Ti0.9O3 --h2 5% --h2o 3% --thickness 30nm \
    --temperature 550C,650C --time 1h,5h -o "$T/g.nc" || { bad "gen"; exit 1; }
"$BIN/exsol-reduce" -q $S --set gamma_interface=0.7 --set E_a=2.6 -o "$T/r.nc" "$T/g.nc" ||
    { bad "reduce at the true values"; exit 1; }
"$BIN/exsol-table" -v T_anneal,t_anneal,surface_particle_density,surface_mean_diameter,exsolved_fraction \
    "$T/r.nc" | awk -F'\t' '
    BEGIN { print "id,composition,form,thickness,T_anneal,t_anneal,x_H2,x_H2O,strain," \
                  "diameter,density,exsolved_fraction,observable,value,scatter,source,use" }
    NR > 1 { n = $3 * 1e-12
             printf "syn%d,La0.2Sr0.7Ni0.1Ti0.9O3,film,30,%.2f,%g,0.05,0.03,,%.9g,%.9g,%.9g," \
                    "surface_particle_density,%.9g,0.1,synthetic,fit\n",
                    NR - 1, $1 - 273.15, $2 / 3600, $4 * 1e9, n, $5, n }' >"$T/syn.csv"
check "four synthetic anchors" "$(tail -n +2 "$T/syn.csv" | wc -l | tr -d ' ')" 4

"$BIN/exsol-fit" --threads 1 $S --anchors "$T/syn.csv" --fit-params gamma_interface,E_a \
    --walkers 8 --steps 2000 --burn 500 --seed 3 --residuals "$T/res.tsv" -o "$T/post.nc" \
    2>"$T/err" || { bad "exsol-fit runs"; cat "$T/err"; exit 1; }
cat "$T/err"
# "NAME: median M, 90 % interval [LO, HI] UNIT; R-hat R, ESS E"
line() { grep "^exsol-fit: $1: median" "$T/err"; }
for pv in gamma_interface:0.7 E_a:2.6; do
    p=${pv%%:*} v=${pv##*:}
    l=$(line "$p")
    lo=$(sed -E 's/.*interval \[([^,]*), .*/\1/' <<<"$l")
    hi=$(sed -E 's/.*interval \[[^,]*, ([^]]*)\].*/\1/' <<<"$l")
    rh=$(sed -E 's/.*R-hat ([^,]*),.*/\1/' <<<"$l")
    ess=$(sed -E 's/.*ESS ([0-9.]*).*/\1/' <<<"$l")
    holds "$p: the true $v inside the 90 % interval [$lo, $hi]" "$v" "v >= $lo && v <= $hi"
    holds "$p: split-R-hat $rh < 1.05" "$rh" "v < 1.05 && v > 0.95"
    holds "$p: ESS $ess > 100" "$ess" "v > 100"
done
# every synthetic anchor's quantities reproduced by the posterior
rows=$(awk -F'\t' 'NR > 1 && $12 == "yes"' "$T/res.tsv" | wc -l | tr -d ' ')
check "residual table: all 12 quantities covered" "$rows" 12
exit $fail
