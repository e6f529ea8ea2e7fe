#!/usr/bin/python3
"""Plots of an exsol-fit calibration (issue #14).

  PREFIX_params.png   per fitted parameter: the posterior histogram against the prior
                      density (its `prior` attribute), log10 axis for log priors, with
                      R-hat and ESS in the title
  PREFIX_anchors.png  per anchor and quantity of the residual table: the measured value
                      (a lower bound drawn as a triangle) with its scatter, and the
                      posterior p10-p50-p90 prediction; fit anchors filled, hold-out open

usage: fit_plots.py POSTERIOR.nc [--residuals RESIDUALS.tsv] [--prefix PREFIX]
Needs matplotlib, numpy and netCDF4 (Debian: python3-matplotlib python3-netcdf4).
"""
import argparse
import csv
import math
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import netCDF4  # noqa: E402
import numpy as np  # noqa: E402


def prior_density(text, x_coord, logc):
    """Prior density over the plotted coordinate (log10 for log priors), unnormalised."""
    m = re.match(r"\s*(\w+)\(([^,]+),([^)]+)\)(?:\s*in \[([^,]+),([^\]]+)\])?", text)
    if not m:
        return None
    kind, a, b = m.group(1), float(m.group(2)), float(m.group(3))
    lo = float(m.group(4)) if m.group(4) else -math.inf
    hi = float(m.group(5)) if m.group(5) else math.inf
    v = 10.0**x_coord if logc else x_coord
    if kind == "uniform" or kind == "loguniform":
        lo, hi = a, b
        d = np.ones_like(x_coord)
    elif kind == "normal":
        d = np.exp(-0.5 * ((v - a) / b) ** 2)
    elif kind == "log10normal":
        d = np.exp(-0.5 * ((np.log10(v) - math.log10(a)) / b) ** 2)
    else:
        return None
    d[(v < lo) | (v > hi)] = 0.0
    return d


def plot_params(nc, prefix):
    names = [n for n, v in nc.variables.items() if getattr(v, "exsol_role", "") == "parameter"]
    ncol = min(3, len(names))
    nrow = (len(names) + ncol - 1) // ncol
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 3.2 * nrow), squeeze=False)
    for ax, n in zip(axes.flat, names):
        var = nc.variables[n]
        vals = np.asarray(var[:], dtype=float)
        prior = getattr(var, "prior", "")
        logc = prior.startswith("log")
        x = np.log10(vals) if logc else vals
        ax.hist(x, bins=40, density=True, color="C0", alpha=0.7, label="posterior")
        if "arrhenius" not in prior:  # D0's prior is that of D(T_ref): no line
            lo, hi = x.min(), x.max()
            m = re.search(r"\(([^,]+),([^)]+)\)", prior)
            if m and prior.startswith(("uniform", "loguniform")):
                a, b = float(m.group(1)), float(m.group(2))
                lo, hi = (math.log10(a), math.log10(b)) if logc else (a, b)
            grid = np.linspace(min(lo, x.min()), max(hi, x.max()), 400)
            d = prior_density(prior, grid, logc)
            if d is not None and d.max() > 0:
                d = d / np.trapz(d, grid)
                ax.plot(grid, d, color="C3", label="prior")
        ax.set_xlabel(("log10 " if logc else "") + f"{n} ({getattr(var, 'units', '')})")
        ax.set_title(f"R-hat {var.rhat:.3f}, ESS {var.ess:.0f}", fontsize=9)
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(f"{prefix}_params.png", dpi=120)


def plot_anchors(path, prefix):
    with open(path) as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["p50"] != "NA"]
    if not rows:
        return
    fig, ax = plt.subplots(figsize=(6.5, 0.45 * len(rows) + 1.2))
    for i, r in enumerate(rows):
        log = r["quantity"] != "exsolved_fraction"
        t = (lambda v: math.log10(float(v))) if log else float
        meas, sc = t(r["measured"]), float(r["scatter"])
        p10, p50, p90 = t(r["p10"]), t(r["p50"]), t(r["p90"])
        fit = r["use"] == "fit"
        ax.errorbar(p50, i, xerr=[[p50 - p10], [p90 - p50]], fmt="o", color="C0",
                    mfc="C0" if fit else "white", capsize=3)
        mk = ">" if r["bound"] == "lower" else "s"
        ax.errorbar(meas, i + 0.2, xerr=sc, fmt=mk, color="C3", capsize=3)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{r['anchor']} {r['quantity']} ({'log10 ' if r['quantity'] != 'exsolved_fraction' else ''}{r['unit']})"
                        for r in rows], fontsize=7)
    ax.set_xlabel("value (blue: posterior p10-p50-p90, red: measured +- scatter)")
    fig.tight_layout()
    fig.savefig(f"{prefix}_anchors.png", dpi=120)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("posterior")
    ap.add_argument("--residuals")
    ap.add_argument("--prefix", default="fit")
    a = ap.parse_args()
    with netCDF4.Dataset(a.posterior) as nc:
        plot_params(nc, a.prefix)
    if a.residuals:
        plot_anchors(a.residuals, a.prefix)


if __name__ == "__main__":
    main()
