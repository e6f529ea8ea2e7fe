#!/usr/bin/python3
"""Figures of a ranked exsol screen (the output of `exsol-rank -o ranking.nc`).

Writes into OUTDIR, each as PNG and SVG:
  pareto      log10 resistivity ratio vs room-temperature magnetisation of the reduced
              film, Pareto front 1 drawn, seed marked
  heatmaps    transport switch, magnetic switch and dual verdict over composition and
              anneal temperature (fraction of the other process settings that switch)
  rho_T       rho(T), pristine and reduced, for the seed and the top candidates
  M_H         M(H) at 300 K, pristine and reduced, same candidates
  psd         particle-size distributions (surface and buried) of the same candidates
  top_table   the top candidates with the parameters that made them
  families    dual-switch fraction per family (host x dopant x donor x substrate) and
              anneal temperature
and top.tsv (the same table as text), families.tsv (per family: candidates, dual
switches, distinct dual physics, best candidate) and summary.json (counts for the report).

usage: plots.py RANKING.nc OUTDIR [--seed-formula F] [--seed-T-K T] [--seed-t-s t]
                [--curves N] [--table N] [--jobs 1|2]
--jobs 2 draws the figures in two processes (they are independent files; the
rendering, not the reading, is what takes the time).
Run with /usr/bin/python3 (matplotlib, numpy, netCDF4); set HDF5_PLUGIN_PATH so the
zstd-compressed files can be read.
"""
import argparse
import json
import os
import re
import sys

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "exsol"  # same SVG bytes from the same data
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from netCDF4 import Dataset, chartostring  # noqa: E402

FORMATS = ("png", "svg")
DEFAULTS = {"min_log10_rho_ratio": 3.0, "min_M_contrast": 10.0}


def read_num(nc, name):
    if name not in nc.variables:
        return None
    v = nc.variables[name]
    v.set_auto_mask(True)
    a = v[:]
    if np.ma.isMaskedArray(a):
        a = a.astype(float).filled(np.nan)
    return np.asarray(a, dtype=float)


def read_text(nc, name, n):
    if name not in nc.variables:
        return np.array([""] * n, dtype=object)
    v = nc.variables[name]
    v.set_auto_chartostring(False)
    raw = v[:]
    if np.ma.isMaskedArray(raw):
        raw = raw.filled(b"")
    if raw.ndim == 1:
        raw = raw.reshape(n, -1)
    s = chartostring(raw)
    return np.array([str(x).strip() for x in s], dtype=object)


def rank_params(nc):
    p = dict(DEFAULTS)
    v = nc.variables.get("rank_parameters")
    if v is not None:
        for k in p:
            if k in v.ncattrs():
                p[k] = float(v.getncattr(k))
    return p


def save(fig, outdir, name):
    for ext in FORMATS:
        fig.savefig(os.path.join(outdir, "%s.%s" % (name, ext)), dpi=130,
                    bbox_inches="tight", metadata={"Date": None} if ext == "svg" else None)
    plt.close(fig)


def label_of(d, i):
    sub = d.get("substrate")
    on = " on %s" % sub[i] if sub is not None and sub[i] else ""
    return "%s, %.0f \u00b0C, %.3g h%s" % (d["formula"][i], d["T_anneal"][i] - 273.15,
                                           d["t_anneal"][i] / 3600.0, on)


def load(path):
    nc = Dataset(path)
    n = len(nc.dimensions["candidate"])
    d = {"n": n}
    for name in ["log10_rho_ratio", "M_300K_1T_reduced", "M_300K_1T_pristine",
                 "spm_300K_reduced", "dual_switch", "pareto_rank", "score", "rank",
                 "T_anneal", "t_anneal", "p_H2", "p_H2O", "thickness", "dopant_fraction",
                 "A_vacancy", "crowding_distance", "exsolved_fraction",
                 "surface_mean_diameter", "buried_mean_diameter", "T_B_median",
                 "candidate", "misfit_strain"]:
        d[name] = read_num(nc, name)
    d["physics_twin_of"] = read_num(nc, "physics_twin_of")
    for name in ["formula", "dopant", "rank_reason", "host", "substrate"]:
        d[name] = read_text(nc, name, n)
    # an alloy film (a second exsolvable dopant) is its own family: "Ni-Fe"
    dop2 = read_text(nc, "dopant2", n)
    if dop2 is not None and d["dopant"] is not None:
        d["dopant"] = np.array([a + "-" + b if b and b != "none" else a
                                for a, b in zip(d["dopant"], dop2)], dtype=object)
    d["status_ok"] = np.ones(n, bool)
    for name in nc.variables:
        if name.endswith("_status") and nc.variables[name].dimensions == ("candidate",):
            st = read_num(nc, name)
            d["status_ok"] &= st == 0
    d["params"] = rank_params(nc)
    d["nc"] = nc
    return d


def find_seed(d, formula, T_K, t_s, substrate="SrTiO3"):
    """The seed's row: its formula and anchor anneal, on `substrate` when the screen
    sweeps substrates (the seed on SrTiO3 is the strain-free seed)."""
    if not formula:
        return None
    m = d["formula"] == formula
    sub = d.get("substrate")
    if substrate and sub is not None and any(sub):
        m &= sub == substrate
    if d["T_anneal"] is not None and T_K:
        m &= np.abs(d["T_anneal"] - T_K) < 0.5
    if d["t_anneal"] is not None and t_s:
        m &= np.abs(d["t_anneal"] - t_s) < 1.0
    idx = np.flatnonzero(m)
    if idx.size == 0:
        return None
    r = d["rank"][idx]
    r = np.where(np.isnan(r), np.inf, r)
    return int(idx[np.argmin(r)])


def top_rows(d, k):
    r = d["rank"]
    ok = ~np.isnan(r)
    idx = np.flatnonzero(ok)
    return idx[np.argsort(r[idx], kind="stable")][:k]


def plot_pareto(d, seed, outdir):
    r = d["log10_rho_ratio"]
    M = d["M_300K_1T_reduced"]
    spm = d["spm_300K_reduced"]
    ranked = ~np.isnan(d["rank"])
    dual = (d["dual_switch"] == 1) & ranked
    fig, ax = plt.subplots(figsize=(7.5, 5.2))
    y = np.where(spm == 1, M / 1e3, np.nan)
    pos = y[ranked & (y > 0)]
    # rows that do not count (blocked, non-magnetic) sit on a line below the data
    floor = 10 ** (np.floor(np.log10(pos.min())) - 0.5) if pos.size else 1e-3
    y = np.maximum(y, floor)
    other = ranked & ~dual & (spm == 1)
    blocked = ranked & (spm != 1)
    ax.axhline(floor * 2.2, c="0.6", lw=0.6, ls="--")
    ax.text(0.005, floor * 1.25, "objective 0: not superparamagnetic at 300 K",
            transform=ax.get_yaxis_transform(), fontsize=7, color="0.35", va="bottom")
    ax.scatter(r[other], y[other], s=8, c="0.65", lw=0, label="violates a constraint",
               rasterized=True)
    ax.scatter(r[blocked], np.full(blocked.sum(), floor), s=10, marker="x", c="0.5",
               lw=0.6, label="not superparamagnetic at 300 K (counts 0)", rasterized=True)
    dop = d["dopant"]
    colors = {"Ni": "tab:blue", "Co": "tab:orange", "Fe": "tab:red", "Cu": "tab:green"}
    for el in sorted(set(dop[dual])):
        m = dual & (dop == el)
        ax.scatter(r[m], y[m], s=14, c=colors.get(el, None), lw=0,
                   label="dual switch, %s" % el, rasterized=True)
    front = ranked & (d["pareto_rank"] == 1)
    if front.any():
        fi = np.flatnonzero(front)
        fi = fi[np.argsort(-r[fi], kind="stable")]
        ax.step(r[fi], y[fi], where="post", c="k", lw=1.0)
        ax.scatter(r[fi], y[fi], s=45, facecolors="none", edgecolors="k", lw=1.0,
                   label="Pareto front 1 (%d)" % fi.size)
    if seed is not None and not np.isnan(r[seed]):
        ax.scatter([r[seed]], [max(y[seed] if not np.isnan(y[seed]) else floor, floor)],
                   marker="*", s=220, c="gold", edgecolors="k", lw=0.8, zorder=5,
                   label="seed: " + label_of(d, seed))
    thr = d["params"]["min_log10_rho_ratio"]
    ax.axvline(thr, c="k", ls=":", lw=0.8)
    ax.text(thr, 1.0, " 10$^{%g}$ criterion" % thr, transform=ax.get_xaxis_transform(),
            va="top", ha="left", fontsize=8)
    ax.set_yscale("log")
    if not ranked.any():
        ax.set_ylim(floor / 2, 1e2)
        ax.set_xlim(thr - 3, thr + 3)
        ax.text(0.5, 0.5, "no candidate could be ranked", transform=ax.transAxes,
                ha="center", va="center", fontsize=12, color="0.4")
    ax.set_xlabel(r"log$_{10}$($\rho_{pristine}$ / $\rho_{reduced}$) at 300 K (1)")
    ax.set_ylabel("M(300 K, 1 T) of the reduced film (kA/m)")
    ax.set_title("Dual switching: resistivity drop vs room-temperature magnetisation")
    ax.legend(fontsize=7, loc="lower left", bbox_to_anchor=(1.01, 0.0), frameon=False)
    ax.grid(alpha=0.3, which="both", lw=0.4)
    save(fig, outdir, "pareto")


# The verdicts come from exsol-rank's output, not from a second implementation of its
# constraints here: a ranked row (rank set) failed a constraint exactly when
# rank_reason names it (libcore/physics/rank.c writes one phrase per violated
# constraint, "dual switch" when none is).
RATIO_PHRASE = "log10 rho ratio"
MAGNET_PHRASES = ("not superparamagnetic", "below contrast")


def switch_maps(d):
    p = d["params"]
    ok = ~np.isnan(d["rank"])
    reason = d["rank_reason"]
    t_sw = np.array([RATIO_PHRASE not in str(x) for x in reason], bool) & ok
    m_sw = np.array([not any(ph in str(x) for ph in MAGNET_PHRASES) for x in reason], bool) & ok
    dual = (d["dual_switch"] == 1) & ok
    return ok, {"insulator \u2192 metal (\u0394log$_{10}\\rho \u2265$ %g)" %
                p.get("min_log10_rho_ratio", float("nan")): t_sw,
                "\u2192 superparamagnet at 300 K": m_sw,
                "dual switch (all constraints)": dual}


def temperature_edges(Ts):
    """Cell edges at the midpoints between the screened temperatures, so the cells
    sit at their true temperatures (500, 550, 600, 700 C are not evenly spaced)."""
    if len(Ts) == 1:
        return np.array([Ts[0] - 25.0, Ts[0] + 25.0])
    mid = (Ts[1:] + Ts[:-1]) / 2
    return np.concatenate([[Ts[0] - (mid[0] - Ts[0])], mid, [Ts[-1] + (Ts[-1] - mid[-1])]])


def plot_heatmaps(d, outdir, seed=None):
    ok, maps = switch_maps(d)
    comp = d["formula"]
    # compositions ordered by dopant, dopant fraction, formula
    first = {}
    for i, f in enumerate(comp):  # one pass: first row of each composition
        first.setdefault(f, i)
    zf = d["dopant_fraction"] if d["dopant_fraction"] is not None else np.zeros(d["n"])
    keys = sorted(first, key=lambda f: (d["dopant"][first[f]], zf[first[f]], f))
    ci = {f: k for k, f in enumerate(keys)}
    Tc = np.round(d["T_anneal"] - 273.15, 1)
    Ts = np.unique(Tc)
    ti = np.searchsorted(Ts, Tc)
    yi = np.array([ci[f] for f in comp])
    nC, nT = len(keys), len(Ts)
    cnt = np.zeros((nC, nT))
    np.add.at(cnt, (yi[ok], ti[ok]), 1)
    h = max(3.5, 0.13 * min(nC, 150) + 1.8)
    fig, axes = plt.subplots(1, 3, figsize=(4.0 * 3 + 2.5, h), sharey=True,
                             constrained_layout=True)
    im = None
    for ax, (title, sw) in zip(axes, maps.items()):
        hit = np.zeros((nC, nT))
        np.add.at(hit, (yi[ok & sw], ti[ok & sw]), 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(cnt > 0, hit / cnt, np.nan)
        cmap = plt.get_cmap("viridis").copy()
        cmap.set_bad("0.85")
        im = ax.pcolormesh(temperature_edges(Ts), np.arange(nC + 1) - 0.5,
                           np.ma.masked_invalid(frac), cmap=cmap, vmin=0, vmax=1,
                           shading="flat", rasterized=False)
        ax.set_ylim(nC - 0.5, -0.5)
        ax.set_title(title, fontsize=10)
        step = max(1, nT // 8)
        ax.set_xticks(Ts[::step])
        ax.set_xticklabels(["%g" % t for t in Ts[::step]], rotation=45, fontsize=8)
        ax.set_xlabel("anneal temperature (\u00b0C, to scale)")
        if seed is not None:
            ax.plot([Tc[seed]], [yi[seed]], marker="*", ms=12, mfc="none", mec="red",
                    mew=1.5, ls="none", label="seed (%s)" % label_of(d, seed))
    fsz = 8 if nC <= 40 else 7 if nC <= 80 else 6
    ystep = max(1, nC // 150)  # beyond 150 compositions label every k-th row
    axes[0].set_yticks(range(0, nC, ystep))
    axes[0].set_yticklabels(keys[::ystep], fontsize=fsz)
    axes[0].set_ylabel("composition (as grown)")
    cb = fig.colorbar(im, ax=axes, shrink=0.9, pad=0.01)
    cb.set_label("fraction of anneal times / gases / thicknesses that switch (1)")
    if seed is not None:
        axes[-1].legend(loc="lower right", fontsize=7, framealpha=0.9)
    fig.suptitle("Which compositions switch at which anneal temperature "
                 "(grey: no ranked row; red star: the seed)", fontsize=11)
    save(fig, outdir, "heatmaps")


def donor_type(formula):
    """The donor of a formula: the B-site co-donor (Nb, Ta) when there is one, else the
    A-site donor (La, Nd, ...), else 'none'."""
    els = re.findall(r"[A-Z][a-z]?", formula)
    for e in ("Nb", "Ta"):
        if e in els:
            return e
    for e in ("La", "Pr", "Nd", "Sm", "Ce", "Y"):
        if e in els:
            return e
    return "none"


def families(d):
    """Group the rows by family = host x dopant x donor type x substrate ("strain-free"
    without a substrate). Per family: rows, ranked rows, dual switches, distinct dual
    switches (dual rows that are not a physics twin, exsol-rank's physics_twin_of, of
    another dual row of the family) and the best row (lowest rank, dual switches first)
    with the number of rows anywhere in the screen that are its physics twins (listed
    once). Returns (keys sorted host/dopant/donor/substrate, row index per row's family,
    list of dicts)."""
    n = d["n"]
    host = d.get("host")
    sub = d.get("substrate")
    host = host if host is not None else np.array(["SrTiO3"] * n, dtype=object)
    fkey = [(host[i] or "SrTiO3", d["dopant"][i] or "none", donor_type(d["formula"][i]),
             (sub[i] if sub is not None and sub[i] else "strain-free")) for i in range(n)]
    keys = sorted(set(fkey))
    ki = {k: j for j, k in enumerate(keys)}
    fi = np.array([ki[k] for k in fkey], dtype=int)
    rank = d["rank"]
    ranked = ~np.isnan(rank)
    dual = (d["dual_switch"] == 1) & ranked
    twin = d.get("physics_twin_of")
    twin = twin if twin is not None else np.full(n, np.nan)
    cand = d["candidate"] if d.get("candidate") is not None else np.arange(n, dtype=float)
    row_of = {int(c): i for i, c in enumerate(cand)}
    out = []
    for j, k in enumerate(keys):
        rows = np.flatnonzero(fi == j)
        dual_rows = rows[dual[rows]]
        in_fam = set(dual_rows.tolist())
        distinct = sum(1 for i in dual_rows
                       if np.isnan(twin[i]) or row_of.get(int(twin[i]), -1) not in in_fam)
        pool = dual_rows if dual_rows.size else rows[ranked[rows]]
        best = int(pool[np.argmin(rank[pool])]) if pool.size else None
        twins = 0
        if best is not None:
            twins = int(np.sum(twin == cand[best]))
        out.append({"host": k[0], "dopant": k[1], "donor": k[2], "substrate": k[3],
                    "candidates": int(rows.size), "ranked": int(ranked[rows].sum()),
                    "dual_switch": int(dual_rows.size), "distinct_dual": int(distinct),
                    "best": best, "best_twins": twins})
    return keys, fi, out


def write_families(d, fams, path):
    with open(path, "w") as f:
        f.write("host\tdopant\tdonor\tsubstrate\tcandidates\tranked\tdual_switch\t"
                "distinct_dual\tbest\tbest_rank\tbest_dual\tbest_physics_twins\n")
        for r in fams:
            b = r["best"]
            f.write("%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%d\n" % (
                r["host"], r["dopant"], r["donor"], r["substrate"], r["candidates"],
                r["ranked"], r["dual_switch"], r["distinct_dual"],
                label_of(d, b) if b is not None else "",
                "%d" % d["rank"][b] if b is not None else "",
                "%d" % d["dual_switch"][b] if b is not None else "", r["best_twins"]))


def plot_families(d, outdir):
    keys, fi, fams = families(d)
    ok = ~np.isnan(d["rank"])
    dual = (d["dual_switch"] == 1) & ok
    Tc = np.round(d["T_anneal"] - 273.15, 1)
    Ts = np.unique(Tc)
    ti = np.searchsorted(Ts, Tc)
    cnt = np.zeros((len(keys), len(Ts)))
    hit = np.zeros_like(cnt)
    np.add.at(cnt, (fi[ok], ti[ok]), 1)
    np.add.at(hit, (fi[dual], ti[dual]), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(cnt > 0, hit / cnt, np.nan)
    nF = len(keys)
    fig, ax = plt.subplots(figsize=(6.5, max(3.5, 0.16 * nF + 1.8)), constrained_layout=True)
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("0.85")
    im = ax.pcolormesh(temperature_edges(Ts), np.arange(nF + 1) - 0.5,
                       np.ma.masked_invalid(frac), cmap=cmap, vmin=0, vmax=1, shading="flat")
    ax.set_ylim(nF - 0.5, -0.5)
    ax.set_xticks(Ts)
    ax.set_xticklabels(["%g" % t for t in Ts], fontsize=8)
    ax.set_xlabel("anneal temperature (\u00b0C, to scale)")
    ax.set_yticks(range(nF))
    ax.set_yticklabels(["%s %s %s / %s (%d)" % (r["host"], r["dopant"], r["donor"],
                                                r["substrate"], r["dual_switch"])
                        for r in fams], fontsize=6 if nF > 40 else 8)
    ax.set_ylabel("family: host, dopant, donor / substrate (dual switches)")
    fig.colorbar(im, ax=ax, shrink=0.9, pad=0.01).set_label(
        "dual-switch fraction of the family's ranked rows (1)")
    ax.set_title("Which families switch both (grey: no ranked row)", fontsize=10)
    save(fig, outdir, "families")
    return fams


def curve(nc, name, i):
    if name not in nc.variables:
        return None
    v = nc.variables[name]
    v.set_auto_mask(True)
    a = v[i, :]
    if np.ma.isMaskedArray(a):
        a = a.astype(float).filled(np.nan)
    return np.asarray(a, float)


def coord(nc, name):
    v = nc.variables.get(name)
    return None if v is None else np.asarray(v[:], float)


def pick_rows(d, seed, k):
    """The seed and the k best-ranked rows, skipping rows whose objectives equal an
    already picked row's (e.g. the Sr and Ca twins of one composition), so the
    curves differ."""
    rows = [] if seed is None else [seed]

    def key(i):
        return (round(float(d["log10_rho_ratio"][i]), 4),
                round(float(d["M_300K_1T_reduced"][i]), 1))

    seen = {key(i) for i in rows}
    for i in top_rows(d, max(50, 10 * k)):
        if len(rows) >= k + (seed is not None):
            break
        if int(i) in rows or key(i) in seen:
            continue
        rows.append(int(i))
        seen.add(key(i))
    return rows


def row_label(d, i, seed):
    rank = d["rank"][i]
    tag = "seed" if i == seed else "#%d" % rank
    if i == seed and not np.isnan(rank):
        tag = "seed (#%d)" % rank
    return "%s: %s" % (tag, label_of(d, i))


MARKERS = ["o", "s", "^", "D", "v", "P", "X", "<", ">", "h"]


def style(k, i, seed, n):
    """Colour, marker and marker phase of the k-th candidate: the markers sit at
    staggered points, so curves that coincide (two films with the same response) all
    stay visible, each with its legend entry."""
    c = plt.get_cmap("tab10").colors[k % 10]
    return dict(c=c, marker=MARKERS[k % len(MARKERS)], ms=6 if i == seed else 5,
                mfc="none", mew=1.1, markevery=(k % 4 * max(1, n // 16) // 4, max(1, n // 8)),
                lw=2.0 if i == seed else 1.2, zorder=3 if i == seed else 2)


def plot_curves(d, seed, rows, outdir):
    nc = d["nc"]
    cols = plt.get_cmap("tab10").colors
    # rho(T)
    T = coord(nc, "temperature")
    if T is not None and "rho_T_reduced" in nc.variables:
        fig, ax = plt.subplots(figsize=(7.5, 5))
        for k, i in enumerate(rows):
            c = cols[k % 10]
            rp = curve(nc, "rho_T_pristine", i)
            rr = curve(nc, "rho_T_reduced", i)
            st = style(k, i, seed, len(T))
            if rp is not None:
                ax.plot(T, rp * 100.0, ls="--", c=c, lw=0.9)
            ax.plot(T, rr * 100.0, ls="-", label=row_label(d, i, seed), **st)
        ax.set_yscale("log")
        lo, hi = ax.get_ylim()
        if hi > 1e15:  # deep-insulating curves at 2 K would flatten everything else
            ax.set_ylim(lo, 1e15)
            ax.text(0.99, 0.99, "clipped at 10$^{15}$ $\\Omega$ cm", transform=ax.transAxes,
                    ha="right", va="top", fontsize=8)
        ax.set_xlabel("temperature (K)")
        ax.set_ylabel(r"resistivity $\rho$ ($\Omega$ cm)")
        ax.set_title(r"$\rho$(T): pristine (dashed) and reduced (solid)")
        ax.grid(alpha=0.3, which="both", lw=0.4)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        save(fig, outdir, "rho_T")
    # M(H)
    H = coord(nc, "field")
    if H is not None and "M_H_300K_reduced" in nc.variables:
        fig, ax = plt.subplots(figsize=(7.5, 5))
        for k, i in enumerate(rows):
            c = cols[k % 10]
            mp = curve(nc, "M_H_300K_pristine", i)
            mr = curve(nc, "M_H_300K_reduced", i)
            st = style(k, i, seed, len(H))
            if mp is not None:
                ax.plot(H, mp / 1e3, ls="--", c=c, lw=0.9)
            ax.plot(H, mr / 1e3, ls="-", label=row_label(d, i, seed), **st)
        ax.axhline(0, c="k", lw=0.5)
        ax.axvline(0, c="k", lw=0.5)
        ax.set_xlabel(r"applied field $\mu_0$H (T)")
        ax.set_ylabel("magnetisation of the film M (kA/m)")
        ax.set_title("M(H) at 300 K: pristine (dashed) and reduced (solid, markers)")
        ax.grid(alpha=0.3, lw=0.4)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        save(fig, outdir, "M_H")
    # particle-size distributions
    rb = coord(nc, "radius_bin")
    if rb is not None and ("surface_size_distribution" in nc.variables or
                           "buried_size_distribution" in nc.variables):
        fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), constrained_layout=True)
        # the files hold particles per radius bin; the bins are log-spaced, so the
        # density per logarithmic size interval is the count over the bin's width in
        # ln D (= its width in ln r)
        dlnD = np.gradient(np.log(rb))
        specs = [("surface_size_distribution", 1e-12,
                  r"surface particles dN/d$\ln D$ ($\mu$m$^{-2}$)", "surface population"),
                 ("buried_size_distribution", 1e-21,
                  r"buried particles dN/d$\ln D$ ($\mu$m$^{-3}$)", "buried population")]
        for ax, (name, scale, ylabel, title) in zip(axes, specs):
            ymax = 0.0
            for k, i in enumerate(rows):
                y = curve(nc, name, i)
                if y is None:
                    continue
                y = y / dlnD
                if np.any(y > 0):
                    ymax = max(ymax, float(np.nanmax(y)) * scale)
                ax.plot(2 * rb * 1e9, y * scale, label=row_label(d, i, seed),
                        **style(k, i, seed, len(rb)))
            ax.set_xscale("log")
            if ymax > 0:  # log scale, 5 decades: a few large particles stay visible
                ax.set_yscale("log")
                ax.set_ylim(ymax * 1e-5, ymax * 3)
            ax.set_xlabel("particle diameter (nm)")
            ax.set_ylabel(ylabel)
            ax.set_title(title)
            ax.grid(alpha=0.3, which="both", lw=0.4)
        axes[1].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                       frameon=False)
        fig.suptitle("Exsolved particle-size distributions after the anneal")
        save(fig, outdir, "psd")


TABLE_COLS = [
    ("rank", "rank", lambda d, i: "%d" % d["rank"][i]),
    ("candidate", "id",
     lambda d, i: "NA" if d["candidate"] is None else "%d" % d["candidate"][i]),
    ("formula", "formula", lambda d, i: d["formula"][i]),
    ("T_anneal_C", "T (\u00b0C)", lambda d, i: "%.0f" % (d["T_anneal"][i] - 273.15)),
    ("t_anneal_h", "t (h)", lambda d, i: "%.3g" % (d["t_anneal"][i] / 3600)),
    ("p_H2_kPa", "pH2 (kPa)", lambda d, i: fmt(d["p_H2"], i, 1e-3)),
    ("p_H2O_kPa", "pH2O (kPa)", lambda d, i: fmt(d["p_H2O"], i, 1e-3)),
    ("thickness_nm", "d (nm)", lambda d, i: fmt(d["thickness"], i, 1e9)),
    ("host", "host", lambda d, i: text_or(d.get("host"), i, "SrTiO3")),
    ("substrate", "substrate", lambda d, i: text_or(d.get("substrate"), i, "none")),
    ("misfit_strain_pct", "misfit (%)", lambda d, i: fmt(d.get("misfit_strain"), i, 100)),
    ("log10_rho_ratio", "log10 ratio", lambda d, i: "%.2f" % d["log10_rho_ratio"][i]),
    ("M_300K_1T_reduced_kA_m", "M300K (kA/m)",
     lambda d, i: "%.3g" % (d["M_300K_1T_reduced"][i] / 1e3)),
    ("spm_300K", "SPM", lambda d, i: "%d" % d["spm_300K_reduced"][i]),
    ("exsolved_fraction", "exsolved", lambda d, i: fmt(d["exsolved_fraction"], i, 1)),
    ("surface_mean_diameter_nm", "D surf (nm)",
     lambda d, i: fmt(d["surface_mean_diameter"], i, 1e9)),
    ("pareto_rank", "front", lambda d, i: "%d" % d["pareto_rank"][i]),
    ("score", "score", lambda d, i: "%.3f" % d["score"][i]),
    ("dual_switch", "dual", lambda d, i: "%d" % d["dual_switch"][i]),
]


def text_or(a, i, default):
    """A text column's value, or default where the file has no such column or it is
    empty (files made without --substrate have no substrate)."""
    if a is None or not a[i]:
        return default
    return a[i]


def fmt(a, i, scale):
    if a is None or np.isnan(a[i]):
        return "NA"
    return "%.3g" % (a[i] * scale)


def plot_table(d, seed, k, outdir):
    rows = list(top_rows(d, k))
    with open(os.path.join(outdir, "top.tsv"), "w") as f:
        f.write("\t".join(c[0] for c in TABLE_COLS) + "\treason\n")
        for i in rows:
            f.write("\t".join(c[2](d, i) for c in TABLE_COLS) + "\t" + d["rank_reason"][i] + "\n")
    cells = [[c[2](d, i) for c in TABLE_COLS] for i in rows]
    if not cells:
        cells = [["-"] * len(TABLE_COLS)]
    fig_h = 0.5 + 0.21 * (len(cells) + 1)
    fig, ax = plt.subplots(figsize=(18, fig_h))
    ax.axis("off")
    tab = ax.table(cellText=cells, colLabels=[c[1] for c in TABLE_COLS], loc="center",
                   cellLoc="center")
    tab.auto_set_font_size(False)
    tab.set_fontsize(8)
    tab.auto_set_column_width(list(range(len(TABLE_COLS))))
    for (r, c), cell in tab.get_celld().items():
        if r == 0:
            cell.set_facecolor("0.85")
            cell.set_text_props(weight="bold")
        elif seed is not None and r - 1 < len(rows) and rows[r - 1] == seed:
            cell.set_facecolor("#fff2a8")
    ax.set_title("Top %d candidates (seed highlighted if among them)" % len(rows), fontsize=11)
    save(fig, outdir, "top_table")


def summary(d, seed, path):
    ranked = ~np.isnan(d["rank"])
    s = {
        "candidates": int(d["n"]),
        "ranked": int(ranked.sum()),
        "excluded": int(d["n"] - ranked.sum()),
        "dual_switch": int(np.nansum(d["dual_switch"] == 1)),
        "fronts": int(np.nanmax(d["pareto_rank"])) if ranked.any() else 0,
        "compositions": int(len(set(d["formula"]))),
        "params": d["params"],
        "seed": None,
    }
    nc = d["nc"]
    fails = {}
    for name in nc.variables:
        if name.endswith("_status") and nc.variables[name].dimensions == ("candidate",):
            st = read_num(nc, name)
            fails[name[:-7]] = {str(int(c)): int((st == c).sum())
                                for c in np.unique(st[~np.isnan(st)]) if c != 0}
    s["failures"] = fails
    if seed is not None:
        s["seed"] = {
            "row": seed, "label": label_of(d, seed),
            "dual_switch": int(d["dual_switch"][seed]),
            "rank": None if np.isnan(d["rank"][seed]) else int(d["rank"][seed]),
            "pareto_rank": None if np.isnan(d["pareto_rank"][seed])
            else int(d["pareto_rank"][seed]),
            "log10_rho_ratio": float(d["log10_rho_ratio"][seed]),
            "M_300K_1T_reduced": float(d["M_300K_1T_reduced"][seed]),
            "reason": d["rank_reason"][seed],
        }
    with open(path, "w") as f:
        json.dump(s, f, indent=1, allow_nan=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ranking")
    ap.add_argument("outdir")
    ap.add_argument("--seed-formula", default="La0.2Sr0.7Ni0.1Ti0.9O3")
    ap.add_argument("--seed-T-K", type=float, default=823.15)
    ap.add_argument("--seed-t-s", type=float, default=18000.0)
    ap.add_argument("--curves", type=int, default=4, help="top candidates in the curves")
    ap.add_argument("--table", type=int, default=20, help="rows of the top table")
    ap.add_argument("--jobs", type=int, default=1, help="processes drawing figures (1 or 2)")
    a = ap.parse_args()
    import shutil
    import tempfile

    parent = os.path.dirname(os.path.abspath(a.outdir.rstrip("/")))
    os.makedirs(parent, exist_ok=True)
    tmpdir = tempfile.mkdtemp(prefix=".plots.", dir=parent)
    try:
        make_all(a, tmpdir)
    except BaseException:
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise
    # the folder appears complete or not at all
    if os.path.isdir(a.outdir):
        shutil.rmtree(a.outdir)
    os.rename(tmpdir, a.outdir)
    os.chmod(a.outdir, 0o755)
    return 0


def make_all(a, tmpdir):
    d = load(a.ranking)
    for req in ["rank", "dual_switch", "log10_rho_ratio", "M_300K_1T_reduced"]:
        if d[req] is None:
            sys.exit("plots.py: %s has no '%s' (run exsol-rank -o first)" % (a.ranking, req))
    seed = find_seed(d, a.seed_formula, a.seed_T_K, a.seed_t_s)
    if seed is None:
        print("plots.py: seed %s at %g K / %g s not in the screen" %
              (a.seed_formula, a.seed_T_K, a.seed_t_s), file=sys.stderr)
    # pareto and heatmaps need only the arrays already read; curves, the table and
    # the summary read the file, so they stay in this process
    child = os.fork() if a.jobs > 1 else -1
    if child == 0:
        try:
            plot_pareto(d, seed, tmpdir)
            plot_heatmaps(d, tmpdir, seed)
            sys.stderr.flush()
        except BaseException:
            import traceback
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    try:
        if child < 0:
            plot_pareto(d, seed, tmpdir)
            plot_heatmaps(d, tmpdir, seed)
        plot_curves(d, seed, pick_rows(d, seed, a.curves), tmpdir)
        plot_table(d, seed, a.table, tmpdir)
        fams = plot_families(d, tmpdir)
        write_families(d, fams, os.path.join(tmpdir, "families.tsv"))
        summary(d, seed, os.path.join(tmpdir, "summary.json"))
    finally:
        if child > 0:
            _, status = os.waitpid(child, 0)
    if child > 0 and status != 0:
        sys.exit("plots.py: drawing the Pareto front and heatmaps failed")
    d["nc"].close()


if __name__ == "__main__":
    sys.exit(main())
