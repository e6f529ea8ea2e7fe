#!/usr/bin/python3
"""Figures of the probabilistic screen (exsol-ensemble's table, the workflow's
results/ensemble.tsv), for a person who would rather look than read:

  p_dual_map     P(dual switch) over composition x anneal: one row per film (formula,
                 and substrate when CANDIDATES.nc names one), one column per anneal
                 (T, t), the cell's colour P_dual and its text the value
  pareto_p       P(dual switch) with its Wilson 90 % interval against the median
                 log10 rho ratio with its p10-p90 range, coloured by pareto_front_P
                 (the ranking on probability)
  sobol          (with --sobol FILE, exsol-ensemble --sobol) the total Sobol index of
                 the dual-switch verdict per parameter, the largest first, for each
                 row of the file (at most 6 rows)

Each figure as PNG and SVG in OUTDIR, which appears complete or not at all.

usage: ensemble_plots.py ENSEMBLE.tsv OUTDIR [--candidates CANDIDATES.nc] [--sobol S.tsv]
Run with /usr/bin/python3 (matplotlib, numpy; netCDF4 only with --candidates).
"""
import argparse
import csv
import os
import shutil
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "exsol"  # same SVG bytes from the same data
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    if not rows:
        raise ValueError("%s has no rows" % path)
    return rows


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def substrates(path, n):
    """The substrate of each candidate of the gen file, or None when it has none."""
    if not path:
        return None
    from netCDF4 import Dataset, chartostring
    with Dataset(path) as nc:
        if "substrate" not in nc.variables:
            return None
        v = nc.variables["substrate"]
        v.set_auto_chartostring(False)
        raw = v[:]
        if np.ma.isMaskedArray(raw):
            raw = raw.filled(b"")
        s = [str(x) for x in chartostring(raw)]
    return s if len(s) >= n else None


def save(fig, outdir, name):
    for ext in ("png", "svg"):
        fig.savefig(os.path.join(outdir, "%s.%s" % (name, ext)), dpi=130,
                    bbox_inches="tight", metadata={"Date": None} if ext == "svg" else None)
    plt.close(fig)


def p_dual_map(rows, subs, outdir):
    def film(r):
        i = int(r["input_row"])
        on = " on %s" % subs[i] if subs and subs[i] else ""
        return r["formula"] + on

    films = sorted({film(r) for r in rows})
    anneals = sorted({(num(r["T_anneal"]), num(r["t_anneal"])) for r in rows})
    P = np.full((len(films), len(anneals)), np.nan)
    fi = {f: k for k, f in enumerate(films)}
    ai = {a: k for k, a in enumerate(anneals)}
    for r in rows:
        P[fi[film(r)], ai[(num(r["T_anneal"]), num(r["t_anneal"]))]] = num(r["P_dual"])
    h = 1.2 + 0.28 * len(films)
    w = 3.0 + 0.55 * len(anneals)
    fig, ax = plt.subplots(figsize=(min(w, 30), min(h, 60)))
    im = ax.imshow(P, vmin=0, vmax=1, cmap="viridis", aspect="auto")
    ax.set_xticks(range(len(anneals)))
    ax.set_xticklabels(["%.0f \u00b0C\n%.3g h" % (T - 273.15, t / 3600) for T, t in anneals],
                       fontsize=7)
    ax.set_yticks(range(len(films)))
    ax.set_yticklabels(films, fontsize=7)
    if P.size <= 600:
        for (a, b), v in np.ndenumerate(P):
            if np.isfinite(v):
                ax.text(b, a, "%.2f" % v, ha="center", va="center", fontsize=6,
                        color="white" if v < 0.5 else "black")
    fig.colorbar(im, ax=ax, label="P(dual switch)")
    ax.set_title("P(dual switch) over composition x anneal (%s members)" % rows[0]["members"])
    save(fig, outdir, "p_dual_map")


def pareto_p(rows, outdir):
    x = np.array([num(r["log10_rho_ratio_p50"]) for r in rows])
    xlo = np.array([num(r["log10_rho_ratio_p10"]) for r in rows])
    xhi = np.array([num(r["log10_rho_ratio_p90"]) for r in rows])
    y = np.array([num(r["P_dual"]) for r in rows])
    ylo = np.array([num(r["P_dual_lo90"]) for r in rows])
    yhi = np.array([num(r["P_dual_hi90"]) for r in rows])
    front = np.array([num(r["pareto_front_P"]) for r in rows])
    ok = np.isfinite(x) & np.isfinite(y)
    fig, ax = plt.subplots(figsize=(6.8, 4.8))
    first = ok & (front == 1)
    for sel, colour, label in ((ok & ~first, "0.55", "later fronts"),
                               (first, "C3", "front 1 (ranking on P)")):
        if sel.any():
            ax.errorbar(x[sel], y[sel], xerr=[x[sel] - xlo[sel], xhi[sel] - x[sel]],
                        yerr=[y[sel] - ylo[sel], yhi[sel] - y[sel]], fmt="o", ms=3,
                        color=colour, ecolor=colour, elinewidth=0.6, alpha=0.8, label=label)
    ax.set_xlabel("median log10 rho ratio (bars: p10-p90 over the members)")
    ax.set_ylabel("P(dual switch) (bars: Wilson 90 %)")
    ax.set_ylim(-0.03, 1.03)
    ax.grid(alpha=0.3, lw=0.4)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("Probability against the median objective")
    save(fig, outdir, "pareto_p")


def sobol(path, outdir):
    rows = read_tsv(path)
    by = {}
    for r in rows:
        by.setdefault(r["input_row"], []).append(r)
    keys = sorted(by, key=int)[:6]
    fig, axes = plt.subplots(len(keys), 1, figsize=(7.5, 2.6 * len(keys)), squeeze=False)
    for ax, k in zip(axes[:, 0], keys):
        rs = sorted(by[k], key=lambda r: -np.nan_to_num(num(r["ST_dual_switch"])))[:12]
        st = [max(0.0, np.nan_to_num(num(r["ST_dual_switch"]))) for r in rs]
        s1 = [max(0.0, np.nan_to_num(num(r["S1_dual_switch"]))) for r in rs]
        pos = np.arange(len(rs))
        ax.barh(pos, st, color="C0", label="total ST")
        ax.barh(pos, s1, height=0.4, color="C1", label="first order S1")
        ax.set_yticks(pos)
        ax.set_yticklabels([r["parameter"] for r in rs], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.05)
        ax.set_title("input row %s: which unknown decides the dual switch" % k, fontsize=9)
    axes[0, 0].legend(fontsize=8, loc="lower right")
    axes[-1, 0].set_xlabel("Sobol index of the dual-switch verdict")
    save(fig, outdir, "sobol")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("table")
    ap.add_argument("outdir")
    ap.add_argument("--candidates", help="the gen file the table was made from")
    ap.add_argument("--sobol", help="exsol-ensemble --sobol output")
    a = ap.parse_args(argv)
    try:
        rows = read_tsv(a.table)
        for need in ("input_row", "formula", "T_anneal", "t_anneal", "P_dual", "P_dual_lo90",
                     "P_dual_hi90", "log10_rho_ratio_p50", "pareto_front_P", "members"):
            if need not in rows[0]:
                raise ValueError("%s has no column %s (not exsol-ensemble's table?)"
                                 % (a.table, need))
        subs = substrates(a.candidates, max(int(r["input_row"]) for r in rows) + 1)
    except (OSError, ValueError) as e:
        sys.stderr.write("ensemble_plots.py: %s\n" % e)
        return 2
    parent = os.path.dirname(os.path.abspath(a.outdir))
    tmp = tempfile.mkdtemp(prefix=".ensemble_plots.", dir=parent)
    try:
        p_dual_map(rows, subs, tmp)
        pareto_p(rows, tmp)
        if a.sobol:
            sobol(a.sobol, tmp)
        if os.path.isdir(a.outdir):
            shutil.rmtree(a.outdir)
        os.replace(tmp, a.outdir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
