/* The KWN driver: the solver object, the output radius bins and times, CVODE and
 * the results (exsol/kwn.h). The model is in model.c, the discretisation of the
 * size distributions in the scheme selected by exsol_kwn_config.scheme
 * (schemes.c); this file never looks inside a scheme's state. */
#include "exsol/error.h"
#include "exsol/nvector_fast.h"
#include "exsol/sundials_compat.h"
#include "scheme.h"

#include <cvode/cvode.h>
#include <cvode/cvode_ls.h>
#include <math.h>
#include <nvector/nvector_serial.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

struct exsol_kwn_solver {
    struct exsol_kwn_config cfg;
    const struct exsol_kwn_scheme_type *type;
    void *sch;                     /* the scheme's state */
    size_t nb;                     /* output radius bins */
    size_t n_dist, neq;            /* scheme unknowns; + the oxygen state */
    double *edge, *centre, *width; /* the output bins */
    struct exsol_kwn_grid grid;
    double *surf_w, *bur_w; /* work: distributions on the output bins */
    /* per problem */
    struct exsol_kwn_model model;
    struct exsol_kwn_ctx c;
    double rdet;
    int dense;                      /* dense matrix, CVODE difference quotients */
    N_Vector y, abstol, cons, yout; /* yout: interpolated outputs */
    double *atw;                    /* work: state-following absolute tolerances */
    SUNContext ctx;
    void *cv;
    SUNMatrix A;
    SUNLinearSolver LS;
    char last_msg[200];         /* last CVODE error message */
    struct exsol_kwn_stats acc; /* CVODE's counters before its last re-initialisation */
    int *rootsfound;            /* [2 + scheme roots] */
};

void exsol_kwn_config_default(struct exsol_kwn_config *c)
{
    c->nbins = 120;
    c->r_min_m = 0.2e-9;
    c->r_max_m = 150e-9;
    c->rtol = 1e-6;
    c->atol_bins = 1e11;
    c->atol_oxygen = 1e-10;
    c->atol_phi = 1e-7;
    c->atol_pop_rel = 0.0;
    c->atol_bins_floor = 1e6;
    c->limiter_noise = 0.0;
    c->max_steps = 20000;
    c->h_init_s = 1e-6;
    c->ntimes = 33;
    c->t_first_frac = 1e-4;
    c->dense_fd = 0;
    c->keep_history = 0;
    c->max_order = 2;
    c->newton_conv_coef = 0.1;
    c->r_upwind1_m = 0.5e-9;
    c->scheme = "fixedbin";
    c->mb_classes = 64;
    c->mb_birth_frac = 0.05;
    c->mb_birth_share = 0.02;
    c->mb_birth_logtime = 0.1;
    c->mb_r_gone_m = 0.45e-9;
    c->alloy = 0;
}

void exsol_kwn_output_times(const struct exsol_kwn_config *cfg, double *time_frac)
{
    size_t nt = cfg->ntimes;
    double lf = log10(cfg->t_first_frac);
    for (size_t k = 0; k < nt; k++)
        time_frac[k] = (k + 1 == nt) ? 1.0 : pow(10.0, lf - lf * (double)k / (double)(nt - 1));
}

void exsol_kwn_log_grid(double r_min_m, double r_max_m, size_t n, double *edge, double *centre,
                        double *width)
{
    double lr = log(r_max_m / r_min_m) / (double)n;
    for (size_t k = 0; k <= n; k++)
        edge[k] = r_min_m * exp(lr * (double)k);
    for (size_t i = 0; i < n; i++) {
        centre[i] = 0.5 * (edge[i] + edge[i + 1]);
        width[i] = edge[i + 1] - edge[i];
    }
}

const double *exsol_kwn_radius(const exsol_kwn_solver *s)
{
    return s->centre;
}
const double *exsol_kwn_width(const exsol_kwn_solver *s)
{
    return s->width;
}
const char *exsol_kwn_solver_scheme(const exsol_kwn_solver *s)
{
    return s->type->name;
}

/* ---- CVODE callbacks: the scheme's hooks ---------------------------------- */

static int cv_rhs(sunrealtype t, N_Vector yv, N_Vector ydot, void *ud)
{
    exsol_kwn_solver *s = ud;
    return s->type->rhs(s->sch, &s->c, t, N_VGetArrayPointer(yv), N_VGetArrayPointer(ydot));
}

static int cv_jac(sunrealtype t, N_Vector yv, N_Vector fy, SUNMatrix J, void *ud, N_Vector t1,
                  N_Vector t2, N_Vector t3)
{
    (void)t2;
    (void)t3;
    exsol_kwn_solver *s = ud;
    return s->type->jac(s->sch, &s->c, t, N_VGetArrayPointer(yv), N_VGetArrayPointer(fy), J,
                        N_VGetArrayPointer(t1));
}

/* γ of the Newton matrix, for a scheme's linear solver. */
static int current_gamma(void *arg, double *g)
{
    exsol_kwn_solver *s = arg;
    sunrealtype gr;
    if (CVodeGetCurrentGamma(s->cv, &gr) != CV_SUCCESS)
        return -1;
    *g = gr;
    return 0;
}

/* g_i = f − (½, 0.9)·f_ex: the times at which half and 90 % of the exsolvable
 * dopant has left the lattice are their first sign changes (CVODE root-finding;
 * in one-step mode it searches each whole step, so the roots, too, do not depend
 * on anyone's output times). */
static int cv_roots(sunrealtype t, N_Vector yv, sunrealtype *g, void *ud)
{
    (void)t;
    exsol_kwn_solver *s = ud;
    const double *y = N_VGetArrayPointer(yv);
    const struct exsol_kwn_model *m = &s->model;
    if (!(m->f_ex > 0.0) || !(m->p->z > 0.0)) {
        g[0] = g[1] = 1.0;
        return 0;
    }
    double f = m->alpha * s->type->phi(s->sch, &s->c, y, 0) / m->p->z;
    g[0] = f - 0.5 * m->f_ex;
    g[1] = f - 0.9 * m->f_ex;
    return 0;
}

/* CVODE's error weights 1/(rtol |y_i| + atol_i) with the scheme's state-following
 * absolute tolerances (exsol_kwn_config.atol_pop_rel; the oxygen keeps its own). */
static int cv_ewt(N_Vector yv, N_Vector wv, void *ud)
{
    exsol_kwn_solver *s = ud;
    const double *y = N_VGetArrayPointer(yv);
    const double *at0 = N_VGetArrayPointer(s->abstol);
    double *w = N_VGetArrayPointer(wv);
    s->type->state_atol(s->sch, &s->c, y, at0, s->atw);
    s->atw[s->n_dist] = at0[s->n_dist];
    for (size_t i = 0; i < s->neq; i++) {
        double d = s->cfg.rtol * fabs(y[i]) + s->atw[i];
        if (!(d > 0.0))
            return -1;
        w[i] = 1.0 / d;
    }
    return 0;
}

/* The absolute tolerances of a (re-)initialised integration: static, or following
 * the state. */
static int set_tolerances(exsol_kwn_solver *s)
{
    if (s->atw)
        return CVodeWFtolerances(s->cv, cv_ewt);
    return CVodeSVtolerances(s->cv, s->cfg.rtol, s->abstol);
}

/* The driver's two roots, then the scheme's (its events). */
static int cv_roots_all(sunrealtype t, N_Vector yv, sunrealtype *g, void *ud)
{
    exsol_kwn_solver *s = ud;
    cv_roots(t, yv, g, ud);
    return s->type->roots(s->sch, &s->c, t, N_VGetArrayPointer(yv), g + 2);
}

/* ---- lifecycle ---------------------------------------------------------- */

void exsol_kwn_solver_destroy(exsol_kwn_solver *s)
{
    if (!s)
        return;
    if (s->cv)
        CVodeFree(&s->cv);
    if (s->LS)
        SUNLinSolFree(s->LS);
    if (s->A)
        SUNMatDestroy(s->A);
    N_Vector vs[] = {s->y, s->abstol, s->cons, s->yout};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
        if (vs[i])
            N_VDestroy(vs[i]);
    if (s->ctx)
        SUNContext_Free(&s->ctx);
    if (s->type)
        s->type->free(s->sch);
    free(s->edge);
    free(s->centre);
    free(s->width);
    free(s->surf_w);
    free(s->bur_w);
    free(s->rootsfound);
    free(s->atw);
    free(s);
}

int exsol_kwn_solver_create(const struct exsol_kwn_config *cfg, exsol_kwn_solver **out,
                            char *err, size_t errlen)
{
    *out = NULL;
    if (cfg->nbins < 10 || !(cfg->r_min_m > 0.0) || !(cfg->r_max_m > cfg->r_min_m) ||
        !(cfg->rtol > 0.0) || !(cfg->atol_bins > 0.0) || !(cfg->atol_oxygen > 0.0) ||
        !(cfg->atol_phi > 0.0) || !(cfg->atol_pop_rel >= 0.0 && cfg->atol_pop_rel < 1.0) ||
        !(cfg->atol_bins_floor > 0.0) || !(cfg->limiter_noise >= 0.0) || cfg->ntimes < 2 ||
        !(cfg->h_init_s > 0.0) || !(cfg->t_first_frac > 0.0 && cfg->t_first_frac < 1.0) ||
        cfg->max_order < 1 || cfg->max_order > 5 ||
        !(cfg->newton_conv_coef > 0.0 && cfg->newton_conv_coef <= 1.0) ||
        !(cfg->r_upwind1_m >= 0.0) || cfg->mb_classes < 3 ||
        !(cfg->mb_birth_frac > 0.0 && cfg->mb_birth_frac <= 1.0) ||
        !(cfg->mb_birth_share > 0.0 && cfg->mb_birth_share <= 1.0) ||
        !(cfg->mb_birth_logtime > 0.0) || !(cfg->mb_r_gone_m >= 0.0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "invalid KWN configuration");
    const struct exsol_kwn_scheme_type *type = exsol_kwn_scheme_find(cfg->scheme);
    if (!type)
        return exsol_seterr(err, errlen, EXSOL_EUNKNOWN, "unknown KWN scheme '%s'",
                            cfg->scheme);
    if (cfg->alloy && (!type->alloy || !type->solute2))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "KWN scheme '%s' has no two-solute (alloy) model", type->name);
    exsol_kwn_solver *s = calloc(1, sizeof *s);
    if (!s)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    s->cfg = *cfg;
    s->cfg.scheme = type->name; /* the caller's string need not outlive the call */
    size_t nb = cfg->nbins;
    s->nb = nb;
    s->edge = malloc((nb + 1) * sizeof(double));
    s->centre = malloc(nb * sizeof(double));
    s->width = malloc(nb * sizeof(double));
    s->surf_w = malloc(nb * sizeof(double));
    s->bur_w = malloc(nb * sizeof(double));
    s->rootsfound = calloc(2 + type->nroots, sizeof(int));
    if (!s->edge || !s->centre || !s->width || !s->surf_w || !s->bur_w || !s->rootsfound)
        goto nomem;
    exsol_kwn_log_grid(cfg->r_min_m, cfg->r_max_m, nb, s->edge, s->centre, s->width);
    s->grid = (struct exsol_kwn_grid){nb, s->edge, s->centre, s->width};
    s->sch = type->alloc(&s->cfg, &s->grid, &s->n_dist);
    if (!s->sch)
        goto nomem;
    s->type = type;
    s->neq = s->n_dist + 1;
    s->c.m = &s->model;
    s->dense = cfg->dense_fd || !type->linsol;
    if (exsol_sun_context_create(&s->ctx) != 0)
        goto nomem;
    sunindextype n = (sunindextype)s->neq;
    s->y = N_VNew_Serial(n, s->ctx);
    s->abstol = N_VNew_Serial(n, s->ctx);
    s->cons = N_VNew_Serial(n, s->ctx);
    s->yout = N_VNew_Serial(n, s->ctx);
    if (!s->y || !s->abstol || !s->cons || !s->yout)
        goto nomem;
    if (cfg->atol_pop_rel > 0.0 && type->state_atol) {
        s->atw = malloc(s->neq * sizeof *s->atw);
        if (!s->atw)
            goto nomem;
    }
    exsol_nv_fast_ops(s->y);
    s->cv = CVodeCreate(CV_BDF, s->ctx);
    if (!s->cv)
        goto nomem;
    N_VConst(0.0, s->y);
    if (CVodeInit(s->cv, cv_rhs, 0.0, s->y) != CV_SUCCESS)
        goto fail;
    if (s->dense) {
        s->A = SUNDenseMatrix(n, n, s->ctx);
        if (!s->A)
            goto nomem;
        s->LS = SUNLinSol_Dense(s->y, s->A, s->ctx);
        if (!s->LS)
            goto nomem;
        if (CVodeSetLinearSolver(s->cv, s->LS, s->A) != CV_SUCCESS)
            goto fail;
    } else {
        if (type->linsol(s->sch, s->ctx, current_gamma, s, &s->A, &s->LS) != 0)
            goto nomem;
        if (CVodeSetLinearSolver(s->cv, s->LS, s->A) != CV_SUCCESS)
            goto fail;
        if (CVodeSetJacFn(s->cv, cv_jac) != CV_SUCCESS)
            goto fail;
    }
    /* no CVodeSetMaxNumSteps: in one-step mode every call takes one step; integrate()
     * enforces max_steps between each anneal's own output times */
    if (CVodeSetUserData(s->cv, s) != CV_SUCCESS ||
        CVodeRootInit(s->cv, 2 + (int)type->nroots, type->roots ? cv_roots_all : cv_roots) !=
            CV_SUCCESS)
        goto fail;
    *out = s;
    return EXSOL_OK;
nomem:
    exsol_kwn_solver_destroy(s);
    return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory creating the KWN solver");
fail:
    exsol_kwn_solver_destroy(s);
    return exsol_seterr(err, errlen, EXSOL_ESOLVER, "CVODE set-up failed");
}

void exsol_kwn_result_release(struct exsol_kwn_result *r)
{
    if (!r)
        return;
    double **a[] = {&r->time_frac, &r->f_t,  &r->phi_t, &r->xbar_t,   &r->delta_t, &r->ns_t,
                    &r->ds_t,      &r->nb_t, &r->db_t,  &r->radius_m, &r->width_m, &r->surface,
                    &r->buried,    &r->hist, &r->f2_t,  &r->x2s_t,    &r->x2b_t};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) {
        free(*a[i]);
        *a[i] = NULL;
    }
}

static int result_alloc(struct exsol_kwn_result *r, size_t nt, size_t nb, int hist, int alloy)
{
    memset(r, 0, sizeof *r);
    r->ntimes = nt;
    r->nbins = nb;
    double **a[] = {&r->time_frac, &r->f_t,  &r->phi_t, &r->xbar_t, &r->delta_t,
                    &r->ns_t,      &r->ds_t, &r->nb_t,  &r->db_t};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        if (!(*a[i] = calloc(nt, sizeof(double))))
            return -1;
    if (!(r->radius_m = calloc(nb, sizeof(double))) ||
        !(r->width_m = calloc(nb, sizeof(double))) ||
        !(r->surface = calloc(nb, sizeof(double))) || !(r->buried = calloc(nb, sizeof(double))))
        return -1;
    if (hist && !(r->hist = calloc(nt * 2 * nb, sizeof(double))))
        return -1;
    if (alloy &&
        (!(r->f2_t = calloc(nt, sizeof(double))) || !(r->x2s_t = calloc(nt, sizeof(double))) ||
         !(r->x2b_t = calloc(nt, sizeof(double)))))
        return -1;
    return 0;
}

/* Records the state at output index k. Interpolated outputs can hold tiny
 * negative bins (CVODE enforces the constraints on steps, not on interpolants):
 * everything reported uses the positive parts, and x̄ follows from the closure
 * with the φ of the reported distributions, so the balance holds for them. */
static void record(exsol_kwn_solver *s, const double *y, struct exsol_kwn_result *r, size_t k)
{
    size_t nb = s->nb;
    double phi = s->type->phi(s->sch, &s->c, y, 1);
    r->phi_t[k] = phi;
    if (s->cfg.alloy) { /* solute 2 of each population, clamped to its metal */
        double y2[2], pp[2];
        s->type->solute2(s->sch, &s->c, y, y2, pp);
        exsol_kwn_model_report_alloy(&s->model, phi, y2[0] + y2[1], y[s->n_dist], &r->f_t[k],
                                     &r->xbar_t[k], &r->delta_t[k]);
        double al = s->model.alpha;
        r->f2_t[k] = (y2[0] + y2[1]) / s->model.p->z2;
        r->x2s_t[k] = pp[0] > 0.0 ? y2[0] / (al * pp[0]) : NAN;
        r->x2b_t[k] = pp[1] > 0.0 ? y2[1] / (al * pp[1]) : NAN;
    } else {
        exsol_kwn_model_report(&s->model, phi, y[s->n_dist], &r->f_t[k], &r->xbar_t[k],
                               &r->delta_t[k]);
    }
    double *sf = s->surf_w, *bu = s->bur_w;
    s->type->remap(s->sch, &s->c, y, sf, bu);
    double ns = 0, ms = 0, nbv = 0, mb = 0;
    for (size_t i = 0; i < nb; i++) {
        if (s->centre[i] < s->rdet)
            continue;
        double a = sf[i], b = bu[i];
        ns += a;
        ms += a * 2.0 * s->centre[i];
        nbv += b;
        mb += b * 2.0 * s->centre[i];
    }
    r->ns_t[k] = ns;
    r->ds_t[k] = ns > 0 ? ms / ns : 0.0;
    r->nb_t[k] = nbv;
    r->db_t[k] = nbv > 0 ? mb / nbv : 0.0;
    if (r->hist)
        for (size_t i = 0; i < nb; i++) {
            r->hist[k * 2 * nb + i] = sf[i];
            r->hist[k * 2 * nb + nb + i] = bu[i];
        }
}

static void cv_silent(int code, const char *module, const char *function, char *msg, void *ud)
{
    (void)code;
    (void)module;
    (void)function;
    exsol_kwn_solver *s = ud;
    snprintf(s->last_msg, sizeof s->last_msg, "%s", msg);
}

/* One anneal end of a shared trajectory (exsol_kwn_solve_multi). */
struct member {
    double t_end;
    struct exsol_kwn_result *r;
    size_t next;     /* next output index */
    long steps_mark; /* steps taken when its previous output time was passed */
    int active;      /* 1 while it still needs the integration */
};

static void snapshot_stats(exsol_kwn_solver *s, struct exsol_kwn_stats *st, long cf0)
{
    long v;
    CVodeGetNumSteps(s->cv, &v);
    st->steps = s->acc.steps + v;
    CVodeGetNumRhsEvals(s->cv, &v);
    st->rhs_evals = s->acc.rhs_evals + v + s->c.extra_rhs;
    CVodeGetNumJacEvals(s->cv, &v);
    st->jac_evals = s->acc.jac_evals + v;
    CVodeGetNumErrTestFails(s->cv, &v);
    st->err_test_fails = s->acc.err_test_fails + v;
    CVodeGetNumNonlinSolvConvFails(s->cv, &v);
    st->conv_fails = s->acc.conv_fails + v;
    CVodeGetNumLinSolvSetups(s->cv, &v);
    st->lin_setups = s->acc.lin_setups + v;
    CVodeGetNumStepSolveFails(s->cv, &v);
    st->step_fails = s->acc.step_fails + v;
    st->constraint_fails = exsol_nv_minquotient_calls() - cf0;
}

/* Records the outputs of every active member up to time t (in the last step),
 * ending the members whose anneal is over; nst is the steps taken so far. */
static void pass_outputs(exsol_kwn_solver *s, struct member *mem, size_t nm, double t, long nst,
                         const double *roots, size_t *nactive, long cf0)
{
    const struct exsol_kwn_config *cfg = &s->cfg;
    size_t nt = cfg->ntimes;
    double *yo = N_VGetArrayPointer(s->yout);
    for (size_t j = 0; j < nm; j++) {
        struct member *m = &mem[j];
        if (!m->active)
            continue;
        struct exsol_kwn_result *r = m->r;
        while (m->next < nt) {
            size_t k = m->next;
            double tout = (k + 1 == nt) ? m->t_end : r->time_frac[k] * m->t_end;
            if (tout > t)
                break;
            if (CVodeGetDky(s->cv, tout, 0, s->yout) != CV_SUCCESS)
                break; /* cannot happen for tout in the last step; fails the member below */
            record(s, yo, r, k);
            m->steps_mark = nst;
            m->next++;
        }
        if (m->next == nt) { /* its anneal is over: final state, roots, statistics */
            s->type->remap(s->sch, &s->c, yo, r->surface, r->buried);
            r->t_half_s = roots[0] <= m->t_end ? roots[0] : NAN;
            r->t_90_s = roots[1] <= m->t_end ? roots[1] : NAN;
            snapshot_stats(s, &r->stats, cf0);
            m->active = 0;
            (*nactive)--;
        } else if (nst - m->steps_mark > cfg->max_steps ||
                   (m->next < nt && m->t_end * r->time_frac[m->next] <= t)) {
            if (nst - m->steps_mark > cfg->max_steps)
                snprintf(r->reason, sizeof r->reason,
                         "CVODE failed at t = %.4g s: more than %ld steps between output "
                         "times (max_steps)",
                         t, cfg->max_steps);
            else
                snprintf(r->reason, sizeof r->reason,
                         "CVODE could not interpolate at t = %.4g s", t);
            r->status = 1;
            snapshot_stats(s, &r->stats, cf0);
            m->active = 0;
            (*nactive)--;
        }
    }
}

/* One integration attempt from t = 0 (with or without positivity constraints):
 * the active members' common trajectory, to the latest of their ends.
 * CVODE steps on its own (CV_ONE_STEP, a fixed first step, no stop time), so the
 * sequence of steps does not depend on any member's end or output times: every
 * output is CVODE's interpolant at that time, CVODE's root-finding searches each
 * whole step, and a member's statistics are the counters when the step that
 * passes its end is done. A member therefore gets the same bytes whether it is
 * integrated alone or with others that differ only in t_end. */
static int integrate(exsol_kwn_solver *s, struct member *mem, size_t nm, int constrained)
{
    const struct exsol_kwn_config *cfg = &s->cfg;
    size_t nd = s->n_dist;
    double *y = N_VGetArrayPointer(s->y);
    double *at = N_VGetArrayPointer(s->abstol);
    double *cn = N_VGetArrayPointer(s->cons);
    s->c.clamp = !constrained;
    s->c.extra_rhs = 0;
    memset(&s->acc, 0, sizeof s->acc);
    long cf0 = exsol_nv_minquotient_calls();
    s->last_msg[0] = '\0';
    double t_max = 0.0;
    size_t nactive = 0;
    for (size_t j = 0; j < nm; j++) {
        if (!mem[j].active)
            continue;
        struct exsol_kwn_result *r = mem[j].r;
        r->status = 0;
        r->reason[0] = '\0';
        r->t_half_s = r->t_90_s = NAN;
        mem[j].next = 0;
        mem[j].steps_mark = 0;
        if (mem[j].t_end > t_max)
            t_max = mem[j].t_end;
        nactive++;
    }
    s->type->initial(s->sch, &s->c, y, at, cn);
    double aphi0 = s->model.alpha * s->type->phi(s->sch, &s->c, y, 0);
    /* q̃ from δ′ = δ0 at the initial f */
    y[nd] = exsol_kwn_model_oxygen_initial(&s->model, aphi0);
    at[nd] = cfg->atol_oxygen;
    cn[nd] = 0.0;
    int flag = CVodeReInit(s->cv, 0.0, s->y);
    if (flag == CV_SUCCESS)
        flag = set_tolerances(s);
    if (flag == CV_SUCCESS)
        flag = CVodeSetConstraints(s->cv, constrained ? s->cons : NULL);
    if (flag == CV_SUCCESS)
        flag = CVodeSetInitStep(s->cv, cfg->h_init_s);
    if (flag == CV_SUCCESS)
        flag = CVodeSetErrHandlerFn(s->cv, cv_silent, s);
    if (flag == CV_SUCCESS)
        flag = CVodeSetMaxOrd(s->cv, cfg->max_order);
    /* Refactor the Newton matrix I − γJ every step (the Jacobian itself is kept
     * until CVODE asks for a new one): with the O(N) bordered-band solver this is
     * cheap, and keeping γ current removed most Newton failures (bench grid: 1/3
     * fewer steps and RHS evaluations, 1/4 of the Jacobian evaluations). */
    if (flag == CV_SUCCESS)
        flag = CVodeSetLSetupFrequency(s->cv, s->dense ? 20 : 1);
    /* Newton convergence coefficient (default 0.1 = CVODE's). With the limiter on
     * in the dissolving bins a tight 0.03 paid off (fewer failed steps); since
     * those bins are first order (r_upwind1) the iterations converge reliably and
     * the standard test saves iterations: bench grid 0.03 -> 0.1: 17 % fewer RHS
     * evaluations, outputs within 0.08 %. 0.15 saves 10 % more CPU but moves the
     * nucleation-limited calibration rows by up to 3 % (wetting angle 100°). */
    if (flag == CV_SUCCESS)
        flag = CVodeSetNonlinConvCoef(s->cv, cfg->newton_conv_coef);
    if (flag != CV_SUCCESS)
        return EXSOL_ESOLVER;
    double roots[2] = {NAN, NAN};
    while (nactive > 0) {
        double t;
        flag = CVode(s->cv, t_max, s->y, &t, CV_ONE_STEP);
        if (flag < 0) {
            char *name = CVodeGetReturnFlagName(flag);
            for (size_t j = 0; j < nm; j++) {
                if (!mem[j].active)
                    continue;
                struct exsol_kwn_result *r = mem[j].r;
                snprintf(r->reason, sizeof r->reason, "CVODE failed at t = %.4g s: %s%s%.80s",
                         t, name ? name : "?", s->last_msg[0] ? ": " : "", s->last_msg);
                r->status = 1;
                snapshot_stats(s, &r->stats, cf0);
                mem[j].active = 0;
            }
            free(name);
            break;
        }
        if (flag == CV_ROOT_RETURN) { /* inside the last step; the next call returns its end */
            int *rf = s->rootsfound;
            CVodeGetRootInfo(s->cv, rf);
            for (int i = 0; i < 2; i++)
                if (rf[i] != 0 && isnan(roots[i]))
                    roots[i] = t;
            int ev = 0;
            for (size_t i = 0; i < s->type->nroots; i++)
                ev |= rf[2 + i] != 0;
            if (!ev)
                continue;
            /* a scheme event: the outputs up to it, then the scheme rewrites its
             * state and CVODE starts again there, with the last step size */
            long nst;
            CVodeGetNumSteps(s->cv, &nst);
            pass_outputs(s, mem, nm, t, s->acc.steps + nst, roots, &nactive, cf0);
            if (nactive == 0)
                break;
            if (s->type->event(s->sch, &s->c, t, y, at, rf + 2) != 1)
                continue;
            double h;
            struct exsol_kwn_stats now;
            snapshot_stats(s, &now, cf0);
            now.rhs_evals -= s->c.extra_rhs;
            now.constraint_fails = 0;
            s->acc = now;
            flag = CVodeGetLastStep(s->cv, &h);
            if (flag == CV_SUCCESS)
                flag = CVodeReInit(s->cv, t, s->y);
            if (flag == CV_SUCCESS)
                flag = set_tolerances(s);
            if (flag == CV_SUCCESS)
                flag = CVodeSetInitStep(s->cv, h);
            if (flag != CV_SUCCESS)
                return EXSOL_ESOLVER;
            continue;
        }
        long nst;
        CVodeGetNumSteps(s->cv, &nst);
        pass_outputs(s, mem, nm, t, s->acc.steps + nst, roots, &nactive, cf0);
    }
    return EXSOL_OK;
}

int exsol_kwn_solve_multi(exsol_kwn_solver *s, const struct exsol_kwn_problem *p,
                          const double *t_end_s, size_t n, double r_detect_m,
                          struct exsol_kwn_result *res, char *err, size_t errlen)
{
    const struct exsol_kwn_config *cfg = &s->cfg;
    size_t nb = s->nb;
    for (size_t j = 0; j < n; j++)
        memset(&res[j], 0, sizeof res[j]);
    int bad_t = 0;
    for (size_t j = 0; j < n; j++) {
        if (!(t_end_s[j] > 0) || !isfinite(t_end_s[j]))
            bad_t = 1;
        if (result_alloc(&res[j], cfg->ntimes, nb, cfg->keep_history, cfg->alloy) != 0) {
            for (size_t i = 0; i <= j; i++)
                exsol_kwn_result_release(&res[i]);
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        }
        res[j].t_half_s = res[j].t_90_s = NAN;
    }
    if (n == 0 || bad_t || !exsol_kwn_problem_valid(p) || !p->alloy != !cfg->alloy) {
        for (size_t j = 0; j < n; j++)
            exsol_kwn_result_release(&res[j]);
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "invalid KWN problem");
    }
    exsol_kwn_model_init(&s->model, p);
    s->rdet = r_detect_m;
    s->c.extra_rhs = 0;
    int rc = s->type->init(s->sch, &s->c);
    if (rc != EXSOL_OK) {
        for (size_t j = 0; j < n; j++)
            exsol_kwn_result_release(&res[j]);
        s->model.p = NULL;
        return exsol_seterr(err, errlen, rc, "KWN scheme '%s': problem set-up failed",
                            s->type->name);
    }
    /* the initial particles (on the output bins) must fit in the dopant */
    if ((p->init_surface || p->init_buried) && p->z > 0) {
        size_t cap = exsol_kwn_film_cap(&s->model, s->edge, nb);
        double phi0 = 0.0;
        for (size_t i = 0; i < nb; i++) {
            double vol = exsol_kwn_sphere_volume(s->centre[i]);
            double vs = exsol_kwn_model_dphi_surface(&s->model, vol);
            double vb = (i < cap) ? exsol_kwn_model_dphi_buried(&s->model, vol) : 0.0;
            phi0 += p->init_surface ? vs * p->init_surface[i] / EXSOL_KWN_NSC : 0.0;
            phi0 += p->init_buried ? vb * p->init_buried[i] * p->L_m / EXSOL_KWN_NSC : 0.0;
        }
        if (!(s->model.alpha * phi0 < p->z + 1e-12)) {
            for (size_t j = 0; j < n; j++)
                exsol_kwn_result_release(&res[j]);
            s->model.p = NULL;
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "initial particles hold more than the dopant");
        }
    }
    struct member *mem = malloc(n * sizeof *mem);
    if (!mem) {
        for (size_t j = 0; j < n; j++)
            exsol_kwn_result_release(&res[j]);
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    }
    for (size_t j = 0; j < n; j++) {
        struct exsol_kwn_result *r = &res[j];
        for (size_t i = 0; i < nb; i++) {
            r->radius_m[i] = s->centre[i];
            r->width_m[i] = s->width[i];
        }
        exsol_kwn_output_times(cfg, r->time_frac);
        mem[j].t_end = t_end_s[j];
        mem[j].r = r;
        mem[j].active = 1;
    }
    /* Positivity constraints first; if CVODE cannot satisfy them (it happens
     * where a bin empties during fast coarsening), integrate again without them
     * for the members that were not finished: the right-hand side then sees only
     * the positive parts of the bins. */
    rc = integrate(s, mem, n, 1);
    struct exsol_kwn_stats *first = NULL;
    size_t nfail = 0;
    for (size_t j = 0; j < n; j++)
        nfail += (res[j].status != 0);
    if (rc == EXSOL_OK && nfail > 0) {
        first = malloc(n * sizeof *first);
        if (!first)
            rc = EXSOL_ENOMEM;
    }
    if (rc == EXSOL_OK && nfail > 0) {
        for (size_t j = 0; j < n; j++) {
            mem[j].active = (res[j].status != 0);
            first[j] = res[j].stats;
            if (!mem[j].active)
                first[j].steps = -1;
        }
        rc = integrate(s, mem, n, 0);
        for (size_t j = 0; j < n; j++) {
            if (first[j].steps < 0) /* not integrated twice */
                continue;
            struct exsol_kwn_stats *st = &res[j].stats;
            st->steps += first[j].steps;
            st->rhs_evals += first[j].rhs_evals;
            st->jac_evals += first[j].jac_evals;
            st->err_test_fails += first[j].err_test_fails;
            st->conv_fails += first[j].conv_fails;
            st->lin_setups += first[j].lin_setups;
            st->step_fails += first[j].step_fails;
            st->constraint_fails += first[j].constraint_fails;
        }
    }
    free(first);
    free(mem);
    s->model.p = NULL;
    if (rc != EXSOL_OK) {
        for (size_t j = 0; j < n; j++)
            exsol_kwn_result_release(&res[j]);
        return exsol_seterr(err, errlen, rc, "CVODE re-initialisation failed");
    }
    return EXSOL_OK;
}

int exsol_kwn_solve(exsol_kwn_solver *s, const struct exsol_kwn_problem *p, double r_detect_m,
                    struct exsol_kwn_result *res, char *err, size_t errlen)
{
    return exsol_kwn_solve_multi(s, p, &p->t_end_s, 1, r_detect_m, res, err, errlen);
}
