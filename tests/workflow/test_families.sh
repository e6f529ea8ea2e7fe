#!/bin/bash
# The report's families (recipes/scripts/plots.py families()): rows grouped by host x
# dopant x donor type x substrate; per family the dual switches, the distinct ones
# (a physics twin, exsol-rank's physics_twin_of, of another dual row of the family
# is not counted again) and the best row (lowest rank, dual switches first) with its
# twins counted once. A hand-made table of six rows, no NetCDF needed.
set -u
SRC=${EXSOL_SRC:?}
PY=/usr/bin/python3
$PY -c 'import matplotlib, netCDF4, numpy' 2>/dev/null \
    || { echo "SKIP: /usr/bin/python3 lacks matplotlib, netCDF4 or numpy"; exit 77; }
MPLBACKEND=Agg PYTHONPATH=$SRC/recipes/scripts $PY - <<'PYEOF'
import sys
import numpy as np
import plots

fail = 0
def check(cond, what):
    global fail
    print(("ok: " if cond else "FAIL: ") + what)
    fail |= not cond

nan = np.nan
O = lambda *v: np.array(v, dtype=object)
d = {"n": 6,
     "formula": O("La0.2Sr0.7Ni0.1Ti0.9O3", "Nd0.2Sr0.7Ni0.1Ti0.9O3", "Sr0.9Ni0.1Nb0.1Ti0.8O3",
                  "La0.2Sr0.7Ni0.1Ti0.9O3", "La0.2Ca0.7Ni0.1Ti0.9O3", "La0.2Sr0.7Co0.1Ti0.9O3"),
     "host": O("SrTiO3", "SrTiO3", "SrTiO3", "SrTiO3", "CaTiO3", "SrTiO3"),
     "substrate": O("SrTiO3", "SrTiO3", "SrTiO3", "LaAlO3", "SrTiO3", "SrTiO3"),
     "dopant": O("Ni", "Ni", "Ni", "Ni", "Ni", "Co"),
     "rank": np.array([2, 3, 1, 4, nan, 5.]),
     "dual_switch": np.array([1, 1, 1, 0, 0, 0.]),
     "physics_twin_of": np.array([nan, 10, nan, nan, nan, nan]),  # row 1 repeats row 0
     "candidate": np.array([10, 11, 12, 13, 14, 15.]),
     "T_anneal": np.full(6, 823.15), "t_anneal": np.full(6, 18000.)}
check(plots.donor_type("Sr0.9Ni0.1Ta0.1Ti0.8O3") == "Ta", "B-site donor Ta")
check(plots.donor_type("La0.2Sr0.7Ni0.1Ti0.9O3") == "La", "A-site donor La")
keys, fi, fams = plots.families(d)
by = {(r["host"], r["dopant"], r["donor"], r["substrate"]): r for r in fams}
check(len(fams) == 6 and len(set(fi.tolist())) == 6, "La and Nd are different donors: 6 families")
la = by[("SrTiO3", "Ni", "La", "SrTiO3")]
check(la["dual_switch"] == 1 and la["best"] == 0 and la["best_twins"] == 1,
      "the seed's family: best row 0, its Nd twin (another family) counted as a twin")
nd = by[("SrTiO3", "Ni", "Nd", "SrTiO3")]
check(nd["distinct_dual"] == 1, "a twin of a row outside the family still counts in its own")
# put the twin in the same family: it is not a second distinct dual switch
d["formula"][1] = d["formula"][0]
keys, fi, fams = plots.families(d)
by = {(r["host"], r["dopant"], r["donor"], r["substrate"]): r for r in fams}
la = by[("SrTiO3", "Ni", "La", "SrTiO3")]
check(la["candidates"] == 2 and la["dual_switch"] == 2 and la["distinct_dual"] == 1,
      "twins collapsed: 2 dual rows, 1 distinct")
check(by[("SrTiO3", "Ni", "Nb", "SrTiO3")]["best"] == 2, "Nb family: its own best row")
check(by[("SrTiO3", "Ni", "La", "LaAlO3")]["dual_switch"] == 0
      and by[("SrTiO3", "Ni", "La", "LaAlO3")]["best"] == 3, "substrate splits a family")
ca = by[("CaTiO3", "Ni", "La", "SrTiO3")]
check(ca["ranked"] == 0 and ca["best"] is None, "a family without ranked rows has no best")
# the top table names the host, the substrate and the misfit of each row
cols = [c[0] for c in plots.TABLE_COLS]
check(cols.index("host") < cols.index("substrate") < cols.index("misfit_strain_pct"),
      "top table: host, substrate and misfit columns")
cell = dict((c[0], c[2]) for c in plots.TABLE_COLS)
d["misfit_strain"] = np.array([0.0, 0.0, 0.0, -0.0294, 0.0, 0.0])
check(cell["substrate"](d, 3) == "LaAlO3" and cell["misfit_strain_pct"](d, 3) == "-2.94"
      and cell["host"](d, 4) == "CaTiO3", "top table cells: LaAlO3, -2.94 %, CaTiO3")
d.pop("substrate")
check(cell["substrate"](d, 0) == "none", "top table without substrates: none")
keys, fi, fams = plots.families(d)
check(all(r["substrate"] == "strain-free" for r in fams), "no substrate variable: strain-free")
sys.exit(fail)
PYEOF
