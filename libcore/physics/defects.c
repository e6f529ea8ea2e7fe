/* Frozen-cation defect chemistry (defects-and-transport.md §2): V_O••, e′ and h• in
 * equilibrium with the gas (anneal) or with δ frozen (measurement).
 *
 * Unit convention: every concentration is a site fraction per formula unit (one B
 * site, volume a³); N_c, N_v and the electron activity N_c e^η are converted to the
 * same per-f.u. units; pO2 enters in atm. Then
 *   K_red = [V_O••] (N_c e^η)² pO2^{1/2} = K_red0 exp(−ΔH_red/kT)        (1)
 *   K_i   = (N_c e^η)(N_v e^{η_h}),  η_h = −η − E_g(T)/kT                  (2)
 *   n − p = x + y − 2a − (4 − v) z + 2δ − n_bg                            (3)
 * (y: fixed B-site donors Nb_Ti•, charge-weighted)
 * (written for SrTiO3: 2 and 4 are the host's A and B valences, A_valence and
 * B_valence of datasets/hosts.csv)
 * with n = N_c F_1/2(η), p = N_v F_1/2(η_h). (1) is written with the activity, not
 * with n, because the electrons are degenerate where the toolkit works (at
 * 3.7e21 cm⁻³ and 823 K the difference is ×8 to ×3700 in the n² term).
 * Site exclusion: the vacancies fill a finite set of δ_max sites per f.u.,
 * θ/(1 − θ) = u/δ_max with θ = δ/δ_max and u = K_red/(a_e² pO2^{1/2}) the dilute
 * value; δ therefore never exceeds δ_max (brownmillerite-like ABO2.5 for 0.5).
 *
 * Solution: everything is a function of η. n(η) and the activity increase, p(η) and
 * δ(η) decrease, so the neutrality residual R(η) = n − p − D − 2δ is strictly
 * increasing and has exactly one root. We bracket it (starting near the Brouwer
 * estimate, doubling outwards) and refine with Brent's method to machine precision
 * in η; the relative residual |R|/(n + p + |D| + 2δ) is then far below 1e-10.
 * The DOS mass depends on n (m_D rises from ~2 to ~4.8 m0 across 1e19–1e20 cm⁻³,
 * [L-30]); with a power law m ∝ n^α between the knots, n/m(n)^{3/2} = N_c(m0) F_1/2(η)
 * is inverted in closed form, and stays monotone as long as α < 2/3. */
#include "exsol/defects.h"

#include "exsol/constants.h"
#include "exsol/error.h"
#include "exsol/fermi.h"
#include "exsol/host.h"

#include <math.h>
#include <string.h>

#define RES_TOL 1e-12 /* accept a closed-form solution below this relative residual */

struct mlaw {
    double m_lo, m_hi, n_lo, n_hi, alpha;
};

static void mlaw_init(const struct exsol_defect_params *dp, struct mlaw *L)
{
    L->m_lo = dp->m_dos;
    L->m_hi = dp->m_dos_high > 0 ? dp->m_dos_high : dp->m_dos;
    L->n_lo = dp->n_dos_low_m3;
    L->n_hi = dp->n_dos_high_m3;
    L->alpha = 0.0;
    if (L->m_hi != L->m_lo && L->n_lo > 0 && L->n_hi > L->n_lo)
        L->alpha = log(L->m_hi / L->m_lo) / log(L->n_hi / L->n_lo);
    else
        L->m_hi = L->m_lo;
}

static double mlaw_m(const struct mlaw *L, double n_m3)
{
    if (L->alpha == 0.0 || n_m3 <= L->n_lo)
        return L->m_lo;
    if (n_m3 >= L->n_hi)
        return L->m_hi;
    return L->m_lo * pow(n_m3 / L->n_lo, L->alpha);
}

/* n from G = n / m(n)^{3/2} (m⁻³), closed form on each branch */
static double mlaw_n_from_G(const struct mlaw *L, double G)
{
    double nlo = G * L->m_lo * sqrt(L->m_lo);
    if (L->alpha == 0.0 || nlo <= L->n_lo)
        return nlo;
    double nhi = G * L->m_hi * sqrt(L->m_hi);
    if (nhi >= L->n_hi)
        return nhi;
    double e = 1.0 - 1.5 * L->alpha;
    return exp((log(nlo) - 1.5 * L->alpha * log(L->n_lo)) / e);
}

double exsol_defect_mdos(const struct exsol_defect_params *dp, double n_m3)
{
    struct mlaw L;
    mlaw_init(dp, &L);
    return mlaw_m(&L, n_m3);
}

double exsol_defect_n_of_eta(const struct exsol_defect_params *dp, double eta, double T_K)
{
    struct mlaw L;
    mlaw_init(dp, &L);
    return mlaw_n_from_G(&L, exsol_fd_Nc_m3(T_K, 1.0) * exsol_fd_half(eta));
}

double exsol_defect_Eg_J(const struct exsol_defect_params *dp, double T_K)
{
    return fmax(dp->Eg0_J - dp->Eg_beta_J_K * T_K, 0.1 * EXSOL_E);
}

int exsol_defect_params_from(const exsol_params *p, struct exsol_defect_params *dp, char *err,
                             size_t errlen)
{
    static const char *const names[] = {"a_lattice",  "m_dos",   "m_dos_high", "n_dos_low",
                                        "n_dos_high", "m_dos_h", "Eg0",        "Eg_beta",
                                        "dH_red",     "K_red0",  "delta_max",  "n_background"};
    double v[sizeof names / sizeof names[0]];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (exsol_params_lookup(p, names[i], &v[i]) != 0)
            return exsol_seterr(err, errlen, EXSOL_EUNKNOWN,
                                "defects parameter '%s' missing from the registry", names[i]);
    struct exsol_host host;
    int rc = exsol_host_default(&host, err, errlen);
    if (rc)
        return rc;
    memset(dp, 0, sizeof *dp);
    dp->A_valence = host.A_valence;
    dp->B_valence = host.B_valence;
    dp->a_lattice_m = v[0];
    dp->m_dos = v[1];
    dp->m_dos_high = v[2];
    dp->n_dos_low_m3 = v[3];
    dp->n_dos_high_m3 = v[4];
    dp->m_dos_h = v[5];
    dp->Eg0_J = v[6];
    dp->Eg_beta_J_K = v[7];
    dp->dH_red_J = v[8];
    dp->K_red0 = v[9];
    dp->delta_max = v[10];
    dp->n_background = v[11] * v[0] * v[0] * v[0];
    if (!(dp->a_lattice_m > 0 && dp->m_dos > 0 && dp->m_dos_h > 0 && dp->K_red0 > 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "defects parameters: a_lattice, masses and K_red0 must be > 0");
    struct mlaw L;
    mlaw_init(dp, &L);
    if (!(L.alpha < 2.0 / 3.0))
        return exsol_seterr(
            err, errlen, EXSOL_EVALUE,
            "defects parameters: m_dos_high/m_dos = %g over n_dos_high/n_dos_low "
            "= %g rises faster than n^(2/3); n(E_F) would not be monotone",
            L.m_hi / L.m_lo, L.n_hi / L.n_lo);
    return EXSOL_OK;
}

/* ---- the neutrality residual as a function of η ------------------------ */

struct ctx {
    struct mlaw L;
    double V_m3; /* formula-unit volume a³ */
    double kT_J, Eg_over_kT;
    double Nc1_m3; /* N_c for m = 1 */
    double Nv_m3;
    double D;         /* x − A_valence a − (B_valence − v)z − n_bg, per f.u. */
    int equilibrium;  /* 1: δ from mass action; 0: δ frozen */
    double delta;     /* frozen δ */
    double lnK;       /* ln K_red(T), per-f.u. units, atm */
    double ln_sqrt_p; /* ln pO2^{1/2}, atm */
    double delta_max;
};

struct point {
    double eta, n, p, delta, R, S; /* per f.u. */
};

static void evaluate(const struct ctx *c, double eta, struct point *pt)
{
    double n_m3 = mlaw_n_from_G(&c->L, c->Nc1_m3 * exsol_fd_half(eta));
    double eta_h = -eta - c->Eg_over_kT;
    double p_m3 = c->Nv_m3 * exsol_fd_half(eta_h);
    pt->eta = eta;
    pt->n = n_m3 * c->V_m3;
    pt->p = p_m3 * c->V_m3;
    if (c->equilibrium) {
        double m = mlaw_m(&c->L, n_m3);
        double ln_ae = log(c->Nc1_m3 * m * sqrt(m) * c->V_m3) + eta; /* activity, per f.u. */
        double ln_u = c->lnK - 2.0 * ln_ae - c->ln_sqrt_p;
        if (c->delta_max > 0) {
            double z = log(c->delta_max) - ln_u; /* δ = δ_max/(1 + e^z) */
            pt->delta = z > 0 ? c->delta_max * exp(-z) / (1.0 + exp(-z))
                              : c->delta_max / (1.0 + exp(z));
        } else {
            pt->delta = exp(fmin(ln_u, 700.0));
        }
    } else {
        pt->delta = c->delta;
    }
    pt->R = pt->n - pt->p - c->D - 2.0 * pt->delta;
    pt->S = pt->n + pt->p + fabs(c->D) + 2.0 * fabs(pt->delta) + 1e-300;
}

/* Brent's method on a bracket with R(a) < 0 < R(b); returns the best point. */
static int brent(const struct ctx *c, struct point a, struct point b, struct point *out)
{
    struct point cc = a, best;
    double d = b.eta - a.eta, e = d;
    for (int it = 0; it < 300; it++) {
        if ((b.R > 0 && cc.R > 0) || (b.R < 0 && cc.R < 0)) {
            cc = a;
            d = e = b.eta - a.eta;
        }
        if (fabs(cc.R) < fabs(b.R)) {
            a = b;
            b = cc;
            cc = a;
        }
        double tol = 2.0 * 2.2e-16 * fabs(b.eta) + 1e-15, xm = 0.5 * (cc.eta - b.eta);
        if (fabs(xm) <= tol || b.R == 0.0) {
            *out = b;
            return 0;
        }
        if (fabs(e) >= tol && fabs(a.R) > fabs(b.R)) {
            double s = b.R / a.R, pp, q;
            if (a.eta == cc.eta) {
                pp = 2.0 * xm * s;
                q = 1.0 - s;
            } else {
                double qa = a.R / cc.R, r = b.R / cc.R;
                pp = s * (2.0 * xm * qa * (qa - r) - (b.eta - a.eta) * (r - 1.0));
                q = (qa - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if (pp > 0)
                q = -q;
            pp = fabs(pp);
            if (2.0 * pp < fmin(3.0 * xm * q - fabs(tol * q), fabs(e * q))) {
                e = d;
                d = pp / q;
            } else {
                d = xm;
                e = d;
            }
        } else {
            d = xm;
            e = d;
        }
        a = b;
        double next = b.eta + (fabs(d) > tol ? d : (xm > 0 ? tol : -tol));
        evaluate(c, next, &best);
        b = best;
    }
    *out = b;
    return -1;
}

static int solve(const struct ctx *c, double eta0, struct exsol_defect_state *out)
{
    struct point p0, lo, hi, root;
    evaluate(c, eta0, &p0);
    if (fabs(p0.R) <= RES_TOL * p0.S) {
        root = p0;
    } else {
        double step = 1.0;
        lo = hi = p0;
        if (p0.R < 0) {
            for (int k = 0; hi.R < 0; k++, step *= 2) {
                if (k > 60)
                    return EXSOL_ESOLVER;
                lo = hi;
                evaluate(c, p0.eta + step, &hi);
            }
        } else {
            for (int k = 0; lo.R > 0; k++, step *= 2) {
                if (k > 60)
                    return EXSOL_ESOLVER;
                hi = lo;
                evaluate(c, p0.eta - step, &lo);
            }
        }
        if (lo.R == 0)
            root = lo;
        else if (hi.R == 0)
            root = hi;
        else
            brent(c, lo, hi, &root);
    }
    out->eta = root.eta;
    out->n = root.n;
    out->p = root.p;
    out->delta = root.delta;
    out->n_m3 = root.n / c->V_m3;
    out->p_m3 = root.p / c->V_m3;
    out->residual = fabs(root.R) / root.S;
    if (!(out->residual <= 1e-10) || !isfinite(root.eta))
        return EXSOL_ESOLVER;
    return EXSOL_OK;
}

static int ctx_init(const struct exsol_defect_params *dp, const struct exsol_lattice *lat,
                    double T_K, struct ctx *c)
{
    if (!dp || !lat || !(T_K > 0) || !isfinite(T_K) || !isfinite(lat->x_donor) ||
        !isfinite(lat->y_donor_B) || !isfinite(lat->a_vac) || !isfinite(lat->z_dopant) ||
        !isfinite(lat->v_dopant) || !(dp->a_lattice_m > 0) || !(dp->m_dos > 0) ||
        !(dp->m_dos_h > 0) || !(dp->A_valence > 0) || !(dp->B_valence > 0))
        return EXSOL_EVALUE;
    memset(c, 0, sizeof *c);
    mlaw_init(dp, &c->L);
    if (!(c->L.alpha < 2.0 / 3.0))
        return EXSOL_EVALUE;
    c->V_m3 = dp->a_lattice_m * dp->a_lattice_m * dp->a_lattice_m;
    c->kT_J = EXSOL_KB * T_K;
    c->Eg_over_kT = exsol_defect_Eg_J(dp, T_K) / c->kT_J;
    c->Nc1_m3 = exsol_fd_Nc_m3(T_K, 1.0);
    c->Nv_m3 = exsol_fd_Nc_m3(T_K, dp->m_dos_h);
    c->D = lat->x_donor + lat->y_donor_B - dp->A_valence * lat->a_vac -
           (dp->B_valence - lat->v_dopant) * lat->z_dopant - dp->n_background;
    c->delta_max = dp->delta_max;
    return EXSOL_OK;
}

/* η at which the carriers alone carry a net charge N per f.u. (N > 0: electrons,
 * N < 0: holes, N = 0: intrinsic), ignoring the other carrier */
static double eta_for_net(const struct ctx *c, double N)
{
    if (N > 0) {
        double n_m3 = N / c->V_m3, m = mlaw_m(&c->L, n_m3);
        return exsol_fd_half_inv(n_m3 / (c->Nc1_m3 * m * sqrt(m)));
    }
    double lnNc = log(c->Nc1_m3 * c->L.m_lo * sqrt(c->L.m_lo));
    if (N < 0)
        return -exsol_fd_half_inv(-N / (c->V_m3 * c->Nv_m3)) - c->Eg_over_kT;
    return 0.5 * (log(c->Nv_m3) - lnNc) - 0.5 * c->Eg_over_kT;
}

int exsol_defect_frozen(const struct exsol_defect_params *dp, const struct exsol_lattice *lat,
                        double delta, double T_K, struct exsol_defect_state *out)
{
    struct ctx c;
    int rc = ctx_init(dp, lat, T_K, &c);
    if (rc)
        return rc;
    if (!isfinite(delta))
        return EXSOL_EVALUE;
    c.equilibrium = 0;
    c.delta = delta;
    double N = c.D + 2.0 * delta;
    double eta0 = eta_for_net(&c, N);
    if (!isfinite(eta0))
        eta0 = eta_for_net(&c, 0.0);
    return solve(&c, eta0, out);
}

int exsol_defect_equilibrium(const struct exsol_defect_params *dp,
                             const struct exsol_lattice *lat, double T_K, double pO2_Pa,
                             struct exsol_defect_state *out)
{
    struct ctx c;
    int rc = ctx_init(dp, lat, T_K, &c);
    if (rc)
        return rc;
    if (!(pO2_Pa > 0) || !isfinite(pO2_Pa) || !(dp->K_red0 > 0))
        return EXSOL_EVALUE;
    c.equilibrium = 1;
    c.lnK = log(dp->K_red0) - dp->dH_red_J / c.kT_J;
    c.ln_sqrt_p = 0.5 * log(pO2_Pa / EXSOL_ATM_PA);
    /* Brouwer start: donor excess -> n ≈ D (regime II); acceptor excess -> the
     * vacancies compensate, δ ≈ −D/2, and the activity follows from (1) */
    double eta0;
    if (c.D > 0) {
        eta0 = eta_for_net(&c, c.D);
    } else {
        double d = fmax(-0.5 * c.D, 1e-6);
        if (c.delta_max > 0)
            d = fmin(d, 0.5 * c.delta_max);
        double ln_ae = 0.5 * (c.lnK - log(d) - c.ln_sqrt_p);
        eta0 = ln_ae - log(c.Nc1_m3 * c.L.m_lo * sqrt(c.L.m_lo) * c.V_m3);
    }
    if (!isfinite(eta0))
        eta0 = 0.0;
    return solve(&c, eta0, out);
}

void exsol_lattice_after_exsolution(double x, double a, double z, double v, double f,
                                    struct exsol_lattice *out)
{
    exsol_lattice_after_exsolution_y(x, 0.0, a, z, v, f, out);
}

void exsol_lattice_after_exsolution_y(double x, double y, double a, double z, double v,
                                      double f, struct exsol_lattice *out)
{
    double s = 1.0 - f * z;
    out->x_donor = x / s;
    out->y_donor_B = y / s;
    out->a_vac = 1.0 - (1.0 - a) / s;
    if (out->a_vac < 0.0)
        out->a_vac = 0.0;
    out->z_dopant = z * (1.0 - f) / s;
    out->v_dopant = v;
}
