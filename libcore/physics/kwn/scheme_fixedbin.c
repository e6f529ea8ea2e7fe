/* The fixed-bin scheme ("fixedbin"): finite volumes on the output radius bins
 * themselves (log-spaced edges, centres at the arithmetic midpoints), so its map
 * onto the outputs is the identity.
 *
 * - State: y[0..nb) surface particles per bin, y[nb..2nb) buried particles per bin
 *   times L (per film area), both in EXSOL_KWN_NSC m⁻²; y[2nb] the oxygen state.
 * - Face fluxes F = v(R_face)·n_face with n_face from a (C¹ superbee) limited linear
 *   reconstruction of the number density per radius in the upwind bin (faded out to
 *   first order where the bins hold only the tolerance's noise, limiter_noise; first
 *   order in the two boundary bins, and for shrinking particles below
 *   r_upwind1). Particles leaving through the lowest face dissolve; the top face is
 *   closed. A buried particle that grows to the film's thickness reaches its surface:
 *   the buried grid ends at the first edge >= L/2 (diameter = thickness), and what
 *   flows out through that face (first-order upwind) joins the surface population
 *   as caps of the same metal volume (cap volume = sphere volume / cap factor),
 *   shared between the two surface bins that bracket that volume so that both the
 *   number and the metal of the transfer are conserved exactly.
 * - Nucleation: new particles enter at R_nuc, shared linearly between the two bins
 *   whose centres bracket it, so the source moves smoothly across the grid.
 * - φ = Σ V_i N_i with bin-centre volumes (caps: times the cap volume factor).
 * - Jacobian: a 5-band advection block per population (exsol/sunmat_penta.h), a
 *   rank-one coupling through φ (all growth rates and the nucleation rate depend on
 *   the solute; its column by a forward difference in φ) and the oxygen row,
 *   solved by the bordered-band solver (exsol/sunls_bband.h) in O(N). */
#include "exsol/error.h"
#include "exsol/sunls_bband.h"
#include "exsol/sunls_bbk.h"
#include "exsol/sunmat_penta.h"
#include "scheme.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NSC EXSOL_KWN_NSC

struct fixedbin {
    size_t nb, neq;
    const double *edge, *centre, *width; /* the output bins (not owned) */
    double *vol;                         /* (4π/3) c³ */
    double *inv_width, *inv_dc; /* 1/width; inv_dc[i] = 1/(centre[i] − centre[i−1]) */
    double *dens;               /* work: density per radius of one block */
    double atol_bins, atol_phi, atol_rel, atol_floor;
    double lim_c;   /* limiter_noise: the limiter fades out below lim_c x the bins' tolerance */
    double leps[2]; /* per population: lim_c x its bins' absolute tolerance (0: off) */
    size_t k1;      /* bins [0, k1) (centre < r_upwind1): first-order shrinking fluxes */
    /* per problem */
    double *gt_face; /* Gibbs–Thomson factor exp(lc/R) at each edge [nb+1] */
    size_t kcap;     /* buried grid ends at edge kcap (<= nb) */
    int transfer;    /* kcap < nb: buried particles leave through edge kcap to the surface */
    size_t tr_lo, tr_hi; /* surface bins receiving them, with weights tr_w[2] */
    double tr_w[2];
    /* work */
    double *vface, *vface_b, *flux; /* face velocities (surface, buried); per-bin slopes */
    double *u, *vrow, *rrow;        /* rank-one column, φ-row (∂φ/∂y), oxygen row */
    struct exsol_bband_terms terms; /* what the bordered-band solver reads of them */
    double *ywork;
    /* alloy (cfg->alloy): y[2nb], y[2nb + 1] the solute 2 in the surface and buried
     * particles (per B site, αφ units); the oxygen state at iq */
    int alloy;
    size_t iq;
    double *v2face, *v2face_b; /* solute 2's share of the face velocities */
    double *nface;             /* face densities of the last advect call [nb + 1] */
    double Xpop[2];            /* the populations' compositions at the last evaluation */
    /* alloy Newton matrix (exsol/sunls_bbk.h): coupling through the two populations'
     * αφ (kf = 2) and the border unknowns (solute 2 of each population, oxygen) */
    double *aU, *aV, *aC, *aR, aG[6], aE[9];
    struct exsol_bbk_terms aterms;
};

static double pos(int clamp, double v)
{
    return (clamp && v < 0.0) ? 0.0 : v;
}

/* Metal volume per film volume from the scaled state. */
static double state_phi(const struct fixedbin *s, int clamp, const double *y)
{
    double acc = 0.0;
    for (size_t i = 0; i < 2 * s->nb; i++)
        acc += s->vrow[i] * pos(clamp, y[i]);
    return acc;
}

/* Adds a nucleation source `rate` (scaled units/s) at radius R into one block of
 * bins [0, nmax), split linearly between the bracketing centres. Returns the metal
 * volume fraction it adds per second, with vr the block's ∂φ/∂y. */
static double add_source(const struct fixedbin *s, double *dy, size_t nmax, double R,
                         double rate, const double *vr)
{
    if (rate == 0.0 || nmax == 0)
        return 0.0;
    const double *c = s->centre;
    if (R <= c[0]) {
        dy[0] += rate;
        return rate * vr[0];
    }
    if (R >= c[nmax - 1]) {
        dy[nmax - 1] += rate;
        return rate * vr[nmax - 1];
    }
    /* bins are log-spaced: locate by bisection */
    size_t lo = 0, hi = nmax - 1;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (c[mid] <= R)
            lo = mid;
        else
            hi = mid;
    }
    double th = (R - c[lo]) / (c[hi] - c[lo]);
    dy[lo] += (1.0 - th) * rate;
    dy[hi] += th * rate;
    return (1.0 - th) * rate * vr[lo] + th * rate * vr[hi];
}

/* Slope limiter. The steep large-radius edge of the LSW distribution needs a
 * compressive limiter: on the LSW test (100 bins) the coarsening rate came out
 * 1.74 K_LSW with first-order upwinding, 1.15 with van Leer, 1.12 with MC and
 * 1.06 with superbee. Plain superbee switches branches abruptly, which makes
 * CVODE's Newton iteration fail often (up to 10⁴ convergence failures per
 * candidate at 900 °C; 100 bins on 0.2–60 nm), so it is made C¹ here: min/max
 * with the kink of |x − y| rounded over 5 % of |a| + |b|, and a C¹ ramp (over
 * a·b/(a² + b²) in [0, 0.1]) that switches the slope off at extrema and at the
 * edges of the support (1.06–1.07 K_LSW, 2–3× fewer convergence failures).
 * Wider smoothing overshoots (negative face values). */
/* |d| with its kink rounded off inside |d| < e by the C¹ parabola (d² + e²)/(2e). */
static double sabs(double d, double e)
{
    double ad = fabs(d);
    return ad >= e ? ad : (d * d + e * e) / (2.0 * e);
}

static double smin(double x, double y, double e)
{
    return 0.5 * (x + y - sabs(x - y, e));
}

static double smax(double x, double y, double e)
{
    return 0.5 * (x + y + sabs(x - y, e));
}

static double superbee_c1(double a, double b)
{
    double ab = a * b;
    if (!(ab > 0.0))
        return 0.0;
    double q = a * a + b * b;
    const double w = 0.1;
    double h = 1.0; /* r = ab/q in (0, 1/2]; the ramp (and its division) only for r < w */
    if (ab < w * q) {
        double rw = ab / (w * q);
        h = (3.0 - 2.0 * rw) * rw * rw;
    }
    double A = fabs(a), B = fabs(b);
    double e = 0.05 * (A + B);
    double m = smax(smin(2 * A, B, e), smin(A, 2 * B, e), e);
    return (a > 0 ? 1.0 : -1.0) * h * m;
}

/* The limited slope, faded out smoothly (factor s²/(s² + e²), s = |a| + |b|) where the
 * gradients are of the order e of the bins' tolerance. A limiter decides on ratios of
 * neighbouring gradients whatever their size, so in bins that hold populations of
 * the order of CVODE's absolute tolerance (the sub-critical clusters of a sparsely
 * nucleating film) each Newton iterate flips its branches and the iteration diverges:
 * La0.2Sr0.75Co0.05Ti0.95O3 at 700 °C, 5 h (0.03 µm⁻²) took 6773 steps with 7242 Newton
 * failures at the state-following tolerance, and 82 with none first-order. There the
 * scheme is first order, which is numerical diffusion of what is noise anyway. */
static double superbee_noise(double a, double b, double e)
{
    double v = superbee_c1(a, b);
    if (e > 0.0 && v != 0.0) {
        double sa = fabs(a) + fabs(b);
        v *= sa * sa / (sa * sa + e * e);
    }
    return v;
}

/* σ(a, b) and its partial derivatives (forward differences). */
static double limiter(double a, double b, double e, double *da, double *db)
{
    double v = superbee_noise(a, b, e);
    double ha = 1e-7 * (fabs(a) + fabs(b));
    *da = *db = 0.0;
    if (ha > 0.0) {
        *da = (superbee_noise(a + ha, b, e) - v) / ha;
        *db = (superbee_noise(a, b + ha, e) - v) / ha;
    }
    return v;
}

/* The noise scale of bin i's gradients: the tolerance per bin as a density per radius,
 * over the centre spacing (0 when le is 0: the limiter then stays as it is). */
static double noise_scale(const struct fixedbin *s, double le, size_t i)
{
    return le * s->inv_width[i] * s->inv_dc[i + 1];
}

/* The state-following absolute tolerance of population b's bins (fb_state_atol), before
 * the per-bin metal bound: atol_rel times its particles, between the floor and
 * atol_bins. */
static double pop_atol(const struct fixedbin *s, const double *y, size_t b)
{
    double tot = 0.0;
    for (size_t i = 0; i < s->nb; i++)
        tot += fmax(y[b * s->nb + i], 0.0);
    return fmin(fmax(s->atol_rel * tot, s->atol_floor), s->atol_bins / NSC);
}

/* lim_c x the bins' absolute tolerance of each population for state y; 0 without
 * atol_pop_rel. */
static void set_noise(struct fixedbin *s, const double *y)
{
    for (size_t b = 0; b < 2; b++)
        s->leps[b] = (s->atol_rel > 0.0 && s->lim_c > 0.0) ? s->lim_c * pop_atol(s, y, b) : 0.0;
}

/* Advection of one block of n active bins: dy += F_k - F_{k+1}. Densities per
 * radius (dn = y/w), the gradients between centres and the limited slope of
 * each bin (0 in the two end bins) are computed once per call, with the
 * reciprocal widths and centre spacings of the grid (no divisions here). */
static void advect(struct fixedbin *s, const double *y, size_t n, const double *vf, double *dy,
                   size_t blk)
{
    const double le = s->leps[blk];
    const double *w = s->width, *iw = s->inv_width, *ih = s->inv_dc;
    double *sl = s->flux, *dn = s->dens;
    for (size_t i = 0; i < n; i++)
        dn[i] = y[i] * iw[i];
    for (size_t i = 0; i < n; i++)
        sl[i] = 0.0;
    if (n >= 3) {
        double gl = (dn[1] - dn[0]) * ih[1];
        for (size_t i = 1; i + 1 < n; i++) {
            double gr = (dn[i + 1] - dn[i]) * ih[i + 1];
            sl[i] = superbee_noise(gl, gr, noise_scale(s, le, i));
            gl = gr;
        }
    }
    /* lowest face: outflow only */
    double F0 = (vf[0] < 0.0) ? vf[0] * dn[0] : 0.0;
    dy[0] += F0;
    /* Shrinking (v < 0) flux out of the bins below r_upwind1: first order. There the
     * sub-critical clusters dissolve within a few bins; the limited slope of such a
     * steep, emptying profile switches branches from one Newton iterate to the next
     * and was the cause of most Newton convergence failures (bench grid: 3200 ->
     * 1025), while these bins hold a negligible share of the particles. */
    size_t k1 = s->k1;
    for (size_t k = 1; k < n; k++) {
        double nf = (vf[k] >= 0.0) ? dn[k - 1] + 0.5 * w[k - 1] * sl[k - 1]
                                   : dn[k] - (k < k1 ? 0.0 : 0.5 * w[k] * sl[k]);
        double F = vf[k] * nf;
        dy[k - 1] -= F;
        dy[k] += F;
        if (s->nface)
            s->nface[k] = nf;
    }
    if (s->nface)
        s->nface[0] = dn[0];
}

/* Buried particles that grow through the cap diameter L join the surface population:
 * the flux F out of the buried top bin (number per time), put on the surface bins at
 * the same size. Returns 1 and F in *F when it applies (the transfer is on and the
 * top face grows), 0 otherwise. */
static int transfer(const struct fixedbin *s, const double *y, double *dy, double *F)
{
    const size_t nb = s->nb, j = s->kcap - 1;
    if (!s->transfer || !(s->vface_b[s->kcap] > 0.0))
        return 0;
    *F = s->vface_b[s->kcap] * y[nb + j] * s->inv_width[j];
    dy[nb + j] -= *F;
    dy[s->tr_lo] += s->tr_w[0] * *F;
    dy[s->tr_hi] += s->tr_w[1] * *F;
    return 1;
}

/* Face velocities v = D/(R (α − x_i))·(x̄ − x_i) of a population with solubility xeq. */
static void face_velocities(struct fixedbin *s, const struct exsol_kwn_model *m, double xav,
                            double xeq, double *vf)
{
    for (size_t k = 0; k <= s->nb; k++) {
        double xi = exsol_kwn_model_xi(m, s->gt_face[k], xeq);
        vf[k] = exsol_kwn_model_growth_coef(m, s->edge[k], xi) * (xav - xi);
    }
}

/* Right-hand side; phi_override < 0 means "from the state". Fills face velocities
 * (vface) and face densities as a side effect for the Jacobian. */
static void eval_rhs(struct fixedbin *s, const struct exsol_kwn_ctx *c, double t,
                     const double *y, double phi_override, double *dy)
{
    const struct exsol_kwn_model *m = c->m;
    const struct exsol_kwn_problem *p = m->p;
    size_t nb = s->nb;
    double phi = (phi_override >= 0.0) ? phi_override : state_phi(s, c->clamp, y);
    double aphi = m->alpha * phi;
    double xav = exsol_kwn_model_xav(m, aphi);
    double xeq_s = exsol_kwn_model_xeq(m, aphi, 0), xeq_b = exsol_kwn_model_xeq(m, aphi, 1);
    memset(dy, 0, s->neq * sizeof *dy);
    face_velocities(s, m, xav, xeq_s, s->vface);
    if (xeq_b == xeq_s)
        memcpy(s->vface_b, s->vface, (nb + 1) * sizeof *s->vface);
    else
        face_velocities(s, m, xav, xeq_b, s->vface_b);
    set_noise(s, y);
    advect(s, y, nb, s->vface, dy, 0);
    advect(s, y + nb, s->kcap, s->vface_b, dy + nb, 1);
    double F;
    transfer(s, y, dy, &F);
    double Rn;
    double Js = exsol_kwn_model_nucleation(m, xav, xeq_s, p->f_surface, t, &Rn);
    add_source(s, dy, nb, Rn, Js * m->N0s_sc, s->vrow);
    double Jb = exsol_kwn_model_nucleation(m, xav, xeq_b, p->f_buried, t, &Rn);
    add_source(s, dy + nb, s->kcap, Rn, Jb * m->N0b_sc, s->vrow + nb);
    dy[2 * nb] = exsol_kwn_model_oxygen_rate(m, aphi, y[2 * nb]);
}

/* ---- alloys (two solutes; exsol/kwn.h, breadth-and-uncertainty.md §4.1) ----- */

/* What one population of an alloy problem sees: its metal, solute 2 and composition. */
struct alloy_pop {
    double aphi;     /* αφ of the population */
    double a2;       /* solute 2 in it (αφ units), clamped to [0, aphi] */
    double X;        /* its composition (solute 2), the nucleus's while it is empty */
    double Xn, lnS;  /* nucleus composition and driving force */
    double xe1, xe2; /* solubilities (with the room for the metal) */
    double la1, la2; /* ln a_i at X */
};

/* Metal volume fraction of one block [off, off + n). */
static double block_phi(const struct fixedbin *s, int clamp, const double *y, size_t off,
                        size_t n)
{
    double acc = 0.0;
    for (size_t i = off; i < off + n; i++)
        acc += s->vrow[i] * pos(clamp, y[i]);
    return acc;
}

static void alloy_pop_set(const struct exsol_kwn_model *m, struct alloy_pop *q, double aphi,
                          double x1, double x2, int buried)
{
    const struct exsol_kwn_problem *p = m->p;
    q->xe1 = exsol_kwn_model_xeq(m, aphi, buried);
    q->xe2 = q->xe1 * (p->x_eq2 / p->x_eq); /* the same room-for-the-metal factor */
    q->lnS = exsol_kwn_alloy_nucleus(p, x1 / q->xe1, x2 / q->xe2, &q->Xn);
    /* a population without metal grows at the nucleus composition; a small offset
     * (1e-9 of the dopant) makes the switch to its accumulated composition smooth */
    double eps = 1e-9 * p->z;
    double X = (q->a2 + eps * q->Xn) / (q->aphi + eps);
    q->X = fmin(fmax(X, 1e-12), 1.0 - 1e-12);
    exsol_kwn_alloy_activity(p, q->X, &q->la1, &q->la2);
}

/* Face velocities of one alloy population: v = v1 + v2 into vf, v2 into v2f, with
 * v_i = D_i/(R (α − x_i)) (x̄_i − x_i), x_i = x_eq,i a_i(X) e^{lc/R} (capped at α/2). */
static void alloy_face_velocities(struct fixedbin *s, const struct exsol_kwn_model *m,
                                  const struct alloy_pop *q, double x1, double x2, double *vf,
                                  double *v2f)
{
    const struct exsol_kwn_problem *p = m->p;
    double e1 = q->xe1 * exp(q->la1), e2 = q->xe2 * exp(q->la2);
    for (size_t k = 0; k <= s->nb; k++) {
        double xi1 = fmin(e1 * s->gt_face[k], 0.5 * m->alpha);
        double xi2 = fmin(e2 * s->gt_face[k], 0.5 * m->alpha);
        double v1 = p->D_m2_s / (s->edge[k] * (m->alpha - xi1)) * (x1 - xi1);
        double v2 = p->D2_m2_s / (s->edge[k] * (m->alpha - xi2)) * (x2 - xi2);
        vf[k] = v1 + v2;
        v2f[k] = v2;
    }
}

/* Solute 2 gained by growth in one block (after advect filled s->nface): at each inner
 * face the particles crossing it change volume by Δ(∂φ/∂y) at the rate n_face v, of
 * which n_face v2 is solute 2; particles dissolving through the lowest face give back
 * their population's composition. */
static double alloy_growth2(const struct fixedbin *s, const double *vf, const double *v2f,
                            const double *vr, size_t n, double X)
{
    if (n == 0)
        return 0.0;
    double acc = vf[0] < 0.0 ? vf[0] * s->nface[0] * vr[0] * X : 0.0;
    for (size_t k = 1; k < n; k++)
        acc += s->nface[k] * v2f[k] * (vr[k] - vr[k - 1]);
    return acc;
}

/* The globals an alloy right-hand side sees: αφ of the surface and buried
 * populations and the solute 2 they hold (before clamping to [0, αφ]). */
static void alloy_globals(const struct fixedbin *s, const struct exsol_kwn_ctx *c,
                          const double *y, double g[4])
{
    size_t nb = s->nb;
    g[0] = c->m->alpha * block_phi(s, c->clamp, y, 0, nb);
    g[1] = c->m->alpha * block_phi(s, c->clamp, y, nb, nb);
    g[2] = y[2 * nb];
    g[3] = y[2 * nb + 1];
}

/* Alloy right-hand side; g (alloy_globals) NULL means "from the state": the
 * Jacobian evaluates it at fixed or perturbed globals. */
static void eval_rhs_alloy(struct fixedbin *s, const struct exsol_kwn_ctx *c, double t,
                           const double *y, const double *gin, double *dy)
{
    const struct exsol_kwn_model *m = c->m;
    const struct exsol_kwn_problem *p = m->p;
    size_t nb = s->nb;
    struct alloy_pop ps, pb;
    double g[4];
    if (gin)
        memcpy(g, gin, sizeof g);
    else
        alloy_globals(s, c, y, g);
    ps.aphi = g[0];
    pb.aphi = g[1];
    ps.a2 = fmin(fmax(g[2], 0.0), ps.aphi);
    pb.a2 = fmin(fmax(g[3], 0.0), pb.aphi);
    double aphi = ps.aphi + pb.aphi, a2 = ps.a2 + pb.a2;
    double z1 = p->z - p->z2;
    double x1 = fmax((z1 - (aphi - a2)) / (1.0 - aphi), 1e-300);
    double x2 = fmax((p->z2 - a2) / (1.0 - aphi), 1e-300);
    alloy_pop_set(m, &ps, aphi, x1, x2, 0);
    alloy_pop_set(m, &pb, aphi, x1, x2, 1);
    s->Xpop[0] = ps.X;
    s->Xpop[1] = pb.X;
    memset(dy, 0, s->neq * sizeof *dy);
    alloy_face_velocities(s, m, &ps, x1, x2, s->vface, s->v2face);
    alloy_face_velocities(s, m, &pb, x1, x2, s->vface_b, s->v2face_b);
    set_noise(s, y);
    advect(s, y, nb, s->vface, dy, 0);
    double g2s = alloy_growth2(s, s->vface, s->v2face, s->vrow, nb, ps.X);
    advect(s, y + nb, s->kcap, s->vface_b, dy + nb, 1);
    double g2b = alloy_growth2(s, s->vface_b, s->v2face_b, s->vrow + nb, s->kcap, pb.X);
    double F;
    if (transfer(s, y, dy, &F)) { /* solute 2 carried across with the buried particles */
        double moved = F * s->vrow[nb + s->kcap - 1] * pb.X;
        g2b -= moved;
        g2s += moved;
    }
    /* nucleation at the parallel-tangent composition; 1/(xD) = Σ X_i²/(x̄_i D_i) */
    double Rn;
    const struct alloy_pop *pp[2] = {&ps, &pb};
    double *g2[2] = {&g2s, &g2b};
    for (int b = 0; b < 2; b++) {
        const struct alloy_pop *q = pp[b];
        double X = q->Xn;
        double ixd = (1.0 - X) * (1.0 - X) / (x1 * p->D_m2_s) + X * X / (x2 * p->D2_m2_s);
        double J = exsol_kwn_model_nucleation_lnS(m, q->lnS, 1.0 / ixd,
                                                  b ? p->f_buried : p->f_surface, t, &Rn);
        double dphi = b ? add_source(s, dy + nb, s->kcap, Rn, J * m->N0b_sc, s->vrow + nb)
                        : add_source(s, dy, nb, Rn, J * m->N0s_sc, s->vrow);
        *g2[b] += dphi * X;
    }
    dy[2 * nb] = m->alpha * g2s;
    dy[2 * nb + 1] = m->alpha * g2b;
    dy[s->iq] = exsol_kwn_model_oxygen_rate_alloy(m, aphi, a2, y[s->iq]);
}

static void fb_solute2(void *st, const struct exsol_kwn_ctx *c, const double *y, double *y2,
                       double *phi_pop)
{
    struct fixedbin *s = st;
    size_t nb = s->nb;
    for (int b = 0; b < 2; b++) {
        double phi = 0.0;
        for (size_t i = 0; i < nb; i++)
            phi += s->vrow[b * nb + i] * fmax(y[b * nb + i], 0.0);
        phi_pop[b] = phi;
        y2[b] = fmin(fmax(y[2 * nb + b], 0.0), c->m->alpha * phi);
    }
}

/* The state as the model sees it: positive parts of the bins when unconstrained. */
static const double *model_state(struct fixedbin *s, int clamp, const double *y)
{
    if (!clamp)
        return y;
    for (size_t i = 0; i < s->neq; i++)
        s->ywork[i] = (i < 2 * s->nb && y[i] < 0.0) ? 0.0 : y[i];
    return s->ywork;
}

static int fb_rhs(void *st, struct exsol_kwn_ctx *c, double t, const double *y, double *dy)
{
    struct fixedbin *s = st;
    if (s->alloy)
        eval_rhs_alloy(s, c, t, y, NULL, dy); /* clamps the bins itself */
    else
        eval_rhs(s, c, t, model_state(s, c->clamp, y), -1.0, dy);
    return 0;
}

static void face_jac(const struct fixedbin *s, const double *y, size_t n, size_t k, double v,
                     size_t blk, size_t *jout, double d[3])
{
    const double le = s->leps[blk];
    const double *w = s->width, *iw = s->inv_width, *ih = s->inv_dc;
    size_t j = (v >= 0.0) ? k - 1 : k;
    double sgn = (v >= 0.0) ? 0.5 : -0.5;
    d[0] = d[2] = 0.0;
    d[1] = iw[j];
    *jout = j;
    if (j == 0 || j + 1 >= n || (v < 0.0 && j < s->k1))
        return;
    double nm = y[j - 1] * iw[j - 1], n0 = y[j] * iw[j], np = y[j + 1] * iw[j + 1];
    double a = (n0 - nm) * ih[j], b = (np - n0) * ih[j + 1];
    double da, db;
    limiter(a, b, noise_scale(s, le, j), &da, &db);
    if (da == 0.0 && db == 0.0)
        return;
    double fac = sgn * w[j];
    /* σ depends on a = (n0 - nm)/h_l and b = (np - n0)/h_r */
    d[0] += fac * (-da * ih[j]) * iw[j - 1];
    d[1] += fac * (da * ih[j] - db * ih[j + 1]) * iw[j];
    d[2] += fac * (db * ih[j + 1]) * iw[j + 1];
}

static void jac_block(struct fixedbin *s, SUNMatrix J, const double *y, const double *vf,
                      size_t off, size_t n)
{
    if (n == 0)
        return;
    if (vf[0] < 0.0)
        exsol_penta_add(J, off, off, vf[0] / s->width[0]);
    for (size_t k = 1; k < n; k++) {
        size_t j;
        double d[3];
        face_jac(s, y, n, k, vf[k], off ? 1 : 0, &j, d);
        for (int m = -1; m <= 1; m++) {
            long col = (long)j + m;
            if (col < 0 || col >= (long)n || d[m + 1] == 0.0)
                continue;
            double dF = vf[k] * d[m + 1];
            exsol_penta_add(J, off + k - 1, off + (size_t)col, -dF);
            exsol_penta_add(J, off + k, off + (size_t)col, dF);
        }
    }
}

/* Solute 2 rows of one block at fixed globals: ∂(α g2)/∂y of alloy_growth2 through
 * the face densities (face_jac), plus the lowest face's dissolving particles. */
static void alloy_r_block(const struct fixedbin *s, const struct exsol_kwn_model *m,
                          const double *y, const double *vf, const double *v2f,
                          const double *vr, size_t n, double X, size_t blk, double *R)
{
    if (n == 0)
        return;
    if (vf[0] < 0.0)
        R[0] += m->alpha * vf[0] * s->inv_width[0] * vr[0] * X;
    for (size_t k = 1; k < n; k++) {
        size_t j;
        double d[3];
        face_jac(s, y, n, k, vf[k], blk, &j, d);
        double wk = m->alpha * v2f[k] * (vr[k] - vr[k - 1]);
        for (int o = -1; o <= 1; o++) {
            long col = (long)j + o;
            if (col >= 0 && col < (long)n && d[o + 1] != 0.0)
                R[col] += wk * d[o + 1];
        }
    }
}

/* Alloy Jacobian for the rank-k bordered-band solver: the advection bands at the
 * current globals (face velocities of the alloy), the columns of the four globals by
 * forward differences (αφ_s and αφ_b are functionals of the bins, solute 2 of each
 * population a border unknown), the oxygen diagonal likewise, the solute 2 rows'
 * direct dependence on the bins through the face densities. What the transfer puts
 * into the surface bins stays out of the bands (as for one solute). */
static int fb_jac_alloy(struct fixedbin *s, struct exsol_kwn_ctx *c, double t, const double *y,
                        SUNMatrix J, double *f1)
{
    const struct exsol_kwn_model *m = c->m;
    size_t nb = s->nb, n2 = 2 * nb, neq = s->neq;
    double g0[4], hstep[4];
    alloy_globals(s, c, y, g0);
    double *base = s->ywork; /* the right-hand side at g0 (last: sets the face velocities) */
    double *col = s->u;
    /* columns of the globals */
    double scale = 1e-3 * m->p->z;
    for (int j = 0; j < 4; j++) {
        double g[4];
        memcpy(g, g0, sizeof g);
        double h = 1e-7 * fmax(fabs(g0[j]), scale);
        g[j] += h;
        eval_rhs_alloy(s, c, t, y, g, f1);
        c->extra_rhs++;
        hstep[j] = h;
        /* f(g + h e_j) for now; the difference with the base below */
        double *dst = (j < 2) ? s->aU + (size_t)j * n2 : s->aC + (size_t)(j - 2) * n2;
        memcpy(dst, f1, n2 * sizeof *dst);
        for (int l = 0; l < 3; l++) {
            double v = f1[n2 + (size_t)l];
            if (j < 2)
                s->aG[l * 2 + j] = v;
            else
                s->aE[l * 3 + (j - 2)] = v;
        }
    }
    eval_rhs_alloy(s, c, t, y, g0, base);
    c->extra_rhs++;
    for (int j = 0; j < 4; j++) {
        double *dst = (j < 2) ? s->aU + (size_t)j * n2 : s->aC + (size_t)(j - 2) * n2;
        for (size_t i = 0; i < n2; i++)
            dst[i] = (dst[i] - base[i]) / hstep[j];
        for (int l = 0; l < 3; l++) {
            double *v = (j < 2) ? &s->aG[l * 2 + j] : &s->aE[l * 3 + (j - 2)];
            *v = (*v - base[n2 + (size_t)l]) / hstep[j];
        }
    }
    /* the oxygen column: only its own row depends on it */
    {
        memcpy(col, y, neq * sizeof *col);
        double h = 1e-7 * fmax(fabs(y[s->iq]), 1e-3);
        col[s->iq] += h;
        eval_rhs_alloy(s, c, t, col, g0, f1);
        c->extra_rhs++;
        for (int l = 0; l < 3; l++) /* (the face velocities do not depend on it) */
            s->aE[l * 3 + 2] = (f1[n2 + (size_t)l] - base[n2 + (size_t)l]) / h;
    }
    /* the functionals αφ_s, αφ_b of the bins */
    memset(s->aV, 0, 2 * n2 * sizeof *s->aV);
    for (size_t i = 0; i < nb; i++) {
        s->aV[i] = m->alpha * s->vrow[i];
        s->aV[n2 + nb + i] = m->alpha * s->vrow[nb + i];
    }
    /* bands at g0 */
    SUNMatZero(J);
    jac_block(s, J, y, s->vface, 0, nb);
    jac_block(s, J, y + nb, s->vface_b, nb, s->kcap);
    memset(s->aR, 0, 3 * n2 * sizeof *s->aR);
    alloy_r_block(s, m, y, s->vface, s->v2face, s->vrow, nb, s->Xpop[0], 0, s->aR);
    alloy_r_block(s, m, y + nb, s->vface_b, s->v2face_b, s->vrow + nb, s->kcap, s->Xpop[1], 1,
                  s->aR + n2 + nb);
    if (s->transfer && s->vface_b[s->kcap] > 0.0) {
        size_t it = nb + s->kcap - 1;
        double dF = s->vface_b[s->kcap] * s->inv_width[s->kcap - 1];
        exsol_penta_add(J, it, it, -dF);
        double dm = m->alpha * dF * s->vrow[it] * s->Xpop[1];
        s->aR[n2 + it] -= dm; /* buried loses the solute 2 it carries */
        s->aR[it] += dm;      /* the surface gains it */
    }
    return 0;
}

static int fb_jac(void *st, struct exsol_kwn_ctx *c, double t, const double *yv,
                  const double *f0, SUNMatrix J, double *f1)
{
    struct fixedbin *s = st;
    const struct exsol_kwn_model *m = c->m;
    if (s->alloy) /* eval_rhs_alloy clamps the bins itself */
        return fb_jac_alloy(s, c, t, yv, J, f1);
    const double *y = model_state(s, c->clamp, yv);
    size_t nb = s->nb, nq = 2 * nb;
    double phi = state_phi(s, c->clamp, y);
    double h = 1e-7 * fmax(phi, 1e-3 * m->p->z / m->alpha);
    if (m->p->z <= 0.0)
        h = 1e-12;
    /* rank-one column: d(rhs)/dφ at fixed bins, by a forward difference */
    eval_rhs(s, c, t, y, phi + h, f1);
    c->extra_rhs++;
    for (size_t i = 0; i < s->neq; i++)
        s->u[i] = (f1[i] - f0[i]) / h;
    double dq_dphi = s->u[nq];
    s->u[nq] = 0.0;
    /* band part at the current φ (recompute face velocities for this state) */
    eval_rhs(s, c, t, y, phi, f1);
    c->extra_rhs++;
    SUNMatZero(J);
    jac_block(s, J, y, s->vface, 0, nb);
    jac_block(s, J, y + nb, s->vface_b, nb, s->kcap);
    /* the transfer's loss from the buried top bin (its gain in the surface bins lies
     * outside the band and is left to the Newton iteration) */
    if (s->transfer && s->vface_b[s->kcap] > 0.0)
        exsol_penta_add(J, nb + s->kcap - 1, nb + s->kcap - 1,
                        -s->vface_b[s->kcap] * s->inv_width[s->kcap - 1]);
    s->terms.d = exsol_kwn_model_oxygen_jac(m);
    *exsol_penta_at(J, nq, nq) = s->terms.d;
    for (size_t i = 0; i < nq; i++)
        s->rrow[i] = dq_dphi * s->vrow[i];
    return 0;
}

static int fb_linsol(void *st, SUNContext ctx, exsol_kwn_gamma_fn gamma, void *gamma_arg,
                     SUNMatrix *A, SUNLinearSolver *LS)
{
    struct fixedbin *s = st;
    *A = exsol_penta_create(s->neq, ctx);
    if (!*A)
        return EXSOL_ENOMEM;
    *LS = s->alloy ? exsol_bbk_create(s->nb, &s->aterms, gamma, gamma_arg, ctx)
                   : exsol_bband_create(s->nb, &s->terms, gamma, gamma_arg, ctx);
    if (!*LS)
        return EXSOL_ENOMEM;
    return 0;
}

/* ---- per problem, initial state, outputs --------------------------------- */

static int fb_init(void *st, const struct exsol_kwn_ctx *c)
{
    struct fixedbin *s = st;
    const struct exsol_kwn_model *m = c->m;
    size_t nb = s->nb;
    for (size_t k = 0; k <= nb; k++)
        s->gt_face[k] = exsol_kwn_model_gt(m, s->edge[k]);
    s->kcap = exsol_kwn_film_cap(m, s->edge, nb);
    s->terms.m2 = s->kcap;
    s->aterms.m2 = s->kcap;
    /* where buried particles reaching the surface go: caps of the same metal volume */
    s->transfer = s->kcap < nb && s->kcap > 0;
    if (s->transfer) {
        double Vt = s->vol[s->kcap - 1] / m->p->cap_volume_factor;
        size_t lo = 0;
        while (lo + 2 < nb && s->vol[lo + 1] <= Vt)
            lo++;
        double v0 = s->vol[lo], v1 = s->vol[lo + 1];
        s->tr_lo = lo;
        s->tr_hi = lo + 1;
        if (Vt <= v0) { /* cannot happen for cap factors <= 1; metal kept */
            s->tr_w[0] = Vt / v0;
            s->tr_w[1] = 0.0;
        } else if (Vt >= v1) { /* beyond the grid's top bin: metal kept, number not */
            s->tr_w[0] = 0.0;
            s->tr_w[1] = Vt / v1;
        } else {
            s->tr_w[1] = (Vt - v0) / (v1 - v0);
            s->tr_w[0] = 1.0 - s->tr_w[1];
        }
    }
    for (size_t i = 0; i < nb; i++) {
        s->vrow[i] = exsol_kwn_model_dphi_surface(m, s->vol[i]);
        s->vrow[nb + i] = (i < s->kcap) ? exsol_kwn_model_dphi_buried(m, s->vol[i]) : 0.0;
    }
    s->vrow[2 * nb] = 0.0;
    return 0;
}

static void fb_initial(void *st, const struct exsol_kwn_ctx *c, double *y, double *at,
                       double *cn)
{
    struct fixedbin *s = st;
    const struct exsol_kwn_problem *p = c->m->p;
    size_t nb = s->nb;
    for (size_t i = 0; i < nb; i++) {
        y[i] = p->init_surface ? p->init_surface[i] / NSC : 0.0;
        y[nb + i] = (p->init_buried && i < s->kcap) ? p->init_buried[i] * p->L_m / NSC : 0.0;
    }
    /* absolute tolerance per bin: atol_bins on the number, and atol_phi on the
     * metal the bin holds (large particles carry most of the dopant, so a number
     * tolerance alone lets f drift by ~0.02 late in hot anneals) */
    for (size_t i = 0; i < 2 * nb; i++) {
        double a = s->atol_bins / NSC;
        if (s->vrow[i] > 0.0 && s->atol_phi / s->vrow[i] < a)
            a = s->atol_phi / s->vrow[i];
        at[i] = a;
        cn[i] = 1.0;
    }
    if (s->alloy) /* solute 2 in each population, αφ units: ~1e-3 of a bin's atol_phi */
        for (size_t b = 0; b < 2; b++) {
            y[2 * nb + b] = 0.0;
            at[2 * nb + b] = 1e-3 * c->m->alpha * s->atol_phi;
            cn[2 * nb + b] = 0.0;
        }
}

static double fb_phi(void *st, const struct exsol_kwn_ctx *c, const double *y, int reported)
{
    struct fixedbin *s = st;
    if (!reported)
        return state_phi(s, c->clamp, y);
    double phi = 0.0;
    for (size_t i = 0; i < 2 * s->nb; i++)
        phi += s->vrow[i] * fmax(y[i], 0.0);
    return phi;
}

static void fb_remap(void *st, const struct exsol_kwn_ctx *c, const double *y, double *surface,
                     double *buried)
{
    struct fixedbin *s = st;
    size_t nb = s->nb;
    for (size_t i = 0; i < nb; i++) {
        surface[i] = fmax(y[i], 0.0) * NSC;
        buried[i] = fmax(y[nb + i], 0.0) * NSC / c->m->L;
    }
}

/* State-following absolute tolerance of the bins (exsol_kwn_config.atol_pop_rel).
 * A fixed per-bin tolerance lets every empty bin hold errors of its size: BDF's
 * implicit solve of the advection spreads a front over many bins in one long step,
 * and what CVODE accepts there (< atol) grows in a supersaturated film, seeding
 * particles that never nucleated. Where a population holds few particles the static
 * 0.1 µm⁻² per bin is of the order of the whole population (La0.2Sr0.7Ni0.05Fe0.05-
 * Ti0.9O3 at 550 °C: 13.3 against the converged 10.8 µm⁻²), and a film that barely
 * nucleates exsolves what the tolerance seeded (f ∝ atol). So each bin gets
 * atol_rel times the particles of its population, at least the floor and at most
 * the static tolerance (which keeps the metal bound of atol_phi). */
static void fb_state_atol(void *st, const struct exsol_kwn_ctx *c, const double *y,
                          const double *at0, double *at)
{
    (void)c;
    struct fixedbin *s = st;
    size_t nb = s->nb;
    for (size_t b = 0; b < 2; b++) {
        double a = pop_atol(s, y, b);
        for (size_t i = 0; i < nb; i++)
            at[b * nb + i] = fmin(a, at0[b * nb + i]);
    }
    for (size_t i = 2 * nb; i < s->iq; i++) /* an alloy's solute 2: static */
        at[i] = at0[i];
}

/* ---- lifecycle ----------------------------------------------------------- */

static void fb_free(void *st)
{
    struct fixedbin *s = st;
    if (!s)
        return;
    double *a[] = {s->vol,     s->inv_width, s->inv_dc, s->dens,     s->vface,
                   s->flux,    s->u,         s->vrow,   s->rrow,     s->ywork,
                   s->gt_face, s->vface_b,   s->v2face, s->v2face_b, s->nface,
                   s->aU,      s->aV,        s->aC,     s->aR};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        free(a[i]);
    free(s);
}

static void *fb_alloc(const struct exsol_kwn_config *cfg, const struct exsol_kwn_grid *out,
                      size_t *n_dist)
{
    struct fixedbin *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    size_t nb = out->n;
    s->nb = nb;
    s->alloy = cfg->alloy;
    s->neq = 2 * nb + 1 + (s->alloy ? 2 : 0);
    s->iq = s->neq - 1;
    s->edge = out->edge;
    s->centre = out->centre;
    s->width = out->width;
    s->atol_bins = cfg->atol_bins;
    s->atol_phi = cfg->atol_phi;
    s->atol_rel = cfg->atol_pop_rel;
    s->atol_floor = cfg->atol_bins_floor / NSC;
    s->lim_c = cfg->limiter_noise;
    s->inv_width = malloc(nb * sizeof(double));
    s->inv_dc = calloc(nb, sizeof(double));
    s->dens = malloc(nb * sizeof(double));
    s->vol = malloc(nb * sizeof(double));
    s->vface = malloc((nb + 1) * sizeof(double));
    s->vface_b = malloc((nb + 1) * sizeof(double));
    s->gt_face = malloc((nb + 1) * sizeof(double));
    s->flux = malloc((nb + 1) * sizeof(double));
    s->u = calloc(s->neq, sizeof(double));
    s->vrow = calloc(s->neq, sizeof(double));
    s->rrow = calloc(s->neq, sizeof(double));
    s->ywork = calloc(s->neq, sizeof(double));
    if (!s->inv_width || !s->inv_dc || !s->dens || !s->vol || !s->vface || !s->vface_b ||
        !s->gt_face || !s->flux || !s->u || !s->vrow || !s->rrow || !s->ywork) {
        fb_free(s);
        return NULL;
    }
    if (s->alloy && (!(s->v2face = malloc((nb + 1) * sizeof(double))) ||
                     !(s->v2face_b = malloc((nb + 1) * sizeof(double))) ||
                     !(s->nface = calloc(nb + 1, sizeof(double))) ||
                     !(s->aU = calloc(4 * nb, sizeof(double))) ||
                     !(s->aV = calloc(4 * nb, sizeof(double))) ||
                     !(s->aC = calloc(6 * nb, sizeof(double))) || /* 3rd column (oxygen): 0 */
                     !(s->aR = calloc(6 * nb, sizeof(double))))) {
        fb_free(s);
        return NULL;
    }
    s->aterms = (struct exsol_bbk_terms){.m2 = nb,
                                         .kf = 2,
                                         .kz = 3,
                                         .U = s->aU,
                                         .V = s->aV,
                                         .C = s->aC,
                                         .R = s->aR,
                                         .G = s->aG,
                                         .E = s->aE};
    for (size_t i = 0; i < nb; i++) {
        s->inv_width[i] = 1.0 / s->width[i];
        s->vol[i] = exsol_kwn_sphere_volume(s->centre[i]);
    }
    for (size_t i = 1; i < nb; i++)
        s->inv_dc[i] = 1.0 / (s->centre[i] - s->centre[i - 1]);
    s->k1 = 0;
    while (s->k1 < nb && s->centre[s->k1] < cfg->r_upwind1_m)
        s->k1++;
    s->kcap = nb;
    s->terms.m2 = nb;
    s->terms.u = s->u;
    s->terms.v = s->vrow;
    s->terms.r = s->rrow;
    *n_dist = s->iq;
    return s;
}

const struct exsol_kwn_scheme_type exsol_kwn_scheme_fixedbin = {
    .name = "fixedbin",
    .alloc = fb_alloc,
    .init = fb_init,
    .initial = fb_initial,
    .phi = fb_phi,
    .rhs = fb_rhs,
    .linsol = fb_linsol,
    .jac = fb_jac,
    .remap = fb_remap,
    .free = fb_free,
    .alloy = 1,
    .solute2 = fb_solute2,
    .state_atol = fb_state_atol,
};
