#!/bin/bash
# The optional `probabilistic` target (issue #14): not part of the default run (a dry
# run of `all` schedules no exsol-ensemble job); `snakemake probabilistic` runs
# exsol-ensemble once over the whole candidates file with ensemble.members/seed (so
# the members are common to every candidate and the ranking is global) and writes
# results/ensemble.tsv and results/ranking_P.tsv (the same rows sorted by rank_P); a
# bad ensemble setting stops the workflow at validation. The tiny grid
# (tests/workflow/small.cfg: Ni, Co, Cu at the seed's anneal), 4 members. With
# ensemble.sobol the tables per candidate and per family, and the report's section.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
BUILD=${EXSOL_BUILD:-$BIN/..}
PLUGIN=${HDF5_PLUGIN_PATH:-$BUILD/hdf5-plugin}
if ! /usr/bin/python3 -c 'import snakemake' 2>/dev/null; then
    echo "SKIP: /usr/bin/python3 lacks snakemake"; exit 0
fi
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"
[ -x "$BIN/exsol-ensemble" ] || { echo "skip: exsol-ensemble not built"; exit 0; }
SMK=(/usr/bin/python3 -m snakemake -s "$SRC/Snakefile" --configfile "$SRC/tests/workflow/small.yaml")
count() { awk -v r="$1" '$1 == r { print $2; exit }' "$2"; }

"${SMK[@]}" -n --cores 2 --directory "$T/d" --config bin="$BIN" >"$T/dry_all" 2>&1 ||
    { bad "dry run of all"; tail -5 "$T/dry_all"; }
check "the default run has no ensemble job" "$(count ensemble "$T/dry_all")" ""

cat >"$T/p.yaml" <<'YAML'
ensemble: {members: 4, seed: 3}
threads: {ensemble: 2}
YAML
"${SMK[@]}" "$T/p.yaml" -n -p --cores 2 --directory "$T/d" --config bin="$BIN" -- \
    probabilistic >"$T/dry_p" 2>&1 || { bad "dry run of probabilistic"; tail -5 "$T/dry_p"; }
check "probabilistic: one ensemble job" "$(count ensemble "$T/dry_p")" 1
grep -q "exsol-ensemble --threads [0-9]* --members 4 --seed 3" "$T/dry_p" &&
    ok "ensemble.members/seed reach exsol-ensemble" ||
    bad "ensemble command: $(grep -m1 exsol-ensemble "$T/dry_p")"

"${SMK[@]}" "$T/p.yaml" --cores 2 --directory "$T/r" --config bin="$BIN" \
    hdf5_plugin_path="$PLUGIN" -- probabilistic >"$T/run.log" 2>&1
check "snakemake probabilistic: exit 0" "$?" 0 || tail -20 "$T/run.log"
R=$T/r/results
n=$("$BIN/exsol-table" -v formula "$R/candidates.nc" | tail -n +2 | wc -l)
check "ensemble.tsv: a line per candidate" "$(($(wc -l <"$R/ensemble.tsv") - 1))" "$n"
check "ranking_P.tsv: the same lines" "$(tail -n +2 "$R/ranking_P.tsv" | sort | md5sum)" \
    "$(tail -n +2 "$R/ensemble.tsv" | sort | md5sum)"
rk=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "rank_P") c = i; next }
    { printf "%s ", $c }' "$R/ranking_P.tsv")
check "ranking_P.tsv sorted by rank_P" "$rk" "$(seq -s ' ' 1 "$n") "
# the same ensemble outside the workflow gives the same table
"$BIN/exsol-ensemble" -q --members 4 --seed 3 "$R/candidates.nc" >"$T/direct.tsv"
cmp -s "$T/direct.tsv" "$R/ensemble.tsv" && ok "the workflow's table = exsol-ensemble's" ||
    bad "workflow table differs from a direct run"

[ -s "$R/ensemble.nc" ] && ok "results/ensemble.nc" || bad "no results/ensemble.nc"
for f in p_dual_map pareto_p; do
    [ -s "$R/ensemble_plots/$f.png" ] && [ -s "$R/ensemble_plots/$f.svg" ] &&
        ok "ensemble plot $f" || bad "no ensemble plot $f"
done

# ensemble.sobol: the Saltelli design and both Sobol tables; the report run afterwards
# gets the section "Which unknown decides which verdict" (without them: test_small)
cat >"$T/s.yaml" <<'YAML'
ensemble: {members: 4, seed: 3, sobol: true, sobol_params: "gamma_interface,E_comp"}
threads: {ensemble: 2}
YAML
"${SMK[@]}" "$T/s.yaml" --cores 2 --directory "$T/s" --config bin="$BIN" \
    hdf5_plugin_path="$PLUGIN" -- probabilistic >"$T/srun.log" 2>&1
check "probabilistic with ensemble.sobol: exit 0" "$?" 0 || tail -20 "$T/srun.log"
S=$T/s/results
check "ensemble_sobol.tsv: a line per candidate and parameter" \
    "$(($(wc -l <"$S/ensemble_sobol.tsv") - 1))" "$((2 * n))"
[ -s "$S/ensemble_sobol_families.tsv" ] && ok "ensemble_sobol_families.tsv" ||
    bad "no ensemble_sobol_families.tsv"
"${SMK[@]}" "$T/s.yaml" --cores 2 --directory "$T/s" --config bin="$BIN" \
    hdf5_plugin_path="$PLUGIN" >"$T/sall.log" 2>&1
check "then the report: exit 0" "$?" 0 || tail -20 "$T/sall.log"
grep -q "<h2>Which unknown decides which verdict</h2>" "$S/report.html" &&
    ok "the report shows the Sobol tables" || bad "no Sobol section in the report"
[ -s "$S/ensemble_plots/sobol.png" ] && ok "ensemble_plots draws the per-row Sobol bars" ||
    bad "no ensemble_plots/sobol.png"

# validation: members must be >= 1
"${SMK[@]}" -n --cores 1 --directory "$T/v" --config bin="$BIN" 'ensemble={members: 0}' \
    -- probabilistic >"$T/val.log" 2>&1
[ $? -ne 0 ] && grep -q -i "members" "$T/val.log" && ok "ensemble.members 0 refused at validation" ||
    bad "ensemble.members 0 not refused: $(tail -3 "$T/val.log")"
exit $fail
