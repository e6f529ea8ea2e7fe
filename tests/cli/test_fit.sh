#!/bin/bash
# exsol-fit (issue #14): the posterior NetCDF (a `member` dimension, one variable per
# fitted parameter with its unit, prior, rhat and ess; log_likelihood, log_posterior;
# provenance attributes) and the residual table (fit and hold-out anchors, skipped ones
# with their reason); byte-identical posterior and table for --threads 1 and 2 with
# --no-history and for a rerun; another seed gives another posterior; a parameter set by
# --set leaves the default list; exsol-ensemble --ensemble takes the posterior, and a
# posterior of one member at the table values gives the deterministic chain's P_dual.
set -u
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-fit exsol-ensemble exsol-reduce exsol-table
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR"
F="$BIN/exsol-fit"
S="--set n_bins=40"
cat >"$T/a.csv" <<'CSV'
id,composition,form,thickness,T_anneal,t_anneal,x_H2,x_H2O,strain,diameter,density,exsolved_fraction,observable,value,scatter,source,use
f1,La0.2Sr0.7Ni0.1Ti0.9O3,film,30,550,5,0.05,0.03,compressive,5,1100,,surface_particle_density,1100,0.42 (lower bound: censored),test,fit
h1,La0.2Sr0.7Ni0.1Ti0.9O3,film,30,650,1,0.05,0.03,,6,,,surface_mean_diameter,6,0.1,test,hold-out
p1,La0.4Sr0.4Ni0.06Ti0.94O3,powder,,930,20,0.05,unknown,,,,,exsolves,1,1,test,hold-out
CSV
run() { # THREADS SEED OUT
    "$F" -q --threads "$1" --no-history $S --anchors "$T/a.csv" \
        --fit-params gamma_interface,N0_surface --walkers 8 --steps 10 --burn 4 --predict 12 \
        --seed "$2" --residuals "$3.tsv" -o "$3.nc"
}
run 1 5 "$T/t1" || bad "exsol-fit, 1 thread"
run 2 5 "$T/t2" || bad "exsol-fit, 2 threads"
run 1 5 "$T/t3" || bad "exsol-fit, rerun"
run 1 6 "$T/s6" || bad "exsol-fit, another seed"
cmp -s "$T/t1.nc" "$T/t2.nc" && ok "posterior byte-identical for 1 and 2 threads" ||
    bad "posterior differs between 1 and 2 threads"
cmp -s "$T/t1.tsv" "$T/t2.tsv" && ok "residuals byte-identical for 1 and 2 threads" ||
    bad "residuals differ between 1 and 2 threads"
cmp -s "$T/t1.nc" "$T/t3.nc" && ok "posterior byte-identical on a rerun" || bad "rerun differs"
cmp -s "$T/t1.nc" "$T/s6.nc" && bad "another seed, the same posterior" ||
    ok "another seed, another posterior"

h=$(ncdump -h "$T/t1.nc")
check "member dimension: 8 walkers x 6 steps" "$(grep -E '^\s*member = ' <<<"$h" | tr -d ' \t;')" \
    "member=48"
for v in gamma_interface N0_surface log_likelihood log_posterior walker step; do
    grep -qE "^\s*(double|int) $v\(member\)" <<<"$h" && ok "variable $v(member)" ||
        bad "no variable $v(member)"
done
for a in 'gamma_interface:units = "J/m2"' 'gamma_interface:prior = "uniform(0.3,1.5)"' \
    'N0_surface:units = "m-2"' 'gamma_interface:rhat' 'N0_surface:ess' \
    ':anchors_fit = "f1"' ':fit_parameters = "gamma_interface,N0_surface"' \
    ':sampler_settings = "walkers=8 steps=10 burn=4 thin=1 seed=5"' ':acceptance_fraction' \
    ':parameter_overrides = "n_bins=40"' ':exsol_version'; do
    grep -qF "$a" <<<"$h" && ok "attribute $a" || bad "no attribute $a"
done
grep -q ':history' <<<"$h" && bad "--no-history wrote a history" || ok "--no-history: no history"
"$F" -q $S --anchors "$T/a.csv" --fit-params gamma_interface --walkers 4 --steps 2 --burn 0 \
    -o "$T/h.nc" || bad "exsol-fit with history"
ncdump -h "$T/h.nc" | grep -q ':history = ".*exsol-fit' && ok "history names the command" ||
    bad "no history line"

# the residual table: the fit anchor's two quantities, the hold-out's prediction, the
# powder skipped with its reason
col() { awk -F'\t' -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
        { print $c }' "$1"; }
check "residual rows: anchors x quantities" "$(col "$T/t1.tsv" anchor | tr '\n' ' ')" "f1 f1 h1 p1 "
check "residual roles" "$(col "$T/t1.tsv" use | tr '\n' ' ')" "fit fit hold-out hold-out "
check "the censored density is a lower bound" "$(col "$T/t1.tsv" bound | head -1)" lower
check "the hold-out is predicted" "$(awk -F'\t' '$1 == "h1" { print ($9 != "NA") }' "$T/t1.tsv")" 1
grep -q "^p1.*skipped: form 'powder'" "$T/t1.tsv" && ok "the powder is skipped, with the reason" ||
    bad "no skip reason for the powder"
grep -q "run strain-free" "$T/t1.tsv" && ok "the strain label is noted" || bad "no strain note"

# --set takes a parameter out of the default list
"$F" -v $S --anchors "$T/a.csv" --set gamma_interface=0.7 --walkers 16 --steps 1 --burn 0 \
    -o "$T/d.nc" 2>"$T/d.err" || bad "default list with --set"
grep -q "gamma_interface is set (--set): not fitted" "$T/d.err" && ok "--set: not fitted" ||
    bad "--set parameter still fitted"
ncdump -h "$T/d.nc" | grep -q "double gamma_interface(member)" && bad "--set parameter in the posterior" ||
    ok "--set parameter not in the posterior"

# exsol-ensemble reads the posterior
"$BIN/exsol-gen" -q --composition La0.2Sr0.7Ni0.1Ti0.9O3 --h2 5% --h2o 3% --thickness 30nm \
    --temperature 550C --time 5h -o "$T/g.nc" || bad "gen"
"$BIN/exsol-ensemble" -q $S --ensemble "$T/t1.nc" --write-members "$T/m.tsv" "$T/g.nc" \
    >"$T/e.tsv" || bad "exsol-ensemble --ensemble posterior.nc"
check "ensemble: one member per posterior sample" "$(col "$T/e.tsv" members)" 48
check "ensemble: the members are the posterior's" "$(head -1 "$T/m.tsv")" \
    "$(printf 'member\tgamma_interface\tN0_surface')"
got=$(awk -F'\t' 'NR == 2 { print $2 }' "$T/m.tsv")
want=$(ncdump -v gamma_interface -p 17,17 "$T/t1.nc" | sed -n '/^data:/,$p' |
    sed -nE 's/.*gamma_interface = ([^,;]*).*/\1/p' | tr -d ' ')
holds "ensemble member 0 = posterior member 0 ($got, $want)" "$got" "v - $want < 1e-12 * $want && $want - v < 1e-12 * $want"
exit $fail
