/* The gen stage: candidate films (composition × anneal conditions). Stages the
 * compositions (command line and grid file, libcore/physics/composition.c, grid.c)
 * and the process value lists, then writes every row in blocks. The output
 * variables are libcore/schema/gen.csv; widths come from the schema. Warnings and
 * notes go through the caller's callback: nothing here prints. */
#include "exsol/composition.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/grid.h"
#include "exsol/host.h"
#include "exsol/params.h"
#include "exsol/parse.h"
#include "exsol/stage.h"
#include "exsol/strain.h"

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
    char dopant2[8]; /* "none" for one dopant */
    int dopant2_valence;
    double z2;
    int feasible;
    double z, a, x, x_div, y_B, V_fu, delta, net, t, t_vz, tau, r_A, r_B;
    double a_film; /* stress-free lattice parameter (m), only with a substrate or strain */
    char *reason;  /* NULL when feasible */
};

/* The substrate dimension (fastest-varying): a substrate name and its lattice parameter,
 * or a strain given directly (name empty, a_sub NaN). One entry of neither when no
 * substrate or strain is given: the rows are then exactly the strain-free screen. */
struct gen_sub {
    char name[EXSOL_SUBSTRATE_NAME_MAX];
    double a_sub, eps; /* a_sub NaN: eps given; else eps NaN (from each film's a) */
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
    int strained; /* a substrate or strain was given: the optional variables are written */
    int alloy;    /* some composition has two dopants: dopant2* are written */
    struct gen_sub *sub;
    size_t n_sub;
    char film_host[EXSOL_HOST_NAME_MAX]; /* the last host looked up, and its a */
    double film_a;
};

/* The strain variables: written only with a substrate or strain. */
static int var_strain(int v)
{
    return v == EXSOL_SV_GEN_substrate || v == EXSOL_SV_GEN_substrate_lattice_parameter ||
           v == EXSOL_SV_GEN_film_lattice_parameter || v == EXSOL_SV_GEN_misfit_strain;
}

/* The second-dopant variables: written only when some composition has two dopants. */
static int var_alloy(int v)
{
    return v == EXSOL_SV_GEN_dopant2 || v == EXSOL_SV_GEN_dopant2_fraction ||
           v == EXSOL_SV_GEN_dopant2_valence;
}

int exsol_gen_var_optional(int v)
{
    return var_strain(v) || var_alloy(v);
}

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
    free(g->sub);
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
    memcpy(r->dopant2, c.dopant2, strlen(c.dopant2) + 1);
    r->dopant2_valence = c.dopant2_valence;
    r->z2 = c.dopant2_fraction;
    if (strcmp(c.dopant2, "none") != 0)
        g->alloy = 1;
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
    r->a_film = NAN;
    if (g->strained) { /* the film's own lattice parameter: its host's (exsol/strain.h) */
        if (!g->film_host[0] || strcmp(g->film_host, c.host) != 0) {
            struct exsol_host h;
            if ((rc = exsol_host_find(c.host, &h, err, errlen)) != 0 ||
                (rc = exsol_film_lattice(&h, &g->film_a, err, errlen)) != 0)
                return rc;
            snprintf(g->film_host, sizeof g->film_host, "%s", c.host);
        }
        /* a mixed A site: the row's Vegard lattice, the one reduce and transport use */
        double av = exsol_host_row_lattice(r->V_fu, g->film_a);
        r->a_film = av > 0 ? av : g->film_a;
    }
    if (c.reason[0] && !(r->reason = strdup(c.reason)))
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    g->n_comp++;
    return 0;
}

/* The substrate (or strain) list of `where` into g->sub: names looked up in
 * datasets/substrates.csv, strains parsed; a repeated entry is an error. */
static int parse_substrates(exsol_gen *g, const char *list, int is_strain, const char *where,
                            char *err, size_t errlen)
{
    size_t cap = 1;
    for (const char *q = list; *q; q++)
        cap += *q == ',';
    if (!(g->sub = calloc(cap, sizeof *g->sub)))
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    const char *p = list;
    for (;;) {
        size_t n = strcspn(p, ",");
        const char *b = p, *e = p + n;
        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        char item[64], msg[512];
        if (e == b || (size_t)(e - b) >= sizeof item)
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "%s: empty or overlong item in '%s'",
                                where, list);
        memcpy(item, b, (size_t)(e - b));
        item[e - b] = '\0';
        struct gen_sub *u = &g->sub[g->n_sub];
        int rc;
        if (is_strain) {
            u->a_sub = NAN;
            rc = exsol_strain_parse(item, &u->eps, msg, sizeof msg);
        } else {
            u->eps = NAN;
            rc = exsol_substrate_lattice(item, &u->a_sub, msg, sizeof msg);
            if (!rc && strlen(item) >= sizeof u->name)
                rc = exsol_seterr(msg, sizeof msg, EXSOL_EDATASET,
                                  "substrate name '%s' longer than %zu characters", item,
                                  sizeof u->name - 1);
            if (!rc)
                memcpy(u->name, item, strlen(item) + 1);
        }
        if (rc)
            return exsol_seterr(err, errlen, rc, "%s: %s", where, msg);
        for (size_t i = 0; i < g->n_sub; i++)
            if (is_strain ? g->sub[i].eps == u->eps : strcmp(g->sub[i].name, u->name) == 0)
                return exsol_seterr(err, errlen, EXSOL_EVALUE, "%s: '%s' given twice", where,
                                    item);
        g->n_sub++;
        if (!p[n])
            break;
        p += n + 1;
    }
    return 0;
}

/* The substrate dimension: --substrate or --strain (each overrides both grid keys), else
 * the grid's substrate or strain key, else one strain-free entry. */
static int prepare_substrate(exsol_gen *g, char *err, size_t errlen)
{
    const struct exsol_stage_gen_opts *o = g->opts;
    if (o->substrate && o->strain)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                            "give --substrate or --strain, not both");
    const char *list = o->substrate ? o->substrate : o->strain;
    int is_strain = o->strain != NULL;
    char where[600];
    snprintf(where, sizeof where, "%s", o->substrate ? "--substrate" : "--strain");
    if (!list && (g->grid.substrate || g->grid.strain)) {
        is_strain = g->grid.strain != NULL;
        list = is_strain ? g->grid.strain : g->grid.substrate;
        snprintf(where, sizeof where, "%s:%d: %s", o->grid_path,
                 is_strain ? g->grid.strain_line : g->grid.substrate_line,
                 is_strain ? "strain" : "substrate");
    }
    if (!list) {
        if (!(g->sub = calloc(1, sizeof *g->sub)))
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        g->sub[0].a_sub = NAN;
        g->n_sub = 1;
        return 0;
    }
    g->strained = 1;
    return parse_substrates(g, list, is_strain, where, err, errlen);
}

/* Misfit strain of composition c on substrate entry u (exsol/strain.h). */
static double row_strain(const struct gen_comp *c, const struct gen_sub *u)
{
    return isnan(u->a_sub) ? u->eps : exsol_misfit_strain(u->a_sub, c->a_film);
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
    if ((rc = prepare_substrate(g, err, errlen)) != 0)
        return rc;

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
    for (size_t j = 0; g->strained && j < g->n_sub; j++)
        for (size_t i = 0; i < g->n_comp; i++) {
            double e = row_strain(&g->comp[i], &g->sub[j]);
            if (fabs(e) > EXSOL_STRAIN_COHERENT_WARN) {
                exsol_stage_notef(g->notes, EXSOL_NOTE_WARN,
                                  "%s%s%s: misfit strain %+.2f %% taken as coherent; a film "
                                  "this far from its substrate relaxes by misfit dislocations "
                                  "(not modelled: give the measured residual strain with "
                                  "--strain)",
                                  g->comp[i].formula, g->sub[j].name[0] ? " on " : "",
                                  g->sub[j].name, 100.0 * e);
                break;
            }
        }
    if (g->grid.n_skipped)
        exsol_stage_notef(g->notes, EXSOL_NOTE_INFO,
                          "%s: %zu sweep points skipped (site fractions would be negative)",
                          o->grid_path, g->grid.n_skipped);
    if (g->grid.n_no_alloy)
        exsol_stage_notef(g->notes, EXSOL_NOTE_INFO,
                          "%s: %zu sweep points skipped (dopant and dopant2 form no alloy of "
                          "datasets/alloys.csv, or are the same metal)",
                          o->grid_path, g->grid.n_no_alloy);
    if (o->grid_path)
        exsol_stage_notef(g->notes, EXSOL_NOTE_DEBUG,
                          "%s: %zu compositions (%zu duplicates dropped)", o->grid_path,
                          g->grid.n_formulas, g->grid.n_duplicates);
    for (int k = 0; k < EXSOL_GRID_NPROC; k++)
        exsol_stage_notef(g->notes, EXSOL_NOTE_DEBUG, "%s: %zu value%s", exsol_gen_proc_flag[k],
                          g->pn[k], g->pn[k] == 1 ? "" : "s");

    double rows = (double)g->n_comp * (double)g->n_sub;
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
    size_t np = g->n_sub, inf = 0;
    for (int k = 0; k < EXSOL_GRID_NPROC; k++)
        np *= g->pn[k];
    for (size_t i = 0; i < g->n_comp; i++)
        inf += !g->comp[i].feasible;
    *ncomp = g->n_comp;
    *nproc = np;
    *infeasible = inf;
}

static int define(const exsol_gen *g, exsol_ds_out *o, const exsol_params *p, char *err,
                  size_t errlen)
{
    unsigned char omit[EXSOL_SV_GEN_NVARS];
    for (int v = 0; v < EXSOL_SV_GEN_NVARS; v++)
        omit[v] = (!g->strained && var_strain(v)) || (!g->alloy && var_alloy(v));
    int rc = exsol_schema_define_omit(&exsol_schema_gen, NULL, NULL, o, omit);
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
    const size_t ws = width(EXSOL_SV_GEN_substrate);
    double *sd = malloc(3 * B * sizeof *sd);
    char *ts = malloc(B * ws);
    const size_t wd2 = width(EXSOL_SV_GEN_dopant2);
    double *z2 = malloc(B * sizeof *z2);
    int *v2 = malloc(B * sizeof *v2);
    char *td2 = malloc(B * wd2);
    int rc = 0;
    if (!d || !iv || !tf || !td || !tr || !th || !sd || !ts || !z2 || !v2 || !td2) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t start = 0; start < nrows && !rc; start += B) {
        size_t cnt = nrows - start < B ? nrows - start : B;
        memset(tf, 0, cnt * wf);
        memset(td, 0, cnt * wd);
        memset(tr, 0, cnt * wr);
        memset(th, 0, cnt * wh);
        memset(ts, 0, cnt * ws);
        memset(td2, 0, cnt * wd2);
        for (size_t j = 0; j < cnt; j++) {
            size_t r = start + j, rem = r % nproc;
            const struct gen_comp *c = &g->comp[r / nproc];
            const struct gen_sub *u = &g->sub[rem % g->n_sub];
            rem /= g->n_sub;
            if (g->strained) {
                double e = row_strain(c, u);
                sd[j] = e;
                sd[B + j] = c->a_film;
                sd[2 * B + j] = isnan(u->a_sub) ? c->a_film * (1.0 + e) : u->a_sub;
                copy_text(ts + j * ws, ws, u->name);
            }
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
            z2[j] = c->z2;
            v2[j] = c->dopant2_valence;
            copy_text(td2 + j * wd2, wd2, c->dopant2);
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
        /* the optional variables last: the strain-free file keeps its bytes */
        static const int svar[3] = {EXSOL_SV_GEN_misfit_strain,
                                    EXSOL_SV_GEN_film_lattice_parameter,
                                    EXSOL_SV_GEN_substrate_lattice_parameter};
        for (int k = 0; k < 3 && g->strained && !rc; k++)
            rc = exsol_ds_out_write_double(o, sv[svar[k]].name, start, cnt, sd + (size_t)k * B,
                                           err, errlen);
        if (!rc && g->strained)
            rc = exsol_ds_out_write_text(o, sv[EXSOL_SV_GEN_substrate].name, start, cnt, ts, ws,
                                         err, errlen);
        /* the second dopant after them: files of one dopant keep their bytes */
        if (!rc && g->alloy)
            rc = exsol_ds_out_write_double(o, sv[EXSOL_SV_GEN_dopant2_fraction].name, start,
                                           cnt, z2, err, errlen);
        if (!rc && g->alloy)
            rc = exsol_ds_out_write_int(o, sv[EXSOL_SV_GEN_dopant2_valence].name, start, cnt,
                                        v2, err, errlen);
        if (!rc && g->alloy)
            rc = exsol_ds_out_write_text(o, sv[EXSOL_SV_GEN_dopant2].name, start, cnt, td2, wd2,
                                         err, errlen);
    }
cleanup:
    free(d);
    free(iv);
    free(tf);
    free(td);
    free(tr);
    free(th);
    free(sd);
    free(ts);
    free(z2);
    free(v2);
    free(td2);
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
        rc = define(g, o, p, err, errlen);
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
    if (g->strained)
        exsol_stage_notef(g->notes, EXSOL_NOTE_INFO,
                          "%zu candidates (%zu compositions x %zu anneals x %zu %s), %zu "
                          "compositions flagged infeasible, %.2f s",
                          ncomp * nproc, ncomp, nproc / g->n_sub, g->n_sub,
                          isnan(g->sub[0].a_sub) ? "strains" : "substrates", ninf,
                          omp_get_wtime() - g->t0);
    else
        exsol_stage_notef(
            g->notes, EXSOL_NOTE_INFO,
            "%zu candidates (%zu compositions x %zu anneals), %zu compositions flagged "
            "infeasible, %.2f s",
            ncomp * nproc, ncomp, nproc, ninf, omp_get_wtime() - g->t0);
    return 0;
}
