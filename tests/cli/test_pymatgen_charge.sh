#!/bin/bash
# exsol-gen's charge bookkeeping against pymatgen's oxidation-state analysis, on every
# composition of the default grid (recipes/grids/default.cfg):
#  - pymatgen parses each formula into the site fractions gen wrote (x, divalent, a, z);
#  - gen's oxidation states are pymatgen's common ones (La3+, Sr2+, Ca2+, Ba2+, Nb5+, Ta5+,
#    Ti4+, O2-,
#    and the dopant's dopant_valence among pymatgen's common states of that element);
#  - the charge of the as-grown composition (O3-delta) with those states is the net
#    donor excess gen reports (0 for a compensated film), and delta * net = 0;
#  - pymatgen's oxi_state_guesses on the as-grown composition (scaled to integers)
#    with that target charge finds a charge-balanced assignment giving the dopant
#    gen's oxidation state.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
export HDF5_PLUGIN_PATH=${HDF5_PLUGIN_PATH:-${EXSOL_BUILD:-$BIN/..}/hdf5-plugin}
PY=/usr/bin/python3
$PY -c 'import netCDF4, pymatgen.core' 2>/dev/null \
    || { echo "SKIP: /usr/bin/python3 lacks netCDF4 or pymatgen (make deps)"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$BIN/exsol-gen" -q --grid "$SRC/recipes/grids/default.cfg" --time 5h -o "$T/gen.nc" \
    || { echo "FAIL: exsol-gen"; exit 1; }
PYTHONPATH=$SRC/recipes/python $PY - "$T/gen.nc" <<'PYEOF'
import sys
import exsol_xr
from pymatgen.core import Composition, Element, Species

df = exsol_xr.read_table(sys.argv[1]).drop_duplicates("formula")
A_SITE = {"La", "Sr", "Ca", "Ba"}
SCALE = 40                     # site fractions are multiples of 0.05, delta of 0.025
                               # (alloys: 2 or 4 times that)
bad = []
compensated = donors = 0
for r in df.itertuples():
    c = Composition(r.formula)
    el = {str(e): c[e] for e in c.elements}
    dop = r.dopant
    dop2 = getattr(r, "dopant2", "none")
    dop2 = dop2 if isinstance(dop2, str) and dop2 not in ("", "none") else None
    dops = {dop} | ({dop2} if dop2 else set())
    val = {dop: r.dopant_valence}
    if dop2:
        val[dop2] = r.dopant2_valence
    try:
        assert abs(el.get("La", 0) - r.A_donor_fraction) < 1e-9, "x"
        assert abs(el.get("Sr", 0) + el.get("Ca", 0) + el.get("Ba", 0) - r.A_divalent_fraction) < 1e-9, "divalent"
        assert abs(1 - sum(el.get(a, 0) for a in A_SITE) - r.A_vacancy) < 1e-9, "A vacancy"
        assert abs(el[dop] - r.dopant_fraction) < 1e-9, "z"
        assert not dop2 or abs(el[dop2] - r.dopant2_fraction) < 1e-9, "z2"
        assert abs(el["Ti"] + sum(el[d] for d in dops) + el.get("Nb", 0) + el.get("Ta", 0) - 1) < 1e-9, "B site"
        assert abs(el["O"] - 3) < 1e-12, "nominal O3"
        # oxidation states: pymatgen's common ones, the dopant's as gen states it
        states = {e: Element(e).common_oxidation_states for e in el}
        for e in el:
            if e not in dops:
                assert len(states[e]) == 1, f"{e} has one common state in pymatgen"
        for d in dops:
            assert val[d] in states[d], f"{d}{val[d]}+ not common in pymatgen"
        ox = {e: (val[e] if e in dops else states[e][0]) for e in el}
        grown = r.composition_asgrown
        assert abs(grown["O"] - (3 - r.delta_asgrown)) < 1e-12
        species = Composition({Species(e, ox[e]): grown[e] for e in el})
        charge = sum(sp.oxi_state * amt for sp, amt in species.items())
        assert abs(charge - r.net_donor_asgrown) < 1e-9, f"charge {charge} != net donor {r.net_donor_asgrown}"
        assert r.delta_asgrown >= 0 and r.net_donor_asgrown >= 0 and r.delta_asgrown * r.net_donor_asgrown == 0
        # pymatgen's own analysis on the integer composition
        sc = next((k for k in (SCALE, 2 * SCALE, 4 * SCALE)
                   if all(abs(round(grown[e] * k) - grown[e] * k) < 1e-9 for e in el)), None)
        assert sc, "integer scaling"
        ints = {e: round(grown[e] * sc) for e in el}
        target = round(r.net_donor_asgrown * sc)
        guesses = Composition(ints).oxi_state_guesses(target_charge=target)
        assert guesses, "pymatgen finds no assignment"
        assert any(all(abs(g[e] - ox[e]) < 1e-9 for e in el)
                   for g in guesses), f"pymatgen's guesses {guesses[:3]} lack gen's states {ox}"
        if target == 0:
            compensated += 1
        else:
            donors += 1
    except AssertionError as e:
        bad.append(f"{r.formula}: {e}")
for b in bad[:10]:
    print("FAIL:", b)
n = len(df)
print(f"{'ok' if not bad else 'FAIL'}: {n - len(bad)} of {n} compositions agree with pymatgen "
      f"({compensated} compensated by delta, {donors} with a net donor excess)")
sys.exit(1 if bad or n != 148 else 0)
PYEOF
