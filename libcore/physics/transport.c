/* One candidate's transport before and after exsolution (defects-and-transport.md
 * §2.4, §3.3–3.5, §4).
 *
 * Carriers: oxygen is frozen at the anneal (δ_asgrown for the pristine film, δ′ from
 * exsol-reduce for the reduced one), cations are frozen, and electrons/holes at each
 * measurement temperature follow from neutrality with Fermi–Dirac statistics
 * (exsol_defect_frozen). Shallow La donors cannot freeze out in SrTiO3 (E_d < 1 meV
 * at RT), so no freeze-out is modelled: an insulator needs compensation.
 *
 * A compensated film has n ≈ 0 from neutrality, which would make ρ infinite. Two
 * finite conduction channels are added, both documented parameters:
 *  - thermally activated band electrons n_th = N_c exp(−E_comp/kT) released from the
 *    compensating (acceptor-bound / polaronic) states — activated conduction, which
 *    dominates near room temperature and gives dρ/dT < 0;
 *  - Efros–Shklovskii variable-range hopping σ_hop0 exp[−(T_ES/T)^{1/2}] with
 *    T_ES = β e²/(4πε0 ε_r(T) k_B ξ): the conduction of last resort at low T. We use
 *    ES rather than Mott VRH because the reference asks for the Coulomb gap with
 *    ε_r(T); with SrTiO3's Barrett permittivity T_ES stays of order 10²–10³ K·(ξ/0.4 nm)⁻¹
 *    at most, so the channel is nearly temperature independent — the physical
 *    statement that STO's permittivity suppresses the Coulomb gap.
 * In a degenerate film both channels are negligible (checked by the tests).
 *
 * Metal particles: symmetric 3D Bruggeman with σ_Ni (reference §3.5); below the
 * 1/3 threshold they raise σ by ≈ 3f only, so the switch must come from the host. */
#include "exsol/transport.h"

#include "exsol/constants.h"
#include "exsol/error.h"
#include "exsol/fermi.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tcache {
    double T, kT, eps, mu_lat, Nc_lo, n_th, sigma_hop, n_mott;
};

struct exsol_transport_model {
    struct exsol_transport_params tp;
    struct exsol_defect_params dp;
    double V_m3;
    size_t nT;
    double *T;
    struct tcache *grid;
    struct tcache meas[3]; /* T_meas − 1 K, T_meas, T_meas + 1 K */
};

int exsol_transport_params_from(const exsol_params *p, struct exsol_transport_params *tp,
                                char *err, size_t errlen)
{
    static const char *const names[] = {
        "barrett_A",      "barrett_M",  "barrett_T0",  "barrett_T1", "m_cond",
        "g_valley",       "mu_LO_0",    "theta_LO",    "mu_ac_ref",  "T_ac_ref",
        "mu_res_ref",     "N_res_ref",  "E_comp",      "sigma_hop0", "xi_loc",
        "beta_ES",        "mott_const", "mott_margin", "eta_metal",  "kFl_min",
        "rho_Ni",         "T_meas",     "T_min",       "T_max",      "n_temperature",
        "switch_decades", "mu_hole"};
    enum { N = sizeof names / sizeof names[0] };
    double v[N];
    for (size_t i = 0; i < N; i++)
        if (exsol_params_lookup(p, names[i], &v[i]) != 0)
            return exsol_seterr(err, errlen, EXSOL_EUNKNOWN,
                                "transport parameter '%s' missing from the registry", names[i]);
    memset(tp, 0, sizeof *tp);
    tp->barrett_A = v[0];
    tp->barrett_M_K = v[1];
    tp->barrett_T0_K = v[2];
    tp->barrett_T1_K = v[3];
    tp->m_cond = v[4];
    tp->g_valley = v[5];
    tp->mu_LO0_m2 = v[6];
    tp->theta_LO_K = v[7];
    tp->mu_ac_ref_m2 = v[8];
    tp->T_ac_ref_K = v[9];
    tp->mu_res_ref_m2 = v[10];
    tp->N_res_ref_m3 = v[11];
    tp->E_comp_J = v[12];
    tp->sigma_hop0_S_m = v[13];
    tp->xi_loc_m = v[14];
    tp->beta_ES = v[15];
    tp->mott_const = v[16];
    tp->mott_margin = v[17];
    tp->eta_metal = v[18];
    tp->kFl_min = v[19];
    tp->rho_Ni_ohm_m = v[20];
    tp->T_meas_K = v[21];
    tp->T_min_K = v[22];
    tp->T_max_K = v[23];
    tp->n_temperature = (int)lround(v[24]);
    tp->switch_decades = v[25];
    tp->mu_hole_m2 = v[26];
    if (!(tp->T_min_K > 0 && tp->T_max_K > tp->T_min_K && tp->n_temperature >= 2 &&
          tp->T_meas_K > 1.0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "transport parameters: need 0 < T_min < T_max, n_temperature >= 2, "
                            "T_meas > 1 K");
    return EXSOL_OK;
}

static void tcache_fill(const struct exsol_transport_model *m, double T, struct tcache *c)
{
    const struct exsol_transport_params *tp = &m->tp;
    c->T = T;
    c->kT = EXSOL_KB * T;
    c->eps = exsol_barrett_eps(tp, T);
    c->mu_lat = exsol_mobility_lattice(tp, T);
    c->Nc_lo = exsol_fd_Nc_m3(T, m->dp.m_dos);
    c->n_th = c->Nc_lo * exp(-tp->E_comp_J / c->kT);
    double T_ES = tp->beta_ES * EXSOL_E * EXSOL_E /
                  (4.0 * EXSOL_PI * EXSOL_EPS0 * c->eps * EXSOL_KB * tp->xi_loc_m);
    c->sigma_hop = tp->sigma_hop0_S_m * exp(-sqrt(T_ES / T));
    c->n_mott = exsol_mott_density(tp, c->eps, m->dp.m_dos);
}

int exsol_transport_model_create(const struct exsol_transport_params *tp,
                                 const struct exsol_defect_params *dp,
                                 exsol_transport_model **out)
{
    *out = NULL;
    if (!tp || !dp || tp->n_temperature < 2 || !(tp->T_min_K > 0) ||
        !(tp->T_max_K > tp->T_min_K) || !(tp->T_meas_K > 1.0) || !(dp->a_lattice_m > 0))
        return EXSOL_EVALUE;
    exsol_transport_model *m = calloc(1, sizeof *m);
    if (!m)
        return EXSOL_ENOMEM;
    m->tp = *tp;
    m->dp = *dp;
    m->V_m3 = dp->a_lattice_m * dp->a_lattice_m * dp->a_lattice_m;
    m->nT = (size_t)tp->n_temperature;
    m->T = malloc(m->nT * sizeof *m->T);
    m->grid = malloc(m->nT * sizeof *m->grid);
    if (!m->T || !m->grid) {
        exsol_transport_model_free(m);
        return EXSOL_ENOMEM;
    }
    for (size_t i = 0; i < m->nT; i++) {
        m->T[i] = tp->T_min_K + (tp->T_max_K - tp->T_min_K) * (double)i / (double)(m->nT - 1);
        tcache_fill(m, m->T[i], &m->grid[i]);
    }
    for (int k = 0; k < 3; k++)
        tcache_fill(m, tp->T_meas_K + (k - 1), &m->meas[k]);
    *out = m;
    return EXSOL_OK;
}

void exsol_transport_model_free(exsol_transport_model *m)
{
    if (!m)
        return;
    free(m->T);
    free(m->grid);
    free(m);
}

size_t exsol_transport_ntemp(const exsol_transport_model *m)
{
    return m->nT;
}
const double *exsol_transport_temps(const exsol_transport_model *m)
{
    return m->T;
}

/* Ioffe–Regel k_F ℓ = ħ k_F² μ/e with k_F = (3π² n/g_v)^{1/3} */
static double kF_l(const exsol_transport_model *m, const struct exsol_film_point *pt)
{
    double kF = cbrt(3.0 * EXSOL_PI * EXSOL_PI * pt->n_m3 / m->tp.g_valley);
    return EXSOL_HBAR * kF * kF * pt->mu_m2 / EXSOL_E;
}

/* Mobility, conductivities and regime numbers of a film whose carriers are known:
 * n_def (defect solve, m⁻³) and p_m3; the activated channel is added here. */
static int film_finish(const exsol_transport_model *m, const struct exsol_film *film,
                       const struct tcache *c, double n_def, double p_m3, double eta_def,
                       struct exsol_film_point *pt)
{
    const struct exsol_transport_params *tp = &m->tp;
    double n = n_def + c->n_th, eta = eta_def, F12 = NAN, Fm12 = NAN;
    if (!isfinite(eta) || c->n_th > 1e-6 * n_def) { /* below, η moves by < 1e-6 */
        double md = exsol_defect_mdos(&m->dp, n);
        F12 = n / exsol_fd_Nc_m3(c->T, md);
        eta = exsol_fd_half_inv_d(F12, &Fm12);
    } else {
        F12 = exsol_fd_half(eta);
        Fm12 = exsol_fd_mhalf(eta);
    }
    const struct exsol_lattice *L = &film->lat;
    /* charges of the ionised defects: La_Sr 1, Nb_Ti 1 (y is charge-weighted; Z = 1 for a
     * 5+ donor on Ti4+), V_A A_valence, the dopant B_valence − v, V_O 2 */
    const double qA = m->dp.A_valence;
    double q = m->dp.B_valence - L->v_dopant, ad = fabs(film->delta);
    double NZ2 = (L->x_donor + L->y_donor_B + qA * qA * L->a_vac + q * q * L->z_dopant +
                  4.0 * ad + m->dp.n_background) /
                 m->V_m3;
    double Ndef =
        (L->x_donor + L->y_donor_B + L->a_vac + L->z_dopant + ad + m->dp.n_background) /
        m->V_m3;
    double inv = 1.0 / c->mu_lat;
    inv += 1.0 / exsol_mobility_ii_f(tp, c->T, c->eps, n, eta, F12, Fm12, NZ2);
    if (Ndef > 0 && tp->mu_res_ref_m2 > 0)
        inv += Ndef / (tp->mu_res_ref_m2 * tp->N_res_ref_m3);
    double mu = 1.0 / inv;
    pt->n_m3 = n;
    pt->p_m3 = p_m3;
    pt->eta = eta;
    pt->mu_m2 = mu;
    /* holes in the O 2p valence band have their own (small, polaronic) mobility */
    pt->sigma_band_S_m = EXSOL_E * (mu * n + m->tp.mu_hole_m2 * p_m3);
    pt->sigma_hop_S_m = c->sigma_hop;
    pt->sigma_host_S_m = pt->sigma_band_S_m + pt->sigma_hop_S_m;
    pt->sigma_eff_S_m = film->metal_fraction > 0
                            ? exsol_emt_bruggeman(pt->sigma_host_S_m, 1.0 / tp->rho_Ni_ohm_m,
                                                  film->metal_fraction)
                            : pt->sigma_host_S_m;
    pt->rho_ohm_m = 1.0 / pt->sigma_eff_S_m;
    pt->eps_r = c->eps;
    pt->n_mott_m3 = c->n_mott;
    pt->kFl = NAN; /* filled by the callers that report it (one cbrt less per point) */
    if (!isfinite(pt->rho_ohm_m) || !(pt->rho_ohm_m > 0))
        return EXSOL_ESOLVER;
    return EXSOL_OK;
}

static int film_eval(const exsol_transport_model *m, const struct exsol_film *film,
                     const struct tcache *c, struct exsol_film_point *pt)
{
    struct exsol_defect_state s;
    int rc = exsol_defect_frozen(&m->dp, &film->lat, film->delta, c->T, &s);
    if (rc)
        return rc;
    return film_finish(m, film, c, s.n_m3, s.p_m3, s.eta, pt);
}

/* Carriers of a film over temperatures up to T_hi. With the oxygen frozen the
 * free-electron density is n = N_net (T-independent, no freeze-out of shallow
 * donors) as long as thermally excited holes are negligible; they only grow with T,
 * so one check at the highest temperature covers the whole range, and each
 * temperature then needs only the inversion of F_1/2. Returns 1 if that holds (and
 * *n_m3 is the density), 0 if the full solve is needed at every T. */
static int film_fixed_n(const exsol_transport_model *m, const struct exsol_film *film,
                        double T_hi, double *n_m3)
{
    struct exsol_defect_state s;
    if (exsol_defect_frozen(&m->dp, &film->lat, film->delta, T_hi, &s) != 0)
        return 0;
    if (!(s.n_m3 > 0) || !(s.p_m3 <= 1e-12 * s.n_m3))
        return 0;
    *n_m3 = s.n_m3;
    return 1;
}

static int film_eval_fast(const exsol_transport_model *m, const struct exsol_film *film,
                          const struct tcache *c, int fixed, double n_m3,
                          struct exsol_film_point *pt)
{
    if (!fixed)
        return film_eval(m, film, c, pt);
    return film_finish(m, film, c, n_m3, 0.0, NAN, pt);
}

int exsol_transport_film_at(const exsol_transport_model *m, const struct exsol_film *film,
                            double T_K, struct exsol_film_point *pt)
{
    if (!(T_K > 0) || !isfinite(T_K))
        return EXSOL_EVALUE;
    struct tcache c;
    tcache_fill(m, T_K, &c);
    int rc = film_eval(m, film, &c, pt);
    if (!rc)
        pt->kFl = kF_l(m, pt);
    return rc;
}

static int check_in(const struct exsol_transport_in *in, char *reason, size_t len)
{
    const double v[] = {in->x,
                        in->a,
                        in->z,
                        in->v,
                        in->delta_asgrown,
                        in->f_exsolved,
                        in->delta_reduced,
                        in->metal_fraction};
    static const char *const names[] = {
        "A_donor_fraction", "A_vacancy",         "dopant_fraction", "dopant_valence",
        "delta_asgrown",    "exsolved_fraction", "delta_reduced",   "metal_volume_fraction"};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (!isfinite(v[i])) {
            snprintf(reason, len, "%s is missing or not finite", names[i]);
            return EXSOL_EVALUE;
        }
    if (in->x < 0 || in->a < 0 || in->z < 0 || in->z >= 1 || in->a >= 1 || !(in->y >= 0)) {
        snprintf(reason, len, "cation fractions out of range (x %g, a %g, z %g)", in->x, in->a,
                 in->z);
        return EXSOL_EVALUE;
    }
    if (in->f_exsolved < -1e-9 || in->f_exsolved > 1 + 1e-9 || in->metal_fraction < 0 ||
        in->metal_fraction >= 1) {
        snprintf(reason, len, "exsolved fraction %g or metal volume fraction %g out of [0, 1]",
                 in->f_exsolved, in->metal_fraction);
        return EXSOL_EVALUE;
    }
    return EXSOL_OK;
}

static void films_of(const struct exsol_transport_in *in, struct exsol_film *pr,
                     struct exsol_film *rd)
{
    pr->lat.x_donor = in->x;
    pr->lat.a_vac = in->a;
    pr->lat.z_dopant = in->z;
    pr->lat.v_dopant = in->v;
    pr->lat.y_donor_B = in->y;
    pr->delta = in->delta_asgrown;
    pr->metal_fraction = 0.0;
    double f = fmin(fmax(in->f_exsolved, 0.0), 1.0);
    /* the reduced film keeps the dissolved dopant's valence of the anneal */
    double v = (isfinite(in->v_anneal) && in->v_anneal > 0) ? in->v_anneal : in->v;
    exsol_lattice_after_exsolution_y(in->x, in->y, in->a, in->z, v, f, &rd->lat);
    rd->delta = in->delta_reduced;
    rd->metal_fraction = in->metal_fraction;
}

static int sign3(double lo, double hi)
{
    double d = hi - lo;
    if (fabs(d) <= 1e-12 * fabs(hi))
        return 0;
    return d > 0 ? 1 : -1;
}

int exsol_transport_rho_reduced(const exsol_transport_model *m,
                                const struct exsol_transport_in *in, double *rho_ohm_m)
{
    struct exsol_film pr, rd;
    struct exsol_film_point pt;
    films_of(in, &pr, &rd);
    int rc = film_eval(m, &rd, &m->meas[1], &pt);
    *rho_ohm_m = rc ? NAN : pt.rho_ohm_m;
    return rc;
}

int exsol_transport_candidate(const exsol_transport_model *m,
                              const struct exsol_transport_in *in,
                              struct exsol_transport_out *out, double *rho_T_pristine,
                              double *rho_T_reduced, char *reason, size_t reasonlen)
{
    int rc = check_in(in, reason, reasonlen);
    if (rc)
        return rc;
    struct exsol_film pr, rd;
    films_of(in, &pr, &rd);
    double T_hi = fmax(m->T[m->nT - 1], m->meas[2].T), npf = 0, nrf = 0;
    int pfix = film_fixed_n(m, &pr, T_hi, &npf), rfix = film_fixed_n(m, &rd, T_hi, &nrf);
    struct exsol_film_point p[3], r[3];
    for (int k = 0; k < 3; k++) {
        if ((rc = film_eval_fast(m, &pr, &m->meas[k], pfix, npf, &p[k])) != 0) {
            snprintf(reason, reasonlen, "pristine state: defect solve failed at %.1f K",
                     m->meas[k].T);
            return rc;
        }
        if ((rc = film_eval_fast(m, &rd, &m->meas[k], rfix, nrf, &r[k])) != 0) {
            snprintf(reason, reasonlen, "reduced state: defect solve failed at %.1f K",
                     m->meas[k].T);
            return rc;
        }
    }
    const struct exsol_transport_params *tp = &m->tp;
    out->n_pristine_m3 = p[1].n_m3;
    out->n_reduced_m3 = r[1].n_m3;
    out->eta_pristine = p[1].eta;
    out->eta_reduced = r[1].eta;
    out->mu_pristine_m2 = p[1].mu_m2;
    out->mu_reduced_m2 = r[1].mu_m2;
    out->rho_300K_pristine = p[1].rho_ohm_m;
    out->rho_300K_reduced = r[1].rho_ohm_m;
    out->log10_rho_ratio = log10(p[1].rho_ohm_m / r[1].rho_ohm_m);
    out->kFl_reduced = kF_l(m, &r[1]);
    out->n_mott_m3 = p[1].n_mott_m3;
    out->p_pristine_m3 = p[1].p_m3;
    out->p_reduced_m3 = r[1].p_m3;
    out->insulating_pristine = p[1].n_m3 < p[1].n_mott_m3;
    /* a film whose majority carriers are holes is not the degenerate n-type metal of the
     * switch, however low its resistivity */
    out->p_type_reduced = r[1].p_m3 > r[1].n_m3;
    out->metallic_reduced = !out->p_type_reduced && r[1].eta >= tp->eta_metal &&
                            r[1].n_m3 >= tp->mott_margin * r[1].n_mott_m3 &&
                            out->kFl_reduced > tp->kFl_min;
    out->drho_dT_sign_pristine = sign3(p[0].rho_ohm_m, p[2].rho_ohm_m);
    out->drho_dT_sign_reduced = sign3(r[0].rho_ohm_m, r[2].rho_ohm_m);
    for (size_t i = 0; i < m->nT && (rho_T_pristine || rho_T_reduced); i++) {
        struct exsol_film_point q;
        if (rho_T_pristine) {
            if ((rc = film_eval_fast(m, &pr, &m->grid[i], pfix, npf, &q)) != 0) {
                snprintf(reason, reasonlen, "pristine state: defect solve failed at %.1f K",
                         m->T[i]);
                return rc;
            }
            rho_T_pristine[i] = q.rho_ohm_m;
        }
        if (rho_T_reduced) {
            if ((rc = film_eval_fast(m, &rd, &m->grid[i], rfix, nrf, &q)) != 0) {
                snprintf(reason, reasonlen, "reduced state: defect solve failed at %.1f K",
                         m->T[i]);
                return rc;
            }
            rho_T_reduced[i] = q.rho_ohm_m;
        }
    }
    if (reasonlen) {
        reason[0] = '\0';
        if (out->p_type_reduced)
            snprintf(reason, reasonlen,
                     "reduced film is p-type (p %.2g > n %.2g cm-3): not metallic_reduced",
                     r[1].p_m3 * 1e-6, r[1].n_m3 * 1e-6);
    }
    return EXSOL_OK;
}

/* log10(ρ_pristine/ρ) of the reduced state with exsolved fraction f and oxygen d along
 * the trajectory (the metal fraction scales with f from the final state). */
static int ratio_at(const exsol_transport_model *m, const struct exsol_transport_in *in,
                    double rho_pristine, double f, double d, double *r)
{
    struct exsol_transport_in s = *in;
    double rho;
    s.f_exsolved = fmin(fmax(f, 0.0), 1.0);
    s.delta_reduced = d;
    s.metal_fraction =
        in->f_exsolved > 0 ? in->metal_fraction * s.f_exsolved / in->f_exsolved : 0.0;
    if (exsol_transport_rho_reduced(m, &s, &rho) != 0)
        return -1;
    *r = log10(rho_pristine / rho);
    return isfinite(*r) ? 0 : -1;
}

/* Fritsch–Carlson slope of a monotone cubic at the middle of three points (x0, x1, x2);
 * one-sided at an end (x0 or x2 NaN). */
static double pchip_slope(double xa, double ya, double xb, double yb, double xc, double yc)
{
    int left = isfinite(xa), right = isfinite(xc);
    double d0 = left ? (yb - ya) / (xb - xa) : NAN, d1 = right ? (yc - yb) / (xc - xb) : NAN;
    if (!left)
        return d1;
    if (!right)
        return d0;
    if (d0 * d1 <= 0.0)
        return 0.0;
    double h0 = xb - xa, h1 = xc - xb, w0 = 2 * h1 + h0, w1 = h1 + 2 * h0;
    return (w0 + w1) / (w0 / d0 + w1 / d1);
}

/* Cubic Hermite on [x0, x1] with end slopes m0, m1, at x0 + u (x1 − x0). */
static double hermite(double u, double h, double y0, double y1, double m0, double m1)
{
    double u2 = u * u, u3 = u2 * u;
    return (2 * u3 - 3 * u2 + 1) * y0 + (u3 - 2 * u2 + u) * h * m0 + (-2 * u3 + 3 * u2) * y1 +
           (u3 - u2) * h * m1;
}

/* δ_eq of the film's current cations at the anneal (the target the oxygen relaxes
 * to, as in exsol-reduce), or NaN when the anneal is unknown or the solve fails. */
static double delta_eq_at(const exsol_transport_model *m, const struct exsol_transport_in *in,
                          const struct exsol_switch_anneal *an, double f)
{
    if (!an || !(an->T_K > 0) || !(an->pO2_Pa > 0) || !isfinite(an->pO2_Pa))
        return NAN;
    struct exsol_lattice lat;
    double v = (isfinite(in->v_anneal) && in->v_anneal > 0) ? in->v_anneal : in->v;
    exsol_lattice_after_exsolution_y(in->x, in->y, in->a, in->z, v, fmin(fmax(f, 0.0), 1.0),
                                     &lat);
    struct exsol_defect_state st;
    if (exsol_defect_equilibrium(&m->dp, &lat, an->T_K, an->pO2_Pa, &st) != EXSOL_OK)
        return NAN;
    return st.delta;
}

double exsol_transport_switch_time(const exsol_transport_model *m,
                                   const struct exsol_transport_in *in, double rho_pristine,
                                   const double *time_frac, const double *f_t,
                                   const double *delta_t, size_t ntime, double t_anneal_s,
                                   double decades, const struct exsol_switch_anneal *anneal,
                                   int *bound)
{
    /* the last usable samples (log time, f, δ): [0] the one before [1] */
    double pl[2] = {NAN, NAN}, pf[2] = {NAN, NAN}, pd[2] = {NAN, NAN};
    int have_prev = 0;
    *bound = EXSOL_TSWITCH_NOT_REACHED;
    for (size_t j = 0; j < ntime; j++) {
        double f = f_t[j], d = delta_t[j], r, t = time_frac[j] * t_anneal_s;
        if (!isfinite(f) || !isfinite(d) || !(t > 0) ||
            ratio_at(m, in, rho_pristine, f, d, &r) != 0)
            continue;
        double l = log(t);
        if (r < decades) {
            pl[0] = pl[1], pf[0] = pf[1], pd[0] = pd[1];
            pl[1] = l, pf[1] = f, pd[1] = d;
            have_prev = 1;
            continue;
        }
        /* switched at the first usable sample: the time is only bounded above */
        if (!have_prev) {
            *bound = EXSOL_TSWITCH_UPPER_BOUND;
            return t;
        }
        *bound = EXSOL_TSWITCH_EXACT;
        /* The ratio is a threshold function of the state (it jumps where the film leaves
         * compensation), so it is not interpolated itself. f is, by a monotone cubic on
         * log time through the log-spaced samples (the one after the crossing included).
         * δ follows δ_eq(f) (kinked where the film leaves compensation) with a smooth
         * lag: the lag δ − δ_eq(f) is interpolated and δ_eq is solved at the
         * interpolated f (without the anneal, δ itself is interpolated). The crossing of
         * that path is found by bisection. */
        double ln = NAN, fn = NAN, dn = NAN;
        for (size_t k = j + 1; k < ntime; k++)
            if (isfinite(f_t[k]) && isfinite(delta_t[k]) && time_frac[k] > 0) {
                ln = log(time_frac[k] * t_anneal_s);
                fn = f_t[k];
                dn = delta_t[k];
                break;
            }
        double e[4] = {0, 0, 0, 0}, fs[4] = {pf[0], pf[1], f, fn};
        int lag = isfinite(delta_eq_at(m, in, anneal, f));
        for (int q = 0; q < 4 && lag; q++)
            if (isfinite(fs[q])) {
                double de = delta_eq_at(m, in, anneal, fs[q]);
                if (!isfinite(de))
                    lag = 0;
                e[q] = de;
            }
        double dd[4] = {pd[0], pd[1], d, dn};
        for (int q = 0; q < 4; q++)
            dd[q] -= lag ? e[q] : 0.0;
        double h = l - pl[1];
        double mf0 = pchip_slope(pl[0], pf[0], pl[1], pf[1], l, f);
        double mf1 = pchip_slope(pl[1], pf[1], l, f, ln, fn);
        double md0 = pchip_slope(pl[0], dd[0], pl[1], dd[1], l, dd[2]);
        double md1 = pchip_slope(pl[1], dd[1], l, dd[2], ln, dd[3]);
        double lo = 0.0, hi = 1.0;
        for (int it = 0; it < 30; it++) {
            double u = 0.5 * (lo + hi), ru;
            double fu = hermite(u, h, pf[1], f, mf0, mf1);
            double du = hermite(u, h, dd[1], dd[2], md0, md1);
            if (lag) {
                double de = delta_eq_at(m, in, anneal, fu);
                if (!isfinite(de))
                    break;
                du += de;
            }
            if (ratio_at(m, in, rho_pristine, fu, du, &ru) != 0)
                break;
            if (ru >= decades)
                hi = u;
            else
                lo = u;
        }
        return exp(pl[1] + hi * h);
    }
    return NAN;
}
