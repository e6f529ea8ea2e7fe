/* exsol-reduce: the reducing anneal of every candidate — Ellingham driving force,
 * oxygen exchange, KWN nucleation/growth/coarsening of surface and buried metal
 * particles (libcore/physics/reduce.c, kwn.c, ellingham.c). Reads gen output, adds the
 * reduce variables of docs/schema.md (libcore/schema/reduce.csv); the stage is
 * libcore/stages/reduce.c. */
#include "exsol/cli.h"
#include "exsol/stage.h"

static const char usage_text[] =
    "Usage: exsol-reduce [options] [INPUT]\n"
    "\n"
    "Simulates the reducing anneal of every candidate film of INPUT (exsol-gen output;\n"
    "'-' = stdin, the default) and adds: reduce_status/reduce_reason, pO2_gas,\n"
    "pO2_eq_oxide, log10_pO2_margin, x_eq_dopant, D_eff, exsolvable_fraction,\n"
    "exsolved_fraction, delta_reduced, dopant_fraction_lattice, A_vacancy_reduced,\n"
    "A_donor_fraction_reduced, A_B_ratio, surface/buried particle densities and mean\n"
    "diameters, metal_volume_fraction, t_half, t_90, CVODE statistics; size\n"
    "distributions on `radius_bin` (surface per m2, buried per m3) and trajectories on\n"
    "`time` (log-spaced fractions of the anneal).\n"
    "Physics: gas pO2 from H2/H2O (datasets/gas.csv) against the metal / lowest-oxide\n"
    "line (datasets/oxides.csv, Frost 1991, NASA Glenn); the dissolved dopant's valence\n"
    "at the anneal from the oxide couples (dopant_valence_anneal), x_eq =\n"
    "(pO2/pO2_eq)^(v_min/4)/(theta_min host_gamma); room for the metal at a cost (A-site\n"
    "vacancies, A-rich layers at eps_acc), no hard stop; surface-exchange-limited oxygen\n"
    "towards the exact defect equilibrium of\n"
    "the current cations; Kampmann-Wagner population balance of two populations with\n"
    "classical nucleation, Gibbs-Thomson growth and coarsening, integrated with CVODE\n"
    "(BDF, bordered-band Newton solver). Parameters: datasets/reduce-parameters.csv and\n"
    "datasets/defects-parameters.csv (override with --set NAME=VALUE or --params FILE).\n"
    "Size distributions: fixed log bins (kwn_scheme 0, the default) or moving\n"
    "(Lagrangian) size classes, --set kwn_scheme=1.\n"
    "INPUT must hold dopant, dopant_fraction, dopant_valence, A_vacancy,\n"
    "A_donor_fraction, delta_asgrown, T_anneal, t_anneal, p_H2, p_H2O and thickness\n"
    "(exit 3 otherwise); rows with feasible = 0 get reduce_status 4, unphysical rows 2,\n"
    "solver failures 1; the batch always goes on. Rows that differ only in t_anneal\n"
    "share one integration, to the longest anneal (each row gets the bytes it gets\n"
    "alone), so a sweep of anneal times costs about its longest time.\n"
    "\n"
    "Example:\n"
    "  exsol-gen --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h |\n"
    "      exsol-reduce | exsol-table -v formula,exsolved_fraction,surface_particle_density -\n"
    "\n"
    "Options:\n"
    "  --dense-fd           use a dense matrix with CVODE's finite-difference Jacobian\n"
    "                       instead of the structured one (slow; for checking)\n";

enum { OPT_DENSE = 2000 };
static const struct option options[] = {{"dense-fd", no_argument, 0, OPT_DENSE}, {0, 0, 0, 0}};

static int option(void *ctx, int opt, const char *arg)
{
    (void)arg;
    if (opt != OPT_DENSE)
        return EXSOL_CLI_NOT_MINE;
    ((struct exsol_stage_reduce_opts *)ctx)->dense_fd = 1;
    return 0;
}

static const struct exsol_cli_tool tool = {.prog = "exsol-reduce",
                                           .stages = "reduce+defects",
                                           .usage = usage_text,
                                           .options = options,
                                           .option = option};

int main(int argc, char **argv)
{
    struct exsol_stage_reduce_opts opts = {0};
    return exsol_cli_stage_main(&tool, &exsol_stage_reduce, &opts, argc, argv);
}
