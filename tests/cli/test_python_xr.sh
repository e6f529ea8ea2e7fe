#!/bin/bash
# recipes/python/exsol_xr.py: an exsol file (the small grid through the whole chain,
# NETCDF4 with zstd on disk) opens with xarray with text as str and the status and
# flag variables as integers (not the floats plain xarray makes of them), and
# read_table() gives one pandas row per candidate with pymatgen Composition objects
# (nominal and as-grown O3-delta) that match the file's site fractions.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
export HDF5_PLUGIN_PATH=${HDF5_PLUGIN_PATH:-${EXSOL_BUILD:-$BIN/..}/hdf5-plugin}
PY=/usr/bin/python3
$PY -c 'import xarray, pandas, netCDF4, pymatgen.core' 2>/dev/null \
    || { echo "SKIP: /usr/bin/python3 lacks xarray, pandas, netCDF4 or pymatgen (make deps)"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$BIN/exsol-gen" -q --grid "$SRC/tests/workflow/small.cfg" | "$BIN/exsol-reduce" -q |
    "$BIN/exsol-transport" -q | "$BIN/exsol-magnet" -q | "$BIN/exsol-rank" -q -o "$T/ranking.nc" \
    || { echo "FAIL: chain"; exit 1; }
"$BIN/exsol-table" -v formula,reduce_status,dual_switch,rank "$T/ranking.nc" >"$T/table.tsv"
PYTHONPATH=$SRC/recipes/python $PY - "$T/ranking.nc" "$T/table.tsv" <<'PYEOF'
import csv, sys
import numpy as np
import exsol_xr
from pymatgen.core import Composition

fail = 0
def check(cond, what):
    global fail
    print(("ok: " if cond else "FAIL: ") + what)
    fail |= not cond

path, tsv = sys.argv[1], sys.argv[2]
ds = exsol_xr.open_dataset(path)
check(all(isinstance(v, str) for v in ds["formula"].values), "formula decoded as str")
check(all(isinstance(v, str) for v in ds["rank_reason"].values), "rank_reason decoded as str")
for v in ("reduce_status", "transport_status", "magnet_status", "feasible", "dual_switch",
          "dopant_valence"):
    check(np.issubdtype(ds[v].dtype, np.integer), f"{v} is an integer variable ({ds[v].dtype})")
st = ds["reduce_status"]
check("flag_values" in st.attrs or "flag_meanings" in st.attrs or "long_name" in st.attrs,
      "status attributes kept")
check(ds["T_anneal"].dtype == np.float64 and ds["T_anneal"].attrs.get("units") == "K", "floats and units kept")
check(ds.sizes["candidate"] == 6, "6 candidates")
ds.close()

df = exsol_xr.read_table(path)
ref = list(csv.DictReader(open(tsv), delimiter="\t"))
check(len(df) == 6 == len(ref), f"table has {len(df)} rows")
check(list(df["formula"]) == [r["formula"] for r in ref], "formulas equal exsol-table's")
check([int(v) for v in df["dual_switch"]] == [int(r["dual_switch"]) for r in ref], "dual_switch equals exsol-table's")
check(all(isinstance(c, Composition) for c in df["composition"]), "composition column of pymatgen Compositions")
check("rho_T_reduced" not in df and "M_H_300K_reduced" not in df, "curves stay out of the table")
seed = df[df["formula"] == "La0.2Sr0.7Ni0.1Ti0.9O3"]
check(len(seed) == 2, "seed at its two anneals")
c = seed["composition"].iloc[0]
check(c.almost_equals(Composition("La0.2Sr0.7Ni0.1Ti0.9O3")), f"seed composition {c}")
ca = seed["composition_asgrown"].iloc[0]
check(abs(ca["O"] - (3 - seed["delta_asgrown"].iloc[0])) < 1e-12 and abs(ca["O"] - 2.9) < 1e-12,
      f"as-grown seed O{ca['O']:g} = 3 - delta")
ok = all(abs(c["La"] - x) < 1e-12 and abs(c["Ti"] - (1 - z)) < 1e-12
         for c, x, z in zip(df["composition"], df["A_donor_fraction"], df["dopant_fraction"]))
check(ok, "compositions match the file's site fractions")
sys.exit(fail)
PYEOF
