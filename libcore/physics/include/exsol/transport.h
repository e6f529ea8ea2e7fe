/* Electronic transport of a doped titanate film before and after exsolution
 * (defects-and-transport.md §2.4, §3, §4): carriers from the frozen-cation defect
 * chemistry (exsol/defects.h), mobility from LO-phonon, acoustic, ionised-impurity
 * and residual scattering (Matthiessen), ρ(T) on a grid, Mott and Ioffe–Regel
 * regime tests, hopping conduction of compensated films, and a Bruggeman effective
 * medium for the exsolved metal particles.
 *
 * Units: SI throughout (m⁻³, m² V⁻¹ s⁻¹, Ω m, K). Lattice quantities are per
 * formula unit (one B site). Pure functions of plain structs; thread-safe once the
 * model is built. */
#ifndef EXSOL_TRANSPORT_H
#define EXSOL_TRANSPORT_H

#include "exsol/defects.h"
#include "exsol/params.h"

#include <stddef.h>

struct exsol_transport_params {
    double barrett_A, barrett_M_K, barrett_T0_K, barrett_T1_K; /* ε(T) */
    double m_cond;                                             /* conductivity mass / m0 */
    double g_valley;
    double mu_LO0_m2; /* μ_LO = μ_LO0 (exp(Θ/T) − 1) */
    double theta_LO_K;
    double mu_ac_ref_m2; /* μ_ac = μ_ac_ref T_ac_ref/T */
    double T_ac_ref_K;
    double mu_res_ref_m2; /* μ_res = μ_res_ref N_res_ref/N_defect */
    double N_res_ref_m3;
    double E_comp_J;       /* activation of band electrons in a compensated film */
    double sigma_hop0_S_m; /* Efros–Shklovskii hopping prefactor */
    double xi_loc_m;
    double beta_ES;
    double mott_const, mott_margin, eta_metal, kFl_min;
    double rho_Ni_ohm_m;
    double T_meas_K, T_min_K, T_max_K;
    int n_temperature;
    double switch_decades;
    double mu_hole_m2; /* hole drift mobility (O 2p band), T-independent */
};

/* Fills *tp from a registry holding the "transport" parameters. */
int exsol_transport_params_from(const exsol_params *p, struct exsol_transport_params *tp,
                                char *err, size_t errlen);

/* ---- building blocks (mobility.c) -------------------------------------- */

/* Barrett permittivity ε_r(T) = A + M / ((T1/2) coth(T1/2T) − T0). */
double exsol_barrett_eps(const struct exsol_transport_params *tp, double T_K);
/* Lattice-limited mobility (LO and acoustic phonons, Matthiessen), m²/(V s). */
double exsol_mobility_lattice(const struct exsol_transport_params *tp, double T_K);
/* Screened ionised-impurity (Brooks–Herring, Fermi–Dirac averaged) mobility.
 * NZ2_m3 = Σ N_i Z_i², eps_r the static permittivity, n_m3 and eta the electrons
 * (they screen). m²/(V s). */
double exsol_mobility_ii(const struct exsol_transport_params *tp, double T_K, double eps_r,
                         double n_m3, double eta, double NZ2_m3);
/* The same with F_1/2(η) and F_−1/2(η) supplied by a caller that has them. */
double exsol_mobility_ii_f(const struct exsol_transport_params *tp, double T_K, double eps_r,
                           double n_m3, double eta, double F12, double Fm12, double NZ2_m3);
/* Symmetric 3D Bruggeman: Σ f_i (σ_i − σ_e)/(σ_i + 2σ_e) = 0 for two phases. */
double exsol_emt_bruggeman(double sigma_matrix, double sigma_incl, double f_incl);
/* Maxwell–Garnett for spheres in a matrix. */
double exsol_emt_maxwell_garnett(double sigma_matrix, double sigma_incl, double f_incl);
/* Mott density n_c = (mott_const/a_B*)³, a_B* = a0 ε_r/m (m⁻³). */
double exsol_mott_density(const struct exsol_transport_params *tp, double eps_r, double m);

/* ---- one film state ----------------------------------------------------- */

typedef struct exsol_transport_model exsol_transport_model;

/* Precomputes the temperature grid and every temperature-only term.
 * Copies both parameter sets. */
int exsol_transport_model_create(const struct exsol_transport_params *tp,
                                 const struct exsol_defect_params *dp,
                                 exsol_transport_model **out);
void exsol_transport_model_free(exsol_transport_model *m); /* accepts NULL */
size_t exsol_transport_ntemp(const exsol_transport_model *m);
const double *exsol_transport_temps(const exsol_transport_model *m); /* K */

/* A film: cations per f.u., frozen δ, and the metal volume fraction. */
struct exsol_film {
    struct exsol_lattice lat;
    double delta;
    double metal_fraction;
};

/* Properties of a film at one temperature. */
struct exsol_film_point {
    double n_m3; /* band electrons (defect solve + thermal from compensation) */
    double p_m3;
    double eta;   /* (E_F − E_c)/kT of n_m3 */
    double mu_m2; /* electron mobility */
    double sigma_band_S_m, sigma_hop_S_m, sigma_host_S_m, sigma_eff_S_m;
    double rho_ohm_m; /* 1/σ_eff */
    double eps_r, n_mott_m3, kFl;
};

/* Evaluates a film at temperature T. Returns EXSOL_ESOLVER if the defect solve
 * fails, EXSOL_EVALUE for unphysical input. */
int exsol_transport_film_at(const exsol_transport_model *m, const struct exsol_film *film,
                            double T_K, struct exsol_film_point *pt);

/* ---- one candidate (pristine and reduced) ------------------------------- */

struct exsol_transport_in {
    double x, a, z, v; /* as-grown cations per f.u., dopant valence */
    double delta_asgrown;
    double f_exsolved;     /* fraction of the dopant that left the lattice */
    double delta_reduced;  /* δ′ per f.u. of the renormalised host */
    double metal_fraction; /* volume fraction of exsolved metal */
    double v_anneal;       /* dissolved dopant's valence in the reduced film (frozen at the
                              anneal, exsol-reduce's dopant_valence_anneal); not finite or
                              <= 0: v */
    double y;              /* fixed B-site donors (Nb5+, Ta5+; gen's B_donor_fraction) */
};

struct exsol_transport_out {
    double n_pristine_m3, n_reduced_m3, eta_pristine, eta_reduced;
    double mu_pristine_m2, mu_reduced_m2;
    double rho_300K_pristine, rho_300K_reduced, log10_rho_ratio;
    double kFl_reduced, n_mott_m3;
    double p_pristine_m3, p_reduced_m3; /* holes at T_meas */
    int insulating_pristine, metallic_reduced;
    int p_type_reduced; /* holes outnumber electrons in the reduced film */
    int drho_dT_sign_pristine, drho_dT_sign_reduced;
};

/* Both states at T_meas plus ρ(T) on the grid (rho_T_* may be NULL; otherwise
 * exsol_transport_ntemp() values each). Scalars are evaluated at T_meas. On error
 * writes a one-line reason. */
int exsol_transport_candidate(const exsol_transport_model *m,
                              const struct exsol_transport_in *in,
                              struct exsol_transport_out *out, double *rho_T_pristine,
                              double *rho_T_reduced, char *reason, size_t reasonlen);

/* ρ at T_meas of a reduced state (for switching times along a trajectory). */
int exsol_transport_rho_reduced(const exsol_transport_model *m,
                                const struct exsol_transport_in *in, double *rho_ohm_m);

/* How t_switch_transport is to be read (the t_switch_bound flag). */
enum {
    EXSOL_TSWITCH_EXACT = 0,       /* interpolated between two samples */
    EXSOL_TSWITCH_UPPER_BOUND = 1, /* already switched at the first sample: t <= value */
    EXSOL_TSWITCH_NOT_REACHED = 2  /* never within the anneal: value NaN */
};

/* Switching time along a reduce trajectory: the first anneal time (s) at which
 * log10(rho_pristine / ρ_reduced) reaches `decades`, interpolated linearly in the
 * log10 ratio against log time between trajectory points (the samples are
 * log-spaced), with *bound saying whether it is exact, an upper bound (switched at the
 * first sample) or not reached (NaN). Point j of the trajectory is
 * at time_frac[j] t_anneal_s with exsolved fraction f_t[j] (clamped to [0, 1]) and
 * δ delta_t[j]; the metal volume fraction scales with f from the final state `in`.
 * Points that are not finite, or whose ρ cannot be evaluated, are skipped. */
/* The anneal of a trajectory (exsol-reduce's T_anneal and pO2_gas), for δ_eq(f)
 * between samples; NULL or non-finite members: δ is interpolated alone. */
struct exsol_switch_anneal {
    double T_K, pO2_Pa;
};
double exsol_transport_switch_time(const exsol_transport_model *m,
                                   const struct exsol_transport_in *in, double rho_pristine,
                                   const double *time_frac, const double *f_t,
                                   const double *delta_t, size_t ntime, double t_anneal_s,
                                   double decades, const struct exsol_switch_anneal *anneal,
                                   int *bound);

#endif
