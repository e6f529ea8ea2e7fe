/* exsol-window's staging (stage.h): a gen-schema input grouped into films, the search
 * of exsol/window.h (libcore/physics/window.c), and its verdict callback, which runs
 * every round through the chain's own stages on temporary files:
 *
 *   round rows (film, T, t) -> gen-schema file (exsol_gen_rows_write)
 *     -> exsol_stage_reduce -> exsol_stage_transport -> exsol_stage_magnet
 *     -> exsol_rank_row_flags (the verdict of exsol-rank, row by row)
 *
 * so whatever the stages and the verdict compute, the window follows. Each round file
 * is unlinked as soon as the next stage has opened it (the stages read from their
 * open descriptor), so a run leaves nothing in the temporary folder on any exit
 * path; a file being written is an atomic-file temporary, which a fatal signal
 * removes. The verdict word of a point is 0 for a dual switch, otherwise the rank
 * flags plus the component flags the chain writes (no exsolution, not metallic,
 * blocked ...: flag_meanings of the limit_* variables). */
#include "exsol/window.h"

#include "exsol/error.h"
#include "exsol/members.h"
#include "exsol/rank.h"
#include "exsol/reduce.h"
#include "exsol/stage.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- gen-schema rows in memory ----------------------------------------- */

struct exsol_gen_rows {
    size_t n;
    void **col;   /* per gen variable: double*, int* or text (slot[v] bytes a row) */
    size_t *slot; /* text: width + 1 */
};

void exsol_gen_rows_free(exsol_gen_rows *r)
{
    if (!r)
        return;
    if (r->col)
        for (size_t v = 0; v < exsol_schema_gen.nvars; v++)
            free(r->col[v]);
    free(r->col);
    free(r->slot);
    free(r);
}

size_t exsol_gen_rows_count(const exsol_gen_rows *r)
{
    return r->n;
}

int exsol_gen_rows_load(const exsol_ds *ds, exsol_gen_rows **out, char *err, size_t errlen)
{
    const struct exsol_schema *s = &exsol_schema_gen;
    exsol_gen_rows *r = calloc(1, sizeof *r);
    int rc = 0;
    *out = NULL;
    if (!r || !(r->col = calloc(s->nvars, sizeof *r->col)) ||
        !(r->slot = calloc(s->nvars, sizeof *r->slot))) {
        exsol_gen_rows_free(r);
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    }
    r->n = exsol_ds_ncandidates(ds);
    size_t n = r->n ? r->n : 1;
    for (size_t v = 0; v < s->nvars && !rc; v++) {
        const struct exsol_schema_var *sv = &s->vars[v];
        if (sv->shape != EXSOL_SCHEMA_ROW)
            continue;
        enum exsol_vkind want = sv->type == EXSOL_SCHEMA_TEXT ? EXSOL_VK_TEXT : EXSOL_VK_SCALAR;
        if (exsol_gen_var_optional((int)v) && exsol_ds_var_kind(ds, sv->name) == EXSOL_VK_NONE)
            continue; /* a strain-free screen: the round files stay strain-free too */
        if (exsol_ds_var_kind(ds, sv->name) != want) {
            rc = exsol_seterr(err, errlen, EXSOL_EMISSINGVAR,
                              "input is not exsol-gen output: it has no per-candidate %s '%s'",
                              want == EXSOL_VK_TEXT ? "text variable" : "variable", sv->name);
            break;
        }
        if (sv->type == EXSOL_SCHEMA_TEXT) {
            r->slot[v] = sv->width + 1;
            r->col[v] = calloc(n, r->slot[v]);
            rc = r->col[v] ? exsol_ds_read_text(ds, sv->name, 0, r->n, r->col[v], r->slot[v],
                                                err, errlen)
                           : EXSOL_ENOMEM;
        } else if (sv->type == EXSOL_SCHEMA_INT) {
            r->col[v] = malloc(n * sizeof(int));
            rc = r->col[v] ? exsol_ds_read_int(ds, sv->name, 0, r->n, r->col[v], err, errlen)
                           : EXSOL_ENOMEM;
        } else {
            r->col[v] = malloc(n * sizeof(double));
            rc = r->col[v] ? exsol_ds_read_double(ds, sv->name, 0, r->n, r->col[v], err, errlen)
                           : EXSOL_ENOMEM;
        }
    }
    if (rc) {
        if (rc == EXSOL_ENOMEM)
            exsol_seterr(err, errlen, rc, "out of memory");
        exsol_gen_rows_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

/* The variables a film does not share with its other rows: the anneal, and the
 * candidate id (each row's own). */
static int is_anneal(size_t v)
{
    return (int)v == EXSOL_SV_GEN_T_anneal || (int)v == EXSOL_SV_GEN_t_anneal ||
           (int)v == EXSOL_SV_GEN_candidate;
}

/* Orders rows a and b by gen variable v (bits of doubles, so NaN is a value like any
 * other). */
static int var_cmp(const exsol_gen_rows *r, size_t v, size_t a, size_t b)
{
    const struct exsol_schema *s = &exsol_schema_gen;
    if (s->vars[v].type == EXSOL_SCHEMA_TEXT)
        return strcmp((char *)r->col[v] + a * r->slot[v], (char *)r->col[v] + b * r->slot[v]);
    if (s->vars[v].type == EXSOL_SCHEMA_INT)
        return memcmp((int *)r->col[v] + a, (int *)r->col[v] + b, sizeof(int));
    return memcmp((double *)r->col[v] + a, (double *)r->col[v] + b, sizeof(double));
}

/* Orders rows by every gen variable but the anneal; 0 when they are one film. */
static int film_cmp(const exsol_gen_rows *r, size_t a, size_t b)
{
    const struct exsol_schema *s = &exsol_schema_gen;
    for (size_t v = 0; v < s->nvars; v++) {
        if (!r->col[v] || is_anneal(v))
            continue;
        int c = var_cmp(r, v, a, b);
        if (c)
            return c;
    }
    return 0;
}

int exsol_gen_rows_has(const exsol_gen_rows *r, int v)
{
    return v >= 0 && (size_t)v < exsol_schema_gen.nvars && r->col[v] != NULL;
}

int exsol_gen_rows_cmp(const exsol_gen_rows *r, const int *vars, size_t nv, size_t a, size_t b)
{
    for (size_t k = 0; k < nv; k++) {
        if (!exsol_gen_rows_has(r, vars[k]))
            continue;
        int c = var_cmp(r, (size_t)vars[k], a, b);
        if (c)
            return c;
    }
    return 0;
}

int exsol_gen_rows_same_film(const exsol_gen_rows *r, size_t a, size_t b)
{
    return film_cmp(r, a, b) == 0;
}

const char *exsol_gen_rows_text(const exsol_gen_rows *r, const char *name, size_t i)
{
    int v = exsol_schema_index(&exsol_schema_gen, name);
    if (v < 0 || exsol_schema_gen.vars[v].type != EXSOL_SCHEMA_TEXT || !r->col[v])
        return "";
    return (const char *)r->col[v] + i * r->slot[v];
}

double exsol_gen_rows_double(const exsol_gen_rows *r, const char *name, size_t i)
{
    int v = exsol_schema_index(&exsol_schema_gen, name);
    if (v < 0 || exsol_schema_gen.vars[v].type != EXSOL_SCHEMA_DOUBLE || !r->col[v])
        return NAN;
    return ((const double *)r->col[v])[i];
}

/* exsol_gen_rows_write with each row's p_H2 from pH2_Pa (NULL: the row's own). */
static int gen_rows_write_gas(const exsol_gen_rows *r, const size_t *rows, const double *T_K,
                              const double *t_s, const double *pH2_Pa, size_t n,
                              const char *path, const struct exsol_out_opts *oo, char *err,
                              size_t errlen)
{
    const struct exsol_schema *s = &exsol_schema_gen;
    const size_t B = EXSOL_BLOCK;
    exsol_ds_out *o = NULL;
    size_t maxw = sizeof(double);
    for (size_t v = 0; v < s->nvars; v++)
        if (r->slot[v] > maxw)
            maxw = r->slot[v];
    char *buf = malloc(B * maxw);
    unsigned char omit[EXSOL_SV_GEN_NVARS];
    for (size_t v = 0; v < s->nvars && v < EXSOL_SV_GEN_NVARS; v++)
        omit[v] = exsol_gen_var_optional((int)v) && !r->col[v];
    int rc = buf ? exsol_ds_out_create(path, NULL, oo, &o, err, errlen)
                 : exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    if (!rc && (rc = exsol_schema_define_omit(s, NULL, NULL, o, omit)) != 0)
        exsol_seterr(err, errlen, rc, "cannot define a gen-schema file: %s",
                     exsol_ds_out_errmsg(o));
    if (!rc)
        rc = exsol_ds_out_enddef(o, err, errlen);
    for (size_t st = 0; st < n && !rc; st += B) {
        size_t cnt = n - st < B ? n - st : B;
        for (size_t v = 0; v < s->nvars && !rc; v++) {
            const struct exsol_schema_var *sv = &s->vars[v];
            if (!r->col[v])
                continue;
            if (sv->type == EXSOL_SCHEMA_TEXT) {
                for (size_t k = 0; k < cnt; k++)
                    memcpy(buf + k * r->slot[v], (char *)r->col[v] + rows[st + k] * r->slot[v],
                           r->slot[v]);
                rc =
                    exsol_ds_out_write_text(o, sv->name, st, cnt, buf, r->slot[v], err, errlen);
            } else if (sv->type == EXSOL_SCHEMA_INT) {
                int *d = (int *)(void *)buf;
                for (size_t k = 0; k < cnt; k++) /* a round's own ids: its rows */
                    d[k] = (int)v == EXSOL_SV_GEN_candidate ? (int)(st + k)
                                                            : ((int *)r->col[v])[rows[st + k]];
                rc = exsol_ds_out_write_int(o, sv->name, st, cnt, d, err, errlen);
            } else {
                double *d = (double *)(void *)buf;
                for (size_t k = 0; k < cnt; k++)
                    d[k] = (int)v == EXSOL_SV_GEN_T_anneal   ? T_K[st + k]
                           : (int)v == EXSOL_SV_GEN_t_anneal ? t_s[st + k]
                           : (int)v == EXSOL_SV_GEN_p_H2 && pH2_Pa
                               ? pH2_Pa[st + k]
                               : ((double *)r->col[v])[rows[st + k]];
                rc = exsol_ds_out_write_double(o, sv->name, st, cnt, d, err, errlen);
            }
        }
    }
    free(buf);
    if (rc) {
        exsol_ds_out_abort(o);
        return rc;
    }
    return exsol_ds_out_close(o, err, errlen);
}

int exsol_gen_rows_write(const exsol_gen_rows *r, const size_t *rows, const double *T_K,
                         const double *t_s, size_t n, const char *path,
                         const struct exsol_out_opts *oo, char *err, size_t errlen)
{
    return gen_rows_write_gas(r, rows, T_K, t_s, NULL, n, path, oo, err, errlen);
}

/* ---- the window --------------------------------------------------------- */

/* Component flags of a point that fails the verdict (bits above the rank flags). */
enum {
    WF_NO_EXSOLUTION = 1u << 16, /* t_half not reached */
    WF_NOT_METALLIC = 1u << 17,  /* metallic_reduced = 0 */
    WF_PRISTINE_COND = 1u << 18, /* insulating_pristine = 0 */
    WF_BLOCKED = 1u << 19,       /* T_B_p90 >= spm_TB_max */
    WF_HYSTERETIC = 1u << 20, /* Hc_300K >= spm_Hc_max, or remanence above spm_Mr_ratio_max */
    WF_BUDGET = 1u << 21,     /* A_vacancy < dopant_fraction (reduce's budget min(z, a))
                                 and 90 % of it out (t_90 reached) */
    WF_WEAK = 1u << 22,       /* saturating component below spm_contrast_min x the pristine one,
                                 or its moment per film area below spm_moment_min */
    WF_PROB = 1u << 23        /* ensemble form: fewer than p_min of the members switch both
                                 (the other bits: what most of the others fail on) */
};

static const struct {
    unsigned bit;
    const char *meaning, *words;
} flag_names[] = {
    {EXSOL_RANK_F_FEASIBLE, "structure_infeasible", "structure"},
    {EXSOL_RANK_F_TOLERANCE, "tolerance_factor_outside", "tolerance factor"},
    {EXSOL_RANK_F_TAU, "bartel_tau_too_large", "bartel tau"},
    {EXSOL_RANK_F_T_ANNEAL, "T_above_process_window", "T > process max"},
    {EXSOL_RANK_F_TIME, "t_above_process_window", "t > process max"},
    {EXSOL_RANK_F_RATIO, "rho_ratio_below_threshold", "rho ratio < min"},
    {EXSOL_RANK_F_SPM, "not_superparamagnetic_300K", "not SPM at 300 K"},
    {EXSOL_RANK_F_CONTRAST, "magnetic_contrast_too_small", "low magnetic contrast"},
    {EXSOL_RANK_F_STATUS, "stage_failed", "a stage failed"},
    {EXSOL_RANK_F_MISSING, "value_missing", "missing values"},
    {WF_NO_EXSOLUTION, "no_exsolution", "no exsolution"},
    {WF_NOT_METALLIC, "not_metallic", "not metallic"},
    {WF_PRISTINE_COND, "pristine_not_insulating", "pristine conducting"},
    {WF_BLOCKED, "blocked_particles", "blocked"},
    {WF_HYSTERETIC, "hysteretic_300K", "hysteretic"},
    {WF_BUDGET, "A_site_budget_exhausted", "A-site budget"},
    {WF_WEAK, "weak_moment_300K", "weak moment"},
    {WF_PROB, "P_dual_below_p_min", "P(dual) < p"},
    {EXSOL_WINDOW_LIMIT_RANGE, "search_range_edge", "search range"},
};
#define NFLAGS (sizeof flag_names / sizeof flag_names[0])

/* what the verdict of a point reads from a registry (the run's, or a member's copy) */
struct verdict_params {
    struct exsol_rank_params rp;
    double spm_TB_max, spm_Hc_max, spm_contrast_min, spm_moment_min, spm_Mr_ratio_max;
};

struct exsol_window {
    exsol_ds *ds;
    exsol_gen_rows *rows;
    const exsol_params *p;
    const struct exsol_stage_notes *notes;
    struct verdict_params vp;
    struct exsol_window_grid g;
    double *t_s, *T_K;
    size_t nfilm;
    size_t *film_row;
    unsigned *state;
    struct exsol_window_counts *counts, total;
    char tmpdir[512];
    unsigned long seq;
    int ran;
    /* the gas axis (h2_lo_Pa > 0): the search's film k is film map[k] at p_H2 gas[k];
     * p_min[f] the result (NaN: no window even at h2_hi_Pa), probes[f] its gases */
    double h2_lo_Pa, h2_hi_Pa, h2_tol;
    size_t *map;
    double *gas, *p_min, *p_at;
    int *probes;
    /* the ensemble form (m != NULL): a point switches when at least k_min of the nm
     * members do; P_search[(k nT + i) nt + j] the fraction at the search's film k
     * (NaN: not evaluated), P_state the same per film (one array without a gas axis) */
    const struct exsol_members *m;
    size_t nm, k_min;
    double p_thr;
    const char *m_desc;
    double *P_search, *P_state;
};

static int verdict_params_from(const exsol_params *p, struct verdict_params *vp, char *err,
                               size_t errlen)
{
    static const char *const names[5] = {"spm_TB_max", "spm_Hc_max", "spm_contrast_min",
                                         "spm_moment_min", "spm_Mr_ratio_max"};
    double *const at[5] = {&vp->spm_TB_max, &vp->spm_Hc_max, &vp->spm_contrast_min,
                           &vp->spm_moment_min, &vp->spm_Mr_ratio_max};
    int rc = exsol_rank_params_from(p, &vp->rp, err, errlen);
    if (rc || (rc = exsol_rank_params_check(&vp->rp, err, errlen)))
        return rc;
    for (int k = 0; k < 5; k++)
        if (exsol_params_lookup(p, names[k], at[k]))
            *at[k] = NAN;
    return 0;
}

static void note(const exsol_window *w, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note(const exsol_window *w, int level, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    if (!w->notes || !w->notes->note)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    w->notes->note(w->notes->ctx, level, buf);
}

void exsol_window_free(exsol_window *w)
{
    if (!w)
        return;
    exsol_gen_rows_free(w->rows);
    exsol_ds_close(w->ds);
    free(w->t_s), free(w->T_K), free(w->film_row), free(w->state), free(w->counts);
    free(w->map), free(w->gas), free(w->p_min), free(w->p_at), free(w->probes);
    free(w->P_state);
    free(w);
}

static int film_less(size_t a, size_t b, const void *ctx)
{
    int c = film_cmp(ctx, a, b);
    return c < 0 || (c == 0 && a < b);
}

static int group_films(exsol_window *w, char *err, size_t errlen)
{
    size_t n = exsol_gen_rows_count(w->rows);
    size_t *perm = malloc((n ? n : 1) * sizeof *perm);
    unsigned char *first = calloc(n ? n : 1, 1);
    int rc = perm && first ? exsol_rank_sort(n, film_less, w->rows, perm, NULL) : EXSOL_ENOMEM;
    if (!rc) {
        /* the first row (in input order) of each run of equal rows starts a film */
        for (size_t k = 0; k < n; k++)
            if (k == 0 || film_cmp(w->rows, perm[k - 1], perm[k]) != 0)
                first[perm[k]] = 1;
        for (size_t i = 0; i < n; i++)
            w->nfilm += first[i];
        w->film_row = malloc((w->nfilm ? w->nfilm : 1) * sizeof *w->film_row);
        if (!w->film_row)
            rc = EXSOL_ENOMEM;
        else
            for (size_t i = 0, f = 0; i < n; i++)
                if (first[i])
                    w->film_row[f++] = i;
    }
    free(perm);
    free(first);
    return rc ? exsol_seterr(err, errlen, rc, "out of memory") : 0;
}

int exsol_window_create(exsol_window **out, const exsol_params *p, const char *input,
                        const struct exsol_stage_window_opts *o,
                        const struct exsol_stage_notes *notes, char *err, size_t errlen)
{
    exsol_window *w = calloc(1, sizeof *w);
    int rc;
    if (!(*out = w))
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    w->p = p;
    w->notes = notes;
    /* the search ranges (the tool has parsed them; the library checks them too) */
    if (!(o->T_lo_K > 0 && o->T_hi_K > o->T_lo_K && isfinite(o->T_hi_K)))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "--T-range needs a start below its end, both above 0 K");
    if (!(o->T_tol_K > 0 && o->T_tol_K <= o->T_hi_K - o->T_lo_K))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "--T-tol must be > 0 and no wider than the --T-range");
    if (!(o->t_lo_s > 0 && o->t_hi_s >= o->t_lo_s && isfinite(o->t_hi_s)))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "--t-range needs a start > 0 and an end not below it");
    if (!(o->t_tol > 0 && o->t_tol <= 10))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "--t-tol must be in (0, 1000 %%]");
    if (o->h2_lo_Pa != 0 || o->h2_hi_Pa != 0) {
        if (!(o->h2_lo_Pa > 0 && o->h2_hi_Pa > o->h2_lo_Pa && isfinite(o->h2_hi_Pa)))
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "--h2-range needs a start below its end, both above 0 Pa");
        if (!(o->h2_tol > 0 && o->h2_tol <= 10))
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "--h2-tol must be in (0, 1000 %%]");
        w->h2_lo_Pa = o->h2_lo_Pa, w->h2_hi_Pa = o->h2_hi_Pa, w->h2_tol = o->h2_tol;
    }
    if (!(o->T_step_K >= o->T_tol_K))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "--T-step must be at least --T-tol");
    double span = (o->T_hi_K - o->T_lo_K) / o->T_tol_K;
    double nTd = floor(span + 1e-9) + 1.0;
    double ntd = o->t_hi_s > o->t_lo_s
                     ? ceil(log(o->t_hi_s / o->t_lo_s) / log1p(o->t_tol) - 1e-9) + 1.0
                     : 1.0;
    if (nTd > 100000 || ntd > 10000)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "the search lattice is too fine (%.0f temperatures x %.0f times)",
                            nTd, ntd);
    w->g.nT = (size_t)nTd;
    w->g.nt = (size_t)ntd;
    w->g.T_lo = o->T_lo_K;
    w->g.dT = o->T_tol_K;
    size_t stride = 1;
    while ((double)(stride * 2) <= o->T_step_K / o->T_tol_K * 1.41421356 && stride < (1u << 20))
        stride *= 2; /* the power of two nearest the step on a log scale */
    w->g.stride = stride;
    w->g.refine_mask = o->refine_reasons ? EXSOL_RANK_F_CONSTRAINTS | EXSOL_RANK_F_EXCLUDED : 0;
    w->t_s = malloc(w->g.nt * sizeof *w->t_s);
    w->T_K = malloc(w->g.nT * sizeof *w->T_K);
    if (!w->t_s || !w->T_K)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    for (size_t j = 0; j < w->g.nt; j++)
        w->t_s[j] = w->g.nt == 1       ? o->t_lo_s
                    : j + 1 == w->g.nt ? o->t_hi_s
                                       : o->t_lo_s * pow(o->t_hi_s / o->t_lo_s,
                                                         (double)j / (double)(w->g.nt - 1));
    for (size_t i = 0; i < w->g.nT; i++)
        w->T_K[i] = o->T_lo_K + (double)i * o->T_tol_K;
    w->g.t_s = w->t_s;
    if ((rc = exsol_window_grid_check(&w->g, err, errlen)))
        return rc;
    if (w->T_K[w->g.nT - 1] < o->T_hi_K - 1e-6)
        note(w, EXSOL_NOTE_INFO,
             "the temperature lattice ends at %.2f K, less than one --T-tol step "
             "(%.3g K) below the range's end",
             w->T_K[w->g.nT - 1], o->T_tol_K);

    const char *td = o->tmpdir ? o->tmpdir : getenv("TMPDIR");
    if (!td || !td[0])
        td = "/tmp";
    if (snprintf(w->tmpdir, sizeof w->tmpdir, "%s", td) >= (int)sizeof w->tmpdir)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE, "temporary folder name too long");

    if ((rc = verdict_params_from(p, &w->vp, err, errlen)))
        return rc;
    if (o->members) {
        w->m = o->members;
        w->nm = exsol_members_count(o->members);
        if (w->nm == 0)
            return exsol_seterr(err, errlen, EXSOL_EUSAGE, "the ensemble has no members");
        if (!(o->p_min > 0 && o->p_min <= 1))
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "--p-min must be in (0, 1]");
        w->p_thr = o->p_min;
        /* the fewest switching members that make P >= p_min (k / nm >= p_min) */
        w->k_min = (size_t)ceil(o->p_min * (double)w->nm - 1e-9);
        if (w->k_min < 1)
            w->k_min = 1;
        w->m_desc = o->members_desc;
    }

    if ((rc = exsol_ds_open(input, &w->ds, err, errlen)) ||
        (rc = exsol_stage_check_units(w->ds, err, errlen)) ||
        (rc = exsol_gen_rows_load(w->ds, &w->rows, err, errlen)))
        return rc;
    if (exsol_gen_rows_count(w->rows) == 0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "the input holds no candidate");
    if ((rc = group_films(w, err, errlen)))
        return rc;
    double cells = (double)w->nfilm * (double)w->g.nT * (double)w->g.nt;
    if (cells > 2e8)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                            "%zu films x %zu temperatures x %zu times is too large a search; "
                            "split the input or widen the tolerances",
                            w->nfilm, w->g.nT, w->g.nt);
    w->state = malloc((size_t)cells * sizeof *w->state);
    w->counts = calloc(w->nfilm, sizeof *w->counts);
    if (!w->state || !w->counts)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    if (w->m) {
        if (!(w->P_state = malloc((size_t)cells * sizeof *w->P_state)))
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        for (size_t k = 0; k < (size_t)cells; k++)
            w->P_state[k] = NAN;
        w->P_search = w->P_state;
    }
    if (w->h2_lo_Pa > 0) {
        size_t nf = w->nfilm ? w->nfilm : 1;
        w->map = malloc(nf * sizeof *w->map);
        w->gas = malloc(nf * sizeof *w->gas);
        w->p_min = malloc(nf * sizeof *w->p_min);
        w->p_at = malloc(nf * sizeof *w->p_at);
        w->probes = calloc(nf, sizeof *w->probes);
        if (!w->map || !w->gas || !w->p_min || !w->p_at || !w->probes)
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    }
    note(w, EXSOL_NOTE_DEBUG,
         "%zu input rows, %zu films; lattice %zu temperatures (%.3g K) x %zu times (ratio "
         "%.4g), coarse stride %zu",
         exsol_gen_rows_count(w->rows), w->nfilm, w->g.nT, w->g.dT, w->g.nt,
         w->g.nt > 1 ? w->t_s[1] / w->t_s[0] : 1.0, w->g.stride);
    return 0;
}

/* The verdict columns of the chain's last file, then the verdict and component
 * flags of each row. */
static int verdicts(const struct verdict_params *vp, const exsol_ds *ds, size_t n,
                    unsigned *flags, char *err, size_t errlen)
{
    enum { C_THALF, C_T90, C_TB, C_HC, C_A, C_Z, C_MSR, C_MSP, C_MPA, C_MR, C_F, NC };
    static const char *const names[NC] = {"t_half",
                                          "t_90",
                                          "T_B_p90",
                                          "Hc_300K",
                                          "A_vacancy",
                                          "dopant_fraction",
                                          "M_sat_300K_reduced",
                                          "M_sat_300K_pristine",
                                          "m_sat_300K_per_area",
                                          "Mr_300K",
                                          "exsolved_fraction"};
    struct exsol_stage_rank_rows r;
    double *c[NC] = {0};
    int rc = exsol_stage_rank_rows_read(ds, n, "window", &r, err, errlen);
    for (int k = 0; k < NC && !rc; k++)
        rc = exsol_stage_read_column(ds, names[k], n, "window", &c[k], err, errlen);
    const double *ts = r.col[EXSOL_RR_TS], *met = r.col[EXSOL_RR_MET],
                 *ins = r.col[EXSOL_RR_INS];
    for (size_t i = 0; i < n && !rc; i++) {
        unsigned f = exsol_rank_row_flags(&vp->rp, &r.in, i);
        if (exsol_rank_flags_dual(f)) {
            flags[i] = 0;
            continue;
        }
        if (f & EXSOL_RANK_F_EXCLUDED) { /* a stage failed: its values say nothing */
            flags[i] = f;
            continue;
        }
        /* t_half not reached; a two-dopant row has no t_half (no closed-form two-solute
         * equilibrium, reduce leaves it empty): there, less than EXSOL_EXSOLVED_F_MIN of
         * the dopant out (exsol_reduce_exsolved, shared with exsol-fit's hold-outs) */
        if (!exsol_reduce_exsolved(c[C_THALF][i], c[C_F][i], ts[i]))
            f |= WF_NO_EXSOLUTION;
        if (met[i] == 0)
            f |= WF_NOT_METALLIC;
        if (ins[i] == 0)
            f |= WF_PRISTINE_COND;
        if (c[C_TB][i] >= vp->spm_TB_max)
            f |= WF_BLOCKED;
        if (c[C_HC][i] >= vp->spm_Hc_max ||
            fabs(c[C_MR][i]) > vp->spm_Mr_ratio_max * c[C_MSR][i])
            f |= WF_HYSTERETIC;
        if (!(c[C_MSR][i] >= vp->spm_contrast_min * fabs(c[C_MSP][i])) ||
            !(c[C_MPA][i] >= vp->spm_moment_min))
            f |= WF_WEAK;
        if (c[C_A][i] < c[C_Z][i] && c[C_T90][i] <= ts[i])
            f |= WF_BUDGET;
        flags[i] = f ? f : EXSOL_RANK_F_MISSING;
    }
    if (rc == EXSOL_ENOMEM)
        exsol_seterr(err, errlen, rc, "out of memory");
    for (int k = 0; k < NC; k++)
        free(c[k]);
    exsol_stage_rank_rows_free(&r);
    return rc;
}

/* A round's points as the chain's input rows: input row, anneal and (gas axis) p_H2. */
struct round_points {
    size_t n;
    const size_t *rows;
    const double *T, *t, *gas;
    const struct exsol_out_opts *oo;
};

/* The points through reduce -> transport -> magnet under registry p (its own round
 * files), then their verdict words under vp. */
static int run_round(exsol_window *w, const exsol_params *p, const struct verdict_params *vp,
                     const struct round_points *rp, unsigned *flags, char *err, size_t errlen)
{
    char path[4][EXSOL_CHAIN_PATH_MAX];
    int slot[4];
    exsol_ds *ds = NULL;
    int rc = exsol_stage_chain_paths(w->tmpdir, "exsol-window", ++w->seq, path, err, errlen);
    if (rc)
        return rc;
    exsol_stage_chain_guard(path, slot);
    rc = gen_rows_write_gas(w->rows, rp->rows, rp->T, rp->t, rp->gas, rp->n, path[0], rp->oo,
                            err, errlen);
    if (!rc)
        rc = exsol_stage_run_chain(p, path, rp->n, "round", rp->oo, &ds, err, errlen);
    exsol_stage_chain_unguard(slot);
    if (!rc)
        rc = verdicts(vp, ds, rp->n, flags, err, errlen);
    exsol_ds_close(ds);
    return rc;
}

/* The ensemble form of a round: the points under every member (a copy of the registry
 * with the member's values, its own round files). A point's word is 0 when at least
 * k_min members switch both; otherwise WF_PROB and the bits that at least half of the
 * other members share (the most frequent ones when half share none), or, when every
 * other member failed in a stage, the stage-failed bits alone. */
static int eval_members(exsol_window *w, const struct exsol_window_point *pts,
                        const struct round_points *rp, unsigned *flags, char *err,
                        size_t errlen)
{
    const size_t n = rp->n;
    enum { NB = 32 };
    unsigned *fl = malloc(n * sizeof *fl);
    size_t *nd = calloc(n, sizeof *nd), *nx = calloc(n, sizeof *nx);
    size_t *cnt = calloc(n * NB, sizeof *cnt);
    int rc =
        fl && nd && nx && cnt ? 0 : exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    for (size_t j = 0; j < w->nm && !rc; j++) {
        struct verdict_params vp;
        exsol_params *pm = exsol_params_clone(w->p);
        rc = pm ? exsol_members_apply(w->m, j, pm, err, errlen)
                : exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        if (!rc)
            rc = verdict_params_from(pm, &vp, err, errlen);
        if (!rc)
            rc = run_round(w, pm, &vp, rp, fl, err, errlen);
        exsol_params_free(pm);
        for (size_t k = 0; k < n && !rc; k++) {
            if (fl[k] == 0) {
                nd[k]++;
                continue;
            }
            nx[k] += (fl[k] & ~(unsigned)EXSOL_RANK_F_EXCLUDED) == 0;
            for (unsigned b = 0; b < NB; b++)
                cnt[k * NB + b] += (fl[k] >> b) & 1u;
        }
    }
    const size_t nT = w->g.nT, nt = w->g.nt;
    for (size_t k = 0; k < n && !rc; k++) {
        size_t nf = w->nm - nd[k], most = 0;
        unsigned f = 0;
        w->P_search[(pts[k].film * nT + pts[k].iT) * nt + pts[k].jt] =
            (double)nd[k] / (double)w->nm;
        if (nd[k] >= w->k_min) {
            flags[k] = 0;
            continue;
        }
        for (unsigned b = 0; b < NB; b++) {
            size_t c = cnt[k * NB + b];
            most = c > most ? c : most;
            if (2 * c >= nf && c > 0)
                f |= 1u << b;
        }
        if (!f)
            for (unsigned b = 0; b < NB; b++)
                if (most > 0 && cnt[k * NB + b] == most)
                    f |= 1u << b;
        if (nx[k] < nf || nf == 0) /* not only stage failures: the threshold decides */
            f |= WF_PROB;
        flags[k] = f;
    }
    free(fl), free(nd), free(nx), free(cnt);
    return rc;
}

static int eval_round(void *ctx, const struct exsol_window_point *pts, size_t n,
                      unsigned *flags, char *err, size_t errlen)
{
    exsol_window *w = ctx;
    size_t *rows = malloc(n * sizeof *rows);
    double *T = malloc(n * sizeof *T), *t = malloc(n * sizeof *t);
    double *gas = w->map ? malloc(n * sizeof *gas) : NULL;
    struct exsol_out_opts oo = {0};
    int rc = rows && T && t && (gas || !w->map)
                 ? 0
                 : exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    oo.no_history = 1;
    oo.force_cdf5 = 1;
    oo.title = "exsol-window round";
    for (size_t k = 0; k < n && !rc; k++) {
        rows[k] = w->film_row[w->map ? w->map[pts[k].film] : pts[k].film];
        if (gas)
            gas[k] = w->gas[pts[k].film];
        T[k] = w->T_K[pts[k].iT];
        t[k] = w->t_s[pts[k].jt];
    }
    const struct round_points rp = {n, rows, T, t, gas, &oo};
    if (!rc)
        rc = w->m ? eval_members(w, pts, &rp, flags, err, errlen)
                  : run_round(w, w->p, &w->vp, &rp, flags, err, errlen);
    free(rows), free(T), free(t), free(gas);
    if (!rc)
        note(w, EXSOL_NOTE_DEBUG, "round %lu: %zu (T, t) points", w->seq, n);
    return rc;
}

/* The gas axis: every film's T-t search at h2_hi_Pa, then (if it switches) at
 * h2_lo_Pa, then log bisection between them; each pass batches the films still
 * searching. w->state keeps each film's search at its mildest switching gas. */
static int run_h2(exsol_window *w, char *err, size_t errlen)
{
    const size_t nf = w->nfilm, per = w->g.nT * w->g.nt;
    unsigned *st = malloc((nf ? nf : 1) * per * sizeof *st);
    unsigned char *dual = malloc(per);
    struct exsol_window_counts *cnt = calloc(nf ? nf : 1, sizeof *cnt), tot;
    double *lo = malloc((nf ? nf : 1) * sizeof *lo), *hi = malloc((nf ? nf : 1) * sizeof *hi);
    int *phase = calloc(nf ? nf : 1, sizeof *phase); /* 0 hi, 1 lo, 2 bisect, 3 done */
    double *Pst = w->m ? malloc((nf ? nf : 1) * per * sizeof *Pst) : NULL;
    int rc = st && dual && cnt && lo && hi && phase && (Pst || !w->m)
                 ? 0
                 : exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    if (Pst)
        w->P_search = Pst;
    for (size_t f = 0; f < nf; f++)
        w->p_min[f] = NAN, w->p_at[f] = w->h2_hi_Pa;
    memset(&w->total, 0, sizeof w->total);
    while (!rc) {
        size_t na = 0;
        for (size_t f = 0; f < nf; f++)
            if (phase[f] != 3) {
                w->map[na] = f;
                w->gas[na++] = phase[f] == 0   ? w->h2_hi_Pa
                               : phase[f] == 1 ? w->h2_lo_Pa
                                               : sqrt(lo[f] * hi[f]);
            }
        if (na == 0)
            break;
        for (size_t k = 0; Pst && k < na * per; k++)
            Pst[k] = NAN;
        if ((rc = exsol_window_search(&w->g, na, eval_round, w, st, cnt, &tot, err, errlen)))
            break;
        w->total.rounds += tot.rounds;
        w->total.integrations += tot.integrations;
        w->total.points += tot.points;
        for (size_t k = 0; k < na; k++) {
            size_t f = w->map[k];
            struct exsol_window_summary sm;
            w->counts[f].rounds += cnt[k].rounds;
            w->counts[f].integrations += cnt[k].integrations;
            w->counts[f].points += cnt[k].points;
            w->probes[f]++;
            exsol_window_summarise(&w->g, st + k * per, dual, &sm, NULL);
            if (sm.has_window || phase[f] == 0) { /* the mildest switching gas so far */
                memcpy(w->state + f * per, st + k * per, per * sizeof *st);
                if (Pst)
                    memcpy(w->P_state + f * per, Pst + k * per, per * sizeof *Pst);
                w->p_at[f] = w->gas[k];
            }
            if (phase[f] == 0) {
                hi[f] = w->h2_hi_Pa;
                phase[f] = sm.has_window ? 1 : 3;
                continue;
            }
            if (sm.has_window)
                hi[f] = w->gas[k];
            else
                lo[f] = w->gas[k];
            if (phase[f] == 1 && sm.has_window) {
                w->p_min[f] = w->h2_lo_Pa;
                phase[f] = 3;
                continue;
            }
            phase[f] = 2;
            if (exsol_window_gas_next(lo[f], hi[f], w->h2_tol) == 0) {
                w->p_min[f] = hi[f];
                phase[f] = 3;
            }
        }
    }
    free(st), free(dual), free(cnt), free(lo), free(hi), free(phase), free(Pst);
    w->P_search = w->P_state;
    w->ran = rc == 0;
    return rc;
}

int exsol_window_run(exsol_window *w, char *err, size_t errlen)
{
    if (w->map)
        return run_h2(w, err, errlen);
    int rc = exsol_window_search(&w->g, w->nfilm, eval_round, w, w->state, w->counts, &w->total,
                                 err, errlen);
    w->ran = rc == 0;
    return rc;
}

void exsol_stage_window_opts_default(struct exsol_stage_window_opts *o)
{
    memset(o, 0, sizeof *o);
    o->T_lo_K = 723.15, o->T_hi_K = 1273.15, o->T_tol_K = 5.0, o->T_step_K = 40.0;
    o->t_lo_s = 360.0, o->t_hi_s = 360000.0, o->t_tol = 0.1;
    o->h2_tol = 0.1;
    o->p_min = 0.5;
}

void exsol_window_note_totals(const exsol_window *w, double seconds)
{
    struct exsol_window_totals t;
    exsol_window_totals(w, &t);
    note(w, EXSOL_NOTE_INFO,
         "%zu films, %zu with a window, %zu failed; %zu rounds, %zu integrations, %zu "
         "(T, t) evaluations; the grid on the same lattice (%zu x %zu): %zu "
         "integrations, %zu evaluations (%.2f s)",
         t.films, t.with_window, t.failed, t.rounds, t.integrations, t.evaluations, t.nT, t.nt,
         t.grid_integrations, t.grid_evaluations, seconds);
    if (w->m)
        note(w, EXSOL_NOTE_INFO,
             "ensemble form: P(dual) >= %.3g over %zu members, each (T, t) evaluation "
             "run under every member (%zu chain evaluations)",
             w->p_thr, w->nm, t.evaluations * w->nm);
}

void exsol_window_totals(const exsol_window *w, struct exsol_window_totals *t)
{
    memset(t, 0, sizeof *t);
    t->films = w->nfilm;
    t->rounds = w->total.rounds;
    t->integrations = w->total.integrations;
    t->evaluations = w->total.points;
    t->grid_integrations = w->nfilm * w->g.nT;
    t->grid_evaluations = w->nfilm * w->g.nT * w->g.nt;
    t->nT = w->g.nT;
    t->nt = w->g.nt;
    t->stride = w->g.stride;
    if (!w->ran)
        return;
    size_t per = w->g.nT * w->g.nt;
    unsigned char *dual = malloc(per);
    if (!dual)
        return;
    for (size_t f = 0; f < w->nfilm; f++) {
        struct exsol_window_summary s;
        exsol_window_summarise(&w->g, w->state + f * per, dual, &s, NULL);
        t->with_window += (size_t)s.has_window;
        t->failed += !s.has_window && (s.limit_T_low & EXSOL_RANK_F_EXCLUDED) &&
                     (s.limit_T_low & ~(unsigned)EXSOL_RANK_F_EXCLUDED) == 0 &&
                     ((const int *)w->rows->col[EXSOL_SV_GEN_feasible])[w->film_row[f]] != 0;
    }
    free(dual);
}

/* ---- output -------------------------------------------------------------- */

static const double *values(const void *ctx, const char *name, size_t *len)
{
    const exsol_window *w = ctx;
    if (strcmp(name, "t_window") == 0) {
        *len = w->g.nt;
        return w->t_s;
    }
    if (strcmp(name, "T_window") == 0) {
        *len = w->g.nT;
        return w->T_K;
    }
    *len = 0;
    return NULL;
}

static int omit(const void *ctx, int v)
{
    const exsol_window *w = ctx;
    if (!w->m &&
        (v == EXSOL_SV_WINDOW_P_dual_at_T_window_min ||
         v == EXSOL_SV_WINDOW_P_dual_at_T_window_max ||
         v == EXSOL_SV_WINDOW_P_dual_at_t_window_min ||
         v == EXSOL_SV_WINDOW_P_dual_at_t_window_max || v == EXSOL_SV_WINDOW_P_dual_max ||
         v == EXSOL_SV_WINDOW_P_dual_max_T_anneal || v == EXSOL_SV_WINDOW_P_dual_max_t_anneal))
        return 1;
    return !w->map && (v == EXSOL_SV_WINDOW_p_H2_window_min || v == EXSOL_SV_WINDOW_h2_probes);
}

static const struct exsol_stage_type window_type = {
    .name = "window", .schema = &exsol_schema_window, .values = values, .omit = omit};

static void put_words(char *buf, size_t len, size_t *at, unsigned f)
{
    int first = 1;
    for (size_t k = 0; k < NFLAGS; k++)
        if (f & flag_names[k].bit) {
            int n =
                snprintf(buf + *at, len - *at, "%s%s", first ? "" : ", ", flag_names[k].words);
            *at = n > 0 && *at + (size_t)n < len ? *at + (size_t)n : len - 1;
            first = 0;
        }
}

static void put_text(char *buf, size_t len, size_t *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void put_text(char *buf, size_t len, size_t *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *at, len - *at, fmt, ap);
    va_end(ap);
    *at = n > 0 && *at + (size_t)n < len ? *at + (size_t)n : len - 1;
}

static void describe(const exsol_window *w, const struct exsol_window_summary *s, int status,
                     char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    if (status != 0) {
        put_text(buf, len, &at, "%s", status == 2 ? "failed" : "no window");
        if (w->m)
            put_text(buf, len, &at, " with P(dual) >= %.3g", w->p_thr);
        if (w->map)
            put_text(buf, len, &at, " even at p_H2 %.3g Pa", w->h2_hi_Pa);
        put_text(buf, len, &at, ": ");
        put_words(buf, len, &at, s->limit_T_low);
        return;
    }
    if (w->m)
        put_text(buf, len, &at, "P(dual) >= %.3g ", w->p_thr);
    put_text(
        buf, len, &at, "window %.0f-%.0f C, %.3g-%.3g h; below: ", w->T_K[s->iT_min] - 273.15,
        w->T_K[s->iT_max] - 273.15, w->t_s[s->jt_min] / 3600.0, w->t_s[s->jt_max] / 3600.0);
    put_words(buf, len, &at, s->limit_T_low);
    put_text(buf, len, &at, "; above: ");
    put_words(buf, len, &at, s->limit_T_high);
    put_text(buf, len, &at, "; shorter: ");
    put_words(buf, len, &at, s->limit_t_short);
    put_text(buf, len, &at, "; longer: ");
    put_words(buf, len, &at, s->limit_t_long);
}

static int define(const exsol_window *w, exsol_ds_out *o, const exsol_params *p)
{
    int rc = exsol_stage_define(&window_type, w, o);
    int masks[NFLAGS];
    char meanings[1024];
    size_t at = 0, nmask = 0;
    for (size_t k = 0; k < NFLAGS; k++) {
        if (flag_names[k].bit == WF_PROB && !w->m)
            continue; /* the ensemble form's bit only where it can occur */
        masks[nmask] = (int)flag_names[k].bit;
        put_text(meanings, sizeof meanings, &at, "%s%s", nmask++ ? " " : "",
                 flag_names[k].meaning);
    }
    static const char *const lim[] = {"limit_T_low", "limit_T_high", "limit_t_short",
                                      "limit_t_long"};
    for (size_t k = 0; k < 4 && !rc; k++) {
        rc = exsol_ds_out_put_att_ints(o, lim[k], "flag_masks", masks, nmask);
        if (!rc)
            rc = exsol_ds_out_put_att_text(o, lim[k], "flag_meanings", meanings);
    }
    static const int sv[3] = {0, 1, 2};
    if (!rc)
        rc = exsol_ds_out_put_att_ints(o, "window_status", "flag_values", sv, 3);
    if (!rc)
        rc = exsol_ds_out_put_att_text(o, "window_status", "flag_meanings",
                                       "window no_window failed");
    static const struct {
        const char *name;
        int which;
    } g_atts[] = {{"window_T_tolerance_K", 0},     {"window_T_coarse_step_K", 1},
                  {"window_t_ratio", 2},           {"window_rounds", 3},
                  {"window_integrations", 4},      {"window_evaluations", 5},
                  {"window_grid_integrations", 6}, {"window_grid_evaluations", 7}};
    struct exsol_window_totals t;
    exsol_window_totals(w, &t);
    double gv[8] = {w->g.dT,
                    w->g.dT * (double)w->g.stride,
                    w->g.nt > 1 ? w->t_s[1] / w->t_s[0] : 1.0,
                    (double)t.rounds,
                    (double)t.integrations,
                    (double)t.evaluations,
                    (double)t.grid_integrations,
                    (double)t.grid_evaluations};
    for (size_t k = 0; k < sizeof g_atts / sizeof g_atts[0] && !rc; k++)
        rc = exsol_ds_out_put_att_double(o, NULL, g_atts[k].name, gv[g_atts[k].which]);
    if (!rc)
        rc = exsol_ds_out_put_att_text(
            o, NULL, "window_note",
            "rows of the input that differ only in T_anneal and t_anneal are one film; "
            "the input's anneal temperature and time are not used");
    if (!rc && w->map) {
        rc = exsol_ds_out_put_att_double(o, NULL, "window_h2_range_start_Pa", w->h2_lo_Pa);
        if (!rc)
            rc = exsol_ds_out_put_att_double(o, NULL, "window_h2_range_end_Pa", w->h2_hi_Pa);
        if (!rc)
            rc = exsol_ds_out_put_att_double(o, NULL, "window_h2_tolerance", w->h2_tol);
    }
    if (!rc && w->m) {
        rc = exsol_ds_out_put_att_double(o, NULL, "window_p_min", w->p_thr);
        if (!rc)
            rc = exsol_ds_out_put_att_double(o, NULL, "window_members", (double)w->nm);
        if (!rc)
            rc = exsol_ds_out_put_att_text(o, NULL, "window_ensemble",
                                           w->m_desc ? w->m_desc
                                                     : "members given by the caller");
    }
    if (!rc)
        rc = exsol_ds_out_put_params(o, p);
    return rc;
}

static double at_or_nan(const double *v, long i)
{
    return i < 0 ? NAN : v[i];
}

int exsol_window_write(const exsol_window *w, exsol_ds_out *o, const exsol_params *p, char *err,
                       size_t errlen)
{
    const struct exsol_schema *s = &exsol_schema_window;
    const size_t nT = w->g.nT, nt = w->g.nt, per = nT * nt, nf = w->nfilm;
    int rc = define(w, o, p);
    if (rc)
        return exsol_seterr(err, errlen, rc, "cannot define the output: %s",
                            exsol_ds_out_errmsg(o));
    if ((rc = exsol_ds_out_enddef(o, err, errlen)))
        return rc;
    void **col = calloc(s->nvars, sizeof *col);
    unsigned char *dual = malloc(per);
    long *Tmin = malloc(nt * sizeof *Tmin), *Tmax = malloc(nt * sizeof *Tmax),
         *tmin = malloc(nT * sizeof *tmin), *tmax = malloc(nT * sizeof *tmax);
    if (!col || !dual || !Tmin || !Tmax || !tmin || !tmax)
        rc = EXSOL_ENOMEM;
    for (size_t v = 0; v < s->nvars && !rc; v++) {
        const struct exsol_schema_var *sv = &s->vars[v];
        size_t inner = sv->type == EXSOL_SCHEMA_TEXT ? sv->width
                       : sv->shape == EXSOL_SCHEMA_CURVE
                           ? (strcmp(sv->dim, "t_window") == 0 ? nt : nT)
                           : 1;
        if (sv->shape == EXSOL_SCHEMA_COORD || sv->shape == EXSOL_SCHEMA_FIXED ||
            omit(w, (int)v))
            continue;
        size_t es = sv->type == EXSOL_SCHEMA_DOUBLE ? sizeof(double)
                    : sv->type == EXSOL_SCHEMA_INT  ? sizeof(int)
                                                    : 1;
        if (!(col[v] = calloc(nf * inner, es)))
            rc = EXSOL_ENOMEM;
    }
    if (rc) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        goto done;
    }
#define D(name) ((double *)col[EXSOL_SV_WINDOW_##name])
#define I(name) ((int *)col[EXSOL_SV_WINDOW_##name])
#define X(name) ((char *)col[EXSOL_SV_WINDOW_##name])
#define W(name) (s->vars[EXSOL_SV_WINDOW_##name].width)
    for (size_t f = 0; f < nf; f++) {
        struct exsol_window_summary sm;
        struct exsol_window_curves cv = {Tmin, Tmax, tmin, tmax, NULL, NULL};
        size_t r = w->film_row[f];
        exsol_window_summarise(&w->g, w->state + f * per, dual, &sm, &cv);
        int status = sm.has_window ? 0
                     : (sm.limit_T_low & EXSOL_RANK_F_EXCLUDED) &&
                             !(sm.limit_T_low & ~(unsigned)EXSOL_RANK_F_EXCLUDED)
                         ? 2
                         : 1;
        int feasible = ((const int *)w->rows->col[EXSOL_SV_GEN_feasible])[r];
        I(window_status)[f] = status == 2 && feasible == 0 ? 1 : status;
        if (feasible == 0) /* gen flagged the structure: reduce did not run (status 4) */
            snprintf(X(window_reason) + f * W(window_reason), W(window_reason),
                     "no window: structure infeasible (gen: %s)",
                     exsol_gen_rows_text(w->rows, "gen_reason", r));
        else
            describe(w, &sm, status, X(window_reason) + f * W(window_reason), W(window_reason));
        snprintf(X(formula) + f * W(formula), W(formula), "%s",
                 exsol_gen_rows_text(w->rows, "formula", r));
        snprintf(X(dopant) + f * W(dopant), W(dopant), "%s",
                 exsol_gen_rows_text(w->rows, "dopant", r));
        D(dopant_fraction)[f] = exsol_gen_rows_double(w->rows, "dopant_fraction", r);
        D(A_vacancy)[f] = exsol_gen_rows_double(w->rows, "A_vacancy", r);
        D(p_H2)[f] = w->map ? w->p_at[f] : exsol_gen_rows_double(w->rows, "p_H2", r);
        if (w->map) {
            D(p_H2_window_min)[f] = w->p_min[f];
            I(h2_probes)[f] = w->probes[f];
        }
        D(p_H2O)[f] = exsol_gen_rows_double(w->rows, "p_H2O", r);
        D(thickness)[f] = exsol_gen_rows_double(w->rows, "thickness", r);
        I(input_row)[f] = (int)r;
        D(T_window_min)[f] = at_or_nan(w->T_K, sm.iT_min);
        D(t_at_T_window_min)[f] = at_or_nan(w->t_s, sm.jt_at_T_min);
        D(T_window_max)[f] = at_or_nan(w->T_K, sm.iT_max);
        D(t_at_T_window_max)[f] = at_or_nan(w->t_s, sm.jt_at_T_max);
        D(t_window_min)[f] = at_or_nan(w->t_s, sm.jt_min);
        D(T_at_t_window_min)[f] = at_or_nan(w->T_K, sm.iT_at_t_min);
        D(t_window_max)[f] = at_or_nan(w->t_s, sm.jt_max);
        D(T_at_t_window_max)[f] = at_or_nan(w->T_K, sm.iT_at_t_max);
        D(T_window_width)[f] = sm.has_window ? D(T_window_max)[f] - D(T_window_min)[f] : NAN;
        D(t_window_decades)
        [f] = sm.has_window ? log10(D(t_window_max)[f] / D(t_window_min)[f]) : NAN;
        if (w->m) {
            const double *P = w->P_state + f * per;
            size_t best = per;
            for (size_t k = 0; k < per; k++) /* lowest T, then shortest t, of the largest */
                if (!isnan(P[k]) && (best == per || P[k] > P[best]))
                    best = k;
            D(P_dual_at_T_window_min)
            [f] = sm.has_window ? P[sm.iT_min * nt + sm.jt_at_T_min] : NAN;
            D(P_dual_at_T_window_max)
            [f] = sm.has_window ? P[sm.iT_max * nt + sm.jt_at_T_max] : NAN;
            D(P_dual_at_t_window_min)
            [f] = sm.has_window ? P[sm.iT_at_t_min * nt + sm.jt_min] : NAN;
            D(P_dual_at_t_window_max)
            [f] = sm.has_window ? P[sm.iT_at_t_max * nt + sm.jt_max] : NAN;
            D(P_dual_max)[f] = best < per ? P[best] : NAN;
            D(P_dual_max_T_anneal)[f] = best < per ? w->T_K[best / nt] : NAN;
            D(P_dual_max_t_anneal)[f] = best < per ? w->t_s[best % nt] : NAN;
        }
        I(limit_T_low)[f] = (int)sm.limit_T_low;
        I(limit_T_high)[f] = (int)sm.limit_T_high;
        I(limit_t_short)[f] = (int)sm.limit_t_short;
        I(limit_t_long)[f] = (int)sm.limit_t_long;
        I(n_integrations)[f] = (int)w->counts[f].integrations;
        I(n_evaluations)[f] = (int)w->counts[f].points;
        I(n_rounds)[f] = (int)w->counts[f].rounds;
        I(grid_evaluations)[f] = (int)per;
        for (size_t j = 0; j < nt; j++) {
            D(T_min_at_t)[f * nt + j] = at_or_nan(w->T_K, Tmin[j]);
            D(T_max_at_t)[f * nt + j] = at_or_nan(w->T_K, Tmax[j]);
        }
        for (size_t i = 0; i < nT; i++) {
            D(t_min_at_T)[f * nT + i] = at_or_nan(w->t_s, tmin[i]);
            D(t_max_at_T)[f * nT + i] = at_or_nan(w->t_s, tmax[i]);
        }
    }
#undef D
#undef I
#undef X
#undef W
    for (size_t v = 0; v < s->nvars && !rc; v++) {
        const struct exsol_schema_var *sv = &s->vars[v];
        if (!col[v])
            continue;
        if (sv->type == EXSOL_SCHEMA_DOUBLE)
            rc = exsol_ds_out_write_double(o, sv->name, 0, nf, col[v], err, errlen);
        else if (sv->type == EXSOL_SCHEMA_INT)
            rc = exsol_ds_out_write_int(o, sv->name, 0, nf, col[v], err, errlen);
        else
            rc = exsol_ds_out_write_text(o, sv->name, 0, nf, col[v], sv->width, err, errlen);
    }
done:
    if (col)
        for (size_t v = 0; v < s->nvars; v++)
            free(col[v]);
    free(col), free(dual), free(Tmin), free(Tmax), free(tmin), free(tmax);
    return rc;
}
