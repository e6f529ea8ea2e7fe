#!/usr/bin/python3
"""Process-window figures of `exsol-window -o window.nc`, one per composition family.

A family is the films with the same B-site dopant (none for the bare host). Each
figure is the anneal temperature-time plane: per film, the region between the lowest
and the highest temperature that switches both (T_min_at_t, T_max_at_t on t_window,
log time axis), filled, with the film's window extremes marked; films without a window
are listed in the legend as such. Writes into OUTDIR, as PNG and SVG,
window_<family>.png/.svg, and window.tsv (one line per film: formula, status,
T_window_min/max in C, t_window_min/max in h, evaluations against the grid, reason).

usage: window_plots.py WINDOW.nc OUTDIR
Run with /usr/bin/python3 (matplotlib, numpy, netCDF4) and HDF5_PLUGIN_PATH set so
the zstd-compressed file can be read. OUTDIR appears complete or not at all.
"""
import argparse
import os
import shutil
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "exsol"  # same SVG bytes from the same data
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from netCDF4 import Dataset, chartostring  # noqa: E402


def num(nc, name):
    v = nc.variables[name]
    v.set_auto_mask(True)
    a = v[:]
    if np.ma.isMaskedArray(a):
        a = a.astype(float).filled(np.nan)
    return np.asarray(a, dtype=float)


def text(nc, name):
    v = nc.variables[name]
    v.set_auto_chartostring(False)
    raw = v[:]
    if np.ma.isMaskedArray(raw):
        raw = raw.filled(b"")
    return [str(s) for s in chartostring(raw)]


def draw(films, t_h, outdir, family):
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, f in enumerate(films):
        c = colours[k % len(colours)]
        lo, hi = f["Tmin"] - 273.15, f["Tmax"] - 273.15
        if f["status"] != 0 or not np.isfinite(lo).any():
            ax.plot([], [], " ", label="%s: no window" % f["formula"])
            continue
        ok = np.isfinite(lo)
        ax.fill_between(t_h, lo, hi, where=ok, color=c, alpha=0.25, linewidth=0)
        ax.plot(t_h[ok], lo[ok], color=c, lw=1.5, label="%s" % f["formula"])
        ax.plot(t_h[ok], hi[ok], color=c, lw=1.0, ls="--")
        ax.plot([f["t_at_Tmin"] / 3600.0], [f["Tmin_w"] - 273.15], "v", color=c, ms=6)
    ax.set_xscale("log")
    ax.set_xlabel("anneal time (h)")
    ax.set_ylabel("anneal temperature (°C)")
    ax.set_title("dual-switch window, %s films (solid: lowest T, dashed: highest)" % family,
                 fontsize=9)
    ax.legend(fontsize=7, loc="best")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    for ext in ("png", "svg"):
        fig.savefig(os.path.join(outdir, "window_%s.%s" % (family, ext)), dpi=130,
                    metadata={"Date": None} if ext == "svg" else None)
    plt.close(fig)


def make(path, outdir):
    nc = Dataset(path)
    t_h = num(nc, "t_window") / 3600.0
    formula, dopant, reason = text(nc, "formula"), text(nc, "dopant"), text(nc, "window_reason")
    status = num(nc, "window_status")
    Tmin, Tmax = num(nc, "T_min_at_t"), num(nc, "T_max_at_t")
    scal = {k: num(nc, k) for k in ("T_window_min", "T_window_max", "t_window_min",
                                    "t_window_max", "t_at_T_window_min", "n_evaluations",
                                    "grid_evaluations")}
    nc.close()
    fam = {}
    with open(os.path.join(outdir, "window.tsv"), "w") as out:
        out.write("formula\twindow_status\tT_window_min_C\tT_window_max_C\tt_window_min_h\t"
                  "t_window_max_h\tevaluations\tgrid_evaluations\twindow_reason\n")
        for i, f in enumerate(formula):
            d = {"formula": f, "status": int(status[i]), "Tmin": Tmin[i], "Tmax": Tmax[i],
                 "Tmin_w": scal["T_window_min"][i], "t_at_Tmin": scal["t_at_T_window_min"][i]}
            fam.setdefault(dopant[i] or "none", []).append(d)
            out.write("%s\t%d\t%.6g\t%.6g\t%.6g\t%.6g\t%d\t%d\t%s\n" % (
                f, d["status"], scal["T_window_min"][i] - 273.15,
                scal["T_window_max"][i] - 273.15, scal["t_window_min"][i] / 3600.0,
                scal["t_window_max"][i] / 3600.0, scal["n_evaluations"][i],
                scal["grid_evaluations"][i], reason[i]))
    for family in sorted(fam):
        draw(fam[family], t_h, outdir, family)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("window")
    ap.add_argument("outdir")
    a = ap.parse_args()
    parent = os.path.dirname(os.path.abspath(a.outdir.rstrip("/")))
    os.makedirs(parent, exist_ok=True)
    tmpdir = tempfile.mkdtemp(prefix=".window_plots.", dir=parent)
    try:
        make(a.window, tmpdir)
    except BaseException:
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise
    if os.path.isdir(a.outdir):
        shutil.rmtree(a.outdir)
    os.rename(tmpdir, a.outdir)
    os.chmod(a.outdir, 0o755)
    return 0


if __name__ == "__main__":
    sys.exit(main())
