#!/usr/bin/env bash
# xarray (what most users will open results with) reads a compressed exsol file
# through the installed zstd plugin: dimensions, CF units, fill values masked to NaN.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
PY=/usr/bin/python3
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if ! "$PY" -c 'import xarray' 2>/dev/null; then
    echo "FAIL: python3-xarray is not installed (make deps installs it)"
    exit 1
fi
"$BIN/exsol-gen" -q --no-history --grid "$SRC/recipes/grids/lsnt.cfg" \
    --temperature 550C,600C -o "$T/gen.nc" || { echo "FAIL: exsol-gen"; exit 1; }
ncdump -hs "$T/gen.nc" | grep -q '_Filter = "32015' || { echo "FAIL: no zstd filter"; exit 1; }
"$PY" - "$T/gen.nc" <<'PYEOF' || exit 1
import sys
import xarray as xr
d = xr.open_dataset(sys.argv[1])
assert d.sizes["candidate"] == 2, d.sizes
assert d["T_anneal"].attrs["units"] == "K"
assert abs(float(d["T_anneal"][0]) - 823.15) < 1e-9
assert abs(float(d["delta_asgrown"][0]) - 0.1) < 1e-12
# text carries _Encoding = "utf-8": plain xarray gives str, not bytes
assert d["formula"].values[0] == "La0.2Sr0.7Ni0.1Ti0.9O3", d["formula"].values
print("xarray reads", sys.argv[1], dict(d.sizes))
PYEOF
