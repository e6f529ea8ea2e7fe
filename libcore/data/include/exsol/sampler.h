/* Markov-chain Monte Carlo for exsol-fit: the affine-invariant ensemble sampler of
 * Goodman & Weare (Commun. Appl. Math. Comput. Sci. 5, 65 (2010)), stretch move with
 * scale a (2 by default), the walkers updated in two halves so that each half's
 * proposals can be evaluated at once (in parallel by the caller) and detailed balance
 * holds; and its convergence diagnostics, split-R-hat (Gelman et al., Bayesian Data
 * Analysis, 3rd ed., §11.4) and the effective sample size from the autocorrelation
 * summed by Geyer's initial monotone sequence (Geyer, Stat. Sci. 7, 473 (1992); in the
 * multi-chain form of Vehtari et al., Bayesian Anal. 16, 667 (2021)), each walker
 * taken as a chain after the burn-in.
 *
 * The random numbers are counter-based (exsol_members_u01 keyed on the seed, the step
 * and the walker), so the chain depends on neither the thread count nor the order in
 * which the caller evaluates a batch. No I/O, no printing. */
#ifndef EXSOL_SAMPLER_H
#define EXSOL_SAMPLER_H

#include <stddef.h>
#include <stdint.h>

/* Log density (up to a constant) of n points x[n*dim] into logp[n]; -INFINITY where the
 * density vanishes (outside the prior). Returns 0, or an EXSOL_* code that stops the
 * run (with a message in err). */
typedef int (*exsol_logp_batch_fn)(void *ctx, const double *x, size_t n, size_t dim,
                                   double *logp, char *err, size_t errlen);

struct exsol_stretch_opts {
    size_t nwalkers; /* even, >= 4 (and >= 2 dim for a useful ensemble) */
    size_t nsteps;
    double a; /* stretch scale; <= 1 means 2 */
    uint64_t seed;
    /* called after every step (may be NULL): progress */
    void (*step_done)(void *ctx, size_t step, size_t nsteps);
    void *step_ctx;
};

struct exsol_stretch_chain {
    size_t nwalkers, nsteps, dim;
    double *x;          /* [step][walker][dim]: the state after each step */
    double *logp;       /* [step][walker] */
    size_t accepted;    /* accepted moves over all steps and walkers */
    size_t *accepted_w; /* per walker */
};

/* Runs the sampler from x0[nwalkers*dim], whose log densities lp0 must be finite. */
int exsol_stretch_run(const struct exsol_stretch_opts *o, size_t dim, const double *x0,
                      const double *lp0, exsol_logp_batch_fn f, void *ctx,
                      struct exsol_stretch_chain *out, char *err, size_t errlen);
void exsol_stretch_chain_free(struct exsol_stretch_chain *c); /* zeroed after */

/* Parameter k's draws after `burn` steps, every `thin`-th: out[w * n + i] for walker w,
 * n = exsol_stretch_kept(c, burn, thin) per walker. */
size_t exsol_stretch_kept(const struct exsol_stretch_chain *c, size_t burn, size_t thin);
void exsol_stretch_extract(const struct exsol_stretch_chain *c, size_t k, size_t burn,
                           size_t thin, double *out);

/* Split-R-hat of m chains of n draws each (x[c * n + i]); NaN when n < 4. */
double exsol_split_rhat(const double *x, size_t m, size_t n);
/* Effective sample size of the m * n draws (Geyer's initial monotone sequence over the
 * chain-averaged autocorrelation); NaN when n < 4; m * n when the draws do not vary. */
double exsol_ess(const double *x, size_t m, size_t n);

#endif
