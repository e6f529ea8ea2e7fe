/* Reduction and exsolution of one candidate film (kinetics-and-magnetism.md §2–3,
 * defects-and-transport.md §2.4): Ellingham driving force from the H2/H2O gas,
 * the cost of making room for the metal (A-site vacancies, A-rich layers),
 * surface-exchange-limited oxygen towards the defect-chemistry equilibrium of the film's
 * current cations, and the KWN population balance (exsol/kwn.h). Plain structs; no NetCDF, no
 * printing. */
#ifndef EXSOL_REDUCE_H
#define EXSOL_REDUCE_H

#include "exsol/alloy.h"
#include "exsol/defects.h"
#include "exsol/kwn.h"
#include "exsol/params.h"

#include <stddef.h>

/* ---- Ellingham data (ellingham.c) -------------------------------------- */

typedef struct exsol_ellingham exsol_ellingham;

/* Loads datasets/gas.csv, datasets/oxides.csv and the molar volumes of the oxides
 * metals (datasets/metals.csv, property molar_volume). */
int exsol_ellingham_load(exsol_ellingham **out, char *err, size_t errlen);
void exsol_ellingham_free(exsol_ellingham *e); /* accepts NULL */

/* ΔfG°(H2O, g) in J/mol at T (interpolated in T, linear extrapolation outside). */
double exsol_ellingham_dfG_H2O(const exsol_ellingham *e, double T_K);
/* Oxygen partial pressure of an H2/H2O gas at T (atm):
 * pO2 = (pH2O/pH2)² exp(2ΔfG°(H2O)/RT). NaN if pH2 <= 0 or pH2O < 0. */
double exsol_ellingham_pO2_gas_atm(const exsol_ellingham *e, double T_K, double pH2_Pa,
                                   double pH2O_Pa);
/* Equilibrium pO2 (atm) of the metal / lowest-oxide line of `metal` (Ni/NiO, Co/CoO,
 * Fe/Fe0.947O, Cu/Cu2O, Mn/MnO; datasets/oxides.csv, use = metal); EXSOL_EUNKNOWN if the
 * metal has no oxide row, EXSOL_EDATASET if it has no metal line. Also the metal's molar
 * volume (m³/mol, metals.csv) if Vm != NULL; its absence is EXSOL_EDATASET then. */
int exsol_ellingham_pO2_eq_atm(const exsol_ellingham *e, const char *metal, double T_K,
                               double *pO2_atm, double *Vm_m3_mol);

/* Valence of the dissolved dopant at the anneal (breadth-and-uncertainty.md §1.2): a
 * dilute ideal solution of the states v_min .. v_max on the B site, θ_{v+1}/θ_v =
 * (pO2/pO2^{(v,v+1)})^{1/4} from the one-electron couples (γ_v/γ_{v+1} = 1). v_min is the
 * metal line's oxide valence; the as-grown valence plays no part. */
struct exsol_valence_state {
    double v_min, v_max; /* lowest / highest dissolved state with data */
    double v_mean;       /* v̄ = Σ v θ_v */
    double theta_min;    /* θ_{v_min} */
};
int exsol_ellingham_valence(const exsol_ellingham *e, const char *metal, double T_K,
                            double pO2_gas_atm, struct exsol_valence_state *out);

/* x_eq = (pO2_gas/pO2_eq)^{v/4}/γ_host with v = v_min: the lowest-valence dopant per B
 * site in equilibrium with the metal (§3.2, K_f in the numerator). The total dissolved
 * dopant at metal saturation is this divided by θ_{v_min}. */
double exsol_ellingham_x_eq(double pO2_gas_atm, double pO2_eq_atm, double valence,
                            double host_gamma);

/* ---- one candidate (reduce.c) ------------------------------------------ */

/* Per-metal kinetics (reduce-parameters.csv rows NAME_<metal>): host stabilisation
 * and interfacial energy relative to the calibrated Ni values (host_gamma,
 * gamma_interface), an offset to the cation migration energy E_a, and the metal's
 * atomic radius (where classical nucleation stops applying). */
#define EXSOL_REDUCE_MAX_METALS 32
struct exsol_reduce_metal {
    char sym[8];
    double host_gamma_rel, gamma_rel, dEa_J, r_atom_m; /* NaN: row missing */
};

/* Resolved parameters (SI) of a "reduce+defects" registry. */
struct exsol_reduce_model {
    size_t nmetals;
    struct exsol_reduce_metal metal[EXSOL_REDUCE_MAX_METALS];
    double host_gamma, D0_m2_s, Ea_J, gamma_J_m2, N0_surface_m2, N0_buried_m3;
    double wetting_angle_rad, f_buried, k_chem_m_s, incubation_theta;
    double eps_acc_J, d_eps_buried_J, a_ref;   /* room for the metal (exsol/kwn.h) */
    double M_biax_Pa, strain_eta, strain_beta; /* epitaxial strain (exsol/strain.h) */
    double r_detect_m;
    double p_total_Pa; /* total pressure of the anneal gas: p_H2 + p_H2O must fit in it */
    struct exsol_kwn_config kwn;
    struct exsol_defect_params defects;
    const exsol_ellingham *ell; /* not owned */
    /* alloy particles of two dopants (datasets/alloys.csv; not owned; NULL: a film with
     * two dopants is an invalid row), and the solver configuration they run with (kwn
     * with alloy = 1) */
    const exsol_alloys *alloys;
    struct exsol_kwn_config kwn_alloy;
};

int exsol_reduce_model_from(const exsol_params *p, const exsol_ellingham *ell,
                            struct exsol_reduce_model *m, char *err, size_t errlen);

struct exsol_reduce_input {
    const char *dopant; /* element symbol, "none" or "" for an undoped host */
    double z;           /* dopant per B site */
    double valence;     /* dopant oxidation state */
    double a_vac;       /* A-site vacancies per formula unit */
    double x_donor;     /* trivalent A-site cations per formula unit */
    double delta0;      /* as-grown oxygen deficiency */
    double T_K, t_s, pH2_Pa, pH2O_Pa, L_m;
    double strain;      /* in-plane misfit strain of the coherent film (0: strain-free) */
    double y_donor_B;   /* fixed B-site donors (Nb5+, Ta5+), charge-weighted, per f.u. */
    int host_index;     /* which host model the caller runs it with (grouping only) */
    double a_lattice_m; /* the row's (Vegard) lattice parameter, V_fu^(1/3); the caller
                           puts it into the model it runs (grouping only here) */
    /* a second reducible dopant (alloy particles; NULL, "" or "none": none). z and
     * valence are then the first dopant's; the row needs a solver made with
     * m->kwn_alloy (exsol_reduce_input_alloy) */
    const char *dopant2;
    double z2, valence2;
};

/* 1 if the row has a second dopant (runs with an alloy solver). */
int exsol_reduce_input_alloy(const struct exsol_reduce_input *in);

struct exsol_reduce_output {
    int status; /* 0 ok, 1 solver failure, 2 unphysical/invalid row */
    char reason[200];
    double pO2_gas_Pa, pO2_eq_Pa, log10_margin; /* margin = log10(pO2_eq/pO2_gas) */
    double x_eq, D_eff_m2_s;
    double valence_anneal; /* v̄ of the dissolved dopant at the anneal (NaN: no dopant) */
    double exsolvable_fraction, exsolved_fraction, delta_reduced;
    double z_lattice, a_vac_reduced, x_donor_reduced, A_B_ratio;
    double surface_density_m2, surface_mean_diameter_m;
    double buried_density_m3, buried_mean_diameter_m;
    double metal_volume_fraction;
    double t_half_s, t_90_s; /* NaN if not reached */
    /* surface-cap geometry used for the row: volume cap_volume_factor (4π/3) R³,
     * f(θ) = (2 + cos θ)(1 − cos θ)²/4 at contact angle θ */
    double cap_volume_factor, cap_contact_angle_deg;
    double R_crit0_m;            /* critical radius at the start (x̄ = z); NaN if none */
    double strain_dmu_J;         /* elastic term per exsolved dopant (exsol/strain.h) */
    struct exsol_kwn_result kwn; /* trajectories and distributions */
    /* alloy rows (two dopants; else 0 and NaN): exsolved_fraction, z_lattice and
     * metal_volume_fraction are then of both dopants; x_eq, pO2_eq, valence_anneal the
     * first's; these the second's and the split */
    int alloy;
    double pO2_eq2_Pa, x_eq2, D2_m2_s, valence2_anneal;
    double exsolved_fraction1, exsolved_fraction2; /* of z1 and of z2 */
    double surface_x2, buried_x2; /* mole fraction of dopant 2 in the particles (NaN: none) */
    double nucleus_x2_0;          /* of the first nuclei (parallel tangent at x̄_i = z_i) */
};

/* δ_eq(f) of a candidate's current cations (x′, a′, z′ after exsolving f, at its
 * anneal T and pO2_Pa): binds the exact defect equilibrium as p's evaluator
 * (exsol_kwn_problem.delta_eq_fn; p may be NULL). ctx, m and in must outlive p's
 * use. */
struct exsol_reduce_delta_eq {
    const struct exsol_reduce_model *m;
    const struct exsol_reduce_input *in;
    double v; /* the dissolved dopant's valence at the anneal (v̄) */
    double pO2_Pa;
    int undoped;
    double v2; /* alloy rows: the second dopant's v̄ */
};
void exsol_reduce_delta_eq_bind(const struct exsol_reduce_model *m,
                                const struct exsol_reduce_input *in, double v, double pO2_Pa,
                                struct exsol_reduce_delta_eq *ctx, struct exsol_kwn_problem *p);

/* Runs one candidate with a per-thread solver. Returns EXSOL_OK (out->status says
 * how the row went) or EXSOL_ENOMEM. Release out->kwn with
 * exsol_kwn_result_release. */
int exsol_reduce_run(const struct exsol_reduce_model *m, exsol_kwn_solver *solver,
                     const struct exsol_reduce_input *in, struct exsol_reduce_output *out);

/* Whether a row exsolved, as exsol-window's verdict reads it ("no exsolution" is its
 * negation): t_half (half of the exsolvable dopant out of the lattice) reached within the
 * anneal t_s; where reduce leaves t_half empty (NaN: not reached, or a two-dopant row,
 * which has no t_half), at least EXSOL_EXSOLVED_F_MIN of the dopant out. A reporting
 * threshold, not a physics parameter. exsol-fit's "exsolves" hold-out anchors use the
 * same rule. */
#define EXSOL_EXSOLVED_F_MIN 0.05
int exsol_reduce_exsolved(double t_half_s, double exsolved_fraction, double t_s);

/* 1 if two candidates differ at most in their anneal time t_s. */
int exsol_reduce_same_but_time(const struct exsol_reduce_input *a,
                               const struct exsol_reduce_input *b);

/* Runs n candidates that differ only in t_s (exsol_reduce_same_but_time; else
 * EXSOL_EVALUE) on one shared trajectory to the longest anneal
 * (exsol_kwn_solve_multi): out[j] holds the same bytes as exsol_reduce_run of
 * in[j] alone, for about the cost of the longest. */
int exsol_reduce_run_multi(const struct exsol_reduce_model *m, exsol_kwn_solver *solver,
                           const struct exsol_reduce_input *in, size_t n,
                           struct exsol_reduce_output *out);

#endif
