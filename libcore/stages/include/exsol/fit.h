/* exsol-fit (issue #14): calibration of reduce's uncertain parameters against the fit
 * anchors (datasets/anchors.csv, or a file of the same columns) by the affine-invariant
 * ensemble sampler (exsol/sampler.h), the reduce model evaluated in-process for each
 * anchor (exsol_reduce_run on the anchor's composition and anneal, no files).
 *
 * Likelihood (reference breadth-and-uncertainty §9): per anchor with use = fit that the
 * model can represent (a film, with numeric anneal conditions and gas, a composition gen
 * parses, a host of hosts.csv), Gaussian in log10 surface density (um-2), log10 surface
 * mean diameter (nm) and, where given, the exsolved fraction (linear), each with the
 * anchor's scatter (the `scatter` column for the row's observable; otherwise 0.42 and
 * 0.1 decades, 0.05 in fraction); a lower bound ("censored", or a value "> x") is the
 * one-sided factor Phi((pred - bound)/sigma). The log prior is the registry's prior
 * (exsol/params.h) of each fitted parameter, -inf outside its support or the table's
 * bounds. The sampler moves in log10 of parameters with a log prior (loguniform,
 * log10normal) and linearly otherwise; an arrhenius prior (D0) is sampled as its
 * reference quantity D(T_ref) (so D0 follows E_a). A point where reduce fails for an
 * anchor has likelihood 0 (-inf). Anchors the model cannot represent are skipped, with
 * the reason in the notes and the residual table. */
#ifndef EXSOL_FIT_H
#define EXSOL_FIT_H

#include "exsol/params.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct exsol_stage_notes;
struct exsol_members;
typedef struct exsol_posterior_file exsol_posterior_file;

/* The default --fit-params: the nucleation and growth kinetics the anchors constrain
 * (reference §9's most sensitive parameters but the strain coefficient, which a
 * strain-free anchor cannot see). */
#define EXSOL_FIT_DEFAULT_PARAMS                                                               \
    "host_gamma,gamma_interface,wetting_angle_deg,E_a,D0,N0_surface,eps_acc"

enum { EXSOL_FIT_INIT_PRIOR = 0, EXSOL_FIT_INIT_BALL = 1 };

struct exsol_fit_opts {
    const char *anchors;    /* CSV path; NULL: datasets/anchors.csv */
    const char *fit_params; /* comma-separated names; NULL: EXSOL_FIT_DEFAULT_PARAMS */
    size_t walkers, steps, burn, thin;
    uint64_t seed;
    int init;               /* EXSOL_FIT_INIT_* */
    size_t predict_members; /* posterior samples for the residual table (0: 200) */
    const struct exsol_stage_notes *notes;
};

typedef struct exsol_fit exsol_fit;

/* Loads the anchors and the model; refuses (EXSOL_EUSAGE) an unknown or unfittable
 * parameter, a parameter also fixed by --set, bad sampler settings; EXSOL_EVALUE when
 * the anchors file is malformed or no fit anchor can be represented. */
int exsol_fit_create(exsol_fit **out, const exsol_params *p, const struct exsol_fit_opts *o,
                     char *err, size_t errlen);
void exsol_fit_free(exsol_fit *f); /* accepts NULL */
/* Draws the initial walkers, samples, computes the diagnostics and the posterior
 * predictions of every representable anchor. */
int exsol_fit_run(exsol_fit *f, char *err, size_t errlen);
/* The posterior file (exsol/posterior.h) and the residual table (TSV). */
int exsol_fit_write_posterior(const exsol_fit *f, exsol_posterior_file *pf, int no_history,
                              int argc, char *const *argv, char *err, size_t errlen);
int exsol_fit_write_residuals(const exsol_fit *f, FILE *fp);

/* Results for tests and the summary: fitted parameter count, name, the posterior
 * quantile q of parameter k (table unit), its split-R-hat and ESS. */
size_t exsol_fit_nparams(const exsol_fit *f);
const char *exsol_fit_param_name(const exsol_fit *f, size_t k);
double exsol_fit_quantile(const exsol_fit *f, size_t k, double q);
double exsol_fit_rhat(const exsol_fit *f, size_t k);
double exsol_fit_ess(const exsol_fit *f, size_t k);

/* exsol-ensemble --ensemble FILE: a posterior NetCDF (exsol_posterior_read) or a member
 * file (TSV, exsol_members_read). */
int exsol_members_load(const char *path, const exsol_params *p, struct exsol_members **out,
                       char *err, size_t errlen);

#endif
