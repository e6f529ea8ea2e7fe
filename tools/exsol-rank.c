/* exsol-rank: dual-switching ranking of a screened dataset.
 * Reads transport and magnet output, adds dual_switch, pareto_rank,
 * crowding_distance, score, rank and rank_reason (libcore/physics/rank.c), and
 * prints a sorted TSV table. */
#include "exsol/cli.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/msg.h"
#include "exsol/outfile.h"
#include "exsol/rank.h"
#include "exsol/stage.h"
#include "exsol/tsv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REASON_WIDTH 128
#define DEFAULT_COLUMNS                                                                        \
    "rank,formula,dopant,dopant_fraction,A_vacancy,T_anneal,t_anneal,log10_rho_ratio,"         \
    "M_300K_1T_reduced,spm_300K_reduced,dual_switch,pareto_rank,crowding_distance,score,"      \
    "rank_reason"

enum { OPT_TSV = 2000, OPT_TOP, OPT_COLUMNS, OPT_ALL };

static const char usage_text[] =
    "Usage: exsol-rank [options] [INPUT...]\n"
    "\n"
    "Ranks screened candidates for dual switching: objectives log10_rho_ratio and\n"
    "M_300K_1T_reduced (counted only when spm_300K_reduced = 1), constraints on\n"
    "structure, process window, ratio and superparamagnetism (datasets/rank-parameters.csv,\n"
    "override with --set), constrained Pareto rank, crowding distance, score, rank.\n"
    "Rows where any <stage>_status != 0 or a needed value is missing are excluded.\n"
    "INPUT is a NetCDF file from exsol-magnet/exsol-transport ('-' = stdin, default).\n"
    "Several INPUTs (the shards of one screen, in order) are ranked as one screen: the\n"
    "NetCDF output is then their concatenation (as exsol-cat) plus the rank variables.\n"
    "\n"
    "Output: the sorted TSV table goes to stdout unless -o is given, so that\n"
    "  exsol-gen ... | exsol-reduce | exsol-transport | exsol-magnet | exsol-rank > "
    "ranking.tsv\n"
    "works. With -o FILE the input plus the rank variables are written as NetCDF to FILE\n"
    "(-o - : NetCDF on stdout); the table is then written only with --tsv.\n"
    "\n"
    "Options:\n"
    "      --tsv FILE      write the table to FILE ('-' = stdout)\n"
    "      --top K         only the best K ranked rows in the table (0 = all, default)\n"
    "      --columns LIST  table columns, comma separated: any scalar or text variable of\n"
    "                      the input or of the ranking (default:\n"
    "                      " DEFAULT_COLUMNS ")\n"
    "      --all           also list excluded rows, after the ranked ones\n";
static const struct option rank_opts[] = {{"tsv", required_argument, 0, OPT_TSV},
                                          {"top", required_argument, 0, OPT_TOP},
                                          {"columns", required_argument, 0, OPT_COLUMNS},
                                          {"all", no_argument, 0, OPT_ALL},
                                          {0, 0, 0, 0}};

struct args {
    struct exsol_cli cli;
    const char *tsv;
    const char *netcdf_out; /* -o given: NetCDF goes there */
    long top;
    const char *columns;
    int all;
    char **inputs; /* INPUT... ('-' = stdin, at most once) */
    int ninputs;
    exsol_ds *ds;     /* the first input: names, kinds and shapes of the variables */
    exsol_ds **parts; /* every input, in order (parts[0] = ds) */
    size_t *pstart;   /* first row of each input in the whole */
    size_t nparts;
    size_t n;
    /* inputs */
    double *r, *M, *Mp, *tol, *tau, *T, *ts;
    int *spm, *feas;
    unsigned char *excluded;
    int *fail_stage; /* index into stage_vars of the first failed stage, -1 */
    int *fail_code;
    char **stage_vars;
    size_t nstage;
    /* outputs */
    struct exsol_rank_params rp;
    struct exsol_rank_input in;
    int *dual, *pr, *rank_i;
    double *cd, *score;
    long *rank;
    unsigned *flags;
};

static void destroy_data(struct args *a)
{
    free(a->r), free(a->M), free(a->Mp), free(a->tol), free(a->tau), free(a->T), free(a->ts);
    free(a->spm), free(a->feas), free(a->excluded), free(a->fail_stage), free(a->fail_code);
    for (size_t i = 0; i < a->nstage; i++)
        free(a->stage_vars[i]);
    free(a->stage_vars);
    free(a->dual), free(a->pr), free(a->rank_i), free(a->cd), free(a->score), free(a->rank);
    free(a->flags);
    for (size_t k = 0; k < a->nparts; k++) /* a->ds is parts[0] */
        exsol_ds_close(a->parts[k]);
    free(a->parts), free(a->pstart);
    exsol_cli_release(&a->cli);
}

static int has_var(const exsol_ds *ds, const char *name)
{
    return exsol_ds_var_kind(ds, name) == EXSOL_VK_SCALAR;
}

/* A whole column over every input, in order. */
static int read_all_double(struct args *a, const char *name, double *buf, char *err, size_t len)
{
    int rc = 0;
    for (size_t k = 0; k < a->nparts && !rc; k++)
        rc = exsol_ds_read_double(a->parts[k], name, 0, exsol_ds_ncandidates(a->parts[k]),
                                  buf + a->pstart[k], err, len);
    return rc;
}

static int read_all_int(struct args *a, const char *name, int *buf, char *err, size_t len)
{
    int rc = 0;
    for (size_t k = 0; k < a->nparts && !rc; k++)
        rc = exsol_ds_read_int(a->parts[k], name, 0, exsol_ds_ncandidates(a->parts[k]),
                               buf + a->pstart[k], err, len);
    return rc;
}

/* Rows [start, start + count) of a text column, across inputs. */
static int read_text_rows(struct args *a, const char *name, size_t start, size_t count,
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

/* Reads a scalar column; optional columns that are absent leave *out NULL. */
static int read_col(struct args *a, const char *name, int required, double **out)
{
    char err[256];
    *out = NULL;
    if (!has_var(a->ds, name)) {
        if (!required) {
            exsol_debug("no '%s' in the input: its constraint is not evaluated", name);
            return 0;
        }
        exsol_error("input has no scalar variable '%s' (run exsol-transport and "
                    "exsol-magnet first)",
                    name);
        return EXSOL_EMISSINGVAR;
    }
    *out = malloc((a->n ? a->n : 1) * sizeof **out);
    if (!*out)
        return EXSOL_ENOMEM;
    int rc = read_all_double(a, name, *out, err, sizeof err);
    if (rc)
        exsol_error("%s", err);
    return rc;
}

static int read_int_col(struct args *a, const char *name, int required, int **out)
{
    double *d = NULL;
    int rc = read_col(a, name, required, &d);
    *out = NULL;
    if (rc || !d)
        return rc;
    *out = malloc((a->n ? a->n : 1) * sizeof **out);
    if (!*out) {
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
static int read_statuses(struct args *a)
{
    size_t nv = exsol_ds_nvars(a->ds);
    int *st = malloc((a->n ? a->n : 1) * sizeof *st);
    char err[256];
    int rc = 0;
    a->excluded = calloc(a->n ? a->n : 1, 1);
    a->fail_stage = malloc((a->n ? a->n : 1) * sizeof *a->fail_stage);
    a->fail_code = malloc((a->n ? a->n : 1) * sizeof *a->fail_code);
    a->stage_vars = calloc(nv ? nv : 1, sizeof *a->stage_vars);
    if (!st || !a->excluded || !a->fail_stage || !a->fail_code || !a->stage_vars) {
        rc = EXSOL_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < a->n; i++)
        a->fail_stage[i] = -1;
    for (size_t v = 0; v < nv; v++) {
        const char *name = exsol_ds_var_name(a->ds, v);
        if (!ends_with(name, "_status") || !has_var(a->ds, name))
            continue;
        size_t k = a->nstage;
        a->stage_vars[k] = strdup(name);
        if (!a->stage_vars[k]) {
            rc = EXSOL_ENOMEM;
            goto cleanup;
        }
        a->nstage++;
        rc = read_all_int(a, name, st, err, sizeof err);
        if (rc) {
            exsol_error("%s", err);
            goto cleanup;
        }
        for (size_t i = 0; i < a->n; i++)
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

static void row_reason(struct args *a, size_t i, char *buf, size_t len)
{
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
    if (exsol_ds_var_kind(a->ds, var) == EXSOL_VK_TEXT)
        if (read_text_rows(a, var, i, 1, why, sizeof why, err, sizeof err) != 0)
            why[0] = '\0';
    if (a->fail_code[i] == EXSOL_FILL_INT)
        snprintf(buf, len, "excluded: %s status missing", stage);
    else
        snprintf(buf, len, "excluded: %s status %d%s%s", stage, a->fail_code[i],
                 why[0] ? ": " : "", why);
}

static int alloc_outputs(struct args *a)
{
    size_t n = a->n ? a->n : 1;
    a->dual = malloc(n * sizeof *a->dual);
    a->pr = malloc(n * sizeof *a->pr);
    a->rank_i = malloc(n * sizeof *a->rank_i);
    a->cd = malloc(n * sizeof *a->cd);
    a->score = malloc(n * sizeof *a->score);
    a->rank = malloc(n * sizeof *a->rank);
    a->flags = malloc(n * sizeof *a->flags);
    return a->dual && a->pr && a->rank_i && a->cd && a->score && a->rank && a->flags
               ? 0
               : EXSOL_ENOMEM;
}

/* --columns names checked before any work, so a typo fails fast. */
static int check_columns(const struct args *a)
{
    static const char *const own[] = {"dual_switch", "pareto_rank", "crowding_distance",
                                      "score",       "rank",        "rank_reason"};
    char *copy, *save = NULL;
    int rc = 0;
    if (!a->columns || !a->tsv)
        return 0;
    copy = strdup(a->columns);
    if (!copy)
        return EXSOL_ENOMEM;
    for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
        int mine = 0;
        for (size_t k = 0; k < sizeof own / sizeof own[0]; k++)
            mine |= strcmp(tok, own[k]) == 0;
        enum exsol_vkind kind = exsol_ds_var_kind(a->ds, tok);
        if (mine || kind == EXSOL_VK_SCALAR || kind == EXSOL_VK_TEXT)
            continue;
        if (kind == EXSOL_VK_NONE) {
            exsol_error("no variable '%s' in the input", tok);
            rc = EXSOL_EUNKNOWN;
        } else {
            exsol_error("variable '%s' is not one value per candidate; a table column must be",
                        tok);
            rc = EXSOL_EVALUE;
        }
    }
    free(copy);
    return rc;
}

static int load_and_rank(struct args *a)
{
    char err[256];
    int rc = exsol_rank_params_from(a->cli.params, &a->rp, err, sizeof err);
    if (rc) {
        exsol_error("%s", err);
        return rc;
    }
    a->parts = calloc(a->ninputs, sizeof *a->parts);
    a->pstart = calloc(a->ninputs, sizeof *a->pstart);
    if (!a->parts || !a->pstart) {
        exsol_error("out of memory");
        return EXSOL_ENOMEM;
    }
    a->n = 0;
    for (int k = 0; k < a->ninputs; k++) {
        rc = exsol_ds_open(a->inputs[k], &a->parts[k], err, sizeof err);
        if (!rc && (rc = exsol_stage_check_units(a->parts[k], err, sizeof err)) != 0) {
            exsol_ds_close(a->parts[k]);
            a->parts[k] = NULL;
        }
        if (rc) {
            exsol_error("%s", err);
            return rc;
        }
        a->nparts++;
        a->pstart[k] = a->n;
        a->n += exsol_ds_ncandidates(a->parts[k]);
    }
    a->ds = a->parts[0];
    if ((rc = check_columns(a)))
        return rc;
    if ((rc = read_col(a, "log10_rho_ratio", 1, &a->r)) ||
        (rc = read_col(a, "M_300K_1T_reduced", 1, &a->M)) ||
        (rc = read_int_col(a, "spm_300K_reduced", 1, &a->spm)) ||
        (rc = read_col(a, "M_300K_1T_pristine", 0, &a->Mp)) ||
        (rc = read_col(a, "tolerance_factor", 0, &a->tol)) ||
        (rc = read_col(a, "bartel_tau", 0, &a->tau)) ||
        (rc = read_int_col(a, "feasible", 0, &a->feas)) ||
        (rc = read_col(a, "T_anneal", 0, &a->T)) || (rc = read_col(a, "t_anneal", 0, &a->ts)) ||
        (rc = read_statuses(a)) || (rc = alloc_outputs(a)))
        return rc;
    struct exsol_rank_input in = {a->n,   a->r,    a->M, a->spm, a->Mp,      a->tol,
                                  a->tau, a->feas, a->T, a->ts,  a->excluded};
    a->in = in;
    struct exsol_rank_output out = {a->dual, a->pr, a->cd, a->score, a->rank, a->flags};
    struct exsol_rank_summary s;
    double t0 = exsol_wtime();
    double tc = exsol_wtime();
    rc = exsol_rank_run(&a->rp, &a->in, &out, &s, err, sizeof err);
    exsol_cli_compute_add(exsol_wtime() - tc);
    if (rc) {
        exsol_error("%s", err);
        return rc;
    }
    for (size_t i = 0; i < a->n; i++)
        a->rank_i[i] = a->rank[i] > 0 ? (int)a->rank[i] : EXSOL_FILL_INT;
    if (s.n_included == 0)
        exsol_info("no row could be ranked (%zu rows: %zu failed a stage, %zu had missing "
                   "values); the ranking is empty",
                   s.n, s.n_excluded_status, s.n_excluded_missing);
    exsol_info("%zu rows, %zu ranked, %zu dual switch, %zu fronts; excluded: %zu failed "
               "stage, %zu missing values (%.2f s)",
               s.n, s.n_included, s.n_dual, s.n_fronts, s.n_excluded_status,
               s.n_excluded_missing, exsol_wtime() - t0);
    return 0;
}

/* ---- NetCDF output ------------------------------------------------------ */

static int write_netcdf(struct args *a, int argc, char **argv)
{
    char err[256];
    exsol_ds_out *o = NULL;
    struct exsol_out_opts oo;
    char *reasons = NULL;
    int rc;
    exsol_cli_out_opts(&a->cli, argc, argv, &oo, "exsol dual-switching ranking");
    rc = exsol_ds_out_create(a->netcdf_out, a->ds, &oo, &o, err, sizeof err);
    if (rc) {
        exsol_error("%s", err);
        return rc;
    }
    static const struct {
        const char *name, *units, *long_name, *comment;
        int is_int;
    } defs[] = {
        {"dual_switch", "1", "both switches and all constraints hold (1) or not (0)",
         "0 for excluded rows", 1},
        {"pareto_rank", "1", "constrained Pareto front (1 = non-dominated)",
         "fronts of rows violating k constraints follow those violating fewer; fill for "
         "excluded rows",
         1},
        {"crowding_distance", "1", "NSGA-II crowding distance within the Pareto front",
         "Infinity on the boundary of a front; fill for excluded rows", 0},
        {"score", "1", "dual-switching score",
         "(weight_rho*log10_rho_ratio/log10_rho_ratio_ref + weight_mag*M/M_ref)/"
         "(weight_rho+weight_mag) - penalty*violated constraints; M = M_300K_1T_reduced "
         "if spm_300K_reduced = 1 else 0; fill for excluded rows",
         0},
        {"rank", "1", "rank (1 = best)",
         "by pareto_rank, then score (desc), crowding_distance (desc), row; fill for "
         "excluded rows",
         1},
    };
    for (size_t k = 0; k < sizeof defs / sizeof defs[0] && !rc; k++) {
        rc = defs[k].is_int
                 ? exsol_ds_out_def_int(o, defs[k].name, defs[k].units, defs[k].long_name)
                 : exsol_ds_out_def_double(o, defs[k].name, NULL, defs[k].units,
                                           defs[k].long_name);
        if (!rc)
            rc = exsol_ds_out_put_att_text(o, defs[k].name, "comment", defs[k].comment);
    }
    if (!rc)
        rc = exsol_ds_out_def_text(o, "rank_reason", REASON_WIDTH,
                                   "why the row is or is not a dual switch");
    if (!rc)
        rc = exsol_ds_out_put_params(o, a->cli.params);
    if (rc) {
        const char *m = exsol_ds_out_errmsg(o);
        exsol_error("%s%s", m[0] ? m : exsol_strerror(rc),
                    rc == EXSOL_EFORMAT ? " (is the input already ranked?)" : "");
        goto fail;
    }
    rc = exsol_ds_out_enddef(o, err, sizeof err);
    for (size_t k = 1; k < a->nparts && !rc; k++) /* the other shards, in order */
        rc = exsol_ds_out_append(o, a->parts[k], err, sizeof err);
    if (!rc)
        rc = exsol_ds_out_write_int(o, "dual_switch", 0, a->n, a->dual, err, sizeof err);
    for (size_t i = 0; i < a->n; i++)
        if (a->pr[i] == EXSOL_RANK_NONE)
            a->pr[i] = EXSOL_FILL_INT;
    if (!rc)
        rc = exsol_ds_out_write_int(o, "pareto_rank", 0, a->n, a->pr, err, sizeof err);
    if (!rc)
        rc = exsol_ds_out_write_double(o, "crowding_distance", 0, a->n, a->cd, err, sizeof err);
    if (!rc)
        rc = exsol_ds_out_write_double(o, "score", 0, a->n, a->score, err, sizeof err);
    if (!rc)
        rc = exsol_ds_out_write_int(o, "rank", 0, a->n, a->rank_i, err, sizeof err);
    for (size_t i = 0; i < a->n; i++)
        if (a->pr[i] == EXSOL_FILL_INT)
            a->pr[i] = EXSOL_RANK_NONE;
    if (rc) {
        exsol_error("%s", err);
        goto fail;
    }
    reasons = malloc((size_t)EXSOL_BLOCK * REASON_WIDTH);
    if (!reasons) {
        rc = EXSOL_ENOMEM;
        exsol_error("out of memory");
        goto fail;
    }
    for (size_t s = 0; s < a->n && !rc; s += EXSOL_BLOCK) {
        size_t cnt = a->n - s < EXSOL_BLOCK ? a->n - s : EXSOL_BLOCK;
        for (size_t k = 0; k < cnt; k++)
            row_reason(a, s + k, reasons + k * REASON_WIDTH, REASON_WIDTH);
        rc = exsol_ds_out_write_text(o, "rank_reason", s, cnt, reasons, REASON_WIDTH, err,
                                     sizeof err);
    }
    free(reasons);
    if (rc) {
        exsol_error("%s", err);
        goto fail;
    }
    rc = exsol_ds_out_close(o, err, sizeof err);
    if (rc)
        exsol_error("%s", err);
    return rc;
fail:
    exsol_ds_out_abort(o);
    return rc;
}

/* ---- TSV table ---------------------------------------------------------- */

enum col_src {
    COL_DUAL,
    COL_PARETO,
    COL_CROWD,
    COL_SCORE,
    COL_RANK,
    COL_REASON,
    COL_NUM,
    COL_TEXT
};

struct column {
    char *name;
    enum col_src src;
    double *num;
    char *text;
    size_t width;
};

static int column_setup(struct args *a, struct column *c, int user)
{
    static const char *const own[] = {"dual_switch", "pareto_rank", "crowding_distance",
                                      "score",       "rank",        "rank_reason"};
    char err[256];
    for (int k = 0; k < 6; k++)
        if (strcmp(c->name, own[k]) == 0) {
            c->src = (enum col_src)k;
            return 0;
        }
    enum exsol_vkind kind = exsol_ds_var_kind(a->ds, c->name);
    if (kind == EXSOL_VK_NONE) {
        if (!user)
            return 1; /* a default column this input does not have: skip it */
        exsol_error("no variable '%s' in the input", c->name);
        return -EXSOL_EUNKNOWN;
    }
    if (kind != EXSOL_VK_SCALAR && kind != EXSOL_VK_TEXT) {
        exsol_error("variable '%s' is not one value per candidate; a table column must be",
                    c->name);
        return -EXSOL_EVALUE;
    }
    size_t inner = 1;
    int rc = exsol_ds_var_inner(a->ds, c->name, &inner, err, sizeof err);
    size_t n = a->n ? a->n : 1;
    if (!rc && kind == EXSOL_VK_TEXT) {
        c->src = COL_TEXT;
        c->width = inner + 1;
        c->text = malloc(n * c->width);
        rc = c->text ? read_text_rows(a, c->name, 0, a->n, c->text, c->width, err, sizeof err)
                     : EXSOL_ENOMEM;
    } else if (!rc) {
        c->src = COL_NUM;
        c->num = malloc(n * sizeof *c->num);
        rc = c->num ? read_all_double(a, c->name, c->num, err, sizeof err) : EXSOL_ENOMEM;
    }
    if (rc) {
        exsol_error("%s", rc == EXSOL_ENOMEM ? "out of memory" : err);
        return -rc;
    }
    return 0;
}

static void put_row(struct args *a, struct exsol_tsv *t, const struct column *cols, size_t ncol,
                    size_t i)
{
    char buf[REASON_WIDTH];
    for (size_t k = 0; k < ncol; k++) {
        const struct column *c = &cols[k];
        switch (c->src) {
        case COL_DUAL:
            exsol_tsv_long(t, a->dual[i]);
            break;
        case COL_PARETO:
            if (a->pr[i] > 0)
                exsol_tsv_long(t, a->pr[i]);
            else
                exsol_tsv_text(t, "NA");
            break;
        case COL_CROWD:
            exsol_tsv_double(t, a->cd[i]);
            break;
        case COL_SCORE:
            exsol_tsv_double(t, a->score[i]);
            break;
        case COL_RANK:
            if (a->rank[i] > 0)
                exsol_tsv_long(t, a->rank[i]);
            else
                exsol_tsv_text(t, "NA");
            break;
        case COL_REASON:
            row_reason(a, i, buf, sizeof buf);
            exsol_tsv_text(t, buf);
            break;
        case COL_NUM:
            exsol_tsv_double(t, c->num[i]);
            break;
        case COL_TEXT:
            exsol_tsv_text(t, c->text + i * c->width);
            break;
        }
    }
    exsol_tsv_endl(t);
}

static int write_tsv(struct args *a, const char *path)
{
    const char *list = a->columns ? a->columns : DEFAULT_COLUMNS;
    struct column *cols = NULL;
    size_t ncol = 0, cap = 1;
    size_t *order = NULL, nord = 0;
    char *copy = strdup(list), *save = NULL;
    FILE *fp = NULL;
    exsol_outfile *of = NULL;
    int rc = 0;
    for (const char *p = list; *p; p++)
        cap += *p == ',';
    cols = calloc(cap, sizeof *cols);
    order = malloc((a->n ? a->n : 1) * sizeof *order);
    if (!copy || !cols || !order) {
        rc = EXSOL_ENOMEM;
        exsol_error("out of memory");
        goto cleanup;
    }
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (!*tok)
            continue;
        cols[ncol].name = tok;
        int r = column_setup(a, &cols[ncol], a->columns != NULL);
        if (r < 0) {
            rc = -r;
            ncol++;
            goto cleanup;
        }
        if (r == 0)
            ncol++;
    }
    if (ncol == 0) {
        rc = EXSOL_EUSAGE;
        exsol_error("--columns names no column");
        goto cleanup;
    }
    /* ranked rows by rank, then (--all) excluded rows in file order */
    size_t nranked = 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->rank[i] > 0) {
            order[a->rank[i] - 1] = i;
            nranked++;
        }
    nord = a->top > 0 && (size_t)a->top < nranked ? (size_t)a->top : nranked;
    if (a->all)
        for (size_t i = 0; i < a->n; i++)
            if (a->rank[i] <= 0)
                order[nord++] = i;

    char err[256];
    if ((rc = exsol_outfile_open(path, &of, &fp, err, sizeof err)) != EXSOL_OK) {
        exsol_error("%s", err);
        goto cleanup;
    }
    struct exsol_tsv t;
    exsol_tsv_init(&t, EXSOL_TSV, EXSOL_TSV_G6);
    for (size_t k = 0; k < ncol; k++)
        exsol_tsv_text(&t, cols[k].name);
    exsol_tsv_endl(&t);
    for (size_t k = 0; k < nord && !rc; k++) {
        put_row(a, &t, cols, ncol, order[k]);
        rc = exsol_tsv_write(&t, fp);
    }
    if (!rc)
        rc = exsol_tsv_write(&t, fp);
    exsol_tsv_release(&t);
    if (rc) {
        exsol_error("%s", exsol_strerror(rc));
        goto cleanup;
    }
    rc = exsol_outfile_commit(of, err, sizeof err);
    of = NULL;
    if (rc)
        exsol_error("%s", err);
cleanup:
    for (size_t k = 0; k < ncol; k++) {
        free(cols[k].num);
        free(cols[k].text);
    }
    free(cols);
    free(order);
    free(copy);
    exsol_outfile_abort(of);
    return rc;
}

/* ---- main --------------------------------------------------------------- */

static int rank_option(void *ctx, int opt, const char *arg)
{
    struct args *a = ctx;
    char *end;
    switch (opt) {
    case 'o':
        a->netcdf_out = arg; /* and the common option records it too */
        return EXSOL_CLI_NOT_MINE;
    case OPT_TSV:
        a->tsv = arg;
        return 0;
    case OPT_TOP:
        errno = 0;
        a->top = strtol(arg, &end, 10);
        if (errno || end == arg || *end || a->top < 0) {
            exsol_error("--top needs a count >= 0, not '%s'", arg);
            return 2;
        }
        return 0;
    case OPT_COLUMNS:
        a->columns = arg;
        return 0;
    case OPT_ALL:
        a->all = 1;
        return 0;
    default:
        return EXSOL_CLI_NOT_MINE;
    }
}

static const struct exsol_cli_tool tool = {.prog = "exsol-rank",
                                           .stages = "rank",
                                           .usage = usage_text,
                                           .options = rank_opts,
                                           .option = rank_option,
                                           .flags = EXSOL_CLI_MANY_INPUTS};

/* Where the table and the NetCDF go: the table to stdout unless -o is given. */
static int check_outputs(struct args *a)
{
    if (!a->netcdf_out && !a->tsv)
        a->tsv = "-";
    if (a->netcdf_out && a->tsv && strcmp(a->netcdf_out, "-") == 0 &&
        strcmp(a->tsv, "-") == 0) {
        exsol_error("-o - and --tsv - both want stdout");
        return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct args a;
    memset(&a, 0, sizeof a);
    int rc = 0, code = 0;
    if (exsol_cli_start(&a.cli, &tool, argc, argv, &a) == EXSOL_CLI_EXIT) {
        code = a.cli.exit_code;
        goto cleanup;
    }
    if ((code = check_outputs(&a)) != 0)
        goto cleanup;
    static char *stdin_only[] = {"-"};
    a.inputs = optind < argc ? argv + optind : stdin_only;
    a.ninputs = optind < argc ? argc - optind : 1;
    int nstdin = 0;
    for (int k = 0; k < a.ninputs; k++)
        nstdin += strcmp(a.inputs[k], "-") == 0;
    if (nstdin > 1) {
        exsol_error("stdin ('-') can be read only once");
        code = 2;
        goto cleanup;
    }
    rc = load_and_rank(&a);
    if (!rc && a.netcdf_out)
        rc = write_netcdf(&a, argc, argv);
    if (!rc && a.tsv)
        rc = write_tsv(&a, a.tsv);
    code = exsol_exit_code(rc);
cleanup:
    destroy_data(&a);
    return code;
}
