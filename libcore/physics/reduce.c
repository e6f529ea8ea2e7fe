/* One candidate through the reducing anneal (kinetics-and-magnetism.md §2–3,
 * defects-and-transport.md §2.4).
 *
 * 1. Gas pO2 from H2/H2O and the binary M/MO line (ellingham.c). A dopant whose
 *    binary oxide the gas cannot reduce (pO2_gas >= pO2_eq) does not exsolve: the
 *    binary line is a necessary condition (§2.1), whatever γ_host says.
 * 2. Valence of the dissolved dopant at the anneal T and gas pO2 (ellingham.c,
 *    breadth-and-uncertainty.md §1.2): v̄ and θ_{v_min}; x_eq,∞ = (pO2_gas/pO2_eq)^{v_min/4}
 *    /(θ_{v_min} γ_host γ_rel,M), the total dissolved dopant at metal saturation (K_f in
 *    the numerator, §3.2). v̄ (not the as-grown label) enters the neutrality of δ_eq and
 *    the v̄/2 O each exsolved atom takes (§1.3).
 * 3. Room for the metal (breadth-and-uncertainty.md §2.3): the solubility rises as
 *    the A-site vacancies are used up (one per exsolved metal, x_V = x_eq a_ref/a′)
 *    in parallel with A-rich (Ruddlesden–Popper) accommodation at ε_acc per metal
 *    (x_S = x_eq e^{ε_acc/kT}, buried ε_acc − Δε_b); no hard stop at f = a/z, so an
 *    A-site-complete film exsolves less and later, not nothing (exsol/kwn.h).
 * 4. δ_eq(f) of the film's current cations (x′, a′, z′ renormalised to one B
 *    site) at the anneal T and gas pO2, from exsol_defect_equilibrium(),
 *    tabulated on f ∈ [0, 1] for the KWN integration (cubic Hermite there).
 * 5. KWN + oxygen with CVODE (kwn/: model, scheme, driver).
 * 6. Epitaxial strain (breadth-and-uncertainty.md §5, exsol/strain.h): a coherent film
 *    of misfit ε shifts x_eq by exp(Δμ/kT), Δμ = −2 M V_fu η ε − β M ε² Ω_M, for both
 *    populations (ε at the as-grown lattice; its drift −η y as the dopant leaves is not
 *    followed). ε = 0 leaves every number as it was. */
#include "exsol/reduce.h"

#include "exsol/constants.h"
#include "exsol/error.h"
#include "exsol/strain.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int get(const exsol_params *p, const char *name, double *v, char *err, size_t errlen)
{
    if (exsol_params_lookup(p, name, v) != 0 || !isfinite(*v))
        return exsol_seterr(err, errlen, EXSOL_EUNKNOWN, "missing reduce parameter '%s'", name);
    return 0;
}

int exsol_reduce_model_from(const exsol_params *p, const exsol_ellingham *ell,
                            struct exsol_reduce_model *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    m->ell = ell;
    double theta_deg, nb, nt, atol_um2, maxord, maxsteps, ncc;
    int rc;
    if ((rc = get(p, "host_gamma", &m->host_gamma, err, errlen)) ||
        (rc = get(p, "D0", &m->D0_m2_s, err, errlen)) ||
        (rc = get(p, "E_a", &m->Ea_J, err, errlen)) ||
        (rc = get(p, "gamma_interface", &m->gamma_J_m2, err, errlen)) ||
        (rc = get(p, "N0_surface", &m->N0_surface_m2, err, errlen)) ||
        (rc = get(p, "N0_buried", &m->N0_buried_m3, err, errlen)) ||
        (rc = get(p, "wetting_angle_deg", &theta_deg, err, errlen)) ||
        (rc = get(p, "f_buried", &m->f_buried, err, errlen)) ||
        (rc = get(p, "k_chem", &m->k_chem_m_s, err, errlen)) ||
        (rc = get(p, "incubation_theta", &m->incubation_theta, err, errlen)) ||
        (rc = get(p, "eps_acc", &m->eps_acc_J, err, errlen)) ||
        (rc = get(p, "d_eps_buried", &m->d_eps_buried_J, err, errlen)) ||
        (rc = get(p, "a_ref", &m->a_ref, err, errlen)) ||
        (rc = get(p, "r_detect", &m->r_detect_m, err, errlen)) ||
        (rc = get(p, "p_total", &m->p_total_Pa, err, errlen)))
        return rc;
    double c11, c12;
    if ((rc = get(p, "elastic_c11", &c11, err, errlen)) ||
        (rc = get(p, "elastic_c12", &c12, err, errlen)) ||
        (rc = get(p, "strain_eta", &m->strain_eta, err, errlen)) ||
        (rc = get(p, "strain_beta", &m->strain_beta, err, errlen)))
        return rc;
    if (!(c11 > 0 && c12 > 0 && c12 < c11))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "elastic constants: need 0 < elastic_c12 < elastic_c11");
    m->M_biax_Pa = exsol_biaxial_modulus(c11, c12);
    exsol_kwn_config_default(&m->kwn);
    if ((rc = get(p, "n_bins", &nb, err, errlen)) ||
        (rc = get(p, "r_min", &m->kwn.r_min_m, err, errlen)) ||
        (rc = get(p, "r_max", &m->kwn.r_max_m, err, errlen)) ||
        (rc = get(p, "rtol", &m->kwn.rtol, err, errlen)) ||
        (rc = get(p, "atol_bins", &atol_um2, err, errlen)) ||
        (rc = get(p, "n_times", &nt, err, errlen)) ||
        (rc = get(p, "t_first", &m->kwn.t_first_frac, err, errlen)) ||
        (rc = get(p, "bdf_max_order", &maxord, err, errlen)) ||
        (rc = get(p, "max_steps", &maxsteps, err, errlen)) ||
        (rc = get(p, "atol_phi", &m->kwn.atol_phi, err, errlen)) ||
        (rc = get(p, "atol_pop_rel", &m->kwn.atol_pop_rel, err, errlen)) ||
        (rc = get(p, "atol_bins_floor", &m->kwn.atol_bins_floor, err, errlen)) ||
        (rc = get(p, "limiter_noise", &m->kwn.limiter_noise, err, errlen)) ||
        (rc = get(p, "newton_conv_coef", &ncc, err, errlen)) ||
        (rc = get(p, "r_upwind1", &m->kwn.r_upwind1_m, err, errlen)) ||
        (rc = get(p, "initial_step", &m->kwn.h_init_s, err, errlen)))
        return rc;
    double scheme, mbc;
    if ((rc = get(p, "kwn_scheme", &scheme, err, errlen)) ||
        (rc = get(p, "mb_classes", &mbc, err, errlen)) ||
        (rc = get(p, "mb_birth_frac", &m->kwn.mb_birth_frac, err, errlen)) ||
        (rc = get(p, "mb_birth_share", &m->kwn.mb_birth_share, err, errlen)) ||
        (rc = get(p, "mb_birth_logtime", &m->kwn.mb_birth_logtime, err, errlen)) ||
        (rc = get(p, "mb_r_gone", &m->kwn.mb_r_gone_m, err, errlen)))
        return rc;
    size_t isch = (size_t)(scheme + 0.5);
    if (isch >= exsol_kwn_scheme_count())
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "kwn_scheme %zu: no such KWN scheme",
                            isch);
    m->kwn.scheme = exsol_kwn_scheme_name(isch);
    m->kwn.mb_classes = (size_t)(mbc + 0.5);
    /* per-metal kinetics: every host_gamma_rel_<M> row names a metal */
    const char *pre = "host_gamma_rel_";
    size_t lp = strlen(pre);
    m->nmetals = 0;
    for (size_t i = 0; i < exsol_params_count(p); i++) {
        const char *nm = exsol_params_name(p, i);
        if (strncmp(nm, pre, lp) != 0 || !nm[lp] || strlen(nm + lp) >= sizeof m->metal[0].sym)
            continue;
        if (m->nmetals == EXSOL_REDUCE_MAX_METALS)
            return exsol_seterr(err, errlen, EXSOL_EDATASET,
                                "more than %d metals with kinetic parameters",
                                EXSOL_REDUCE_MAX_METALS);
        struct exsol_reduce_metal *e = &m->metal[m->nmetals++];
        snprintf(e->sym, sizeof e->sym, "%s", nm + lp);
        const char *what[4] = {"host_gamma_rel_", "gamma_interface_rel_", "dE_a_", "r_atom_"};
        double *dst[4] = {&e->host_gamma_rel, &e->gamma_rel, &e->dEa_J, &e->r_atom_m};
        for (int k = 0; k < 4; k++) {
            char full[64];
            snprintf(full, sizeof full, "%s%s", what[k], e->sym);
            if (exsol_params_lookup(p, full, dst[k]) != 0 || !isfinite(*dst[k]))
                *dst[k] = NAN;
        }
    }
    m->kwn.newton_conv_coef = ncc;
    m->kwn.max_steps = (long)(maxsteps + 0.5);
    m->kwn.max_order = (int)(maxord + 0.5);
    m->kwn.nbins = (size_t)(nb + 0.5);
    m->kwn.ntimes = (size_t)(nt + 0.5);
    m->kwn.atol_bins = atol_um2; /* already SI (m-2) */
    if (!(m->kwn.r_max_m > m->kwn.r_min_m))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "r_max must exceed r_min");
    m->wetting_angle_rad = theta_deg * EXSOL_PI / 180.0;
    /* alloy rows: the fixed-bin scheme (the one with a two-solute model), at their own
     * relative tolerance */
    m->kwn_alloy = m->kwn;
    m->kwn_alloy.alloy = 1;
    m->kwn_alloy.scheme = "fixedbin";
    if ((rc = get(p, "rtol_alloy", &m->kwn_alloy.rtol, err, errlen)))
        return rc;
    return exsol_defect_params_from(p, &m->defects, err, errlen);
}

int exsol_reduce_input_alloy(const struct exsol_reduce_input *in)
{
    return in->dopant2 && in->dopant2[0] && strcmp(in->dopant2, "none") != 0;
}

static void set_reason(struct exsol_reduce_output *o, int status, const char *msg)
{
    o->status = status;
    snprintf(o->reason, sizeof o->reason, "%s", msg);
}

/* Renormalised lattice after exsolving a fraction f of z (defects §2.4). */
static void lattice_at(const struct exsol_reduce_input *in, double v, double f,
                       struct exsol_lattice *lat)
{
    exsol_lattice_after_exsolution_y(in->x_donor, in->y_donor_B, in->a_vac, in->z, v, f, lat);
}

static void output_init(struct exsol_reduce_output *out)
{
    memset(out, 0, sizeof *out);
    out->t_half_s = out->t_90_s = out->R_crit0_m = NAN;
    out->surface_mean_diameter_m = out->buried_mean_diameter_m = NAN;
    out->valence_anneal = NAN;
    out->pO2_eq2_Pa = out->x_eq2 = out->D2_m2_s = out->valence2_anneal = NAN;
    out->exsolved_fraction1 = out->exsolved_fraction2 = NAN;
    out->surface_x2 = out->buried_x2 = out->nucleus_x2_0 = NAN;
}

/* δ_eq of an alloy row with y1, y2 of each dopant exsolved per B site: the lattice of
 * the current cations, the two dopants' acceptor charge as one (z′ = z1′ + z2′ at the
 * charge-weighted valence). */
static double delta_eq_alloy(const void *ctx, double y1, double y2)
{
    const struct exsol_reduce_delta_eq *d = ctx;
    const struct exsol_reduce_input *in = d->in;
    double sv = 1.0 - y1 - y2;
    struct exsol_lattice lat;
    double z1 = (in->z - y1) / sv, z2 = (in->z2 - y2) / sv;
    z1 = z1 > 0.0 ? z1 : 0.0;
    z2 = z2 > 0.0 ? z2 : 0.0;
    lat.x_donor = in->x_donor / sv;
    lat.y_donor_B = in->y_donor_B / sv;
    lat.a_vac = 1.0 - (1.0 - in->a_vac) / sv;
    if (lat.a_vac < 0.0)
        lat.a_vac = 0.0;
    lat.z_dopant = z1 + z2;
    lat.v_dopant = z1 + z2 > 0.0 ? (d->v * z1 + d->v2 * z2) / (z1 + z2) : d->v;
    struct exsol_defect_state st;
    if (exsol_defect_equilibrium(&d->m->defects, &lat, in->T_K, d->pO2_Pa, &st) != EXSOL_OK)
        return NAN;
    return st.delta;
}

static double delta_eq_exact(const void *ctx, double f)
{
    const struct exsol_reduce_delta_eq *d = ctx;
    struct exsol_lattice lat;
    lattice_at(d->in, d->v, d->undoped ? 0.0 : f, &lat);
    struct exsol_defect_state st;
    if (exsol_defect_equilibrium(&d->m->defects, &lat, d->in->T_K, d->pO2_Pa, &st) != EXSOL_OK)
        return NAN;
    return st.delta;
}

void exsol_reduce_delta_eq_bind(const struct exsol_reduce_model *m,
                                const struct exsol_reduce_input *in, double v, double pO2_Pa,
                                struct exsol_reduce_delta_eq *ctx, struct exsol_kwn_problem *p)
{
    ctx->m = m;
    ctx->in = in;
    ctx->v = v;
    ctx->pO2_Pa = pO2_Pa;
    ctx->undoped =
        !in->dopant || !in->dopant[0] || strcmp(in->dopant, "none") == 0 || in->z == 0.0;
    if (p) {
        p->delta_eq = NULL;
        p->n_delta_eq = 0;
        p->delta_eq_fn = delta_eq_exact;
        p->delta_eq_ctx = ctx;
    }
}

/* The second dopant of an alloy row (breadth-and-uncertainty.md §4): its own oxide line,
 * dissolved valence, solubility, kinetics and the pair's Redlich–Kister parameters, put
 * into the KWN problem p of the first dopant (Vm1, gam1 its metal's molar volume and
 * interfacial energy). The alloy's molar volume and interfacial energy are the means of
 * the two metals' weighted by the film's z1, z2 (Vegard; one value for every particle).
 * Returns 1 (out says why) if the row ends here. */
static int prepare_alloy(const struct exsol_reduce_model *m,
                         const struct exsol_reduce_input *in, double pO2_atm, double Vm1,
                         double gam1, struct exsol_reduce_output *out,
                         struct exsol_kwn_problem *p, struct exsol_reduce_delta_eq *deq,
                         int *reducible2)
{
    const char *d2 = in->dopant2;
    if (!in->dopant || !in->dopant[0] || strcmp(in->dopant, "none") == 0 || !(in->z > 0)) {
        set_reason(out, 2, "dopant2 without a first dopant");
        return 1;
    }
    if (isnan(in->z2) || isnan(in->valence2)) {
        set_reason(out, 2,
                   "dopant2_fraction or dopant2_valence is missing (fill value or NaN)");
        return 1;
    }
    if (!(in->z2 > 0) || !(in->z + in->z2 < 1) || !(in->valence2 > 0 && in->valence2 < 8) ||
        strcmp(d2, in->dopant) == 0) {
        set_reason(out, 2,
                   "unphysical second dopant (z2, z + z2 < 1, valence2, or twice the same)");
        return 1;
    }
    if (!m->alloys || !exsol_alloys_has_pair(m->alloys, in->dopant, d2)) {
        snprintf(out->reason, sizeof out->reason,
                 "no alloy data for %s-%s (datasets/alloys.csv)", in->dopant, d2);
        out->status = 2;
        return 1;
    }
    double pO2_eq2 = NAN, Vm2 = NAN;
    int rc = exsol_ellingham_pO2_eq_atm(m->ell, d2, in->T_K, &pO2_eq2, &Vm2);
    struct exsol_valence_state vs2;
    if (rc == EXSOL_OK && Vm2 > 0)
        rc = exsol_ellingham_valence(m->ell, d2, in->T_K, pO2_atm, &vs2);
    if (rc != EXSOL_OK || !(Vm2 > 0)) {
        snprintf(out->reason, sizeof out->reason,
                 "incomplete oxides.csv/metals.csv data for dopant2 '%s'", d2);
        out->status = 2;
        return 1;
    }
    const struct exsol_reduce_metal *e = NULL;
    for (size_t i = 0; i < m->nmetals; i++)
        if (strcmp(m->metal[i].sym, d2) == 0)
            e = &m->metal[i];
    if (!e || !(e->host_gamma_rel > 0) || !(e->gamma_rel > 0) || !isfinite(e->dEa_J) ||
        !(e->r_atom_m > 0)) {
        snprintf(out->reason, sizeof out->reason,
                 "no kinetic parameters for dopant2 '%s' (reduce-parameters.csv)", d2);
        out->status = 2;
        return 1;
    }
    double x_eq2 =
        exsol_ellingham_x_eq(pO2_atm, pO2_eq2, vs2.v_min, m->host_gamma * e->host_gamma_rel) /
        vs2.theta_min;
    if (in->strain != 0.0) {
        double a = m->defects.a_lattice_m;
        double dmu = exsol_strain_dmu(m->M_biax_Pa, a * a * a, m->strain_eta, m->strain_beta,
                                      Vm2 / EXSOL_NA, in->strain);
        x_eq2 *= exp(dmu / (EXSOL_KB * in->T_K));
    }
    double L[3];
    if (exsol_alloys_rk(m->alloys, in->dopant, d2, in->T_K, L) != EXSOL_OK) {
        snprintf(out->reason, sizeof out->reason, "no Redlich-Kister row for %s-%s", in->dopant,
                 d2);
        out->status = 2;
        return 1;
    }
    double w2 = in->z2 / (in->z + in->z2);
    p->alloy = 1;
    p->z = in->z + in->z2;
    p->z2 = in->z2;
    p->x_eq2 = x_eq2 > 0 ? x_eq2 : 1e-300;
    p->D2_m2_s = m->D0_m2_s * exp(-(m->Ea_J + e->dEa_J) / (EXSOL_KB * in->T_K));
    p->v_dopant2 = vs2.v_mean;
    for (int k = 0; k < 3; k++)
        p->rk_L_J_mol[k] = L[k];
    p->Vm_metal_m3_mol = (1.0 - w2) * Vm1 + w2 * Vm2;
    p->gamma_J_m2 = (1.0 - w2) * gam1 + w2 * m->gamma_J_m2 * e->gamma_rel;
    deq->v2 = vs2.v_mean;
    p->delta_eq2_fn = delta_eq_alloy;
    *reducible2 = pO2_atm < pO2_eq2;
    out->alloy = 1;
    out->pO2_eq2_Pa = pO2_eq2 * EXSOL_ATM_PA;
    out->x_eq2 = x_eq2;
    out->D2_m2_s = p->D2_m2_s;
    out->valence2_anneal = vs2.v_mean;
    /* the first nuclei: binary supersaturations at x̄_i = z_i */
    exsol_kwn_alloy_nucleus(p, in->z / p->x_eq, in->z2 / p->x_eq2, &out->nucleus_x2_0);
    return 0;
}

/* Everything of a candidate but its anneal time: fills out (status 2 or 1 and a
 * reason when the row ends here, returning 1) or the KWN problem *pp (no t_end_s;
 * δ_eq bound to *deq), *undoped_out and *reducible_out, returning 0. */
static int prepare(const struct exsol_reduce_model *m, const struct exsol_reduce_input *in,
                   struct exsol_reduce_output *out, struct exsol_kwn_problem *pp,
                   struct exsol_reduce_delta_eq *deq, int *undoped_out, int *reducible_out,
                   double *r_atom_out)
{
    int unnamed = !in->dopant || !in->dopant[0] || strcmp(in->dopant, "none") == 0;
    int undoped = unnamed || in->z == 0.0;
    if (unnamed && in->z != 0.0) {
        /* a lost or blank dopant name must not turn a doped film into the bare host */
        snprintf(out->reason, sizeof out->reason,
                 "dopant_fraction is %g but the dopant name is %s", in->z,
                 in->dopant && in->dopant[0] ? "'none'" : "empty");
        out->status = 2;
        return 1;
    }
    /* a missing input (the file's fill value reads as NaN) is named, not used */
    const struct {
        const char *name;
        double v;
    } named[] = {{"T_anneal", in->T_K},
                 {"p_H2", in->pH2_Pa},
                 {"p_H2O", in->pH2O_Pa},
                 {"thickness", in->L_m},
                 {"dopant_fraction", in->z},
                 {"A_vacancy", in->a_vac},
                 {"A_donor_fraction", in->x_donor},
                 {"B_donor_fraction", in->y_donor_B},
                 {"delta_asgrown", in->delta0},
                 {"dopant_valence", undoped ? 0.0 : in->valence},
                 {"misfit_strain", in->strain}};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (isnan(named[i].v)) {
            snprintf(out->reason, sizeof out->reason, "%s is missing (fill value or NaN)",
                     named[i].name);
            out->status = 2;
            return 1;
        }
    if (in->pH2_Pa >= 0 && in->pH2O_Pa >= 0 &&
        !(in->pH2_Pa + in->pH2O_Pa <= m->p_total_Pa * (1.0 + 1e-12))) {
        snprintf(out->reason, sizeof out->reason,
                 "p_H2 + p_H2O = %g Pa exceed the total pressure p_total = %g Pa",
                 in->pH2_Pa + in->pH2O_Pa, m->p_total_Pa);
        out->status = 2;
        return 1;
    }
    if (!(in->T_K > 0) || !(in->pH2_Pa > 0) || !(in->pH2O_Pa >= 0) || !(in->L_m > 0) ||
        !(in->z >= 0 && in->z < 1) || !(in->a_vac >= 0 && in->a_vac < 1) ||
        !(in->x_donor >= 0 && in->x_donor <= 1) ||
        !(in->y_donor_B >= 0 && in->y_donor_B <= 1) || !isfinite(in->delta0) ||
        !(in->delta0 > -1 && in->delta0 < 3) ||
        (!undoped && !(in->valence > 0 && in->valence < 8))) {
        set_reason(
            out, 2,
            "unphysical input (T, t, p_H2, p_H2O, thickness, z, a, x, delta or valence)");
        return 1;
    }
    if (in->pH2O_Pa == 0.0) {
        set_reason(out, 2,
                   "p_H2O = 0: the gas pO2 vanishes (give the residual H2O, e.g. 1 ppm)");
        return 1;
    }
    double pO2_atm = exsol_ellingham_pO2_gas_atm(m->ell, in->T_K, in->pH2_Pa, in->pH2O_Pa);
    out->pO2_gas_Pa = pO2_atm * EXSOL_ATM_PA;
    /* An undoped row (z = 0) forms no metal, so the metal's molar volume never enters
     * its balance; the placeholder only keeps the KWN problem well-formed. Doped rows
     * take theirs from datasets/metals.csv (molar_volume). */
    double pO2_eq = NAN, Vm = 1e-5;
    if (!undoped) {
        int rc = exsol_ellingham_pO2_eq_atm(m->ell, in->dopant, in->T_K, &pO2_eq, &Vm);
        if (rc != EXSOL_OK || !(Vm > 0)) {
            snprintf(out->reason, sizeof out->reason,
                     rc == EXSOL_EUNKNOWN
                         ? "no oxide data for dopant '%s'"
                         : "incomplete oxides.csv/metals.csv data for dopant '%s'",
                     in->dopant);
            out->status = 2;
            return 1;
        }
        out->pO2_eq_Pa = pO2_eq * EXSOL_ATM_PA;
        out->log10_margin = log10(pO2_eq / pO2_atm);
    } else {
        out->pO2_eq_Pa = NAN;
        out->log10_margin = NAN;
    }
    /* the dissolved dopant's valence at the anneal: v̄ for the neutrality and the oxygen
     * of each exsolved atom, v_min and θ_{v_min} for x_eq (reference §1.2) */
    struct exsol_valence_state vs = {0.0, 0.0, 0.0, 1.0};
    if (!undoped) {
        int rc = exsol_ellingham_valence(m->ell, in->dopant, in->T_K, pO2_atm, &vs);
        if (rc != EXSOL_OK) {
            snprintf(out->reason, sizeof out->reason,
                     "no dissolved-valence data (oxides.csv) for dopant '%s'", in->dopant);
            out->status = 2;
            return 1;
        }
        out->valence_anneal = vs.v_mean;
    }
    double v_anneal = undoped ? in->valence : vs.v_mean;
    /* the dopant's own kinetics (Ni: the calibrated values) */
    double hg = m->host_gamma, gam = m->gamma_J_m2, Ea = m->Ea_J;
    if (!undoped) {
        const struct exsol_reduce_metal *e = NULL;
        for (size_t i = 0; i < m->nmetals; i++)
            if (strcmp(m->metal[i].sym, in->dopant) == 0)
                e = &m->metal[i];
        if (!e || !(e->host_gamma_rel > 0) || !(e->gamma_rel > 0) || !isfinite(e->dEa_J) ||
            !(e->r_atom_m > 0)) {
            snprintf(out->reason, sizeof out->reason,
                     "no kinetic parameters for dopant '%s' (reduce-parameters.csv: "
                     "host_gamma_rel_, gamma_interface_rel_, dE_a_, r_atom_%s)",
                     in->dopant, in->dopant);
            out->status = 2;
            return 1;
        }
        hg *= e->host_gamma_rel;
        gam *= e->gamma_rel;
        Ea += e->dEa_J;
        *r_atom_out = e->r_atom_m;
    }
    int reducible = !undoped && pO2_atm < pO2_eq;
    double x_eq =
        undoped ? 1.0 : exsol_ellingham_x_eq(pO2_atm, pO2_eq, vs.v_min, hg) / vs.theta_min;
    if (!undoped && in->strain != 0.0) { /* the elastic term of a strained film (§5) */
        double a = m->defects.a_lattice_m;
        out->strain_dmu_J = exsol_strain_dmu(m->M_biax_Pa, a * a * a, m->strain_eta,
                                             m->strain_beta, Vm / EXSOL_NA, in->strain);
        x_eq *= exp(out->strain_dmu_J / (EXSOL_KB * in->T_K));
    }
    out->x_eq = undoped ? NAN : x_eq;
    double D = m->D0_m2_s * exp(-Ea / (EXSOL_KB * in->T_K));
    out->D_eff_m2_s = D;

    /* δ_eq(f) of the current cations: exact at every evaluation; checked here at
     * the ends and at the kink so that a failing defect equilibrium is the row's
     * reason, not a CVODE failure */
    double fk = (in->z > 0.0) ? in->a_vac / in->z : 0.0;
    double fchk[3] = {0.0, fk < 1.0 ? fk : 1.0, 1.0};
    for (int i = 0; i < 3; i++) {
        struct exsol_lattice lat;
        lattice_at(in, v_anneal, undoped ? 0.0 : fchk[i], &lat);
        struct exsol_defect_state st;
        int rc =
            exsol_defect_equilibrium(&m->defects, &lat, in->T_K, pO2_atm * EXSOL_ATM_PA, &st);
        if (rc != EXSOL_OK || !isfinite(st.delta)) {
            snprintf(out->reason, sizeof out->reason,
                     "defect equilibrium failed at f = %.2f: %s", fchk[i], exsol_strerror(rc));
            out->status = (rc == EXSOL_EVALUE) ? 2 : 1;
            return 1;
        }
    }

    struct exsol_kwn_problem p;
    memset(&p, 0, sizeof p);
    p.t_end_s = NAN; /* each member's own: exsol_kwn_solve_multi */
    p.T_K = in->T_K;
    p.L_m = in->L_m;
    p.D_m2_s = D;
    p.z = undoped ? 0.0 : in->z;
    /* an irreducible dopant's x_eq > 1 keeps it dissolved; no accommodation then */
    p.accommodation = reducible;
    p.a_vac = in->a_vac;
    p.a_ref = m->a_ref;
    p.eps_acc_J = m->eps_acc_J;
    p.d_eps_buried_J = m->d_eps_buried_J;
    p.x_eq = x_eq > 0 ? x_eq : 1e-300;
    p.Vm_metal_m3_mol = Vm;
    p.a_host_m = m->defects.a_lattice_m;
    p.gamma_J_m2 = gam;
    p.N0_surface_m2 = m->N0_surface_m2;
    p.N0_buried_m3 = m->N0_buried_m3;
    p.f_surface = exsol_kwn_wetting_factor(m->wetting_angle_rad);
    p.cap_volume_factor = p.f_surface;
    p.f_buried = m->f_buried;
    p.incubation_theta = m->incubation_theta;
    p.nucleation = 1;
    p.k_chem_m_s = m->k_chem_m_s;
    p.delta0 = in->delta0;
    p.v_dopant = undoped ? 0.0 : v_anneal;
    exsol_reduce_delta_eq_bind(m, in, v_anneal, pO2_atm * EXSOL_ATM_PA, deq, &p);
    if (exsol_reduce_input_alloy(in)) {
        int red2 = 0;
        if (prepare_alloy(m, in, pO2_atm, Vm, gam, out, &p, deq, &red2))
            return 1;
        reducible = reducible || red2;
        p.accommodation = reducible;
    }
    *pp = p;
    *undoped_out = undoped;
    *reducible_out = reducible;
    return 0;
}

/* The reduced state of one member from its KWN result. */
static void finish(const struct exsol_kwn_problem *p, const struct exsol_reduce_input *in,
                   struct exsol_reduce_output *out, int undoped, int reducible, double r_atom)
{
    struct exsol_kwn_result *r = &out->kwn;
    if (r->status != 0) {
        set_reason(out, 1, r->reason);
        return;
    }
    size_t k = r->ntimes - 1;
    double f = r->f_t[k];
    /* a fraction outside [0, 1] is a failed integration, not a film */
    if (!(f >= -1e-9 && f <= 1.0 + 1e-9)) {
        char msg[96];
        snprintf(msg, sizeof msg, "exsolved fraction %.6g outside [0, 1] (integration failed)",
                 f);
        set_reason(out, 1, msg);
        return;
    }
    f = fmin(fmax(f, 0.0), 1.0);
    out->exsolvable_fraction = reducible ? exsol_kwn_equilibrium_fraction(p) : 0.0;
    out->exsolved_fraction = f;
    out->delta_reduced = r->delta_t[k];
    struct exsol_lattice lat;
    lattice_at(in, undoped ? in->valence : out->valence_anneal, undoped ? 0.0 : f, &lat);
    out->z_lattice = lat.z_dopant;
    out->a_vac_reduced = lat.a_vac;
    out->x_donor_reduced = lat.x_donor;
    out->A_B_ratio = (1.0 - in->a_vac) / (1.0 - f * p->z);
    out->surface_density_m2 = r->ns_t[k];
    out->surface_mean_diameter_m = r->ns_t[k] > 0 ? r->ds_t[k] : NAN;
    out->buried_density_m3 = r->nb_t[k];
    out->buried_mean_diameter_m = r->nb_t[k] > 0 ? r->db_t[k] : NAN;
    out->metal_volume_fraction = r->phi_t[k];
    if (p->alloy) { /* both dopants: the lattice of the current cations, the split */
        double z1 = p->z - p->z2, y = f * p->z;
        double f2 = fmin(fmax(r->f2_t[k], 0.0), 1.0);
        double f1 = (y - f2 * p->z2) / z1;
        out->exsolvable_fraction = NAN; /* no closed form for two solutes */
        out->exsolved_fraction1 = f1;
        out->exsolved_fraction2 = f2;
        out->z_lattice = (p->z - y) / (1.0 - y);
        out->a_vac_reduced = fmax(1.0 - (1.0 - in->a_vac) / (1.0 - y), 0.0);
        out->x_donor_reduced = in->x_donor / (1.0 - y);
        out->surface_x2 = r->x2s_t[k];
        out->buried_x2 = r->x2b_t[k];
        if (!(r->ns_t[k] > 0))
            out->surface_x2 = NAN;
        if (!(r->nb_t[k] > 0))
            out->buried_x2 = NAN;
    }
    out->t_half_s = r->t_half_s;
    out->t_90_s = r->t_90_s;
    /* the cap geometry the population balance used: magnet reads it per row */
    out->cap_volume_factor = p->cap_volume_factor;
    /* the grid's top face is closed: say so when particles pile up there */
    size_t nb = r->nbins;
    double tot = 0.0;
    for (size_t i = 0; i < nb; i++)
        tot += r->surface[i] + r->buried[i] * in->L_m;
    if (tot > 0.0 && (r->surface[nb - 1] + r->buried[nb - 1] * in->L_m) > 1e-3 * tot)
        set_reason(out, 0, "particles reached the top of the radius grid (raise r_max)");
    if (!reducible && !undoped)
        set_reason(out, 0, "gas cannot reduce the dopant oxide (pO2 above the M/MO line)");
    else if (undoped)
        set_reason(out, 0, "no dopant");
    /* classical nucleation is a continuum theory: below an atomic radius its critical
     * nucleus is not a particle; the row stays computed, and says so */
    out->R_crit0_m = reducible ? exsol_kwn_critical_radius(p, 0.0) : NAN;
    if (p->alloy) { /* the first alloy nuclei (without the room-for-the-metal term) */
        double X,
            lnS = exsol_kwn_alloy_nucleus(p, (p->z - p->z2) / p->x_eq, p->z2 / p->x_eq2, &X);
        out->R_crit0_m =
            lnS > 0 ? 2.0 * p->gamma_J_m2 * p->Vm_metal_m3_mol / (EXSOL_RGAS * p->T_K * lnS)
                    : NAN;
    }
    if (reducible && f > 1e-6 && out->R_crit0_m < r_atom) {
        char note[120];
        snprintf(note, sizeof note,
                 "classical nucleation out of validity: R* %.3g nm < %s atomic radius %.3g nm",
                 out->R_crit0_m * 1e9, in->dopant, r_atom * 1e9);
        size_t l = strlen(out->reason);
        snprintf(out->reason + l, sizeof out->reason - l, "%s%s", l ? "; " : "", note);
    }
}

int exsol_reduce_same_but_time(const struct exsol_reduce_input *a,
                               const struct exsol_reduce_input *b)
{
    const char *da = a->dopant ? a->dopant : "", *db = b->dopant ? b->dopant : "";
    return strcmp(da, db) == 0 && a->z == b->z && a->valence == b->valence &&
           a->a_vac == b->a_vac && a->x_donor == b->x_donor && a->y_donor_B == b->y_donor_B &&
           a->host_index == b->host_index && a->a_lattice_m == b->a_lattice_m &&
           a->delta0 == b->delta0 && a->T_K == b->T_K && a->pH2_Pa == b->pH2_Pa &&
           a->pH2O_Pa == b->pH2O_Pa && a->L_m == b->L_m && a->strain == b->strain &&
           exsol_reduce_input_alloy(a) == exsol_reduce_input_alloy(b) &&
           (!exsol_reduce_input_alloy(a) || (strcmp(a->dopant2, b->dopant2) == 0 &&
                                             a->z2 == b->z2 && a->valence2 == b->valence2));
}

int exsol_reduce_run_multi(const struct exsol_reduce_model *m, exsol_kwn_solver *solver,
                           const struct exsol_reduce_input *in, size_t n,
                           struct exsol_reduce_output *out)
{
    for (size_t j = 0; j < n; j++) {
        output_init(&out[j]);
        /* a row is its own group: not compared with itself, where a NaN input (which
         * equals nothing) would make a lone row look like a bad group */
        if (j > 0 && !exsol_reduce_same_but_time(&in[0], &in[j]))
            return EXSOL_EVALUE;
    }
    if (n == 0)
        return EXSOL_OK;
    struct exsol_reduce_output common;
    output_init(&common);
    struct exsol_kwn_problem p;
    struct exsol_reduce_delta_eq deq;
    int undoped = 0, reducible = 0;
    double r_atom = NAN;
    int done = prepare(m, &in[0], &common, &p, &deq, &undoped, &reducible, &r_atom);
    double *t_end = malloc(n * sizeof *t_end);
    size_t *idx = malloc(n * sizeof *idx);
    struct exsol_kwn_result *res = calloc(n, sizeof *res);
    if (!t_end || !idx || !res) {
        free(t_end);
        free(idx);
        free(res);
        return EXSOL_ENOMEM;
    }
    size_t nlive = 0;
    for (size_t j = 0; j < n; j++) {
        if (!(in[j].t_s > 0) || !isfinite(in[j].t_s)) { /* as prepare's first test */
            set_reason(&out[j], 2,
                       isnan(in[j].t_s) ? "t_anneal is missing (fill value or NaN)"
                                        : "unphysical input (T, t, p_H2, p_H2O, thickness, z, "
                                          "a, x, delta or valence)");
            continue;
        }
        out[j] = common;
        if (done)
            continue;
        t_end[nlive] = in[j].t_s;
        idx[nlive++] = j;
    }
    int ret = EXSOL_OK;
    if (nlive > 0) {
        char err[200];
        int rc = exsol_kwn_solve_multi(solver, &p, t_end, nlive, m->r_detect_m, res, err,
                                       sizeof err);
        if (rc == EXSOL_ENOMEM) {
            ret = rc;
        } else if (rc != EXSOL_OK) {
            for (size_t i = 0; i < nlive; i++)
                set_reason(&out[idx[i]], 2, err);
        } else {
            for (size_t i = 0; i < nlive; i++) {
                struct exsol_reduce_output *o = &out[idx[i]];
                o->kwn = res[i];
                finish(&p, &in[idx[i]], o, undoped, reducible, r_atom);
                o->cap_contact_angle_deg = m->wetting_angle_rad * 180.0 / EXSOL_PI;
            }
        }
    }
    free(t_end);
    free(idx);
    free(res);
    return ret;
}

int exsol_reduce_run(const struct exsol_reduce_model *m, exsol_kwn_solver *solver,
                     const struct exsol_reduce_input *in, struct exsol_reduce_output *out)
{
    return exsol_reduce_run_multi(m, solver, in, 1, out);
}

int exsol_reduce_exsolved(double t_half_s, double exsolved_fraction, double t_s)
{
    return isnan(t_half_s) ? exsolved_fraction >= EXSOL_EXSOLVED_F_MIN : !(t_half_s > t_s);
}
