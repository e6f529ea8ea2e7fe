/* The moving-bin scheme ("movingbin"): Lagrangian size classes, each a number of
 * particles N_k of one radius R_k carried by the growth law, so nothing is
 * advected across a grid: no limiter and no numerical diffusion.
 *
 * - State: per population M class slots, (N_k, R_k) interleaved: y[off + 2k] = N_k
 *   (EXSOL_KWN_NSC m⁻², buried per film area), y[off + 2k + 1] = R_k (m); surface
 *   slots at off = 0, buried at off = 2M; y[4M] the oxygen state. Active classes
 *   are the slots [0, na) in order of birth; the last is the open class.
 * - Closed classes: dN/dt = 0, dR/dt = v(R, x_av) (model.c).
 * - Break-through: a buried class that grows to R = L/2 (diameter = thickness; a
 *   CVODE root) reaches the film surface: it becomes a closed surface class of caps
 *   with the same metal (sphere radius R/cbrt(cap factor)), as the fixed-bin scheme
 *   hands what crosses its top buried face to the surface bins; number and metal are
 *   conserved.
 * - The open class takes the nucleation: dN/dt = J N0 and, with the new particles
 *   entering at R_nuc, the volume moment N R³ gains J N0 R_nuc³:
 *   dR/dt = (3R²N v + J N0 (R_nuc³ − R³))/(3R²(N + ε)), exact for N ≫ ε (the
 *   metal of the class is N·V(R), so the nucleated metal is counted at R_nuc),
 *   and at rest while the class is empty and no particles nucleate.
 * - Events (CVODE roots, then a re-initialisation by the driver): a break-through; a
 *   population's open class has grown by the birth fraction β since it opened (a new open class
 *   is born at R_nuc); a class reached R_min = r_min/2 (it is removed: its metal,
 *   N·V(R_min), returns to the solute through the closure). At every event,
 *   adjacent (in birth order) closed classes closer than β/4 in ln R are merged,
 *   conserving number and metal (N = N₁ + N₂, N R³ = N₁R₁³ + N₂R₂³), and so is the
 *   closest pair when the slots are full. The event sequence depends only on the
 *   state, so shared trajectories keep their bytes.
 * - Tolerances scale with the state: at every event atol(N_k) = rtol·max(ΣN of
 *   the population, floor), atol(R_k) = rtol·R_k.
 * - Jacobian: at fixed φ it is diagonal (∂v/∂R_k) but for the open class's 2 × 2
 *   block; all rates depend on φ (rank one, its column by a forward difference);
 *   the oxygen row. The bordered-band solver (exsol/sunls_bband.h) solves it in
 *   O(M).
 * - Output: each class is shared between the two output bins whose centres
 *   bracket R, with the weights that conserve its number and its metal. */
#include "exsol/error.h"
#include "exsol/sunls_bband.h"
#include "exsol/sunmat_penta.h"
#include "scheme.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NSC EXSOL_KWN_NSC
#define EPS_N 1e-10 /* regularisation of the empty open class, EXSOL_KWN_NSC m-2 */

enum { ROOT_BIRTH_S, ROOT_GONE_S, ROOT_BIRTH_B, ROOT_GONE_B, ROOT_CAP_B, NROOTS };

struct mbpop {
    size_t off;  /* first state entry */
    size_t na;   /* active classes, slots [0, na); the last is open */
    double rref; /* radius of the open class when it opened */
    double tref; /* and the time */
};

struct movingbin {
    size_t M, neq;
    const struct exsol_kwn_grid *out;
    double beta, lbeta, lam, dmerge, eta, nfloor, rmin, rgone, rtol, atol_floor;
    struct mbpop pop[2];
    /* per problem */
    double rcap_b; /* buried classes break through the surface here (L/2) */
    double r_caps; /* ... and become surface caps of this sphere radius (same metal) */
    /* work */
    double *u, *vrow, *rrow, *ywork, *f1;
    double *sf, *bu; /* the reported distributions on the output bins */
    struct exsol_bband_terms terms;
};

/* Radius of class k (the state holds w = R²). */
static double rad(const struct mbpop *P, const double *y, size_t k)
{
    return sqrt(y[P->off + 2 * k + 1]);
}

static void set_rad(const struct mbpop *P, double *y, size_t k, double R)
{
    y[P->off + 2 * k + 1] = R * R;
}

static double pos(int clamp, double v)
{
    return (clamp && v < 0.0) ? 0.0 : v;
}

static double pop_dphi(const struct exsol_kwn_model *m, int b, double vol)
{
    return b ? exsol_kwn_model_dphi_buried(m, vol) : exsol_kwn_model_dphi_surface(m, vol);
}

static double state_phi(const struct movingbin *s, const struct exsol_kwn_model *m, int clamp,
                        const double *y)
{
    double acc = 0.0;
    for (int b = 0; b < 2; b++) {
        const struct mbpop *P = &s->pop[b];
        double a = 0.0;
        for (size_t k = 0; k < P->na; k++) {
            double R = rad(P, y, k);
            a += pos(clamp, y[P->off + 2 * k]) * exsol_kwn_sphere_volume(R);
        }
        acc += pop_dphi(m, b, a);
    }
    return acc;
}

/* Growth rate of a class at radius R, solute xav and solubility xeq. */
static double growth(const struct exsol_kwn_model *m, double R, double xav, double xeq)
{
    double xi = exsol_kwn_model_xi(m, exsol_kwn_model_gt(m, R), xeq);
    double v = exsol_kwn_model_growth_coef(m, R, xi) * (xav - xi);
    return v;
}

/* Nucleation rate (state units/s) and insertion radius of population b. */
static double nucleation(const struct exsol_kwn_model *m, int b, double xav, double xeq,
                         double t, double *Rn)
{
    const struct exsol_kwn_problem *p = m->p;
    double J = exsol_kwn_model_nucleation(m, xav, xeq, b ? p->f_buried : p->f_surface, t, Rn);
    return J * (b ? m->N0b_sc : m->N0s_sc);
}

/* dR/dt of the open class. */
static double open_rate(double N, double R, double v, double JN, double Rn)
{
    double R2 = R * R;
    double src = (JN > 0.0) ? JN * (Rn * Rn * Rn - R2 * R) : 0.0;
    return (3.0 * R2 * N * v + src) / (3.0 * R2 * (N + EPS_N));
}

static void eval_rhs(struct movingbin *s, const struct exsol_kwn_ctx *c, double t,
                     const double *y, double phi_override, double *dy)
{
    const struct exsol_kwn_model *m = c->m;
    double phi = (phi_override >= 0.0) ? phi_override : state_phi(s, m, c->clamp, y);
    double aphi = m->alpha * phi;
    double xav = exsol_kwn_model_xav(m, aphi);
    const double xeq[2] = {exsol_kwn_model_xeq(m, aphi, 0), exsol_kwn_model_xeq(m, aphi, 1)};
    memset(dy, 0, s->neq * sizeof *dy);
    for (int b = 0; b < 2; b++) {
        const struct mbpop *P = &s->pop[b];
        if (P->na == 0)
            continue;
        const double *yp = y + P->off;
        double *dp = dy + P->off;
        for (size_t k = 0; k + 1 < P->na; k++) {
            double R = sqrt(yp[2 * k + 1]);
            dp[2 * k + 1] = 2.0 * R * growth(m, R, xav, xeq[b]);
        }
        size_t k = P->na - 1;
        double Rn;
        double JN = nucleation(m, b, xav, xeq[b], t, &Rn);
        double N = pos(c->clamp, yp[2 * k]), R = sqrt(yp[2 * k + 1]);
        dp[2 * k] = JN;
        dp[2 * k + 1] = 2.0 * R * open_rate(N, R, growth(m, R, xav, xeq[b]), JN, Rn);
    }
    dy[s->neq - 1] = exsol_kwn_model_oxygen_rate(m, aphi, y[s->neq - 1]);
}

static const double *model_state(struct movingbin *s, int clamp, const double *y)
{
    if (!clamp)
        return y;
    memcpy(s->ywork, y, s->neq * sizeof *y);
    for (int b = 0; b < 2; b++)
        for (size_t k = 0; k < s->pop[b].na; k++) {
            double *n = &s->ywork[s->pop[b].off + 2 * k];
            if (*n < 0.0)
                *n = 0.0;
        }
    return s->ywork;
}

static int mb_rhs(void *st, struct exsol_kwn_ctx *c, double t, const double *y, double *dy)
{
    struct movingbin *s = st;
    eval_rhs(s, c, t, model_state(s, c->clamp, y), -1.0, dy);
    return 0;
}

static int mb_jac(void *st, struct exsol_kwn_ctx *c, double t, const double *yv,
                  const double *f0, SUNMatrix J, double *work)
{
    (void)work;
    struct movingbin *s = st;
    const struct exsol_kwn_model *m = c->m;
    const double *y = model_state(s, c->clamp, yv);
    size_t nq = s->neq - 1;
    double phi = state_phi(s, m, c->clamp, y);
    double h = 1e-7 * fmax(phi, 1e-3 * m->p->z / m->alpha);
    if (m->p->z <= 0.0)
        h = 1e-12;
    /* rank-one column d(rhs)/dφ at fixed classes, by a forward difference */
    eval_rhs(s, c, t, y, phi + h, s->f1);
    c->extra_rhs++;
    for (size_t i = 0; i < s->neq; i++)
        s->u[i] = (s->f1[i] - f0[i]) / h;
    double dq_dphi = s->u[nq];
    s->u[nq] = 0.0;
    double xav = exsol_kwn_model_xav(m, m->alpha * phi);
    const double xeq[2] = {exsol_kwn_model_xeq(m, m->alpha * phi, 0),
                           exsol_kwn_model_xeq(m, m->alpha * phi, 1)};
    SUNMatZero(J);
    memset(s->vrow, 0, nq * sizeof *s->vrow);
    for (int b = 0; b < 2; b++) {
        const struct mbpop *P = &s->pop[b];
        double c1 = pop_dphi(m, b, 1.0);
        for (size_t k = 0; k < P->na; k++) {
            size_t iN = P->off + 2 * k, iW = iN + 1;
            double N = y[iN], w = y[iW], R = sqrt(w);
            s->vrow[iN] = c1 * exsol_kwn_sphere_volume(R);
            s->vrow[iW] = c1 * N * 2.0 * 3.14159265358979323846 * R; /* ∂(4πR³/3)/∂w */
            double hw = 1e-7 * w, R1 = sqrt(w + hw);
            double v0 = growth(m, R, xav, xeq[b]), v1 = growth(m, R1, xav, xeq[b]);
            if (k + 1 < P->na) {
                *exsol_penta_at(J, iW, iW) = (2.0 * R1 * v1 - 2.0 * R * v0) / hw;
                continue;
            }
            double Rn;
            double JN = nucleation(m, b, xav, xeq[b], t, &Rn);
            double g0 = 2.0 * R * open_rate(N, R, v0, JN, Rn);
            *exsol_penta_at(J, iW, iW) = (2.0 * R1 * open_rate(N, R1, v1, JN, Rn) - g0) / hw;
            double hN = 1e-7 * (N + EPS_N);
            *exsol_penta_at(J, iW, iN) = (2.0 * R * open_rate(N + hN, R, v0, JN, Rn) - g0) / hN;
        }
    }
    s->terms.d = exsol_kwn_model_oxygen_jac(m);
    *exsol_penta_at(J, nq, nq) = s->terms.d;
    for (size_t i = 0; i < nq; i++)
        s->rrow[i] = dq_dphi * s->vrow[i];
    return 0;
}

static int mb_linsol(void *st, SUNContext ctx, exsol_kwn_gamma_fn gamma, void *gamma_arg,
                     SUNMatrix *A, SUNLinearSolver *LS)
{
    struct movingbin *s = st;
    *A = exsol_penta_create(s->neq, ctx);
    if (!*A)
        return EXSOL_ENOMEM;
    *LS = exsol_bband_create(2 * s->M, &s->terms, gamma, gamma_arg, ctx);
    if (!*LS)
        return EXSOL_ENOMEM;
    return 0;
}

/* ---- class bookkeeping ---------------------------------------------------- */

/* Merges class k + 1 into class k (number and metal), shifting the rest down. */
static void merge_pair(struct movingbin *s, struct mbpop *P, double *y, size_t k)
{
    double *a = y + P->off + 2 * k, *b = a + 2;
    double N = a[0] + b[0];
    if (N > 0.0) {
        double v3 = (a[0] * a[1] * sqrt(a[1]) + b[0] * b[1] * sqrt(b[1])) / N; /* N R³ */
        a[1] = pow(v3, 2.0 / 3.0);
    }
    a[0] = N;
    for (size_t j = k + 1; j + 1 < P->na; j++) {
        y[P->off + 2 * j] = y[P->off + 2 * j + 2];
        y[P->off + 2 * j + 1] = y[P->off + 2 * j + 3];
    }
    P->na--;
    y[P->off + 2 * P->na] = 0.0;
    set_rad(P, y, P->na, s->rmin);
}

static void remove_class(struct movingbin *s, struct mbpop *P, double *y, size_t k)
{
    for (size_t j = k; j + 1 < P->na; j++) {
        y[P->off + 2 * j] = y[P->off + 2 * j + 2];
        y[P->off + 2 * j + 1] = y[P->off + 2 * j + 3];
    }
    P->na--;
    y[P->off + 2 * P->na] = 0.0;
    set_rad(P, y, P->na, s->rmin);
}

/* The closest adjacent pair (in ln R) among classes [0, n); n >= 2. */
static size_t closest_pair(const struct mbpop *P, const double *y, size_t n, double *gap)
{
    size_t best = 0;
    double g = INFINITY;
    for (size_t k = 0; k + 1 < n; k++) {
        double d = 0.5 * fabs(log(y[P->off + 2 * k + 3] / y[P->off + 2 * k + 1]));
        if (d < g) {
            g = d;
            best = k;
        }
    }
    *gap = g;
    return best;
}

/* Merges adjacent closed classes closer than dmerge; with slots_needed, also the
 * closest pairs until a slot is free. */
static void tidy(struct movingbin *s, struct mbpop *P, double *y, int slot_needed)
{
    for (;;) {
        size_t nclosed = P->na > 0 ? P->na - 1 : 0;
        if (nclosed < 2)
            return;
        double gap;
        size_t k = closest_pair(P, y, nclosed, &gap);
        if (gap < s->dmerge || (slot_needed && P->na >= s->M))
            merge_pair(s, P, y, k);
        else
            return;
    }
}

/* Refinement for long coarsening, in which classes only vanish: when fewer than
 * M/4 closed classes remain, each is split in two of half its number at
 * R e^{-δ} and at the radius that keeps its metal, δ a quarter of its distance in
 * ln R to its nearest neighbour (in radius), so the distribution keeps M/4 to M/2
 * classes and its width; not while none of them is above the critical radius. */
static void split(struct movingbin *s, struct mbpop *P, double *y, double Rcrit)
{
    size_t nc = P->na > 0 ? P->na - 1 : 0;
    if (nc < 2 || 4 * nc >= s->M || 2 * nc + 1 > s->M)
        return;
    /* a population that is dissolving altogether (no class above the critical
     * radius: the other one wins the solute) is not refined */
    double wbig = 0.0;
    for (size_t k = 0; k < nc; k++)
        wbig = fmax(wbig, y[P->off + 2 * k + 1]);
    if (!(sqrt(wbig) > Rcrit))
        return;
    double *lr = s->f1; /* work: ln R of the closed classes */
    for (size_t k = 0; k < nc; k++)
        lr[k] = 0.5 * log(y[P->off + 2 * k + 1]);
    double No = y[P->off + 2 * nc], wo = y[P->off + 2 * nc + 1];
    /* new classes fill slots nc .. 2nc - 1; the open class moves to slot 2nc */
    for (size_t k = 0; k < nc; k++) {
        double d = INFINITY;
        for (size_t j = 0; j < nc; j++)
            if (j != k && fabs(lr[j] - lr[k]) < d)
                d = fabs(lr[j] - lr[k]);
        d = 0.25 * fmin(d, 0.5);
        double N = y[P->off + 2 * k], R = exp(lr[k]);
        double Ra = R * exp(-d), Rb = cbrt(2.0 * R * R * R - Ra * Ra * Ra);
        y[P->off + 2 * k] = 0.5 * N;
        set_rad(P, y, k, Ra);
        y[P->off + 2 * (nc + k)] = 0.5 * N;
        set_rad(P, y, nc + k, Rb);
    }
    y[P->off + 4 * nc] = No;
    y[P->off + 4 * nc + 1] = wo;
    P->na = 2 * nc + 1;
}

/* Opens a new class at R (N = 0) after the current ones. */
static void open_class(struct movingbin *s, struct mbpop *P, double *y, double R)
{
    size_t k = P->na;
    if (k > 0 && !(y[P->off + 2 * (k - 1)] > 0.0)) { /* the open class is empty: reuse it */
        k--;
        P->na--;
    }
    if (k >= s->M)
        return; /* no slot (M < 3); the open class keeps the nucleation */
    y[P->off + 2 * k] = 0.0;
    set_rad(P, y, k, R);
    P->na = k + 1;
    P->rref = R;
}

static void set_atol(const struct movingbin *s, const double *y, double *at)
{
    for (int b = 0; b < 2; b++) {
        const struct mbpop *P = &s->pop[b];
        double tot = 0.0;
        for (size_t k = 0; k < P->na; k++)
            tot += fmax(y[P->off + 2 * k], 0.0);
        double aN = s->rtol * fmax(tot, s->atol_floor);
        double wmax = s->rmin * s->rmin;
        for (size_t k = 0; k < P->na; k++)
            wmax = fmax(wmax, y[P->off + 2 * k + 1]);
        for (size_t k = 0; k < s->M; k++) {
            at[P->off + 2 * k] = aN;
            at[P->off + 2 * k + 1] = s->rtol * wmax;
        }
    }
}

/* Insertion radius for a new class (0 without supersaturation). */
static double birth_radius(const struct exsol_kwn_model *m, int b, double aphi, double t)
{
    double Rn;
    nucleation(m, b, exsol_kwn_model_xav(m, aphi), exsol_kwn_model_xeq(m, aphi, b),
               t > 0.0 ? t : 1e-300, &Rn);
    return Rn;
}

/* Radius at which a shrinking class is removed: half the critical radius, within
 * [r_min, r_gone]. */
static double r_gone(const struct movingbin *s, const struct exsol_kwn_model *m, double aphi)
{
    double xav = exsol_kwn_model_xav(m, aphi), xeq = exsol_kwn_model_xeq(m, aphi, 0);
    double Rs = (xav > xeq) ? m->lc / log(xav / xeq) : INFINITY;
    return fmin(fmax(s->rmin, 0.5 * Rs), s->rgone);
}

/* Birth root of population b: the open class is old enough (ln(t/t_open) >= λ) or
 * has grown enough (ln(R/R_open) >= ln(1 + β)), and holds the share η of the
 * population (so no class is opened once nucleation has stopped). */
static double birth_root(const struct movingbin *s, const struct mbpop *P, double t,
                         const double *y)
{
    double R = rad(P, y, P->na - 1);
    double age =
        (P->tref > 0.0 && t > 0.0) ? log(t / P->tref) - s->lam : (t > 0.0 ? 1.0 : -1.0);
    double grown = log(R / P->rref) - s->lbeta;
    double tot = 0.0;
    for (size_t k = 0; k < P->na; k++)
        tot += y[P->off + 2 * k];
    double share =
        (y[P->off + 2 * (P->na - 1)] - s->eta * fmax(tot, s->nfloor)) / fmax(tot, s->nfloor);
    return fmin(fmax(age, grown), share);
}

static int mb_roots(void *st, const struct exsol_kwn_ctx *c, double t, const double *y,
                    double *g)
{
    struct movingbin *s = st;
    const struct exsol_kwn_model *m = c->m;
    double rg = r_gone(s, m, m->alpha * state_phi(s, m, c->clamp, y));
    for (int b = 0; b < 2; b++) {
        const struct mbpop *P = &s->pop[b];
        double gb = -1.0, gr = 1.0;
        if (P->na > 0 && c->m->p->nucleation)
            gb = birth_root(s, P, t, y);
        for (size_t k = 0; k < P->na; k++) {
            double w = y[P->off + 2 * k + 1];
            if (y[P->off + 2 * k] > 0.0) {
                double l = w / (rg * rg) - 1.0;
                if (l < gr)
                    gr = l;
            }
        }
        g[b ? ROOT_BIRTH_B : ROOT_BIRTH_S] = gb;
        g[b ? ROOT_GONE_B : ROOT_GONE_S] = gr;
    }
    /* a buried class reaches the film surface (diameter = thickness) */
    const struct mbpop *B = &s->pop[1];
    double wmax = 0.0;
    for (size_t k = 0; k < B->na; k++)
        if (y[B->off + 2 * k] > 0.0)
            wmax = fmax(wmax, y[B->off + 2 * k + 1]);
    g[ROOT_CAP_B] = 1.0 - wmax / (s->rcap_b * s->rcap_b);
    return 0;
}

/* Buried class k has grown to the film's half thickness: its particles reach the
 * surface and become surface caps of the same metal (sphere radius R/cbrt(cap
 * factor)), a new closed surface class (number and metal conserved); the buried
 * class is removed (the open one is emptied and reopens at Rn). */
static void break_through(struct movingbin *s, double *y, size_t k, double Rn, double t)
{
    struct mbpop *B = &s->pop[1], *S = &s->pop[0];
    double N = y[B->off + 2 * k], Rs = rad(B, y, k) * s->r_caps / s->rcap_b;
    if (S->na >= s->M)
        tidy(s, S, y, 1);
    if (S->na >= s->M || S->na == 0)
        return;           /* cannot happen for M >= 3 (tidy frees a slot) */
    size_t j = S->na - 1; /* the open class moves up one slot */
    y[S->off + 2 * (j + 1)] = y[S->off + 2 * j];
    y[S->off + 2 * (j + 1) + 1] = y[S->off + 2 * j + 1];
    y[S->off + 2 * j] = N;
    set_rad(S, y, j, Rs);
    S->na++;
    if (k + 1 == B->na) {
        y[B->off + 2 * k] = 0.0;
        set_rad(B, y, k, Rn > 0.0 ? Rn : 2.0 * s->rmin);
        B->rref = rad(B, y, k);
        B->tref = t;
    } else {
        remove_class(s, B, y, k);
    }
}

static int mb_event(void *st, struct exsol_kwn_ctx *c, double t, double *y, double *at,
                    const int *found)
{
    struct movingbin *s = st;
    const struct exsol_kwn_model *m = c->m;
    /* the solute and solubilities before this event's removals, as every test below
     * sees them */
    const double aphi = m->alpha * state_phi(s, m, c->clamp, y);
    const double xav = exsol_kwn_model_xav(m, aphi);
    double rg = r_gone(s, m, aphi);
    {
        /* break-through first: buried classes at L/2 (within 1e-6, or the root's
         * class within 1e-3) join the surface */
        struct mbpop *B = &s->pop[1];
        double tol = found[ROOT_CAP_B] ? 1e-3 : 1e-6, Rn = birth_radius(m, 1, aphi, t);
        for (size_t k = B->na; k-- > 0;)
            if (y[B->off + 2 * k] > 0.0 && rad(B, y, k) >= s->rcap_b * (1.0 - tol))
                break_through(s, y, k, Rn, t);
    }
    for (int b = 0; b < 2; b++) {
        struct mbpop *P = &s->pop[b];
        const double xeq = exsol_kwn_model_xeq(m, aphi, b);
        /* removal: classes at R_min (the root's class and any within 1e-6 of it) */
        int gone = found[b ? ROOT_GONE_B : ROOT_GONE_S] != 0;
        for (size_t k = P->na; k-- > 0;) {
            double R = rad(P, y, k), N = y[P->off + 2 * k];
            int closed = k + 1 < P->na;
            if ((N > 0.0 && R <= rg * (1.0 + 1e-6)) || (closed && !(N > 0.0)))
                remove_class(s, P, y, k);
        }
        if (gone && P->na > 0) {
            /* the root may sit a hair above R_min: remove the smallest class if it
             * is within 1e-3 */
            size_t kmin = 0;
            for (size_t k = 1; k < P->na; k++)
                if (y[P->off + 2 * k + 1] < y[P->off + 2 * kmin + 1])
                    kmin = k;
            if (rad(P, y, kmin) <= rg * 1.001 && y[P->off + 2 * kmin] > 0.0)
                remove_class(s, P, y, kmin);
        }
        double Rn = birth_radius(m, b, aphi, t);
        if (P->na == 0) {
            open_class(s, P, y, Rn > 0.0 ? Rn : 2.0 * s->rmin);
            P->tref = t;
        } else if (found[b ? ROOT_BIRTH_B : ROOT_BIRTH_S] && Rn > 0.0) {
            tidy(s, P, y, 1);
            open_class(s, P, y, Rn);
            P->tref = t;
        } else if (found[b ? ROOT_BIRTH_B : ROOT_BIRTH_S]) {
            /* no supersaturation: the open class keeps the nucleation; restart its count */
            P->rref = rad(P, y, P->na - 1);
            P->tref = t;
        }
        tidy(s, P, y, 0);
        split(s, P, y, xav > xeq ? m->lc / log(xav / xeq) : INFINITY);
    }
    set_atol(s, y, at);
    return 1;
}

/* ---- per problem, initial state, outputs ---------------------------------- */

static int mb_init(void *st, const struct exsol_kwn_ctx *c)
{
    struct movingbin *s = st;
    s->rcap_b = 0.5 * c->m->L;
    s->r_caps = s->rcap_b / cbrt(c->m->p->cap_volume_factor);
    return 0;
}

static void init_pop(struct movingbin *s, const struct exsol_kwn_ctx *c, int b, double *y)
{
    const struct exsol_kwn_model *m = c->m;
    const struct exsol_kwn_problem *p = m->p;
    const struct exsol_kwn_grid *g = s->out;
    struct mbpop *P = &s->pop[b];
    const double *init = b ? p->init_buried : p->init_surface;
    size_t cap = b ? exsol_kwn_film_cap(m, g->edge, g->n) : g->n;
    P->na = 0;
    for (size_t k = 0; k < s->M; k++) {
        y[P->off + 2 * k] = 0.0;
        set_rad(P, y, k, s->rmin);
    }
    for (size_t i = 0; init && i < cap; i++) {
        double N = init[i] * (b ? p->L_m : 1.0) / NSC;
        if (!(N > 0.0))
            continue;
        if (P->na + 1 >= s->M && P->na >= 2) { /* keep a slot for the open class */
            double gap;
            merge_pair(s, P, y, closest_pair(P, y, P->na, &gap));
        }
        y[P->off + 2 * P->na] = N;
        set_rad(P, y, P->na, g->centre[i]);
        P->na++;
    }
    double Rn = birth_radius(m, b, m->alpha * state_phi(s, m, 0, y), 0.0);
    size_t k = P->na;
    y[P->off + 2 * k] = 0.0;
    set_rad(P, y, k, Rn > 0.0 ? Rn : 2.0 * s->rmin);
    P->na = k + 1;
    P->rref = rad(P, y, k);
    P->tref = 0.0;
}

static void mb_initial(void *st, const struct exsol_kwn_ctx *c, double *y, double *at,
                       double *cn)
{
    struct movingbin *s = st;
    s->pop[0].na = s->pop[1].na = 0;
    init_pop(s, c, 0, y);
    init_pop(s, c, 1, y);
    /* initial particles already below the removal radius (a few sub-nanometre bins
     * of a given distribution) dissolve at once: their metal starts in the solute */
    const struct exsol_kwn_model *m = c->m;
    double rg = r_gone(s, m, m->alpha * state_phi(s, m, 0, y));
    for (int b = 0; b < 2; b++) {
        struct mbpop *P = &s->pop[b];
        for (size_t k = P->na - 1; k-- > 0;)
            if (rad(P, y, k) <= rg * (1.0 + 1e-3))
                remove_class(s, P, y, k);
    }
    set_atol(s, y, at);
    for (size_t i = 0; i + 1 < s->neq; i++)
        cn[i] = 1.0;
}

static void mb_remap(void *st, const struct exsol_kwn_ctx *c, const double *y, double *surface,
                     double *buried);

/* Reported φ: that of the distributions on the output bins (which hold the metal
 * of every class but those below the first bin centre or above the last one), so
 * the outputs' dopant balance holds for what they show. */
static double mb_phi(void *st, const struct exsol_kwn_ctx *c, const double *y, int reported)
{
    struct movingbin *s = st;
    if (!reported)
        return state_phi(s, c->m, c->clamp, y);
    mb_remap(st, c, y, s->sf, s->bu);
    const struct exsol_kwn_model *m = c->m;
    double phi = 0.0;
    for (size_t i = 0; i < s->out->n; i++) {
        double v = exsol_kwn_sphere_volume(s->out->centre[i]);
        phi += exsol_kwn_model_dphi_surface(m, v) * (s->sf[i] / NSC) +
               exsol_kwn_model_dphi_buried(m, v) * (s->bu[i] * m->L / NSC);
    }
    return phi;
}

/* Adds N particles of radius R to the bins [0, n) conserving number and metal. */
static void deposit(const double *c, size_t n, double R, double N, double *out)
{
    if (n == 0 || !(N > 0.0))
        return;
    if (R <= c[0] || n == 1) {
        out[0] += N;
        return;
    }
    if (R >= c[n - 1]) {
        out[n - 1] += N;
        return;
    }
    size_t lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (c[mid] <= R)
            lo = mid;
        else
            hi = mid;
    }
    double a3 = c[lo] * c[lo] * c[lo], b3 = c[hi] * c[hi] * c[hi];
    double w = (R * R * R - a3) / (b3 - a3);
    out[lo] += (1.0 - w) * N;
    out[hi] += w * N;
}

static void mb_remap(void *st, const struct exsol_kwn_ctx *c, const double *y, double *surface,
                     double *buried)
{
    struct movingbin *s = st;
    const struct exsol_kwn_grid *g = s->out;
    size_t cap = exsol_kwn_film_cap(c->m, g->edge, g->n);
    memset(surface, 0, g->n * sizeof *surface);
    memset(buried, 0, g->n * sizeof *buried);
    for (int b = 0; b < 2; b++) {
        const struct mbpop *P = &s->pop[b];
        double sc = b ? NSC / c->m->L : NSC;
        for (size_t k = 0; k < P->na; k++)
            deposit(g->centre, b ? cap : g->n, rad(P, y, k), fmax(y[P->off + 2 * k], 0.0) * sc,
                    b ? buried : surface);
    }
}

/* ---- lifecycle ------------------------------------------------------------ */

static void mb_free(void *st)
{
    struct movingbin *s = st;
    if (!s)
        return;
    free(s->u);
    free(s->vrow);
    free(s->rrow);
    free(s->ywork);
    free(s->f1);
    free(s->sf);
    free(s->bu);
    free(s);
}

static void *mb_alloc(const struct exsol_kwn_config *cfg, const struct exsol_kwn_grid *out,
                      size_t *n_dist)
{
    struct movingbin *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->M = cfg->mb_classes < 3 ? 3 : cfg->mb_classes;
    s->neq = 4 * s->M + 1;
    s->out = out;
    s->beta = cfg->mb_birth_frac;
    s->lbeta = log1p(s->beta);
    s->dmerge = 0.1 * s->lbeta;
    s->eta = cfg->mb_birth_share;
    s->lam = cfg->mb_birth_logtime;
    s->nfloor = 1e-3;
    s->rmin = cfg->r_min_m;
    s->rgone = fmax(cfg->mb_r_gone_m, cfg->r_min_m);
    s->rtol = cfg->rtol;
    s->atol_floor = 1e-2 * cfg->atol_bins / NSC;
    s->pop[0].off = 0;
    s->pop[1].off = 2 * s->M;
    s->u = calloc(s->neq, sizeof(double));
    s->vrow = calloc(s->neq, sizeof(double));
    s->rrow = calloc(s->neq, sizeof(double));
    s->ywork = calloc(s->neq, sizeof(double));
    s->f1 = calloc(s->neq, sizeof(double));
    s->sf = calloc(out->n, sizeof(double));
    s->bu = calloc(out->n, sizeof(double));
    if (!s->u || !s->vrow || !s->rrow || !s->ywork || !s->f1 || !s->sf || !s->bu) {
        mb_free(s);
        return NULL;
    }
    s->terms.m2 = 2 * s->M;
    s->terms.u = s->u;
    s->terms.v = s->vrow;
    s->terms.r = s->rrow;
    *n_dist = 4 * s->M;
    return s;
}

const struct exsol_kwn_scheme_type exsol_kwn_scheme_movingbin = {
    .name = "movingbin",
    .alloc = mb_alloc,
    .init = mb_init,
    .initial = mb_initial,
    .phi = mb_phi,
    .rhs = mb_rhs,
    .linsol = mb_linsol,
    .jac = mb_jac,
    .remap = mb_remap,
    .free = mb_free,
    .nroots = NROOTS,
    .roots = mb_roots,
    .event = mb_event,
};
