#!/bin/bash
# A small end-to-end run of the workflow (tests/workflow/small.yaml: 6 candidates,
# the seed among them, 2 shards):
#  1. the run finishes; ranking.tsv, ranking.nc, the plots and report.html exist; the
#     report embeds its figures; the seed under its anchor anneal (550 C, 5 h) is
#     marked dual_switch = 1;
#  2. a run killed hard (SIGKILL to snakemake and its jobs, while a shard's transport
#     job is running) leaves no partial output under a final name, resumes (--unlock,
#     then --rerun-incomplete) without redoing gen, and gives the same ranking.tsv;
#  3. the shell pipe exsol-gen | exsol-reduce | exsol-transport | exsol-magnet |
#     exsol-rank gives the same table as the workflow.
# Skips (exit 0, "SKIP: ...") while a stage binary is missing.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
PLUGIN=${HDF5_PLUGIN_PATH:-${EXSOL_BUILD:-$BIN/..}/hdf5-plugin}
export HDF5_PLUGIN_PATH=$PLUGIN
for t in exsol-gen exsol-reduce exsol-transport exsol-magnet exsol-rank exsol-cat exsol-table; do
    if [ ! -x "$BIN/$t" ]; then echo "SKIP: $t is not built yet"; exit 0; fi
done
if ! /usr/bin/python3 -c 'import snakemake, matplotlib, netCDF4' 2>/dev/null; then
    echo "SKIP: /usr/bin/python3 lacks snakemake, matplotlib or netCDF4"; exit 0
fi
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"
pg=""
cleanup() {
    [ -n "$pg" ] && kill -9 -- "-$pg" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
SMK=(/usr/bin/python3 -m snakemake -s "$SRC/Snakefile" --configfile "$SRC/tests/workflow/small.yaml")

# ---- 1. uninterrupted run -------------------------------------------------
"${SMK[@]}" --cores 2 --directory "$T/a" --config bin="$BIN" hdf5_plugin_path="$PLUGIN" \
    >"$T/a.log" 2>&1
if [ $? -eq 0 ]; then ok "workflow run"; else bad "workflow run"; tail -30 "$T/a.log"
    for f in "$T"/a/results/logs/*.log; do echo "== $f"; tail -5 "$f"; done; exit 1; fi
R="$T/a/results"
for f in ranking.tsv ranking.nc report.html plots/pareto.png plots/pareto.svg \
         plots/heatmaps.png plots/top_table.png plots/summary.json; do
    [ -s "$R/$f" ] && ok "$f exists" || bad "$f missing"
done
n=$(grep -c 'src="data:image/png;base64,' "$R/report.html")
[ "$n" -ge 3 ] && ok "report embeds $n figures" || bad "report embeds figures ($n)"
grep -q "http" "$R/report.html" && grep -q '<img[^>]*src="http' "$R/report.html" \
    && bad "report links external images" || ok "report is self-contained"
rows=$(($(wc -l <"$R/ranking.tsv") - 1))
ranked=$("$BIN/exsol-table" -v rank "$R/ranking.nc" | grep -vc -e '^rank$' -e '^NA$')
[ "$rows" == "$ranked" ] && ok "ranking.tsv lists the $ranked ranked rows" \
    || bad "ranking.tsv rows $rows vs ranked $ranked"
seed=$("$BIN/exsol-table" -v formula,T_anneal,t_anneal,dual_switch,rank,rank_reason "$R/ranking.nc" \
    | awk -F'\t' '$1 == "La0.2Sr0.7Ni0.1Ti0.9O3" && $2 == "823.15" && $3 == "18000"')
if [ "$(echo "$seed" | cut -f4)" == "1" ]; then ok "seed at 550 C / 5 h is a dual switch"
else bad "seed at 550 C / 5 h is not a dual switch: [$seed]"; fi
grep -q '"dual_switch": 1' "$R/plots/summary.json" && ok "report summary has the seed verdict" \
    || bad "report summary has the seed verdict"

# ---- 2. killed and resumed --------------------------------------------------
# A bin folder whose exsol-transport blocks on shard 001 while $T/block exists, so the
# kill lands while a stage job is running; the same folder is used to resume.
mkdir -p "$T/kbin"
for t in "$BIN"/exsol-*; do ln -s "$t" "$T/kbin/"; done
rm "$T/kbin/exsol-transport"
cat >"$T/kbin/exsol-transport" <<EOF
#!/bin/bash
case "\$*" in *001.reduce.nc*) if [ -e "$T/block" ]; then touch "$T/blocked"; sleep 120; fi ;; esac
exec "$BIN/exsol-transport" "\$@"
EOF
chmod +x "$T/kbin/exsol-transport"
touch "$T/block"
setsid "${SMK[@]}" --cores 1 --directory "$T/b" --config bin="$T/kbin" \
    hdf5_plugin_path="$PLUGIN" >"$T/b1.log" 2>&1 &
pg=$!
for _ in $(seq 1 600); do [ -e "$T/blocked" ] && break; sleep 0.1; done
if [ -e "$T/blocked" ]; then
    kill -9 -- "-$pg" 2>/dev/null
    wait "$pg" 2>/dev/null
    pg=""
    ok "run killed while shard 001 was in transport"
    [ -e "$T/b/results/ranking.tsv" ] && bad "ranking exists after the kill" || ok "no ranking after the kill"
    [ -e "$T/b/results/shards/001.transport.nc" ] && bad "killed job left its output" \
        || ok "killed job left no output under its final name"
    # every NetCDF under a final name is complete
    badnc=0
    for f in $(find "$T/b/results" -name '*.nc'); do ncdump -h "$f" >/dev/null 2>&1 || badnc=1; done
    [ $badnc == 0 ] && ok "outputs present after the kill are complete" || bad "a partial NetCDF"
    gen_mtime=$(stat -c %Y.%y "$T/b/results/candidates.nc")
    rm -f "$T/block"
    # a hard kill leaves Snakemake's lock behind: --unlock, then resume
    "${SMK[@]}" --unlock --directory "$T/b" --config bin="$T/kbin" \
        hdf5_plugin_path="$PLUGIN" >"$T/unlock.log" 2>&1 || bad "snakemake --unlock"
    "${SMK[@]}" --cores 2 --rerun-incomplete --directory "$T/b" --config bin="$T/kbin" \
        hdf5_plugin_path="$PLUGIN" >"$T/b2.log" 2>&1
    if [ $? -eq 0 ]; then ok "resumed run"; else bad "resumed run"; tail -20 "$T/b2.log"; fi
    [ "$(stat -c %Y.%y "$T/b/results/candidates.nc")" == "$gen_mtime" ] \
        && ok "resume did not redo gen" || bad "resume redid gen"
    if cmp -s "$R/ranking.tsv" "$T/b/results/ranking.tsv"; then
        ok "killed-and-resumed ranking equals the uninterrupted one"
    else bad "resumed ranking differs"; diff "$R/ranking.tsv" "$T/b/results/ranking.tsv" | head; fi
else
    bad "the run never reached shard 001's transport job"; tail -20 "$T/b1.log"
fi

# ---- 3. the shell pipe ------------------------------------------------------
"$BIN/exsol-gen" -q --grid "$SRC/tests/workflow/small.cfg" | "$BIN/exsol-reduce" -q |
    "$BIN/exsol-transport" -q | "$BIN/exsol-magnet" -q | "$BIN/exsol-rank" -q >"$T/pipe.tsv"
st=("${PIPESTATUS[@]}")
[ "${st[*]}" == "0 0 0 0 0" ] && ok "pipe exit codes" || bad "pipe exit codes ${st[*]}"
if cmp -s "$T/pipe.tsv" "$R/ranking.tsv"; then ok "pipe ranking equals the workflow's"
else bad "pipe ranking differs from the workflow's"; diff "$T/pipe.tsv" "$R/ranking.tsv" | head; fi
exit $fail
