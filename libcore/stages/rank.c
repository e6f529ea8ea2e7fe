/* The rank stage: the transport + magnet variables of one screen in (one input, or
 * the shards of one screen in order), the dual-switching ranking out
 * (libcore/schema/rank.csv; physics in libcore/physics/rank.c). Ranking needs every
 * row at once (Pareto fronts), so `create` reads the columns of the whole screen and
 * ranks it; the block loop of stage.c then only writes the rank variables, block by
 * block. exsol_rank_write puts the NetCDF output and the sorted TSV table in place.
 * Notes go through the caller's callback: nothing here prints. */
#include "exsol/rank.h"

#include "exsol/error.h"
#include "exsol/expr.h"
#include "exsol/outfile.h"
#include "exsol/stage.h"
#include "exsol/tsv.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define V(name) EXSOL_SV_RANK_##name
#define REASON_WIDTH 128 /* rank_reason's width in rank.csv (row() copies at most this) */

/* Default columns shown only when their values vary over the rows (swept gen axes). */
static const char *const swept_only[] = {"p_H2", "p_H2O", "thickness", "substrate"};
/* The ranking's own outputs: not in a -i/-e expression (they do not exist yet). */
static const char *const own_outputs[] = {"dual_switch",    "pareto_rank", "crowding_distance",
                                          "score",          "rank",        "rank_reason",
                                          "physics_twin_of"};

/* What a candidate's physics is judged by for physics_twin_of: the ranking's inputs and
 * these outputs of reduce and transport (those the input has). Two ranked rows whose
 * values are all bitwise equal are the same physics under different formulas (e.g. La
 * vs Nd on the A site: the later stages see only x). */
static const char *const twin_vars[] = {"log10_rho_ratio",
                                        "M_300K_1T_reduced",
                                        "M_300K_1T_pristine",
                                        "T_anneal",
                                        "t_anneal",
                                        "p_H2",
                                        "p_H2O",
                                        "thickness",
                                        "exsolved_fraction",
                                        "surface_particle_density",
                                        "surface_mean_diameter",
                                        "rho_300K_pristine",
                                        "rho_300K_reduced",
                                        "n_e_reduced"};
#define N_TWIN (sizeof twin_vars / sizeof twin_vars[0])

/* A table column: one of the rank variables (own >= 0), or a scalar or text variable
 * of the input read for the whole screen. */
struct column {
    const char *name;
    int own; /* EXSOL_SV_RANK_*, or -1 */
    double *num;
    char *text;
    size_t width;
};

struct rank {
    struct exsol_stage_ctx base; /* first: input, rows, note */
    const struct exsol_stage_rank_opts *o;
    exsol_ds **parts; /* every input, in order; parts[0] names the variables */
    size_t *pstart;   /* first row of each input in the whole */
    size_t nparts, n;
    /* inputs */
    double *r, *M, *Mp, *tol, *tau, *T, *ts;
    int *spm, *feas, *ins, *met;
    unsigned char *excluded;
    unsigned char *filtered; /* 1: left out by -i/-e (and not by a failed stage) */
    size_t nfiltered;
    int *fail_stage; /* index into stage_vars of the first failed stage, -1 */
    int *fail_code;
    char **stage_vars;
    size_t nstage;
    /* outputs */
    struct exsol_rank_params rp;
    struct exsol_rank_input in;
    int *dual, *pr;
    double *cd, *score;
    long *rank;
    unsigned *flags;
    long *twin;    /* candidate id of the first row with the same physics, or -1 */
    char *reasons; /* rank_reason of the block being written */
    /* the table */
    char *colnames;
    struct column *cols;
    size_t ncol;
};

static void destroy(void *ctx)
{
    struct rank *a = ctx;
    if (!a)
        return;
    free(a->r), free(a->M), free(a->Mp), free(a->tol), free(a->tau), free(a->T), free(a->ts);
    free(a->twin);
    free(a->spm), free(a->feas), free(a->ins), free(a->met), free(a->excluded),
        free(a->filtered), free(a->fail_stage), free(a->fail_code);
    for (size_t i = 0; i < a->nstage; i++)
        free(a->stage_vars[i]);
    free(a->stage_vars);
    free(a->dual), free(a->pr), free(a->cd), free(a->score), free(a->rank), free(a->flags);
    free(a->reasons);
    for (size_t k = 0; k < a->ncol; k++)
        free(a->cols[k].num), free(a->cols[k].text);
    free(a->cols), free(a->colnames);
    for (size_t k = 0; k < a->nparts; k++)
        exsol_ds_close(a->parts[k]);
    free(a->parts), free(a->pstart);
    free(a);
}

static int has_var(const exsol_ds *ds, const char *name)
{
    return exsol_ds_var_kind(ds, name) == EXSOL_VK_SCALAR;
}

/* A whole column over every input, in order. */
static int read_all_double(struct rank *a, const char *name, double *buf, char *err, size_t len)
{
    int rc = 0;
    for (size_t k = 0; k < a->nparts && !rc; k++)
        rc = exsol_ds_read_double(a->parts[k], name, 0, exsol_ds_ncandidates(a->parts[k]),
                                  buf + a->pstart[k], err, len);
    return rc;
}

static int read_all_int(struct rank *a, const char *name, int *buf, char *err, size_t len)
{
    int rc = 0;
    for (size_t k = 0; k < a->nparts && !rc; k++)
        rc = exsol_ds_read_int(a->parts[k], name, 0, exsol_ds_ncandidates(a->parts[k]),
                               buf + a->pstart[k], err, len);
    return rc;
}

/* Rows [start, start + count) of a text column, across inputs. */
static int read_text_rows(struct rank *a, const char *name, size_t start, size_t count,
                          char *buf, size_t width, char *err, size_t len)
{
    int rc = 0;
    for (size_t k = 0; k < a->nparts && !rc && count > 0; k++) {
        size_t nk = exsol_ds_ncandidates(a->parts[k]), p0 = a->pstart[k];
        if (start >= p0 + nk)
            continue;
        size_t m = p0 + nk - start < count ? p0 + nk - start : count;
        rc = exsol_ds_read_text(a->parts[k], name, start - p0, m, buf, width, err, len);
        buf += m * width;
        start += m;
        count -= m;
    }
    return rc;
}

static void *alloc_rows(const struct rank *a, size_t size)
{
    return malloc((a->n ? a->n : 1) * size);
}

/* Reads a scalar column; optional columns that are absent leave *out NULL. */
static int read_col(struct rank *a, const char *name, int required, double **out, char *err,
                    size_t len)
{
    *out = NULL;
    if (!has_var(a->parts[0], name)) {
        if (!required) {
            exsol_stage_notef(a->o->notes, EXSOL_NOTE_DEBUG,
                              "no '%s' in the input: its constraint is not evaluated", name);
            return 0;
        }
        return exsol_seterr(err, len, EXSOL_EMISSINGVAR,
                            "input has no scalar variable '%s' (run exsol-transport and "
                            "exsol-magnet first)",
                            name);
    }
    if (!(*out = alloc_rows(a, sizeof **out)))
        return EXSOL_ENOMEM;
    return read_all_double(a, name, *out, err, len);
}

static int read_int_col(struct rank *a, const char *name, int required, int **out, char *err,
                        size_t len)
{
    double *d = NULL;
    int rc = read_col(a, name, required, &d, err, len);
    *out = NULL;
    if (rc || !d)
        return rc;
    if (!(*out = alloc_rows(a, sizeof **out))) {
        free(d);
        return EXSOL_ENOMEM;
    }
    for (size_t i = 0; i < a->n; i++)
        (*out)[i] = isnan(d[i]) ? -1 : (int)d[i];
    free(d);
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls > lx && strcmp(s + ls - lx, suffix) == 0;
}

/* Every <stage>_status variable: a row with a non-zero (or missing) status is
 * excluded; the first failing stage is remembered for rank_reason. */
static int read_statuses(struct rank *a, char *err, size_t len)
{
    size_t nv = exsol_ds_nvars(a->parts[0]);
    int *st = alloc_rows(a, sizeof *st);
    int rc = 0;
    a->excluded = calloc(a->n ? a->n : 1, 1);
    a->fail_stage = alloc_rows(a, sizeof *a->fail_stage);
    a->fail_code = alloc_rows(a, sizeof *a->fail_code);
    a->stage_vars = calloc(nv ? nv : 1, sizeof *a->stage_vars);
    if (!st || !a->excluded || !a->fail_stage || !a->fail_code || !a->stage_vars) {
        rc = EXSOL_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < a->n; i++)
        a->fail_stage[i] = -1;
    for (size_t v = 0; v < nv && !rc; v++) {
        const char *name = exsol_ds_var_name(a->parts[0], v);
        if (!ends_with(name, "_status") || !has_var(a->parts[0], name))
            continue;
        size_t k = a->nstage;
        if (!(a->stage_vars[k] = strdup(name))) {
            rc = EXSOL_ENOMEM;
            break;
        }
        a->nstage++;
        rc = read_all_int(a, name, st, err, len);
        for (size_t i = 0; i < a->n && !rc; i++)
            if (st[i] != 0 && a->fail_stage[i] < 0) {
                a->excluded[i] = 1;
                a->fail_stage[i] = (int)k;
                a->fail_code[i] = st[i];
            }
    }
cleanup:
    free(st);
    return rc;
}

static void row_reason(const struct rank *a, size_t i, char *buf, size_t len)
{
    if (a->filtered && a->filtered[i] && a->fail_stage[i] < 0) {
        snprintf(buf, len, "excluded: not selected by %s", a->o->include ? "-i" : "-e");
        return;
    }
    if (!(a->flags[i] & EXSOL_RANK_F_STATUS) || a->fail_stage[i] < 0) {
        exsol_rank_describe(&a->rp, &a->in, i, a->flags[i], buf, len);
        return;
    }
    const char *sv = a->stage_vars[a->fail_stage[i]];
    char stage[64], why[REASON_WIDTH], var[96], err[128];
    size_t sl = strlen(sv) - strlen("_status");
    snprintf(stage, sizeof stage, "%.*s", (int)(sl < 63 ? sl : 63), sv);
    snprintf(var, sizeof var, "%s_reason", stage);
    why[0] = '\0';
    if (exsol_ds_var_kind(a->parts[0], var) == EXSOL_VK_TEXT)
        if (read_text_rows((struct rank *)a, var, i, 1, why, sizeof why, err, sizeof err) != 0)
            why[0] = '\0';
    if (a->fail_code[i] == EXSOL_FILL_INT)
        snprintf(buf, len, "excluded: %s status missing", stage);
    else
        snprintf(buf, len, "excluded: %s status %d%s%s", stage, a->fail_code[i],
                 why[0] ? ": " : "", why);
}

static enum exsol_expr_type filter_lookup(void *ctx, const char *name, char *why, size_t len)
{
    const struct rank *a = ctx;
    for (size_t j = 0; j < sizeof own_outputs / sizeof own_outputs[0]; j++)
        if (strcmp(name, own_outputs[j]) == 0) {
            snprintf(why, len,
                     "computed by this ranking; filter its output with exsol-table -i");
            return EXSOL_EXPR_NONE;
        }
    enum exsol_vkind k = exsol_ds_var_kind(a->parts[0], name);
    if (k == EXSOL_VK_SCALAR)
        return EXSOL_EXPR_NUMBER;
    if (k == EXSOL_VK_TEXT)
        return EXSOL_EXPR_TEXT;
    snprintf(why, len, "%s",
             k == EXSOL_VK_NONE ? "no such variable in the input"
                                : "not one value per candidate");
    return EXSOL_EXPR_NONE;
}

/* The values of the variables e names, for every row (num[v] or text[v] by type). */
static int read_filter_vars(struct rank *a, const exsol_expr *e, double **num, char **text,
                            size_t *width, char *err, size_t len)
{
    int rc = 0;
    for (size_t v = 0; v < exsol_expr_nvars(e) && !rc; v++) {
        const char *name = exsol_expr_var(e, v);
        if (exsol_expr_var_type(e, v) == EXSOL_EXPR_TEXT) {
            size_t inner = 0;
            rc = exsol_ds_var_inner(a->parts[0], name, &inner, err, len);
            width[v] = inner + 1;
            if (!rc && !(text[v] = alloc_rows(a, width[v])))
                rc = EXSOL_ENOMEM;
            if (!rc)
                rc = read_text_rows(a, name, 0, a->n, text[v], width[v], err, len);
        } else if (!(num[v] = alloc_rows(a, sizeof **num))) {
            rc = EXSOL_ENOMEM;
        } else {
            rc = read_all_double(a, name, num[v], err, len);
        }
    }
    return rc;
}

/* -i/-e: the rows the expression leaves out are excluded from the ranking (a row a
 * stage failed stays excluded for that reason, and is not counted here). Parse
 * errors are usage errors, "-i 'EXPR': why". */
static int apply_filter(struct rank *a, char *err, size_t len)
{
    const char *src = a->o->include ? a->o->include : a->o->exclude;
    const char *opt = a->o->include ? "-i" : "-e";
    char why[512];
    exsol_expr *e = NULL;
    if (!src)
        return 0;
    if (a->o->include && a->o->exclude)
        return exsol_seterr(err, len, EXSOL_EUSAGE,
                            "-i and -e exclude each other (use -i '!(EXPR)')");
    int rc = exsol_expr_parse(src, filter_lookup, a, &e, why, sizeof why);
    if (rc)
        return exsol_seterr(err, len, rc, "%s '%s': %s", opt, src, why);
    size_t nv = exsol_expr_nvars(e), m = nv ? nv : 1;
    double **num = calloc(m, sizeof *num), *rn = malloc(m * sizeof *rn);
    char **text = calloc(m, sizeof *text);
    const char **rt = malloc(m * sizeof *rt);
    size_t *width = calloc(m, sizeof *width);
    a->filtered = calloc(a->n ? a->n : 1, 1);
    rc = num && rn && text && rt && width && a->filtered ? 0 : EXSOL_ENOMEM;
    if (!rc)
        rc = read_filter_vars(a, e, num, text, width, err, len);
    for (size_t i = 0; i < a->n && !rc; i++) {
        for (size_t v = 0; v < nv; v++) {
            rn[v] = num[v] ? num[v][i] : NAN;
            rt[v] = text[v] ? text[v] + i * width[v] : NULL;
        }
        int match = exsol_expr_eval(e, rn, rt);
        if (a->o->include ? !match : match) {
            a->filtered[i] = 1;
            a->nfiltered += !a->excluded[i]; /* counted once: a failed row stays failed */
            a->excluded[i] = 1;
        }
    }
    for (size_t v = 0; v < nv; v++) {
        if (num)
            free(num[v]);
        if (text)
            free(text[v]);
    }
    free(num), free(rn), free(text), free(rt), free(width);
    exsol_expr_free(e);
    if (!rc)
        exsol_stage_notef(a->o->notes, EXSOL_NOTE_DEBUG,
                          "%s '%s': %zu of %zu rows left out of the ranking", opt, src,
                          a->nfiltered, a->n);
    return rc;
}

/* 1 unless c is one of swept_only and has the same value in every row. */
static int varies(const struct rank *a, const struct column *c)
{
    int listed = 0;
    for (size_t k = 0; k < sizeof swept_only / sizeof swept_only[0]; k++)
        listed |= strcmp(c->name, swept_only[k]) == 0;
    if (!listed)
        return 1;
    for (size_t i = 1; i < a->n; i++) {
        if (c->text && strcmp(c->text, c->text + i * c->width) != 0)
            return 1;
        if (c->num && memcmp(&c->num[0], &c->num[i], sizeof c->num[0]) != 0)
            return 1;
    }
    return 0;
}

/* The table's columns, checked and read before any output exists, so a typo fails
 * fast: --columns names must exist (a default column the input lacks is skipped, and
 * so is a swept_only one whose value does not vary). */
static int setup_columns(struct rank *a, char *err, size_t len)
{
    const char *list = a->o->columns ? a->o->columns : EXSOL_RANK_DEFAULT_COLUMNS;
    int user = a->o->columns != NULL;
    size_t cap = 1;
    char *save = NULL;
    for (const char *p = list; *p; p++)
        cap += *p == ',';
    a->colnames = strdup(list);
    a->cols = calloc(cap, sizeof *a->cols);
    if (!a->colnames || !a->cols)
        return EXSOL_ENOMEM;
    for (char *tok = strtok_r(a->colnames, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        struct column *c = &a->cols[a->ncol];
        enum exsol_vkind kind = exsol_ds_var_kind(a->parts[0], tok);
        c->name = tok;
        if ((c->own = exsol_schema_index(&exsol_schema_rank, tok)) >= 0) {
            a->ncol++;
            continue;
        }
        if (kind == EXSOL_VK_NONE) {
            if (!user)
                continue; /* a default column this input does not have */
            return exsol_seterr(err, len, EXSOL_EUNKNOWN, "no variable '%s' in the input", tok);
        }
        if (kind != EXSOL_VK_SCALAR && kind != EXSOL_VK_TEXT)
            return exsol_seterr(err, len, EXSOL_EVALUE,
                                "variable '%s' is not one value per candidate; a table "
                                "column must be",
                                tok);
        a->ncol++;
        size_t inner = 1;
        int rc = exsol_ds_var_inner(a->parts[0], tok, &inner, err, len);
        if (!rc && kind == EXSOL_VK_TEXT) {
            c->width = inner + 1;
            c->text = alloc_rows(a, c->width);
            rc = c->text ? read_text_rows(a, tok, 0, a->n, c->text, c->width, err, len)
                         : EXSOL_ENOMEM;
        } else if (!rc) {
            c->num = alloc_rows(a, sizeof *c->num);
            rc = c->num ? read_all_double(a, tok, c->num, err, len) : EXSOL_ENOMEM;
        }
        if (rc)
            return rc;
        if (!user && !varies(a, c)) { /* a constant swept_only column: left out */
            a->ncol--;
            free(c->num), free(c->text);
            memset(c, 0, sizeof *c);
        }
    }
    if (a->ncol == 0)
        return exsol_seterr(err, len, EXSOL_EUSAGE, "--columns names no column");
    return 0;
}

static int open_inputs(struct rank *a, char *err, size_t len)
{
    size_t nstdin = 0;
    for (size_t k = 0; k < a->o->ninputs; k++)
        nstdin += strcmp(a->o->inputs[k], "-") == 0;
    if (nstdin > 1)
        return exsol_seterr(err, len, EXSOL_EUSAGE, "stdin ('-') can be read only once");
    a->parts = calloc(a->o->ninputs, sizeof *a->parts);
    a->pstart = calloc(a->o->ninputs, sizeof *a->pstart);
    if (!a->parts || !a->pstart)
        return EXSOL_ENOMEM;
    for (size_t k = 0; k < a->o->ninputs; k++) {
        int rc = exsol_ds_open(a->o->inputs[k], &a->parts[k], err, len);
        if (rc)
            return rc;
        a->nparts++; /* closed with the others on the way out */
        if ((rc = exsol_stage_check_units(a->parts[k], err, len)) != 0)
            return rc;
        a->pstart[k] = a->n;
        a->n += exsol_ds_ncandidates(a->parts[k]);
    }
    return 0;
}

/* -v (EXSOL_NOTE_DEBUG): the inputs and the model parameters in use. */
static void note_inputs(const struct rank *a, const exsol_params *p)
{
    const struct exsol_stage_notes *nt = a->o->notes;
    size_t np = exsol_params_count(p), over = 0;
    exsol_stage_notef(nt, EXSOL_NOTE_DEBUG, "%zu input%s, %zu candidates", a->nparts,
                      a->nparts == 1 ? "" : "s", a->n);
    for (size_t i = 0; i < np; i++)
        over += strcmp(exsol_params_origin(p, i), "default") != 0;
    exsol_stage_notef(nt, EXSOL_NOTE_DEBUG,
                      "%zu model parameters, %zu overridden (all recorded in the output):", np,
                      over);
    for (size_t i = 0; i < np; i++) {
        const char *u = exsol_params_si_unit(p, i);
        int unit = u && strcmp(u, "1") != 0;
        exsol_stage_notef(nt, EXSOL_NOTE_DEBUG, "  %s = %.6g%s%s (%s)", exsol_params_name(p, i),
                          exsol_params_value(p, i), unit ? " " : "", unit ? u : "",
                          exsol_params_origin(p, i));
    }
}

/* -v (EXSOL_NOTE_DEBUG): rows each stage excluded, the size of the first fronts,
 * ranked rows that are not dual switches, the ranking's time. */
static void note_summary(const struct rank *a, double rank_s)
{
    const struct exsol_stage_notes *nt = a->o->notes;
    for (size_t k = 0; k < a->nstage; k++) {
        size_t n = 0;
        for (size_t i = 0; i < a->n; i++)
            n += a->fail_stage[i] == (int)k;
        exsol_stage_notef(nt, EXSOL_NOTE_DEBUG, "%s != 0: %zu rows excluded", a->stage_vars[k],
                          n);
    }
    size_t fronts[6] = {0}, violating = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (a->pr[i] >= 1 && a->pr[i] <= 5)
            fronts[a->pr[i]]++;
        else if (a->pr[i] > 5)
            fronts[0]++;
        violating += a->rank[i] > 0 && a->dual[i] == 0;
    }
    exsol_stage_notef(nt, EXSOL_NOTE_DEBUG,
                      "Pareto fronts: %zu, %zu, %zu, %zu, %zu rows in fronts 1-5, %zu in later "
                      "ones",
                      fronts[1], fronts[2], fronts[3], fronts[4], fronts[5], fronts[0]);
    exsol_stage_notef(nt, EXSOL_NOTE_DEBUG,
                      "%zu ranked rows are not dual switches; ranking took %.3f s", violating,
                      rank_s);
}

static const double *const *twin_base;
static size_t twin_nv;

static int cmp_twin(const void *pa, const void *pb)
{
    size_t i = *(const size_t *)pa, j = *(const size_t *)pb;
    for (size_t v = 0; v < twin_nv; v++) {
        int c = memcmp(&twin_base[v][i], &twin_base[v][j], sizeof(double));
        if (c)
            return c;
    }
    return (i > j) - (i < j);
}

/* physics_twin_of: among ranked rows, each row whose twin_vars all equal (bitwise) an
 * earlier row's gets that row's candidate id; the first of a group and every other row
 * get -1. */
static int find_twins(struct rank *a, char *err, size_t len)
{
    double *col[N_TWIN];
    size_t nv = 0, nr = 0;
    double *cand = NULL;
    size_t *order = alloc_rows(a, sizeof *order);
    int rc = order ? 0 : EXSOL_ENOMEM;
    for (size_t v = 0; v < N_TWIN && !rc; v++) {
        if (!has_var(a->parts[0], twin_vars[v]))
            continue;
        if (!(col[nv] = alloc_rows(a, sizeof(double))))
            rc = EXSOL_ENOMEM;
        else if (!(rc = read_all_double(a, twin_vars[v], col[nv], err, len)))
            nv++;
        else
            free(col[nv]);
    }
    if (!rc && has_var(a->parts[0], "candidate")) {
        if (!(cand = alloc_rows(a, sizeof *cand)))
            rc = EXSOL_ENOMEM;
        else
            rc = read_all_double(a, "candidate", cand, err, len);
    }
    for (size_t i = 0; i < a->n; i++) {
        a->twin[i] = -1;
        if (a->rank[i] > 0)
            order[nr++] = i;
    }
    if (!rc && nv > 0) {
        twin_base = (const double *const *)col;
        twin_nv = nv;
        qsort(order, nr, sizeof *order, cmp_twin);
        for (size_t k = 1, first = order[0]; k < nr; k++) {
            size_t i = order[k], v;
            for (v = 0; v < nv; v++)
                if (memcmp(&col[v][i], &col[v][first], sizeof(double)))
                    break;
            if (v < nv)
                first = i;
            else
                a->twin[i] = cand ? (long)cand[first] : (long)first;
        }
    }
    for (size_t v = 0; v < nv; v++)
        free(col[v]);
    free(cand);
    free(order);
    return rc;
}

static int create(void **ctx, const exsol_params *p, const char *input, const void *opts,
                  char *err, size_t len)
{
    (void)input; /* the inputs are opts->inputs */
    struct rank *a = calloc(1, sizeof *a);
    if (!(*ctx = a))
        return EXSOL_ENOMEM;
    a->o = opts;
    double t0 = omp_get_wtime();
    int rc = exsol_rank_params_from(p, &a->rp, err, len);
    if (!rc && !(rc = open_inputs(a, err, len)))
        note_inputs(a, p);
    if (rc || (a->o->tsv && a->o->columns && (rc = setup_columns(a, err, len))) ||
        (rc = read_col(a, "log10_rho_ratio", 1, &a->r, err, len)) ||
        (rc = read_col(a, "M_300K_1T_reduced", 1, &a->M, err, len)) ||
        (rc = read_int_col(a, "spm_300K_reduced", 1, &a->spm, err, len)) ||
        (rc = read_col(a, "M_300K_1T_pristine", 0, &a->Mp, err, len)) ||
        (rc = read_col(a, "tolerance_factor", 0, &a->tol, err, len)) ||
        (rc = read_col(a, "bartel_tau", 0, &a->tau, err, len)) ||
        (rc = read_int_col(a, "feasible", 0, &a->feas, err, len)) ||
        (rc = read_int_col(a, "insulating_pristine", 0, &a->ins, err, len)) ||
        (rc = read_int_col(a, "metallic_reduced", 0, &a->met, err, len)) ||
        (rc = read_col(a, "T_anneal", 0, &a->T, err, len)) ||
        (rc = read_col(a, "t_anneal", 0, &a->ts, err, len)) ||
        (rc = read_statuses(a, err, len)) || (rc = apply_filter(a, err, len)) ||
        (a->o->tsv && !a->o->columns && (rc = setup_columns(a, err, len))))
        return rc;
    a->dual = alloc_rows(a, sizeof *a->dual);
    a->pr = alloc_rows(a, sizeof *a->pr);
    a->cd = alloc_rows(a, sizeof *a->cd);
    a->score = alloc_rows(a, sizeof *a->score);
    a->rank = alloc_rows(a, sizeof *a->rank);
    a->flags = alloc_rows(a, sizeof *a->flags);
    a->twin = alloc_rows(a, sizeof *a->twin);
    a->reasons = malloc((size_t)EXSOL_BLOCK * REASON_WIDTH);
    if (!a->dual || !a->pr || !a->cd || !a->score || !a->rank || !a->flags || !a->twin ||
        !a->reasons)
        return EXSOL_ENOMEM;
    struct exsol_rank_input in = {a->n,    a->r, a->M,  a->spm,      a->Mp,  a->tol, a->tau,
                                  a->feas, a->T, a->ts, a->excluded, a->ins, a->met};
    a->in = in;
    struct exsol_rank_output out = {a->dual, a->pr, a->cd, a->score, a->rank, a->flags};
    struct exsol_rank_summary s;
    a->base = (struct exsol_stage_ctx){a->parts[0], a->n, ""};
    double tc = omp_get_wtime();
    if ((rc = exsol_rank_run(&a->rp, &a->in, &out, &s, err, len)))
        return rc;
    note_summary(a, omp_get_wtime() - tc);
    if ((rc = find_twins(a, err, len)))
        return rc;
    char filt[64] = "";
    if (a->filtered)
        snprintf(filt, sizeof filt, ", %zu by %s", a->nfiltered, a->o->include ? "-i" : "-e");
    if (s.n_included == 0)
        exsol_stage_notef(
            a->o->notes, EXSOL_NOTE_INFO,
            "no row could be ranked (%zu rows: %zu failed a stage, %zu had missing "
            "values); the ranking is empty",
            s.n, s.n_excluded_status, s.n_excluded_missing);
    exsol_stage_notef(a->o->notes, EXSOL_NOTE_INFO,
                      "%zu rows, %zu ranked, %zu dual switch, %zu fronts; excluded: %zu failed "
                      "stage, %zu missing values%s (%.2f s)",
                      s.n, s.n_included, s.n_dual, s.n_fronts,
                      s.n_excluded_status - a->nfiltered, s.n_excluded_missing, filt,
                      omp_get_wtime() - t0);
    return 0;
}

/* rank_reason may read a failed stage's <stage>_reason: netCDF, so outside the
 * parallel rows. */
static int read_block(void *ctx, size_t s, size_t cnt, char *err, size_t errlen)
{
    struct rank *a = ctx;
    (void)err, (void)errlen;
    for (size_t k = 0; k < cnt; k++)
        row_reason(a, s + k, a->reasons + k * REASON_WIDTH, REASON_WIDTH);
    return 0;
}

static int row(void *ctx, const struct exsol_block *b, size_t k)
{
    const struct rank *a = ctx;
    size_t i = b->start + k;
    *exsol_block_int(b, V(dual_switch), k) = a->dual[i];
    *exsol_block_int(b, V(pareto_rank), k) =
        a->pr[i] == EXSOL_RANK_NONE ? EXSOL_FILL_INT : a->pr[i];
    *exsol_block_double(b, V(crowding_distance), k) = a->cd[i];
    *exsol_block_double(b, V(score), k) = a->score[i];
    *exsol_block_int(b, V(rank), k) = a->rank[i] > 0 ? (int)a->rank[i] : EXSOL_FILL_INT;
    size_t w = b->inner[V(rank_reason)];
    snprintf(exsol_block_text(b, V(rank_reason), k), w, "%s", a->reasons + k * REASON_WIDTH);
    *exsol_block_int(b, V(physics_twin_of), k) =
        a->twin[i] >= 0 ? (int)a->twin[i] : EXSOL_FILL_INT;
    return 0;
}

const struct exsol_stage_type exsol_stage_rank = {
    .name = "rank",
    .title = "exsol dual-switching ranking",
    .failed = "excluded",
    .schema = &exsol_schema_rank,
    .create = create,
    .destroy = destroy,
    .read = read_block,
    .row = row,
};

/* ---- outputs ------------------------------------------------------------ */

/* The schema, the parameters, every shard, the rank variables (o just created). */
static int write_netcdf(struct rank *a, const exsol_params *p, exsol_ds_out *o, char *err,
                        size_t len)
{
    size_t n = 0, nfail = 0;
    double cs = 0.0;
    int rc = exsol_stage_define(&exsol_stage_rank, a, o);
    if (!rc)
        rc = exsol_ds_out_put_params(o, p);
    if (rc) {
        const char *m = exsol_ds_out_errmsg(o);
        return exsol_seterr(err, len, rc, "%s%s", m[0] ? m : exsol_strerror(rc),
                            rc == EXSOL_EFORMAT ? " (is the input already ranked?)" : "");
    }
    rc = exsol_ds_out_enddef(o, err, len);
    for (size_t k = 1; k < a->nparts && !rc; k++) /* the other shards, in order */
        rc = exsol_ds_out_append(o, a->parts[k], err, len);
    if (!rc)
        rc = exsol_stage_run(&exsol_stage_rank, a, o, NULL, &n, &nfail, &cs, err, len);
    return rc;
}

static void put_row(const struct rank *a, struct exsol_tsv *t, size_t i)
{
    char buf[REASON_WIDTH];
    for (size_t k = 0; k < a->ncol; k++) {
        const struct column *c = &a->cols[k];
        switch (c->own) {
        case V(dual_switch):
            exsol_tsv_long(t, a->dual[i]);
            break;
        case V(pareto_rank):
            if (a->pr[i] > 0)
                exsol_tsv_long(t, a->pr[i]);
            else
                exsol_tsv_text(t, "NA");
            break;
        case V(crowding_distance):
            exsol_tsv_double(t, a->cd[i]);
            break;
        case V(score):
            exsol_tsv_double(t, a->score[i]);
            break;
        case V(rank):
            if (a->rank[i] > 0)
                exsol_tsv_long(t, a->rank[i]);
            else
                exsol_tsv_text(t, "NA");
            break;
        case V(rank_reason):
            row_reason(a, i, buf, sizeof buf);
            exsol_tsv_text(t, buf);
            break;
        case V(physics_twin_of):
            if (a->twin[i] >= 0)
                exsol_tsv_long(t, a->twin[i]);
            else
                exsol_tsv_text(t, "NA");
            break;
        default: /* an input column (a rank variable without a case here: NA) */
            if (c->num)
                exsol_tsv_double(t, c->num[i]);
            else if (c->text)
                exsol_tsv_text(t, c->text + i * c->width);
            else
                exsol_tsv_text(t, "NA");
        }
    }
    exsol_tsv_endl(t);
}

/* The table: ranked rows by rank, then (--all) excluded rows in file order. */
static int write_tsv(const struct rank *a, FILE *fp)
{
    size_t *order = alloc_rows(a, sizeof *order), nord = 0, nranked = 0;
    struct exsol_tsv t;
    int rc = 0;
    if (!order)
        return EXSOL_ENOMEM;
    for (size_t i = 0; i < a->n; i++)
        if (a->rank[i] > 0) {
            order[a->rank[i] - 1] = i;
            nranked++;
        }
    nord = a->o->top > 0 && (size_t)a->o->top < nranked ? (size_t)a->o->top : nranked;
    if (a->o->all)
        for (size_t i = 0; i < a->n; i++)
            if (a->rank[i] <= 0)
                order[nord++] = i;
    exsol_tsv_init(&t, EXSOL_TSV, EXSOL_TSV_G6);
    for (size_t k = 0; k < a->ncol; k++)
        exsol_tsv_text(&t, a->cols[k].name);
    exsol_tsv_endl(&t);
    for (size_t k = 0; k < nord && !rc; k++) {
        put_row(a, &t, order[k]);
        rc = exsol_tsv_write(&t, fp);
    }
    if (!rc)
        rc = exsol_tsv_write(&t, fp);
    exsol_tsv_release(&t);
    free(order);
    return rc;
}

/* Every output of the run is committed only when the whole run has succeeded
 * (DESIGN.md §4): both temporaries are made before anything is written (a table
 * that cannot be created costs no NetCDF), both outputs are written and finished
 * (closed, synced: what can fail on the data), then put in place, the NetCDF first
 * (its stream form to stdout or a device is the one step of putting in place that
 * can still fail, e.g. on /dev/full), then the table. On failure both are discarded:
 * an existing file at either path is left as it was. */
int exsol_rank_write(void *ctx, const struct exsol_out_opts *oo, const exsol_params *p,
                     char *err, size_t len)
{
    struct rank *a = ctx;
    exsol_ds_out *nc = NULL;
    exsol_outfile *tf = NULL;
    FILE *fp = NULL;
    int rc = 0;
    if (a->o->netcdf)
        rc = exsol_ds_out_create(a->o->netcdf, a->parts[0], oo, &nc, err, len);
    if (!rc && a->o->tsv)
        rc = exsol_outfile_open(a->o->tsv, &tf, &fp, err, len);
    if (!rc && nc)
        rc = write_netcdf(a, p, nc, err, len);
    if (!rc && tf && (rc = write_tsv(a, fp)))
        exsol_seterr(err, len, rc, "%s", exsol_strerror(rc));
    if (!rc && tf)
        rc = exsol_outfile_finish(tf, err, len);
    if (!rc && nc)
        rc = exsol_ds_out_finish(nc, err, len);
    if (!rc && nc) {
        rc = exsol_ds_out_close(nc, err, len); /* frees nc */
        nc = NULL;
    }
    if (!rc && tf) {
        rc = exsol_outfile_commit(tf, err, len); /* frees tf */
        tf = NULL;
    }
    exsol_ds_out_abort(nc);
    exsol_outfile_abort(tf);
    return rc;
}
