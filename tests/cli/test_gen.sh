#!/bin/bash
# exsol-gen positive cases: row counts of the cartesian product, row order, SI
# conversion of the process flags, grid files (seed and default screen), flag
# precedence over the grid, valence overrides, parameter overrides, the
# A-vacancy convention attribute, and byte-identical --no-history output.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
PY=/usr/bin/python3
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
G="$BIN/exsol-gen"

run() { # run OUT ARGS... : must succeed
    local out=$1
    shift
    if ! "$G" -q "$@" >"$out" 2>"$T/err"; then
        echo "FAIL: exsol-gen $* exited $?"; cat "$T/err"; fail=1
    fi
}

# 2 compositions x 9 temperatures x 2 times = 36 rows, composition-major
run "$T/range.nc" --composition La0.2Sr0.7Ni0.1Ti0.9O3 --composition SrTiO3 \
    --temperature 500C:900C:50C --time 1h,5h --h2 5% --h2o 3% --thickness 30nm
run "$T/seed.nc" --composition La0.2Sr0.7Ni0.1Ti0.9O3-d --temperature 550C --time 5h
run "$T/grid.nc" --grid "$SRC/recipes/grids/default.cfg"
run "$T/lsnt.nc" --grid "$SRC/recipes/grids/lsnt.cfg"
run "$T/lsnt2.nc" --grid "$SRC/recipes/grids/lsnt.cfg" --temperature 500C,600C
run "$T/ni3.nc" --composition La0.2Sr0.7Ni0.1Ti0.9O3 --valence Ni=3 --temperature 550C --time 5h
run "$T/misc.nc" --composition La0.3Sr0.7TiO3 --composition BaTiO3 \
    --composition La0.2Sr0.7Ni0.1Ti0.9O3 --composition Sr0.7La0.2Ti0.9Ni0.1O3 \
    --temperature 823.15K --time 300min --h2 0.05atm --h2o 3000ppm --thickness 0.03um \
    --set p_total=50000Pa

"$PY" - "$T" <<'PYEOF' || fail=1
import sys, math
import netCDF4
T = sys.argv[1]
bad = []
def check(cond, what):
    if not cond:
        bad.append(what)
def ds(name):
    d = netCDF4.Dataset(f"{T}/{name}.nc")
    d.set_auto_mask(False)
    return d
def txt(v):
    # text has _Encoding = "utf-8", so netCDF4 gives str (a char array without it)
    return [r.rstrip("\x00") if isinstance(r, str) else b"".join(r).decode().rstrip("\x00")
            for r in v[:]]

d = ds("range")
n = len(d.dimensions["candidate"])
check(n == 36, f"range rows {n} != 36")
f = txt(d["formula"])
check(f[:18] == ["La0.2Sr0.7Ni0.1Ti0.9O3"] * 18 and f[18:] == ["SrTiO3"] * 18, "row order by composition")
check(txt(d["host"]) == ["SrTiO3"] * 36, "a host on every row")
Tk = d["T_anneal"][:]
ta = d["t_anneal"][:]
check(all(abs(Tk[2 * i] - (773.15 + 50 * i)) < 1e-9 for i in range(9)), f"T sweep {Tk[:18]}")
check(list(ta[:4]) == [3600.0, 18000.0, 3600.0, 18000.0], f"time innermost {ta[:4]}")
check(abs(Tk[17] - 1173.15) < 1e-9, "range includes its stop")
check(all(abs(x - 0.05 * 101325) < 1e-9 for x in d["p_H2"][:]), "5% of 1 atm")
check(all(abs(x - 0.03 * 101325) < 1e-9 for x in d["p_H2O"][:]), "3% of 1 atm")
check(all(abs(x - 30e-9) < 1e-20 for x in d["thickness"][:]), "30 nm")
check(d["tolerance_factor"].units == "1" and d["T_anneal"].units == "K", "units")
check("occupied" in d["tolerance_factor"].a_vacancy_convention, "a_vacancy_convention attribute")
check("history" in d.ncattrs(), "history recorded by default")
check(d["gen_parameters"].getncattr("t_max") == 1.059, "parameters recorded")

d = ds("seed")
check(len(d.dimensions["candidate"]) == 1, "seed one row")
check(txt(d["formula"]) == ["La0.2Sr0.7Ni0.1Ti0.9O3"], "seed formula canonical")
check(d["delta_asgrown"][0] == 0.1 and d["net_donor_asgrown"][0] == 0.0, "seed delta 0.1, n 0")
check(abs(d["A_vacancy"][0] - 0.1) < 1e-12, "seed a = 0.1")
check(txt(d["dopant"]) == ["Ni"] and d["dopant_valence"][0] == 2, "seed dopant Ni2+")
check(abs(d["tolerance_factor"][0] - 0.991) < 1e-3, "seed t")
check(abs(d["tolerance_factor_vacancy_zero"][0] - 0.941) < 1e-3, "seed t vacancy zero")
check(abs(d["bartel_tau"][0] - 3.47) < 1e-2, "seed tau")
check(d["feasible"][0] == 1 and txt(d["gen_reason"]) == [""], "seed feasible")
check(txt(d["host"]) == ["SrTiO3"], f"seed host {txt(d['host'])} != the default host SrTiO3")
check("hosts.csv" in d["host"].long_name, "host long_name names datasets/hosts.csv")
# defaults for h2, h2o, thickness (documented in --help)
check(abs(d["p_H2"][0] - 5066.25) < 1e-9 and abs(d["p_H2O"][0] - 3039.75) < 1e-9, "gas defaults")
check(abs(d["thickness"][0] - 30e-9) < 1e-20, "thickness default")

d = ds("grid")
n = len(d.dimensions["candidate"])
check(n == 148 * 6 * 3, f"default grid rows {n} != 2664 (148 compositions x 6 anneals x 3 substrates)")
f = txt(d["formula"])
check(f.count("La0.2Sr0.7Ni0.1Ti0.9O3") == 18, "seed once per anneal and substrate in the default grid")
check(len(set(f)) == 148, "148 distinct compositions (4 of them two-dopant alloys)")
check(set(txt(d["host"])) == {"SrTiO3", "CaTiO3", "BaTiO3"}, "three hosts")
check(set(txt(d["substrate"])) == {"SrTiO3", "LaAlO3", "DyScO3"}, "three substrates")
check(set(txt(d["dopant"])) == {"Ni", "Co", "Fe", "Cu"}, "dopants")
a = d["A_vacancy"][:]; x = d["A_donor_fraction"][:]; s = d["A_divalent_fraction"][:]
check(all(abs(a[i] + x[i] + s[i] - 1) < 1e-12 for i in range(n)), "A site + vacancy = 1")
check(sorted(set(round(v, 12) for v in a)) == [0.05, 0.1], "a values")
z = d["dopant_fraction"][:]; v = d["dopant_valence"][:]; dl = d["delta_asgrown"][:]
nd = d["net_donor_asgrown"][:]; yb = d["B_donor_fraction"][:]
z2 = d["dopant2_fraction"][:]; v2 = d["dopant2_valence"][:]
check(sum(1 for i in range(n) if z2[i] > 0) == 4 * 6 * 3, "alloy rows: 4 films x 6 anneals x 3 substrates")
# neutrality (defects-and-transport.md §2.4):
#   x + yB - 2a - (4 - v) z - (4 - v2) z2 + 2 delta - net = 0
check(all(abs(x[i] + yb[i] - 2 * a[i] - (4 - v[i]) * z[i] - (4 - v2[i]) * z2[i] + 2 * dl[i]
              - nd[i]) < 1e-12 for i in range(n)),
      "neutrality on every row")
check(all(dl[i] == 0 or nd[i] == 0 for i in range(n)), "delta and net donor exclusive")

d = ds("lsnt")
check(len(d.dimensions["candidate"]) == 1, "lsnt.cfg one row")
check(abs(d["T_anneal"][0] - 823.15) < 1e-9 and d["t_anneal"][0] == 18000.0, "lsnt anneal")
d = ds("lsnt2")
check(list(d["T_anneal"][:]) == [773.15, 873.15], "flag overrides the grid temperature")
check(d["t_anneal"][0] == 18000.0, "grid time kept")

d = ds("ni3")
check(d["dopant_valence"][0] == 3 and abs(d["delta_asgrown"][0] - 0.05) < 1e-12, "Ni3+ delta 0.05")
check(abs(d["tolerance_factor"][0] - 0.998) < 1e-3, "Ni3+-LS t")

d = ds("misc")
f = txt(d["formula"])
check(f == ["La0.3Sr0.7TiO3", "BaTiO3", "La0.2Sr0.7Ni0.1Ti0.9O3"], f"dedup + canonical order {f}")
check(d["delta_asgrown"][0] == 0 and abs(d["net_donor_asgrown"][0] - 0.3) < 1e-12, "n-type as grown")
check(d["feasible"][1] == 0 and "t_max" in txt(d["gen_reason"])[1], "BaTiO3 flagged by t_max")
check(d["feasible"][0] == 1, "LSTO feasible")
check(abs(d["T_anneal"][0] - 823.15) < 1e-9 and d["t_anneal"][0] == 18000.0, "K and min")
check(abs(d["p_H2"][0] - 0.05 * 101325) < 1e-9, "atm is absolute")
check(abs(d["p_H2O"][0] - 3000e-6 * 50000) < 1e-9, "ppm of p_total set by --set")
check(abs(d["thickness"][0] - 30e-9) < 1e-20, "um")
check(d["gen_parameters"].getncattr("p_total_origin") == "--set", "override recorded")

for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PYEOF

# byte-identical output with --no-history, for any --threads
"$G" --no-history --grid "$SRC/recipes/grids/default.cfg" --threads 1 >"$T/a.nc" 2>/dev/null
"$G" --no-history --grid "$SRC/recipes/grids/default.cfg" --threads 2 >"$T/b.nc" 2>/dev/null
cmp -s "$T/a.nc" "$T/b.nc" || { echo "FAIL: --no-history output differs between runs"; fail=1; }
[ -s "$T/a.nc" ] || { echo "FAIL: empty output"; fail=1; }

# -o writes a NETCDF4 file that ncdump can read (zstd plugin on HDF5_PLUGIN_PATH)
"$G" -q -o "$T/seed4.nc" --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h || fail=1
ncdump -v delta_asgrown "$T/seed4.nc" 2>/dev/null | grep -q "delta_asgrown = 0.1 ;" \
    || { echo "FAIL: -o file not readable or wrong"; fail=1; }
[ "$(ls -A "$T" | grep -c seed4)" -eq 1 ] || { echo "FAIL: temporary left next to -o"; fail=1; }

# the summary line goes to stderr, data only to stdout
"$G" --composition SrTiO3 --temperature 550C --time 5h >"$T/s.nc" 2>"$T/s.err"
grep -q "1 candidates" "$T/s.err" || { echo "FAIL: no summary on stderr"; cat "$T/s.err"; fail=1; }

# the host comes from datasets/hosts.csv (its first row), not from a literal, and every
# later stage carries it through unchanged (issue #11: a per-candidate host)
cp -r "$SRC/datasets" "$T/ds"
sed -i 's/^SrTiO3,/SrTiO3b,/' "$T/ds/hosts.csv"
h=$(EXSOL_DATADIR=$T/ds "$G" -q -c La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h |
    EXSOL_DATADIR=$T/ds "$BIN/exsol-reduce" -q | EXSOL_DATADIR=$T/ds "$BIN/exsol-transport" -q |
    EXSOL_DATADIR=$T/ds "$BIN/exsol-magnet" -q | EXSOL_DATADIR=$T/ds "$BIN/exsol-rank" -q -o - |
    "$BIN/exsol-table" -v host,rank --no-header -)
[ "$h" = "$(printf 'SrTiO3b\t1')" ] ||
    { echo "FAIL: host through the chain is '$h', want the renamed default host SrTiO3b"; fail=1; }

exit $fail
