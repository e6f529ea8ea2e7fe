/* Kampmann–Wagner numerical (KWN) population balance for exsolution from a thin
 * film (kinetics-and-magnetism.md §3), integrated with CVODE (BDF + Newton).
 *
 * Two particle populations share one well-mixed solute pool in a film of
 * thickness L: surface (socketed caps, counted per unit area, nucleation barrier
 * scaled by the wetting factor f(θ)) and buried (spheres, per unit volume). Both
 * are reported on the same log-spaced radius bins (exsol_kwn_radius), whatever
 * scheme discretises them (exsol_kwn_config.scheme). The default scheme,
 * "fixedbin", computes on those bins (finite volumes; fluxes with a second-order
 * reconstruction with a smoothed superbee limiter, so LSW coarsening is not
 * accelerated by numerical diffusion as first-order upwinding is, §3.2a).
 *
 * Basis (§3.3): dopant per B site. x0 = z dopant per formula unit, α = V_f.u./V_metal
 * (both molar), x_p = 1 (pure metal). With φ the metal volume per film volume
 * (both populations), the lattice solute is x̄ = (z − αφ)/(1 − αφ) exactly, and the
 * exsolved fraction is f = αφ/z. Growth and nucleation see the dissolved solute x̄
 * against a solubility that includes the cost of making room for the metal
 * (breadth-and-uncertainty.md §2.3): A-site vacancies used up one per exsolved
 * metal (x_V = x_eq a_ref/a′) in parallel with A-rich (Ruddlesden–Popper)
 * accommodation at ε_acc (x_S = x_eq e^{ε_acc/kT}; buried ε_acc − Δε_b).
 *
 * Oxygen: state q̃ = (O per original formula unit) + (v/2)·z·f, which changes only by
 * surface exchange: dq̃/dt = −(1 − fz)(k_chem/L)(δ_eq(f) − δ′), with
 * δ′ = 3 − (q̃ − (v/2) z f)/(1 − fz) per formula unit of the renormalised host
 * (defects-and-transport.md §2.4): each exsolved dopant takes v/2 O with it.
 *
 * Linear algebra (fixedbin): the Jacobian is a 5-band advection block per population plus a
 * rank-one coupling through φ (all growth rates and the nucleation rate depend
 * on the solute), plus a dense oxygen row. A custom SUNLinearSolver factors the
 * pentadiagonal band (its own LU, no pivoting), applies the rank-one term by
 * Sherman–Morrison and the oxygen row by block elimination: O(N) per solve. The
 * Newton matrix lives in a compact 5-band SUNMatrix, and the serial N_Vector
 * kernels are replaced by optimised ones with the library's arithmetic (the
 * distribution's SUNDIALS is built without optimisation). A dense
 * finite-difference path (CVODE's internal difference quotients) is kept to
 * check against.
 *
 * A solver object holds one SUNContext and one CVODE memory; create one per
 * thread and reuse it (CVodeReInit) for many problems. */
#ifndef EXSOL_KWN_H
#define EXSOL_KWN_H

#include <stddef.h>

struct exsol_kwn_config {
    size_t nbins;            /* radius bins per population (>= 10) */
    double r_min_m;          /* lower edge of the grid */
    double r_max_m;          /* upper edge of the grid */
    double rtol;             /* CVODE relative tolerance */
    double atol_bins;        /* absolute tolerance on bin populations, particles m-2
                                (buried: per film area, i.e. N_b·L) */
    double atol_oxygen;      /* absolute tolerance on the oxygen state (per f.u.) */
    double atol_phi;         /* absolute tolerance on the metal volume fraction held by
                                one bin (the tighter of this and atol_bins applies) */
    double atol_pop_rel;     /* > 0: the bins' absolute tolerance follows the state: per
                                bin atol_pop_rel times its population's particles, between
                                atol_bins_floor and the static tolerance above (schemes
                                with a state_atol hook); 0: the static tolerance only */
    double atol_bins_floor;  /* lower bound of that tolerance, particles m-2 per bin */
    double limiter_noise;    /* fixedbin with atol_pop_rel: the slope limiter fades out where
                                a bin's gradients are below this many times its tolerance
                                (per radius, over the centre spacing); 0: never */
    long max_steps;          /* step limit between two output times of one anneal */
    double h_init_s;         /* first CVODE step (s); fixed, so that the steps taken do not
                                depend on where the anneal ends */
    size_t ntimes;           /* output times, log-spaced fractions of t_end, last = 1 */
    double t_first_frac;     /* first output time as a fraction of t_end */
    int dense_fd;            /* 1: dense matrix, CVODE difference-quotient Jacobian */
    int keep_history;        /* 1: keep both distributions at every output time */
    int max_order;           /* largest BDF order (2: A-stable; the advection eigenvalues lie
                                near the imaginary axis, where BDF3-5 lose stability and
                                CVODE's Newton iteration fails ~40x more often at 900 °C) */
    double newton_conv_coef; /* CVODE's Newton convergence coefficient (its default 0.1) */
    double r_upwind1_m;      /* bins whose centre lies below this radius give their shrinking
                                particles first-order upwind fluxes (no limiter); 0: none */
    const char *scheme;      /* discretisation of the size distributions: "fixedbin"
                                (NULL or "" too) or "movingbin"; exsol_kwn_scheme_name
                                lists them */
    size_t mb_classes;       /* movingbin: size-class slots per population (>= 3) */
    double mb_birth_frac;    /* movingbin: a new class opens when the newest has grown
                                by this fraction of its radius */
    double mb_birth_logtime; /* movingbin: ... or is this old in ln t (since it opened) */
    double mb_birth_share;   /* movingbin: ... if it holds this share of its population */
    double mb_r_gone_m;      /* movingbin: shrinking classes are removed at half the
                                critical radius, but at most this (at least r_min_m) */
    int alloy;               /* 1: two solutes, alloy particles (exsol_kwn_problem.alloy);
                                fixedbin only (the rank-k bordered-band Newton solver,
                                exsol/sunls_bbk.h). A solver solves problems of its own
                                kind only */
};

/* Defaults: 120 bins on 0.2–150 nm (5.7 % per bin), rtol 1e-6, atol_bins 1e11 m-2 (0.1 µm-2),
 * atol_oxygen 1e-10, atol_phi 1e-7, atol_pop_rel 0 (static bin tolerances; the tools read
 * 1e-4 from datasets/reduce-parameters.csv) with floor 1e6 m-2, 20000 steps, first step 1 µs,
 * 33 output times from 1e-4 t_end, band solver, BDF order <= 2, Newton convergence coefficient
 * 0.1, first-order shrinking fluxes below 0.5 nm, scheme "fixedbin"; movingbin: 64 classes,
 * birth at 5 % growth or 0.1 in ln t while the newest class holds 2 % of its population,
 * removal at <= 0.45 nm. */
void exsol_kwn_config_default(struct exsol_kwn_config *c);

/* The output times of a configuration as fractions of t_end (time_frac[cfg->ntimes]):
 * log-spaced from t_first_frac, the last exactly 1. The same values as every
 * exsol_kwn_result.time_frac. */
void exsol_kwn_output_times(const struct exsol_kwn_config *cfg, double *time_frac);

/* The schemes a configuration may name: i in [0, exsol_kwn_scheme_count()), the
 * default first; NULL beyond. */
size_t exsol_kwn_scheme_count(void);
const char *exsol_kwn_scheme_name(size_t i);

struct exsol_kwn_problem {
    double T_K;
    double t_end_s;
    double L_m;               /* film thickness */
    double D_m2_s;            /* effective cation (dopant) diffusivity */
    double z;                 /* dopant per B site in the as-grown film (x0) */
    double x_eq;              /* x_eq,∞: solubility of the dopant at T and pO2 (per B site) */
    double Vm_metal_m3_mol;   /* molar volume of the metal */
    double a_host_m;          /* host pseudo-cubic lattice parameter (f.u. volume a³) */
    double gamma_J_m2;        /* metal/oxide interfacial energy */
    double N0_surface_m2;     /* surface nucleation sites */
    double N0_buried_m3;      /* buried nucleation sites */
    double f_surface;         /* barrier factor of the surface (cap) population, f(θ) */
    double f_buried;          /* barrier factor of the buried population */
    double cap_volume_factor; /* cap volume / sphere volume of the same radius, f(θ) */
    double incubation_theta;  /* τ = 1/(θ β* Z²), kawin default 2 */
    int nucleation;           /* 0: growth/coarsening of the initial particles only */
    /* oxygen */
    double k_chem_m_s;      /* surface exchange coefficient (0: frozen oxygen) */
    double delta0;          /* δ of the as-grown film */
    double v_dopant;        /* dopant valence (O taken per exsolved dopant = v/2) */
    const double *delta_eq; /* δ_eq(f) on f = i/(n_delta_eq-1), i = 0..n-1 (may be NULL) */
    size_t n_delta_eq;
    /* δ_eq(f) evaluated exactly (NULL: the table above). Used in preference to the
     * table: a cubic through a kink of δ_eq (f = a/z, where a′ reaches 0) misses
     * it by up to 15 %. Must be pure (same f, same value) and thread-safe. */
    double (*delta_eq_fn)(const void *ctx, double f);
    const void *delta_eq_ctx;
    /* optional initial particles (NULL = none), per output bin: m-2 and m-3 */
    const double *init_surface;
    const double *init_buried;
    /* making room for the metal (0: none, the solubility is x_eq throughout) */
    int accommodation;
    double a_vac;          /* A-site vacancies per f.u. as grown */
    double a_ref;          /* a at which the vacancy channel's solubility is x_eq */
    double eps_acc_J;      /* energy per exsolved metal of A-rich accommodation (>= 0;
                              +inf closes the channel) */
    double d_eps_buried_J; /* how much cheaper the buried population accommodates */
    /* A second solute: alloy particles (breadth-and-uncertainty.md §4; solver made with
     * cfg.alloy). z is then the total z1 + z2; x_eq, D_m2_s and v_dopant are the first
     * solute's; Vm_metal_m3_mol and gamma_J_m2 those of the alloy (one value for every
     * particle). Each solute has its own dissolved amount x̄_i = (z_i − y_i)/(1 − y),
     * y_i the solute i in particles per B site, solubility x_eq,i (times the common
     * room-for-the-metal factor) and flux D_i(x̄_i − x_eq,i a_i(X) e^{lc/R}); the nucleus
     * has the parallel-tangent composition X* and driving force ln S* (§4.1); each
     * population carries its own mean composition X (the share of solute 2, uniform
     * over sizes). */
    int alloy;
    double z2;            /* the second solute per B site (0 < z2 < z) */
    double x_eq2;         /* its solubility x_eq,∞ */
    double D2_m2_s;       /* its diffusivity */
    double v_dopant2;     /* its valence (O taken per exsolved atom = v2/2) */
    double rk_L_J_mol[3]; /* Redlich–Kister L0, L1, L2 of G_ex = X(1 − X) Σ L_k (1 − 2X)^k
                             with X the mole fraction of solute 2 (0: ideal) */
    /* δ_eq with y1, y2 of each solute exsolved per B site (NULL: δ_eq(f) of the total) */
    double (*delta_eq2_fn)(const void *ctx, double y1, double y2);
};

/* ln a_1, ln a_2 of a Redlich–Kister alloy with mole fraction X of solute 2 at T. */
void exsol_kwn_alloy_activity(const struct exsol_kwn_problem *p, double X, double *ln_a1,
                              double *ln_a2);
/* The nucleus composition X* (parallel tangent, s_1/a_1(X*) = s_2/a_2(X*)) for binary
 * supersaturations s1, s2 (> 0); returns ln S* = ln(s_1/a_1(X*)). */
double exsol_kwn_alloy_nucleus(const struct exsol_kwn_problem *p, double s1, double s2,
                               double *X);

/* Equilibrium exsolved fraction of z of a problem: x̄ = x_eq,eff of the population
 * with the lower solubility (z − x_eq)/(z(1 − x_eq)) without accommodation). */
double exsol_kwn_equilibrium_fraction(const struct exsol_kwn_problem *p);

/* Critical radius R* = 2γV_m/(R_g T ln(x̄/x_eq,eff)) at aphi = αφ (0: the start,
 * x̄ = z), for the population with the lower solubility; NaN without
 * supersaturation. */
double exsol_kwn_critical_radius(const struct exsol_kwn_problem *p, double aphi);

struct exsol_kwn_stats {
    long steps, rhs_evals, jac_evals, err_test_fails, conv_fails, lin_setups;
    /* conv_fails counts every Newton (nonlinear solver) convergence failure, the
     * retries with a fresh Jacobian included; step_fails the step attempts rejected
     * by the nonlinear solve (Newton failed with a fresh Jacobian, or the corrected
     * state broke the positivity constraints); constraint_fails the latter only. */
    long step_fails, constraint_fails;
};

/* Outputs. Arrays are owned by the result (exsol_kwn_result_release). Output
 * times are t_end·frac; densities count particles with radius >= r_detect_m. */
struct exsol_kwn_result {
    int status; /* 0 ok, 1 solver failure (reason says why) */
    char reason[160];
    size_t ntimes, nbins;
    double *time_frac;       /* [ntimes] */
    double *f_t;             /* exsolved fraction (of z) */
    double *phi_t;           /* metal volume fraction of the film */
    double *xbar_t;          /* lattice dopant per B site (renormalised host), z′ */
    double *delta_t;         /* δ′ */
    double *ns_t, *ds_t;     /* surface density (m-2), mean diameter (m; 0 if none) */
    double *nb_t, *db_t;     /* buried density (m-3), mean diameter (m; 0 if none) */
    double *radius_m;        /* [nbins] bin centres */
    double *width_m;         /* [nbins] bin widths */
    double *surface;         /* [nbins] final, particles m-2 per bin */
    double *buried;          /* [nbins] final, particles m-3 per bin */
    double *hist;            /* keep_history: [ntimes][2*nbins] (surface m-2, buried m-3) */
    double t_half_s, t_90_s; /* NaN if not reached */
    struct exsol_kwn_stats stats;
    /* alloy problems only (else NULL): the exsolved fraction of solute 2 (of z2) and the
     * mole fraction of solute 2 in the surface and buried particles (NaN: none) */
    double *f2_t, *x2s_t, *x2b_t; /* [ntimes] */
};

void exsol_kwn_result_release(struct exsol_kwn_result *r); /* accepts NULL; keeps struct */

typedef struct exsol_kwn_solver exsol_kwn_solver;

/* EXSOL_OK; EXSOL_EVALUE for an invalid configuration, EXSOL_EUNKNOWN when
 * cfg->scheme names no scheme (err: "unknown KWN scheme 'NAME'"), EXSOL_ENOMEM,
 * EXSOL_ESOLVER if CVODE cannot be set up. cfg is copied (the scheme string need
 * not outlive the call). */
int exsol_kwn_solver_create(const struct exsol_kwn_config *cfg, exsol_kwn_solver **out,
                            char *err, size_t errlen);
void exsol_kwn_solver_destroy(exsol_kwn_solver *s); /* accepts NULL */

/* Centres and widths of the output radius bins (nbins each, log-spaced on
 * [r_min_m, r_max_m]): the radius coordinate of every result and of
 * exsol_kwn_problem.init_surface / init_buried, for every scheme. Owned by s. */
const double *exsol_kwn_radius(const exsol_kwn_solver *s);
const double *exsol_kwn_width(const exsol_kwn_solver *s);
/* The name of the solver's scheme. */
const char *exsol_kwn_solver_scheme(const exsol_kwn_solver *s);

/* Integrates one problem. Returns EXSOL_OK with res->status 0 or 1 (solver failure
 * recorded, not an error), EXSOL_EVALUE for an invalid problem, EXSOL_ENOMEM.
 * r_detect_m: particles smaller than this are not counted in the densities/means
 * (the distributions keep them). */
int exsol_kwn_solve(exsol_kwn_solver *s, const struct exsol_kwn_problem *p, double r_detect_m,
                    struct exsol_kwn_result *res, char *err, size_t errlen);

/* Integrates one problem for n anneals that differ only in their end,
 * t_end_s[0..n) (p->t_end_s is not read), into res[0..n), on one shared
 * trajectory to the latest end. The steps CVODE takes do not depend on the ends
 * or the output times (fixed first step, no stop time, one-step mode: outputs
 * and the final state are read off its interpolant, its root-finding searches
 * whole steps, the statistics are those when the step that passes an end is
 * done), so res[j] holds the same bytes as
 * exsol_kwn_solve for t_end_s[j] alone. A grid of anneal times thus costs about
 * one integration, to the longest. Returns as exsol_kwn_solve. */
int exsol_kwn_solve_multi(exsol_kwn_solver *s, const struct exsol_kwn_problem *p,
                          const double *t_end_s, size_t n, double r_detect_m,
                          struct exsol_kwn_result *res, char *err, size_t errlen);

/* δ_eq(f) as the oxygen rate sees it: p->delta_eq_fn if set, else the cubic Hermite
 * in p->delta_eq, else p->delta0. */
double exsol_kwn_delta_eq(const struct exsol_kwn_problem *p, double f);

/* Barrier/volume factor of a spherical cap of contact angle θ (rad):
 * f(θ) = (2 + cos θ)(1 − cos θ)²/4 (0.5 at 90°). */
double exsol_kwn_wetting_factor(double theta_rad);

#endif
