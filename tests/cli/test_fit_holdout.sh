#!/bin/bash
# exsol-fit (issue #14), the hold-out predictions on the shipped anchors: han19-t (the
# density ratio of the seed film on its compressive over its tensile substrate, column
# `substrate` = LaAlO3/SrTiO3) and weber21 (the Nb-donor film: P(exsolves), its unknown
# H2O drawn per sample) are predicted, not skipped; P and its Wilson 90 % interval lie in
# [0, 1] with lo <= P <= hi; covered = yes exactly when P >= 0.5; the powders stay skipped
# with their reason. Physics: with the strain coupling off (--set strain_eta=0; the
# sign-blind strain_beta is 0 by default) the two films are the same film, so every
# sample's ratio is exactly 1 and P(ratio > 1) = 0. The table is byte-identical for
# --threads 1 and 2 (the H2O draws are counter-based, keyed on the seed and the anchor).
# A short run (8 walkers x 10 steps, coarse bins): the figures are not a calibration.
set -u
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-fit
run() { # OUT THREADS [--set ...]
    local out=$1 th=$2
    shift 2
    "$BIN/exsol-fit" -q --threads "$th" --no-history --set n_bins=40 "$@" --walkers 8 \
        --steps 10 --burn 4 --predict 16 --seed 5 --residuals "$out.tsv" -o "$out.nc"
}
run "$T/a" 1 || { bad "exsol-fit on the shipped anchors"; exit 1; }
run "$T/b" 2 || bad "exsol-fit, 2 threads"
cmp -s "$T/a.tsv" "$T/b.tsv" && ok "residuals byte-identical for 1 and 2 threads" ||
    bad "residuals differ between 1 and 2 threads"
run "$T/z" 1 --set strain_eta=0 || bad "exsol-fit --set strain_eta=0"

# field NAME of anchor ID's row
get() { awk -F'\t' -v id="$2" -v n="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
        $1 == id { print $c }' "$1"; }
for id in han19-t weber21; do
    note=$(get "$T/a.tsv" $id note)
    case $note in skipped:*) bad "$id skipped: $note" ;; *) ok "$id predicted" ;; esac
    P=$(get "$T/a.tsv" $id P) lo=$(get "$T/a.tsv" $id P_lo) hi=$(get "$T/a.tsv" $id P_hi)
    holds "$id: P = $P in [0, 1]" "$P" "v >= 0 && v <= 1"
    holds "$id: Wilson interval [$lo, $hi] around P" "$lo $P $hi" \
        "split(v, x, \" \") && x[1] <= x[2] && x[2] <= x[3] && x[1] >= 0 && x[3] <= 1"
    cov=$(get "$T/a.tsv" $id covered)
    want=$(awk -v p="$P" 'BEGIN { print (p >= 0.5 ? "yes" : "no") }')
    check "$id: covered = $cov follows P >= 0.5" "$cov" "$want"
    check "$id: no failed sample" "$(get "$T/a.tsv" $id failed)" 0
done
grep -q "LaAlO3 (eps -2.94 %) over SrTiO3" <<<"$(get "$T/a.tsv" han19-t note)" &&
    ok "han19-t: the two substrates and their misfits named" || bad "han19-t: no substrates"
grep -q "x_H2O drawn per sample" <<<"$(get "$T/a.tsv" weber21 note)" &&
    ok "weber21: H2O from the nuisance prior" || bad "weber21: H2O not sampled"
grep -q "^neagu13-ad.*skipped: form 'powder'" "$T/a.tsv" && ok "powders stay skipped" ||
    bad "a powder is not skipped with its reason"
check "the fit rows: no P" "$(get "$T/a.tsv" han19-c P | sort -u)" NA

# strain off: the ratio is exactly 1 in every sample, so P(ratio > 1) = 0
check "strain_eta = 0: ratio p10 = 1" "$(get "$T/z.tsv" han19-t p10)" 1
check "strain_eta = 0: ratio p90 = 1" "$(get "$T/z.tsv" han19-t p90)" 1
check "strain_eta = 0: P(ratio > 1) = 0" "$(get "$T/z.tsv" han19-t P)" 0
check "strain_eta = 0: not covered" "$(get "$T/z.tsv" han19-t covered)" no

# a numeric hold-out on one substrate runs strained (the note names it), its unknown H2O
# drawn; two substrates on a non-ratio row are refused with the reason
cat >"$T/s.csv" <<'CSV'
id,composition,form,thickness,T_anneal,t_anneal,x_H2,x_H2O,strain,diameter,density,exsolved_fraction,observable,value,scatter,source,use,substrate
f1,La0.2Sr0.7Ni0.1Ti0.9O3,film,30,550,5,0.05,0.03,,5,1100,,surface_particle_density,1100,0.42 (lower bound: censored),test,fit,
s1,La0.2Sr0.7Ni0.1Ti0.9O3,film,30,550,5,0.05,unknown,,5,,,surface_mean_diameter,5,0.1,test,hold-out,LaAlO3
s2,La0.2Sr0.7Ni0.1Ti0.9O3,film,30,550,5,0.05,0.03,,5,,,surface_mean_diameter,5,0.1,test,hold-out,LaAlO3/SrTiO3
CSV
"$BIN/exsol-fit" -q --threads 2 --no-history --set n_bins=40 --anchors "$T/s.csv" \
    --fit-params gamma_interface --walkers 4 --steps 4 --burn 2 --predict 4 \
    --residuals "$T/s.tsv" -o "$T/s.nc" || bad "exsol-fit with a substrate column"
check "one substrate: run strained" "$(get "$T/s.tsv" s1 note)" "on LaAlO3 (eps -2.94 %)"
holds "one substrate: predicted" "$(get "$T/s.tsv" s1 p50)" "v > 0"
grep -q "^s2.*skipped: substrate 'LaAlO3/SrTiO3': two substrates" "$T/s.tsv" &&
    ok "two substrates on a non-ratio row: skipped" || bad "two substrates accepted"
exit $fail
