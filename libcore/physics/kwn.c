/* KWN population balance for two particle populations sharing one solute pool,
 * integrated with CVODE. See exsol/kwn.h for the model; the choices made here:
 *
 * - State (scaled so bins are O(1) at 10³ particles µm⁻²): y[0..nb) surface
 *   particles per bin in units of NSC m⁻²; y[nb..2nb) buried particles per bin
 *   times L (per film area) in units of NSC m⁻²; y[2nb] the oxygen state q̃.
 * - Finite volumes on log-spaced edges, bin centres at the arithmetic midpoints.
 *   Face fluxes F = v(R_face)·n_face with n_face from a (C¹ superbee) limited linear
 *   reconstruction of the number density per radius in the upwind bin (first
 *   order in the two boundary bins). Particles leaving through the lowest face
 *   dissolve; the top face is closed. Buried particles cannot outgrow the film:
 *   their grid is closed at the first edge >= L/2 (diameter = thickness).
 * - Growth (§3.2, diffusion-limited, Gibbs–Thomson):
 *   v(R) = (D/R)(x_av − x_i(R))/(α − x_i(R)), x_i(R) = x_eq exp(2γV_m/(R R_g T)).
 *   Surface caps use the same law with their radius of curvature (exact for a
 *   hemisphere, whose diffusion field and volume are both half a sphere's).
 * - Nucleation (§3.1, kawin forms): ΔG_v = R_g T ln(x_av/x_eq)/V_m,
 *   R* = 2γ/ΔG_v, G_s = f·16πγ³/(3ΔG_v²), Z = V_m/(2π N_A R*²)·sqrt(γ/k_B T),
 *   β* = 4π R*² x_av D/a⁴ (kawin's binary x·D form, a = host lattice parameter),
 *   τ = 1/(θ β* Z²), J = N0 Z β* exp(−G_s/k_B T) exp(−τ/t); new particles enter at
 *   R_nuc = R* + ½ sqrt(k_B T/(πγ)), shared linearly between the two bins whose
 *   centres bracket R_nuc so the source moves smoothly across the grid.
 * - Mass balance: φ = Σ V_i N_i over both populations with bin-centre volumes
 *   (caps: times the cap volume factor); x̄ follows from the closure, so the
 *   dopant balance is exact at every state. */
#include "exsol/kwn.h"

#include "exsol/sundials_compat.h"

#include <cvode/cvode.h>
#include <cvode/cvode_ls.h>
#include <math.h>
#include <nvector/nvector_serial.h>
#include <stdlib.h>
#include <string.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include "exsol/constants.h"
#include "exsol/error.h"
#include "exsol/nvector_fast.h"
#include "exsol/sunls_bband.h"
#include "exsol/sunmat_penta.h"

#define NSC 1e15 /* scale of the bin states, m-2 (10³ µm⁻²) */
#define GT_EXP_MAX 40.0

struct exsol_kwn_solver {
    struct exsol_kwn_config cfg;
    size_t nb, neq;
    double *edge, *centre, *width, *vol; /* grid; vol = (4π/3) c³ */
    double *inv_width, *inv_dc; /* 1/width; inv_dc[i] = 1/(centre[i] − centre[i−1]) */
    double *dens;               /* work: density per radius of one block */
    /* per-problem constants */
    const struct exsol_kwn_problem *p;
    double alpha, lc, D, L, rdet;
    double *xi_face;   /* Gibbs–Thomson solute at each edge [nb+1] */
    double *vcoef;     /* D/(R (α − x_i)) at each edge [nb+1]: v = vcoef·(x_av − x_i) */
    size_t kcap;       /* buried grid closed at edge kcap (<= nb) */
    size_t k1;         /* bins [0, k1) (centre < r_upwind1): first-order shrinking fluxes */
    double N0s_sc, N0b_sc; /* nucleation sites per area in NSC units */
    double f_ex;       /* exsolvable fraction of z (for the roots) */
    /* work */
    double *vface, *flux; /* face velocities; per-bin slopes (work) */
    double *u, *vrow, *rrow; /* rank-one column, φ-row (∂φ/∂y), oxygen row */
    struct exsol_bband_terms terms; /* what the bordered-band solver reads of them */
    N_Vector y, abstol, cons, yout; /* yout: interpolated outputs */
    SUNContext ctx;
    void *cv;
    SUNMatrix A;
    SUNLinearSolver LS;
    long extra_rhs;
    int clamp;            /* 1: RHS uses positive parts of the bins */
    double *ywork;
    char last_msg[200];   /* last CVODE error message */
};

double exsol_kwn_wetting_factor(double theta_rad)
{
    double c = cos(theta_rad);
    return (2.0 + c) * (1.0 - c) * (1.0 - c) / 4.0;
}

void exsol_kwn_config_default(struct exsol_kwn_config *c)
{
    c->nbins = 120;
    c->r_min_m = 0.2e-9;
    c->r_max_m = 150e-9;
    c->rtol = 1e-6;
    c->atol_bins = 1e11;
    c->atol_oxygen = 1e-10;
    c->atol_phi = 1e-7;
    c->max_steps = 20000;
    c->h_init_s = 1e-6;
    c->ntimes = 33;
    c->t_first_frac = 1e-4;
    c->dense_fd = 0;
    c->keep_history = 0;
    c->max_order = 2;
    c->newton_conv_coef = 0.1;
    c->r_upwind1_m = 0.5e-9;
}

const double *exsol_kwn_radius(const exsol_kwn_solver *s) { return s->centre; }
const double *exsol_kwn_width(const exsol_kwn_solver *s) { return s->width; }

/* ---- model pieces ------------------------------------------------------- */

static double pos(const exsol_kwn_solver *s, double v)
{
    return (s->clamp && v < 0.0) ? 0.0 : v;
}

/* Metal volume per film volume from the scaled state. */
static double state_phi(const exsol_kwn_solver *s, const double *y)
{
    double acc = 0.0;
    for (size_t i = 0; i < 2 * s->nb; i++)
        acc += s->vrow[i] * pos(s, y[i]);
    return acc;
}

static double delta_eq_at(const struct exsol_kwn_problem *p, double f)
{
    size_t n = p->n_delta_eq;
    if (!p->delta_eq || n == 0)
        return p->delta0;
    if (n == 1)
        return p->delta_eq[0];
    double h = 1.0 / (double)(n - 1);
    if (f <= 0.0)
        return p->delta_eq[0];
    if (f >= 1.0)
        return p->delta_eq[n - 1];
    size_t i = (size_t)(f / h);
    if (i >= n - 1)
        i = n - 2;
    double t = (f - (double)i * h) / h;
    /* cubic Hermite with centred slopes (one-sided at the ends) */
    const double *d = p->delta_eq;
    double m0 = (i == 0) ? d[1] - d[0] : 0.5 * (d[i + 1] - d[i - 1]);
    double m1 = (i + 1 == n - 1) ? d[n - 1] - d[n - 2] : 0.5 * (d[i + 2] - d[i]);
    double t2 = t * t, t3 = t2 * t;
    return (2 * t3 - 3 * t2 + 1) * d[i] + (t3 - 2 * t2 + t) * m0 + (-2 * t3 + 3 * t2) * d[i + 1] +
           (t3 - t2) * m1;
}

/* Nucleation rate per site (1/s) and insertion radius for one population. */
static double nucleation_rate(const exsol_kwn_solver *s, double xav, double fbar, double t,
                              double *Rnuc)
{
    const struct exsol_kwn_problem *p = s->p;
    *Rnuc = 0.0;
    if (!p->nucleation || t <= 0.0 || xav <= p->x_eq)
        return 0.0;
    double T = p->T_K, g = p->gamma_J_m2, Vm = p->Vm_metal_m3_mol;
    double dGv = EXSOL_RGAS * T * log(xav / p->x_eq) / Vm;
    if (!(dGv > 0.0))
        return 0.0;
    double Rs = 2.0 * g / dGv;
    double Gs = fbar * 16.0 * EXSOL_PI * g * g * g / (3.0 * dGv * dGv);
    double Z = Vm / (2.0 * EXSOL_PI * EXSOL_NA * Rs * Rs) * sqrt(g / (EXSOL_KB * T));
    double a2 = p->a_host_m * p->a_host_m;
    double beta = 4.0 * EXSOL_PI * Rs * Rs * xav * s->D / (a2 * a2);
    double tau = 1.0 / (p->incubation_theta * beta * Z * Z);
    *Rnuc = Rs + 0.5 * sqrt(EXSOL_KB * T / (EXSOL_PI * g));
    double ex = -Gs / (EXSOL_KB * T) - tau / t;
    if (ex < -700.0)
        return 0.0;
    return Z * beta * exp(ex);
}

/* Adds a nucleation source `rate` (scaled units/s) at radius R into one block of
 * bins [0, nmax), split linearly between the bracketing centres. */
static void add_source(const exsol_kwn_solver *s, double *dy, size_t nmax, double R, double rate)
{
    if (rate == 0.0 || nmax == 0)
        return;
    const double *c = s->centre;
    if (R <= c[0]) {
        dy[0] += rate;
        return;
    }
    if (R >= c[nmax - 1]) {
        dy[nmax - 1] += rate;
        return;
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

static double smin(double x, double y, double e) { return 0.5 * (x + y - sabs(x - y, e)); }

static double smax(double x, double y, double e) { return 0.5 * (x + y + sabs(x - y, e)); }

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

/* σ(a, b) and its partial derivatives (forward differences). */
static double limiter(double a, double b, double *da, double *db)
{
    double v = superbee_c1(a, b);
    double ha = 1e-7 * (fabs(a) + fabs(b));
    *da = *db = 0.0;
    if (ha > 0.0) {
        *da = (superbee_c1(a + ha, b) - v) / ha;
        *db = (superbee_c1(a, b + ha) - v) / ha;
    }
    return v;
}

/* Advection of one block of n active bins: dy += F_k - F_{k+1}. Densities per
 * radius (dn = y/w), the gradients between centres and the limited slope of
 * each bin (0 in the two end bins) are computed once per call, with the
 * reciprocal widths and centre spacings of the grid (no divisions here). */
static void advect(exsol_kwn_solver *s, const double *y, size_t n, const double *vf, double *dy)
{
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
            sl[i] = superbee_c1(gl, gr);
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
    }
}

/* Right-hand side; phi_override < 0 means "from the state". Fills face velocities
 * (vface) and face densities as a side effect for the Jacobian. */
static void eval_rhs(exsol_kwn_solver *s, double t, const double *y, double phi_override,
                     double *dy)
{
    const struct exsol_kwn_problem *p = s->p;
    size_t nb = s->nb;
    double phi = (phi_override >= 0.0) ? phi_override : state_phi(s, y);
    double aphi = s->alpha * phi;
    double xav = (p->z_ex - aphi) / (1.0 - aphi);
    if (xav < 1e-300)
        xav = 1e-300;
    memset(dy, 0, s->neq * sizeof *dy);
    for (size_t k = 0; k <= nb; k++)
        s->vface[k] = s->vcoef[k] * (xav - s->xi_face[k]);
    advect(s, y, nb, s->vface, dy);
    advect(s, y + nb, s->kcap, s->vface, dy + nb);
    double Rn;
    double Js = nucleation_rate(s, xav, p->f_surface, t, &Rn);
    add_source(s, dy, nb, Rn, Js * s->N0s_sc);
    double Jb = nucleation_rate(s, xav, p->f_buried, t, &Rn);
    add_source(s, dy + nb, s->kcap, Rn, Jb * s->N0b_sc);
    /* oxygen */
    double zf = aphi; /* f·z */
    double f = (p->z > 0.0) ? aphi / p->z : 0.0;
    double q = y[2 * nb];
    double dprime = 3.0 - (q - 0.5 * p->v_dopant * zf) / (1.0 - zf);
    dy[2 * nb] = -(1.0 - zf) * (p->k_chem_m_s / s->L) * (delta_eq_at(p, f) - dprime);
}

/* The state as the model sees it: positive parts of the bins when unconstrained. */
static const double *model_state(exsol_kwn_solver *s, const double *y)
{
    if (!s->clamp)
        return y;
    for (size_t i = 0; i < s->neq; i++)
        s->ywork[i] = (i < 2 * s->nb && y[i] < 0.0) ? 0.0 : y[i];
    return s->ywork;
}

static int cv_rhs(sunrealtype t, N_Vector yv, N_Vector ydot, void *ud)
{
    exsol_kwn_solver *s = ud;
    eval_rhs(s, t, model_state(s, N_VGetArrayPointer(yv)), -1.0, N_VGetArrayPointer(ydot));
    return 0;
}

static void face_jac(const exsol_kwn_solver *s, const double *y, size_t n, size_t k, double v,
                     size_t *jout, double d[3])
{
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
    limiter(a, b, &da, &db);
    if (da == 0.0 && db == 0.0)
        return;
    double fac = sgn * w[j];
    /* σ depends on a = (n0 - nm)/h_l and b = (np - n0)/h_r */
    d[0] += fac * (-da * ih[j]) * iw[j - 1];
    d[1] += fac * (da * ih[j] - db * ih[j + 1]) * iw[j];
    d[2] += fac * (db * ih[j + 1]) * iw[j + 1];
}

static void jac_block(exsol_kwn_solver *s, SUNMatrix J, const double *y, size_t off, size_t n)
{
    const double *vf = s->vface;
    if (n == 0)
        return;
    if (vf[0] < 0.0)
        exsol_penta_add(J, off, off, vf[0] / s->width[0]);
    for (size_t k = 1; k < n; k++) {
        size_t j;
        double d[3];
        face_jac(s, y, n, k, vf[k], &j, d);
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

static int cv_jac(sunrealtype t, N_Vector yv, N_Vector fy, SUNMatrix J, void *ud, N_Vector t1,
                  N_Vector t2, N_Vector t3)
{
    (void)t2;
    (void)t3;
    exsol_kwn_solver *s = ud;
    const double *y = model_state(s, N_VGetArrayPointer(yv));
    const double *f0 = N_VGetArrayPointer(fy);
    double *f1 = N_VGetArrayPointer(t1);
    size_t nb = s->nb, nq = 2 * nb;
    double phi = state_phi(s, y);
    double h = 1e-7 * fmax(phi, 1e-3 * s->p->z_ex / s->alpha);
    if (s->p->z_ex <= 0.0)
        h = 1e-12;
    /* rank-one column: d(rhs)/dφ at fixed bins, by a forward difference */
    eval_rhs(s, t, y, phi + h, f1);
    s->extra_rhs++;
    for (size_t i = 0; i < s->neq; i++)
        s->u[i] = (f1[i] - f0[i]) / h;
    double dq_dphi = s->u[nq];
    s->u[nq] = 0.0;
    /* band part at the current φ (recompute face velocities for this state) */
    eval_rhs(s, t, y, phi, f1);
    s->extra_rhs++;
    SUNMatZero(J);
    jac_block(s, J, y, 0, nb);
    jac_block(s, J, y + nb, nb, s->kcap);
    s->terms.d = -s->p->k_chem_m_s / s->L;
    *exsol_penta_at(J, nq, nq) = s->terms.d;
    for (size_t i = 0; i < nq; i++)
        s->rrow[i] = dq_dphi * s->vrow[i];
    return 0;
}

/* γ of the Newton matrix, for the bordered-band solver's set-up. */
static int current_gamma(void *arg, double *g)
{
    exsol_kwn_solver *s = arg;
    sunrealtype gr;
    if (CVodeGetCurrentGamma(s->cv, &gr) != CV_SUCCESS)
        return -1;
    *g = gr;
    return 0;
}

/* ---- roots -------------------------------------------------------------- */

/* g_i = f − (½, 0.9)·f_ex: the times at which half and 90 % of the exsolvable
 * dopant has left the lattice are their first sign changes (CVODE root-finding;
 * in one-step mode it searches each whole step, so the roots, too, do not depend
 * on anyone's output times). */
static int cv_roots(sunrealtype t, N_Vector yv, sunrealtype *g, void *ud)
{
    (void)t;
    exsol_kwn_solver *s = ud;
    const double *y = N_VGetArrayPointer(yv);
    if (!(s->f_ex > 0.0) || !(s->p->z > 0.0)) {
        g[0] = g[1] = 1.0;
        return 0;
    }
    double f = s->alpha * state_phi(s, y) / s->p->z;
    g[0] = f - 0.5 * s->f_ex;
    g[1] = f - 0.9 * s->f_ex;
    return 0;
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
    free(s->edge);
    free(s->centre);
    free(s->width);
    free(s->inv_width);
    free(s->inv_dc);
    free(s->dens);
    free(s->vol);
    free(s->xi_face);
    free(s->vcoef);
    free(s->vface);
    free(s->flux);
    free(s->u);
    free(s->vrow);
    free(s->rrow);
    free(s->ywork);
    free(s);
}

int exsol_kwn_solver_create(const struct exsol_kwn_config *cfg, exsol_kwn_solver **out,
                            char *err, size_t errlen)
{
    *out = NULL;
    if (cfg->nbins < 10 || !(cfg->r_min_m > 0.0) || !(cfg->r_max_m > cfg->r_min_m) ||
        !(cfg->rtol > 0.0) || !(cfg->atol_bins > 0.0) || !(cfg->atol_oxygen > 0.0) || !(cfg->atol_phi > 0.0) ||
        cfg->ntimes < 2 || !(cfg->h_init_s > 0.0) || !(cfg->t_first_frac > 0.0 && cfg->t_first_frac < 1.0) ||
        cfg->max_order < 1 || cfg->max_order > 5 ||
        !(cfg->newton_conv_coef > 0.0 && cfg->newton_conv_coef <= 1.0) ||
        !(cfg->r_upwind1_m >= 0.0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "invalid KWN configuration");
    exsol_kwn_solver *s = calloc(1, sizeof *s);
    if (!s)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    s->cfg = *cfg;
    size_t nb = cfg->nbins;
    s->nb = nb;
    s->neq = 2 * nb + 1;
    s->edge = malloc((nb + 1) * sizeof(double));
    s->centre = malloc(nb * sizeof(double));
    s->width = malloc(nb * sizeof(double));
    s->inv_width = malloc(nb * sizeof(double));
    s->inv_dc = calloc(nb, sizeof(double));
    s->dens = malloc(nb * sizeof(double));
    s->vol = malloc(nb * sizeof(double));
    s->xi_face = malloc((nb + 1) * sizeof(double));
    s->vcoef = malloc((nb + 1) * sizeof(double));
    s->vface = malloc((nb + 1) * sizeof(double));
    s->flux = malloc((nb + 1) * sizeof(double));
    s->u = calloc(s->neq, sizeof(double));
    s->vrow = calloc(s->neq, sizeof(double));
    s->rrow = calloc(s->neq, sizeof(double));
    s->ywork = calloc(s->neq, sizeof(double));
    if (!s->edge || !s->centre || !s->width || !s->inv_width || !s->inv_dc || !s->dens ||
        !s->vol || !s->xi_face || !s->vcoef || !s->vface ||
        !s->flux || !s->u || !s->vrow || !s->rrow || !s->ywork)
        goto nomem;
    double lr = log(cfg->r_max_m / cfg->r_min_m) / (double)nb;
    for (size_t k = 0; k <= nb; k++)
        s->edge[k] = cfg->r_min_m * exp(lr * (double)k);
    for (size_t i = 0; i < nb; i++) {
        s->centre[i] = 0.5 * (s->edge[i] + s->edge[i + 1]);
        s->width[i] = s->edge[i + 1] - s->edge[i];
        s->inv_width[i] = 1.0 / s->width[i];
        s->vol[i] = 4.0 * EXSOL_PI / 3.0 * s->centre[i] * s->centre[i] * s->centre[i];
    }
    for (size_t i = 1; i < nb; i++)
        s->inv_dc[i] = 1.0 / (s->centre[i] - s->centre[i - 1]);
    s->k1 = 0;
    while (s->k1 < nb && s->centre[s->k1] < cfg->r_upwind1_m)
        s->k1++;
    if (exsol_sun_context_create(&s->ctx) != 0)
        goto nomem;
    sunindextype n = (sunindextype)s->neq;
    s->y = N_VNew_Serial(n, s->ctx);
    s->abstol = N_VNew_Serial(n, s->ctx);
    s->cons = N_VNew_Serial(n, s->ctx);
    s->yout = N_VNew_Serial(n, s->ctx);
    if (!s->y || !s->abstol || !s->cons || !s->yout)
        goto nomem;
    exsol_nv_fast_ops(s->y);
    s->cv = CVodeCreate(CV_BDF, s->ctx);
    if (!s->cv)
        goto nomem;
    N_VConst(0.0, s->y);
    if (CVodeInit(s->cv, cv_rhs, 0.0, s->y) != CV_SUCCESS)
        goto fail;
    if (cfg->dense_fd) {
        s->A = SUNDenseMatrix(n, n, s->ctx);
        if (!s->A)
            goto nomem;
        s->LS = SUNLinSol_Dense(s->y, s->A, s->ctx);
        if (!s->LS)
            goto nomem;
        if (CVodeSetLinearSolver(s->cv, s->LS, s->A) != CV_SUCCESS)
            goto fail;
    } else {
        s->A = exsol_penta_create(s->neq, s->ctx);
        if (!s->A)
            goto nomem;
        s->terms.u = s->u;
        s->terms.v = s->vrow;
        s->terms.r = s->rrow;
        s->LS = exsol_bband_create(nb, &s->terms, current_gamma, s, s->ctx);
        if (!s->LS)
            goto nomem;
        if (CVodeSetLinearSolver(s->cv, s->LS, s->A) != CV_SUCCESS)
            goto fail;
        if (CVodeSetJacFn(s->cv, cv_jac) != CV_SUCCESS)
            goto fail;
    }
    /* no CVodeSetMaxNumSteps: in one-step mode every call takes one step; integrate()
     * enforces max_steps between each anneal's own output times */
    if (CVodeSetUserData(s->cv, s) != CV_SUCCESS ||
        CVodeRootInit(s->cv, 2, cv_roots) != CV_SUCCESS)
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
    double **a[] = {&r->time_frac, &r->f_t,   &r->phi_t,   &r->xbar_t, &r->delta_t,
                    &r->ns_t,      &r->ds_t,  &r->nb_t,    &r->db_t,   &r->radius_m,
                    &r->width_m,   &r->surface, &r->buried, &r->hist};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) {
        free(*a[i]);
        *a[i] = NULL;
    }
}

static int result_alloc(struct exsol_kwn_result *r, size_t nt, size_t nb, int hist)
{
    memset(r, 0, sizeof *r);
    r->ntimes = nt;
    r->nbins = nb;
    double **a[] = {&r->time_frac, &r->f_t,  &r->phi_t, &r->xbar_t, &r->delta_t,
                    &r->ns_t,      &r->ds_t, &r->nb_t,  &r->db_t};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        if (!(*a[i] = calloc(nt, sizeof(double))))
            return -1;
    if (!(r->radius_m = calloc(nb, sizeof(double))) || !(r->width_m = calloc(nb, sizeof(double))) ||
        !(r->surface = calloc(nb, sizeof(double))) || !(r->buried = calloc(nb, sizeof(double))))
        return -1;
    if (hist && !(r->hist = calloc(nt * 2 * nb, sizeof(double))))
        return -1;
    return 0;
}

/* Records the state at output index k. Interpolated outputs can hold tiny
 * negative bins (CVODE enforces the constraints on steps, not on interpolants):
 * everything reported uses the positive parts, and x̄ follows from the closure
 * with the φ of the reported distributions, so the balance holds for them. */
static void record(exsol_kwn_solver *s, const double *y, struct exsol_kwn_result *r, size_t k)
{
    const struct exsol_kwn_problem *p = s->p;
    size_t nb = s->nb;
    double phi = 0.0;
    for (size_t i = 0; i < 2 * nb; i++)
        phi += s->vrow[i] * fmax(y[i], 0.0);
    double aphi = s->alpha * phi;
    r->phi_t[k] = phi;
    r->f_t[k] = (p->z > 0.0) ? aphi / p->z : 0.0;
    r->xbar_t[k] = (p->z - aphi) / (1.0 - aphi);
    r->delta_t[k] = 3.0 - (y[2 * nb] - 0.5 * p->v_dopant * aphi) / (1.0 - aphi);
    double ns = 0, ms = 0, nbv = 0, mb = 0;
    for (size_t i = 0; i < nb; i++) {
        if (s->centre[i] < s->rdet)
            continue;
        double a = fmax(y[i], 0.0) * NSC, b = fmax(y[nb + i], 0.0) * NSC / s->L;
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
            r->hist[k * 2 * nb + i] = fmax(y[i], 0.0) * NSC;
            r->hist[k * 2 * nb + nb + i] = fmax(y[nb + i], 0.0) * NSC / s->L;
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
    st->steps = v;
    CVodeGetNumRhsEvals(s->cv, &v);
    st->rhs_evals = v + s->extra_rhs;
    CVodeGetNumJacEvals(s->cv, &v);
    st->jac_evals = v;
    CVodeGetNumErrTestFails(s->cv, &v);
    st->err_test_fails = v;
    CVodeGetNumNonlinSolvConvFails(s->cv, &v);
    st->conv_fails = v;
    CVodeGetNumLinSolvSetups(s->cv, &v);
    st->lin_setups = v;
    CVodeGetNumStepSolveFails(s->cv, &v);
    st->step_fails = v;
    st->constraint_fails = exsol_nv_minquotient_calls() - cf0;
}

/* One integration attempt from t = 0 (with or without positivity constraints):
 * the active members' common trajectory, to the latest of their ends.
 * CVODE steps on its own (CV_ONE_STEP, a fixed first step, no stop time), so the
 * sequence of steps does not depend on any member's end or output times: every
 * output is CVODE's interpolant at that time, CVODE's root-finding searches each
 * whole step, and a member's statistics are the counters when the step that
 * passes its end is done. A member therefore gets the same bytes whether it is
 * integrated alone or with others that differ only in t_end. */
static int integrate(exsol_kwn_solver *s, const struct exsol_kwn_problem *p,
                     struct member *mem, size_t nm, int constrained)
{
    const struct exsol_kwn_config *cfg = &s->cfg;
    size_t nb = s->nb, nt = cfg->ntimes;
    double *y = N_VGetArrayPointer(s->y);
    double *yo = N_VGetArrayPointer(s->yout);
    double *at = N_VGetArrayPointer(s->abstol);
    double *cn = N_VGetArrayPointer(s->cons);
    s->clamp = !constrained;
    s->extra_rhs = 0;
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
    for (size_t i = 0; i < nb; i++) {
        y[i] = p->init_surface ? p->init_surface[i] / NSC : 0.0;
        y[nb + i] = (p->init_buried && i < s->kcap) ? p->init_buried[i] * p->L_m / NSC : 0.0;
    }
    /* absolute tolerance per bin: atol_bins on the number, and atol_phi on the
     * metal the bin holds (large particles carry most of the dopant, so a number
     * tolerance alone lets f drift by ~0.02 late in hot anneals) */
    for (size_t i = 0; i < 2 * nb; i++) {
        double a = cfg->atol_bins / NSC;
        if (s->vrow[i] > 0.0 && cfg->atol_phi / s->vrow[i] < a)
            a = cfg->atol_phi / s->vrow[i];
        at[i] = a;
        cn[i] = 1.0;
    }
    double aphi0 = s->alpha * state_phi(s, y);
    /* q̃ from δ′ = δ0 at the initial f */
    y[2 * nb] = (3.0 - p->delta0) * (1.0 - aphi0) + 0.5 * p->v_dopant * aphi0;
    at[2 * nb] = cfg->atol_oxygen;
    cn[2 * nb] = 0.0;
    int flag = CVodeReInit(s->cv, 0.0, s->y);
    if (flag == CV_SUCCESS)
        flag = CVodeSVtolerances(s->cv, cfg->rtol, s->abstol);
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
        flag = CVodeSetLSetupFrequency(s->cv, cfg->dense_fd ? 20 : 1);
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
                snprintf(r->reason, sizeof r->reason, "CVODE failed at t = %.4g s: %s%s%.80s", t,
                         name ? name : "?", s->last_msg[0] ? ": " : "", s->last_msg);
                r->status = 1;
                snapshot_stats(s, &r->stats, cf0);
                mem[j].active = 0;
            }
            free(name);
            break;
        }
        if (flag == CV_ROOT_RETURN) { /* inside the last step; the next call returns its end */
            int rf[2] = {0, 0};
            CVodeGetRootInfo(s->cv, rf);
            for (int i = 0; i < 2; i++)
                if (rf[i] != 0 && isnan(roots[i]))
                    roots[i] = t;
            continue;
        }
        long nst;
        CVodeGetNumSteps(s->cv, &nst);
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
                for (size_t i = 0; i < nb; i++) {
                    r->surface[i] = fmax(yo[i], 0.0) * NSC;
                    r->buried[i] = fmax(yo[nb + i], 0.0) * NSC / p->L_m;
                }
                r->t_half_s = roots[0] <= m->t_end ? roots[0] : NAN;
                r->t_90_s = roots[1] <= m->t_end ? roots[1] : NAN;
                snapshot_stats(s, &r->stats, cf0);
                m->active = 0;
                nactive--;
            } else if (nst - m->steps_mark > cfg->max_steps ||
                       (m->next < nt && m->t_end * r->time_frac[m->next] <= t)) {
                if (nst - m->steps_mark > cfg->max_steps)
                    snprintf(r->reason, sizeof r->reason,
                             "CVODE failed at t = %.4g s: more than %ld steps between output "
                             "times (max_steps)", t, cfg->max_steps);
                else
                    snprintf(r->reason, sizeof r->reason,
                             "CVODE could not interpolate at t = %.4g s", t);
                r->status = 1;
                snapshot_stats(s, &r->stats, cf0);
                m->active = 0;
                nactive--;
            }
        }
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
        if (result_alloc(&res[j], cfg->ntimes, nb, cfg->keep_history) != 0) {
            for (size_t i = 0; i <= j; i++)
                exsol_kwn_result_release(&res[i]);
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        }
        res[j].t_half_s = res[j].t_90_s = NAN;
    }
    if (n == 0 || bad_t || !(p->T_K > 0) || !(p->L_m > 0) || !(p->D_m2_s > 0) ||
        !(p->z >= 0 && p->z < 1) || !(p->z_ex >= 0 && p->z_ex <= p->z) || !(p->x_eq > 0) ||
        !(p->Vm_metal_m3_mol > 0) || !(p->a_host_m > 0) || !(p->gamma_J_m2 > 0) ||
        !(p->N0_surface_m2 >= 0) || !(p->N0_buried_m3 >= 0) || !(p->f_surface > 0) ||
        !(p->f_buried > 0) || !(p->cap_volume_factor > 0) || !(p->incubation_theta > 0) ||
        !(p->k_chem_m_s >= 0) || !isfinite(p->delta0) || !(p->v_dopant >= 0)) {
        for (size_t j = 0; j < n; j++)
            exsol_kwn_result_release(&res[j]);
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "invalid KWN problem");
    }
    s->p = p;
    s->D = p->D_m2_s;
    s->L = p->L_m;
    s->rdet = r_detect_m;
    s->alpha = EXSOL_NA * p->a_host_m * p->a_host_m * p->a_host_m / p->Vm_metal_m3_mol;
    s->lc = 2.0 * p->gamma_J_m2 * p->Vm_metal_m3_mol / (EXSOL_RGAS * p->T_K);
    for (size_t k = 0; k <= nb; k++) {
        double e = s->lc / s->edge[k];
        if (e > GT_EXP_MAX)
            e = GT_EXP_MAX;
        double xi = p->x_eq * exp(e);
        if (xi > 0.5 * s->alpha)
            xi = 0.5 * s->alpha;
        s->xi_face[k] = xi;
        s->vcoef[k] = s->D / (s->edge[k] * (s->alpha - xi));
    }
    s->kcap = nb;
    for (size_t k = 1; k <= nb; k++)
        if (s->edge[k] >= 0.5 * p->L_m) {
            s->kcap = k;
            break;
        }
    s->terms.m2 = s->kcap;
    s->N0s_sc = p->N0_surface_m2 / NSC;
    s->N0b_sc = p->N0_buried_m3 * p->L_m / NSC;
    for (size_t i = 0; i < nb; i++) {
        s->vrow[i] = NSC / p->L_m * s->vol[i] * p->cap_volume_factor;
        s->vrow[nb + i] = (i < s->kcap) ? NSC / p->L_m * s->vol[i] : 0.0;
    }
    s->vrow[2 * nb] = 0.0;
    /* exsolvable fraction: solute can fall to x_eq, and only z_ex can leave */
    s->f_ex = 0.0;
    if (p->z > 0 && p->z_ex > p->x_eq)
        s->f_ex = (p->z_ex - p->x_eq) / (p->z * (1.0 - p->x_eq));
    s->extra_rhs = 0;

    if ((p->init_surface || p->init_buried) && p->z > 0) {
        double phi0 = 0.0;
        for (size_t i = 0; i < nb; i++) {
            phi0 += p->init_surface ? s->vrow[i] * p->init_surface[i] / NSC : 0.0;
            phi0 += p->init_buried ? s->vrow[nb + i] * p->init_buried[i] * p->L_m / NSC : 0.0;
        }
        if (!(s->alpha * phi0 < p->z_ex + 1e-12)) {
            for (size_t j = 0; j < n; j++)
                exsol_kwn_result_release(&res[j]);
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "initial particles hold more than the exsolvable dopant");
        }
    }
    size_t nt = cfg->ntimes;
    double lf = log10(cfg->t_first_frac);
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
        for (size_t k = 0; k < nt; k++)
            r->time_frac[k] = (k + 1 == nt) ? 1.0 : pow(10.0, lf - lf * (double)k / (double)(nt - 1));
        mem[j].t_end = t_end_s[j];
        mem[j].r = r;
        mem[j].active = 1;
    }
    /* Positivity constraints first; if CVODE cannot satisfy them (it happens
     * where a bin empties during fast coarsening), integrate again without them
     * for the members that were not finished: the right-hand side then sees only
     * the positive parts of the bins. */
    int rc = integrate(s, p, mem, n, 1);
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
        rc = integrate(s, p, mem, n, 0);
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
    s->p = NULL;
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
