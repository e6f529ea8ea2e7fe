#!/bin/bash
# exsol-rank over several inputs (the shards of one screen, in order) ranks them as
# one screen: the table equals that of the single file, and the NetCDF output equals
# ranking exsol-cat's concatenation of the shards (every variable, ncdump).
# stdin can be one input only; a shard without a needed variable is exit 3, named.
set -u
BIN=${EXSOL_BIN:?}
export HDF5_PLUGIN_PATH=${HDF5_PLUGIN_PATH:-$BIN/../hdf5-plugin}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
R="$BIN/exsol-rank"

"$BIN/exsol-gen" -q --no-history --composition La0.2Sr0.7Ni0.1Ti0.9O3 \
    --composition La0.2Sr0.7Co0.1Ti0.9O3 --temperature 550C,800C --time 5h |
    "$BIN/exsol-reduce" -q --no-history | "$BIN/exsol-transport" -q --no-history |
    "$BIN/exsol-magnet" -q --no-history -o "$T/all.nc" || { echo "FAIL: chain"; exit 1; }
# shards: rows 0-1, 2, 3 (CDF5, no history, so that only the rows differ)
ncks -O -5 -h -d candidate,0,1 "$T/all.nc" "$T/s0.nc" 2>/dev/null &&
    ncks -O -5 -h -d candidate,2,2 "$T/all.nc" "$T/s1.nc" 2>/dev/null &&
    ncks -O -5 -h -d candidate,3,3 "$T/all.nc" "$T/s2.nc" 2>/dev/null || { echo "FAIL: ncks"; exit 1; }
S="$T/s0.nc $T/s1.nc $T/s2.nc"

# shellcheck disable=SC2086
"$R" -q --no-history --all -o "$T/many.nc" --tsv "$T/many.tsv" $S || bad "rank of 3 shards"
"$R" -q --no-history --all --tsv "$T/one.tsv" "$T/all.nc" || bad "rank of the whole"
cmp -s "$T/one.tsv" "$T/many.tsv" && ok "table of the shards = table of the whole" ||
    { bad "tables differ"; diff "$T/one.tsv" "$T/many.tsv" | head; }
[ "$(tail -n +2 "$T/many.tsv" | wc -l)" -eq 4 ] && ok "4 rows" || bad "row count"
# shellcheck disable=SC2086
"$BIN/exsol-cat" -q --no-history -o "$T/cat.nc" $S && "$R" -q --no-history -o "$T/cat_r.nc" "$T/cat.nc" ||
    bad "exsol-cat + rank"
diff <(ncdump "$T/cat_r.nc" | tail -n +2) <(ncdump "$T/many.nc" | tail -n +2) >"$T/d" &&
    ok "NetCDF of the shards = ranking of their concatenation" || { bad "NetCDF differs"; head "$T/d"; }

"$R" -q - - <"$T/s0.nc" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 2 ] && grep -q "only once" "$T/err" && ok "stdin twice: exit 2" || bad "stdin twice: exit $rc"
ncks -O -5 -h -x -v log10_rho_ratio "$T/s1.nc" "$T/bad.nc" 2>/dev/null || bad "ncks -x"
"$R" -q -o "$T/x.nc" "$T/s0.nc" "$T/bad.nc" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 3 ] && grep -q "log10_rho_ratio" "$T/err" && ok "shard without log10_rho_ratio: exit 3, named" ||
    { bad "missing variable in a shard: exit $rc"; cat "$T/err"; }
[ ! -e "$T/x.nc" ] && ok "nothing written" || bad "output left behind"
exit $fail
