/* KWN internals shared by the model, the schemes and the driver (physics layer
 * only; tests may include it as "kwn/scheme.h").
 *
 * model.c          the physics of exsol/kwn.h that does not depend on how a size
 *                  distribution is discretised: solute closure, Gibbs–Thomson,
 *                  growth law, nucleation, oxygen exchange.
 * scheme_*.c       one discretisation of the two size distributions each: its state,
 *                  right-hand side, Jacobian / linear solver, and the map of its
 *                  state onto the output radius bins. Listed in schemes.c.
 * driver.c         the solver object, the output radius bins and times, CVODE
 *                  (set-up, one-step integration, roots, shared trajectories of
 *                  several anneal ends) and the results.
 *
 * State vector (every scheme): y[0 .. n_dist) is the scheme's own description of
 * the two populations; y[n_dist] is the oxygen state q̃ (exsol/kwn.h), which the
 * driver initialises and constrains and the scheme's right-hand side evolves with
 * exsol_kwn_model_oxygen_rate. Particle numbers in the state are in units of
 * EXSOL_KWN_NSC m⁻² (buried particles per film area, i.e. per volume times L), so
 * bins are O(1). */
#ifndef EXSOL_KWN_SCHEME_H
#define EXSOL_KWN_SCHEME_H

#include "exsol/kwn.h"
#include "exsol/sundials_compat.h"

#include <stddef.h>
#include <sundials/sundials_linearsolver.h>
#include <sundials/sundials_matrix.h>

#define EXSOL_KWN_NSC 1e15 /* scale of particle numbers in the state, m-2 (10³ µm⁻²) */

/* ---- output radius bins (owned by the driver) ----------------------------- */

/* Log-spaced finite volumes on [r_min, r_max]: n bins, centres at the arithmetic
 * midpoints of the edges. These are the radius_bin coordinate of every output, for
 * every scheme. */
struct exsol_kwn_grid {
    size_t n;
    const double *edge;   /* [n + 1], m */
    const double *centre; /* [n], m */
    const double *width;  /* [n], m */
};

/* Fills edge[n + 1], centre[n], width[n]. */
void exsol_kwn_log_grid(double r_min_m, double r_max_m, size_t n, double *edge, double *centre,
                        double *width);

/* ---- the model of one problem (model.c) ---------------------------------- */

/* Per-problem constants (SI). */
struct exsol_kwn_model {
    const struct exsol_kwn_problem *p; /* not owned; valid during one solve */
    double alpha;  /* V_f.u./V_metal (molar): x per unit metal volume fraction */
    double lc;     /* capillary length 2γV_m/(R_g T), m */
    double D, L;   /* diffusivity (m²/s) and film thickness (m) */
    double N0s_sc; /* surface nucleation sites per film area, in EXSOL_KWN_NSC */
    double N0b_sc; /* buried sites per film area (N0_b·L), in EXSOL_KWN_NSC */
    double f_ex;   /* equilibrium exsolved fraction of z (exsol_kwn_equilibrium_fraction) */
    double inv_xS_s, inv_xS_b; /* 1/x_S of the accommodation channel, surface and buried
                                  (0: closed or no accommodation) */
};

/* 1 if every field of p (but t_end_s) is in its domain (exsol/kwn.h). */
int exsol_kwn_problem_valid(const struct exsol_kwn_problem *p);
/* Sets the constants of a valid problem; keeps p. */
void exsol_kwn_model_init(struct exsol_kwn_model *m, const struct exsol_kwn_problem *p);

/* Dissolved solute x̄ = (z − αφ)/(1 − αφ) (>= 1e-300) for aphi = αφ. */
double exsol_kwn_model_xav(const struct exsol_kwn_model *m, double aphi);
/* Solubility x_eq,eff of a population (buried 0/1) at aphi = αφ: the vacancy and
 * accommodation channels in parallel (model.c); p->x_eq without accommodation. */
double exsol_kwn_model_xeq(const struct exsol_kwn_model *m, double aphi, int buried);
/* Gibbs–Thomson factor exp(lc/R) at radius R_m (the exponent capped at 40). */
double exsol_kwn_model_gt(const struct exsol_kwn_model *m, double R_m);
/* Solute at the surface of a particle, x_i = xeq·gt (gt = exsol_kwn_model_gt, xeq =
 * exsol_kwn_model_xeq), capped at α/2. */
double exsol_kwn_model_xi(const struct exsol_kwn_model *m, double gt, double xeq);
/* Growth law v(R) = coef·(x_av − x_i(R)) (m/s) with coef = D/(R (α − x_i)); this
 * returns coef (m/s per unit solute) for x_i = exsol_kwn_model_xi(m, R_m). */
double exsol_kwn_model_growth_coef(const struct exsol_kwn_model *m, double R_m, double xi);
/* Nucleation rate per site (1/s) of a population with barrier factor fbar at time
 * t_s, dissolved solute xav and solubility xeq (exsol_kwn_model_xeq), and the insertion radius
 * R* + ½ sqrt(k_B T/(πγ)) (m; 0 when the rate is 0 for want of supersaturation). */
double exsol_kwn_model_nucleation(const struct exsol_kwn_model *m, double xav, double xeq,
                                  double fbar, double t_s, double *Rnuc_m);
/* dq̃/dt (1/s) for aphi = αφ = f·z and the oxygen state q. */
double exsol_kwn_model_oxygen_rate(const struct exsol_kwn_model *m, double aphi, double q);
/* ∂(dq̃/dt)/∂q̃ = −k_chem/L (1/s). */
double exsol_kwn_model_oxygen_jac(const struct exsol_kwn_model *m);
/* Alloy problems (p->alloy): the nucleation rate per site as above for the driving force
 * ln S* (parallel tangent) and the attachment product (x D)_eff, 1/(x D)_eff =
 * Σ_i X_i²/(x̄_i D_i) of the nucleus composition. */
double exsol_kwn_model_nucleation_lnS(const struct exsol_kwn_model *m, double lnS, double xD,
                                      double fbar, double t_s, double *Rnuc_m);
/* dq̃/dt for an alloy problem: y = αφ in particles, y2 of it solute 2;
 * δ′ = 3 − (q̃ − ½(v1 (y − y2) + v2 y2))/(1 − y). */
double exsol_kwn_model_oxygen_rate_alloy(const struct exsol_kwn_model *m, double aphi,
                                         double a2, double q);
/* exsol_kwn_model_report for an alloy problem (f of the total z). */
void exsol_kwn_model_report_alloy(const struct exsol_kwn_model *m, double phi, double a2,
                                  double q, double *f, double *xbar, double *delta);
/* q̃ for δ′ = δ0 at aphi. */
double exsol_kwn_model_oxygen_initial(const struct exsol_kwn_model *m, double aphi);

/* What the outputs report for φ and the oxygen state q: the exsolved fraction f (of
 * z), the lattice solute x̄ = (z − αφ)/(1 − αφ) (the closure: the dopant balance holds
 * exactly) and δ′. */
void exsol_kwn_model_report(const struct exsol_kwn_model *m, double phi, double q, double *f,
                            double *xbar, double *delta);

/* Volume of a sphere of radius R_m, m³. */
double exsol_kwn_sphere_volume(double R_m);
/* ∂φ/∂y: metal volume fraction per state unit of surface caps / buried spheres
 * whose sphere volume is vol_m3. */
double exsol_kwn_model_dphi_surface(const struct exsol_kwn_model *m, double vol_m3);
double exsol_kwn_model_dphi_buried(const struct exsol_kwn_model *m, double vol_m3);
/* Buried particles cannot outgrow the film: the first edge index k in [1, n] with
 * edge[k] >= L/2 (n if none); buried bins from it on stay empty, and a scheme hands
 * what crosses it to the surface population (metal conserved). */
size_t exsol_kwn_film_cap(const struct exsol_kwn_model *m, const double *edge, size_t n);

/* ---- the scheme table ---------------------------------------------------- */

/* What the driver passes to every hook of one integration attempt. */
struct exsol_kwn_ctx {
    const struct exsol_kwn_model *m; /* the problem being solved */
    int clamp;      /* 1 (unconstrained attempt): the model sees the positive parts of
                       the particle numbers */
    long extra_rhs; /* right-hand side evaluations made inside hooks (Jacobians);
                       reported with CVODE's */
};

/* γ of the Newton matrix being set up, from the driver (0 on success). */
typedef int (*exsol_kwn_gamma_fn)(void *arg, double *gamma);

/* A discretisation of the size distributions. Hooks return 0 on success; rhs and
 * jac return > 0 for a recoverable failure (CVODE retries) and < 0 for a fatal
 * one. The state st is the scheme's own (alloc/free); one per solver, used by one
 * thread at a time. */
struct exsol_kwn_scheme_type {
    const char *name; /* the value of exsol_kwn_config.scheme that selects it */
    /* New state for a configuration and the output bins (valid until free); sets
     * *n_dist, the number of state entries before the oxygen. NULL: out of memory. */
    void *(*alloc)(const struct exsol_kwn_config *cfg, const struct exsol_kwn_grid *out,
                   size_t *n_dist);
    /* Per-problem set-up, before every solve (c->m is set; 0 or an exsol error). */
    int (*init)(void *st, const struct exsol_kwn_ctx *c);
    /* Initial state y[0 .. n_dist) from p->init_surface / p->init_buried (per output
     * bin, m-2 and m-3; NULL = none), with CVODE's absolute tolerances atol[0 .. n_dist)
     * and constraints cons[0 .. n_dist) (1: >= 0, 0: none). */
    void (*initial)(void *st, const struct exsol_kwn_ctx *c, double *y, double *atol,
                    double *cons);
    /* Metal volume fraction φ of the film in state y: of the state as the model sees
     * it (positive parts if c->clamp) when reported = 0, of the positive parts of
     * the particle numbers (what the outputs report) when reported = 1. */
    double (*phi)(void *st, const struct exsol_kwn_ctx *c, const double *y, int reported);
    /* dy = f(t, y), all n_dist + 1 entries. */
    int (*rhs)(void *st, struct exsol_kwn_ctx *c, double t_s, const double *y, double *dy);
    /* Optional (both or neither): the Newton linear solver, and the Jacobian that fills
     * its matrix. Without them the driver uses a dense matrix and CVODE's difference
     * quotients (as for exsol_kwn_config.dense_fd). linsol creates *A and *LS in ctx
     * (the driver frees them); jac gets y, f(t, y) and a work array of n_dist + 1. */
    int (*linsol)(void *st, SUNContext ctx, exsol_kwn_gamma_fn gamma, void *gamma_arg,
                  SUNMatrix *A, SUNLinearSolver *LS);
    int (*jac)(void *st, struct exsol_kwn_ctx *c, double t_s, const double *y, const double *fy,
               SUNMatrix J, double *work);
    /* The state's distributions on the output bins: surface[out->n] (particles m-2
     * per bin) and buried[out->n] (m-3 per bin), positive parts, conserving the
     * number of particles. */
    void (*remap)(void *st, const struct exsol_kwn_ctx *c, const double *y, double *surface,
                  double *buried);
    void (*free)(void *st); /* accepts NULL */
    /* Optional (all three or none): events of a scheme whose unknowns change, e.g.
     * size classes that are born, merge or vanish. roots fills g[0 .. nroots) (CVODE
     * root functions, after the driver's own); when any of them changes sign the
     * driver records the outputs up to the root, calls event with the state there
     * (found[i] != 0: root i), which may rewrite y[0 .. n_dist) and atol[0 .. n_dist),
     * and re-initialises CVODE at that time if it returns 1. Events must depend on
     * the state only (not on output times), so shared trajectories keep their bytes. */
    size_t nroots;
    int (*roots)(void *st, const struct exsol_kwn_ctx *c, double t_s, const double *y,
                 double *g);
    int (*event)(void *st, struct exsol_kwn_ctx *c, double t_s, double *y, double *atol,
                 const int *found);
    /* Optional: alloy problems (exsol_kwn_config.alloy). alloy = 1 if the scheme solves
     * them; solute2 then gives the solute 2 held by the surface and buried particles,
     * y2[0..2) per B site (αφ units, positive parts, at most the population's metal),
     * and phi_pop their metal volume fractions phi_pop[0..2) (reported, positive parts). */
    int alloy;
    void (*solute2)(void *st, const struct exsol_kwn_ctx *c, const double *y, double *y2,
                    double *phi_pop);
    /* Optional: absolute tolerances that follow the state (exsol_kwn_config.atol_pop_rel
     * > 0): at[0 .. n_dist) for state y, from the static ones at0 (what initial and event
     * wrote); the driver turns them into CVODE's error weights at every step. */
    void (*state_atol)(void *st, const struct exsol_kwn_ctx *c, const double *y,
                       const double *at0, double *at);
};

/* The scheme called name (NULL or "" = "fixedbin"), built in or registered; NULL if
 * none. */
const struct exsol_kwn_scheme_type *exsol_kwn_scheme_find(const char *name);

/* Adds a scheme to the table for the rest of the process (not thread-safe: register
 * before creating solvers). t must stay valid. EXSOL_EVALUE (err says why) if t lacks
 * a name or a required hook (alloc, init, initial, phi, rhs, remap, free), has only
 * one of linsol/jac, has events only in part (nroots, roots, event), or its name is taken;
 * EXSOL_ENOMEM if the table is full. */
int exsol_kwn_scheme_register(const struct exsol_kwn_scheme_type *t, char *err, size_t errlen);

#endif
