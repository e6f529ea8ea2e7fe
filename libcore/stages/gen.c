/* The gen stage: candidate films (composition × anneal conditions). Stages the
 * compositions (command line and grid file, libcore/physics/composition.c, grid.c)
 * and the process value lists, then writes every row in blocks. The output
 * variables are libcore/schema/gen.csv; widths come from the schema. Warnings and
 * notes go through the caller's callback: nothing here prints. */
#include "exsol/composition.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/grid.h"
#include "exsol/params.h"
#include "exsol/parse.h"
#include "exsol/stage.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 100000000.0
_Static_assert(EXSOL_GEN_NPROC == EXSOL_GRID_NPROC, "stage.h and grid.h disagree");

const char *const exsol_gen_proc_flag[EXSOL_GRID_NPROC] = {"--temperature", "--time", "--h2",
                                                           "--h2o", "--thickness"};
static const enum exsol_qty_kind proc_kind[EXSOL_GRID_NPROC] = {
    EXSOL_QTY_TEMPERATURE, EXSOL_QTY_TIME, EXSOL_QTY_PRESSURE, EXSOL_QTY_PRESSURE,
    EXSOL_QTY_LENGTH};
static const char *const proc_default[EXSOL_GRID_NPROC] = {NULL, NULL, "5%", "3%", "30nm"};

/* What a row needs from a composition (compact: grids may hold 10^5+ of them). */
struct gen_comp {
    char formula[EXSOL_FORMULA_MAX];
    char host[EXSOL_HOST_NAME_MAX];
    char dopant[8];
    int dopant_valence;
    int feasible;
    double z, a, x, x_div, y_B, V_fu, delta, net, t, t_vz, tau, r_A, r_B;
    char *reason; /* NULL when feasible */
};

struct exsol_gen {
    const struct exsol_stage_gen_opts *opts;
    const struct exsol_stage_notes *notes;
    exsol_chem *chem;
    struct exsol_grid grid;
    struct gen_comp *comp;
    size_t n_comp, cap_comp;
    int warned_radius;
    double t0; /* omp_get_wtime() at create, for the summary */
    double *pv[EXSOL_GRID_NPROC];
    size_t pn[EXSOL_GRID_NPROC];
};

static size_t width(int v)
{
    return exsol_schema_gen.vars[v].width;
}

void exsol_gen_free(exsol_gen *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n_comp; i++)
        free(g->comp[i].reason);
    free(g->comp);
    for (int k = 0; k < EXSOL_GRID_NPROC; k++)
        free(g->pv[k]);
    exsol_grid_release(&g->grid);
    exsol_chem_free(g->chem);
    free(g);
}

/* Adds one composition; unless `unique` (the grid already removed duplicates), one
 * whose canonical formula is already there is dropped. */
static int add_comp(exsol_gen *g, const char *formula, int unique,
                    const struct exsol_comp_limits *lim, char *err, size_t errlen)
{
    struct exsol_composition c;
    const size_t wf = width(EXSOL_SV_GEN_formula);
    int rc = exsol_comp_parse(g->chem, formula, &c, err, errlen);
    if (rc)
        return rc;
    if (strlen(c.formula) >= wf)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "formula '%s' longer than %d characters",
                            c.formula, (int)wf - 1);
    if (!unique)
        for (size_t i = 0; i < g->n_comp; i++)
            if (strcmp(g->comp[i].formula, c.formula) == 0)
                return 0;
    if (c.A_radius_fallback && !g->warned_radius) {
        exsol_stage_notef(g->notes, EXSOL_NOTE_WARN,
                          "%s: an A-site ion has no CN XII radius; using the CN closest to 12 "
                          "(Bartel's rule, confidence U; not repeated for other formulas)",
                          c.formula);
        g->warned_radius = 1;
    }
    if (c.O_formula != 3.0 && fabs(c.O_formula - (3.0 - c.delta_asgrown)) > 1e-9)
        exsol_stage_notef(g->notes, EXSOL_NOTE_WARN,
                          "%s: O%g ignored; the as-grown oxygen follows from neutrality "
                          "(O%g)",
                          formula, c.O_formula, 3.0 - c.delta_asgrown);
    exsol_comp_check(&c, lim);
    if (g->n_comp == g->cap_comp) {
        size_t cap = g->cap_comp ? 2 * g->cap_comp : 64;
        struct gen_comp *nc = realloc(g->comp, cap * sizeof *nc);
        if (!nc)
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        g->comp = nc;
        g->cap_comp = cap;
    }
    struct gen_comp *r = &g->comp[g->n_comp];
    memset(r, 0, sizeof *r);
    memcpy(r->formula, c.formula, strlen(c.formula) + 1);
    memcpy(r->host, c.host, sizeof r->host);
    memcpy(r->dopant, c.dopant, strlen(c.dopant) + 1);
    r->dopant_valence = c.dopant_valence;
    r->feasible = c.feasible;
    r->z = c.dopant_fraction;
    r->a = c.A_vacancy;
    r->x = c.A_donor_fraction;
    r->x_div = c.A_divalent_fraction;
    r->y_B = c.B_donor_fraction;
    r->V_fu = c.V_fu_m3;
    r->delta = c.delta_asgrown;
    r->net = c.net_donor_asgrown;
    r->t = c.tolerance_factor;
    r->t_vz = c.tolerance_factor_vacancy_zero;
    r->tau = c.bartel_tau;
    r->r_A = c.r_A_mean_m;
    r->r_B = c.r_B_mean_m;
    if (c.reason[0] && !(r->reason = strdup(c.reason)))
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    g->n_comp++;
    return 0;
}

/* Everything that can fail on the user's input happens here, before any output
 * exists. */
static int prepare(exsol_gen *g, const exsol_params *p, char *err, size_t errlen)
{
    int rc;
    char msg[512];
    const struct exsol_stage_gen_opts *o = g->opts;
    const double p_total = exsol_params_get(p, "p_total");
    const struct exsol_comp_limits lim = {
        exsol_params_get(p, "t_min"), exsol_params_get(p, "t_max"),
        exsol_params_get(p, "tau_max"), exsol_params_get(p, "a_max"),
        exsol_params_get(p, "delta_max")};

    if ((rc = exsol_chem_load(&g->chem, err, errlen)) != 0)
        return rc;
    if (o->grid_path && (rc = exsol_grid_read(o->grid_path, g->chem, &g->grid, err, errlen)))
        return rc;
    for (size_t i = 0; i < o->n_valence; i++)
        if ((rc = exsol_chem_set_valence_str(g->chem, o->valence[i], msg, sizeof msg)) != 0)
            return exsol_seterr(err, errlen, rc, "--valence: %s", msg);

    for (int k = 0; k < EXSOL_GRID_NPROC; k++) {
        const char *s = o->proc[k], *where = exsol_gen_proc_flag[k];
        char wbuf[600];
        if (!s && g->grid.proc[k]) {
            s = g->grid.proc[k];
            snprintf(wbuf, sizeof wbuf, "%s:%d: %s", o->grid_path, g->grid.proc_line[k],
                     exsol_grid_proc_key(k));
            where = wbuf;
        }
        if (!s)
            s = proc_default[k];
        if (!s)
            return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                                "missing %s (or '%s = ...' in the grid file)",
                                exsol_gen_proc_flag[k], exsol_grid_proc_key(k));
        if ((rc = exsol_parse_list(s, proc_kind[k], p_total, &g->pv[k], &g->pn[k], msg,
                                   sizeof msg)) != 0)
            return exsol_seterr(err, errlen, rc, "%s: %s", where, msg);
        if (proc_kind[k] != EXSOL_QTY_PRESSURE)
            continue;
        /* a partial pressure cannot exceed the total pressure of the anneal gas, and every
         * H2 value is crossed with every H2O value: their largest sum must fit too */
        for (size_t i = 0; i < g->pn[k]; i++)
            if (!(g->pv[k][i] <= p_total))
                return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                    "%s: pressure %g Pa exceeds the total pressure p_total = "
                                    "%g Pa",
                                    where, g->pv[k][i], p_total);
        if (k == EXSOL_GRID_H2O) { /* after --h2 */
            double m2 = 0.0, m3 = 0.0;
            for (size_t i = 0; i < g->pn[EXSOL_GRID_H2]; i++)
                m2 = fmax(m2, g->pv[EXSOL_GRID_H2][i]);
            for (size_t i = 0; i < g->pn[k]; i++)
                m3 = fmax(m3, g->pv[k][i]);
            if (!(m2 + m3 <= p_total))
                return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                    "%s: H2 %g Pa + H2O %g Pa exceed the total pressure "
                                    "p_total = %g Pa",
                                    where, m2, m3, p_total);
        }
    }

    for (size_t i = 0; i < g->grid.n_formulas; i++)
        if ((rc = add_comp(g, g->grid.formulas[i], 1, &lim, msg, sizeof msg)) != 0)
            return exsol_seterr(err, errlen, rc, "%s: %s", o->grid_path, msg);
    for (size_t i = 0; i < o->n_formulas; i++)
        if ((rc = add_comp(g, o->formulas[i], 0, &lim, err, errlen)) != 0)
            return rc;
    if (g->grid.n_skipped)
        exsol_stage_notef(g->notes, EXSOL_NOTE_INFO,
                          "%s: %zu sweep points skipped (A-site fractions would be negative)",
                          o->grid_path, g->grid.n_skipped);
    if (o->grid_path)
        exsol_stage_notef(g->notes, EXSOL_NOTE_DEBUG,
                          "%s: %zu compositions (%zu duplicates dropped)", o->grid_path,
                          g->grid.n_formulas, g->grid.n_duplicates);
    for (int k = 0; k < EXSOL_GRID_NPROC; k++)
        exsol_stage_notef(g->notes, EXSOL_NOTE_DEBUG, "%s: %zu value%s", exsol_gen_proc_flag[k],
                          g->pn[k], g->pn[k] == 1 ? "" : "s");

    double rows = (double)g->n_comp;
    for (int k = 0; k < EXSOL_GRID_NPROC; k++)
        rows *= (double)g->pn[k];
    if (rows > MAX_ROWS)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "%.0f candidates requested; more than %.0f is surely a typo", rows,
                            MAX_ROWS);
    return 0;
}

int exsol_gen_create(exsol_gen **out, const exsol_params *p,
                     const struct exsol_stage_gen_opts *opts,
                     const struct exsol_stage_notes *notes, char *err, size_t errlen)
{
    exsol_gen *g = calloc(1, sizeof *g);
    *out = g;
    if (!g)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    g->opts = opts;
    g->notes = notes;
    g->t0 = omp_get_wtime();
    if (!opts->n_formulas && !opts->grid_path)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                            "give --composition FORMULA or --grid FILE (see --help)");
    return prepare(g, p, err, errlen);
}

void exsol_gen_counts(const exsol_gen *g, size_t *ncomp, size_t *nproc, size_t *infeasible)
{
    size_t np = 1, inf = 0;
    for (int k = 0; k < EXSOL_GRID_NPROC; k++)
        np *= g->pn[k];
    for (size_t i = 0; i < g->n_comp; i++)
        inf += !g->comp[i].feasible;
    *ncomp = g->n_comp;
    *nproc = np;
    *infeasible = inf;
}

static int define(exsol_ds_out *o, const exsol_params *p, char *err, size_t errlen)
{
    int rc = exsol_schema_define(&exsol_schema_gen, NULL, NULL, o);
    if (!rc)
        rc = exsol_ds_out_put_params(o, p);
    if (rc)
        return exsol_seterr(err, errlen, rc, "cannot define the output variables: %s",
                            exsol_strerror(rc));
    return 0;
}

/* Copies into a zeroed fixed-width slot, truncating (lengths are checked earlier). */
static void copy_text(char *slot, size_t w, const char *s)
{
    size_t n = strlen(s);
    memcpy(slot, s, n < w ? n : w - 1);
}

/* The write order (doubles, ints, then text) is not the schema's: the stored NETCDF4
 * chunks are laid out in write order, and the golden bytes depend on it. */
static int write_rows(const exsol_gen *g, exsol_ds_out *o, char *err, size_t errlen)
{
    size_t ncomp, nproc, ninf;
    exsol_gen_counts(g, &ncomp, &nproc, &ninf);
    const size_t nrows = ncomp * nproc;
    const size_t B = EXSOL_BLOCK;
    const size_t wf = width(EXSOL_SV_GEN_formula), wd = width(EXSOL_SV_GEN_dopant),
                 wr = width(EXSOL_SV_GEN_gen_reason), wh = width(EXSOL_SV_GEN_host);
    enum {
        D_Z,
        D_A,
        D_X,
        D_DIV,
        D_DELTA,
        D_NET,
        D_YB,
        D_VFU,
        D_T,
        D_TVZ,
        D_TAU,
        D_RA,
        D_RB,
        D_TK,
        D_TS,
        D_H2,
        D_H2O,
        D_THK,
        ND
    };
    static const int dvar[ND] = {EXSOL_SV_GEN_dopant_fraction,
                                 EXSOL_SV_GEN_A_vacancy,
                                 EXSOL_SV_GEN_A_donor_fraction,
                                 EXSOL_SV_GEN_A_divalent_fraction,
                                 EXSOL_SV_GEN_delta_asgrown,
                                 EXSOL_SV_GEN_net_donor_asgrown,
                                 EXSOL_SV_GEN_B_donor_fraction,
                                 EXSOL_SV_GEN_V_fu,
                                 EXSOL_SV_GEN_tolerance_factor,
                                 EXSOL_SV_GEN_tolerance_factor_vacancy_zero,
                                 EXSOL_SV_GEN_bartel_tau,
                                 EXSOL_SV_GEN_r_A_mean,
                                 EXSOL_SV_GEN_r_B_mean,
                                 EXSOL_SV_GEN_T_anneal,
                                 EXSOL_SV_GEN_t_anneal,
                                 EXSOL_SV_GEN_p_H2,
                                 EXSOL_SV_GEN_p_H2O,
                                 EXSOL_SV_GEN_thickness};
    const struct exsol_schema_var *sv = exsol_schema_gen.vars;
    double *d = malloc(ND * B * sizeof *d);
    int *iv = malloc(3 * B * sizeof *iv);
    char *tf = malloc(B * wf), *td = malloc(B * wd), *tr = malloc(B * wr), *th = malloc(B * wh);
    int rc = 0;
    if (!d || !iv || !tf || !td || !tr || !th) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t start = 0; start < nrows && !rc; start += B) {
        size_t cnt = nrows - start < B ? nrows - start : B;
        memset(tf, 0, cnt * wf);
        memset(td, 0, cnt * wd);
        memset(tr, 0, cnt * wr);
        memset(th, 0, cnt * wh);
        for (size_t j = 0; j < cnt; j++) {
            size_t r = start + j, rem = r % nproc;
            const struct gen_comp *c = &g->comp[r / nproc];
            size_t idx[EXSOL_GRID_NPROC];
            for (int k = EXSOL_GRID_NPROC - 1; k >= 0; k--) {
                idx[k] = rem % g->pn[k];
                rem /= g->pn[k];
            }
            d[D_Z * B + j] = c->z;
            d[D_A * B + j] = c->a;
            d[D_X * B + j] = c->x;
            d[D_DIV * B + j] = c->x_div;
            d[D_YB * B + j] = c->y_B;
            d[D_VFU * B + j] = c->V_fu;
            d[D_DELTA * B + j] = c->delta;
            d[D_NET * B + j] = c->net;
            d[D_T * B + j] = c->t;
            d[D_TVZ * B + j] = c->t_vz;
            d[D_TAU * B + j] = c->tau;
            d[D_RA * B + j] = c->r_A;
            d[D_RB * B + j] = c->r_B;
            for (int k = 0; k < EXSOL_GRID_NPROC; k++)
                d[(D_TK + k) * B + j] = g->pv[k][idx[k]];
            iv[j] = c->dopant_valence;
            iv[B + j] = c->feasible;
            iv[2 * B + j] = (int)r; /* the candidate id (rows <= MAX_ROWS fit an int) */
            copy_text(tf + j * wf, wf, c->formula);
            copy_text(th + j * wh, wh, c->host);
            copy_text(td + j * wd, wd, c->dopant);
            copy_text(tr + j * wr, wr, c->reason ? c->reason : "");
        }
        for (int k = 0; k < ND && !rc; k++)
            rc = exsol_ds_out_write_double(o, sv[dvar[k]].name, start, cnt, d + (size_t)k * B,
                                           err, errlen);
        if (!rc)
            rc = exsol_ds_out_write_int(o, sv[EXSOL_SV_GEN_candidate].name, start, cnt,
                                        iv + 2 * B, err, errlen);
        if (!rc)
            rc = exsol_ds_out_write_int(o, sv[EXSOL_SV_GEN_dopant_valence].name, start, cnt, iv,
                                        err, errlen);
        if (!rc)
            rc = exsol_ds_out_write_int(o, sv[EXSOL_SV_GEN_feasible].name, start, cnt, iv + B,
                                        err, errlen);
        if (!rc)
            rc = exsol_ds_out_write_text(o, sv[EXSOL_SV_GEN_formula].name, start, cnt, tf, wf,
                                         err, errlen);
        if (!rc)
            rc = exsol_ds_out_write_text(o, sv[EXSOL_SV_GEN_host].name, start, cnt, th, wh, err,
                                         errlen);
        if (!rc)
            rc = exsol_ds_out_write_text(o, sv[EXSOL_SV_GEN_dopant].name, start, cnt, td, wd,
                                         err, errlen);
        if (!rc)
            rc = exsol_ds_out_write_text(o, sv[EXSOL_SV_GEN_gen_reason].name, start, cnt, tr,
                                         wr, err, errlen);
    }
cleanup:
    free(d);
    free(iv);
    free(tf);
    free(td);
    free(tr);
    free(th);
    return rc;
}

int exsol_gen_write(const exsol_gen *g, const char *path, const struct exsol_out_opts *oo,
                    const exsol_params *p, char *err, size_t errlen)
{
    size_t ncomp, nproc, ninf;
    exsol_gen_counts(g, &ncomp, &nproc, &ninf);
    exsol_ds_out *o = NULL;
    int rc = exsol_ds_out_create(path, NULL, oo, &o, err, errlen);
    if (!rc)
        rc = define(o, p, err, errlen);
    if (!rc) /* before any row is made: a stream output is built in memory */
        rc = exsol_ds_out_check_memory(o, ncomp * nproc, err, errlen);
    if (!rc)
        rc = exsol_ds_out_enddef(o, err, errlen);
    if (!rc)
        rc = write_rows(g, o, err, errlen);
    if (rc) {
        exsol_ds_out_abort(o); /* nothing is left at `path` */
        return rc;
    }
    if ((rc = exsol_ds_out_close(o, err, errlen)) != 0)
        return rc;
    exsol_stage_notef(
        g->notes, EXSOL_NOTE_INFO,
        "%zu candidates (%zu compositions x %zu anneals), %zu compositions flagged "
        "infeasible, %.2f s",
        ncomp * nproc, ncomp, nproc, ninf, omp_get_wtime() - g->t0);
    return 0;
}
