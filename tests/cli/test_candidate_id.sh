#!/bin/bash
# Every candidate has a stable id from exsol-gen on: the integer coordinate variable
# `candidate(candidate)` (CF: named like its dimension, no _FillValue), carried by
# reduce, transport, magnet, rank and exsol-cat, and printed by exsol-table and in
# exsol-rank's table, whose default columns also show every swept gen axis
# (p_H2, p_H2O, thickness, substrate when they vary). With two H2 values the
# ranking must not hold two rows with the same (formula, T, t) and nothing else to
# tell them apart.
set -uo pipefail
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-transport exsol-magnet exsol-rank exsol-table exsol-cat

"$BIN/exsol-gen" -q --no-history --composition La0.2Sr0.7Ni0.1Ti0.9O3 \
    --composition La0.2Sr0.7Co0.1Ti0.9O3 --temperature 550C,650C --time 5h \
    --h2 5%,10% -o "$T/gen.nc" || bad "gen"
check "gen writes candidate as the first variable" \
    "$("$BIN/exsol-table" -n 0 "$T/gen.nc" | cut -f1)" "candidate"
check "ids are the rows 0..7" "$("$BIN/exsol-table" --no-header -v candidate "$T/gen.nc" | tr '\n' ' ')" \
    "0 1 2 3 4 5 6 7 "

# the chain in two shards, merged with exsol-cat: the ids come back in order
/usr/bin/python3 "$SRC/recipes/scripts/split.py" "$T/gen.nc" "$T/s0.nc" "$T/s1.nc" || bad "split"
for s in s0 s1; do
    "$BIN/exsol-reduce" -q --no-history "$T/$s.nc" | "$BIN/exsol-transport" -q --no-history |
        "$BIN/exsol-magnet" -q --no-history -o "$T/$s.m.nc" || bad "chain $s"
done
check "shard 1 keeps its gen ids" \
    "$("$BIN/exsol-table" --no-header -v candidate "$T/s1.m.nc" | tr '\n' ' ')" "4 5 6 7 "
"$BIN/exsol-cat" -q --no-history -o "$T/all.nc" "$T/s0.m.nc" "$T/s1.m.nc" || bad "cat"
check "exsol-cat carries the ids" \
    "$("$BIN/exsol-table" --no-header -v candidate "$T/all.nc" | tr '\n' ' ')" "0 1 2 3 4 5 6 7 "

# exsol-rank: NetCDF keeps the ids, the table shows them and the swept H2
"$BIN/exsol-rank" -q --no-history -o "$T/rank.nc" --tsv "$T/rank.tsv" "$T/all.nc" || bad "rank"
check "rank.nc keeps the ids" \
    "$("$BIN/exsol-table" --no-header -v candidate "$T/rank.nc" | sort -n | tr '\n' ' ')" \
    "0 1 2 3 4 5 6 7 "
hdr=$(head -1 "$T/rank.tsv")
case "$hdr" in *$'\t'candidate$'\t'*) ok "ranking.tsv has a candidate column" ;;
*) bad "ranking.tsv header lacks candidate: $hdr" ;; esac
case "$hdr" in *$'\t'p_H2$'\t'*) ok "ranking.tsv shows the swept p_H2" ;;
*) bad "ranking.tsv header lacks the swept p_H2: $hdr" ;; esac
case "$hdr" in *$'\t'p_H2O$'\t'* | *$'\t'thickness$'\t'*)
    bad "constant axes (p_H2O, thickness) should not be default columns: $hdr" ;;
*) ok "constant axes are left out" ;; esac
dups=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { k = $c["formula"] FS $c["T_anneal"] FS $c["t_anneal"]
      for (i = 1; i <= NF; i++) if (i != c["rank"] && i != c["candidate"] && i != c["score"] &&
          i != c["pareto_rank"] && i != c["crowding_distance"] && i != c["rank_reason"] &&
          i != c["log10_rho_ratio"] && i != c["M_300K_1T_reduced"] && i != c["spm_300K_reduced"] &&
          i != c["dual_switch"]) k = k FS $i
      n[k]++ } END { d = 0; for (k in n) if (n[k] > 1) d++; print d }' "$T/rank.tsv")
check "no two ranked rows share every input column" "$dups" 0
check "every ranked row has its own id" \
    "$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "candidate") c = i; next }
        { print $c }' "$T/rank.tsv" | sort -u | wc -l)" 8

# the file format: an int coordinate variable without _FillValue
if command -v ncdump >/dev/null; then
    h=$(ncdump -h "$T/rank.nc")
    grep -q 'int candidate(candidate) ;' <<<"$h" && ok "int candidate(candidate)" ||
        bad "no int coordinate variable candidate(candidate)"
    grep -q 'candidate:_FillValue' <<<"$h" && bad "candidate has a _FillValue" ||
        ok "candidate has no _FillValue"
fi
# CDO takes the record dimension as its time axis; without a coordinate variable it
# took the first variable on it (formula), with candidate(candidate) a plain step count
if command -v cdo >/dev/null; then
    tc=$(cdo -s sinfon "$T/all.nc" 2>/dev/null | awk '/Time coordinate/ { getline; print $1 }')
    [ -n "$tc" ] && [ "$tc" != formula ] && ok "cdo sinfon: the time axis is not formula ($tc)" ||
        bad "cdo sinfon: time axis [$tc]"
else
    echo "note: cdo not installed, its check skipped"
fi
if /usr/bin/python3 -c 'import xarray' 2>/dev/null; then
    /usr/bin/python3 - "$T/rank.nc" <<'EOF' && ok "xarray: candidate is an integer index" || bad "xarray view of candidate"
import sys, xarray as xr
d = xr.open_dataset(sys.argv[1])
assert "candidate" in d.indexes, list(d.indexes)
assert d["candidate"].dtype.kind == "i", d["candidate"].dtype
assert sorted(d["candidate"].values.tolist()) == list(range(8))
EOF
fi
exit $fail
