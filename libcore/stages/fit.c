/* exsol-fit's calibration (exsol/fit.h): the anchors, the in-process reduce evaluation of
 * one parameter point, the log posterior handed to the ensemble sampler (exsol/sampler.h)
 * in batches run over OpenMP threads (one registry copy and one KWN solver per thread;
 * the result of a point does not depend on the thread, so the chain is the same for any
 * --threads), the diagnostics, the posterior predictions and the outputs. */
#include "exsol/fit.h"

#include "exsol/composition.h"
#include "exsol/constants.h"
#include "exsol/error.h"
#include "exsol/host.h"
#include "exsol/members.h"
#include "exsol/parse.h"
#include "exsol/posterior.h"
#include "exsol/reduce.h"
#include "exsol/sampler.h"
#include "exsol/stage.h"
#include "exsol/strain.h"
#include "exsol/table.h"
#include "exsol/tsv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ATM_PA 101325.0
#define MAX_ANCHORS 256

enum { Q_LOGN = 0, Q_LOGD, Q_F };
static const char *const q_name[3] = {"surface_particle_density", "surface_mean_diameter",
                                      "exsolved_fraction"};
static const char *const q_unit[3] = {"um-2", "nm", "1"};
/* reference §9: sigma_logN 0.42 (0.3 film-to-film and 0.3 model discrepancy in
 * quadrature), sigma_logD 0.1; the fraction's 0.05 is exsol-fit's choice */
static const double q_sigma_default[3] = {0.42, 0.1, 0.05};

/* The nuisance H2O fraction (of 1 atm) of an anchor whose x_H2O is "unknown":
 * log-uniform on [1e-5, 3e-2] (reference breadth-and-uncertainty §8, the anchors.csv
 * header) [U]. Drawn per prediction for hold-out anchors only; a fit anchor with an
 * unknown H2O stays skipped (the likelihood would need it as a sampled parameter). */
#define H2O_NUISANCE_LO 1e-5
#define H2O_NUISANCE_HI 3e-2

/* Ordinal hold-out anchors (comparisons, not numbers): predicted as P(the stated
 * relation holds) over the posterior samples. */
enum {
    ORD_NONE = 0,
    ORD_RATIO,   /* density_ratio_*: surface density on substrate 1 over substrate 2 */
    ORD_EXSOLVES /* exsolves: exsol_reduce_exsolved (exsol-window's rule) */
};

struct quantity {
    int kind;
    double measured; /* natural unit (um-2, nm, fraction) */
    double sigma;    /* decades (N, D) or absolute (f) */
    int censored;    /* a lower bound */
};

struct anchor {
    char id[64], use[16], source[160], observable[64], value[32];
    char reason[200]; /* why it is skipped; "" when the model runs it */
    char note[120];   /* how it is run (e.g. strain-free) */
    char dopant[8];
    struct exsol_reduce_input in;
    int fit;    /* use = fit */
    int leader; /* index of the first anchor of its group (same but the time); -1 for
                   an ordinal anchor (its films run on their own) */
    size_t nq;
    struct quantity q[3];
    size_t qoff;   /* offset of its quantities in a prediction row */
    size_t nv;     /* values in a prediction row: nq, or 2 for an ordinal anchor (the
                      quantity shown as p10/p50/p90, and 1/0: the relation holds) */
    int ordinal;   /* ORD_* */
    int rel_gt;    /* ORD_RATIO: the stated relation is ratio > thr (1) or < thr (0) */
    double thr;    /* ORD_RATIO: its threshold; ORD_EXSOLVES: the stated 0/1 */
    int h2o_prior; /* x_H2O unknown: drawn per prediction from the nuisance prior */
    char sub[2][EXSOL_SUBSTRATE_NAME_MAX];
    double eps[2];                 /* their misfit strains (ORD_RATIO) */
    struct exsol_reduce_input in2; /* ORD_RATIO: the film on the second substrate */
};

struct fparam {
    size_t idx; /* in the registry */
    const struct exsol_prior *pr;
    int logc;   /* the sampler's coordinate is log10 of the prior's quantity */
    long ref;   /* arrhenius reference parameter in the registry, or -1 */
    long ref_k; /* ... among the fitted ones, or -1 */
    char prior_text[160];
};

struct slot {
    exsol_params *p;
    exsol_kwn_solver *sol;
    struct exsol_reduce_input in[MAX_ANCHORS];
    struct exsol_reduce_output out[MAX_ANCHORS];
};

struct exsol_fit {
    const exsol_params *base;
    struct exsol_fit_opts o;
    char anchors_label[512];
    size_t na, nused_fit, nqtot;
    struct anchor *a;
    size_t np;
    struct fparam *fp;
    exsol_ellingham *ell;
    struct exsol_host hosts[EXSOL_HOST_MAX];
    size_t nhosts;
    struct exsol_reduce_model model;
    int nslots;
    struct slot *slots;
    struct exsol_stretch_chain ch;
    /* results */
    size_t nkept;              /* retained samples (members) */
    double *post, *ll, *lpost; /* [nkept * np] table unit, [nkept] */
    int *walker, *step;
    double *rhat, *ess, acceptance;
    size_t npred;
    double *pred; /* [npred * nqtot], NaN where the model failed */
};

/* ---- anchors ------------------------------------------------------------ */

static int num(const char *s, double *v)
{
    while (*s == ' ' || *s == '>' || *s == '~')
        s++;
    char buf[64];
    size_t n = 0;
    while (s[n] && s[n] != ' ' && n + 1 < sizeof buf)
        n++;
    snprintf(buf, sizeof buf, "%.*s", (int)n, s);
    return n > 0 && exsol_parse_double(buf, v, NULL, 0) == 0 && isfinite(*v) ? 0 : -1;
}

static int contains_ci(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (; *s; s++)
        if (strncasecmp(s, w, n) == 0)
            return 1;
    return 0;
}

static int read_text(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "cannot read anchors file '%s': %s",
                            path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (n < cap)
            break;
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb, cap *= 2;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (!buf)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    if (bad) {
        free(buf);
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "cannot read anchors file '%s'", path);
    }
    *text = buf, *len = n;
    return 0;
}

static const char *const anchor_cols[] = {
    "id",         "composition", "form",    "thickness", "T_anneal", "t_anneal",
    "x_H2",       "x_H2O",       "strain",  "diameter",  "density",  "exsolved_fraction",
    "observable", "value",       "scatter", "source",    "use",      "substrate"};
enum {
    C_ID,
    C_COMP,
    C_FORM,
    C_L,
    C_T,
    C_TS,
    C_H2,
    C_H2O,
    C_STRAIN,
    C_D,
    C_N,
    C_F,
    C_OBS,
    C_VALUE,
    C_SCATTER,
    C_SOURCE,
    C_USE,
    C_SUB, /* optional: a substrate name, or A/B for a ratio of two films */
    N_ACOLS
};

static void skip(struct anchor *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void skip(struct anchor *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->reason, sizeof a->reason, fmt, ap);
    va_end(ap);
}

/* Fills a from table row r: a->reason says why the model cannot run it. */
static void anchor_from_row(exsol_fit *f, const exsol_table *t, const int *col, size_t r,
                            const exsol_chem *chem, struct anchor *a)
{
    const char *c[N_ACOLS];
    for (int k = 0; k < N_ACOLS; k++)
        c[k] = col[k] >= 0 ? exsol_table_cell(t, r, col[k]) : "";
    memset(a, 0, sizeof *a);
    snprintf(a->id, sizeof a->id, "%s", c[C_ID]);
    snprintf(a->use, sizeof a->use, "%s", c[C_USE]);
    snprintf(a->source, sizeof a->source, "%s", c[C_SOURCE]);
    snprintf(a->observable, sizeof a->observable, "%s", c[C_OBS]);
    snprintf(a->value, sizeof a->value, "%s", c[C_VALUE]);
    a->fit = strcmp(c[C_USE], "fit") == 0;
    a->leader = -1;
    if (strcmp(c[C_OBS], "T_B") == 0 || strcmp(c[C_OBS], "T_a") == 0 ||
        strcmp(c[C_OBS], "exchange_bias") == 0) {
        skip(a,
             "observable '%s' is magnetic: exsol-fit calibrates the reduce kinetics (the "
             "magnet constants stay as in datasets/metals.csv)",
             c[C_OBS]);
        return;
    }
    if (!contains_ci(c[C_FORM], "film")) {
        skip(a, "form '%s': the chain models films", c[C_FORM]);
        return;
    }
    /* the quantities: the observable's gets the scatter column, the others the default */
    int obs = -1;
    for (int k = 0; k < 3; k++)
        if (strcmp(c[C_OBS], q_name[k]) == 0)
            obs = k;
    double sc = NAN;
    int have_sc = num(c[C_SCATTER], &sc) == 0 && sc > 0;
    int censored = contains_ci(c[C_SCATTER], "censored") ||
                   contains_ci(c[C_SCATTER], "lower") || c[C_VALUE][0] == '>';
    const int qcol[3] = {C_N, C_D, C_F};
    for (int k = 0; k < 3; k++) {
        double v;
        if (!c[qcol[k]][0])
            continue;
        if (num(c[qcol[k]], &v) || !(k == Q_F ? v >= 0 && v <= 1 : v > 0)) {
            skip(a, "%s is not one number", q_name[k]);
            return;
        }
        struct quantity *q = &a->q[a->nq++];
        q->kind = k;
        q->measured = v;
        q->sigma = k == obs && have_sc ? sc : q_sigma_default[k];
        q->censored = k == obs && censored;
    }
    if (a->nq == 0) {
        if (strncmp(c[C_OBS], "density_ratio_", 14) == 0)
            a->ordinal = ORD_RATIO;
        else if (strcmp(c[C_OBS], "exsolves") == 0)
            a->ordinal = ORD_EXSOLVES;
        if (!a->ordinal) {
            skip(a,
                 "observable '%s': no particle density, diameter or exsolved fraction to "
                 "fit (not a reduce-stage quantity)",
                 c[C_OBS]);
            return;
        }
        if (a->fit) {
            skip(a, "observable '%s' is ordinal: predicted for hold-outs, not fitted",
                 c[C_OBS]);
            return;
        }
        const char *v = c[C_VALUE];
        if (a->ordinal == ORD_RATIO) {
            if ((v[0] != '>' && v[0] != '<') || num(v + 1, &a->thr) || !(a->thr > 0)) {
                skip(a, "value '%s' of a ratio: '>X' or '<X' wanted", v);
                return;
            }
            a->rel_gt = v[0] == '>';
            size_t n1 = strcspn(c[C_SUB], "/");
            if (!c[C_SUB][n1] || n1 == 0 || !c[C_SUB][n1 + 1]) {
                skip(a,
                     "a ratio of two films: column substrate must name both substrates "
                     "(NUMERATOR/DENOMINATOR), not '%s'",
                     c[C_SUB]);
                return;
            }
            snprintf(a->sub[0], sizeof a->sub[0], "%.*s", (int)n1, c[C_SUB]);
            snprintf(a->sub[1], sizeof a->sub[1], "%s", c[C_SUB] + n1 + 1);
        } else if (num(v, &a->thr) || (a->thr != 0 && a->thr != 1)) {
            skip(a, "value '%s' of 'exsolves': 0 or 1 wanted", v);
            return;
        }
        a->nv = 2;
    } else {
        a->nv = a->nq;
    }
    double T, ts, h2, h2o, L;
    const struct {
        int col;
        double *v;
    } need[] = {{C_T, &T}, {C_TS, &ts}, {C_H2, &h2}, {C_H2O, &h2o}, {C_L, &L}};
    for (size_t k = 0; k < sizeof need / sizeof need[0]; k++)
        if (num(c[need[k].col], need[k].v)) {
            if (need[k].col == C_H2O && !a->fit && strcasecmp(c[C_H2O], "unknown") == 0) {
                a->h2o_prior = 1; /* drawn per prediction */
                *need[k].v = H2O_NUISANCE_LO;
                continue;
            }
            char what[96];
            snprintf(what, sizeof what, "%s '%s'", anchor_cols[need[k].col], c[need[k].col]);
            skip(a, "%s is not a number%s", what,
                 need[k].col == C_H2O
                     ? " (the nuisance H2O of reference §8 is sampled for hold-outs only)"
                     : "");
            return;
        }
    char formula[128];
    size_t n = strcspn(c[C_COMP], " [");
    snprintf(formula, sizeof formula, "%.*s", (int)n, c[C_COMP]);
    struct exsol_composition comp;
    char cerr[200];
    if (exsol_comp_parse(chem, formula, &comp, cerr, sizeof cerr)) {
        skip(a, "composition: %s", cerr);
        return;
    }
    if (strcmp(comp.dopant, "none") == 0) {
        skip(a, "composition '%s' has no exsolvable dopant", formula);
        return;
    }
    long h = exsol_host_index(f->hosts, f->nhosts, comp.host);
    if (h < 0) {
        skip(a, "host '%s' is not in hosts.csv", comp.host);
        return;
    }
    snprintf(a->dopant, sizeof a->dopant, "%s", comp.dopant);
    struct exsol_reduce_input *in = &a->in;
    in->dopant = NULL; /* bound per evaluation (the struct is copied) */
    in->z = comp.dopant_fraction;
    in->valence = comp.dopant_valence;
    in->a_vac = comp.A_vacancy;
    in->x_donor = comp.A_donor_fraction;
    in->y_donor_B = comp.B_donor_fraction;
    in->delta0 = comp.delta_asgrown;
    in->T_K = T + 273.15;
    in->t_s = ts * 3600.0;
    in->pH2_Pa = h2 * ATM_PA;
    in->pH2O_Pa = h2o * ATM_PA;
    in->L_m = L * 1e-9;
    in->host_index = (int)h;
    double st;
    int nsub = a->ordinal == ORD_RATIO ? 2 : c[C_SUB][0] ? 1 : 0;
    if (nsub == 1 && strchr(c[C_SUB], '/')) {
        skip(a, "substrate '%s': two substrates for an observable that is not a ratio",
             c[C_SUB]);
        return;
    }
    if (nsub == 1)
        snprintf(a->sub[0], sizeof a->sub[0], "%s", c[C_SUB]);
    if (nsub > 0) {
        /* the film on each substrate: coherent misfit on the host's lattice (as gen
         * --substrate) */
        double a_f, a_s;
        char serr[200];
        if (exsol_film_lattice(&f->hosts[h], &a_f, serr, sizeof serr)) {
            skip(a, "%s", serr);
            return;
        }
        for (int k = 0; k < nsub; k++) {
            if (exsol_substrate_lattice(a->sub[k], &a_s, serr, sizeof serr)) {
                skip(a, "%s", serr);
                return;
            }
            a->eps[k] = exsol_misfit_strain(a_s, a_f);
        }
        in->strain = a->eps[0];
        if (nsub == 2)
            snprintf(a->note, sizeof a->note, "%s (eps %+.2f %%) over %s (eps %+.2f %%)",
                     a->sub[0], 100 * a->eps[0], a->sub[1], 100 * a->eps[1]);
        else
            snprintf(a->note, sizeof a->note, "on %s (eps %+.2f %%)", a->sub[0],
                     100 * a->eps[0]);
    } else if (c[C_STRAIN][0] && num(c[C_STRAIN], &st) == 0) {
        in->strain = st;
    } else if (c[C_STRAIN][0]) {
        in->strain = 0.0;
        snprintf(a->note, sizeof a->note, "strain '%s' has no misfit number: run strain-free",
                 c[C_STRAIN]);
    }
    in->a_lattice_m = comp.V_fu_m3; /* V_fu here; the lattice rule in create */
}

static int load_anchors(exsol_fit *f, char *err, size_t errlen)
{
    exsol_table *t = NULL;
    exsol_chem *chem = NULL;
    int rc;
    if (f->o.anchors) {
        char *text = NULL;
        size_t len = 0;
        if ((rc = read_text(f->o.anchors, &text, &len, err, errlen)))
            return rc;
        rc = exsol_table_parse(f->o.anchors, text, len, &t, err, errlen);
        free(text);
        if (rc)
            return rc == EXSOL_ENOMEM ? rc : EXSOL_EVALUE;
        snprintf(f->anchors_label, sizeof f->anchors_label, "%s", f->o.anchors);
    } else {
        if ((rc = exsol_table_load("anchors", &t, err, errlen)))
            return rc;
        snprintf(f->anchors_label, sizeof f->anchors_label, "datasets/anchors.csv");
    }
    int col[N_ACOLS];
    for (int k = 0; k < N_ACOLS; k++)
        if ((col[k] = exsol_table_col(t, anchor_cols[k])) < 0 && k != C_SUB) {
            rc = exsol_seterr(err, errlen, EXSOL_EVALUE, "%s: no column '%s'", f->anchors_label,
                              anchor_cols[k]);
            exsol_table_free(t);
            return rc;
        }
    f->na = exsol_table_nrows(t);
    if (f->na > MAX_ANCHORS)
        rc = exsol_seterr(err, errlen, EXSOL_EVALUE, "%s: more than %d anchors",
                          f->anchors_label, MAX_ANCHORS);
    if (!rc && !(f->a = calloc(f->na ? f->na : 1, sizeof *f->a)))
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    if (!rc)
        rc = exsol_chem_load(&chem, err, errlen);
    for (size_t r = 0; r < f->na && !rc; r++) {
        struct anchor *a = &f->a[r];
        anchor_from_row(f, t, col, r, chem, a);
        if (!a->fit && strcmp(a->use, "hold-out") != 0)
            rc = exsol_seterr(err, errlen, EXSOL_EVALUE,
                              "%s: anchor '%s': use must be 'fit' or 'hold-out', not '%s'",
                              f->anchors_label, a->id, a->use);
    }
    exsol_chem_free(chem);
    exsol_table_free(t);
    return rc;
}

/* ---- parameters ---------------------------------------------------------- */

static long find_param(const exsol_params *p, const char *name)
{
    for (size_t i = 0; i < exsol_params_count(p); i++)
        if (strcmp(exsol_params_name(p, i), name) == 0)
            return (long)i;
    return -1;
}

static void prior_text(const struct exsol_prior *pr, char *buf, size_t n)
{
    static const char *const kn[] = {"none",        "fixed",   "normal",
                                     "log10normal", "uniform", "loguniform"};
    int normal = pr->kind == EXSOL_PRIOR_NORMAL || pr->kind == EXSOL_PRIOR_LOG10NORMAL;
    size_t l = (size_t)snprintf(buf, n, "%s(%.10g,%.10g)", kn[pr->kind], pr->a, pr->b);
    if (normal && l < n && (isfinite(pr->lo) || isfinite(pr->hi)))
        l += (size_t)snprintf(buf + l, n - l, " in [%.10g,%.10g]", pr->lo, pr->hi);
    if (pr->ref_param[0] && l < n)
        snprintf(buf + l, n - l, " arrhenius(%s,%.10g)", pr->ref_param, pr->ref_T);
}

static int setup_params(exsol_fit *f, char *err, size_t errlen)
{
    const char *list = f->o.fit_params ? f->o.fit_params : EXSOL_FIT_DEFAULT_PARAMS;
    int dflt = f->o.fit_params == NULL;
    size_t cap = 1;
    for (const char *s = list; *s; s++)
        cap += *s == ',';
    if (!(f->fp = calloc(cap, sizeof *f->fp)))
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    const char *s = list;
    while (*s) {
        size_t n = strcspn(s, ",");
        char name[64];
        if (n == 0 || n >= sizeof name)
            return exsol_seterr(err, errlen, EXSOL_EUSAGE, "--fit-params: bad list '%s'", list);
        snprintf(name, sizeof name, "%.*s", (int)n, s);
        s += n + (s[n] == ',');
        long i = find_param(f->base, name);
        if (i < 0)
            return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                                "--fit-params: unknown parameter '%s'", name);
        const struct exsol_prior *pr = exsol_params_prior(f->base, (size_t)i);
        if (!pr || pr->kind == EXSOL_PRIOR_NONE || pr->kind == EXSOL_PRIOR_FIXED)
            return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                                "--fit-params: '%s' has no prior to sample (prior %s)", name,
                                pr && pr->kind == EXSOL_PRIOR_FIXED ? "fixed" : "missing");
        if (strcmp(exsol_params_origin(f->base, (size_t)i), "default") != 0) {
            if (dflt) {
                exsol_stage_notef(f->o.notes, EXSOL_NOTE_INFO, "%s is set (%s): not fitted",
                                  name, exsol_params_origin(f->base, (size_t)i));
                continue;
            }
            return exsol_seterr(
                err, errlen, EXSOL_EUSAGE,
                "--fit-params: '%s' is fixed by %s; leave it out of one of them", name,
                exsol_params_origin(f->base, (size_t)i));
        }
        for (size_t k = 0; k < f->np; k++)
            if (f->fp[k].idx == (size_t)i)
                return exsol_seterr(err, errlen, EXSOL_EUSAGE, "--fit-params: '%s' given twice",
                                    name);
        struct fparam *q = &f->fp[f->np++];
        q->idx = (size_t)i;
        q->pr = pr;
        q->logc = pr->kind == EXSOL_PRIOR_LOGUNIFORM || pr->kind == EXSOL_PRIOR_LOG10NORMAL;
        q->ref = pr->ref_param[0] ? find_param(f->base, pr->ref_param) : -1;
        q->ref_k = -1;
        if (pr->ref_param[0] && q->ref < 0)
            return exsol_seterr(err, errlen, EXSOL_EDATASET,
                                "the prior of '%s' refers to unknown parameter '%s'", name,
                                pr->ref_param);
        prior_text(pr, q->prior_text, sizeof q->prior_text);
    }
    if (f->np == 0)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE, "--fit-params: no parameter to fit");
    for (size_t k = 0; k < f->np; k++)
        for (size_t j = 0; j < f->np; j++)
            if (f->fp[k].ref >= 0 && f->fp[j].idx == (size_t)f->fp[k].ref)
                f->fp[k].ref_k = (long)j;
    return 0;
}

/* The prior's quantity (table unit) at coordinate u, and back. */
static double q_of(const struct fparam *q, double u)
{
    return q->logc ? pow(10.0, u) : u;
}
static double coord_of(const struct fparam *q, double v)
{
    return q->logc ? log10(v) : v;
}

/* Parameter k's table-unit value at the coordinates u (the arrhenius factor applied). */
static double value_of(const exsol_fit *f, const double *u, size_t k)
{
    const struct fparam *q = &f->fp[k];
    double v = q_of(q, u[k]);
    if (q->ref >= 0) {
        double e_si;
        if (q->ref_k >= 0) {
            if (exsol_unit_to_si(exsol_params_unit(f->base, (size_t)q->ref),
                                 q_of(&f->fp[q->ref_k], u[q->ref_k]), &e_si, NULL))
                return NAN;
        } else {
            e_si = exsol_params_value(f->base, (size_t)q->ref);
        }
        v *= exp(e_si / (EXSOL_KB * q->pr->ref_T));
    }
    return v;
}

static double log_prior(const exsol_fit *f, const double *u)
{
    double lp = 0.0;
    for (size_t k = 0; k < f->np; k++) {
        const struct fparam *q = &f->fp[k];
        const struct exsol_prior *pr = q->pr;
        double v = q_of(q, u[k]);
        if (!isfinite(u[k]) || !(v >= pr->lo && v <= pr->hi))
            return -INFINITY;
        if (pr->kind == EXSOL_PRIOR_NORMAL)
            lp += -0.5 * ((v - pr->a) / pr->b) * ((v - pr->a) / pr->b);
        else if (pr->kind == EXSOL_PRIOR_LOG10NORMAL)
            lp += -0.5 * ((u[k] - log10(pr->a)) / pr->b) * ((u[k] - log10(pr->a)) / pr->b);
        /* the parameter itself inside the table's bounds (D0 after its arrhenius factor) */
        double x = value_of(f, u, k), si;
        if (!isfinite(x) || exsol_unit_to_si(exsol_params_unit(f->base, q->idx), x, &si, NULL))
            return -INFINITY;
        double lo = exsol_params_min(f->base, q->idx), hi = exsol_params_max(f->base, q->idx);
        if ((!isnan(lo) && si < lo * (1 - 1e-12)) || (!isnan(hi) && si > hi * (1 + 1e-12)))
            return -INFINITY;
    }
    return lp;
}

/* ---- one evaluation ---------------------------------------------------------- */

static double log_phi(double z)
{
    if (z > -30)
        return log(0.5 * erfc(-z / sqrt(2.0)));
    return -0.5 * z * z - log(-z) - 0.5 * log(2 * EXSOL_PI); /* Mills ratio tail */
}

static double predicted(const struct exsol_reduce_output *o, int kind)
{
    if (o->status != 0)
        return NAN;
    switch (kind) {
    case Q_LOGN:
        return o->surface_density_m2 * 1e-12;
    case Q_LOGD:
        return o->surface_mean_diameter_m * 1e9;
    default:
        return o->exsolved_fraction;
    }
}

/* The scale the likelihood is Gaussian in: log10 of N and D, f itself. */
static double scaled(int kind, double v)
{
    return kind == Q_F ? v : v > 0 ? log10(v) : -INFINITY;
}

/* The nuisance H2O fraction of anchor a in prediction `draw`: log-uniform on
 * [H2O_NUISANCE_LO, H2O_NUISANCE_HI] from the counter-based uniform keyed on the seed and
 * "x_H2O:<id>" (exsol_members_u01, as the sampler's draws): the same for any thread
 * count or evaluation order. */
static double h2o_draw(const exsol_fit *f, const struct anchor *a, size_t draw)
{
    char name[80];
    snprintf(name, sizeof name, "x_H2O:%s", a->id);
    double u = exsol_members_u01(f->o.seed, name, draw, 0);
    return H2O_NUISANCE_LO * pow(H2O_NUISANCE_HI / H2O_NUISANCE_LO, u);
}

/* The model m with anchor input in's host constants and lattice parameter. */
static int host_model(const exsol_fit *f, const exsol_params *p,
                      const struct exsol_reduce_input *in, struct exsol_reduce_model *mh)
{
    char e[200];
    if (in->host_index > 0 &&
        exsol_host_apply(&f->hosts[in->host_index], p, &mh->defects, NULL, e, sizeof e))
        return -1;
    if (in->a_lattice_m > 0)
        mh->defects.a_lattice_m = in->a_lattice_m;
    return 0;
}

/* Prediction `draw` of ordinal anchor an into v[2]: v[0] the quantity the residual table
 * shows as p10/p50/p90 (ORD_RATIO: the density ratio; ORD_EXSOLVES: the exsolved
 * fraction), v[1] 1 if the stated relation holds, else 0; both NaN where reduce fails
 * for a film. The ratio of two equal densities (both 0 included) is 1. */
static void predict_ordinal(exsol_fit *f, struct slot *sl, const struct exsol_reduce_model *m,
                            const struct anchor *an, size_t draw, double *v)
{
    v[0] = v[1] = NAN;
    struct exsol_reduce_model mh = *m;
    if (host_model(f, sl->p, &an->in, &mh))
        return;
    int nf = an->ordinal == ORD_RATIO ? 2 : 1, ex = 0;
    double dens[2] = {NAN, NAN}, fx = NAN;
    for (int k = 0; k < nf; k++) {
        struct exsol_reduce_input in = k ? an->in2 : an->in;
        in.dopant = an->dopant;
        if (an->h2o_prior)
            in.pH2O_Pa = h2o_draw(f, an, draw) * ATM_PA; /* both films: one anneal */
        struct exsol_reduce_output *o = &sl->out[0];
        int ok = exsol_reduce_run_multi(&mh, sl->sol, &in, 1, o) == EXSOL_OK && o->status == 0;
        if (ok) {
            dens[k] = o->surface_density_m2;
            fx = k ? fx : o->exsolved_fraction;
            ex = k ? ex : exsol_reduce_exsolved(o->t_half_s, o->exsolved_fraction, in.t_s);
        }
        exsol_kwn_result_release(&o->kwn);
        if (!ok)
            return;
    }
    if (an->ordinal == ORD_RATIO) {
        double r = dens[0] == dens[1] ? 1.0 : dens[0] / dens[1];
        v[0] = r;
        v[1] = an->rel_gt ? r > an->thr : r < an->thr;
    } else {
        v[0] = fx;
        v[1] = ex == (an->thr != 0);
    }
}

/* Log likelihood of the fit anchors (all = 0) or the predictions of every runnable anchor
 * (all = 1, into pred[nqtot]; `draw`: the prediction's index, which keys the nuisance
 * draws) at coordinates u, on thread slot s. */
static double evaluate(exsol_fit *f, int s, const double *u, int all, size_t draw, double *pred)
{
    struct slot *sl = &f->slots[s];
    char a[160], e[200];
    if (pred)
        for (size_t i = 0; i < f->nqtot; i++)
            pred[i] = NAN;
    for (size_t k = 0; k < f->np; k++) {
        double x = value_of(f, u, k);
        snprintf(a, sizeof a, "%s=%.17g", exsol_params_name(f->base, f->fp[k].idx), x);
        if (!isfinite(x) || exsol_params_set(sl->p, a, e, sizeof e))
            return -INFINITY;
    }
    struct exsol_reduce_model m;
    if (exsol_reduce_model_from(sl->p, f->ell, &m, e, sizeof e))
        return -INFINITY;
    double ll = 0.0;
    for (size_t g = 0; g < f->na; g++) {
        const struct anchor *lead = &f->a[g];
        if (lead->reason[0] || lead->leader != (int)g || (!all && !lead->fit))
            continue;
        /* the group: anchors that differ from g only in the time share one trajectory */
        size_t n = 0;
        int member[MAX_ANCHORS];
        for (size_t j = g; j < f->na; j++)
            if (!f->a[j].reason[0] && f->a[j].leader == (int)g && (all || f->a[j].fit)) {
                sl->in[n] = f->a[j].in;
                sl->in[n].dopant = f->a[j].dopant;
                if (f->a[j].h2o_prior) /* a group of one (create) */
                    sl->in[n].pH2O_Pa = h2o_draw(f, &f->a[j], draw) * ATM_PA;
                member[n++] = (int)j;
            }
        struct exsol_reduce_model mh = m;
        if (host_model(f, sl->p, &lead->in, &mh))
            return -INFINITY;
        int rc = exsol_reduce_run_multi(&mh, sl->sol, sl->in, n, sl->out);
        for (size_t i = 0; i < n; i++) {
            const struct anchor *an = &f->a[member[i]];
            for (size_t k = 0; k < an->nq; k++) {
                const struct quantity *q = &an->q[k];
                double v = rc == EXSOL_OK ? predicted(&sl->out[i], q->kind) : NAN;
                if (pred)
                    pred[an->qoff + k] = v;
                if (!an->fit)
                    continue;
                double z = (scaled(q->kind, v) - scaled(q->kind, q->measured)) / q->sigma;
                if (isnan(z) || isinf(z))
                    ll = -INFINITY;
                else if (q->censored)
                    ll += log_phi(z);
                else
                    ll += -0.5 * z * z - log(q->sigma) - 0.5 * log(2 * EXSOL_PI);
            }
            exsol_kwn_result_release(&sl->out[i].kwn);
        }
    }
    for (size_t j = 0; all && pred && j < f->na; j++)
        if (!f->a[j].reason[0] && f->a[j].ordinal)
            predict_ordinal(f, sl, &m, &f->a[j], draw, pred + f->a[j].qoff);
    return ll;
}

static int batch(void *ctx, const double *x, size_t n, size_t dim, double *lp, char *err,
                 size_t errlen)
{
    exsol_fit *f = ctx;
    (void)err, (void)errlen;
#pragma omp parallel for schedule(dynamic, 1) num_threads(f->nslots)
    for (long i = 0; i < (long)n; i++) {
        const double *u = x + (size_t)i * dim;
        double pr = log_prior(f, u);
        lp[i] =
            isfinite(pr) ? pr + evaluate(f, omp_get_thread_num(), u, 0, 0, NULL) : -INFINITY;
    }
    return 0;
}

/* ---- create / run -------------------------------------------------------------- */

void exsol_fit_free(exsol_fit *f)
{
    if (!f)
        return;
    for (int s = 0; f->slots && s < f->nslots; s++) {
        exsol_params_free(f->slots[s].p);
        exsol_kwn_solver_destroy(f->slots[s].sol);
    }
    free(f->slots);
    exsol_ellingham_free(f->ell);
    exsol_stretch_chain_free(&f->ch);
    free(f->a), free(f->fp), free(f->post), free(f->ll), free(f->lpost);
    free(f->walker), free(f->step), free(f->rhat), free(f->ess), free(f->pred);
    free(f);
}

int exsol_fit_create(exsol_fit **out, const exsol_params *p, const struct exsol_fit_opts *o,
                     char *err, size_t errlen)
{
    exsol_fit *f = calloc(1, sizeof *f);
    *out = f;
    if (!f)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    f->base = p;
    f->o = *o;
    if (f->o.walkers < 4 || f->o.walkers % 2)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE, "--walkers must be even and >= 4");
    if (f->o.steps == 0 || f->o.burn >= f->o.steps)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                            "--burn (%zu) must be less than --steps (%zu)", f->o.burn,
                            f->o.steps);
    if (f->o.thin == 0)
        f->o.thin = 1;
    if (f->o.predict_members == 0)
        f->o.predict_members = 200;
    int rc;
    if ((rc = setup_params(f, err, errlen)))
        return rc;
    if (f->o.walkers < 2 * f->np)
        exsol_stage_notef(f->o.notes, EXSOL_NOTE_WARN,
                          "%zu walkers for %zu parameters: the stretch move wants at least "
                          "2 per parameter",
                          f->o.walkers, f->np);
    if ((rc = exsol_ellingham_load(&f->ell, err, errlen)) ||
        (rc = exsol_reduce_model_from(p, f->ell, &f->model, err, errlen)) ||
        (rc = exsol_host_all(f->hosts, EXSOL_HOST_MAX, &f->nhosts, err, errlen)))
        return rc;
    if ((rc = load_anchors(f, err, errlen)))
        return rc;
    /* lattice rule, groups, quantity offsets */
    for (size_t j = 0; j < f->na; j++) {
        struct anchor *a = &f->a[j];
        if (a->reason[0])
            continue;
        double a_host = f->model.defects.a_lattice_m;
        if (a->in.host_index > 0) {
            struct exsol_reduce_model mh = f->model;
            if ((rc = exsol_host_apply(&f->hosts[a->in.host_index], p, &mh.defects, NULL, err,
                                       errlen)))
                return rc;
            a_host = mh.defects.a_lattice_m;
        }
        a->in.a_lattice_m = exsol_host_row_lattice(a->in.a_lattice_m, a_host);
        if (a->ordinal == ORD_RATIO) {
            a->in2 = a->in;
            a->in2.strain = a->eps[1];
        }
        a->qoff = f->nqtot;
        f->nqtot += a->nv;
        f->nused_fit += a->fit;
    }
    for (size_t j = 0; j < f->na; j++) {
        struct anchor *a = &f->a[j];
        if (a->reason[0] || a->ordinal)
            continue; /* an ordinal anchor: leader -1, its films run by predict_ordinal */
        a->leader = (int)j;
        for (size_t i = 0; i < j && !a->h2o_prior; i++) {
            struct exsol_reduce_input x = f->a[i].in, y = a->in;
            x.dopant = f->a[i].dopant, y.dopant = a->dopant;
            if (!f->a[i].reason[0] && f->a[i].leader == (int)i && f->a[i].fit == a->fit &&
                !f->a[i].h2o_prior && exsol_reduce_same_but_time(&x, &y)) {
                a->leader = (int)i;
                break;
            }
        }
    }
    for (size_t j = 0; j < f->na; j++)
        if (f->a[j].reason[0])
            exsol_stage_notef(f->o.notes, EXSOL_NOTE_INFO, "anchor %s (%s) skipped: %s",
                              f->a[j].id, f->a[j].use, f->a[j].reason);
    if (f->nused_fit == 0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "%s: no fit anchor the model can run (see the notes with -v)",
                            f->anchors_label);
    f->nslots = omp_get_max_threads();
    if (f->nslots < 1)
        f->nslots = 1;
    if (!(f->slots = calloc((size_t)f->nslots, sizeof *f->slots)))
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    for (int s = 0; s < f->nslots; s++) {
        if (!(f->slots[s].p = exsol_params_clone(p)))
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        if ((rc = exsol_kwn_solver_create(&f->model.kwn, &f->slots[s].sol, err, errlen)))
            return rc;
    }
    return 0;
}

static void step_note(void *ctx, size_t step, size_t nsteps)
{
    exsol_fit *f = ctx;
    if (nsteps >= 10 && step % (nsteps / 10) == 0)
        exsol_stage_notef(f->o.notes, EXSOL_NOTE_DEBUG, "step %zu of %zu", step, nsteps);
}

static int initial(exsol_fit *f, double *x0, double *lp0, char *err, size_t errlen)
{
    const size_t nw = f->o.walkers, np = f->np;
    double *lp = malloc(nw * sizeof *lp), *y = malloc(nw * np * sizeof *y);
    size_t *which = malloc(nw * sizeof *which);
    int rc = lp && y && which ? 0 : EXSOL_ENOMEM;
    for (size_t w = 0; w < nw; w++)
        lp0[w] = -INFINITY;
    for (int r = 0; r < 200 && !rc; r++) {
        size_t n = 0;
        for (size_t w = 0; w < nw; w++) {
            if (isfinite(lp0[w]))
                continue;
            for (size_t k = 0; k < np; k++) {
                const struct fparam *q = &f->fp[k];
                const char *name = exsol_params_name(f->base, q->idx);
                double u = exsol_members_u01(f->o.seed, name, w + (uint64_t)r * nw, 3);
                double c;
                if (f->o.init == EXSOL_FIT_INIT_BALL) {
                    /* the table value, moved by up to 1 % of the prior's spread */
                    double v = exsol_params_value(f->base, q->idx), tv;
                    exsol_unit_to_si(exsol_params_unit(f->base, q->idx), 1.0, &tv, NULL);
                    v /= tv; /* SI -> table unit */
                    if (q->ref >= 0)
                        v *= exp(-exsol_params_value(f->base, (size_t)q->ref) /
                                 (EXSOL_KB * q->pr->ref_T));
                    double lo = coord_of(q, exsol_prior_quantile(q->pr, 0.05));
                    double hi = coord_of(q, exsol_prior_quantile(q->pr, 0.95));
                    c = coord_of(q, v) + 0.01 * (hi - lo) * (u - 0.5);
                } else {
                    c = coord_of(q, exsol_prior_quantile(q->pr, u));
                }
                y[n * np + k] = c;
            }
            which[n++] = w;
        }
        if (n == 0)
            break;
        batch(f, y, n, np, lp, err, errlen);
        for (size_t i = 0; i < n; i++)
            if (isfinite(lp[i])) {
                memcpy(x0 + which[i] * np, y + i * np, np * sizeof *y);
                lp0[which[i]] = lp[i];
            }
    }
    for (size_t w = 0; w < nw && !rc; w++)
        if (!isfinite(lp0[w]))
            rc = exsol_seterr(err, errlen, EXSOL_EVALUE,
                              "walker %zu: no starting point with a finite posterior in 200 "
                              "draws (reduce fails or predicts no particles for a fit anchor)",
                              w);
    if (rc == EXSOL_ENOMEM)
        exsol_seterr(err, errlen, rc, "out of memory");
    free(lp), free(y), free(which);
    return rc;
}

int exsol_fit_run(exsol_fit *f, char *err, size_t errlen)
{
    const size_t nw = f->o.walkers, np = f->np;
    double *x0 = malloc(nw * np * sizeof *x0), *lp0 = malloc(nw * sizeof *lp0);
    int rc = x0 && lp0 ? 0 : exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    if (!rc)
        rc = initial(f, x0, lp0, err, errlen);
    struct exsol_stretch_opts so = {.nwalkers = nw,
                                    .nsteps = f->o.steps,
                                    .a = 2.0,
                                    .seed = f->o.seed,
                                    .step_done = step_note,
                                    .step_ctx = f};
    if (!rc)
        rc = exsol_stretch_run(&so, np, x0, lp0, batch, f, &f->ch, err, errlen);
    free(x0), free(lp0);
    if (rc)
        return rc;
    f->acceptance = (double)f->ch.accepted / (double)(nw * f->o.steps);
    /* diagnostics on every draw after the burn-in, walkers as chains */
    size_t nd = exsol_stretch_kept(&f->ch, f->o.burn, 1);
    double *d = malloc(nw * nd * sizeof *d);
    f->rhat = malloc(np * sizeof *f->rhat);
    f->ess = malloc(np * sizeof *f->ess);
    if (!d || !f->rhat || !f->ess) {
        free(d);
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < np; k++) {
        exsol_stretch_extract(&f->ch, k, f->o.burn, 1, d);
        f->rhat[k] = exsol_split_rhat(d, nw, nd);
        f->ess[k] = exsol_ess(d, nw, nd);
    }
    free(d);
    /* the retained samples: step-major, then walker */
    size_t ns = exsol_stretch_kept(&f->ch, f->o.burn, f->o.thin);
    f->nkept = ns * nw;
    f->post = malloc(f->nkept * np * sizeof *f->post);
    f->ll = malloc(f->nkept * sizeof *f->ll);
    f->lpost = malloc(f->nkept * sizeof *f->lpost);
    f->walker = malloc(f->nkept * sizeof *f->walker);
    f->step = malloc(f->nkept * sizeof *f->step);
    if (!f->post || !f->ll || !f->lpost || !f->walker || !f->step)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    for (size_t i = 0; i < ns; i++)
        for (size_t w = 0; w < nw; w++) {
            size_t s = f->o.burn + i * f->o.thin, j = i * nw + w;
            const double *u = f->ch.x + (s * nw + w) * np;
            for (size_t k = 0; k < np; k++)
                f->post[j * np + k] = value_of(f, u, k);
            f->lpost[j] = f->ch.logp[s * nw + w];
            f->ll[j] = f->lpost[j] - log_prior(f, u);
            f->walker[j] = (int)w;
            f->step[j] = (int)s;
        }
    /* posterior predictions of every runnable anchor at evenly spread samples */
    f->npred = f->o.predict_members < f->nkept ? f->o.predict_members : f->nkept;
    if (f->nqtot > 0) {
        if (!(f->pred = malloc(f->npred * f->nqtot * sizeof *f->pred)))
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
#pragma omp parallel for schedule(dynamic, 1) num_threads(f->nslots)
        for (long i = 0; i < (long)f->npred; i++) {
            size_t j = (size_t)(((double)i + 0.5) * (double)f->nkept / (double)f->npred);
            size_t s = f->o.burn + (j / nw) * f->o.thin, w = j % nw;
            evaluate(f, omp_get_thread_num(), f->ch.x + (s * nw + w) * np, 1, (size_t)i,
                     f->pred + (size_t)i * f->nqtot);
        }
    }
    /* the summary */
    double *v = malloc(f->nkept * sizeof *v);
    if (!v)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    double worst = 0;
    for (size_t k = 0; k < np; k++) {
        for (size_t j = 0; j < f->nkept; j++)
            v[j] = f->post[j * np + k];
        exsol_sort_doubles(v, f->nkept);
        exsol_stage_notef(
            f->o.notes, EXSOL_NOTE_INFO,
            "%s: median %.4g, 90 %% interval [%.4g, %.4g] %s; R-hat %.3f, ESS %.0f",
            exsol_params_name(f->base, f->fp[k].idx), exsol_quantile_sorted(v, f->nkept, 0.5),
            exsol_quantile_sorted(v, f->nkept, 0.05), exsol_quantile_sorted(v, f->nkept, 0.95),
            exsol_params_unit(f->base, f->fp[k].idx), f->rhat[k], f->ess[k]);
        if (!(f->rhat[k] <= worst))
            worst = f->rhat[k];
    }
    free(v);
    exsol_stage_notef(f->o.notes, EXSOL_NOTE_INFO,
                      "%zu walkers x %zu steps (burn %zu, thin %zu): %zu samples, acceptance "
                      "%.3f, %zu fit anchors",
                      nw, f->o.steps, f->o.burn, f->o.thin, f->nkept, f->acceptance,
                      f->nused_fit);
    if (!(worst < 1.05))
        exsol_stage_notef(f->o.notes, EXSOL_NOTE_WARN,
                          "largest split-R-hat %.3f >= 1.05: not converged, run more --steps",
                          worst);
    return 0;
}

/* ---- results ------------------------------------------------------------------ */

size_t exsol_fit_nparams(const exsol_fit *f)
{
    return f->np;
}
const char *exsol_fit_param_name(const exsol_fit *f, size_t k)
{
    return k < f->np ? exsol_params_name(f->base, f->fp[k].idx) : NULL;
}
double exsol_fit_rhat(const exsol_fit *f, size_t k)
{
    return f->rhat && k < f->np ? f->rhat[k] : NAN;
}
double exsol_fit_ess(const exsol_fit *f, size_t k)
{
    return f->ess && k < f->np ? f->ess[k] : NAN;
}
double exsol_fit_quantile(const exsol_fit *f, size_t k, double q)
{
    if (!f->post || k >= f->np)
        return NAN;
    double *v = malloc(f->nkept * sizeof *v);
    if (!v)
        return NAN;
    for (size_t j = 0; j < f->nkept; j++)
        v[j] = f->post[j * f->np + k];
    exsol_sort_doubles(v, f->nkept);
    double r = exsol_quantile_sorted(v, f->nkept, q);
    free(v);
    return r;
}

int exsol_fit_write_posterior(const exsol_fit *f, exsol_posterior_file *pf, int no_history,
                              int argc, char *const *argv, char *err, size_t errlen)
{
    const size_t np = f->np;
    struct exsol_post_param *pp = calloc(np, sizeof *pp);
    double *cols = malloc(np * f->nkept * sizeof *cols);
    char *used = malloc(f->na * 70 + 1), *skipped = malloc(f->na * 70 + 1);
    char *settings = malloc(exsol_params_count(f->base) * 96 + 1);
    char *names = malloc(np * 66 + 1);
    int rc = pp && cols && used && skipped && settings && names ? 0 : EXSOL_ENOMEM;
    if (!rc) {
        for (size_t k = 0; k < np; k++) {
            for (size_t j = 0; j < f->nkept; j++)
                cols[k * f->nkept + j] = f->post[j * np + k];
            size_t i = f->fp[k].idx;
            pp[k] = (struct exsol_post_param){exsol_params_name(f->base, i),
                                              exsol_params_unit(f->base, i),
                                              exsol_params_description(f->base, i),
                                              f->fp[k].prior_text,
                                              cols + k * f->nkept,
                                              f->rhat[k],
                                              f->ess[k]};
        }
        size_t lu = 0, ls = 0, lt = 0, ln = 0;
        used[0] = skipped[0] = settings[0] = names[0] = '\0';
        for (size_t j = 0; j < f->na; j++) {
            const struct anchor *a = &f->a[j];
            if (a->fit && !a->reason[0])
                lu += (size_t)snprintf(used + lu, 70, "%s%.60s", lu ? "," : "", a->id);
            else if (a->fit)
                ls += (size_t)snprintf(skipped + ls, 70, "%s%.60s", ls ? "," : "", a->id);
        }
        for (size_t i = 0; i < exsol_params_count(f->base); i++)
            if (strcmp(exsol_params_origin(f->base, i), "default") != 0)
                lt += (size_t)snprintf(settings + lt, 96, "%s%.50s=%.17g", lt ? ";" : "",
                                       exsol_params_name(f->base, i),
                                       exsol_params_value(f->base, i));
        for (size_t k = 0; k < np; k++)
            ln += (size_t)snprintf(names + ln, 66, "%s%.63s", ln ? "," : "",
                                   exsol_params_name(f->base, f->fp[k].idx));
    }
    char sampler[256], nums[160];
    snprintf(sampler, sizeof sampler,
             "affine-invariant ensemble sampler (Goodman & Weare 2010), stretch move a = 2, "
             "walkers updated in two halves; initial walkers from the %s",
             f->o.init == EXSOL_FIT_INIT_BALL ? "table values (a 1 % ball)" : "priors");
    snprintf(nums, sizeof nums, "walkers=%zu steps=%zu burn=%zu thin=%zu seed=%llu",
             f->o.walkers, f->o.steps, f->o.burn, f->o.thin, (unsigned long long)f->o.seed);
    const struct exsol_post_attr at[] = {
        {"anchors", f->anchors_label},
        {"anchors_fit", used ? used : ""},
        {"anchors_fit_skipped", skipped ? skipped : ""},
        {"fit_parameters", names ? names : ""},
        {"sampler", sampler},
        {"sampler_settings", nums},
        {"likelihood", "Gaussian in log10 surface density (um-2) and log10 surface mean "
                       "diameter (nm) and in the exsolved fraction, with each anchor's "
                       "scatter; lower bounds one-sided (Phi); reference "
                       "breadth-and-uncertainty section 9"},
        {"diagnostics", "split-R-hat (Gelman et al., BDA3) and ESS (Geyer initial monotone "
                        "sequence, Vehtari et al. 2021) over the walkers after the burn-in, "
                        "in the sampler's coordinates (log10 for log priors)"},
        {"parameter_overrides", settings ? settings : ""}};
    struct exsol_posterior_out po = {.n = f->nkept,
                                     .np = np,
                                     .p = pp,
                                     .log_likelihood = f->ll,
                                     .log_posterior = f->lpost,
                                     .walker = f->walker,
                                     .step = f->step,
                                     .acceptance = f->acceptance,
                                     .nattr = sizeof at / sizeof at[0],
                                     .attr = at,
                                     .no_history = no_history,
                                     .argc = argc,
                                     .argv = argv};
    if (!rc)
        rc = exsol_posterior_write(pf, &po, err, errlen);
    else
        exsol_seterr(err, errlen, rc, "out of memory");
    free(pp), free(cols), free(used), free(skipped), free(settings), free(names);
    return rc;
}

int exsol_fit_write_residuals(const exsol_fit *f, FILE *fp)
{
    struct exsol_tsv t;
    exsol_tsv_init(&t, EXSOL_TSV, EXSOL_TSV_G6);
    const char *head[] = {"anchor", "use",  "quantity", "unit", "measured", "scatter",
                          "bound",  "p10",  "p50",      "p90",  "z",        "covered",
                          "failed", "note", "source",   "P",    "P_lo",     "P_hi"};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        exsol_tsv_text(&t, head[k]);
    exsol_tsv_endl(&t);
    double *v = malloc((f->npred ? f->npred : 1) * sizeof *v);
    if (!v) {
        exsol_tsv_release(&t);
        return EXSOL_ENOMEM;
    }
    for (size_t j = 0; j < f->na; j++) {
        const struct anchor *a = &f->a[j];
        if (a->reason[0]) {
            exsol_tsv_text(&t, a->id);
            exsol_tsv_text(&t, a->use);
            exsol_tsv_text(&t, a->observable);
            exsol_tsv_text(&t, "NA");
            exsol_tsv_text(&t, a->value[0] ? a->value : "NA");
            for (int k = 0; k < 8; k++)
                exsol_tsv_text(&t, "NA");
            char note[240];
            snprintf(note, sizeof note, "skipped: %s", a->reason);
            exsol_tsv_text(&t, note);
            exsol_tsv_text(&t, a->source);
            for (int k = 0; k < 3; k++)
                exsol_tsv_text(&t, "NA");
            exsol_tsv_endl(&t);
            continue;
        }
        if (a->ordinal) {
            /* P(the stated relation holds) over the predictions reduce ran; covered =
             * P >= 0.5 (the relation is the more probable outcome) */
            size_t n = 0, k = 0;
            for (size_t i = 0; i < f->npred; i++) {
                const double *x = f->pred + i * f->nqtot + a->qoff;
                if (isnan(x[1]))
                    continue;
                v[n++] = x[0];
                k += x[1] != 0;
            }
            exsol_sort_doubles(v, n);
            double P = n ? (double)k / (double)n : NAN, lo = NAN, hi = NAN;
            if (n)
                exsol_wilson90(k, n, &lo, &hi);
            char note[240];
            if (a->ordinal == ORD_RATIO)
                snprintf(note, sizeof note,
                         "P(surface density ratio %s %g): %s; p10-p90: the ratio%s",
                         a->rel_gt ? ">" : "<", a->thr, a->note,
                         a->h2o_prior ? "; x_H2O drawn per sample, loguniform(1e-5,3e-2)" : "");
            else
                snprintf(note, sizeof note,
                         "P(exsolves = %g): t_half within the anneal, else exsolved fraction "
                         ">= %g (exsol-window's rule); p10-p90: the exsolved fraction%s",
                         a->thr, EXSOL_EXSOLVED_F_MIN,
                         a->h2o_prior ? "; x_H2O drawn per sample, loguniform(1e-5,3e-2)" : "");
            exsol_tsv_text(&t, a->id);
            exsol_tsv_text(&t, a->use);
            exsol_tsv_text(&t, a->observable);
            exsol_tsv_text(&t, "1");
            exsol_tsv_text(&t, a->value);
            exsol_tsv_text(&t, "NA"); /* scatter */
            exsol_tsv_text(&t, "NA"); /* bound */
            exsol_tsv_double(&t, exsol_quantile_sorted(v, n, 0.1));
            exsol_tsv_double(&t, exsol_quantile_sorted(v, n, 0.5));
            exsol_tsv_double(&t, exsol_quantile_sorted(v, n, 0.9));
            exsol_tsv_text(&t, "NA"); /* z */
            exsol_tsv_text(&t, n == 0 ? "NA" : P >= 0.5 ? "yes" : "no");
            exsol_tsv_long(&t, (long)(f->npred - n));
            exsol_tsv_text(&t, note);
            exsol_tsv_text(&t, a->source);
            exsol_tsv_double(&t, P);
            exsol_tsv_double(&t, lo);
            exsol_tsv_double(&t, hi);
            exsol_tsv_endl(&t);
            continue;
        }
        for (size_t k = 0; k < a->nq; k++) {
            const struct quantity *q = &a->q[k];
            size_t n = 0;
            for (size_t i = 0; i < f->npred; i++) {
                double x = f->pred[i * f->nqtot + a->qoff + k];
                if (!isnan(x))
                    v[n++] = x;
            }
            exsol_sort_doubles(v, n);
            double p10 = exsol_quantile_sorted(v, n, 0.1),
                   p50 = exsol_quantile_sorted(v, n, 0.5),
                   p90 = exsol_quantile_sorted(v, n, 0.9);
            double z = (scaled(q->kind, p50) - scaled(q->kind, q->measured)) / q->sigma;
            if (q->censored && z > 0)
                z = 0; /* above a lower bound: no miss */
            exsol_tsv_text(&t, a->id);
            exsol_tsv_text(&t, a->use);
            exsol_tsv_text(&t, q_name[q->kind]);
            exsol_tsv_text(&t, q_unit[q->kind]);
            exsol_tsv_double(&t, q->measured);
            exsol_tsv_double(&t, q->sigma);
            exsol_tsv_text(&t, q->censored ? "lower" : "no");
            exsol_tsv_double(&t, p10);
            exsol_tsv_double(&t, p50);
            exsol_tsv_double(&t, p90);
            exsol_tsv_double(&t, z);
            exsol_tsv_text(&t, isnan(z) ? "NA" : fabs(z) <= 1.0 ? "yes" : "no");
            exsol_tsv_long(&t, (long)(f->npred - n));
            exsol_tsv_text(&t, a->note[0] ? a->note : "");
            exsol_tsv_text(&t, a->source);
            for (int c = 0; c < 3; c++)
                exsol_tsv_text(&t, "NA");
            exsol_tsv_endl(&t);
        }
    }
    free(v);
    int rc = exsol_tsv_write(&t, fp);
    exsol_tsv_release(&t);
    return rc;
}

int exsol_members_load(const char *path, const exsol_params *p, struct exsol_members **out,
                       char *err, size_t errlen)
{
    if (!exsol_posterior_is_netcdf(path))
        return exsol_members_read(path, p, out, err, errlen);
    size_t n, np;
    char **names, **units;
    double *vals;
    int rc = exsol_posterior_read(path, &n, &np, &names, &units, &vals, err, errlen);
    if (rc)
        return rc;
    rc = exsol_members_from_matrix(p, n, np, names, units, vals, out, err, errlen);
    for (size_t k = 0; k < np; k++)
        free(names[k]), free(units[k]);
    free(names), free(units), free(vals);
    return rc;
}
