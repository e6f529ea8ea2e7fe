#!/bin/bash
# The workflow configuration is checked before any job runs (recipes/config.schema.yaml
# through Snakemake's validate(), and the --set names against datasets/<stage>-
# parameters.csv): a typo'd key (shard=3), shards < 1, a wrong type, an unknown
# parameter name under set.<stage> all stop Snakemake with a message naming the bad
# key, and no job (not even gen) has run. Valid overrides (also the defect-chemistry
# names that reduce and transport take) pass. And the grid decides the candidates: a
# user's grid keeps its own temperatures (the default config adds none), while the
# default screen is 2664 candidates with the seed's 550 C anneal among them.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
PLUGIN=${HDF5_PLUGIN_PATH:-${EXSOL_BUILD:-$BIN/..}/hdf5-plugin}
if ! /usr/bin/python3 -c 'import snakemake, jsonschema' 2>/dev/null; then
    echo "SKIP: /usr/bin/python3 lacks snakemake or jsonschema"; exit 77
fi
if [ ! -x "$BIN/exsol-gen" ] || [ ! -x "$BIN/exsol-table" ]; then
    echo "SKIP: exsol-gen or exsol-table is not built"; exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
SMK=(/usr/bin/python3 -m snakemake -s "$SRC/Snakefile" --cores 1)

# rejected: run for real (not -n), so a job that slipped through would leave a file
rejects() { # rejects NAME PATTERN ARGS...: snakemake fails, says PATTERN, ran nothing
    local name=$1 pat=$2; shift 2
    local d=$T/r.$RANDOM
    "${SMK[@]}" --directory "$d" --config bin="$BIN" hdf5_plugin_path="$PLUGIN" "$@" \
        >"$d.log" 2>&1
    local rc=$?
    if [ $rc -eq 0 ]; then bad "$name: accepted"; return; fi
    if grep -Eq -- "$pat" "$d.log"; then ok "$name: rejected, naming it"; else
        bad "$name: message does not match '$pat'"; tail -5 "$d.log"; fi
    if [ -e "$d/results" ]; then bad "$name: a job ran ($(ls "$d/results"))"; else
        ok "$name: no job ran"; fi
}
rejects "unknown key shard=3" "shard" shard=3
rejects "shards=0" "shards" shards=0
rejects "shards=two" "shards" shards=two
rejects "threads.reduce=0" "reduce" 'threads={"reduce": 0}'
rejects "unknown set stage" "set" 'set={"reduse": {}}'
rejects "rank.top=-1" "top" 'rank={"top": -1}'
rejects "set.reduce interfacial_energy" \
    "interfacial_energy.*gamma_interface|gamma_interface.*interfacial_energy" \
    'set={"reduce": {"interfacial_energy": 0.6}}'
rejects "set.rank unknown name" "min_log10_rho_ration.*min_log10_rho_ratio" \
    'set={"rank": {"min_log10_rho_ration": 4}}'
# the config.yaml comment must name a parameter that exists
ex=$(sed -n 's/.*Example: reduce: {\([a-zA-Z0-9_]*\):.*/\1/p' "$SRC/recipes/config.yaml")
grep -q "^$ex," "$SRC/datasets/reduce-parameters.csv" && ok "config.yaml example '$ex' exists" \
    || bad "config.yaml example '$ex' is not a reduce parameter"

# accepted
"${SMK[@]}" -n -p --directory "$T/ok" --config \
    'set={"reduce": {"gamma_interface": 0.6, "a_lattice": "3.905A"}, "transport": {"a_lattice": 3.905e-10}, "rank": {"min_log10_rho_ratio": 4}}' \
    >"$T/ok.log" 2>&1 && grep -q -- "--set gamma_interface=0.6" "$T/ok.log" \
    && ok "valid overrides (reduce, defects, rank) accepted" \
    || { bad "valid overrides rejected"; tail -5 "$T/ok.log"; }

# the grid decides the candidates
count() { "$BIN/exsol-table" -v T_anneal "$1" | tail -n +2 | wc -l; }
temps() { "$BIN/exsol-table" -v T_anneal "$1" | tail -n +2 | sort -g -u | tr '\n' ' '; }
"${SMK[@]}" --directory "$T/user" --config bin="$BIN" hdf5_plugin_path="$PLUGIN" \
    grid="$SRC/tests/workflow/small.cfg" -- results/candidates.nc >"$T/user.log" 2>&1 \
    || { bad "gen on a user grid"; tail -5 "$T/user.log"; }
n=$(count "$T/user/results/candidates.nc")
t=$(temps "$T/user/results/candidates.nc")
[ "$n" == 6 ] && [ "$t" == "823.15 973.15 " ] && ok "user grid keeps its 2 temperatures (6 rows)" \
    || bad "user grid: $n rows, temperatures [$t] (want 6 rows, 823.15 973.15)"
"${SMK[@]}" --directory "$T/def" --config bin="$BIN" hdf5_plugin_path="$PLUGIN" \
    -- results/candidates.nc >"$T/def.log" 2>&1 || { bad "gen on the default grid"; tail -5 "$T/def.log"; }
n=$(count "$T/def/results/candidates.nc")
t=$(temps "$T/def/results/candidates.nc")
[ "$n" == 2664 ] && ok "default screen: 2664 candidates" || bad "default screen: $n candidates"
[ "$t" == "823.15 973.15 1123.15 " ] && ok "default screen: 3 temperatures, 550 C among them" \
    || bad "default screen temperatures [$t]"
exit $fail
