#!/bin/bash
# exsol-ensemble --sobol-families (issue #14): Sobol indices per candidate family, the
# family's verdict (fraction of its rows that switch) and the medians of its two
# objectives under each member. The seed at 550 C twice and at 600 C, 8 x (2 + 2)
# members over gamma_interface and host_gamma_rel_Co (a Co parameter: it enters no
# stage of a Ni film):
#  - the default family is the film: one family of the three rows;
#  - --sobol-family formula,T_anneal splits it in two: the family of the two identical
#    550 C rows has row 0's per-row indices of the verdict and the ratio, the family of
#    the 600 C row row 2's;
#  - host_gamma_rel_Co has total index 0 at the family level;
#  - the per-row --sobol table and the main table are byte-identical with and without
#    --sobol-families, and every output for 1 and 2 threads;
#  - usage errors: --sobol-families without --sobol, --sobol-family without
#    --sobol-families, an unknown variable.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-ensemble
E="$BIN/exsol-ensemble"
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR"
"$BIN/exsol-gen" -q --composition La0.2Sr0.7Ni0.1Ti0.9O3 --h2 5% --h2o 3% --thickness 30nm \
    --temperature 550C,550C,600C --time 5h -o "$T/g.nc" || { bad "gen"; exit 1; }
S=(--members 8 --seed 1 --sobol-params gamma_interface,host_gamma_rel_Co)
field() { # FILE KEYCOL KEY PARAM NAME: column NAME of the line with KEYCOL == KEY, parameter PARAM
    awk -F'\t' -v kc="$2" -v k="$3" -v p="$4" -v n="$5" 'NR == 1 {
        for (i = 1; i <= NF; i++) { if ($i == n) c = i; if ($i == kc) d = i; if ($i == "parameter") q = i }
        next } $d == k && $q == p { print $c }' "$1"
}

"$E" -q --threads 1 "${S[@]}" --sobol "$T/plain_s.tsv" "$T/g.nc" >"$T/plain.tsv" ||
    bad "plain --sobol run"
"$E" -q --threads 1 "${S[@]}" --sobol "$T/s1.tsv" --sobol-families "$T/f1.tsv" \
    "$T/g.nc" >"$T/t1.tsv" || bad "--sobol-families run"
"$E" -q --threads 2 "${S[@]}" --sobol "$T/s2.tsv" --sobol-families "$T/f2.tsv" \
    "$T/g.nc" >"$T/t2.tsv" || bad "--sobol-families run, 2 threads"
cmp -s "$T/plain_s.tsv" "$T/s1.tsv" && cmp -s "$T/plain.tsv" "$T/t1.tsv" &&
    ok "per-row Sobol table and main table unchanged by --sobol-families" ||
    bad "--sobol-families moved the other outputs"
cmp -s "$T/f1.tsv" "$T/f2.tsv" && cmp -s "$T/s1.tsv" "$T/s2.tsv" &&
    ok "1 and 2 threads: same bytes" || bad "family table moves with threads"
check "header" "$(head -1 "$T/f1.tsv")" "$(printf 'family\trows\tinput_rows\tformula\tparameter\tS1_dual_fraction\tST_dual_fraction\tS1_log10_rho_ratio_median\tST_log10_rho_ratio_median\tS1_magnetic_objective_median\tST_magnetic_objective_median')"
check "default: one family of the film's three anneals" \
    "$(tail -n +2 "$T/f1.tsv" | cut -f1-4 | sort -u)" \
    "$(printf '0\t3\t0,1,2\tLa0.2Sr0.7Ni0.1Ti0.9O3')"
for st in ST_dual_fraction ST_log10_rho_ratio_median ST_magnetic_objective_median; do
    check "host_gamma_rel_Co: $st 0 for the family" \
        "$(field "$T/f1.tsv" family 0 host_gamma_rel_Co $st)" 0
done
holds "gamma_interface decides the family's verdict" \
    "$(field "$T/f1.tsv" family 0 gamma_interface ST_dual_fraction)" "v > 0.3"

"$E" -q "${S[@]}" --sobol "$T/s3.tsv" --sobol-families "$T/f3.tsv" \
    --sobol-family formula,T_anneal "$T/g.nc" >/dev/null || bad "--sobol-family run"
check "formula,T_anneal: two families" "$(tail -n +2 "$T/f3.tsv" | cut -f1-3 | sort -u | tr '\t\n' ' ')" \
    "0 2 0,1 1 1 2 "
for p in gamma_interface host_gamma_rel_Co; do
    for q in S1 ST; do
        check "identical copies = one row: $p ${q}_dual" \
            "$(field "$T/f3.tsv" family 0 $p ${q}_dual_fraction)" \
            "$(field "$T/s3.tsv" input_row 0 $p ${q}_dual_switch)"
        check "identical copies = one row: $p ${q}_ratio" \
            "$(field "$T/f3.tsv" family 0 $p ${q}_log10_rho_ratio_median)" \
            "$(field "$T/s3.tsv" input_row 0 $p ${q}_log10_rho_ratio)"
        check "one-row family = the row: $p ${q}_dual" \
            "$(field "$T/f3.tsv" family 1 $p ${q}_dual_fraction)" \
            "$(field "$T/s3.tsv" input_row 2 $p ${q}_dual_switch)"
    done
done

"$E" -q --members 8 --sobol-families "$T/x.tsv" "$T/g.nc" >/dev/null 2>"$T/err"
check "--sobol-families without --sobol: exit 2" "$?" 2
"$E" -q "${S[@]}" --sobol "$T/x.tsv" --sobol-family host "$T/g.nc" >/dev/null 2>"$T/err"
check "--sobol-family without --sobol-families: exit 2" "$?" 2
"$E" -q "${S[@]}" --sobol "$T/x.tsv" --sobol-families "$T/y.tsv" --sobol-family host,bogus \
    "$T/g.nc" >/dev/null 2>"$T/err"
check "--sobol-family with an unknown variable: exit 2" "$?" 2
grep -q "'bogus' is not a per-candidate variable" "$T/err" && ok "the refusal names it" ||
    bad "message: $(cat "$T/err")"
[ ! -e "$T/y.tsv" ] && [ ! -e "$T/x.tsv" ] && ok "nothing written on a refusal" ||
    bad "a refused run left a file"
check "no member files left in TMPDIR" "$(ls -A "$TMPDIR" | wc -l)" 0
exit $fail
