/* exsol-gen: candidate films (composition × anneal conditions) as a NetCDF table.
 * Usage text and options only; the staging and the rows are libcore/stages/gen.c,
 * the physics libcore/physics/composition.c and grid.c, the schema
 * libcore/schema/gen.csv. */
#include "exsol/cli.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/msg.h"
#include "exsol/stage.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "Usage: exsol-gen [options] (--composition FORMULA | --grid FILE) --temperature T --time "
    "t\n"
    "\n"
    "Writes one row per candidate film: every composition (from --composition and/or the\n"
    "grid file) crossed with every anneal temperature, time, H2 and H2O partial pressure\n"
    "and film thickness. Per row: formula, host (the host perovskite of datasets/hosts.csv\n"
    "it is written in: the one whose A cation is the largest A-site fraction, or the grid\n"
    "key host), site fractions, A-site vacancy a, fixed B-site donors (Nb5+, Ta5+),\n"
    "as-grown oxygen deficiency delta from charge neutrality (or the net donor excess when\n"
    "delta = 0 cannot compensate the cations), Goldschmidt t (r_A averaged over occupied A\n"
    "sites; also with vacancies as r = 0), Bartel tau, the process conditions in SI, and a\n"
    "feasibility flag (t outside [t_min, t_max], t with vacancies below t_min, tau >=\n"
    "tau_max, A-site vacancy above a_max, delta above delta_max, no Ti on the B site)\n"
    "with its reason.\n"
    "\n"
    "Compositions:\n"
    "  -c, --composition F  formula, e.g. La0.2Sr0.7Ni0.1Ti0.9O3 (repeatable; O3-d and\n"
    "                       O3-δ accepted; missing A-site occupancy = A-site vacancy;\n"
    "                       B-site fractions must sum to 1; one dopant besides Ti)\n"
    "  -g, --grid FILE      grid file (key = value; see the README or exsol/grid.h):\n"
    "                       A_donor, A_host, x_donor, A_vacancy, dopant,\n"
    "                       dopant_fraction, include_formula, valence, and the process\n"
    "                       keys temperature, time, h2, h2o, thickness, substrate,\n"
    "                       strain\n"
    "  --valence EL=V       oxidation state of an element (repeatable, e.g. Ni=3);\n"
    "                       defaults from datasets/elements.csv (Ni 2, Co 2, Fe 3, Cu 2,\n"
    "                       Mn 3, Ru 4, Nb 5); overrides the grid's valence lines\n"
    "Anneal (each: a value, a list a,b,c or a range start:stop:step, units required;\n"
    "a flag overrides the grid file's key):\n"
    "  --temperature T      e.g. 550C, 823.15K, 500C:900C:50C       (required)\n"
    "  --time t             e.g. 5h, 30min, 3600s, 1h,5h,20h          (required)\n"
    "  --h2 P               H2 partial pressure: 5%, 0.05bar, 5066Pa  (default 5%)\n"
    "  --h2o P              H2O partial pressure                      (default 3%)\n"
    "  --thickness L        film thickness: 30nm, 0.1um               (default 30nm)\n"
    "                       % and ppm are fractions of p_total (gen parameter, 1 atm)\n"
    "Epitaxial strain (a list sweeps it; without either the film is strain-free):\n"
    "  --substrate S        substrate(s) of datasets/substrates.csv, e.g. LaAlO3,SrTiO3,\n"
    "                       DyScO3 (also NdGaO3, LSAT, GdScO3, KTaO3, MgO): the coherent\n"
    "                       misfit eps = (a_substrate - a_film)/a_film, a_film the\n"
    "                       host's a_lattice (3.905 A); negative = compressive\n"
    "  --strain EPS         the residual in-plane strain directly: -0.01 or -1%\n"
    "                       (not with --substrate). Relaxation above a critical\n"
    "                       thickness is not modelled; reduce adds the elastic term\n"
    "                       (strain_eta, strain_beta) to the exsolution driving force\n"
    "Parameters (datasets/gen-parameters.csv; --set NAME=VALUE): p_total, t_min, t_max,\n"
    "tau_max, a_max, delta_max. Every H2 and H2O value, and their largest sum, must fit\n"
    "in p_total.\n"
    "\n"
    "Rows are ordered composition-major, then temperature, time, H2, H2O, thickness,\n"
    "substrate.\n"
    "Exit status: 0 ok, 1 runtime failure, 2 usage error, 3 invalid input (unknown\n"
    "element, A-site fractions above 1, a value without unit, an empty range...); on\n"
    "error no output file is written and an existing one is left unchanged.\n"
    "\n"
    "Example:\n"
    "  exsol-gen --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h \\\n"
    "            --h2 5% --h2o 3% --thickness 30nm | exsol-table -v formula,delta_asgrown -\n";

enum {
    OPT_TEMPERATURE = 2000,
    OPT_TIME,
    OPT_H2,
    OPT_H2O,
    OPT_THICKNESS,
    OPT_VALENCE,
    OPT_SUBSTRATE,
    OPT_STRAIN
};
static const struct option gen_opts[] = {{"composition", required_argument, 0, 'c'},
                                         {"grid", required_argument, 0, 'g'},
                                         {"temperature", required_argument, 0, OPT_TEMPERATURE},
                                         {"time", required_argument, 0, OPT_TIME},
                                         {"h2", required_argument, 0, OPT_H2},
                                         {"h2o", required_argument, 0, OPT_H2O},
                                         {"thickness", required_argument, 0, OPT_THICKNESS},
                                         {"valence", required_argument, 0, OPT_VALENCE},
                                         {"substrate", required_argument, 0, OPT_SUBSTRATE},
                                         {"strain", required_argument, 0, OPT_STRAIN},
                                         {0, 0, 0, 0}};

struct gen_args {
    struct exsol_cli cli;
    struct exsol_stage_gen_opts o;
};

static int gen_option(void *ctx, int opt, const char *arg)
{
    struct gen_args *a = ctx;
    switch (opt) {
    case 'c':
        a->o.formulas[a->o.n_formulas++] = arg; /* room for argc */
        return 0;
    case 'g':
        if (a->o.grid_path) {
            exsol_error("--grid given twice");
            return 2;
        }
        a->o.grid_path = arg;
        return 0;
    case OPT_VALENCE:
        a->o.valence[a->o.n_valence++] = arg;
        return 0;
    case OPT_SUBSTRATE:
    case OPT_STRAIN: {
        const char **slot = opt == OPT_SUBSTRATE ? &a->o.substrate : &a->o.strain;
        if (*slot) {
            exsol_error("%s given twice (use a list a,b,c)",
                        opt == OPT_SUBSTRATE ? "--substrate" : "--strain");
            return 2;
        }
        *slot = arg;
        return 0;
    }
    case OPT_TEMPERATURE:
    case OPT_TIME:
    case OPT_H2:
    case OPT_H2O:
    case OPT_THICKNESS:
        if (a->o.proc[opt - OPT_TEMPERATURE]) {
            exsol_error("%s given twice (use a list a,b,c or a range a:b:step)",
                        exsol_gen_proc_flag[opt - OPT_TEMPERATURE]);
            return 2;
        }
        a->o.proc[opt - OPT_TEMPERATURE] = arg;
        return 0;
    default:
        return EXSOL_CLI_NOT_MINE;
    }
}

static const struct exsol_cli_tool tool = {.prog = "exsol-gen",
                                           .stages = "gen",
                                           .usage = usage_text,
                                           .options = gen_opts,
                                           .shortopts = "c:g:",
                                           .option = gen_option,
                                           .flags = EXSOL_CLI_NO_INPUT};

int main(int argc, char **argv)
{
    struct gen_args a;
    exsol_gen *g = NULL;
    struct exsol_out_opts oo;
    char err[1024] = "";
    int rc, status = 0;

    memset(&a, 0, sizeof a);
    exsol_msg_init("exsol-gen");
    if (argc < 2) {
        exsol_error("no arguments: give --composition FORMULA or --grid FILE and the anneal "
                    "(see --help)");
        return 2;
    }
    if (!(a.o.formulas = calloc((size_t)argc, sizeof *a.o.formulas)) ||
        !(a.o.valence = calloc((size_t)argc, sizeof *a.o.valence))) {
        exsol_error("out of memory");
        status = 1;
        goto cleanup;
    }
    if (exsol_cli_start(&a.cli, &tool, argc, argv, &a) == EXSOL_CLI_EXIT) {
        status = a.cli.exit_code;
        goto cleanup;
    }
    exsol_cli_out_opts(&a.cli, argc, argv, &oo, "exsol candidate films");
    if ((rc = exsol_gen_create(&g, a.cli.params, &a.o, &exsol_cli_notes, err, sizeof err)) ||
        (rc = exsol_gen_write(g, a.cli.output, &oo, a.cli.params, err, sizeof err))) {
        exsol_error("%s", err);
        status = exsol_exit_code(rc);
        goto cleanup;
    }
cleanup:
    exsol_gen_free(g);
    free(a.o.formulas);
    free(a.o.valence);
    exsol_cli_release(&a.cli);
    return status;
}
