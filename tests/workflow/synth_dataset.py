#!/usr/bin/python3
"""Writes a synthetic exsol dataset with the variables of every stage (docs/schema.md),
named, typed and described as in the schema CSVs (libcore/schema/<stage>.csv), the one
source of the output schema; variables that no CSV names keep the text given here,
for developing and testing exsol-rank, the plots and the report without running the
physics. The numbers are shaped like the real chain's (seed LSNT switches at 550 C / 5 h)
but come from simple closed forms, not from the models: never use them as results.

usage: synth_dataset.py OUT.nc [--n-fail K] [--ranked] [--all-failed]
"""
import argparse
import csv
import glob
import os
import sys

import numpy as np
from netCDF4 import Dataset

FILL_D = 9.969209968386869e36
FILL_I = -2147483647

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "libcore", "schema")


def load_schema():
    """name -> row of libcore/schema/*.csv (name, type, dims, width, units, long_name, ...)"""
    rows = {}
    for path in sorted(glob.glob(os.path.join(SCHEMA_DIR, "*.csv"))):
        with open(path, newline="") as fp:
            for r in csv.DictReader(fp):
                rows[r["name"]] = r
    return rows


SCHEMA = load_schema()


def text_var(nc, name, values, width=None, long_name=None):
    sc = SCHEMA.get(name)
    if sc:
        width, long_name = int(sc["width"]), sc["long_name"]
    dim = "strlen%d" % width
    if dim not in nc.dimensions:
        nc.createDimension(dim, width)
    v = nc.createVariable(name, "S1", ("candidate", dim))
    v.long_name = long_name
    arr = np.zeros((len(values), width), "S1")
    for i, s in enumerate(values):
        b = s.encode()[:width]
        arr[i, : len(b)] = np.frombuffer(b, "S1")
    v[:] = arr


def num_var(nc, name, data, units=None, long_name=None, dtype="f8", dims=("candidate",)):
    sc = SCHEMA.get(name)
    if sc:
        units, long_name = sc["units"], sc["long_name"]
        dtype = "i4" if sc["type"] == "int" else "f8"
        dims = tuple(sc["dims"].split())
    fill = FILL_D if dtype == "f8" else FILL_I
    v = nc.createVariable(name, dtype, dims, fill_value=fill)
    v.units = units
    v.long_name = long_name
    v[:] = data
    return v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--n-fail", type=int, default=3)
    ap.add_argument("--all-failed", action="store_true")
    ap.add_argument("--ranked", action="store_true", help="add crude rank variables")
    a = ap.parse_args()

    rows = []
    for A in ["La0.2Sr0.7", "La0.2Sr0.75", "La0.2Ca0.7", "La0.1Sr0.8", "Sr0.9"]:
        for dop in ["Ni", "Co", "Fe", "Cu"]:
            for z in [0.05, 0.1]:
                for T in [500, 550, 600, 700, 800, 900, 1000]:
                    for t_h in [1, 5, 20]:
                        rows.append((A, dop, z, T + 273.15, t_h * 3600.0))
    n = len(rows)
    rng = np.random.default_rng(7)
    formula = ["%s%s%gTi%gO3" % (A, d, z, round(1 - z, 3)) for A, d, z, _, _ in rows]
    dop = [r[1] for r in rows]
    z = np.array([r[2] for r in rows])
    T = np.array([r[3] for r in rows])
    ts = np.array([r[4] for r in rows])
    avac = np.array([round(1 - sum(float(p) for p in
                                  __import__("re").findall(r"[A-Z][a-z]?([0-9.]+)", r[0])), 3)
                     for r in rows])
    la = np.array([0.2 if "La0.2" in r[0] else 0.1 if "La0.1" in r[0] else 0.0 for r in rows])
    tol = np.where(np.char.find(np.array([r[0] for r in rows]), "Ca") >= 0, 0.97, 1.0)
    tol = tol - 0.01 * z
    tau = 3.9 + 0.5 * z
    red = {"Ni": 1.0, "Co": 0.8, "Fe": 0.2, "Cu": 1.1}
    mag = {"Ni": 1.0, "Co": 2.9, "Fe": 3.5, "Cu": 0.0}
    k = np.array([red[d] for d in dop])
    # exsolved fraction: thermally activated, capped by A-site deficiency budget
    f = np.minimum(1.0, k * (1 - np.exp(-ts / 3600.0 * np.exp(-9000 * (1 / T - 1 / 823.15)))))
    f = np.minimum(f, np.minimum(1.0, avac / z))
    diam = 4e-9 * (ts / 18000.0) ** 0.25 * np.exp(3000 * (1 / 823.15 - 1 / T))
    n_red = (la + 2 * f * z * 0 + 0.02) * f * 1.7e28
    rho_p = 10 ** (1.5 + 2 * avac) * 1e-2
    rho_r = 1.0 / (np.maximum(n_red, 1e20) * 1.602e-19 * 8e-4)
    ratio = np.log10(rho_p / rho_r)
    Ms = 4.85e5 * np.array([mag[d] for d in dop])
    vol = z * f * 0.6 * 0.0184 / 0.1
    # Langevin at 300 K, 1 T; blocked when the particles are large
    mu = Ms * np.pi / 6 * diam ** 3
    xi = mu * 1.0 / (1.380649e-23 * 300)
    L = np.where(xi > 1e-6, 1 / np.tanh(np.maximum(xi, 1e-6)) - 1 / np.maximum(xi, 1e-6), xi / 3)
    M_red = Ms * vol * L + 50.0
    M_pri = np.full(n, 100.0) * z / 0.1
    spm = ((diam < 18e-9) & (Ms > 0)).astype(np.int32)

    status = {s: np.zeros(n, np.int32) for s in ["reduce", "transport", "magnet"]}
    reason = {s: [""] * n for s in status}
    bad = np.arange(n) if a.all_failed else rng.choice(n, size=min(a.n_fail, n), replace=False)
    for i in bad:
        status["reduce"][i] = 1
        reason["reduce"][i] = "CVODE: too much work (synthetic failure)"
        status["transport"][i] = 3
        status["magnet"][i] = 3
    ratio[bad] = np.nan
    M_red[bad] = np.nan

    Tcurve = np.concatenate([np.arange(2, 20, 2.0), np.arange(20, 401, 10.0)])
    H = np.linspace(-5, 5, 101)
    rbin = np.logspace(np.log10(0.3e-9), np.log10(50e-9), 40)

    with Dataset(a.out, "w", format="NETCDF3_64BIT_DATA") as nc:
        nc.Conventions = "CF-1.8"
        nc.title = "synthetic exsol dataset (development only; not model output)"
        nc.exsol_version = "synthetic"
        nc.history = "synth_dataset.py"
        nc.createDimension("candidate", None)
        for name, vals in [("temperature", Tcurve), ("field", H), ("radius_bin", rbin)]:
            nc.createDimension(name, len(vals))
            v = nc.createVariable(name, "f8", (name,))
            v.units = SCHEMA[name]["units"]
            v.long_name = SCHEMA[name]["long_name"]
            v[:] = vals
        cid = nc.createVariable("candidate", "i4", ("candidate",))  # the id, as gen writes it
        cid.units = "1"
        cid.long_name = SCHEMA["candidate"]["long_name"]
        cid[:] = np.arange(len(formula), dtype="i4")
        text_var(nc, "formula", formula, 32, "as-grown formula")
        text_var(nc, "dopant", dop, 8, "B-site dopant")
        num_var(nc, "dopant_fraction", z, "1", "dopant per B site")
        num_var(nc, "A_vacancy", avac, "1", "A-site vacancies per formula unit")
        num_var(nc, "tolerance_factor", tol, "1", "Goldschmidt tolerance factor")
        num_var(nc, "bartel_tau", tau, "1", "Bartel tau")
        num_var(nc, "feasible", np.ones(n, np.int32), "1", "structure feasible", "i4")
        num_var(nc, "T_anneal", T, "K", "anneal temperature")
        num_var(nc, "t_anneal", ts, "s", "anneal time")
        num_var(nc, "p_H2", np.full(n, 5066.25), "Pa", "H2 partial pressure")
        num_var(nc, "p_H2O", np.full(n, 3039.75), "Pa", "H2O partial pressure")
        num_var(nc, "thickness", np.full(n, 30e-9), "m", "film thickness")
        for s in status:
            num_var(nc, s + "_status", status[s])
            text_var(nc, s + "_reason", reason[s])
        num_var(nc, "exsolved_fraction", np.where(status["reduce"] == 0, f, np.nan))
        num_var(nc, "surface_mean_diameter", diam)
        num_var(nc, "buried_mean_diameter", 0.8 * diam)
        num_var(nc, "log10_rho_ratio", ratio)
        num_var(nc, "rho_300K_pristine", rho_p)
        num_var(nc, "rho_300K_reduced", rho_r)
        num_var(nc, "M_300K_1T_reduced", M_red)
        num_var(nc, "M_300K_1T_pristine", M_pri)
        num_var(nc, "spm_300K_reduced", spm)
        # curves
        act = np.exp(-0.05 / (8.617e-5 * Tcurve))
        rp = rho_p[:, None] * (act[None, :] ** -1) * act[-1]
        rr = rho_r[:, None] * (0.6 + 0.4 * Tcurve[None, :] / 300.0)
        num_var(nc, "rho_T_pristine", rp)
        num_var(nc, "rho_T_reduced", rr)
        xi_h = mu[:, None] * H[None, :] / (1.380649e-23 * 300)
        Lh = np.where(np.abs(xi_h) > 1e-6, 1 / np.tanh(np.where(np.abs(xi_h) > 1e-6, xi_h, 1)) -
                      1 / np.where(np.abs(xi_h) > 1e-6, xi_h, 1), xi_h / 3)
        num_var(nc, "M_H_300K_reduced", (Ms * vol)[:, None] * Lh + 50 * H[None, :])
        num_var(nc, "M_H_300K_pristine", M_pri[:, None] * H[None, :])
        r0 = diam / 2
        g = np.exp(-0.5 * (np.log(rbin[None, :] / r0[:, None]) / 0.3) ** 2)
        num_var(nc, "surface_size_distribution", 1.1e15 * g / 5)
        num_var(nc, "buried_size_distribution", 3e23 * g / 5)
        if a.ranked:
            ok = ~np.isnan(ratio)
            dual = (ok & (ratio >= 3) & (spm == 1) & (M_red >= 10 * M_pri)
                    & (T <= 1173.15) & (ts <= 36000)).astype(np.int32)
            score = np.where(ok, 0.5 * (ratio / 3 + np.where(spm == 1, M_red, 0) / 8.9e3)
                             - (1 - dual), np.nan)
            order = np.argsort(-np.where(ok, score, -1e300), kind="stable")
            rank = np.full(n, FILL_I, np.int32)
            rank[order[: ok.sum()]] = np.arange(1, ok.sum() + 1)
            num_var(nc, "dual_switch", dual, "1", "dual switch", "i4")
            num_var(nc, "pareto_rank", np.where(ok, 2 - dual, FILL_I), "1", "pareto", "i4")
            num_var(nc, "score", score, "1", "score")
            num_var(nc, "rank", rank, "1", "rank", "i4")
    return 0


if __name__ == "__main__":
    sys.exit(main())
