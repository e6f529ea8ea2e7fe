/* exsol-magnet: magnetisation of every candidate before and after the reducing anneal
 * (libcore/physics/magnet.c). Reads the gen + reduce variables, adds the magnet
 * variables of docs/schema.md (libcore/schema/magnet.csv); the stage is
 * libcore/stages/magnet.c. */
#include "exsol/cli.h"
#include "exsol/stage.h"

static const char usage_text[] =
    "Usage: exsol-magnet [options] [INPUT]\n"
    "\n"
    "Adds, for every candidate, the magnetisation of the pristine film (Curie\n"
    "paramagnetism of the dissolved dopant ions + host diamagnetism) and of the reduced\n"
    "film (exsolved metal nanoparticles of both populations + ions left in the lattice +\n"
    "host): M_300K_1T_pristine, M_300K_1T_reduced, M_5K_1T_reduced (A/m of film),\n"
    "T_B_median, T_B_p90 (K, moment-weighted blocking-temperature distribution),\n"
    "Hc_5K, Hc_300K, Mr_5K (A/m), T_interaction (K, dipolar mean field),\n"
    "Ms_particles_0K (A/m), M_sat_300K_reduced, M_sat_300K_pristine (saturating 300 K\n"
    "components after a linear high-field background), Mr_300K (A/m),\n"
    "m_sat_300K_per_area (A), multidomain_fraction, spm_300K_reduced (verdict), the loops\n"
    "M_H_300K_reduced, M_H_5K_reduced, M_H_300K_pristine on `field` (T, mu0 H; the\n"
    "descending branch, ascending = -M(-H)) and M_ZFC, M_FC on `temperature_zfc` (K),\n"
    "magnet_status and magnet_reason.\n"
    "Physics: surface particles are the caps reduce grew (cap_volume_factor per row),\n"
    "buried ones spheres; moments from the metal's M_s(T) (Kuz'min form) with the\n"
    "metal's dead layer (as reduced or air_exposed) and a finite-size T_C; barrier from\n"
    "the metal's anisotropy (|K1|V/12, K1 V/4 or K_u V) plus a size term fitted on that\n"
    "metal's data (metals.csv); multi-domain above the single-domain diameter;\n"
    "Neel-Brown blocking at tau_m; Langevin above and Stoner-Wohlfarth (random axes,\n"
    "thermally activated) below blocking; dipolar mean-field T*; two-state ZFC/FC.\n"
    "Verdict (film magnetometry): M_sat_300K_reduced > 0 and >= spm_contrast_min x\n"
    "|M_sat_300K_pristine|, m_sat_300K_per_area >= spm_moment_min, Hc_300K <\n"
    "spm_Hc_max, |Mr_300K| <= spm_Mr_ratio_max x M_sat_300K_reduced, T_B_p90 <\n"
    "spm_TB_max. Constants: datasets/metals.csv; parameters:\n"
    "datasets/magnet-parameters.csv (override with --set NAME=VALUE, e.g.\n"
    "--set tau_m=1e-3 for AC susceptometry, --set air_exposed=1).\n"
    "INPUT is exsol-reduce output ('-' = stdin, the default); it must hold dopant,\n"
    "dopant_fraction, thickness, cap_volume_factor, reduce_status, radius_bin,\n"
    "surface_size_distribution and buried_size_distribution, and\n"
    "dopant_fraction_lattice or exsolved_fraction (dopant_valence and\n"
    "dopant_valence_anneal are optional). Rows whose reduce_status is not 0 get\n"
    "magnet_status 3; a dopant without data in metals.csv gets status 2; a\n"
    "non-magnetic metal (Cu, Pd, Ru, ...) gives no particle moment (status 0, spm 0).\n"
    "\n"
    "Example:\n"
    "  exsol-gen --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h |\n"
    "      exsol-reduce | exsol-magnet |\n"
    "      exsol-table -v "
    "formula,M_300K_1T_pristine,M_300K_1T_reduced,T_B_p90,spm_300K_reduced -\n"
    "\n"
    "Options: only the common ones.\n";
static const struct exsol_cli_tool tool = {
    .prog = "exsol-magnet", .stages = "magnet", .usage = usage_text};

int main(int argc, char **argv)
{
    return exsol_cli_stage_main(&tool, &exsol_stage_magnet, NULL, argc, argv);
}
