#!/bin/bash
# The SLURM profile (recipes/profiles/slurm) end to end with a stand-in `sbatch` on
# PATH that records its arguments and runs the job script locally: the workflow
# finishes through the cluster executor, each shard's reduce/transport/magnet goes
# out as ONE job (a "GROUP" job), every submission carries --cpus-per-task, --mem and
# --time from the rules, and the ranking equals the shell pipe's on the same grid.
# Skips while a stage binary is missing. (CI=true makes Snakemake poll every second
# instead of every ten.)
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
PLUGIN=${HDF5_PLUGIN_PATH:-${EXSOL_BUILD:-$BIN/..}/hdf5-plugin}
export HDF5_PLUGIN_PATH=$PLUGIN
for t in exsol-gen exsol-reduce exsol-transport exsol-magnet exsol-rank exsol-cat; do
    if [ ! -x "$BIN/$t" ]; then echo "SKIP: $t is not built yet"; exit 0; fi
done
if ! /usr/bin/python3 -c 'import snakemake, matplotlib, netCDF4' 2>/dev/null; then
    echo "SKIP: /usr/bin/python3 lacks snakemake, matplotlib or netCDF4"; exit 0
fi
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

mkdir -p "$T/fake" "$T/wf"
# stand-in sbatch: log the arguments, run the job script in the background, print an id
{
    echo '#!/bin/bash'
    echo "calls=$T/calls"
    cat <<'SBATCH'
echo "$*" >>"$calls"
script="${@: -1}"
id=$((1000 + $(wc -l <"$calls")))
out=/dev/null
for a in "$@"; do
    case $a in --output=*) out=${a#--output=}; out=${out//%j/$id}; out=${out//%x/job} ;; esac
done
nohup bash "$script" >"$out" 2>&1 &
echo "$id"
SBATCH
} >"$T/fake/sbatch"
printf '#!/bin/bash\nexit 0\n' >"$T/fake/scancel"
chmod +x "$T/fake/sbatch" "$T/fake/scancel"

(cd "$T/wf" && CI=true PATH="$T/fake:$PATH" /usr/bin/python3 -m snakemake -s "$SRC/Snakefile" \
    --profile "$SRC/recipes/profiles/slurm" --configfile "$SRC/tests/workflow/small.yaml" \
    --config bin="$BIN" hdf5_plugin_path="$PLUGIN" --latency-wait 5) >"$T/log" 2>&1
if [ $? -eq 0 ]; then ok "workflow through the SLURM profile"; else
    bad "workflow through the profile"; tail -30 "$T/log"; exit 1; fi
n=$(wc -l <"$T/calls")
[ "$n" == 7 ] && ok "7 submissions (gen, split, 2 shards, rank, plots, report)" \
    || { bad "submissions: $n"; cat "$T/calls"; }
g=$(grep -c -- "--job-name=exsol-GROUP-" "$T/calls")
[ "$g" == 2 ] && ok "one group job per shard" || bad "group jobs: $g"
grep -q -- "--job-name=exsol-reduce" "$T/calls" && bad "reduce submitted on its own" \
    || ok "reduce never submitted on its own"
miss=$(grep -c -v -E -- "--cpus-per-task=[0-9]+ --mem=[0-9]+ --time=[0-9]+ " "$T/calls")
[ "$miss" == 0 ] && ok "every job asks for cpus, memory and time" \
    || { bad "resources missing"; cat "$T/calls"; }
[ -s "$T/wf/results/report.html" ] && ok "report.html" || bad "report.html"
ls "$T/wf/results/logs/slurm/" 2>/dev/null | grep -q . && ok "SLURM logs in results/logs/slurm" \
    || bad "SLURM logs"
"$BIN/exsol-gen" -q --grid "$SRC/tests/workflow/small.cfg" | "$BIN/exsol-reduce" -q |
    "$BIN/exsol-transport" -q | "$BIN/exsol-magnet" -q | "$BIN/exsol-rank" -q >"$T/pipe.tsv"
if cmp -s "$T/pipe.tsv" "$T/wf/results/ranking.tsv"; then ok "ranking equals the pipe's"; else
    bad "ranking differs from the pipe's"; diff "$T/pipe.tsv" "$T/wf/results/ranking.tsv" | head; fi
exit $fail
