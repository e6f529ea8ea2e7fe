/* Loading the magnet model's inputs from the datasets (metals.csv, the "magnet"
 * parameter registry). Kept apart from magnet.c so the physics links without the
 * table and parameter modules. */
#include "exsol/alloy.h"
#include "exsol/error.h"
#include "exsol/magnet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int get(const exsol_params *reg, const char *name, double *v, char *err, size_t errlen)
{
    if (exsol_params_lookup(reg, name, v) != EXSOL_OK)
        return exsol_seterr(err, errlen, EXSOL_EUNKNOWN, "magnet parameter '%s' is missing",
                            name);
    return EXSOL_OK;
}

static int get_count(const exsol_params *reg, const char *name, size_t *n, char *err,
                     size_t errlen)
{
    double v;
    int rc = get(reg, name, &v, err, errlen);
    if (rc)
        return rc;
    if (!(v >= 1 && v <= 1e7) || v != floor(v))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "magnet parameter '%s' must be a positive whole number", name);
    *n = (size_t)v;
    return EXSOL_OK;
}

int exsol_mag_params_from_registry(const exsol_params *reg, struct exsol_mag_params *p,
                                   char *err, size_t errlen)
{
    struct {
        const char *name;
        double *dst;
    } map[] = {
        {"tau0", &p->tau0_s},
        {"tau_m", &p->tau_m_s},
        {"air_exposed", &p->air_exposed},
        {"dead_layer_offset", &p->dead_layer_offset_m},
        {"keff_scale", &p->keff_scale},
        {"tc_xi0", &p->tc_xi0_m},
        {"tc_lambda", &p->tc_lambda},
        {"sw_pfeiffer_a", &p->sw_pfeiffer_a},
        {"sw_pfeiffer_b", &p->sw_pfeiffer_b},
        {"interaction_alpha", &p->interaction_alpha},
        {"host_chi_v", &p->host_chi_v},
        {"host_cell_volume", &p->host_cell_volume_m3},
        {"field_max", &p->field_max_T},
        {"zfc_field", &p->zfc_field_T},
        {"zfc_T_min", &p->zfc_T_min_K},
        {"zfc_T_max", &p->zfc_T_max_K},
        {"T_low", &p->T_low_K},
        {"T_high", &p->T_high_K},
        {"B_report", &p->B_report_T},
        {"spm_TB_max", &p->spm_TB_max_K},
        {"spm_Hc_max", &p->spm_Hc_max_A_m},
        {"spm_contrast_min", &p->spm_contrast_min},
        {"spm_Mr_ratio_max", &p->spm_Mr_ratio_max},
        {"spm_bg_field_min", &p->spm_bg_field_min_T},
        {"spm_moment_min", &p->spm_moment_min_A},
    };
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        int rc = get(reg, map[i].name, map[i].dst, err, errlen);
        if (rc)
            return rc;
    }
    int rc = get_count(reg, "n_field", &p->n_field, err, errlen);
    if (!rc)
        rc = get_count(reg, "n_T_zfc", &p->n_T_zfc, err, errlen);
    return rc;
}

/* The oxidation state an element takes by default: elements.csv's default_valence,
 * the one source (exsol-gen writes it as dopant_valence). */
static int default_valence(const char *symbol, int *valence, char *err, size_t errlen)
{
    exsol_table *el = NULL;
    int rc = exsol_table_load("elements", &el, err, errlen);
    if (rc)
        return rc;
    long row = exsol_table_find(el, "element", symbol, NULL);
    int col = exsol_table_col(el, "default_valence");
    char *end = NULL;
    long v =
        row >= 0 && col >= 0 ? strtol(exsol_table_cell(el, (size_t)row, col), &end, 10) : 0;
    if (row < 0 || col < 0 || !end || *end || v <= 0 || v > 9)
        rc = exsol_seterr(err, errlen, EXSOL_EUNKNOWN,
                          "metal '%s' has no default valence in elements.csv (give "
                          "dopant_valence)",
                          symbol);
    else
        *valence = (int)v;
    exsol_table_free(el);
    return rc;
}

/* Value of (metal, property) in SI; EXSOL_EUNKNOWN if absent. */
static int prop(const exsol_table *t, const char *metal, const char *property, double *v,
                char *err, size_t errlen)
{
    return exsol_table_value(t, v, err, errlen, "metal", metal, "property", property, NULL);
}

int exsol_mag_metal_from_table(const exsol_table *t, const char *symbol, int valence,
                               struct exsol_mag_metal *mt, char *err, size_t errlen)
{
    memset(mt, 0, sizeof *mt);
    if (strlen(symbol) >= sizeof mt->symbol)
        return exsol_seterr(err, errlen, EXSOL_EUNKNOWN, "unknown metal '%s'", symbol);
    snprintf(mt->symbol, sizeof mt->symbol, "%s", symbol);
    double mag;
    if (prop(t, symbol, "magnetic", &mag, NULL, 0) != EXSOL_OK)
        return exsol_seterr(err, errlen, EXSOL_EUNKNOWN, "metal '%s' is not in metals.csv",
                            symbol);
    mt->magnetic = mag != 0.0;
    int rc;
    if (mt->magnetic) {
        static const char *names[] = {"Ms_0K",
                                      "K",
                                      "T_C",
                                      "kuzmin_s",
                                      "kuzmin_p",
                                      "keff_ref",
                                      "keff_ref_diameter",
                                      "keff_exponent",
                                      "dead_layer_as_reduced",
                                      "dead_layer_air_exposed",
                                      "single_domain_diameter"};
        double *dst[] = {&mt->Ms_0K_A_m,
                         &mt->K_J_m3,
                         &mt->T_C_K,
                         &mt->kuzmin_s,
                         &mt->kuzmin_p,
                         &mt->keff_ref_J_m3,
                         &mt->keff_ref_diameter_m,
                         &mt->keff_exponent,
                         &mt->dead_layer_m[0],
                         &mt->dead_layer_m[1],
                         &mt->single_domain_diameter_m};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if ((rc = prop(t, symbol, names[i], dst[i], err, errlen)) != EXSOL_OK)
                return rc;
        long row = exsol_table_find(t, "metal", symbol, "property", "anisotropy_form", NULL);
        int vc = exsol_table_col(t, "value");
        if (row < 0 || vc < 0)
            return exsol_seterr(err, errlen, EXSOL_EUNKNOWN,
                                "metal '%s' has no anisotropy_form in metals.csv", symbol);
        const char *f = exsol_table_cell(t, (size_t)row, vc);
        if (strcmp(f, "cubic_neg") == 0)
            mt->aniso_form = EXSOL_MAG_ANISO_CUBIC_NEG;
        else if (strcmp(f, "cubic_pos") == 0)
            mt->aniso_form = EXSOL_MAG_ANISO_CUBIC_POS;
        else if (strcmp(f, "uniaxial") == 0)
            mt->aniso_form = EXSOL_MAG_ANISO_UNIAXIAL;
        else
            return exsol_seterr(err, errlen, EXSOL_EDATASET,
                                "metal '%s': unknown anisotropy_form '%s'", symbol, f);
    }
    if (valence <= 0 && (rc = default_valence(symbol, &valence, err, errlen)) != EXSOL_OK)
        return rc;
    char ion[24];
    snprintf(ion, sizeof ion, "%s%d+", symbol, valence);
    if (prop(t, ion, "mu_eff", &mt->ion_mu_eff_muB, NULL, 0) != EXSOL_OK ||
        prop(t, ion, "spin", &mt->ion_spin, NULL, 0) != EXSOL_OK)
        return exsol_seterr(err, errlen, EXSOL_EUNKNOWN,
                            "ion '%s' has no mu_eff/spin rows in metals.csv", ion);
    mt->ion_mu_eff_muB /= EXSOL_MUB; /* table converts muB to J/T */
    return exsol_mag_metal_check(mt, err, errlen);
}

int exsol_mag_alloy_metal(const struct exsol_alloys *al, const struct exsol_mag_metal *m1,
                          const struct exsol_mag_metal *m2, double X,
                          struct exsol_mag_metal *out, char *err, size_t errlen)
{
    double Ms, K1, TC;
    if (!(X >= 0 && X <= 1))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "alloy composition %g outside [0, 1]",
                            X);
    if (exsol_alloys_magnet(al, m1->symbol, m2->symbol, X, &Ms, &K1, &TC) != EXSOL_OK)
        return exsol_seterr(err, errlen, EXSOL_EUNKNOWN,
                            "no magnetic data for the %s-%s alloy (datasets/alloys.csv)",
                            m1->symbol, m2->symbol);
    /* the majority metal's lattice-independent particle terms (no alloy data) */
    const struct exsol_mag_metal *base = X > 0.5 ? m2 : m1;
    *out = *base;
    snprintf(out->symbol, sizeof out->symbol, "%.3s%.3s", m1->symbol, m2->symbol);
    out->magnetic = m1->magnetic || m2->magnetic;
    out->Ms_0K_A_m = Ms;
    out->K_J_m3 = K1;
    out->aniso_form = K1 < 0 ? EXSOL_MAG_ANISO_CUBIC_NEG : EXSOL_MAG_ANISO_CUBIC_POS;
    out->T_C_K = TC;
    out->ion_mu_eff_muB = m1->ion_mu_eff_muB;
    out->ion_spin = m1->ion_spin;
    return EXSOL_OK;
}
