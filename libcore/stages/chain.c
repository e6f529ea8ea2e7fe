/* The chain run in-process on temporary files, as exsol-window (one round of (film, T,
 * t) points) and exsol-ensemble (one member) drive it, and the rank verdict's inputs
 * read back from its last file (stage.h). */
#include "exsol/error.h"
#include "exsol/outfile.h"
#include "exsol/stage.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int exsol_stage_run_files(const struct exsol_stage_type *t, const exsol_params *p,
                          const void *opts, const char *in, const char *out,
                          const struct exsol_out_opts *oo, char *err, size_t errlen)
{
    void *ctx = NULL;
    exsol_ds_out *o = NULL;
    size_t nrows = 0, nfail = 0;
    double cs;
    int rc = t->create(&ctx, p, in, opts, err, errlen);
    unlink(in);
    if (rc == EXSOL_ENOMEM && !err[0])
        exsol_seterr(err, errlen, rc, "out of memory");
    if (!rc)
        rc = exsol_ds_out_create(out, exsol_stage_ctx_of(ctx)->input, oo, &o, err, errlen);
    if (!rc && (rc = exsol_stage_define(t, ctx, o)) != 0)
        exsol_seterr(err, errlen, rc, "%s: cannot define the output: %s", t->name,
                     exsol_ds_out_errmsg(o));
    if (!rc)
        rc = exsol_ds_out_enddef(o, err, errlen);
    if (!rc)
        rc = exsol_stage_run(t, ctx, o, NULL, &nrows, &nfail, &cs, err, errlen);
    if (!rc) {
        rc = exsol_ds_out_close(o, err, errlen);
        o = NULL;
    }
    exsol_ds_out_abort(o);
    if (t->destroy)
        t->destroy(ctx);
    return rc;
}

int exsol_stage_chain_paths(const char *tmpdir, const char *prog, unsigned long seq,
                            char path[4][EXSOL_CHAIN_PATH_MAX], char *err, size_t errlen)
{
    static const char *const stage_names[4] = {"gen", "reduce", "transport", "magnet"};
    for (int k = 0; k < 4; k++)
        if (snprintf(path[k], EXSOL_CHAIN_PATH_MAX, "%s/%s.%ld.%lu.%s.nc", tmpdir, prog,
                     (long)getpid(), seq, stage_names[k]) >= EXSOL_CHAIN_PATH_MAX)
            return exsol_seterr(err, errlen, EXSOL_EUSAGE, "temporary folder name too long");
    return EXSOL_OK;
}

void exsol_stage_chain_guard(char path[4][EXSOL_CHAIN_PATH_MAX], int slot[4])
{
    for (int k = 0; k < 4; k++)
        slot[k] = exsol_af_scratch_add(path[k]);
}

void exsol_stage_chain_unguard(int slot[4])
{
    for (int k = 0; k < 4; k++)
        exsol_af_scratch_drop(slot[k]);
}

int exsol_stage_run_chain(const exsol_params *p, char path[4][EXSOL_CHAIN_PATH_MAX], size_t n,
                          const char *what, const struct exsol_out_opts *oo, exsol_ds **out,
                          char *err, size_t errlen)
{
    const struct exsol_stage_type *const stages[3] = {
        &exsol_stage_reduce, &exsol_stage_transport, &exsol_stage_magnet};
    struct exsol_stage_reduce_opts ropts = {0};
    const void *sopts[3] = {&ropts, NULL, NULL};
    int rc = EXSOL_OK;
    *out = NULL;
    for (int k = 0; k < 3 && !rc; k++)
        rc = exsol_stage_run_files(stages[k], p, sopts[k], path[k], path[k + 1], oo, err,
                                   errlen);
    if (!rc) {
        rc = exsol_ds_open(path[3], out, err, errlen);
        unlink(path[3]);
    }
    if (!rc && exsol_ds_ncandidates(*out) != n)
        rc = exsol_seterr(err, errlen, EXSOL_EFORMAT, "a %s's file lost rows", what);
    if (rc) {
        exsol_ds_close(*out);
        *out = NULL;
    }
    return rc;
}

int exsol_stage_read_column(const exsol_ds *ds, const char *name, size_t n, const char *who,
                            double **out, char *err, size_t errlen)
{
    if (!(*out = malloc((n ? n : 1) * sizeof **out)))
        return EXSOL_ENOMEM;
    if (exsol_ds_var_kind(ds, name) != EXSOL_VK_SCALAR)
        return exsol_seterr(err, errlen, EXSOL_EMISSINGVAR,
                            "the chain wrote no '%s' (%s needs it)", name, who);
    return exsol_ds_read_double(ds, name, 0, n, *out, err, errlen);
}

static int ends_with(const char *s, const char *x)
{
    size_t a = strlen(s), b = strlen(x);
    return a > b && strcmp(s + a - b, x) == 0;
}

static const char *const rank_row_names[EXSOL_RR_NCOL] = {
    "log10_rho_ratio",  "M_300K_1T_reduced", "spm_300K_reduced",   "M_300K_1T_pristine",
    "tolerance_factor", "bartel_tau",        "feasible",           "T_anneal",
    "t_anneal",         "metallic_reduced",  "insulating_pristine"};

/* a 0/1 verdict column as exsol-rank reads it: missing (NaN) is -1 */
static void verdict_ints(const double *v, size_t n, int *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = isnan(v[i]) ? -1 : (int)v[i];
}

int exsol_stage_rank_rows_read(const exsol_ds *ds, size_t n, const char *who,
                               struct exsol_stage_rank_rows *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    size_t m = n ? n : 1;
    int *spm = malloc(m * sizeof *spm), *feas = malloc(m * sizeof *feas);
    int *ins = malloc(m * sizeof *ins), *met = malloc(m * sizeof *met);
    unsigned char *excl = calloc(m, 1);
    double *st = malloc(m * sizeof *st);
    r->spm = spm, r->feas = feas, r->ins = ins, r->met = met, r->excl = excl;
    int rc = spm && feas && ins && met && excl && st ? 0 : EXSOL_ENOMEM;
    for (int k = 0; k < EXSOL_RR_NCOL && !rc; k++)
        rc = exsol_stage_read_column(ds, rank_row_names[k], n, who, &r->col[k], err, errlen);
    /* a row any stage failed on is excluded, as exsol-rank does */
    for (size_t v = 0; v < exsol_ds_nvars(ds) && !rc; v++) {
        const char *name = exsol_ds_var_name(ds, v);
        if (!ends_with(name, "_status") || exsol_ds_var_kind(ds, name) != EXSOL_VK_SCALAR)
            continue;
        rc = exsol_ds_read_double(ds, name, 0, n, st, err, errlen);
        for (size_t i = 0; i < n && !rc; i++)
            excl[i] |= !(st[i] == 0);
    }
    free(st);
    if (rc) {
        if (rc == EXSOL_ENOMEM)
            exsol_seterr(err, errlen, rc, "out of memory");
        exsol_stage_rank_rows_free(r);
        return rc;
    }
    verdict_ints(r->col[EXSOL_RR_SPM], n, spm);
    verdict_ints(r->col[EXSOL_RR_FEAS], n, feas);
    verdict_ints(r->col[EXSOL_RR_INS], n, ins);
    verdict_ints(r->col[EXSOL_RR_MET], n, met);
    double *const *c = r->col;
    r->in = (struct exsol_rank_input){n,
                                      c[EXSOL_RR_RATIO],
                                      c[EXSOL_RR_M],
                                      spm,
                                      c[EXSOL_RR_MP],
                                      c[EXSOL_RR_TOL],
                                      c[EXSOL_RR_TAU],
                                      feas,
                                      c[EXSOL_RR_T],
                                      c[EXSOL_RR_TS],
                                      excl,
                                      ins,
                                      met};
    return EXSOL_OK;
}

void exsol_stage_rank_rows_free(struct exsol_stage_rank_rows *r)
{
    for (int k = 0; k < EXSOL_RR_NCOL; k++)
        free(r->col[k]);
    free(r->spm), free(r->feas), free(r->ins), free(r->met), free(r->excl);
    memset(r, 0, sizeof *r);
}
