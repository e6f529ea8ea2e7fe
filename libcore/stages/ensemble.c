/* exsol-ensemble's staging (stage.h): every row of a gen-schema input under every member
 * of an exsol_members set, each member through the chain's own stages on temporary
 * files, as exsol-window's rounds run (exsol_stage_run_files), then the rank verdict
 * row by row; the per-row probabilities and percentiles over the members.
 *
 *   per block of rows: block rows -> gen-schema file (exsol_gen_rows_write), per member:
 *     -> exsol_stage_reduce -> exsol_stage_transport -> exsol_stage_magnet
 *     (registry copy with the member's values) -> exsol_rank_row_flags
 *   -> the block's members x rows cells -> per-row summaries (and the streamed tables)
 *
 * Members run one after the other and each stage is parallel over the rows inside, so
 * the results do not depend on the thread count; every member file is unlinked as soon
 * as the next stage has it open. A block holds members x block_rows cells; only the
 * summaries (and the input's rows) grow with the rows, unless the member values are
 * kept (exsol_ensemble_keep_members). */
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/members.h"
#include "exsol/rank.h"
#include "exsol/sobol.h"
#include "exsol/stage.h"
#include "exsol/tsv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { Q_RATIO, Q_M, Q_DENSITY, Q_DIAMETER, NQ };
static const char *const q_names[NQ] = {"log10_rho_ratio", "M_300K_1T_reduced",
                                        "surface_particle_density", "surface_mean_diameter"};

/* One member-major set of cells, [member * stride + row]: a block's (stride = the block
 * capacity, rows relative to the block) or, when kept, the whole input's (stride = n). */
struct cells {
    size_t stride;
    unsigned *flags;
    unsigned char *metal, *spm, *dual, *failed;
    double *q[NQ];
};

/* One row's summary over the members: the TSV and the NetCDF table write the same. */
struct row_summary {
    size_t nfail, ndual;
    double pm, ps, pd, lo, hi;
    double q[NQ][3]; /* p10, p50, p90 */
    double mag;      /* the median magnetic objective (the ranking's third key) */
};

struct exsol_ensemble {
    exsol_ds *ds;
    exsol_gen_rows *rows;
    const exsol_params *p;
    const exsol_members *m;
    const struct exsol_stage_notes *notes;
    char tmpdir[512];
    size_t n, nm, nb; /* rows, members, rows per block */
    struct cells blk; /* the block being run */
    struct cells all; /* every row's cells, only when kept (exsol_ensemble_keep_members) */
    int keep;
    struct row_summary *sum; /* [row], filled block by block */
    double *pv;              /* [member * np + k]: the member's parameter values in SI */
    int *front;              /* the ranking on probability (exsol_ensemble_rank), set by run */
    long *rank;
    size_t np;
    int ran;
    /* the per-row tables written block by block during run (exsol_ensemble_stream) */
    FILE *s_values, *s_sens, *s_sobol;
    size_t s_nbase;
    /* families (exsol_ensemble_set_families): fam_rows lists the rows of family f at
     * fam_rows[fam_start[f] .. fam_start[f + 1]), each in input order; families are
     * numbered by their first row */
    size_t nfam, *fam_start, *fam_rows;
};

static void cells_free(struct cells *c)
{
    free(c->flags), free(c->metal), free(c->spm), free(c->dual), free(c->failed);
    for (int k = 0; k < NQ; k++)
        free(c->q[k]);
    memset(c, 0, sizeof *c);
}

static int cells_alloc(struct cells *c, size_t nm, size_t stride)
{
    size_t cells = nm * stride;
    c->stride = stride;
    c->flags = malloc(cells * sizeof *c->flags);
    c->metal = calloc(cells, 1), c->spm = calloc(cells, 1);
    c->dual = calloc(cells, 1), c->failed = calloc(cells, 1);
    int ok = c->flags && c->metal && c->spm && c->dual && c->failed;
    for (int k = 0; k < NQ; k++)
        ok = ok && (c->q[k] = malloc(cells * sizeof *c->q[k])) != NULL;
    return ok ? 0 : EXSOL_ENOMEM;
}

void exsol_ensemble_free(exsol_ensemble *e)
{
    if (!e)
        return;
    exsol_gen_rows_free(e->rows);
    exsol_ds_close(e->ds);
    cells_free(&e->blk), cells_free(&e->all);
    free(e->sum), free(e->pv), free(e->front), free(e->rank);
    free(e->fam_start), free(e->fam_rows);
    free(e);
}

size_t exsol_ensemble_rows(const exsol_ensemble *e)
{
    return e ? e->n : 0;
}

int exsol_ensemble_create(exsol_ensemble **out, const exsol_params *p, const char *input,
                          const struct exsol_members *m,
                          const struct exsol_stage_ensemble_opts *o,
                          const struct exsol_stage_notes *notes, char *err, size_t errlen)
{
    exsol_ensemble *e = calloc(1, sizeof *e);
    int rc;
    if (!(*out = e))
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    e->p = p;
    e->m = m;
    e->notes = notes;
    e->nm = exsol_members_count(m);
    if (e->nm == 0)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE, "no members");
    const char *td = o && o->tmpdir ? o->tmpdir : getenv("TMPDIR");
    if (!td || !td[0])
        td = "/tmp";
    if (snprintf(e->tmpdir, sizeof e->tmpdir, "%s", td) >= (int)sizeof e->tmpdir)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE, "temporary folder name too long");
    if ((rc = exsol_ds_open(input, &e->ds, err, errlen)) ||
        (rc = exsol_stage_check_units(e->ds, err, errlen)) ||
        (rc = exsol_gen_rows_load(e->ds, &e->rows, err, errlen)))
        return rc;
    e->n = exsol_gen_rows_count(e->rows);
    if (e->n == 0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "the input holds no candidate");
    e->nb = o && o->block_rows ? o->block_rows : EXSOL_ENSEMBLE_BLOCK_ROWS;
    if (e->nb > e->n)
        e->nb = e->n;
    size_t cells = e->nb * e->nm;
    if (cells / e->nm != e->nb || cells > 500000000)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                            "%zu rows per block x %zu members is too large", e->nb, e->nm);
    e->np = exsol_members_nparams(m);
    e->pv = malloc((e->np ? e->np : 1) * e->nm * sizeof *e->pv);
    e->sum = malloc(e->n * sizeof *e->sum);
    if (!e->pv || !e->sum || cells_alloc(&e->blk, e->nm, e->nb))
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    return 0;
}

int exsol_ensemble_keep_members(exsol_ensemble *e, char *err, size_t errlen)
{
    if (e->keep)
        return 0;
    size_t cells = e->n * e->nm;
    if (cells / e->nm != e->n || cells > 500000000)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                            "%zu rows x %zu members is too large to keep every member's "
                            "values",
                            e->n, e->nm);
    if (cells_alloc(&e->all, e->nm, e->n))
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    e->keep = 1;
    return 0;
}

int exsol_ensemble_stream(exsol_ensemble *e, FILE *member_values, FILE *sensitivity,
                          FILE *sobol, size_t nbase)
{
    if (sobol && (nbase < 2 || e->nm != nbase * (e->np + 2)))
        return EXSOL_EUSAGE; /* not the members of a Saltelli design */
    e->s_values = member_values;
    e->s_sens = sensitivity;
    e->s_sobol = sobol;
    e->s_nbase = nbase;
    return 0;
}

/* The verdicts and values of one member's chain output over the block's nr rows. */
static int member_verdicts(exsol_ensemble *e, const exsol_params *pm, const exsol_ds *ds,
                           size_t member, size_t i0, size_t nr, char *err, size_t errlen)
{
    struct exsol_rank_params rp;
    struct exsol_stage_rank_rows r;
    double *den = NULL, *dia = NULL;
    int rc = exsol_stage_rank_rows_read(ds, nr, "ensemble", &r, err, errlen);
    if (!rc && !(rc = exsol_rank_params_from(pm, &rp, err, errlen)))
        rc = exsol_rank_params_check(&rp, err, errlen);
    if (!rc)
        rc = exsol_stage_read_column(ds, "surface_particle_density", nr, "ensemble", &den, err,
                                     errlen);
    if (!rc)
        rc = exsol_stage_read_column(ds, "surface_mean_diameter", nr, "ensemble", &dia, err,
                                     errlen);
    if (rc == EXSOL_ENOMEM)
        exsol_seterr(err, errlen, rc, "out of memory");
    const double *q[NQ] = {r.in.log10_rho_ratio, r.in.M_300K_reduced_A_m, den, dia};
    struct cells *c = &e->blk;
    for (size_t i = 0; i < nr && !rc; i++) {
        size_t at = member * c->stride + i;
        const unsigned char *excl = r.excl;
        unsigned f = exsol_rank_row_flags(&rp, &r.in, i);
        c->flags[at] = f;
        c->failed[at] = excl[i] != 0;
        c->dual[at] = (unsigned char)exsol_rank_flags_dual(f);
        c->metal[at] = !excl[i] && r.ins[i] == 1 && r.met[i] == 1 &&
                       !(f & EXSOL_RANK_F_RATIO) && !(f & EXSOL_RANK_F_MISSING);
        c->spm[at] = !excl[i] && r.spm[i] == 1;
        for (int k = 0; k < NQ; k++)
            c->q[k][at] = excl[i] ? NAN : q[k][i];
        if (e->keep) {
            struct cells *a = &e->all;
            size_t to = member * a->stride + i0 + i;
            a->flags[to] = c->flags[at];
            a->failed[to] = c->failed[at];
            a->dual[to] = c->dual[at];
            a->metal[to] = c->metal[at];
            a->spm[to] = c->spm[at];
            for (int k = 0; k < NQ; k++)
                a->q[k][to] = c->q[k][at];
        }
    }
    free(den), free(dia);
    exsol_stage_rank_rows_free(&r);
    return rc;
}

/* Row i of the block (cells c) over the members into r; v holds nm doubles. */
static void summarise(const struct cells *c, size_t nm, size_t i, double *v,
                      struct row_summary *r)
{
    size_t a = 0, b = 0;
    r->nfail = r->ndual = 0;
    for (size_t j = 0; j < nm; j++) {
        r->nfail += c->failed[j * c->stride + i];
        r->ndual += c->dual[j * c->stride + i];
        a += c->metal[j * c->stride + i];
        b += c->spm[j * c->stride + i];
    }
    r->pm = (double)a / (double)nm;
    r->ps = (double)b / (double)nm;
    r->pd = (double)r->ndual / (double)nm;
    exsol_wilson90(r->ndual, nm, &r->lo, &r->hi);
    for (int k = 0; k < NQ; k++) {
        size_t nv = 0;
        for (size_t j = 0; j < nm; j++) {
            double x = c->q[k][j * c->stride + i];
            if (!isnan(x))
                v[nv++] = x;
        }
        exsol_sort_doubles(v, nv);
        r->q[k][0] = exsol_quantile_sorted(v, nv, 0.1);
        r->q[k][1] = exsol_quantile_sorted(v, nv, 0.5);
        r->q[k][2] = exsol_quantile_sorted(v, nv, 0.9);
    }
    size_t nv = 0;
    for (size_t j = 0; j < nm; j++) {
        size_t at = j * c->stride + i;
        double x = c->failed[at]
                       ? NAN
                       : exsol_rank_magnetic_objective(c->q[Q_M][at], c->spm[at] ? 1 : 0);
        if (!isnan(x))
            v[nv++] = x;
    }
    exsol_sort_doubles(v, nv);
    r->mag = exsol_quantile_sorted(v, nv, 0.5);
}

static int write_members_block(const exsol_ensemble *e, size_t i0, size_t nr, FILE *fp);
static int write_sensitivity_block(const exsol_ensemble *e, size_t i0, size_t nr, FILE *fp);
static int write_sobol_block(const exsol_ensemble *e, size_t i0, size_t nr, FILE *fp);

/* The block's rows reduced to their summaries, and its lines of the streamed tables. */
static int reduce_block(exsol_ensemble *e, size_t i0, size_t nr, char *err, size_t errlen)
{
    double *v = malloc(e->nm * sizeof *v);
    if (!v)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    for (size_t i = 0; i < nr; i++)
        summarise(&e->blk, e->nm, i, v, &e->sum[i0 + i]);
    free(v);
    int rc = 0;
    if (e->s_values && (rc = write_members_block(e, i0, nr, e->s_values)))
        return exsol_seterr(err, errlen, rc, "cannot write the member values");
    if (e->s_sens && (rc = write_sensitivity_block(e, i0, nr, e->s_sens)))
        return exsol_seterr(err, errlen, rc, "cannot write the sensitivities");
    if (e->s_sobol && (rc = write_sobol_block(e, i0, nr, e->s_sobol)))
        return exsol_seterr(err, errlen, rc, "cannot write the Sobol indices");
    return 0;
}

int exsol_ensemble_run(exsol_ensemble *e, char *err, size_t errlen)
{
    struct exsol_out_opts oo = {0};
    size_t *rows = malloc(e->n * sizeof *rows);
    double *T = malloc(e->n * sizeof *T), *t = malloc(e->n * sizeof *t);
    int rc = rows && T && t ? 0 : exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    oo.no_history = 1;
    oo.force_cdf5 = 1;
    oo.title = "exsol-ensemble member";
    for (size_t i = 0; i < e->n && !rc; i++) {
        rows[i] = i;
        T[i] = exsol_gen_rows_double(e->rows, "T_anneal", i);
        t[i] = exsol_gen_rows_double(e->rows, "t_anneal", i);
    }
    /* block by block: every member over the block's rows (the members do not depend on
     * the rows, so a row's verdicts are those of the whole-input run), then the block
     * reduced to its rows' summaries before the next */
    for (size_t i0 = 0; i0 < e->n && !rc; i0 += e->nb) {
        const size_t nr = e->n - i0 < e->nb ? e->n - i0 : e->nb;
        for (size_t j = 0; j < e->nm && !rc; j++) {
            char path[4][EXSOL_CHAIN_PATH_MAX];
            exsol_ds *ds = NULL;
            exsol_params *pm = exsol_params_clone(e->p);
            if (!pm) {
                rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
                break;
            }
            rc = exsol_members_apply(e->m, j, pm, err, errlen);
            for (size_t k = 0; k < e->np && !rc && i0 == 0; k++)
                e->pv[j * e->np + k] = exsol_params_get(pm, exsol_members_name(e->m, k));
            if (!rc)
                rc = exsol_stage_chain_paths(e->tmpdir, "exsol-ensemble", (unsigned long)j,
                                             path, err, errlen);
            if (!rc) {
                int slot[4];
                exsol_stage_chain_guard(path, slot);
                rc = exsol_gen_rows_write(e->rows, rows + i0, T + i0, t + i0, nr, path[0], &oo,
                                          err, errlen);
                if (!rc)
                    rc = exsol_stage_run_chain(pm, path, nr, "member", &oo, &ds, err, errlen);
                exsol_stage_chain_unguard(slot);
            }
            if (!rc)
                rc = member_verdicts(e, pm, ds, j, i0, nr, err, errlen);
            exsol_ds_close(ds);
            exsol_params_free(pm);
            if (!rc)
                exsol_stage_notef(e->notes, EXSOL_NOTE_DEBUG,
                                  "rows %zu-%zu of %zu: member %zu of %zu done", i0 + 1,
                                  i0 + nr, e->n, j + 1, e->nm);
        }
        if (!rc)
            rc = reduce_block(e, i0, nr, err, errlen);
    }
    free(rows), free(T), free(t);
    /* the ranking once, for every writer */
    if (!rc && (!(e->front = malloc(e->n * sizeof *e->front)) ||
                !(e->rank = malloc(e->n * sizeof *e->rank)) ||
                exsol_ensemble_rank(e, e->front, e->rank)))
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    e->ran = !rc;
    return rc;
}

void exsol_ensemble_probabilities(const exsol_ensemble *e, size_t i, double *p_metal,
                                  double *p_spm, double *p_dual)
{
    *p_metal = e->sum[i].pm;
    *p_spm = e->sum[i].ps;
    *p_dual = e->sum[i].pd;
}

/* The ranking on probability: fronts of the non-dominated sorting over P_dual, the
 * median log10 rho ratio and the median magnetic objective (exsol-rank's objective 2,
 * M_300K_1T_reduced where the member is superparamagnetic at 300 K, else 0, per
 * member), then within a front by P_dual, the median ratio and the input row. */
struct prank {
    const double *key[3]; /* each descending, NaN last */
};

static int prank_less3(size_t a, size_t b, const void *ctx)
{
    const struct prank *r = ctx;
    for (int m = 0; m < 3; m++) {
        double x = r->key[m][a], y = r->key[m][b];
        if (isnan(x) && isnan(y))
            continue;
        if (isnan(x) || isnan(y))
            return isnan(y);
        if (x != y)
            return x > y;
    }
    return a < b;
}

int exsol_ensemble_rank(const exsol_ensemble *e, int *front, long *rank)
{
    const size_t n = e->n;
    double *P = malloc(n * sizeof *P), *ratio = malloc(n * sizeof *ratio);
    double *mag = malloc(n * sizeof *mag);
    size_t *perm = malloc(n * sizeof *perm);
    int rc = P && ratio && mag && perm ? 0 : EXSOL_ENOMEM;
    for (size_t i = 0; i < n && !rc; i++) {
        P[i] = e->sum[i].pd;
        ratio[i] = e->sum[i].q[Q_RATIO][1];
        mag[i] = e->sum[i].mag;
    }
    const double *obj[3] = {P, ratio, mag};
    if (!rc)
        rc = exsol_rank_pareto_k(n, 3, obj, front);
    /* order: front, then P_dual and the median ratio (both descending), then row */
    double *fr = rc ? NULL : malloc(n * sizeof *fr);
    if (!rc && !fr)
        rc = EXSOL_ENOMEM;
    for (size_t i = 0; i < n && !rc; i++)
        fr[i] = -(double)front[i];
    struct prank r = {{fr, P, ratio}};
    if (!rc)
        rc = exsol_rank_sort(n, prank_less3, &r, perm, NULL);
    for (size_t k = 0; k < n && !rc; k++)
        rank[perm[k]] = (long)k + 1;
    free(P), free(ratio), free(mag), free(perm), free(fr);
    return rc;
}

static const char *const pc_names[3] = {"p10", "p50", "p90"};

int exsol_ensemble_write(const exsol_ensemble *e, FILE *fp)
{
    if (!e->ran)
        return EXSOL_EUSAGE;
    const int *front = e->front;
    const long *rank = e->rank;
    struct exsol_tsv t;
    int rc = 0;
    exsol_tsv_init(&t, EXSOL_TSV, EXSOL_TSV_G6);
    static const char *const head[] = {"input_row", "formula",     "T_anneal",   "t_anneal",
                                       "members",   "failed",      "P_metallic", "P_spm_300K",
                                       "P_dual",    "P_dual_lo90", "P_dual_hi90"};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        exsol_tsv_text(&t, head[k]);
    for (int k = 0; k < NQ; k++) {
        char name[80];
        for (int c = 0; c < 3; c++) {
            snprintf(name, sizeof name, "%s_%s", q_names[k], pc_names[c]);
            exsol_tsv_text(&t, name);
        }
    }
    exsol_tsv_text(&t, "pareto_front_P");
    exsol_tsv_text(&t, "rank_P");
    exsol_tsv_endl(&t);
    for (size_t i = 0; i < e->n && !rc; i++) {
        const struct row_summary r = e->sum[i];
        exsol_tsv_long(&t, (long)i);
        exsol_tsv_text(&t, exsol_gen_rows_text(e->rows, "formula", i));
        exsol_tsv_double(&t, exsol_gen_rows_double(e->rows, "T_anneal", i));
        exsol_tsv_double(&t, exsol_gen_rows_double(e->rows, "t_anneal", i));
        exsol_tsv_long(&t, (long)e->nm);
        exsol_tsv_long(&t, (long)r.nfail);
        exsol_tsv_double(&t, r.pm);
        exsol_tsv_double(&t, r.ps);
        exsol_tsv_double(&t, r.pd);
        exsol_tsv_double(&t, r.lo);
        exsol_tsv_double(&t, r.hi);
        for (int k = 0; k < NQ; k++)
            for (int c = 0; c < 3; c++)
                exsol_tsv_double(&t, r.q[k][c]);
        exsol_tsv_long(&t, front[i]);
        exsol_tsv_long(&t, rank[i]);
        exsol_tsv_endl(&t);
        rc = exsol_tsv_write(&t, fp);
    }
    if (!rc)
        rc = exsol_tsv_write(&t, fp);
    exsol_tsv_release(&t);
    return rc;
}

int exsol_ensemble_netcdf_create(const exsol_ensemble *e, const char *path,
                                 const struct exsol_out_opts *oo, exsol_ds_out **o, char *err,
                                 size_t errlen)
{
    return exsol_ds_out_create(path, e->ds, oo, o, err, errlen);
}

static const char *const q_units[NQ] = {"1", "A m-1", "m-2", "m"};
static const char *const q_long[NQ] = {"log10 of the resistivity ratio pristine / reduced",
                                       "magnetisation at 300 K and 1 T after the anneal",
                                       "surface particle number density",
                                       "surface particle mean diameter"};

/* the table's variables, in the TSV's order; then, with members, the member
 * coordinate, the members' parameter values (SI) and the member-level values */
static int nc_define(const exsol_ensemble *e, exsol_ds_out *o, const exsol_params *p,
                     int with_members)
{
    int rc = exsol_ds_out_def_int_set(o, "members", "1", "ensemble members per row");
    if (!rc)
        rc = exsol_ds_out_def_int_set(o, "failed_members", "1",
                                      "members on which a stage failed (no switch there)");
    static const char *const pn[5] = {"P_metallic", "P_spm_300K", "P_dual", "P_dual_lo90",
                                      "P_dual_hi90"};
    static const char *const pl[5] = {
        "fraction of the members that switch insulator -> degenerate metal",
        "fraction of the members superparamagnetic at 300 K after the anneal",
        "fraction of the members that give exsol-rank's dual switch",
        "lower end of the Wilson 90 % interval of P_dual",
        "upper end of the Wilson 90 % interval of P_dual"};
    for (int k = 0; k < 5 && !rc; k++)
        rc = exsol_ds_out_def_double(o, pn[k], NULL, "1", pl[k]);
    for (int k = 0; k < NQ && !rc; k++)
        for (int c = 0; c < 3 && !rc; c++) {
            char name[80], ln[200];
            snprintf(name, sizeof name, "%s_%s", q_names[k], pc_names[c]);
            snprintf(ln, sizeof ln, "%s, %s over the members", q_long[k], pc_names[c]);
            rc = exsol_ds_out_def_double(o, name, NULL, q_units[k], ln);
        }
    if (!rc)
        rc = exsol_ds_out_def_int_set(
            o, "pareto_front_P", "1",
            "front of the ranking on probability (P_dual, median ratio, "
            "median magnetic objective)");
    if (!rc)
        rc = exsol_ds_out_def_int_set(o, "rank_P", "1", "rank on probability (1 = best)");
    if (!rc)
        rc = exsol_ds_out_put_att_double(o, NULL, "ensemble_members", (double)e->nm);
    if (!rc && with_members) {
        double *idx = malloc(e->nm * sizeof *idx);
        if (!idx)
            return EXSOL_ENOMEM;
        for (size_t j = 0; j < e->nm; j++)
            idx[j] = (double)j;
        rc = exsol_ds_out_def_coord(o, "member", e->nm, "1", "ensemble member", idx);
        free(idx);
        double *col = malloc(e->nm * sizeof *col);
        if (!col)
            return EXSOL_ENOMEM;
        for (size_t k = 0; k < e->np && !rc; k++) {
            const char *name = exsol_members_name(e->m, k);
            char vn[120], ln[200];
            const char *unit = "1";
            for (size_t i = 0; i < exsol_params_count(p); i++)
                if (strcmp(exsol_params_name(p, i), name) == 0)
                    unit = exsol_params_si_unit(p, i);
            for (size_t j = 0; j < e->nm; j++)
                col[j] = e->pv[j * e->np + k];
            snprintf(vn, sizeof vn, "param_%s", name);
            snprintf(ln, sizeof ln, "the member's value of parameter %s (SI)", name);
            rc = exsol_ds_out_def_fixed(o, vn, "member", unit[0] ? unit : "1", ln, col);
        }
        free(col);
        static const char *const mv[4] = {"member_failed", "member_metallic_switch",
                                          "member_spm_300K", "member_dual_switch"};
        static const char *const ml[4] = {"1 where a stage failed under the member",
                                          "1 where the member switches to a degenerate metal",
                                          "1 where the member is superparamagnetic at 300 K",
                                          "1 where the member gives the dual switch"};
        for (int k = 0; k < 4 && !rc; k++)
            rc = exsol_ds_out_def_double(o, mv[k], "member", "1", ml[k]);
        for (int k = 0; k < NQ && !rc; k++) {
            char name[80], ln[200];
            snprintf(name, sizeof name, "member_%s", q_names[k]);
            snprintf(ln, sizeof ln, "%s under the member", q_long[k]);
            rc = exsol_ds_out_def_double(o, name, "member", q_units[k], ln);
        }
    }
    return rc;
}

int exsol_ensemble_write_netcdf(const exsol_ensemble *e, exsol_ds_out *o, const exsol_params *p,
                                int with_members, char *err, size_t errlen)
{
    if (!e->ran)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE, "the ensemble has not run");
    if (with_members && !e->keep)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                            "the member values were not kept (exsol_ensemble_keep_members)");
    const size_t n = e->n, nm = e->nm;
    int rc = nc_define(e, o, p, with_members);
    if (rc)
        return exsol_seterr(err, errlen, rc, "cannot define the output: %s",
                            exsol_ds_out_errmsg(o));
    if ((rc = exsol_ds_out_enddef(o, err, errlen)))
        return rc;
    enum { NCOL = 5 + 3 * NQ };
    double *col = malloc((size_t)NCOL * n * sizeof *col);
    int *mem = malloc(n * sizeof *mem), *fail = malloc(n * sizeof *fail);
    const int *front = e->front;
    const long *rank = e->rank;
    rc = col && mem && fail ? 0 : EXSOL_ENOMEM;
    for (size_t i = 0; i < n && !rc; i++) {
        const struct row_summary r = e->sum[i];
        mem[i] = (int)nm;
        fail[i] = (int)r.nfail;
        double row[NCOL] = {r.pm, r.ps, r.pd, r.lo, r.hi};
        for (int k = 0; k < NQ; k++)
            for (int c = 0; c < 3; c++)
                row[5 + 3 * k + c] = r.q[k][c];
        for (int c = 0; c < NCOL; c++)
            col[(size_t)c * n + i] = row[c];
    }
    if (rc == EXSOL_ENOMEM)
        exsol_seterr(err, errlen, rc, "out of memory");
    if (!rc)
        rc = exsol_ds_out_write_int(o, "members", 0, n, mem, err, errlen);
    if (!rc)
        rc = exsol_ds_out_write_int(o, "failed_members", 0, n, fail, err, errlen);
    static const char *const pn[5] = {"P_metallic", "P_spm_300K", "P_dual", "P_dual_lo90",
                                      "P_dual_hi90"};
    for (int c = 0; c < NCOL && !rc; c++) {
        char name[80];
        if (c < 5)
            snprintf(name, sizeof name, "%s", pn[c]);
        else
            snprintf(name, sizeof name, "%s_%s", q_names[(c - 5) / 3], pc_names[(c - 5) % 3]);
        rc = exsol_ds_out_write_double(o, name, 0, n, col + (size_t)c * n, err, errlen);
    }
    for (size_t i = 0; i < n && !rc; i++)
        mem[i] = (int)rank[i];
    if (!rc)
        rc = exsol_ds_out_write_int(o, "pareto_front_P", 0, n, front, err, errlen);
    if (!rc)
        rc = exsol_ds_out_write_int(o, "rank_P", 0, n, mem, err, errlen);
    if (!rc && with_members) {
        double *cm = malloc(n * nm * sizeof *cm);
        if (!cm)
            rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        static const char *const mv[4] = {"member_failed", "member_metallic_switch",
                                          "member_spm_300K", "member_dual_switch"};
        const unsigned char *mb[4] = {e->all.failed, e->all.metal, e->all.spm, e->all.dual};
        for (int k = 0; k < 4 + NQ && !rc; k++) {
            char name[80];
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < nm; j++)
                    cm[i * nm + j] =
                        k < 4 ? (double)mb[k][j * n + i] : e->all.q[k - 4][j * n + i];
            if (k < 4)
                snprintf(name, sizeof name, "%s", mv[k]);
            else
                snprintf(name, sizeof name, "member_%s", q_names[k - 4]);
            rc = exsol_ds_out_write_double(o, name, 0, n, cm, err, errlen);
        }
        free(cm);
    }
    free(col), free(mem), free(fail);
    return rc;
}

/* The member values of the block's rows i0 .. i0 + nr, the header before the first. */
static int write_members_block(const exsol_ensemble *e, size_t i0, size_t nr, FILE *fp)
{
    const struct cells *cb = &e->blk;
    struct exsol_tsv t;
    int rc = 0;
    exsol_tsv_init(&t, EXSOL_TSV, EXSOL_TSV_G6);
    static const char *const head[] = {"input_row",       "member",   "failed",
                                       "metallic_switch", "spm_300K", "dual_switch",
                                       "rank_flags"};
    if (i0 == 0) {
        for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
            exsol_tsv_text(&t, head[k]);
        for (int k = 0; k < NQ; k++)
            exsol_tsv_text(&t, q_names[k]);
        exsol_tsv_endl(&t);
    }
    for (size_t i = 0; i < nr && !rc; i++)
        for (size_t j = 0; j < e->nm && !rc; j++) {
            size_t at = j * cb->stride + i;
            exsol_tsv_long(&t, (long)(i0 + i));
            exsol_tsv_long(&t, (long)j);
            exsol_tsv_long(&t, cb->failed[at]);
            exsol_tsv_long(&t, cb->metal[at]);
            exsol_tsv_long(&t, cb->spm[at]);
            exsol_tsv_long(&t, cb->dual[at]);
            exsol_tsv_long(&t, (long)cb->flags[at]);
            for (int k = 0; k < NQ; k++)
                exsol_tsv_double(&t, cb->q[k][at]);
            exsol_tsv_endl(&t);
            rc = exsol_tsv_write(&t, fp);
        }
    if (!rc)
        rc = exsol_tsv_write(&t, fp);
    exsol_tsv_release(&t);
    return rc;
}

int exsol_ensemble_write_matrix(const struct exsol_members *m, FILE *fp)
{
    struct exsol_tsv t;
    int rc = 0;
    exsol_tsv_init(&t, EXSOL_TSV, EXSOL_TSV_EXACT);
    exsol_tsv_text(&t, "member");
    for (size_t k = 0; k < exsol_members_nparams(m); k++)
        exsol_tsv_text(&t, exsol_members_name(m, k));
    exsol_tsv_endl(&t);
    for (size_t j = 0; j < exsol_members_count(m) && !rc; j++) {
        exsol_tsv_long(&t, (long)j);
        for (size_t k = 0; k < exsol_members_nparams(m); k++)
            exsol_tsv_text(&t, exsol_members_cell(m, j, k));
        exsol_tsv_endl(&t);
        rc = exsol_tsv_write(&t, fp);
    }
    if (!rc)
        rc = exsol_tsv_write(&t, fp);
    exsol_tsv_release(&t);
    return rc;
}

/* Average ranks (1-based, ties shared) of v[0..n) into r. */
static void ranks(const double *v, size_t n, double *r, size_t *idx)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    /* insertion sort of the indices: n is the member count (tens to hundreds) */
    for (size_t i = 1; i < n; i++) {
        size_t x = idx[i], j = i;
        while (j > 0 && v[idx[j - 1]] > v[x]) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = x;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && v[idx[j + 1]] == v[idx[i]])
            j++;
        double avg = 0.5 * (double)(i + j) + 1.0;
        for (size_t k = i; k <= j; k++)
            r[idx[k]] = avg;
        i = j + 1;
    }
}

/* The Sobol tables' index columns: S1_<name> and ST_<name> per quantity. */
static void sobol_head(struct exsol_tsv *t, const char *const *names, int nq)
{
    for (int q = 0; q < nq; q++) {
        char name[80];
        snprintf(name, sizeof name, "S1_%s", names[q]);
        exsol_tsv_text(t, name);
        snprintf(name, sizeof name, "ST_%s", names[q]);
        exsol_tsv_text(t, name);
    }
    exsol_tsv_endl(t);
}

/* The indices of quantity q from its member values f into out[(c nq + q) 2 + {0, 1}]. */
static void sobol_store(size_t nbase, size_t k, const double *f, int q, int nq, double *S1,
                        double *ST, double *out)
{
    exsol_sobol_indices(nbase, k, f, 1, S1, ST);
    for (size_t c = 0; c < k; c++) {
        out[(c * (size_t)nq + (size_t)q) * 2] = S1[c];
        out[(c * (size_t)nq + (size_t)q) * 2 + 1] = ST[c];
    }
}

/* Parameter c's index cells, every quantity's S1 and ST. */
static void sobol_cells(struct exsol_tsv *t, const double *out, size_t c, int nq)
{
    for (int q = 0; q < nq; q++) {
        exsol_tsv_double(t, out[(c * (size_t)nq + (size_t)q) * 2]);
        exsol_tsv_double(t, out[(c * (size_t)nq + (size_t)q) * 2 + 1]);
    }
}

/* Spearman's rank correlation of the pairs where both are numbers; NaN when fewer than
 * three pairs or either side is constant. */
static double spearman(const double *x, const double *y, size_t n, double *buf, size_t *idx)
{
    double *a = buf, *b = buf + n, *ra = buf + 2 * n, *rb = buf + 3 * n;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]) && !isnan(y[i])) {
            a[m] = x[i];
            b[m] = y[i];
            m++;
        }
    if (m < 3)
        return NAN;
    ranks(a, m, ra, idx);
    ranks(b, m, rb, idx);
    double mean = 0.5 * (double)(m + 1), sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < m; i++) {
        sab += (ra[i] - mean) * (rb[i] - mean);
        saa += (ra[i] - mean) * (ra[i] - mean);
        sbb += (rb[i] - mean) * (rb[i] - mean);
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : NAN;
}

/* The sensitivities of the block's rows i0 .. i0 + nr, the header before the first. */
static int write_sensitivity_block(const exsol_ensemble *e, size_t i0, size_t nr, FILE *fp)
{
    const size_t nm = e->nm;
    const struct cells *cb = &e->blk;
    double *buf = malloc(6 * nm * sizeof *buf);
    size_t *idx = malloc(nm * sizeof *idx);
    struct exsol_tsv t;
    int rc = buf && idx ? 0 : EXSOL_ENOMEM;
    double *x = buf ? buf + 4 * nm : NULL, *y = buf ? buf + 5 * nm : NULL;
    exsol_tsv_init(&t, EXSOL_TSV, EXSOL_TSV_G6);
    if (i0 == 0) {
        exsol_tsv_text(&t, "input_row");
        exsol_tsv_text(&t, "parameter");
        exsol_tsv_text(&t, "rho_dual_switch");
        for (int k = 0; k < NQ; k++) {
            char name[80];
            snprintf(name, sizeof name, "rho_%s", q_names[k]);
            exsol_tsv_text(&t, name);
        }
        exsol_tsv_endl(&t);
    }
    for (size_t i = 0; i < nr && !rc; i++)
        for (size_t k = 0; k < e->np && !rc; k++) {
            for (size_t j = 0; j < nm; j++) {
                x[j] = e->pv[j * e->np + k];
                y[j] =
                    cb->failed[j * cb->stride + i] ? NAN : (double)cb->dual[j * cb->stride + i];
            }
            exsol_tsv_long(&t, (long)(i0 + i));
            exsol_tsv_text(&t, exsol_members_name(e->m, k));
            exsol_tsv_double(&t, spearman(x, y, nm, buf, idx));
            for (int q = 0; q < NQ; q++) {
                for (size_t j = 0; j < nm; j++)
                    y[j] = cb->q[q][j * cb->stride + i];
                exsol_tsv_double(&t, spearman(x, y, nm, buf, idx));
            }
            exsol_tsv_endl(&t);
            rc = exsol_tsv_write(&t, fp);
        }
    if (!rc)
        rc = exsol_tsv_write(&t, fp);
    exsol_tsv_release(&t);
    free(buf), free(idx);
    return rc;
}

/* The Sobol indices of the block's rows i0 .. i0 + nr, the header before the first
 * (the design checked by exsol_ensemble_stream). */
static int write_sobol_block(const exsol_ensemble *e, size_t i0, size_t nr, FILE *fp)
{
    const size_t nm = e->nm, nbase = e->s_nbase, k = e->np;
    const struct cells *cb = &e->blk;
    /* the verdict (0/1) and the four quantities, log10 for the density (floored at
     * 1 per mm^2, 1e6 m^-2: no particles is then 6, not -inf) */
    enum { NS = 1 + NQ };
    static const char *const s_names[NS] = {"dual_switch", "log10_rho_ratio",
                                            "M_300K_1T_reduced", "log10_surface_density",
                                            "surface_mean_diameter"};
    double *f = malloc(nm * sizeof *f), *S1 = malloc(k * sizeof *S1);
    double *ST = malloc(k * sizeof *ST), *out = malloc(NS * 2 * (k ? k : 1) * sizeof *out);
    struct exsol_tsv t;
    int rc = f && S1 && ST && out ? 0 : EXSOL_ENOMEM;
    exsol_tsv_init(&t, EXSOL_TSV, EXSOL_TSV_G6);
    if (i0 == 0) {
        exsol_tsv_text(&t, "input_row");
        exsol_tsv_text(&t, "parameter");
        sobol_head(&t, s_names, NS);
    }
    for (size_t i = 0; i < nr && !rc; i++) {
        for (int q = 0; q < NS; q++) {
            for (size_t j = 0; j < nm; j++) {
                size_t at = j * cb->stride + i;
                double x = q == 0   ? (cb->failed[at] ? NAN : (double)cb->dual[at])
                           : q == 3 ? log10(fmax(cb->q[Q_DENSITY][at], 1e6))
                                    : cb->q[q == 1   ? Q_RATIO
                                            : q == 2 ? Q_M
                                                     : Q_DIAMETER][at];
                f[j] = x;
            }
            sobol_store(nbase, k, f, q, NS, S1, ST, out);
        }
        for (size_t c = 0; c < k && !rc; c++) {
            exsol_tsv_long(&t, (long)(i0 + i));
            exsol_tsv_text(&t, exsol_members_name(e->m, c));
            sobol_cells(&t, out, c, NS);
            exsol_tsv_endl(&t);
            rc = exsol_tsv_write(&t, fp);
        }
    }
    if (!rc)
        rc = exsol_tsv_write(&t, fp);
    exsol_tsv_release(&t);
    free(f), free(S1), free(ST), free(out);
    return rc;
}

/* The default family: every gen input that makes the film (composition, host,
 * substrate, thickness), so the rows of a family differ only in the anneal
 * (T_anneal, t_anneal) and its gas (p_H2, p_H2O); what gen derives from these
 * (delta_asgrown, tolerance factors, strain ...) follows them. */
static const char *const family_default[] = {"formula",
                                             "host",
                                             "dopant",
                                             "dopant_fraction",
                                             "dopant_valence",
                                             "dopant2",
                                             "dopant2_fraction",
                                             "dopant2_valence",
                                             "A_vacancy",
                                             "A_donor_fraction",
                                             "A_divalent_fraction",
                                             "B_donor_fraction",
                                             "substrate",
                                             "thickness"};

struct fam_sort {
    const exsol_gen_rows *r;
    const int *vars;
    size_t nv;
};

static int fam_less(size_t a, size_t b, const void *ctx)
{
    const struct fam_sort *f = ctx;
    int c = exsol_gen_rows_cmp(f->r, f->vars, f->nv, a, b);
    return c ? c < 0 : a < b;
}

int exsol_ensemble_set_families(exsol_ensemble *e, const char *list, char *err, size_t errlen)
{
    const size_t n = e->n;
    enum { MAXV = 64 };
    int vars[MAXV];
    size_t nv = 0;
    int rc = 0;
    if (!list) {
        for (size_t k = 0; k < sizeof family_default / sizeof family_default[0]; k++)
            vars[nv++] = exsol_schema_index(&exsol_schema_gen, family_default[k]);
    } else {
        const char *p = list;
        while (*p) {
            char name[128];
            size_t len = strcspn(p, ",");
            if (len == 0 || len >= sizeof name || nv == MAXV)
                return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                                    "--sobol-family: bad list '%s' (VAR[,VAR...])", list);
            memcpy(name, p, len);
            name[len] = '\0';
            int v = exsol_schema_index(&exsol_schema_gen, name);
            if (v < 0 || exsol_schema_gen.vars[v].shape != EXSOL_SCHEMA_ROW)
                return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                                    "--sobol-family: '%s' is not a per-candidate variable "
                                    "of exsol-gen",
                                    name);
            if (!exsol_gen_rows_has(e->rows, v))
                return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                                    "--sobol-family: the input has no '%s'", name);
            vars[nv++] = v;
            p += len;
            if (*p == ',')
                p++;
        }
    }
    size_t *perm = malloc(n * sizeof *perm), *id = malloc(n * sizeof *id);
    size_t *first = malloc(n * sizeof *first);
    free(e->fam_start), free(e->fam_rows);
    e->fam_start = malloc((n + 1) * sizeof *e->fam_start);
    e->fam_rows = malloc(n * sizeof *e->fam_rows);
    struct fam_sort fs = {e->rows, vars, nv};
    rc = perm && id && first && e->fam_start && e->fam_rows ? 0 : EXSOL_ENOMEM;
    if (!rc)
        rc = exsol_rank_sort(n, fam_less, &fs, perm, NULL);
    if (!rc) {
        /* groups of equal keys in sorted order; each group's first row (the sort is
         * stable, so its smallest) numbers it after renumbering by first row */
        size_t ng = 0;
        for (size_t k = 0; k < n; k++) {
            if (k == 0 || exsol_gen_rows_cmp(e->rows, vars, nv, perm[k - 1], perm[k]) != 0)
                first[ng++] = perm[k];
            id[perm[k]] = ng - 1;
        }
        /* rank of each group by its first row: first[] sorted ascending */
        size_t *order = perm; /* reuse: order[g] = group g's number by first row */
        size_t *byfirst = malloc(ng * sizeof *byfirst);
        if (!byfirst)
            rc = EXSOL_ENOMEM;
        else {
            size_t c = 0;
            for (size_t i = 0; i < n; i++) /* groups in order of first appearance */
                if (first[id[i]] == i)
                    byfirst[id[i]] = c++;
            for (size_t g = 0; g < ng; g++)
                order[g] = 0;
            for (size_t i = 0; i < n; i++)
                order[byfirst[id[i]]]++;
            e->fam_start[0] = 0;
            for (size_t g = 0; g < ng; g++)
                e->fam_start[g + 1] = e->fam_start[g] + order[g];
            for (size_t g = 0; g < ng; g++)
                order[g] = e->fam_start[g];
            for (size_t i = 0; i < n; i++)
                e->fam_rows[order[byfirst[id[i]]]++] = i;
            e->nfam = ng;
            free(byfirst);
        }
    }
    free(perm), free(id), free(first);
    if (rc)
        return exsol_seterr(err, errlen, rc, "out of memory");
    /* a family's rows may lie in any blocks: the family table reads every member's
     * values of every row after the run */
    return exsol_ensemble_keep_members(e, err, errlen);
}

int exsol_ensemble_write_sobol_families(const exsol_ensemble *e, size_t nbase, FILE *fp)
{
    if (!e->ran || !e->fam_start || !e->keep)
        return EXSOL_EUSAGE;
    const size_t nm = e->nm, n = e->n, k = e->np;
    if (nbase < 2 || nm != nbase * (k + 2))
        return EXSOL_EUSAGE; /* not the members of a Saltelli design */
    enum { NS = 3 };
    static const char *const s_names[NS] = {"dual_fraction", "log10_rho_ratio_median",
                                            "magnetic_objective_median"};
    /* per (member, row): the verdict (NaN where a stage failed), the ratio and the
     * ranking's magnetic objective (NaN where failed) */
    double *g[NS];
    for (int q = 0; q < NS; q++)
        g[q] = malloc(nm * n * sizeof *g[q]);
    double *f = malloc(nm * sizeof *f), *buf = malloc(n * sizeof *buf);
    double *S1 = malloc((k ? k : 1) * sizeof *S1), *ST = malloc((k ? k : 1) * sizeof *ST);
    double *out = malloc(NS * 2 * (k ? k : 1) * sizeof *out);
    struct exsol_tsv t;
    int rc = g[0] && g[1] && g[2] && f && buf && S1 && ST && out ? 0 : EXSOL_ENOMEM;
    for (size_t at = 0; at < nm * n && !rc; at++) {
        const struct cells *a = &e->all;
        int bad = a->failed[at];
        g[0][at] = bad ? NAN : (double)a->dual[at];
        g[1][at] = a->q[Q_RATIO][at];
        g[2][at] = bad ? NAN : exsol_rank_magnetic_objective(a->q[Q_M][at], a->spm[at] ? 1 : 0);
    }
    exsol_tsv_init(&t, EXSOL_TSV, EXSOL_TSV_G6);
    static const char *const head[] = {"family", "rows", "input_rows", "formula", "parameter"};
    for (size_t c = 0; c < sizeof head / sizeof head[0]; c++)
        exsol_tsv_text(&t, head[c]);
    sobol_head(&t, s_names, NS);
    for (size_t fa = 0; fa < e->nfam && !rc; fa++) {
        const size_t *rows = e->fam_rows + e->fam_start[fa];
        size_t nr = e->fam_start[fa + 1] - e->fam_start[fa];
        for (int q = 0; q < NS; q++) {
            exsol_sobol_family_values(nm, g[q], n, rows, nr,
                                      q == 0 ? EXSOL_SOBOL_MEAN : EXSOL_SOBOL_MEDIAN, f, buf);
            sobol_store(nbase, k, f, q, NS, S1, ST, out);
        }
        /* the family's input rows, comma separated */
        size_t len = 0, cap = 32 * nr + 1;
        char *list = malloc(cap);
        if (!list) {
            rc = EXSOL_ENOMEM;
            break;
        }
        list[0] = '\0';
        for (size_t r = 0; r < nr; r++)
            len += (size_t)snprintf(list + len, cap - len, "%s%zu", r ? "," : "", rows[r]);
        for (size_t c = 0; c < k && !rc; c++) {
            exsol_tsv_long(&t, (long)fa);
            exsol_tsv_long(&t, (long)nr);
            exsol_tsv_text(&t, list);
            exsol_tsv_text(&t, exsol_gen_rows_text(e->rows, "formula", rows[0]));
            exsol_tsv_text(&t, exsol_members_name(e->m, c));
            sobol_cells(&t, out, c, NS);
            exsol_tsv_endl(&t);
            rc = exsol_tsv_write(&t, fp);
        }
        free(list);
    }
    if (!rc)
        rc = exsol_tsv_write(&t, fp);
    exsol_tsv_release(&t);
    for (int q = 0; q < NS; q++)
        free(g[q]);
    free(f), free(buf), free(S1), free(ST), free(out);
    return rc;
}
