#!/bin/bash
# Plots and report on a synthetic screen (tests/workflow/synth_dataset.py: every
# stage's variables, curves included, a few failed rows), ranked by the real
# exsol-rank: every figure in PNG and SVG, the top table, the summary counts
# (candidates, ranked, excluded, failures per stage) agree with the file, the seed
# is found, the HTML report is self-contained, and two drawing processes give the
# same bytes as one (SVGs carry no date and fixed ids). Also an all-failed screen: the
# figures and report are still produced (empty ranking).
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
export HDF5_PLUGIN_PATH=${HDF5_PLUGIN_PATH:-${EXSOL_BUILD:-$BIN/..}/hdf5-plugin}
PY=/usr/bin/python3
if ! $PY -c 'import matplotlib, netCDF4, numpy' 2>/dev/null; then
    echo "SKIP: /usr/bin/python3 lacks matplotlib, netCDF4 or numpy"; exit 0
fi
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

$PY "$SRC/tests/workflow/synth_dataset.py" "$T/screen.nc" --n-fail 5 || { echo "FAIL: synth"; exit 1; }
"$BIN/exsol-rank" -q -o "$T/ranking.nc" --tsv "$T/ranking.tsv" "$T/screen.nc" || bad "exsol-rank"
$PY "$SRC/recipes/scripts/plots.py" "$T/ranking.nc" "$T/plots" --curves 3 --table 20 2>"$T/err" \
    && ok "plots.py" || { bad "plots.py"; cat "$T/err"; }
for f in pareto heatmaps rho_T M_H psd top_table families; do
    for e in png svg; do
        [ -s "$T/plots/$f.$e" ] && ok "$f.$e" || bad "$f.$e missing"
    done
done
ls -a "$T" | grep -q "^\.plots\." && bad "temporary plot folder left" || ok "no temporary plot folder"
# two drawing processes (the workflow's default) make the same files, byte for byte
$PY "$SRC/recipes/scripts/plots.py" "$T/ranking.nc" "$T/plots2" --curves 3 --table 20 --jobs 2 \
    2>"$T/err" && ok "plots.py --jobs 2" || { bad "plots.py --jobs 2"; cat "$T/err"; }
diff -r "$T/plots" "$T/plots2" >/dev/null && ok "--jobs 2: the same bytes as --jobs 1" \
    || bad "--jobs 2 differs from --jobs 1: $(diff -rq "$T/plots" "$T/plots2" | head -3)"
[ -s "$T/plots/families.tsv" ] && ok "families.tsv" || bad "families.tsv missing"
n=$(($(wc -l <"$T/plots/top.tsv") - 1))
[ "$n" == 20 ] && ok "top table has 20 rows" || bad "top table rows $n"
check "top table's second column is the candidate id" "$(head -1 "$T/plots/top.tsv" | cut -f2)" candidate
awk -F'\t' 'NR > 1 && $2 !~ /^[0-9]+$/ { exit 1 }' "$T/plots/top.tsv" && ok "top table ids are integers" ||
    bad "top table ids: $(sed -n 2p "$T/plots/top.tsv" | cut -f2)"
$PY - "$T/plots/summary.json" <<'PYEOF' && ok "summary counts" || bad "summary counts"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["candidates"] == 840, s["candidates"]
assert s["ranked"] == 835 and s["excluded"] == 5, (s["ranked"], s["excluded"])
assert s["failures"]["reduce"] == {"1": 5}, s["failures"]
assert s["seed"] is not None and s["seed"]["label"].startswith("La0.2Sr0.7Ni0.1Ti0.9O3, 550"), s["seed"]
assert s["seed"]["rank"] >= 1
PYEOF
$PY "$SRC/recipes/scripts/report.py" "$T/plots" "$T/ranking.nc" "$T/report.html" \
    --config-json '{"shards": 2}' && ok "report.py" || bad "report.py"
n=$(grep -c 'src="data:image/png;base64,' "$T/report.html")
[ "$n" == 7 ] && ok "report embeds the 7 figures (families among them)" || bad "report embeds $n figures"
grep -q '<img[^>]*src="http' "$T/report.html" && bad "external image" || ok "self-contained"
grep -q "rank_parameters" "$T/report.html" && ok "report lists the rank parameters" \
    || bad "report lists the rank parameters"

# all rows failed
$PY "$SRC/tests/workflow/synth_dataset.py" "$T/failed.nc" --all-failed
"$BIN/exsol-rank" -q -o "$T/franking.nc" --tsv "$T/f.tsv" "$T/failed.nc" || bad "exsol-rank all failed"
$PY "$SRC/recipes/scripts/plots.py" "$T/franking.nc" "$T/fplots" 2>"$T/err" \
    && ok "plots.py on an all-failed screen" || { bad "plots.py all failed"; cat "$T/err"; }
$PY "$SRC/recipes/scripts/report.py" "$T/fplots" "$T/franking.nc" "$T/freport.html" \
    && grep -q "No candidate could be ranked" "$T/freport.html" \
    && ok "report on an all-failed screen" || bad "report on an all-failed screen"
exit $fail
