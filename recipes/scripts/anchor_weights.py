#!/usr/bin/python3
"""Conditions the prior ensemble on the anchors: the first, importance-weighting step of
the calibration of issue #14, kept as a cross-check; the calibration is exsol-fit (an
MCMC posterior that exsol-ensemble --ensemble reads directly).

Every row of datasets/anchors.csv with use = fit that the chain can represent (a film
with thickness, anneal, gas and a surface_particle_density or surface_mean_diameter) is
run through exsol-ensemble with the same members (--members N --seed S: common random
numbers). Each member gets the log-likelihood of reference §9:
  density: Gaussian in log10 with the row's scatter (0.42 decades); a value marked as a
           lower bound is censored, log Phi((log10 N_model - log10 N_obs) / sigma);
  diameter: Gaussian in log10 with sigma_logD = 0.1.
A member a stage failed on has likelihood 0. The weights give the effective sample size,
and systematic resampling (its offset from the seed) writes N members as a member file
for exsol-ensemble --ensemble: the ensemble conditioned on the anchors.

usage: anchor_weights.py [--members N] [--seed S] [--bin DIR] [--anchors CSV]
                         -o POSTERIOR.tsv
Prints one line per anchor and the effective sample size on stderr.
"""
import argparse
import csv
import math
import os
import subprocess
import sys
import tempfile

SIGMA_LOGD = 0.1


def fit_rows(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(l for l in f if l.strip() and not l.startswith("#")))
    out = []
    for r in rows:
        try:
            num = [float(r[k]) for k in ("thickness", "T_anneal", "t_anneal", "x_H2", "x_H2O")]
        except ValueError:
            continue
        if r["use"] != "fit" or not r["form"].startswith("film"):
            continue
        obs = []
        if r["density"]:
            obs.append(("surface_particle_density", float(r["density"]) * 1e12,
                        float(r["scatter"].split()[0]), "lower bound" in r["scatter"]))
        if r["diameter"]:
            obs.append(("surface_mean_diameter", float(r["diameter"]) * 1e-9, SIGMA_LOGD, False))
        if obs:
            out.append((r["id"], r["composition"], num, obs))
    return out


def norm_logcdf(z):
    return math.log(max(0.5 * math.erfc(-z / math.sqrt(2.0)), 1e-300))


def table(path):
    with open(path) as f:
        head = f.readline().rstrip("\n").split("\t")
        return head, [l.rstrip("\n").split("\t") for l in f if l.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--members", type=int, default=256)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "../../build/bin"))
    ap.add_argument("--anchors", default=os.path.join(os.path.dirname(__file__),
                                                      "../../datasets/anchors.csv"))
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    rows = fit_rows(a.anchors)
    if not rows:
        sys.exit("anchor_weights: no anchor row the chain can represent")
    ll = [0.0] * a.members
    with tempfile.TemporaryDirectory() as d:
        members = os.path.join(d, "members.tsv")
        for k, (rid, comp, (L, T, t, xh2, xh2o), obs) in enumerate(rows):
            gen = os.path.join(d, "gen%d.nc" % k)
            vals = os.path.join(d, "values%d.tsv" % k)
            subprocess.run([a.bin + "/exsol-gen", "-q", "--composition", comp,
                            "--temperature", "%gC" % T, "--time", "%gh" % t,
                            "--h2", "%g%%" % (100 * xh2), "--h2o", "%g%%" % (100 * xh2o),
                            "--thickness", "%gnm" % L, "-o", gen], check=True)
            subprocess.run([a.bin + "/exsol-ensemble", "-q", "--members", str(a.members),
                            "--seed", str(a.seed), "--write-members", members,
                            "--member-values", vals, "-o", "/dev/null", gen], check=True)
            head, lines = table(vals)
            col = {h: i for i, h in enumerate(head)}
            for r in lines:
                j = int(r[col["member"]])
                if r[col["failed"]] == "1":
                    ll[j] = -math.inf
                    continue
                for name, value, sigma, lower in obs:
                    x = r[col[name]]
                    m = float(x) if x not in ("NA", "") else float("nan")
                    if not (m > 0):
                        ll[j] = -math.inf
                        continue
                    z = (math.log10(m) - math.log10(value)) / sigma
                    ll[j] += norm_logcdf(z) if lower else -0.5 * z * z
            print("anchor %s: %d observables" % (rid, len(obs)), file=sys.stderr)
        top = max(ll)
        if top == -math.inf:
            sys.exit("anchor_weights: every member has zero likelihood")
        w = [math.exp(x - top) for x in ll]
        s = sum(w)
        w = [x / s for x in w]
        ess = 1.0 / sum(x * x for x in w)
        print("anchor_weights: %d members, effective sample size %.1f" % (a.members, ess),
              file=sys.stderr)
        # systematic resampling with an offset fixed by the seed
        u0 = ((a.seed * 0x9E3779B97F4A7C15) % (1 << 64)) / float(1 << 64) / a.members
        head, lines = table(members)
        picks, c, i = [], w[0], 0
        for k in range(a.members):
            u = u0 + k / a.members
            while u > c and i < a.members - 1:
                i += 1
                c += w[i]
            picks.append(i)
        tmp = a.output + ".tmp"
        with open(tmp, "w") as f:
            f.write("\t".join(head) + "\n")
            for k, i in enumerate(picks):
                f.write("\t".join([str(k)] + lines[i][1:]) + "\n")
        os.replace(tmp, a.output)


if __name__ == "__main__":
    main()
