#!/bin/bash
# What the figures show (recipes/scripts/plots.py on the synthetic screen ranked by the
# real exsol-rank), read off the matplotlib figures before they are saved:
#  - M(H), rho(T) and the size distributions: every legend entry is a curve with its own
#    colour and marker, so coinciding curves stay visible;
#  - the size distributions are dN/dlnD: the plotted values are the file's per-bin
#    counts over the bins' width in ln D, and the axis says so;
#  - the heatmaps put the anneal temperatures at their true positions (500, 550, 600,
#    700 ... C, not evenly spaced) and mark the seed where it is;
#  - the switch maps follow exsol-rank's verdicts (rank_reason, dual_switch) in the
#    file, not a second implementation of its constraints: a verdict changed in the
#    file changes the map.
set -u
BIN=${EXSOL_BIN:?}
SRC=${EXSOL_SRC:?}
export HDF5_PLUGIN_PATH=${HDF5_PLUGIN_PATH:-${EXSOL_BUILD:-$BIN/..}/hdf5-plugin}
PY=/usr/bin/python3
$PY -c 'import matplotlib, netCDF4, numpy' 2>/dev/null \
    || { echo "SKIP: /usr/bin/python3 lacks matplotlib, netCDF4 or numpy"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
$PY "$SRC/tests/workflow/synth_dataset.py" "$T/screen.nc" --n-fail 5 || { echo "FAIL: synth"; exit 1; }
"$BIN/exsol-rank" -q -o "$T/ranking.nc" "$T/screen.nc" || { echo "FAIL: exsol-rank"; exit 1; }
cp "$T/ranking.nc" "$T/tampered.nc"
MPLBACKEND=Agg PYTHONPATH=$SRC/recipes/scripts $PY - "$T" <<'PYEOF'
import sys
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.collections import QuadMesh
from netCDF4 import Dataset
import plots

fail = 0
def check(cond, what):
    global fail
    print(("ok: " if cond else "FAIL: ") + what)
    fail |= not cond

T = sys.argv[1]
figs = {}
plots.save = lambda fig, outdir, name: figs.__setitem__(name, fig)
d = plots.load(T + "/ranking.nc")
seed = plots.find_seed(d, "La0.2Sr0.7Ni0.1Ti0.9O3", 823.15, 18000)
check(seed is not None, "seed found")
rows = plots.pick_rows(d, seed, 4)
plots.plot_curves(d, seed, rows, T)
try:
    plots.plot_heatmaps(d, T, seed)
except TypeError:                      # a plots.py that cannot be told the seed
    plots.plot_heatmaps(d, T)

for name in ("M_H", "rho_T", "psd"):
    fig = figs.get(name)
    if fig is None:
        check(False, f"{name} drawn"); continue
    for ax in fig.axes:
        lines = [l for l in ax.get_lines() if not l.get_label().startswith("_")]
        if not lines:
            continue
        styles = {(matplotlib.colors.to_hex(l.get_color()), l.get_marker()) for l in lines}
        check(len(lines) == len(rows) and len(styles) == len(lines)
              and all(l.get_marker() not in (None, "None", "", " ") for l in lines),
              f"{name}: {len(lines)} labelled curves, {len(styles)} distinct colour+marker styles")

# dN/dlnD
fig = figs["psd"]
ax = fig.axes[0]
check("ln D" in ax.get_ylabel() or "lnD" in ax.get_ylabel().replace(" ", ""),
      f"psd axis is dN/dlnD: {ax.get_ylabel()!r}")
nc = Dataset(T + "/ranking.nc")
rb = np.asarray(nc["radius_bin"][:], float)
dist = np.ma.filled(nc["surface_size_distribution"][rows[0], :].astype(float), np.nan)
dlnD = np.gradient(np.log(2 * rb))
line = [l for l in ax.get_lines() if not l.get_label().startswith("_")][0]
y = np.asarray(line.get_ydata(), float)
want = dist / dlnD * 1e-12
m = np.isfinite(want) & (want > 0)
check(m.any() and np.allclose(y[m], want[m], rtol=1e-9),
      "psd values = per-bin counts / d ln D (um^-2)")
check(np.allclose(np.asarray(line.get_xdata(), float), 2 * rb * 1e9), "psd x = diameter in nm")

# heatmaps: true temperature spacing, seed marked
fig = figs["heatmaps"]
ax = fig.axes[0]
Ts = np.unique(np.round(np.asarray(nc["T_anneal"][:], float) - 273.15, 1))
ticks = np.asarray(ax.get_xticks(), float)
check(np.allclose(ticks, Ts[::max(1, len(Ts) // 8)]), f"heatmap ticks at the temperatures {ticks}")
qm = [c for c in ax.collections if isinstance(c, QuadMesh)]
if qm:
    xs = np.unique(np.round(qm[0].get_coordinates()[0, :, 0], 6))
    w = np.diff(xs)
    check(len(xs) == len(Ts) + 1 and not np.allclose(w, w[0]) and
          all(xs[k] < Ts[k] < xs[k + 1] for k in range(len(Ts))),
          f"heatmap cells at their true temperatures (edges {xs})")
else:
    check(False, "heatmap cells at their true temperatures (no mesh with coordinates)")
Tseed = float(nc["T_anneal"][seed]) - 273.15
marks = [l for a in fig.axes for l in a.get_lines() if "seed" in l.get_label()]
check(marks and any(np.allclose(np.asarray(l.get_xdata(), float), [Tseed]) for l in marks),
      f"seed marked at {Tseed:g} C")
nc.close()

# verdicts come from the file
ok0, maps0 = plots.switch_maps(d)
k_t, k_m, k_d = list(maps0)
i = int(np.flatnonzero(maps0[k_t] & (d["dual_switch"] == 1))[0])
nc = Dataset(T + "/tampered.nc", "a")
v = nc["rank_reason"]
n = v.shape[1]
txt = "log10 rho ratio 0.00 < 3.00; not superparamagnetic at 300 K"
v[i, :] = np.array(list(txt.ljust(n, "\0")[:n]), "S1")
nc["dual_switch"][i] = 0
nc.close()
d2 = plots.load(T + "/tampered.nc")
ok2, maps2 = plots.switch_maps(d2)
check(not maps2[k_t][i] and not maps2[k_m][i] and not maps2[k_d][i],
      "a verdict changed in the rank output changes the switch maps")
same = np.ones(d["n"], bool); same[i] = False
check(all(np.array_equal(maps0[k][same], maps2[k][same]) for k in maps0), "the other rows unchanged")
sys.exit(fail)
PYEOF
