#!/bin/bash
# --compression zstd|deflate|none on every tool that writes NetCDF: the filters
# really on the variables (ncdump -s), the values unchanged, a bad name is exit 2 in
# one line; and what xarray sees: text as str, status variables as integers with CF
# flag_values/flag_meanings (the NCO rewrite of a deflate file: test_nco_rewrite.sh).
set -uo pipefail
BIN=${EXSOL_BIN:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_tools exsol-gen exsol-reduce exsol-transport exsol-magnet exsol-rank exsol-cat exsol-table
command -v ncdump >/dev/null || { echo "skip: ncdump not installed"; exit 77; }

C="--composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C,600C --time 5h"
filters() { # FILE VAR: zstd, deflate or none, from ncdump -hs
    ncdump -hs "$1" | awk -v v="$2" '
        $0 ~ "^\t\t" v ":_Filter = \"32015" { z = 1 }
        $0 ~ "^\t\t" v ":_DeflateLevel" { d = 1 }
        END { print z ? "zstd" : d ? "deflate" : "none" }'
}
for c in zstd deflate none; do
    "$BIN/exsol-gen" -q --no-history --compression $c $C -o "$T/g.$c.nc" || bad "gen $c"
    "$BIN/exsol-reduce" -q --no-history --compression $c -o "$T/r.$c.nc" "$T/g.$c.nc" || bad "reduce $c"
    "$BIN/exsol-transport" -q --no-history --compression $c -o "$T/t.$c.nc" "$T/r.$c.nc" || bad "transport $c"
    "$BIN/exsol-magnet" -q --no-history --compression $c -o "$T/m.$c.nc" "$T/t.$c.nc" || bad "magnet $c"
    "$BIN/exsol-rank" -q --no-history --compression $c -o "$T/k.$c.nc" --tsv "$T/k.$c.tsv" "$T/m.$c.nc" || bad "rank $c"
    "$BIN/exsol-cat" -q --no-history --compression $c -o "$T/c.$c.nc" "$T/k.$c.nc" || bad "cat $c"
    check "gen --compression $c" "$(filters "$T/g.$c.nc" T_anneal)" $c
    check "reduce --compression $c (own variable)" "$(filters "$T/r.$c.nc" delta_reduced)" $c
    check "reduce --compression $c (copied variable)" "$(filters "$T/r.$c.nc" T_anneal)" $c
    check "transport --compression $c" "$(filters "$T/t.$c.nc" log10_rho_ratio)" $c
    check "magnet --compression $c" "$(filters "$T/m.$c.nc" M_300K_1T_reduced)" $c
    check "rank --compression $c" "$(filters "$T/k.$c.nc" score)" $c
    check "cat --compression $c" "$(filters "$T/c.$c.nc" formula)" $c
done
# the same numbers whatever the compression
for c in deflate none; do
    check "ranking with $c = with zstd" "$(cmp -s "$T/k.zstd.tsv" "$T/k.$c.tsv" && echo same)" same
    check "exsol-table of the $c file = of the zstd file" \
        "$("$BIN/exsol-table" "$T/c.$c.nc" | md5sum)" "$("$BIN/exsol-table" "$T/c.zstd.nc" | md5sum)"
done
# deflate from a zstd input (no stored-chunk copy across filters)
"$BIN/exsol-cat" -q --compression deflate -o "$T/z2d.nc" "$T/m.zstd.nc" || bad "cat zstd -> deflate"
check "zstd input, deflate output" "$(filters "$T/z2d.nc" T_anneal)" deflate
check "CDF5 on a pipe ignores --compression" \
    "$("$BIN/exsol-gen" -q --compression deflate $C | head -c 4 | od -An -c | tr -d ' ')" 'CDF005'
err=$("$BIN/exsol-gen" -q --compression lz4 $C -o "$T/x.nc" 2>&1)
rc=$?
check "--compression lz4: exit 2" "$rc" 2
check "--compression lz4: one line" "$err" "exsol-gen: error: option --compression takes zstd, deflate or none, got 'lz4'"
[ -e "$T/x.nc" ] && bad "--compression lz4 left x.nc" || ok "nothing left behind"

# CF flags and what xarray makes of the types
h=$(ncdump -h "$T/k.deflate.nc")
for v in reduce_status transport_status magnet_status feasible dual_switch spm_300K_reduced \
    metallic_reduced insulating_pristine; do
    grep -q "$v:flag_values = " <<<"$h" && grep -q "$v:flag_meanings = " <<<"$h" &&
        ok "$v has flag_values and flag_meanings" || bad "$v lacks CF flag attributes"
done
check "reduce_status flags" "$(echo "$h" | grep 'reduce_status:flag_values')" \
    $'\t\treduce_status:flag_values = 0, 1, 2, 4 ;'
grep -q 'reduce_status:_FillValue' <<<"$h" && bad "reduce_status has a _FillValue" ||
    ok "status variables have no _FillValue (always set)"
if /usr/bin/python3 -c 'import xarray' 2>/dev/null; then
    /usr/bin/python3 - "$T/k.deflate.nc" <<'PY' && ok "xarray: text is str, statuses and flags are ints" || bad "xarray types"
import sys, xarray as xr
d = xr.open_dataset(sys.argv[1])
assert d["formula"].dtype == object and isinstance(d["formula"].values[0], str), d["formula"].dtype
assert d["formula"].values[0] == "La0.2Sr0.7Ni0.1Ti0.9O3", d["formula"].values[0]
for v in ("reduce_status", "transport_status", "magnet_status", "feasible", "dual_switch", "candidate"):
    assert d[v].dtype.kind == "i", (v, d[v].dtype)
assert list(d["reduce_status"].attrs["flag_values"]) == [0, 1, 2, 4]
assert d["magnet_status"].attrs["flag_meanings"].split()[0] == "ok"
PY
fi
exit $fail
