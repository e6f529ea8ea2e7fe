#!/bin/bash
# The optional `window` target: not part of the default run (a dry run of `all`
# schedules no exsol-window job); `snakemake window` runs exsol-window once on the
# candidates with window.args and draws one T-t figure per dopant family; with
# window.in_report the report shows them. Runs the tiny grid (tests/workflow/small.cfg:
# Ni, Co, Cu at the seed's anneal) in a scratch directory.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
BUILD=${EXSOL_BUILD:-$BIN/..}
PLUGIN=${HDF5_PLUGIN_PATH:-$BUILD/hdf5-plugin}
if ! /usr/bin/python3 -c 'import snakemake, matplotlib, netCDF4' 2>/dev/null; then
    echo "SKIP: /usr/bin/python3 lacks snakemake, matplotlib or netCDF4"; exit 0
fi
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"
[ -x "$BIN/exsol-window" ] || { echo "skip: exsol-window not built"; exit 0; }
SMK=(/usr/bin/python3 -m snakemake -s "$SRC/Snakefile" --configfile "$SRC/tests/workflow/small.yaml")
count() { awk -v r="$1" '$1 == r { print $2; exit }' "$2"; }

"${SMK[@]}" -n --cores 2 --directory "$T/d" --config bin="$BIN" >"$T/dry_all" 2>&1 ||
    { bad "dry run of all"; tail -5 "$T/dry_all"; }
check "the default run has no window job" "$(count window_search "$T/dry_all")" ""

"${SMK[@]}" -n -p --cores 2 --directory "$T/d" --config bin="$BIN" -- window >"$T/dry_w" 2>&1 ||
    { bad "dry run of window"; tail -5 "$T/dry_w"; }
check "window: one search" "$(count window_search "$T/dry_w")" 1
check "window: one plot job" "$(count window_plots "$T/dry_w")" 1
grep -q "exsol-window --threads [0-9]* --t-range 0.5h:8h --t-tol 100%" "$T/dry_w" &&
    ok "window.args reach exsol-window" || bad "window command: $(grep -m1 exsol-window "$T/dry_w")"

cat >"$T/window.yaml" <<'YAML'
window:
  args: "--T-range 500C:700C --t-range 2h:8h --t-tol 100%"
  in_report: true
threads: {window: 1}
YAML
/usr/bin/python3 -m snakemake -s "$SRC/Snakefile" \
    --configfile "$SRC/tests/workflow/small.yaml" "$T/window.yaml" --cores 2 --directory "$T/r" \
    --config bin="$BIN" hdf5_plugin_path="$PLUGIN" -- window all >"$T/run.log" 2>&1
check "snakemake window all: exit 0" "$?" 0 || tail -20 "$T/run.log"
R=$T/r/results
[ -s "$R/window.nc" ] && ok "results/window.nc" || bad "no results/window.nc"
check "one film per composition" "$("$BIN/exsol-table" -v formula "$R/window.nc" | tail -n +2 | sort | tr '\n' ' ')" \
    "La0.2Sr0.7Co0.1Ti0.9O3 La0.2Sr0.7Cu0.1Ti0.9O3 La0.2Sr0.7Ni0.1Ti0.9O3 "
for fam in Ni Co Cu; do
    [ -s "$R/window_plots/window_$fam.png" ] && [ -s "$R/window_plots/window_$fam.svg" ] &&
        ok "window plot of the $fam family" || bad "no window_$fam plot"
done
check "window.tsv: a line per film" "$(($(wc -l <"$R/window_plots/window.tsv") - 1))" 3
grep -q "<h2>Process windows</h2>" "$R/report.html" && ok "the report shows the windows" ||
    bad "report has no Process windows section"
exit $fail
