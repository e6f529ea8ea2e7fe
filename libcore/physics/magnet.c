/* Magnetism of exsolved metal nanoparticles and of the host film.
 *
 * The physics and the choice of forms are summarised in exsol/magnet.h; the
 * calibration of the size-dependent anisotropy term is in docs/magnet-calibration.md.
 * Notes on why things are done the way they are:
 *
 * - Everything that depends only on the parameters (the random-axis Stoner–Wohlfarth
 *   descending branch as a function of reduced field and reduced temperature) is
 *   tabulated once in exsol_mag_model_create, so a candidate costs a few table look-ups
 *   per particle bin and field point.
 * - The SW branch of one particle is found from the equilibrium condition written as
 *   h(θ) = −sin 2θ / (2 sin(θ − ψ)) (θ: moment angle from the easy axis, ψ: field
 *   angle), which is monotone on the metastable branch between the critical angle
 *   θ_c = −atan(tan^{1/3} ψ) (astroid) and ψ; a safeguarded Newton solve in θ is
 *   therefore always bracketed.
 * - Thermal activation: a particle whose easy axis makes angle ψ with the field leaves
 *   its metastable well when the Pfeiffer barrier E_B (1 − h/h_sw)^{a + b h_sw} falls
 *   to k_B (T − T*) ln(τ_m/τ0), i.e. at h = h_sw (1 − t^{1/(a + b h_sw)}) with
 *   t = (T − T*)/(T_B − T*). For aligned particles this is Kneller's law
 *   1 − t^{1/2}; for the random assembly the decline comes out of the average.
 * - Blocked particles are frozen, unblocked ones are in equilibrium (two-state
 *   blocking model). The step at T_B is the model's; across a radius bin T_B is
 *   spread between its values at the bin edges, so coarse grids give smooth curves.
 * - Langevin curves on the evenly spaced field grid use one exp per particle bin:
 *   exp(−2x) along an arithmetic sequence of x is geometric. */
#include "exsol/magnet.h"

#include "exsol/constants.h"
#include "exsol/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* SW table resolution: the random-assembly remanence (0.5) comes out within 2e-3 and
 * the coercivity within 1e-3 of a direct root solve (0.4822 H_K; tests/unit/test_magnet.c). */
#define SW_NPSI 160
#define SW_NH 2401
#define SW_HMAX 8.0
#define SW_NT 41
#define KUZ_N 257 /* per-candidate M_s(T)/M_s(0) table for the ZFC/FC sweep */

struct exsol_mag_model {
    struct exsol_mag_params p;
    double ln_ratio; /* ln(τ_m/τ0) */
    double sw_dh;    /* h grid step */
    double *sw;      /* [SW_NT][SW_NH] descending branch M/M_s */
};

/* ---- small functions ------------------------------------------------------ */

static inline double langevin(double x)
{
    double ax = fabs(x);
    if (ax < 0.05) {
        double x2 = x * x;
        /* x/3 − x³/45 + 2x⁵/945 − x⁷/4725: truncation error < 1e-13 relative here */
        return x * (1.0 / 3.0 - x2 * (1.0 / 45.0 - x2 * (2.0 / 945.0 - x2 / 4725.0)));
    }
    if (ax > 20.0)
        return (x > 0 ? 1.0 : -1.0) - 1.0 / x; /* coth x − 1 < 1e-17 */
    /* coth from one exp (faster than tanh); 1 − e ≥ 0.095 here, so no cancellation
     * beyond the ~1e-13 relative of coth − 1/x at x = 0.05 */
    double e = exp(-2.0 * ax);
    double L = (1.0 + e) / (1.0 - e) - 1.0 / ax;
    return x > 0 ? L : -L;
}

double exsol_mag_langevin(double x)
{
    return langevin(x);
}

double exsol_mag_brillouin(double S, double x)
{
    if (!(S > 0))
        return 0.0;
    double a = (2.0 * S + 1.0) / (2.0 * S), b = 1.0 / (2.0 * S);
    if (fabs(x) < 1e-3) /* B_S ≈ (S+1)x/(3S) − ...; cubic term [(2S+1)^4 − 1]/(45 (2S)^4) */
        return (S + 1.0) / (3.0 * S) * x -
               (pow(2.0 * S + 1.0, 4) - 1.0) / (45.0 * pow(2.0 * S, 4)) * x * x * x;
    double ax = a * x, bx = b * x;
    double ca = fabs(ax) > 20.0 ? (ax > 0 ? 1.0 : -1.0) : 1.0 / tanh(ax);
    double cb = fabs(bx) > 20.0 ? (bx > 0 ? 1.0 : -1.0) : 1.0 / tanh(bx);
    return a * ca - b * cb;
}

static double kuzmin(double s, double p, double tau)
{
    if (tau >= 1.0)
        return 0.0;
    if (tau <= 0.0)
        return 1.0;
    double sq = sqrt(tau), tp;
    double p2 = 2.0 * p;
    if (p2 == floor(p2) && p2 <= 16.0) { /* half-integer p (5/2 for Ni, Co; 4 for Fe) */
        tp = 1.0;
        for (int k = 0; k < (int)p2; k++)
            tp *= sq;
    } else {
        tp = pow(tau, p);
    }
    double v = 1.0 - s * tau * sq - (1.0 - s) * tp;
    return v > 0.0 ? cbrt(v) : 0.0;
}

/* ---- Stoner–Wohlfarth table ------------------------------------------------ */

static double sw_h_of_theta(double th, double psi)
{
    return -sin(2.0 * th) / (2.0 * sin(th - psi));
}

static double sw_dh_dtheta(double th, double psi)
{
    double s = sin(th - psi);
    return -(2.0 * cos(2.0 * th) * s - sin(2.0 * th) * cos(th - psi)) / (2.0 * s * s);
}

/* θ on the metastable "+" branch for field h ≥ −h_sw(ψ); h(θ) increases on
 * [θ_c, ψ). Safeguarded Newton from guess. */
static double sw_theta(double h, double psi, double th_c, double guess)
{
    double lo = th_c, hi = psi - 1e-15;
    double th = (guess > lo && guess < hi) ? guess : 0.5 * (lo + hi);
    for (int it = 0; it < 100; it++) {
        double f = sw_h_of_theta(th, psi) - h;
        if (f > 0)
            hi = th;
        else
            lo = th;
        double d = sw_dh_dtheta(th, psi);
        double nt = th - f / d;
        if (!(d > 0) || !(nt > lo && nt < hi))
            nt = 0.5 * (lo + hi);
        if (fabs(nt - th) < 1e-13)
            return nt;
        th = nt;
    }
    return th;
}

static int sw_build(struct exsol_mag_model *m)
{
    double *pp = malloc(sizeof(double) * SW_NH);
    double *acc = calloc((size_t)SW_NT * SW_NH, sizeof(double));
    if (!pp || !acc) {
        free(pp);
        free(acc);
        return EXSOL_ENOMEM;
    }
    m->sw_dh = 2.0 * SW_HMAX / (SW_NH - 1);
    double dpsi = 0.5 * EXSOL_PI / SW_NPSI, wsum = 0.0;
    for (int j = 0; j < SW_NPSI; j++) {
        double psi = (j + 0.5) * dpsi;
        double w = sin(psi) * dpsi;
        double tp = cbrt(tan(psi));
        double th_c = -atan(tp);
        double hsw = 1.0 / pow(pow(cos(psi), 2.0 / 3.0) + pow(sin(psi), 2.0 / 3.0), 1.5);
        double kappa = m->p.sw_pfeiffer_a + m->p.sw_pfeiffer_b * hsw;
        /* + branch projections cos(θ − ψ), from h = +HMAX down to −h_sw */
        double th = psi * 0.999;
        for (int i = SW_NH - 1; i >= 0; i--) {
            double h = -SW_HMAX + i * m->sw_dh;
            if (h < -hsw) {
                pp[i] = NAN; /* branch gone */
                continue;
            }
            th = sw_theta(h, psi, th_c, th);
            pp[i] = cos(th - psi);
        }
        for (int k = 0; k < SW_NT; k++) {
            double t = (double)k / (SW_NT - 1);
            double hs = hsw * (1.0 - pow(t, 1.0 / kappa));
            double *row = acc + (size_t)k * SW_NH;
            for (int i = 0; i < SW_NH; i++) {
                double h = -SW_HMAX + i * m->sw_dh;
                double v;
                if (h >= -hs && !isnan(pp[i]))
                    v = pp[i];
                else
                    v = -pp[SW_NH - 1 - i]; /* reversed: −p+(−h) */
                row[i] += w * v;
            }
        }
        wsum += w;
    }
    for (size_t i = 0; i < (size_t)SW_NT * SW_NH; i++)
        acc[i] /= wsum;
    free(pp);
    m->sw = acc;
    return EXSOL_OK;
}

static double sw_lookup(const struct exsol_mag_model *m, double h, double t)
{
    if (!(t > 0))
        t = 0;
    if (t > 1)
        t = 1;
    double ft = t * (SW_NT - 1);
    int k = (int)ft;
    if (k >= SW_NT - 1)
        k = SW_NT - 2;
    double wt = ft - k;
    double hc = h, scale = 1.0;
    if (h > SW_HMAX || h < -SW_HMAX) {
        hc = h > 0 ? SW_HMAX : -SW_HMAX;
        scale = (SW_HMAX / h) * (SW_HMAX / h);
    }
    double fh = (hc + SW_HMAX) / m->sw_dh;
    int i = (int)fh;
    if (i >= SW_NH - 1)
        i = SW_NH - 2;
    if (i < 0)
        i = 0;
    double wh = fh - i;
    const double *r0 = m->sw + (size_t)k * SW_NH, *r1 = r0 + SW_NH;
    double v0 = r0[i] + wh * (r0[i + 1] - r0[i]);
    double v1 = r1[i] + wh * (r1[i + 1] - r1[i]);
    double v = v0 + wt * (v1 - v0);
    if (scale < 1.0) /* beyond the table: 1 − M ∝ 1/h² approach to saturation */
        v = (v > 0 ? 1.0 : -1.0) * (1.0 - (1.0 - fabs(v)) * scale);
    return v;
}

double exsol_mag_sw_descending(const exsol_mag_model *m, double h, double t)
{
    return sw_lookup(m, h, t);
}

/* ---- model ----------------------------------------------------------------- */

#define CHECK_POS(field)                                                                       \
    do {                                                                                       \
        if (!(isfinite(p->field) && p->field > 0))                                             \
            return exsol_seterr(err, errlen, EXSOL_EVALUE,                                     \
                                "magnet parameter '%s' must be positive and finite", #field);  \
    } while (0)
#define CHECK_NONNEG(field)                                                                    \
    do {                                                                                       \
        if (!(isfinite(p->field) && p->field >= 0))                                            \
            return exsol_seterr(err, errlen, EXSOL_EVALUE,                                     \
                                "magnet parameter '%s' must be non-negative and finite",       \
                                #field);                                                       \
    } while (0)

static int params_check(const struct exsol_mag_params *p, char *err, size_t errlen)
{
    CHECK_POS(tau0_s);
    CHECK_POS(tau_m_s);
    CHECK_NONNEG(keff_scale);
    CHECK_NONNEG(tc_xi0_m);
    CHECK_POS(tc_lambda);
    CHECK_POS(sw_pfeiffer_a);
    CHECK_NONNEG(sw_pfeiffer_b);
    CHECK_NONNEG(interaction_alpha);
    CHECK_POS(host_cell_volume_m3);
    CHECK_POS(field_max_T);
    CHECK_POS(zfc_field_T);
    CHECK_POS(zfc_T_min_K);
    CHECK_POS(zfc_T_max_K);
    CHECK_POS(T_low_K);
    CHECK_POS(T_high_K);
    CHECK_POS(B_report_T);
    CHECK_POS(spm_TB_max_K);
    CHECK_NONNEG(spm_Hc_max_A_m);
    CHECK_NONNEG(spm_contrast_min);
    CHECK_NONNEG(spm_Mr_ratio_max);
    CHECK_POS(spm_bg_field_min_T);
    CHECK_NONNEG(spm_moment_min_A);
    if (!(p->air_exposed == 0.0 || p->air_exposed == 1.0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "magnet parameter 'air_exposed' must be 0 or 1");
    if (!isfinite(p->dead_layer_offset_m))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "magnet parameter 'dead_layer_offset' must be finite");
    if (!isfinite(p->host_chi_v) || p->host_chi_v <= -1.0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "magnet parameter 'host_chi_v' must be finite and > -1");
    if (!(p->tau_m_s > p->tau0_s))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "magnet parameters: tau_m must exceed tau0");
    if (p->n_field < 3 || p->n_field > 100000)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "magnet parameter 'n_field' must be in [3, 100000]");
    if (p->n_T_zfc < 2 || p->n_T_zfc > 100000)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "magnet parameter 'n_T_zfc' must be in [2, 100000]");
    if (!(p->zfc_T_max_K > p->zfc_T_min_K))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "magnet parameters: zfc_T_max must exceed zfc_T_min");
    /* the background fit needs two field points at or above spm_bg_field_min */
    if (!(p->spm_bg_field_min_T <= p->field_max_T * (1.0 - 2.0 / (double)(p->n_field - 1))))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "magnet parameter 'spm_bg_field_min' leaves fewer than two field "
                            "points below field_max");
    return EXSOL_OK;
}

int exsol_mag_model_create(const struct exsol_mag_params *p, exsol_mag_model **out, char *err,
                           size_t errlen)
{
    *out = NULL;
    int rc = params_check(p, err, errlen);
    if (rc)
        return rc;
    struct exsol_mag_model *m = calloc(1, sizeof *m);
    if (!m)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    m->p = *p;
    m->ln_ratio = log(p->tau_m_s / p->tau0_s);
    rc = sw_build(m);
    if (rc) {
        free(m);
        return exsol_seterr(err, errlen, rc, "out of memory");
    }
    *out = m;
    return EXSOL_OK;
}

void exsol_mag_model_destroy(exsol_mag_model *m)
{
    if (!m)
        return;
    free(m->sw);
    free(m);
}

size_t exsol_mag_n_field(const exsol_mag_model *m)
{
    return m->p.n_field;
}
size_t exsol_mag_n_T_zfc(const exsol_mag_model *m)
{
    return m->p.n_T_zfc;
}
const struct exsol_mag_params *exsol_mag_model_params(const exsol_mag_model *m)
{
    return &m->p;
}

void exsol_mag_field_grid(const exsol_mag_model *m, double *field_T)
{
    size_t n = m->p.n_field;
    /* integer numerator: symmetric grid, exact 0 and exact multiples such as 1 T */
    for (size_t i = 0; i < n; i++)
        field_T[i] =
            m->p.field_max_T * ((double)(2 * (long)i - (long)(n - 1)) / (double)(n - 1));
}

void exsol_mag_zfc_grid(const exsol_mag_model *m, double *T_K)
{
    size_t n = m->p.n_T_zfc;
    for (size_t i = 0; i < n; i++)
        T_K[i] = m->p.zfc_T_min_K +
                 (m->p.zfc_T_max_K - m->p.zfc_T_min_K) * (double)i / (double)(n - 1);
}

int exsol_mag_metal_check(const struct exsol_mag_metal *mt, char *err, size_t errlen)
{
    if (!mt->magnetic) {
        if (!(isfinite(mt->ion_mu_eff_muB) && mt->ion_mu_eff_muB >= 0 &&
              isfinite(mt->ion_spin) && mt->ion_spin >= 0))
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "metal '%s': ion moment and spin must be >= 0", mt->symbol);
        return EXSOL_OK;
    }
    if (!(isfinite(mt->Ms_0K_A_m) && mt->Ms_0K_A_m > 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "metal '%s': Ms_0K must be > 0",
                            mt->symbol);
    if (!(isfinite(mt->T_C_K) && mt->T_C_K > 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "metal '%s': T_C must be > 0",
                            mt->symbol);
    if (!isfinite(mt->K_J_m3))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "metal '%s': K is not finite",
                            mt->symbol);
    if (mt->aniso_form < EXSOL_MAG_ANISO_CUBIC_NEG || mt->aniso_form > EXSOL_MAG_ANISO_UNIAXIAL)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "metal '%s': magnetic metal needs an anisotropy form", mt->symbol);
    if ((mt->aniso_form == EXSOL_MAG_ANISO_CUBIC_NEG && mt->K_J_m3 > 0) ||
        (mt->aniso_form != EXSOL_MAG_ANISO_CUBIC_NEG && mt->K_J_m3 < 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "metal '%s': sign of K does not match its anisotropy form",
                            mt->symbol);
    if (!(isfinite(mt->kuzmin_s) && mt->kuzmin_s >= 0 && isfinite(mt->kuzmin_p) &&
          mt->kuzmin_p > 1.5))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "metal '%s': Kuz'min s must be >= 0 and p > 3/2", mt->symbol);
    if (!(isfinite(mt->ion_mu_eff_muB) && mt->ion_mu_eff_muB >= 0 && isfinite(mt->ion_spin) &&
          mt->ion_spin >= 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "metal '%s': ion moment and spin must be >= 0", mt->symbol);
    if (!(isfinite(mt->keff_ref_J_m3) && mt->keff_ref_J_m3 >= 0 &&
          isfinite(mt->keff_ref_diameter_m) && mt->keff_ref_diameter_m > 0 &&
          isfinite(mt->keff_exponent) && mt->keff_exponent >= 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "metal '%s': keff_ref and keff_exponent must be >= 0, "
                            "keff_ref_diameter > 0",
                            mt->symbol);
    if (!(isfinite(mt->dead_layer_m[0]) && mt->dead_layer_m[0] >= 0 &&
          isfinite(mt->dead_layer_m[1]) && mt->dead_layer_m[1] >= 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "metal '%s': dead layers must be >= 0",
                            mt->symbol);
    if (!(isfinite(mt->single_domain_diameter_m) && mt->single_domain_diameter_m > 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "metal '%s': single_domain_diameter must be > 0", mt->symbol);
    return EXSOL_OK;
}

double exsol_mag_tc_K(const exsol_mag_model *m, const struct exsol_mag_metal *mt, double D)
{
    if (!mt->magnetic || !(D > m->p.tc_xi0_m))
        return 0.0;
    return mt->T_C_K * (1.0 - pow(m->p.tc_xi0_m / D, m->p.tc_lambda));
}

double exsol_mag_ms_A_m(const exsol_mag_model *m, const struct exsol_mag_metal *mt, double D,
                        double T_K)
{
    double tc = exsol_mag_tc_K(m, mt, D);
    if (!(tc > 0))
        return 0.0;
    return mt->Ms_0K_A_m * kuzmin(mt->kuzmin_s, mt->kuzmin_p, T_K / tc);
}

double exsol_mag_keff_J_m3(const exsol_mag_model *m, const struct exsol_mag_metal *mt, double D)
{
    if (!mt->magnetic || !(D > 0))
        return 0.0;
    double kc;
    switch (mt->aniso_form) {
    case EXSOL_MAG_ANISO_CUBIC_NEG:
        kc = fabs(mt->K_J_m3) / 12.0;
        break;
    case EXSOL_MAG_ANISO_CUBIC_POS:
        kc = mt->K_J_m3 / 4.0;
        break;
    case EXSOL_MAG_ANISO_UNIAXIAL:
        kc = mt->K_J_m3;
        break;
    default:
        kc = 0.0;
        break;
    }
    return kc + m->p.keff_scale * mt->keff_ref_J_m3 *
                    pow(mt->keff_ref_diameter_m / D, mt->keff_exponent);
}

double exsol_mag_tb_K(const exsol_mag_model *m, const struct exsol_mag_metal *mt, double D)
{
    if (!mt->magnetic || D > mt->single_domain_diameter_m)
        return 0.0;
    double V = EXSOL_PI * D * D * D / 6.0;
    return exsol_mag_keff_J_m3(m, mt, D) * V / (EXSOL_KB * m->ln_ratio);
}

double exsol_mag_dead_layer_m(const exsol_mag_model *m, const struct exsol_mag_metal *mt)
{
    double t = mt->dead_layer_m[m->p.air_exposed != 0.0] + m->p.dead_layer_offset_m;
    return t > 0.0 ? t : 0.0;
}

/* 0.48 H_K of the random-axis assembly at T = 0 (tests/unit/test_magnet.c) */
#define SW_HC_RANDOM 0.4822

/* H_c of a multi-domain particle, with its M_s(T) given. */
static double md_hc(const exsol_mag_model *m, const struct exsol_mag_metal *mt, double D,
                    double ms)
{
    double Dsd = mt->single_domain_diameter_m;
    if (!(D > Dsd) || !(ms > 0))
        return 0.0;
    double HK = 2.0 * exsol_mag_keff_J_m3(m, mt, Dsd) / (EXSOL_MU0 * ms);
    return SW_HC_RANDOM * HK * Dsd / D;
}

double exsol_mag_multidomain_hc_A_m(const exsol_mag_model *m, const struct exsol_mag_metal *mt,
                                    double D, double T_K)
{
    if (!mt->magnetic)
        return 0.0;
    return md_hc(m, mt, D, exsol_mag_ms_A_m(m, mt, D, T_K));
}

/* ---- one candidate -------------------------------------------------------- */

struct item {
    double n;            /* particles per m³ of film */
    double Vm;           /* magnetic core volume */
    double V;            /* physical volume */
    double Tc;           /* finite-size Curie temperature */
    double EB;           /* zero-field barrier */
    double TB;           /* blocking temperature (incl. T*) at the bin centre */
    double TB_lo, TB_hi; /* ... at the bin edges: T_B spreads uniformly across a bin */
    double tstar;        /* population's interaction temperature */
    double m0;           /* moment at 0 K */
    double m;            /* moment at the current temperature */
    double HK;           /* anisotropy field at the current temperature, A/m */
    double t;            /* reduced temperature for thermally activated switching */
    double a;            /* Langevin argument per tesla, m/(k_B (T + T*)) */
    double hs;           /* SW table position per A/m: 1/(H_K dh) */
    const double *row;   /* SW table row below t */
    double wt;           /* weight of the row above */
    double invHK;        /* 1/H_K */
    double vend;         /* branch value at h = +SW_HMAX (at t) */
    double g;            /* blocked fraction of the bin at the current temperature */
    int md;              /* multi-domain (D > D_sd): no SW barrier                 */
    double D;            /* volume-equivalent diameter                             */
    double ms;           /* M_s at the current temperature                         */
    double hc;           /* multi-domain coercive field at the current temperature */
};

/* Descending branch M/M_s of a multi-domain particle at field H: a sphere's
 * demagnetising field (N_d = 1/3) limits M below saturation; the walls are pinned
 * by H_c. */
static inline double md_branch(const struct item *q, double H)
{
    double v = 3.0 * (H + q->hc) / q->ms;
    return v > 1.0 ? 1.0 : (v < -1.0 ? -1.0 : v);
}

struct ctx {
    const struct exsol_mag_model *mod;
    struct item *it;
    size_t n;
    double n_ion; /* ions per m³ */
    double ion_g, ion_S;
    double chi;
    double n_ion2, ion2_g, ion2_S; /* a second dissolved dopant (0: none) */
};

/* Fraction of a bin's particles still blocked at T (their T_B spread uniformly over
 * [TB_lo, TB_hi]); *lo_out gets the lower end of the blocked range. A bin of zero
 * width is blocked below its T_B. */
static double blocked_part(const struct item *q, double T, double *lo_out)
{
    *lo_out = q->TB;
    if (!(q->EB > 0))
        return 0.0;
    if (!(q->TB_hi > q->TB_lo))
        return T < q->TB ? 1.0 : 0.0;
    if (T >= q->TB_hi)
        return 0.0;
    double lo = T > q->TB_lo ? T : q->TB_lo;
    *lo_out = lo;
    return (q->TB_hi - lo) / (q->TB_hi - q->TB_lo);
}

static void ctx_set_T(struct ctx *c, const struct exsol_mag_metal *mt, double T)
{
    for (size_t i = 0; i < c->n; i++) {
        struct item *q = &c->it[i];
        double ms =
            q->Tc > 0 ? mt->Ms_0K_A_m * kuzmin(mt->kuzmin_s, mt->kuzmin_p, T / q->Tc) : 0.0;
        q->m = ms * q->Vm;
        q->ms = ms;
        if (q->md) {
            q->hc = md_hc(c->mod, mt, q->D, ms);
            q->g = 0.0;
            q->HK = q->t = 0.0;
            q->a = 0.0;
            continue;
        }
        double lo;
        q->g = ms > 0 ? blocked_part(q, T, &lo) : 0.0;
        q->a = q->m / (EXSOL_KB * (T + q->tstar));
        if (q->g > 0) {
            q->HK = 2.0 * (q->EB / q->V) / (EXSOL_MU0 * ms);
            /* the blocked part's mean T_B sets its thermal switching */
            double tbb = q->TB_hi > q->TB_lo ? 0.5 * (lo + q->TB_hi) : q->TB;
            double den = tbb - q->tstar;
            q->t = den > 0 ? (T - q->tstar) / den : 0.0;
            if (q->t < 0)
                q->t = 0;
            if (q->t > 1)
                q->t = 1;
            double ft = q->t * (SW_NT - 1);
            int k = (int)ft;
            if (k >= SW_NT - 1)
                k = SW_NT - 2;
            q->row = c->mod->sw + (size_t)k * SW_NH;
            q->wt = ft - k;
            q->hs = 1.0 / (q->HK * c->mod->sw_dh);
            q->invHK = 1.0 / q->HK;
            const double *r0 = q->row + (SW_NH - 1), *r1 = r0 + SW_NH;
            q->vend = *r0 + q->wt * (*r1 - *r0);
        } else {
            q->HK = 0.0;
            q->t = 0.0;
        }
    }
}

/* sw_lookup for an item whose row, weight and field scale are precomputed. */
static inline double sw_item(const struct exsol_mag_model *m, const struct item *q, double H)
{
    double fh = H * q->hs + (SW_NH - 1) / 2.0; /* grid index of h = H/H_K */
    if (fh >= SW_NH - 1) { /* beyond the table: 1 − M ∝ 1/h² (as sw_lookup) */
        double r = SW_HMAX / (H * q->invHK);
        return 1.0 - (1.0 - q->vend) * r * r;
    }
    if (!(fh >= 0.0))
        return sw_lookup(m, H * q->invHK, q->t);
    int i = (int)fh;
    double wh = fh - i;
    const double *r0 = q->row, *r1 = r0 + SW_NH;
    double v0 = r0[i] + wh * (r0[i + 1] - r0[i]);
    double v1 = r1[i] + wh * (r1[i + 1] - r1[i]);
    return v0 + q->wt * (v1 - v0);
}

static double ion_one(double n_ion, double g, double S, double B, double T)
{
    if (!(n_ion > 0) || !(S > 0))
        return 0.0;
    double x = g * EXSOL_MUB * S * B / (EXSOL_KB * T);
    return n_ion * g * EXSOL_MUB * S * exsol_mag_brillouin(S, x);
}

static double ion_M(const struct ctx *c, double B, double T)
{
    double M = ion_one(c->n_ion, c->ion_g, c->ion_S, B, T);
    if (c->n_ion2 > 0) /* alloy films: the second dopant's ions */
        M += ion_one(c->n_ion2, c->ion2_g, c->ion2_S, B, T);
    return M;
}

/* g and S of an ion record (0, 0 without a Curie term). */
static void ion_gS(const struct exsol_mag_metal *mt, double *g, double *S)
{
    *g = *S = 0.0;
    if (mt && mt->ion_spin > 0 && mt->ion_mu_eff_muB > 0) {
        *S = mt->ion_spin;
        *g = mt->ion_mu_eff_muB / sqrt(mt->ion_spin * (mt->ion_spin + 1.0));
    }
}

/* Descending-branch film magnetisation at μ0H = B and temperature T (ctx_set_T(T)
 * must have been called). */
static double film_M(const struct ctx *c, double B, double T)
{
    double M = 0.0;
    double H = B / EXSOL_MU0;
    for (size_t i = 0; i < c->n; i++) {
        const struct item *q = &c->it[i];
        if (!(q->m > 0))
            continue;
        double v = 0.0;
        if (q->md)
            v = md_branch(q, H);
        if (q->g > 0)
            v += q->g * sw_item(c->mod, q, H);
        if (q->g < 1)
            v += (1.0 - q->g) * langevin(q->a * B);
        M += q->n * q->m * v;
    }
    return M + ion_M(c, B, T) + c->chi * H;
}

/* acc[k] += w L(x0 + k dx) for k < n, x0 ≥ 0, dx > 0: on an arithmetic sequence
 * exp(−2x) follows a geometric recurrence, so one exp serves the whole curve
 * (rounding grows by ~1 ulp per step: < 1e-13 relative over the grid). */
static void langevin_arith(double x0, double dx, size_t n, double w, double *acc)
{
    double e = exp(-2.0 * x0), r = exp(-2.0 * dx);
    for (size_t k = 0; k < n; k++, e *= r) {
        double x = x0 + (double)k * dx;
        double L;
        if (x < 0.05 || x > 20.0)
            L = langevin(x);
        else
            L = (1.0 + e) / (1.0 - e) - 1.0 / x;
        acc[k] += w * L;
    }
}

/* Descending branch on the symmetric, evenly spaced field grid B[0..nf)
 * (B[nf-1-j] = −B[j]): the Langevin, ion and host terms are odd in B, so they are
 * evaluated on the non-negative half only; the blocked (SW) particles at both signs.
 * work: nf doubles. */
static void film_curve(const struct ctx *c, const double *B, size_t nf, double T, double *out,
                       double *work)
{
    size_t j0 = nf / 2, nh = nf - j0; /* B[j0] = 0 (odd nf) or the first positive */
    double dB = nf > 1 ? B[1] - B[0] : 0.0;
    double *odd = work;
    for (size_t j = 0; j < nf; j++)
        out[j] = 0.0;
    for (size_t j = 0; j < nh; j++)
        odd[j] = 0.0;
    for (size_t i = 0; i < c->n; i++) {
        const struct item *q = &c->it[i];
        if (!(q->m > 0))
            continue;
        double nm = q->n * q->m;
        if (q->md) {
            for (size_t j = 0; j < nf; j++)
                out[j] += nm * md_branch(q, B[j] / EXSOL_MU0);
            continue;
        }
        if (q->g < 1)
            langevin_arith(q->a * B[j0], q->a * dB, nh, nm * (1.0 - q->g), odd);
        if (q->g > 0) {
            double ng = nm * q->g;
            for (size_t j = j0; j < nf; j++) {
                double H = B[j] / EXSOL_MU0;
                double v = sw_item(c->mod, q, H);
                out[j] += ng * v;
                if (nf - 1 - j == j)
                    continue; /* B = 0 */
                /* at |h| ≥ 1 every easy axis has switched (h_sw ≤ 1): the branch
                 * is odd there */
                out[nf - 1 - j] += H * q->invHK >= 1.0 ? -ng * v : ng * sw_item(c->mod, q, -H);
            }
        }
    }
    for (size_t j = j0; j < nf; j++) {
        double b = B[j];
        double v = odd[j - j0] + ion_M(c, b, T) + c->chi * b / EXSOL_MU0;
        out[j] += v;
        if (nf - 1 - j != j)
            out[nf - 1 - j] -= v;
    }
}

/* Coercive field (A/m, ≥ 0) of the descending branch whose values on the grid are
 * in curve and whose remanence is Mr; 0 without remanence, the grid end if the
 * branch never crosses zero. The crossing is bracketed on the grid (any grid size)
 * and refined by the Illinois method. */
static double coercivity(const struct ctx *c, const double *B, const double *curve, size_t nf,
                         double T, double Mr)
{
    if (!(Mr > 0))
        return 0.0;
    /* walk down the negative fields from B = 0 (value Mr) to the first M ≤ 0 */
    double hi = 0.0, fhi = Mr, lo = 0.0, flo = 0.0;
    size_t j = (nf - 1) / 2 + 1; /* one past the last B < 0 */
    while (j > 0 && !(B[j - 1] < 0))
        j--;
    for (; j > 0; j--) {
        if (!(curve[j - 1] > 0)) {
            lo = B[j - 1];
            flo = curve[j - 1];
            break;
        }
        hi = B[j - 1];
        fhi = curve[j - 1];
    }
    if (j == 0)
        return -B[0] / EXSOL_MU0; /* no reversal within the field range */
    int side = 0;
    for (int it = 0; it < 60 && hi - lo > 1e-12 * (fabs(lo) + 1e-9); it++) {
        double x = (lo * fhi - hi * flo) / (fhi - flo);
        if (!(x > lo && x < hi))
            x = 0.5 * (lo + hi);
        double fx = film_M(c, x, T);
        if (fx > 0) {
            hi = x;
            fhi = fx;
            if (side == 1)
                flo *= 0.5;
            side = 1;
        } else {
            lo = x;
            flo = fx;
            if (side == -1)
                fhi *= 0.5;
            side = -1;
        }
    }
    return -0.5 * (lo + hi) / EXSOL_MU0;
}

static int cmp_tb(const void *a, const void *b)
{
    const double *x = a, *y = b;
    if (x[0] < y[0])
        return -1;
    if (x[0] > y[0])
        return 1;
    return (x[2] > y[2]) - (x[2] < y[2]); /* stable on the original index */
}

/* Weighted quantile with linear interpolation between cumulative mid-points.
 * pairs: [T_B, weight, index] sorted by T_B. */
static double wquantile(const double *pairs, size_t n, double wsum, double q)
{
    double cum = 0.0, prev_c = 0.0, prev_T = pairs[0];
    for (size_t i = 0; i < n; i++) {
        double w = pairs[3 * i + 1];
        double c = (cum + 0.5 * w) / wsum;
        double T = pairs[3 * i];
        if (q <= c) {
            if (i == 0 || c <= prev_c)
                return T;
            return prev_T + (T - prev_T) * (q - prev_c) / (c - prev_c);
        }
        cum += w;
        prev_c = c;
        prev_T = T;
    }
    return pairs[3 * (n - 1)];
}

/* The saturating component of a descending branch on the field grid B[0..nf): the
 * intercept at H = 0 of the least-squares line through the points with
 * μ0H ≥ bmin (at least two, params_check), as a magnetometrist subtracts the linear
 * high-field background (substrate, host diamagnetism, Curie and Brillouin terms of
 * ions far from saturation). */
static double saturating_part(const double *B, const double *M, size_t nf, double bmin)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    size_t k = 0;
    for (size_t j = 0; j < nf; j++)
        if (B[j] >= bmin) {
            sx += B[j];
            sy += M[j];
            k++;
        }
    if (k < 2)
        return NAN;
    double mx = sx / (double)k, my = sy / (double)k;
    for (size_t j = 0; j < nf; j++)
        if (B[j] >= bmin) {
            sxx += (B[j] - mx) * (B[j] - mx);
            sxy += (B[j] - mx) * (M[j] - my);
        }
    return my - sxy / sxx * mx;
}

int exsol_mag_spm_verdict(const struct exsol_mag_params *p, const struct exsol_mag_result *r,
                          size_t n_moment)
{
    double Ms = r->M_sat_300K_reduced;
    return n_moment > 0 && Ms > 0 && r->T_B_p90_K < p->spm_TB_max_K &&
           r->Hc_300K_A_m < p->spm_Hc_max_A_m &&
           fabs(r->Mr_300K_A_m) <= p->spm_Mr_ratio_max * Ms &&
           Ms >= p->spm_contrast_min * fabs(r->M_sat_300K_pristine) &&
           r->m_sat_300K_per_area_A >= p->spm_moment_min_A;
}

static void result_nan(const struct exsol_mag_model *m, struct exsol_mag_result *r)
{
    r->M_300K_1T_pristine = r->M_300K_1T_reduced = r->M_5K_1T_reduced = NAN;
    r->T_B_median_K = r->T_B_p90_K = r->Hc_5K_A_m = r->Hc_300K_A_m = r->Mr_5K_A_m = NAN;
    r->T_interaction_K = r->Ms_particles_0K_A_m = NAN;
    r->M_sat_300K_reduced = r->M_sat_300K_pristine = r->Mr_300K_A_m = NAN;
    r->m_sat_300K_per_area_A = r->multidomain_fraction = NAN;
    r->spm_300K_reduced = 0;
    double *curves[3] = {r->M_H_300K_reduced, r->M_H_5K_reduced, r->M_H_300K_pristine};
    for (int k = 0; k < 3; k++)
        if (curves[k])
            for (size_t i = 0; i < m->p.n_field; i++)
                curves[k][i] = NAN;
    if (r->M_ZFC)
        for (size_t i = 0; i < m->p.n_T_zfc; i++)
            r->M_ZFC[i] = NAN;
    if (r->M_FC)
        for (size_t i = 0; i < m->p.n_T_zfc; i++)
            r->M_FC[i] = NAN;
}

static int input_check(const struct exsol_mag_input *in, char *err, size_t errlen)
{
    if (!(isfinite(in->thickness_m) && in->thickness_m > 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "film thickness must be > 0");
    if (in->surface_per_m2 && !(isfinite(in->cap_volume_factor) && in->cap_volume_factor > 0 &&
                                in->cap_volume_factor <= 1))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "cap volume factor of the surface particles must be in (0, 1]");
    if (!(isfinite(in->ion_fraction_pristine) && in->ion_fraction_pristine >= 0 &&
          in->ion_fraction_pristine <= 1))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "dopant fraction must be in [0, 1]");
    if (!(isfinite(in->ion_fraction_reduced) && in->ion_fraction_reduced >= 0 &&
          in->ion_fraction_reduced <= 1))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "dopant fraction left in the lattice must be in [0, 1]");
    if (in->ion2 && !(isfinite(in->ion2_fraction_pristine) && in->ion2_fraction_pristine >= 0 &&
                      in->ion2_fraction_pristine <= 1 && isfinite(in->ion2_fraction_reduced) &&
                      in->ion2_fraction_reduced >= 0 && in->ion2_fraction_reduced <= 1))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "second dopant fractions must be in [0, 1]");
    if (in->n_bins > 0 && !in->radius_m)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "size distribution without radii");
    for (size_t i = 0; i < in->n_bins; i++) {
        if (!(isfinite(in->radius_m[i]) && in->radius_m[i] > 0))
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "radius bin %zu is not > 0", i);
        if (in->width_m && !(isfinite(in->width_m[i]) && in->width_m[i] >= 0 &&
                             in->width_m[i] < 2.0 * in->radius_m[i]))
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "radius bin width %zu is not in [0, 2 r)", i);
        if (in->surface_per_m2 &&
            !(isfinite(in->surface_per_m2[i]) && in->surface_per_m2[i] >= 0))
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "surface size distribution bin %zu is negative or not finite",
                                i);
        if (in->buried_per_m3 && !(isfinite(in->buried_per_m3[i]) && in->buried_per_m3[i] >= 0))
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "buried size distribution bin %zu is negative or not finite",
                                i);
    }
    return EXSOL_OK;
}

int exsol_mag_compute(const exsol_mag_model *m, const struct exsol_mag_metal *mt,
                      const struct exsol_mag_input *in, struct exsol_mag_result *res, char *err,
                      size_t errlen)
{
    const struct exsol_mag_params *p = &m->p;
    struct item *it = NULL;
    double *pairs = NULL, *curve = NULL;
    int rc = exsol_mag_metal_check(mt, err, errlen);
    if (!rc)
        rc = input_check(in, err, errlen);
    if (rc)
        goto fail;

    it = malloc(sizeof *it * (2 * in->n_bins + 1));
    pairs = malloc(sizeof *pairs * 3 * (2 * in->n_bins + 1));
    if (!it || !pairs) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        goto fail;
    }

    /* items and per-population interaction temperatures */
    size_t n = 0;
    double tdead = mt->magnetic ? exsol_mag_dead_layer_m(m, mt) : 0.0;
    double tstar_max = 0.0, Ms_part = 0.0;
    for (int pop = 0; pop < 2; pop++) {
        const double *cnt = pop == 0 ? in->surface_per_m2 : in->buried_per_m3;
        if (!cnt)
            continue;
        double scale = pop == 0 ? 1.0 / in->thickness_m : 1.0;
        /* one geometry with reduce: caps of volume f (4π/3) R³, spheres buried */
        double f = pop == 0 ? in->cap_volume_factor : 1.0, fd = cbrt(f);
        size_t first = n;
        double Nraw = 0.0, nm2 = 0.0;
        for (size_t b = 0; b < in->n_bins; b++) {
            if (!(cnt[b] > 0))
                continue;
            double R = in->radius_m[b], D = 2.0 * R * fd; /* volume-equivalent */
            Nraw += cnt[b];
            if (!mt->magnetic)
                continue;
            double Rm = R - tdead;
            double Tc = exsol_mag_tc_K(m, mt, D);
            if (!(Rm > 0) || !(Tc > 0))
                continue;
            struct item *q = &it[n++];
            memset(q, 0, sizeof *q);
            q->n = cnt[b] * scale;
            q->D = D;
            q->V = f * 4.0 / 3.0 * EXSOL_PI * R * R * R;
            q->Vm = f * 4.0 / 3.0 * EXSOL_PI * Rm * Rm * Rm;
            q->Tc = Tc;
            q->md = D > mt->single_domain_diameter_m;
            q->EB = q->md ? 0.0 : exsol_mag_keff_J_m3(m, mt, D) * q->V;
            q->m0 = mt->Ms_0K_A_m * q->Vm;
            /* bin edges: from the widths if given, else half-way to the neighbours */
            double rlo, rhi, r = in->radius_m[b];
            if (in->width_m) {
                rlo = r - 0.5 * in->width_m[b];
                rhi = r + 0.5 * in->width_m[b];
            } else if (in->n_bins == 1) {
                rlo = rhi = r;
            } else {
                rlo = b > 0 ? 0.5 * (in->radius_m[b - 1] + r) : r - 0.5 * (in->radius_m[1] - r);
                rhi = b + 1 < in->n_bins ? 0.5 * (in->radius_m[b + 1] + r)
                                         : r + 0.5 * (r - in->radius_m[b - 1]);
            }
            if (!(rlo > 0))
                rlo = 0.5 * r;
            double Dlo = 2 * rlo * fd, Dhi = 2 * rhi * fd;
            if (Dhi > mt->single_domain_diameter_m) /* the barrier ends at D_sd */
                Dhi = D > mt->single_domain_diameter_m ? D : mt->single_domain_diameter_m;
            if (Dlo > Dhi)
                Dlo = Dhi;
            q->TB_lo = exsol_mag_keff_J_m3(m, mt, Dlo) * EXSOL_PI * Dlo * Dlo * Dlo / 6.0;
            q->TB_hi = exsol_mag_keff_J_m3(m, mt, Dhi) * EXSOL_PI * Dhi * Dhi * Dhi / 6.0;
            nm2 += cnt[b] * q->m0 * q->m0;
        }
        double tstar = 0.0;
        if (Nraw > 0 && nm2 > 0) {
            double d3 = pop == 0 ? pow(Nraw, -1.5) : 1.0 / Nraw; /* d_nn³ */
            tstar = p->interaction_alpha * EXSOL_MU0 * (nm2 / Nraw) /
                    (4.0 * EXSOL_PI * d3 * EXSOL_KB);
        }
        if (tstar > tstar_max)
            tstar_max = tstar;
        for (size_t i = first; i < n; i++) {
            struct item *q = &it[i];
            q->tstar = tstar;
            q->TB = q->EB > 0 ? tstar + q->EB / (EXSOL_KB * m->ln_ratio) : 0.0;
            if (q->TB > q->Tc)
                q->TB = q->Tc;
            /* edges: barriers stored above, turned into blocking temperatures */
            q->TB_lo = q->EB > 0 ? tstar + q->TB_lo / (EXSOL_KB * m->ln_ratio) : 0.0;
            q->TB_hi = q->EB > 0 ? tstar + q->TB_hi / (EXSOL_KB * m->ln_ratio) : 0.0;
            if (q->TB_hi > q->Tc)
                q->TB_hi = q->Tc;
            if (q->TB_lo > q->TB_hi)
                q->TB_lo = q->TB_hi;
            Ms_part += q->n * q->m0;
        }
    }

    /* blocking-temperature distribution, moment weighted */
    /* (single-domain particles only: a multi-domain one has no such barrier) */
    double wsum = 0.0, md_m = 0.0;
    size_t nsd = 0;
    for (size_t i = 0; i < n; i++) {
        if (it[i].md) {
            md_m += it[i].n * it[i].m0;
            continue;
        }
        pairs[3 * nsd] = it[i].TB;
        pairs[3 * nsd + 1] = it[i].n * it[i].m0;
        pairs[3 * nsd + 2] = (double)i;
        wsum += pairs[3 * nsd + 1];
        nsd++;
    }
    res->multidomain_fraction = Ms_part > 0 ? md_m / Ms_part : 0.0;
    if (nsd > 0 && wsum > 0) {
        qsort(pairs, nsd, 3 * sizeof(double), cmp_tb);
        res->T_B_median_K = wquantile(pairs, nsd, wsum, 0.5);
        res->T_B_p90_K = wquantile(pairs, nsd, wsum, 0.9);
    } else {
        res->T_B_median_K = res->T_B_p90_K = 0.0;
    }
    res->T_interaction_K = tstar_max;
    res->Ms_particles_0K_A_m = Ms_part;

    struct ctx c = {m, it, n, 0.0, 0.0, 0.0, p->host_chi_v, 0.0, 0.0, 0.0};
    ion_gS(mt, &c.ion_g, &c.ion_S);
    size_t nf = p->n_field;
    double *grid = malloc(sizeof(double) * (nf > p->n_T_zfc ? nf : p->n_T_zfc));
    curve = malloc(sizeof(double) * 3 * nf);
    double *work = curve ? curve + nf : NULL, *pcurve = curve ? curve + 2 * nf : NULL;
    if (!grid || !curve) {
        free(grid);
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        goto fail;
    }
    exsol_mag_field_grid(m, grid);

    /* pristine: all ions, no particles */
    struct ctx cp = c;
    cp.n = 0;
    const double Vcell = in->cell_volume_m3 > 0 ? in->cell_volume_m3 : p->host_cell_volume_m3;
    cp.n_ion = in->ion_fraction_pristine / Vcell;
    if (in->ion2) {
        cp.n_ion2 = in->ion2_fraction_pristine / Vcell;
        ion_gS(in->ion2, &cp.ion2_g, &cp.ion2_S);
    }
    res->M_300K_1T_pristine = film_M(&cp, p->B_report_T, p->T_high_K);
    double *ploop = res->M_H_300K_pristine ? res->M_H_300K_pristine : pcurve;
    film_curve(&cp, grid, nf, p->T_high_K, ploop, work);
    res->M_sat_300K_pristine = saturating_part(grid, ploop, nf, p->spm_bg_field_min_T);

    /* reduced film; particles whose saturated moment is below 1e-12 of the total
     * cannot change a curve and are dropped from the loops */
    c.n_ion = in->ion_fraction_reduced / Vcell;
    if (in->ion_reduced) /* the dissolved ion's state at the anneal, frozen in */
        ion_gS(in->ion_reduced, &c.ion_g, &c.ion_S);
    if (in->ion2) {
        c.n_ion2 = in->ion2_fraction_reduced / Vcell;
        ion_gS(in->ion2_reduced ? in->ion2_reduced : in->ion2, &c.ion2_g, &c.ion2_S);
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (it[i].n * it[i].m0 >= 1e-12 * Ms_part)
            it[kept++] = it[i];
    c.n = n = kept;
    double *loop = res->M_H_300K_reduced ? res->M_H_300K_reduced : curve;
    ctx_set_T(&c, mt, p->T_high_K);
    res->M_300K_1T_reduced = film_M(&c, p->B_report_T, p->T_high_K);
    film_curve(&c, grid, nf, p->T_high_K, loop, work);
    res->M_sat_300K_reduced = saturating_part(grid, loop, nf, p->spm_bg_field_min_T);
    res->m_sat_300K_per_area_A = res->M_sat_300K_reduced * in->thickness_m;
    res->Mr_300K_A_m = film_M(&c, 0.0, p->T_high_K);
    res->Hc_300K_A_m = coercivity(&c, grid, loop, nf, p->T_high_K, res->Mr_300K_A_m);

    loop = res->M_H_5K_reduced ? res->M_H_5K_reduced : curve;
    ctx_set_T(&c, mt, p->T_low_K);
    res->M_5K_1T_reduced = film_M(&c, p->B_report_T, p->T_low_K);
    film_curve(&c, grid, nf, p->T_low_K, loop, work);
    res->Mr_5K_A_m = film_M(&c, 0.0, p->T_low_K);
    res->Hc_5K_A_m = coercivity(&c, grid, loop, nf, p->T_low_K, res->Mr_5K_A_m);

    /* ZFC/FC, two-state model; items outer so each item's constants are set once */
    if (res->M_ZFC || res->M_FC) {
        size_t nT = p->n_T_zfc;
        double *zb = malloc(sizeof(double) * 5 * nT);
        if (!zb) {
            free(grid);
            rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
            goto fail;
        }
        double *zfc = zb, *fc = zb + nT, *xk[2] = {zb + 2 * nT, zb + 3 * nT}, *Tg = zb + 4 * nT;
        double kt[KUZ_N];
        for (int k = 0; k < KUZ_N; k++)
            kt[k] = kuzmin(mt->kuzmin_s, mt->kuzmin_p, (double)k / (KUZ_N - 1));
        exsol_mag_zfc_grid(m, Tg);
        double Bz = p->zfc_field_T;
        double ts[2] = {n > 0 ? it[0].tstar : 0.0, 0.0};
        for (size_t i = 0; i < n; i++)
            if (it[i].tstar != ts[0])
                ts[1] = it[i].tstar;
        for (size_t j = 0; j < nT; j++) {
            zfc[j] = fc[j] = 0.0;
            xk[0][j] = Bz / (EXSOL_KB * (Tg[j] + ts[0])); /* Langevin argument per moment */
            xk[1][j] = Bz / (EXSOL_KB * (Tg[j] + ts[1]));
        }
        for (size_t i = 0; i < n; i++) {
            const struct item *q = &it[i];
            const double *xa = q->tstar == ts[0] ? xk[0] : xk[1];
            if (q->md) { /* wall motion, reversible in the small ZFC field */
                for (size_t j = 0; j < nT; j++) {
                    double ms = exsol_mag_ms_A_m(m, mt, q->D, Tg[j]);
                    if (!(ms > 0))
                        break;
                    double v = 3.0 * Bz / EXSOL_MU0 / ms;
                    v = v > 1.0 ? 1.0 : v;
                    zfc[j] += q->n * ms * q->Vm * v;
                    fc[j] += q->n * ms * q->Vm * v;
                }
                continue;
            }
            double invTc = (KUZ_N - 1) / q->Tc;
            for (size_t j = 0; j < nT; j++) {
                double T = Tg[j];
                double f = T * invTc;
                if (f >= KUZ_N - 1)
                    break; /* above this particle's T_C (grid increasing) */
                int k = (int)f;
                double mm = q->m0 * (kt[k] + (f - k) * (kt[k + 1] - kt[k]));
                if (!(mm > 0))
                    continue;
                double lo, g = T >= q->TB_hi && T >= q->TB ? 0.0 : blocked_part(q, T, &lo);
                if (g < 1) {
                    double v = (1.0 - g) * q->n * mm * langevin(mm * xa[j]);
                    zfc[j] += v;
                    fc[j] += v;
                }
                if (g > 0) {
                    /* FC: directions frozen at each particle's T_B, averaged over the
                     * blocked T_B range by 2-point Gauss; the moment follows M_s(T)
                     * (using it in the argument too keeps FC continuous at T_B, and
                     * finite for particles whose T_B is capped at their T_C) */
                    double hi = q->TB_hi > q->TB_lo ? q->TB_hi : q->TB;
                    double mid = 0.5 * (lo + hi), half = 0.5 * (hi - lo) * 0.57735026918962576;
                    double x = mm * Bz / EXSOL_KB;
                    double vfc = 0.5 * (langevin(x / (mid - half + q->tstar)) +
                                        langevin(x / (mid + half + q->tstar)));
                    /* ZFC: linear blocked response μ0 m H/(3E_B) per moment, bounded by
                     * the SW descending branch once the field approaches H_K (large, soft
                     * particles) and by the FC value (random frozen directions never
                     * exceed field-frozen ones, also when T* dominates E_B/k_B) */
                    double lin = mm * Bz / (3.0 * q->EB);
                    double HK = 2.0 * q->EB * q->Vm / (q->V * EXSOL_MU0 * mm);
                    double den = mid - q->tstar;
                    double sw =
                        sw_lookup(m, Bz / EXSOL_MU0 / HK, den > 0 ? (T - q->tstar) / den : 0.0);
                    double vz = lin < sw ? lin : sw;
                    if (vz > vfc)
                        vz = vfc;
                    zfc[j] += g * q->n * mm * vz;
                    fc[j] += g * q->n * mm * vfc;
                }
            }
        }
        for (size_t j = 0; j < nT; j++) {
            double bg = ion_M(&c, Bz, Tg[j]) + c.chi * Bz / EXSOL_MU0;
            if (res->M_ZFC)
                res->M_ZFC[j] = zfc[j] + bg;
            if (res->M_FC)
                res->M_FC[j] = fc[j] + bg;
        }
        free(zb);
    }
    free(grid);

    /* verdict: what film magnetometry calls a room-temperature superparamagnet */
    res->spm_300K_reduced = exsol_mag_spm_verdict(p, res, n);
    free(it);
    free(pairs);
    free(curve);
    return EXSOL_OK;

fail:
    free(it);
    free(pairs);
    free(curve);
    result_nan(m, res);
    return rc;
}
