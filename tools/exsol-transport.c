/* exsol-transport: carriers, mobility and resistivity of every candidate before and
 * after the reducing anneal (libcore/physics/transport.c, defects.c, mobility.c).
 * Reads the gen + reduce variables, adds the transport variables of docs/schema.md
 * (libcore/schema/transport.csv); the stage is libcore/stages/transport.c. */
#include "exsol/cli.h"
#include "exsol/stage.h"

static const char usage_text[] =
    "Usage: exsol-transport [options] [INPUT]\n"
    "\n"
    "Adds, for the pristine (as-grown) and the reduced (exsolved) film of every\n"
    "candidate: free-electron density n_e_*, reduced Fermi level eta_*, mobility\n"
    "mu_300K_*, resistivity rho_300K_* and rho_T_* on `temperature` (2-400 K),\n"
    "log10_rho_ratio, insulating_pristine (n < Mott density), metallic_reduced\n"
    "(eta >= 3, n >= 10 n_Mott, k_F l > 1), drho_dT_sign_*, kF_l_reduced, n_mott_300K,\n"
    "t_switch_transport, transport_status and transport_reason.\n"
    "Physics: frozen cations, oxygen frozen at the anneal (delta_asgrown, delta_reduced),\n"
    "Fermi-Dirac electrons from neutrality; LO/acoustic/ionised-impurity/residual\n"
    "mobility; activated + Efros-Shklovskii conduction of compensated films; Bruggeman\n"
    "effective medium for the metal particles. Parameters: datasets/transport-parameters.csv\n"
    "and datasets/defects-parameters.csv (override with --set NAME=VALUE).\n"
    "INPUT is exsol-reduce output ('-' = stdin, the default); it must hold\n"
    "A_donor_fraction, A_vacancy, dopant_fraction, dopant_valence, delta_asgrown,\n"
    "reduce_status, exsolved_fraction, delta_reduced and metal_volume_fraction.\n"
    "Rows whose reduce_status is not 0 get transport_status 3.\n"
    "\n"
    "Example:\n"
    "  exsol-gen --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h |\n"
    "      exsol-reduce | exsol-transport |\n"
    "      exsol-table -v formula,rho_300K_pristine,rho_300K_reduced,log10_rho_ratio -\n"
    "\n"
    "Options: only the common ones.\n";
static const struct exsol_cli_tool tool = {
    .prog = "exsol-transport", .stages = "transport+defects", .usage = usage_text};

int main(int argc, char **argv)
{
    return exsol_cli_stage_main(&tool, &exsol_stage_transport, NULL, argc, argv);
}
