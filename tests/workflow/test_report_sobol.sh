#!/bin/bash
# The report's section "Which unknown decides which verdict" (issue #14): with
# exsol-ensemble's --sobol and --sobol-families tables (hand-made here, no ensemble
# run) report.py adds the section, one bar-chart figure per chosen candidate and per
# family, and names the top three parameters of the verdict and both objectives;
# without the tables, or with paths that do not exist, the report is the same as
# before (compared without its "Generated" time line).
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
export HDF5_PLUGIN_PATH=${HDF5_PLUGIN_PATH:-${EXSOL_BUILD:-$BIN/..}/hdf5-plugin}
PY=/usr/bin/python3
if ! $PY -c 'import matplotlib, netCDF4, numpy' 2>/dev/null; then
    echo "SKIP: /usr/bin/python3 lacks matplotlib, netCDF4 or numpy"; exit 0
fi
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"
[ -x "$BIN/exsol-rank" ] || { echo "skip: exsol-rank not built"; exit 0; }

$PY "$SRC/tests/workflow/synth_dataset.py" "$T/screen.nc" --n-fail 2 || { echo "FAIL: synth"; exit 1; }
"$BIN/exsol-rank" -q -o "$T/ranking.nc" "$T/screen.nc" >/dev/null || bad "exsol-rank"
MPLBACKEND=Agg $PY "$SRC/recipes/scripts/plots.py" "$T/ranking.nc" "$T/plots" 2>"$T/err" ||
    { bad "plots.py"; cat "$T/err"; }

H='S1_dual_switch\tST_dual_switch\tS1_log10_rho_ratio\tST_log10_rho_ratio\tS1_M_300K_1T_reduced\tST_M_300K_1T_reduced'
{ printf "input_row\tparameter\t$H\n"
  printf '0\tgamma_interface\t0.7\t0.8\t0.9\t0.95\t0.5\t0.6\n'
  printf '0\tf_buried\t0.1\t0.3\t0.01\t0.02\t0.2\t0.4\n'
  printf '0\tE_comp\t0\t0.05\t0.05\t0.1\t0\t0\n'
  printf '0\thost_gamma_rel_Co\t0\t0\t0\t0\t0\t0\n'
  printf '2\tgamma_interface\t0.2\t0.25\tnan\tnan\t0.1\t0.2\n'
  printf '2\tf_buried\t0.6\t0.7\tnan\tnan\t0.3\t0.35\n'
  printf '2\tE_comp\t0\t0.02\tnan\tnan\t0\t0.01\n'
  printf '2\thost_gamma_rel_Co\t0\t0\tnan\tnan\t0\t0\n'; } >"$T/sobol.tsv"
F='S1_dual_fraction\tST_dual_fraction\tS1_log10_rho_ratio_median\tST_log10_rho_ratio_median\tS1_magnetic_objective_median\tST_magnetic_objective_median'
{ printf "family\trows\tinput_rows\tformula\tparameter\t$F\n"
  for p in gamma_interface:0.5:0.9:0.3 f_buried:0.2:0.1:0.6 E_comp:0.1:0.4:0 host_gamma_rel_Co:0:0:0; do
      IFS=: read -r n a b c <<<"$p"
      printf '0\t2\t0,1\tLa0.2Sr0.7Ni0.1Ti0.9O3\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$a" "$a" "$b" "$b" "$c" "$c"
  done; } >"$T/fam.tsv"
{ printf 'input_row\tformula\tT_anneal\tt_anneal\tP_dual\n'
  printf '0\tLa0.2Sr0.7Ni0.1Ti0.9O3\t823.15\t18000\t0.625\n'
  printf '2\tLa0.2Ca0.7Ni0.1Ti0.9O3\t923.15\t18000\t0.25\n'; } >"$T/ens.tsv"

R=(--config-json '{"shards": 2}')
$PY "$SRC/recipes/scripts/report.py" "$T/plots" "$T/ranking.nc" "$T/plain.html" "${R[@]}" ||
    bad "report.py without the tables"
$PY "$SRC/recipes/scripts/report.py" "$T/plots" "$T/ranking.nc" "$T/absent.html" "${R[@]}" \
    --sobol "$T/none.tsv" --sobol-families "$T/none2.tsv" || bad "report.py, absent tables"
$PY "$SRC/recipes/scripts/report.py" "$T/plots" "$T/ranking.nc" "$T/sobol.html" "${R[@]}" \
    --sobol "$T/sobol.tsv" --sobol-families "$T/fam.tsv" --ensemble-table "$T/ens.tsv" ||
    bad "report.py with the tables"
strip() { grep -v '^<p class=.muted.>Generated' "$1" | md5sum; }
check "absent tables: the report unchanged" "$(strip "$T/absent.html")" "$(strip "$T/plain.html")"
grep -q "Which unknown decides which verdict" "$T/plain.html" && bad "section without the tables" ||
    ok "no section without the tables"
grep -q "<h2>Which unknown decides which verdict</h2>" "$T/sobol.html" && ok "the section" ||
    bad "no section with the tables"
n0=$(grep -c 'src="data:image/png;base64,' "$T/plain.html")
n1=$(grep -c 'src="data:image/png;base64,' "$T/sobol.html")
check "one figure per candidate (2) and per family (1)" "$((n1 - n0))" 3
grep -q 'La0.2Sr0.7Ni0.1Ti0.9O3, 550 &deg;C, 5 h (P_dual 0.625)' "$T/sobol.html" &&
    ok "rows named from the ensemble table" || bad "row label"
grep -q 'dual-switch verdict: <b>gamma_interface</b> (0.80), <b>f_buried</b> (0.30), <b>E_comp</b> (0.05)' \
    "$T/sobol.html" && ok "row 0: top three of the verdict named" || bad "row 0 top three"
grep -q 'log10 resistivity ratio: no index' "$T/sobol.html" && ok "NaN indices: said so" ||
    bad "row 2 NaN ratio"
grep -q 'median log10 resistivity ratio: <b>gamma_interface</b> (0.90), <b>E_comp</b> (0.40), <b>f_buried</b> (0.10)' \
    "$T/sobol.html" && ok "family: top three of the ratio named" || bad "family top three"
grep -q 'Family 0: La0.2Sr0.7Ni0.1Ti0.9O3, 2 anneals (input rows 0,1)' "$T/sobol.html" &&
    ok "family caption" || bad "family caption"
exit $fail
