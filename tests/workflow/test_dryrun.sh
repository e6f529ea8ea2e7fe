#!/bin/bash
# The workflow's DAG on the default configuration (recipes/config.yaml): a dry run
# (snakemake -n) succeeds without building anything and schedules every stage once
# per shard; --config shards=N changes the shard count; the SLURM profile parses and
# gives the shard stages one group. Runs in a scratch directory so the repository
# gets no .snakemake/ or results/.
set -u
SRC=${EXSOL_SRC:?}
SMK=(/usr/bin/python3 -m snakemake)
if ! /usr/bin/python3 -c 'import snakemake' 2>/dev/null; then
    echo "SKIP: snakemake is not installed for /usr/bin/python3"; exit 0
fi
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

count() { # count RULE FILE: jobs of RULE in a dry-run's job stats
    awk -v r="$1" '$1 == r { print $2; exit }' "$2"
}

"${SMK[@]}" -n -p -s "$SRC/Snakefile" --directory "$T" --cores 2 >"$T/dry" 2>&1
if [ $? -eq 0 ]; then ok "dry run on recipes/config.yaml"; else bad "dry run"; tail -20 "$T/dry"; fi
shards=$(sed -n 's/^shards: *\([0-9]*\).*/\1/p' "$SRC/recipes/config.yaml")
for r in reduce transport magnet; do
    n=$(count $r "$T/dry")
    [ "$n" == "$shards" ] && ok "$r once per shard ($shards)" || bad "$r jobs: got '$n' want $shards"
done
for r in gen split rank plots report; do
    n=$(count $r "$T/dry")
    [ "$n" == 1 ] && ok "$r once" || bad "$r jobs: got '$n' want 1"
done
grep -q -- "--grid $SRC/recipes/grids/default.cfg" "$T/dry" || grep -q "default.cfg" "$T/dry" \
    && ok "default grid used" || bad "default grid used"
grep -q "exsol-rank .*-o results/ranking.nc --tsv results/ranking.tsv" "$T/dry" \
    && ok "rank writes ranking.nc and ranking.tsv" || bad "rank command"

"${SMK[@]}" -n -s "$SRC/Snakefile" --directory "$T" --cores 2 --config shards=7 >"$T/dry7" 2>&1
n=$(count reduce "$T/dry7")
[ "$n" == 7 ] && ok "--config shards=7" || bad "--config shards=7: got '$n'"

# overrides reach the tools as --set
"${SMK[@]}" -n -p -s "$SRC/Snakefile" --directory "$T" --cores 2 \
    --config 'set={"rank": {"min_log10_rho_ratio": 4}, "reduce": {}}' >"$T/dryset" 2>&1
grep -q "exsol-rank --set min_log10_rho_ratio=4" "$T/dryset" && ok "--set reaches exsol-rank" \
    || { bad "--set reaches exsol-rank"; grep exsol-rank "$T/dryset"; }

# the SLURM profile: parses, and reduce/transport/magnet form one group per shard
(cd "$T" && "${SMK[@]}" -n -s "$SRC/Snakefile" --profile "$SRC/recipes/profiles/slurm" \
    --directory "$T") >"$T/dryslurm" 2>&1
if [ $? -eq 0 ]; then ok "SLURM profile dry run"; else bad "SLURM profile dry run"; tail -20 "$T/dryslurm"; fi
n=$(grep -c "^group job shard" "$T/dryslurm")
[ "$n" == "$shards" ] && ok "one shard group job per shard" || bad "shard group jobs: got '$n'"
exit $fail
