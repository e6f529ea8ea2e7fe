# exsol screening workflow: the same chain as the pipe
#   exsol-gen | exsol-reduce | exsol-transport | exsol-magnet | exsol-rank
# but sharded, resumable, with plots and a self-contained HTML report:
#   gen -> split into shards -> per shard reduce -> transport -> magnet
#       -> rank (of all shards, written as one file) -> plots -> report
#
# Run (system interpreter; it has snakemake, matplotlib and netCDF4):
#   /usr/bin/python3 -m snakemake --cores 2                      # recipes/config.yaml
#   /usr/bin/python3 -m snakemake --cores 2 --config shards=8 grid=my.cfg
#   /usr/bin/python3 -m snakemake --profile recipes/profiles/slurm   # SLURM cluster
# A killed run resumes where it stopped (README, "Resuming a killed run"): after a hard
# kill (kill -9, power loss, a lost login node) run the same command once with
# --unlock, then again with --rerun-incomplete. Every tool writes to a temporary name
# and renames on success, so each output is complete or absent.
import csv
import json
import os
import shlex

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate


configfile: os.path.join(workflow.basedir, "recipes", "config.yaml")


# The merged configuration (config.yaml, --configfile, --config) is checked before any
# job runs: unknown keys, types and ranges by the schema, the --set names by the
# parameter tables the tools read.
validate(config, os.path.join(workflow.basedir, "recipes", "config.schema.yaml"))

# The parameter tables each tool loads (exsol-reduce and exsol-transport also take the
# defect-chemistry parameters); the names in their first column are what --set accepts.
STAGE_TABLES = {
    "gen": ["gen"],
    "reduce": ["reduce", "defects"],
    "transport": ["transport", "defects"],
    "magnet": ["magnet"],
    "rank": ["rank"],
}


def parameter_names(stage):
    names = []
    for table in STAGE_TABLES[stage]:
        path = os.path.join(workflow.basedir, "datasets", "%s-parameters.csv" % table)
        with open(path, newline="") as f:
            rows = csv.reader(line for line in f if line.strip() and not line.startswith("#"))
            header = next(rows)
            col = header.index("name")
            names += [r[col] for r in rows if len(r) > col and r[col]]
    return names


for _stage, _sets in sorted((config.get("set") or {}).items()):
    _known = parameter_names(_stage)
    _bad = sorted(set(_sets or {}) - set(_known))
    if _bad:
        raise WorkflowError(
            "config set.%s: unknown parameter%s %s for exsol-%s; valid names "
            "(datasets/%s): %s"
            % (
                _stage,
                "s" if len(_bad) > 1 else "",
                ", ".join(_bad),
                _stage,
                ", ".join("%s-parameters.csv" % t for t in STAGE_TABLES[_stage]),
                ", ".join(_known),
            )
        )


def _path(p):
    """Relative paths in the config are relative to the repository (the Snakefile)."""
    p = str(p)
    return p if os.path.isabs(p) else os.path.join(workflow.basedir, p)


BIN = _path(config.get("bin", "build/bin"))
PY = config.get("python", "/usr/bin/python3")
SCRIPTS = os.path.join(workflow.basedir, "recipes", "scripts")
OUT = config.get("results", "results")
NSHARDS = int(config.get("shards", 4))
SHARDS = ["%03d" % i for i in range(NSHARDS)]
GRID = _path(config["grid"])
THREADS = config.get("threads", {}) or {}
SEED = config.get("seed", {}) or {}
PLOTS = config.get("plots", {}) or {}
RANK = config.get("rank", {}) or {}
WINDOW = config.get("window", {}) or {}
ENSEMBLE = config.get("ensemble", {}) or {}

# NCO, ncdump and the Python scripts read the zstd-compressed files through the
# project's HDF5 plugin; shell jobs (also on cluster nodes) inherit this.
os.environ["HDF5_PLUGIN_PATH"] = _path(config.get("hdf5_plugin_path", "build/hdf5-plugin"))
# The SLURM profile writes the cluster jobs' logs here (it reads the variable, so the
# logs follow the `results` setting).
os.environ["EXSOL_SLURM_LOGS"] = os.path.join(OUT, "logs", "slurm")


def stage_opts(stage):
    """--set NAME=VALUE for every override under set.<stage>, plus --params FILE."""
    sets = (config.get("set") or {}).get(stage) or {}
    opts = ["--set %s" % shlex.quote("%s=%s" % (k, v)) for k, v in sets.items()]
    pfile = (config.get("params_file") or {}).get(stage)
    if pfile:
        opts.append("--params %s" % shlex.quote(_path(pfile)))
    return " ".join(opts)


def threads_of(stage):
    return int(THREADS.get(stage, 1))


localrules:
    all,
    window,
    probabilistic,


rule all:
    input:
        OUT + "/report.html",
        OUT + "/ranking.tsv",


rule gen:
    input:
        grid=GRID,
    output:
        OUT + "/candidates.nc",
    log:
        OUT + "/logs/gen.log",
    benchmark:
        OUT + "/benchmarks/gen.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        extra=config.get("gen_args", ""),
        opts=stage_opts("gen"),
    shell:
        "{BIN}/exsol-gen --grid {input.grid} {params.extra} {params.opts} -o {output} 2> {log}"


rule split:
    input:
        OUT + "/candidates.nc",
    output:
        expand(OUT + "/shards/{shard}.gen.nc", shard=SHARDS),
    log:
        OUT + "/logs/split.log",
    benchmark:
        OUT + "/benchmarks/split.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    shell:
        "{PY} {SCRIPTS}/split.py {input} {output} 2> {log}"


rule reduce:
    input:
        OUT + "/shards/{shard}.gen.nc",
    output:
        temp(OUT + "/shards/{shard}.reduce.nc"),
    log:
        OUT + "/logs/reduce.{shard}.log",
    benchmark:
        OUT + "/benchmarks/reduce.{shard}.tsv"
    group:
        "shard"
    threads: threads_of("reduce")
    resources:
        mem_mb=2000,
        runtime=120,
    params:
        opts=stage_opts("reduce"),
    shell:
        "{BIN}/exsol-reduce --threads {threads} {params.opts} -o {output} {input} 2> {log}"


rule transport:
    input:
        OUT + "/shards/{shard}.reduce.nc",
    output:
        temp(OUT + "/shards/{shard}.transport.nc"),
    log:
        OUT + "/logs/transport.{shard}.log",
    benchmark:
        OUT + "/benchmarks/transport.{shard}.tsv"
    group:
        "shard"
    threads: threads_of("transport")
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        opts=stage_opts("transport"),
    shell:
        "{BIN}/exsol-transport --threads {threads} {params.opts} -o {output} {input} 2> {log}"


rule magnet:
    input:
        OUT + "/shards/{shard}.transport.nc",
    output:
        OUT + "/shards/{shard}.magnet.nc",
    log:
        OUT + "/logs/magnet.{shard}.log",
    benchmark:
        OUT + "/benchmarks/magnet.{shard}.tsv"
    group:
        "shard"
    threads: threads_of("magnet")
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        opts=stage_opts("magnet"),
    shell:
        "{BIN}/exsol-magnet --threads {threads} {params.opts} -o {output} {input} 2> {log}"


# exsol-rank reads the shards in order and writes their concatenation with the rank
# variables: one copy of the data, not a merged file and then a ranked copy of it
# (bench_chain on 117,504 candidates: the merge job was 3.5 of ~100 s).
rule rank:
    input:
        expand(OUT + "/shards/{shard}.magnet.nc", shard=SHARDS),
    output:
        nc=OUT + "/ranking.nc",
        tsv=OUT + "/ranking.tsv",
    log:
        OUT + "/logs/rank.log",
    benchmark:
        OUT + "/benchmarks/rank.tsv"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        opts=stage_opts("rank"),
        top=int(RANK.get("top", 0)),
        columns=("--columns " + shlex.quote(RANK["columns"])) if RANK.get("columns") else "",
    shell:
        "{BIN}/exsol-rank {params.opts} --top {params.top} {params.columns} "
        "-o {output.nc} --tsv {output.tsv} {input} 2> {log}"


rule plots:
    input:
        OUT + "/ranking.nc",
    output:
        directory(OUT + "/plots"),
    log:
        OUT + "/logs/plots.log",
    benchmark:
        OUT + "/benchmarks/plots.tsv"
    threads: 2  # two drawing processes (Snakemake lowers it to --cores)
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        seed="--seed-formula %s --seed-T-K %s --seed-t-s %s" % (
            shlex.quote(str(SEED.get("formula", ""))),
            float(SEED.get("T_anneal_K", 0)),
            float(SEED.get("t_anneal_s", 0)),
        ),
        curves=int(PLOTS.get("curves", 4)),
        table=int(PLOTS.get("table", 20)),
    shell:
        "{PY} {SCRIPTS}/plots.py {input} {output} {params.seed} --curves {params.curves} "
        "--table {params.table} --jobs {threads} 2> {log}"


# Optional target (not in `all`): per film of the candidates, the anneal window in T
# and t (exsol-window; its ranges and tolerances in window.args), and a T-t plot per
# composition family. `snakemake window`; window.in_report: true also puts the plots
# into the report.
rule window:
    input:
        OUT + "/window.nc",
        OUT + "/window_plots",


rule window_search:
    input:
        OUT + "/candidates.nc",
    output:
        OUT + "/window.nc",
    log:
        OUT + "/logs/window.log",
    benchmark:
        OUT + "/benchmarks/window.tsv"
    threads: threads_of("window")
    resources:
        mem_mb=2000,
        runtime=240,
    params:
        args=WINDOW.get("args", ""),
        opts=" ".join(stage_opts(s) for s in ("reduce", "transport", "magnet", "rank")),
    shell:
        "{BIN}/exsol-window --threads {threads} {params.args} {params.opts} -o {output} "
        "{input} 2> {log}"


rule window_plots:
    input:
        OUT + "/window.nc",
    output:
        directory(OUT + "/window_plots"),
    log:
        OUT + "/logs/window_plots.log",
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    shell:
        "{PY} {SCRIPTS}/window_plots.py {input} {output} 2> {log}"


# ensemble.sobol: true makes the ensemble Saltelli's design and writes the Sobol
# tables per candidate (ensemble_sobol.tsv) and per family
# (ensemble_sobol_families.tsv); the report shows them once they exist.
SOBOL = bool(ENSEMBLE.get("sobol"))
SOBOL_OUT = {
    "sobol": OUT + "/ensemble_sobol.tsv",
    "sobol_families": OUT + "/ensemble_sobol_families.tsv",
}
SOBOL_FILES = list(SOBOL_OUT.values()) if SOBOL else []


# Optional target (not in `all`): the probabilistic screen. Every candidate under the
# ensemble's members (exsol-ensemble: members drawn from the priors, or ensemble.file),
# one run over the whole grid so the members are common to all candidates and the
# ranking on probability (pareto_front_P, rank_P) is global; ranking_P.tsv is the same
# table sorted by rank_P; ensemble_plots/ the P(dual) map over composition x anneal
# and P against the median objective with their intervals. `snakemake probabilistic`.
rule probabilistic:
    input:
        OUT + "/ensemble.tsv",
        OUT + "/ensemble.nc",
        OUT + "/ranking_P.tsv",
        OUT + "/ensemble_plots",
        SOBOL_FILES,


def ensemble_sobol_opts(wildcards, output):
    if not SOBOL:
        return ""
    opts = "--sobol %s --sobol-families %s" % (
        shlex.quote(output.sobol),
        shlex.quote(output.sobol_families),
    )
    if ENSEMBLE.get("sobol_params"):
        opts += " --sobol-params %s" % shlex.quote(str(ENSEMBLE["sobol_params"]))
    if ENSEMBLE.get("sobol_family"):
        opts += " --sobol-family %s" % shlex.quote(str(ENSEMBLE["sobol_family"]))
    return opts


def ensemble_members_opts():
    if ENSEMBLE.get("file"):
        return "--ensemble %s" % shlex.quote(_path(ENSEMBLE["file"]))
    return "--members %d --seed %d" % (
        int(ENSEMBLE.get("members", 64)),
        int(ENSEMBLE.get("seed", 1)),
    )


rule ensemble:
    input:
        OUT + "/candidates.nc",
    output:
        table=OUT + "/ensemble.tsv",
        nc=OUT + "/ensemble.nc",
        **(SOBOL_OUT if SOBOL else {}),
    log:
        OUT + "/logs/ensemble.log",
    benchmark:
        OUT + "/benchmarks/ensemble.tsv"
    threads: threads_of("ensemble")
    resources:
        mem_mb=4000,
        runtime=720,
    params:
        members=ensemble_members_opts(),
        args=ENSEMBLE.get("args", ""),
        opts=" ".join(stage_opts(s) for s in ("reduce", "transport", "magnet", "rank")),
        sobol=ensemble_sobol_opts,
    shell:
        "{BIN}/exsol-ensemble --threads {threads} {params.members} {params.sobol} "
        "{params.args} {params.opts} --netcdf {output.nc} -o {output.table} {input} 2> {log}"


rule ranking_P:
    input:
        OUT + "/ensemble.tsv",
    output:
        OUT + "/ranking_P.tsv",
    log:
        OUT + "/logs/ranking_P.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    shell:
        "{PY} {SCRIPTS}/sort_tsv.py rank_P {input} {output} 2> {log}"


rule ensemble_plots:
    input:
        table=OUT + "/ensemble.tsv",
        candidates=OUT + "/candidates.nc",
        **({"sobol": SOBOL_OUT["sobol"]} if SOBOL else {}),
    output:
        directory(OUT + "/ensemble_plots"),
    log:
        OUT + "/logs/ensemble_plots.log",
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        sobol=lambda wildcards, input: (
            "--sobol %s" % shlex.quote(input.sobol) if "sobol" in input.keys() else ""
        ),
    shell:
        "{PY} {SCRIPTS}/ensemble_plots.py {input.table} {output} "
        "--candidates {input.candidates} {params.sobol} 2> {log}"


def report_window(wildcards):
    return [OUT + "/window_plots"] if WINDOW.get("in_report") else []


def report_sobol(wildcards):
    """The ensemble's Sobol tables (and its table, for the labels) when they exist:
    `snakemake probabilistic` with ensemble.sobol, then the report shows them."""
    if not all(os.path.exists(f) for f in SOBOL_OUT.values()):
        return {}
    d = dict(SOBOL_OUT)
    d["ensemble"] = OUT + "/ensemble.tsv"
    return d


rule report:
    input:
        unpack(report_sobol),
        plots=OUT + "/plots",
        nc=OUT + "/ranking.nc",
        window=report_window,
    output:
        OUT + "/report.html",
    log:
        OUT + "/logs/report.log",
    benchmark:
        OUT + "/benchmarks/report.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        cfg=shlex.quote(json.dumps(config, sort_keys=True, default=str)),
        title=shlex.quote(config.get("title", "exsol screening report")),
        window=lambda wildcards, input: (
            "--window-plots %s" % shlex.quote(input.window[0]) if input.window else ""
        ),
        sobol=lambda wildcards, input: (
            "--sobol %s --sobol-families %s --ensemble-table %s"
            % tuple(shlex.quote(input[k]) for k in ("sobol", "sobol_families", "ensemble"))
            if "sobol" in input.keys()
            else ""
        ),
    shell:
        "{PY} {SCRIPTS}/report.py {input.plots} {input.nc} {output} "
        "--config-json {params.cfg} --title {params.title} {params.window} "
        "{params.sobol} 2> {log}"
