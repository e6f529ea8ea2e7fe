/* The KWN scheme table seam (libcore/physics/kwn/scheme.h): a toy second scheme,
 * defined here, plugs in through exsol_kwn_scheme_register and runs the seed-like
 * problem of tests/numeric/test_kwn_balance.c through the unchanged driver.
 *
 * The toy ("coarse2") is first-order upwind on bins twice as wide as the output
 * bins (each holds two of them), with no Jacobian hook (the driver then uses a
 * dense matrix and CVODE's difference quotients). Its remap splits each coarse bin
 * between its two output bins so that both the number of particles and their metal
 * volume are kept. Checks: (1) the remap conserves number and metal on a random
 * state; (2) at every output time the dopant balance z = x̄(1 − αφ) + αφ holds to
 * 1e-10 relative with φ recomputed from the reported distributions on the output
 * bins, the distributions are non-negative and 0 <= f <= 1; (3) an unknown scheme
 * name fails with EXSOL_EUNKNOWN and names the scheme; a duplicate or incomplete
 * registration fails with EXSOL_EVALUE; (4) "fixedbin", NULL and "" select the
 * default scheme (same bytes); exsol_kwn_output_times gives the results' times. */
#include "check.h"
#include "exsol/error.h"
#include "exsol/kwn.h"
#include "kwn/scheme.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NSC EXSOL_KWN_NSC

/* ---- the toy scheme ------------------------------------------------------ */

struct toy {
    size_t nc, neq;        /* coarse bins per population; state size */
    const double *ow;      /* output bin widths (not owned) */
    const double *oc;      /* output bin centres (not owned) */
    double *E, *C, *W, *V; /* coarse edges [nc+1], centres, widths, volumes */
    double *xi, *coef, *vrow, *work;
    size_t kcap;
    double atol_bins, atol_phi;
};

static void toy_free(void *st)
{
    struct toy *s = st;
    if (!s)
        return;
    double *a[] = {s->E, s->C, s->W, s->V, s->xi, s->coef, s->vrow, s->work};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        free(a[i]);
    free(s);
}

static void *toy_alloc(const struct exsol_kwn_config *cfg, const struct exsol_kwn_grid *out,
                       size_t *n_dist)
{
    if (out->n % 2 != 0)
        return NULL;
    struct toy *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    size_t nc = out->n / 2;
    s->nc = nc;
    s->neq = 2 * nc + 1;
    s->ow = out->width;
    s->oc = out->centre;
    s->atol_bins = cfg->atol_bins;
    s->atol_phi = cfg->atol_phi;
    s->E = malloc((nc + 1) * sizeof(double));
    s->C = malloc(nc * sizeof(double));
    s->W = malloc(nc * sizeof(double));
    s->V = malloc(nc * sizeof(double));
    s->xi = malloc((nc + 1) * sizeof(double));
    s->coef = malloc((nc + 1) * sizeof(double));
    s->vrow = calloc(2 * nc, sizeof(double));
    s->work = calloc(s->neq, sizeof(double));
    if (!s->E || !s->C || !s->W || !s->V || !s->xi || !s->coef || !s->vrow || !s->work) {
        toy_free(s);
        return NULL;
    }
    for (size_t j = 0; j <= nc; j++)
        s->E[j] = out->edge[2 * j];
    for (size_t j = 0; j < nc; j++) {
        s->C[j] = 0.5 * (s->E[j] + s->E[j + 1]);
        s->W[j] = s->E[j + 1] - s->E[j];
        s->V[j] = exsol_kwn_sphere_volume(s->C[j]);
    }
    *n_dist = 2 * nc;
    return s;
}

static int toy_init(void *st, const struct exsol_kwn_ctx *c)
{
    struct toy *s = st;
    for (size_t k = 0; k <= s->nc; k++) {
        s->xi[k] = exsol_kwn_model_xi(c->m, exsol_kwn_model_gt(c->m, s->E[k]), c->m->p->x_eq);
        s->coef[k] = exsol_kwn_model_growth_coef(c->m, s->E[k], s->xi[k]);
    }
    s->kcap = exsol_kwn_film_cap(c->m, s->E, s->nc);
    for (size_t j = 0; j < s->nc; j++) {
        s->vrow[j] = exsol_kwn_model_dphi_surface(c->m, s->V[j]);
        s->vrow[s->nc + j] = j < s->kcap ? exsol_kwn_model_dphi_buried(c->m, s->V[j]) : 0.0;
    }
    return 0;
}

static void toy_initial(void *st, const struct exsol_kwn_ctx *c, double *y, double *at,
                        double *cn)
{
    struct toy *s = st;
    const struct exsol_kwn_problem *p = c->m->p;
    size_t nc = s->nc;
    for (size_t j = 0; j < nc; j++) {
        y[j] =
            p->init_surface ? (p->init_surface[2 * j] + p->init_surface[2 * j + 1]) / NSC : 0.0;
        y[nc + j] = (p->init_buried && j < s->kcap)
                        ? (p->init_buried[2 * j] + p->init_buried[2 * j + 1]) * p->L_m / NSC
                        : 0.0;
    }
    for (size_t i = 0; i < 2 * nc; i++) {
        double a = s->atol_bins / NSC;
        if (s->vrow[i] > 0.0 && s->atol_phi / s->vrow[i] < a)
            a = s->atol_phi / s->vrow[i];
        at[i] = a;
        cn[i] = 1.0;
    }
}

static double toy_phi(void *st, const struct exsol_kwn_ctx *c, const double *y, int reported)
{
    struct toy *s = st;
    double phi = 0.0;
    for (size_t i = 0; i < 2 * s->nc; i++)
        phi += s->vrow[i] * ((reported || c->clamp) ? fmax(y[i], 0.0) : y[i]);
    return phi;
}

/* First-order upwind advection of one block of n active bins. */
static void toy_advect(const struct toy *s, const double *y, size_t n, const double *v,
                       double *dy)
{
    if (n == 0)
        return;
    if (v[0] < 0.0)
        dy[0] += v[0] * y[0] / s->W[0];
    for (size_t k = 1; k < n; k++) {
        double F = v[k] >= 0.0 ? v[k] * y[k - 1] / s->W[k - 1] : v[k] * y[k] / s->W[k];
        dy[k - 1] -= F;
        dy[k] += F;
    }
}

static void toy_source(const struct toy *s, double *dy, size_t n, double R, double rate)
{
    if (rate == 0.0 || n == 0)
        return;
    size_t j = 0;
    while (j + 1 < n && s->E[j + 1] <= R)
        j++;
    dy[j] += rate;
}

static int toy_rhs(void *st, struct exsol_kwn_ctx *c, double t, const double *y0, double *dy)
{
    struct toy *s = st;
    const struct exsol_kwn_model *m = c->m;
    size_t nc = s->nc;
    const double *y = y0;
    if (c->clamp) {
        for (size_t i = 0; i < s->neq; i++)
            s->work[i] = (i < 2 * nc && y0[i] < 0.0) ? 0.0 : y0[i];
        y = s->work;
    }
    double aphi = m->alpha * toy_phi(s, c, y, 0);
    double xav = exsol_kwn_model_xav(m, aphi);
    double v[512];
    if (nc + 1 > sizeof v / sizeof v[0])
        return -1;
    for (size_t k = 0; k <= nc; k++)
        v[k] = s->coef[k] * (xav - s->xi[k]);
    memset(dy, 0, s->neq * sizeof *dy);
    toy_advect(s, y, nc, v, dy);
    toy_advect(s, y + nc, s->kcap, v, dy + nc);
    double Rn;
    double Js = exsol_kwn_model_nucleation(m, xav, m->p->x_eq, m->p->f_surface, t, &Rn);
    toy_source(s, dy, nc, Rn, Js * m->N0s_sc);
    double Jb = exsol_kwn_model_nucleation(m, xav, m->p->x_eq, m->p->f_buried, t, &Rn);
    toy_source(s, dy + nc, s->kcap, Rn, Jb * m->N0b_sc);
    dy[2 * nc] = exsol_kwn_model_oxygen_rate(m, aphi, y[2 * nc]);
    return 0;
}

/* Coarse bin j -> output bins 2j, 2j+1: a + b = N and a V(c_2j) + b V(c_2j+1) = N V(C_j). */
static void toy_split(const struct toy *s, size_t j, double N, double *out)
{
    double v0 = exsol_kwn_sphere_volume(s->oc[2 * j]);
    double v1 = exsol_kwn_sphere_volume(s->oc[2 * j + 1]);
    double b = N * (s->V[j] - v0) / (v1 - v0);
    out[2 * j] = N - b;
    out[2 * j + 1] = b;
}

static void toy_remap(void *st, const struct exsol_kwn_ctx *c, const double *y, double *surface,
                      double *buried)
{
    struct toy *s = st;
    for (size_t j = 0; j < s->nc; j++) {
        toy_split(s, j, fmax(y[j], 0.0) * NSC, surface);
        toy_split(s, j, fmax(y[s->nc + j], 0.0) * NSC / c->m->L, buried);
    }
}

static const struct exsol_kwn_scheme_type toy_scheme = {
    .name = "coarse2",
    .alloc = toy_alloc,
    .init = toy_init,
    .initial = toy_initial,
    .phi = toy_phi,
    .rhs = toy_rhs,
    .remap = toy_remap,
    .free = toy_free,
};

/* ---- the checks ---------------------------------------------------------- */

static void seed_problem(struct exsol_kwn_problem *p, const double *dtab, size_t nd)
{
    *p = (struct exsol_kwn_problem){0};
    p->T_K = 823.15;
    p->t_end_s = 5 * 3600.0;
    p->L_m = 30e-9;
    p->D_m2_s = 5e-20;
    p->z = 0.1;
    p->x_eq = 4.5e-3;
    p->Vm_metal_m3_mol = 6.59e-6;
    p->a_host_m = 3.905e-10;
    p->gamma_J_m2 = 0.5;
    p->N0_surface_m2 = 1e18;
    p->N0_buried_m3 = 1e24;
    p->f_surface = p->cap_volume_factor = 0.5;
    p->f_buried = 1.0;
    p->incubation_theta = 2.0;
    p->nucleation = 1;
    p->k_chem_m_s = 1e-9;
    p->delta0 = 0.1;
    p->v_dopant = 2.0;
    p->delta_eq = dtab;
    p->n_delta_eq = nd;
}

/* Metal volume fraction of distributions on the output bins (surface m-2, buried m-3). */
static double phi_of(const struct exsol_kwn_problem *p, const double *R, const double *sf,
                     const double *bu, size_t nb)
{
    double phi = 0.0;
    for (size_t i = 0; i < nb; i++) {
        double v = exsol_kwn_sphere_volume(R[i]);
        phi += v * (p->cap_volume_factor * sf[i] / p->L_m + bu[i]);
    }
    return phi;
}

static void check_remap(const struct exsol_kwn_problem *p)
{
    struct exsol_kwn_config cfg;
    exsol_kwn_config_default(&cfg);
    size_t nb = 40;
    double edge[41], centre[40], width[40], sf[40], bu[40];
    exsol_kwn_log_grid(cfg.r_min_m, cfg.r_max_m, nb, edge, centre, width);
    struct exsol_kwn_grid g = {nb, edge, centre, width};
    size_t nd = 0;
    struct toy *s = toy_alloc(&cfg, &g, &nd);
    CHECK(s != NULL && nd == nb);
    if (!s)
        return;
    struct exsol_kwn_model m;
    struct exsol_kwn_problem q = *p;
    q.L_m = 1e-5; /* no film cap */
    exsol_kwn_model_init(&m, &q);
    struct exsol_kwn_ctx c = {&m, 0, 0};
    toy_init(s, &c);
    double y[41];
    srand(7);
    double ns = 0.0, nbur = 0.0, metal = 0.0;
    for (size_t i = 0; i < nd; i++)
        y[i] = (double)rand() / RAND_MAX;
    y[nd] = 2.9;
    for (size_t j = 0; j < s->nc; j++) {
        ns += y[j] * NSC;
        nbur += y[s->nc + j] * NSC / q.L_m;
    }
    metal = toy_phi(s, &c, y, 1);
    toy_remap(s, &c, y, sf, bu);
    double ns2 = 0.0, nb2 = 0.0;
    for (size_t i = 0; i < nb; i++) {
        ns2 += sf[i];
        nb2 += bu[i];
        CHECK(sf[i] >= 0.0 && bu[i] >= 0.0);
    }
    CHECK_CLOSE(ns2, ns, 1e-13, 0);
    CHECK_CLOSE(nb2, nbur, 1e-13, 0);
    CHECK_CLOSE(phi_of(&q, centre, sf, bu, nb), metal, 1e-12, 0);
    toy_free(s);
}

int main(void)
{
    char err[256];
    double dtab[5] = {0.02, 0.015, 0.01, 0.005, 0.001};
    struct exsol_kwn_problem p;
    seed_problem(&p, dtab, 5);
    const double NA = 6.02214076e23;
    double alpha = NA * pow(p.a_host_m, 3) / p.Vm_metal_m3_mol;

    check_remap(&p);

    /* registration */
    CHECK_EQ_INT(exsol_kwn_scheme_register(&toy_scheme, err, sizeof err), EXSOL_OK);
    CHECK_EQ_INT(exsol_kwn_scheme_register(&toy_scheme, err, sizeof err), EXSOL_EVALUE);
    struct exsol_kwn_scheme_type bad = toy_scheme;
    bad.name = "incomplete";
    bad.remap = NULL;
    CHECK_EQ_INT(exsol_kwn_scheme_register(&bad, err, sizeof err), EXSOL_EVALUE);
    bad = toy_scheme; /* events in part: roots without event */
    bad.name = "half-events";
    bad.nroots = 1;
    CHECK_EQ_INT(exsol_kwn_scheme_register(&bad, err, sizeof err), EXSOL_EVALUE);
    CHECK(exsol_kwn_scheme_count() == 3);
    CHECK(strcmp(exsol_kwn_scheme_name(0), "fixedbin") == 0);
    CHECK(strcmp(exsol_kwn_scheme_name(1), "movingbin") == 0);
    CHECK(strcmp(exsol_kwn_scheme_name(2), "coarse2") == 0);
    CHECK(exsol_kwn_scheme_name(3) == NULL);

    /* an unknown scheme */
    struct exsol_kwn_config cfg;
    exsol_kwn_config_default(&cfg);
    exsol_kwn_solver *s = NULL;
    cfg.scheme = "no-such-scheme";
    err[0] = '\0';
    CHECK_EQ_INT(exsol_kwn_solver_create(&cfg, &s, err, sizeof err), EXSOL_EUNKNOWN);
    CHECK(s == NULL);
    CHECK(strstr(err, "no-such-scheme") != NULL);

    /* the toy on the seed problem */
    exsol_kwn_config_default(&cfg);
    cfg.nbins = 60;
    cfg.keep_history = 1;
    cfg.scheme = "coarse2";
    CHECK_EQ_INT(exsol_kwn_solver_create(&cfg, &s, err, sizeof err), EXSOL_OK);
    if (s) {
        CHECK(strcmp(exsol_kwn_solver_scheme(s), "coarse2") == 0);
        struct exsol_kwn_result r;
        CHECK_EQ_INT(exsol_kwn_solve(s, &p, 0.5e-9, &r, err, sizeof err), EXSOL_OK);
        CHECK_EQ_INT(r.status, 0);
        if (r.status != 0)
            fprintf(stderr, "toy scheme: %s\n", r.reason);
        size_t nb = r.nbins;
        CHECK_EQ_INT(nb, 60);
        double *times = malloc(cfg.ntimes * sizeof(double));
        exsol_kwn_output_times(&cfg, times);
        CHECK(times && memcmp(times, r.time_frac, cfg.ntimes * sizeof(double)) == 0);
        free(times);
        const double *R = exsol_kwn_radius(s);
        int neg = 0;
        double worst = 0.0;
        for (size_t k = 0; k < r.ntimes && r.status == 0; k++) {
            const double *sf = r.hist + k * 2 * nb, *bu = sf + nb;
            for (size_t i = 0; i < 2 * nb; i++)
                neg += (sf[i] < 0.0);
            double phi = phi_of(&p, R, sf, bu, nb);
            double aphi = alpha * phi;
            double bal = r.xbar_t[k] * (1.0 - aphi) + aphi;
            double e = fabs(bal - p.z) / p.z;
            if (e > worst)
                worst = e;
            CHECK(r.f_t[k] >= 0.0 && r.f_t[k] <= 1.0);
            CHECK(isfinite(r.delta_t[k]));
        }
        CHECK_EQ_INT(neg, 0);
        CHECK(worst <= 1e-10);
        if (worst > 1e-10)
            fprintf(stderr, "toy scheme: dopant balance off by %.3g\n", worst);
        /* it did something: the seed film exsolves */
        CHECK(r.status == 0 && r.f_t[r.ntimes - 1] > 0.1);
        CHECK(r.status == 0 && r.ns_t[r.ntimes - 1] > 0.0);
        exsol_kwn_result_release(&r);
        exsol_kwn_solver_destroy(s);
    }

    /* "fixedbin", NULL and "" are the default */
    const char *names[] = {"fixedbin", NULL, ""};
    struct exsol_kwn_result ref = {0};
    for (int i = 0; i < 3; i++) {
        exsol_kwn_config_default(&cfg);
        cfg.scheme = names[i];
        s = NULL;
        CHECK_EQ_INT(exsol_kwn_solver_create(&cfg, &s, err, sizeof err), EXSOL_OK);
        if (!s)
            continue;
        CHECK(strcmp(exsol_kwn_solver_scheme(s), "fixedbin") == 0);
        struct exsol_kwn_result r;
        CHECK_EQ_INT(exsol_kwn_solve(s, &p, 0.5e-9, &r, err, sizeof err), EXSOL_OK);
        if (i == 0) {
            ref = r;
        } else {
            CHECK(memcmp(r.f_t, ref.f_t, r.ntimes * sizeof(double)) == 0);
            CHECK(memcmp(r.surface, ref.surface, r.nbins * sizeof(double)) == 0);
            exsol_kwn_result_release(&r);
        }
        exsol_kwn_solver_destroy(s);
    }
    exsol_kwn_result_release(&ref);
    return check_report("test_kwn_scheme");
}
