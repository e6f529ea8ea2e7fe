#!/usr/bin/python3
"""Self-contained HTML report of a ranked exsol screen: every figure is embedded as a
base64 PNG (with the SVG next to it in the plots folder), so the one file can be mailed
or archived. Built by the workflow itself (Snakemake's --report needs the internet).

usage: report.py PLOTDIR RANKING.nc OUT.html [--config CONFIG.json | --config-json STR]
                 [--title T] [--sobol S.tsv] [--sobol-families F.tsv]
                 [--ensemble-table ENSEMBLE.tsv]

With --sobol and/or --sobol-families (exsol-ensemble's --sobol and --sobol-families
tables) the report gets a section "Which unknown decides which verdict": per chosen
candidate (the rows of the Sobol table, at most SOBOL_MAX) and per family (at most
SOBOL_MAX) a bar chart of the total Sobol index (first-order inside) of each parameter
for the verdict and both objectives, and the top three parameters named in the text.
--ensemble-table (the same run's exsol-ensemble table) names the rows by formula and
anneal. A path that does not exist is ignored, so without the files the report is
unchanged.
"""
import argparse
import base64
import html
import json
import os
import sys
import tempfile
import time

from netCDF4 import Dataset

FIGURES = [
    ("pareto", "Pareto front",
     "Each ranked candidate by its two objectives: the 300 K resistivity ratio "
     "(pristine over reduced) and the room-temperature magnetisation of the reduced film at "
     "1 T, counted only when the film is superparamagnetic at 300 K (blocked films sit on "
     "the bottom line). Coloured points satisfy every constraint (dual switch); the black "
     "staircase is Pareto front 1; the star is the seed composition under its anchor "
     "anneal."),
    ("heatmaps", "Where each switch happens",
     "Per composition and anneal temperature, the fraction of the other process settings "
     "(times, gases, thicknesses) for which the film switches its resistivity, turns "
     "superparamagnetic, and satisfies every constraint."),
    ("families", "Which families switch both",
     "Per family (host, dopant, donor, substrate; dual switches in brackets) and anneal "
     "temperature, the fraction of the family's ranked candidates that satisfy every "
     "constraint."),
    ("rho_T", "Resistivity curves", "rho(T) of the seed and the best candidates, before "
     "(dashed) and after (solid) the reducing anneal."),
    ("M_H", "Magnetisation curves", "M(H) at 300 K before (dashed) and after (solid) the "
     "anneal: an S-shaped, hysteresis-free curve is the superparamagnetic signature."),
    ("psd", "Particle sizes", "Size distributions of the exsolved particles, surface and "
     "buried populations."),
    ("top_table", "Top candidates", "The best-ranked candidates with the parameters that "
     "made them (full table below)."),
]

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1200px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:0.2em} h2{border-bottom:1px solid #ccc;padding-bottom:0.2em;
margin-top:1.8em} .muted{color:#666;font-size:0.9em}
table{border-collapse:collapse;font-size:0.85em;margin:0.5em 0}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}
th{background:#eee} td.l,th.l{text-align:left}
tr.seed td{background:#fff2a8}
figure{margin:1em 0} figure img{max-width:100%;border:1px solid #ddd}
figcaption{font-size:0.9em;color:#444}
.verdict{font-size:1.1em;padding:0.6em 1em;border-radius:6px;display:inline-block}
.yes{background:#e0f5e0;border:1px solid #7c7} .no{background:#fbe4e4;border:1px solid #d88}
pre{background:#f6f6f6;padding:0.6em;overflow:auto;font-size:0.8em}
"""


def esc(x):
    return html.escape(str(x))


def img_tag(path, alt):
    with open(path, "rb") as f:
        data = base64.b64encode(f.read()).decode("ascii")
    return '<img alt="%s" src="data:image/png;base64,%s">' % (esc(alt), data)


def tsv_table(path, seed_rank=None):
    if not os.path.exists(path):
        return "<p>(no table)</p>"
    with open(path) as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    if not rows:
        return "<p>(empty)</p>"
    head, body = rows[0], rows[1:]
    left = {"formula", "reason", "rank_reason", "dopant"}
    out = ["<table><tr>"]
    out += ['<th class="%s">%s</th>' % ("l" if h in left else "", esc(h)) for h in head]
    out.append("</tr>")
    for r in body:
        cls = ' class="seed"' if seed_rank is not None and r and r[0] == str(seed_rank) else ""
        out.append("<tr%s>" % cls)
        out += ['<td class="%s">%s</td>' % ("l" if h in left else "", esc(v))
                for h, v in zip(head, r)]
        out.append("</tr>")
    out.append("</table>")
    if not body:
        out.append("<p>No candidate could be ranked.</p>")
    return "\n".join(out)


def families_table(path):
    """The per-family table (plots.py's families.tsv): the families that switch both
    first (most distinct dual switches), then the rest."""
    with open(path) as f:
        head = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(head, ln.rstrip("\n").split("\t"))) for ln in f if ln.strip()]
    rows.sort(key=lambda r: (-int(r["distinct_dual"]), -int(r["dual_switch"]), r["host"],
                             r["dopant"], r["donor"], r["substrate"]))
    yes = [r for r in rows if int(r["dual_switch"]) > 0]
    out = ["<h2>Families</h2><p>Family = host &times; dopant &times; donor &times; "
           "substrate. %d of %d families switch both. <i>distinct</i> counts the dual "
           "switches whose physics is not a twin of another one in the family "
           "(exsol-rank's physics_twin_of); the best candidate is listed once, with the "
           "number of rows that repeat its physics.</p>" % (len(yes), len(rows)),
           "<table><tr><th>host</th><th>dopant</th><th>donor</th><th>substrate</th>"
           "<th>candidates</th><th>dual switches</th><th>distinct</th>"
           "<th>best candidate (anneal)</th><th>rank</th><th>twins</th></tr>"]
    for r in rows:
        out.append("<tr>%s</tr>" % "".join("<td>%s</td>" % esc(r[k]) for k in (
            "host", "dopant", "donor", "substrate", "candidates", "dual_switch",
            "distinct_dual", "best", "best_rank", "best_physics_twins")))
    out.append("</table>")
    return "\n".join(out)


SOBOL_MAX = 6
# (column suffix, label) of the verdict and the two objectives in each table
SOBOL_ROW_Q = [("dual_switch", "dual-switch verdict"),
               ("log10_rho_ratio", "log10 resistivity ratio"),
               ("M_300K_1T_reduced", "M(300 K, 1 T) reduced")]
SOBOL_FAM_Q = [("dual_fraction", "fraction of anneals that switch"),
               ("log10_rho_ratio_median", "median log10 resistivity ratio"),
               ("magnetic_objective_median", "median magnetic objective")]


def read_tsv_dicts(path):
    with open(path, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        return [dict(zip(head, ln.rstrip("\n").split("\t"))) for ln in f if ln.strip()]


def fnum(v):
    try:
        x = float(v)
    except (TypeError, ValueError):
        return float("nan")
    return x


def top_params(rows, col, k=3):
    """The k parameters with the largest total index in column ST_col (NaN last)."""
    vals = [(r["parameter"], fnum(r["ST_" + col])) for r in rows]
    vals = [(p, v) for p, v in vals if v == v]
    vals.sort(key=lambda pv: (-pv[1], pv[0]))
    return vals[:k]


def sobol_figure(rows, quantities, title, path):
    """Three panels (the verdict, the two objectives): per parameter the total index
    (wide bar) and the first-order index (narrow bar inside), the 10 largest totals."""
    import matplotlib
    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "exsol"
    import matplotlib.pyplot as plt
    nshow = min(10, len(rows))
    fig, axes = plt.subplots(1, len(quantities), figsize=(11, 0.9 + 0.32 * nshow),
                             squeeze=False)
    for ax, (col, label) in zip(axes[0], quantities):
        rs = sorted(rows, key=lambda r: (-(fnum(r["ST_" + col]) if fnum(r["ST_" + col]) ==
                                           fnum(r["ST_" + col]) else -1), r["parameter"]))
        rs = rs[:nshow]
        st = [max(0.0, fnum(r["ST_" + col])) if fnum(r["ST_" + col]) == fnum(r["ST_" + col])
              else 0.0 for r in rs]
        s1 = [max(0.0, fnum(r["S1_" + col])) if fnum(r["S1_" + col]) == fnum(r["S1_" + col])
              else 0.0 for r in rs]
        pos = list(range(len(rs)))
        ax.barh(pos, st, color="C0", label="total ST")
        ax.barh(pos, s1, height=0.4, color="C1", label="first order S1")
        ax.set_yticks(pos)
        ax.set_yticklabels([r["parameter"] for r in rs], fontsize=7)
        ax.invert_yaxis()
        ax.set_xlim(0, max([1.05] + [x * 1.05 for x in st]))
        ax.set_title(label, fontsize=9)
        ax.tick_params(axis="x", labelsize=7)
    axes[0, 0].legend(fontsize=7, loc="lower right")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def sobol_text(rows, quantities):
    parts = []
    for col, label in quantities:
        tp = top_params(rows, col)
        if not tp:
            parts.append("%s: no index (no variance under the members)" % label)
        else:
            parts.append("%s: %s" % (label, ", ".join("<b>%s</b> (%.2f)" % (esc(p), v)
                                                      for p, v in tp)))
    return "; ".join(parts)


def grouped(path, col):
    """The rows of a TSV table grouped by an integer column: (dict, keys in order)."""
    by = {}
    for r in read_tsv_dicts(path):
        by.setdefault(r[col], []).append(r)
    return by, sorted(by, key=int)


def sobol_section(sobol, families, ensemble_table, tmpdir):
    """The section "Which unknown decides which verdict" (HTML), or "" when neither
    table exists."""
    have_rows = bool(sobol) and os.path.isfile(sobol)
    have_fams = bool(families) and os.path.isfile(families)
    if not have_rows and not have_fams:
        return ""
    labels = {}
    if ensemble_table and os.path.isfile(ensemble_table):
        for r in read_tsv_dicts(ensemble_table):
            labels[r["input_row"]] = "%s, %.0f &deg;C, %.3g h (P_dual %s)" % (
                esc(r["formula"]), fnum(r["T_anneal"]) - 273.15, fnum(r["t_anneal"]) / 3600,
                esc(r["P_dual"]))
    out = ["<h2>Which unknown decides which verdict</h2>",
           "<p>Variance-based global sensitivity (exsol-ensemble <code>--sobol</code>: "
           "Saltelli's design, first-order indices after Saltelli 2010, totals after "
           "Jansen 1999). The total index ST of a parameter is the share of the "
           "variance of a verdict or objective that goes away when the parameter is "
           "known, its interactions included; the first-order S1 (narrow bar) the share "
           "it explains alone. A total near 0 means the parameter does not matter for "
           "that result; first-order indices above the totals, or indices above 1, "
           "show the estimate's noise at a small base sample.</p>"]
    k = 0
    if have_rows:
        by, keys = grouped(sobol, "input_row")
        out.append("<h3>Chosen candidates</h3><p>%d candidate%s in the Sobol table%s: the "
                   "dual-switch verdict (0/1), log<sub>10</sub> of the resistivity ratio "
                   "and M(300 K, 1 T) of the reduced film, per member.</p>" % (
                       len(keys), "" if len(keys) == 1 else "s",
                       " (the first %d shown)" % SOBOL_MAX if len(keys) > SOBOL_MAX else ""))
        for key in keys[:SOBOL_MAX]:
            label = labels.get(key, "input row %s" % esc(key))
            png = os.path.join(tmpdir, "sobol_row_%d.png" % k)
            k += 1
            sobol_figure(by[key], SOBOL_ROW_Q, "input row %s" % key, png)
            out.append("<figure>%s<figcaption>%s. Largest total indices &mdash; %s."
                       "</figcaption></figure>" % (img_tag(png, "Sobol indices row " + key),
                                                   label, sobol_text(by[key], SOBOL_ROW_Q)))
    if have_fams:
        by, keys = grouped(families, "family")
        out.append("<h3>Per family</h3><p>%d famil%s (exsol-ensemble "
                   "<code>--sobol-families</code>: by default the rows of one film, "
                   "differing only in the anneal and its gas)%s. Per member, the fraction "
                   "of the family's anneals that give the dual switch and the family "
                   "medians of log<sub>10</sub> of the resistivity ratio and of the "
                   "ranking's magnetic objective (M(300 K, 1 T) where superparamagnetic, "
                   "else 0).</p>" % (len(keys), "y" if len(keys) == 1 else "ies",
                                     " (the first %d shown)" % SOBOL_MAX
                                     if len(keys) > SOBOL_MAX else ""))
        for key in keys[:SOBOL_MAX]:
            r0 = by[key][0]
            png = os.path.join(tmpdir, "sobol_family_%d.png" % k)
            k += 1
            sobol_figure(by[key], SOBOL_FAM_Q, "family %s: %s" % (key, r0["formula"]), png)
            out.append("<figure>%s<figcaption>Family %s: %s, %s anneal%s (input rows %s). "
                       "Largest total indices &mdash; %s.</figcaption></figure>" % (
                           img_tag(png, "Sobol indices family " + key), esc(key),
                           esc(r0["formula"]), esc(r0["rows"]),
                           "" if r0["rows"] == "1" else "s", esc(r0["input_rows"]),
                           sobol_text(by[key], SOBOL_FAM_Q)))
    return "\n".join(out)


def params_table(nc):
    out = []
    for name in sorted(nc.variables):
        if not name.endswith("_parameters"):
            continue
        v = nc.variables[name]
        attrs = v.ncattrs()
        keys = [a for a in attrs if not a.endswith(("_units", "_origin", "_source"))
                and a not in ("long_name", "comment", "units")]
        if not keys:
            continue
        out.append("<h3>%s</h3><table><tr><th class='l'>name</th><th>value (SI)</th>"
                   "<th class='l'>unit</th><th class='l'>origin</th></tr>" % esc(name))
        for k in keys:
            val = v.getncattr(k)
            unit = v.getncattr(k + "_units") if k + "_units" in attrs else ""
            origin = v.getncattr(k + "_origin") if k + "_origin" in attrs else ""
            sval = "%.6g" % val if isinstance(val, float) or hasattr(val, "dtype") else val
            out.append("<tr><td class='l'>%s</td><td>%s</td><td class='l'>%s</td>"
                       "<td class='l'>%s</td></tr>" % (esc(k), esc(sval), esc(unit),
                                                         esc(origin)))
        out.append("</table>")
    return "\n".join(out) if out else "<p>(no parameters recorded in the file)</p>"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("plotdir")
    ap.add_argument("ranking")
    ap.add_argument("out")
    ap.add_argument("--config", help="a file with the workflow configuration as JSON")
    ap.add_argument("--config-json", help="the workflow configuration as a JSON string")
    ap.add_argument("--title", default="exsol screening report")
    ap.add_argument("--window-plots", help="exsol-window's plots (rule window_plots)")
    ap.add_argument("--sobol", help="exsol-ensemble --sobol table (ignored if absent)")
    ap.add_argument("--sobol-families",
                    help="exsol-ensemble --sobol-families table (ignored if absent)")
    ap.add_argument("--ensemble-table", help="the same run's exsol-ensemble table (labels)")
    a = ap.parse_args()

    with open(os.path.join(a.plotdir, "summary.json")) as f:
        s = json.load(f)
    nc = Dataset(a.ranking)
    history = nc.getncattr("history") if "history" in nc.ncattrs() else ""
    version = nc.getncattr("exsol_version") if "exsol_version" in nc.ncattrs() else "?"

    p = []
    p.append("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>")
    p.append("<title>%s</title><style>%s</style></head><body>" % (esc(a.title), CSS))
    p.append("<h1>%s</h1>" % esc(a.title))
    p.append("<p class='muted'>Generated %s by the exsol workflow (exsol %s) from %s.</p>" %
             (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), esc(version),
              esc(os.path.basename(a.ranking))))

    p.append("<h2>Summary</h2><table>")
    for k, label in [("candidates", "candidates screened"),
                     ("compositions", "distinct compositions"),
                     ("ranked", "ranked (every stage succeeded)"),
                     ("excluded", "excluded (a stage failed or a value is missing)"),
                     ("dual_switch", "dual switch (all constraints hold)"),
                     ("fronts", "Pareto fronts")]:
        p.append("<tr><td class='l'>%s</td><td>%s</td></tr>" % (esc(label), esc(s.get(k))))
    p.append("</table>")
    fails = s.get("failures") or {}
    if any(fails.values()):
        p.append("<p>Per-stage failures (status code: rows; 1 solver failure, 2 invalid "
                 "input, 3 skipped after an earlier failure, 4 not applicable):</p><ul>")
        for st, codes in fails.items():
            if codes:
                p.append("<li>%s: %s</li>" % (esc(st), esc(", ".join(
                    "%s: %s" % kv for kv in sorted(codes.items())))))
        p.append("</ul>")

    seed = s.get("seed")
    p.append("<h2>Seed composition</h2>")
    if seed:
        ok = seed.get("dual_switch") == 1
        p.append("<p class='verdict %s'>%s: <b>%s</b> (rank %s, Pareto front %s)</p>" % (
            "yes" if ok else "no", esc(seed["label"]),
            "dual switch" if ok else "no dual switch", esc(seed.get("rank")),
            esc(seed.get("pareto_rank"))))
        p.append("<p>log10 resistivity ratio %.2f; M(300 K, 1 T) reduced %.3g kA/m; %s</p>" % (
            seed["log10_rho_ratio"], seed["M_300K_1T_reduced"] / 1e3, esc(seed["reason"])))
    else:
        p.append("<p>The seed composition and anneal are not part of this screen.</p>")

    for name, title, caption in FIGURES:
        png = os.path.join(a.plotdir, name + ".png")
        if not os.path.exists(png):
            continue
        p.append("<h2>%s</h2><figure>%s<figcaption>%s (vector version: %s.svg in the plots "
                 "folder)</figcaption></figure>" % (esc(title), img_tag(png, title),
                                                   esc(caption), esc(name)))

    if a.window_plots:
        p.append("<h2>Process windows</h2><p>Per film, the anneal temperatures and times at "
                 "which it switches both (exsol-window; solid: lowest T, dashed: highest T "
                 "at each time; one figure per dopant family). Table: window.tsv in %s.</p>"
                 % esc(os.path.basename(a.window_plots.rstrip("/"))))
        for png in sorted(f for f in os.listdir(a.window_plots) if f.endswith(".png")):
            fam = png[len("window_"):-len(".png")]
            p.append("<figure>%s<figcaption>%s films</figcaption></figure>" % (
                img_tag(os.path.join(a.window_plots, png), "window " + fam), esc(fam)))

    fam = os.path.join(a.plotdir, "families.tsv")
    if os.path.exists(fam):
        p.append(families_table(fam))

    with tempfile.TemporaryDirectory() as tmpdir:
        sec = sobol_section(a.sobol, a.sobol_families, a.ensemble_table, tmpdir)
    if sec:
        p.append(sec)

    p.append("<h2>Top candidates</h2>")
    p.append(tsv_table(os.path.join(a.plotdir, "top.tsv"),
                       seed.get("rank") if seed else None))

    p.append("<h2>How the ranking works</h2><p>Objectives (both maximised): "
             "log<sub>10</sub>(&rho;<sub>300 K, pristine</sub>/&rho;<sub>300 K, reduced</sub>) "
             "and M(300 K, 1 T) of the reduced film, counted only when the film is "
             "superparamagnetic at 300 K. Constraints: structure (gen's feasible flag, "
             "Goldschmidt t window, Bartel &tau;), process window (anneal temperature and "
             "time), ratio &ge; 10<sup>%g</sup>, superparamagnetic with a magnetic contrast of "
             "at least %g over the pristine film. Pareto rank by constrained non-dominated "
             "sorting (fewer violated constraints first), then the score (weighted sum of the "
             "normalised objectives minus a penalty per violated constraint). Parameters "
             "used:</p>" % (s["params"]["min_log10_rho_ratio"],
                            s["params"]["min_M_contrast"]))
    p.append(params_table(nc))
    cfg = None
    if a.config:
        with open(a.config) as f:
            cfg = json.load(f)
    elif a.config_json:
        cfg = json.loads(a.config_json)
    if cfg is not None:
        p.append("<h2>Workflow configuration</h2><pre>%s</pre>" %
                 esc(json.dumps(cfg, indent=1, sort_keys=True)))
    p.append("<h2>Provenance</h2><pre>%s</pre>" % esc(history))
    p.append("</body></html>\n")
    nc.close()

    if os.path.exists(a.out) and not os.path.isfile(a.out):
        # a device or FIFO: write into it (renaming over it would replace the device)
        with open(a.out, "w", encoding="utf-8") as f:
            f.write("\n".join(p))
        return 0
    tmp = a.out + ".tmp%d" % os.getpid()
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("\n".join(p))
        os.replace(tmp, a.out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
