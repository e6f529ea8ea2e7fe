/* Shared set-up for the magnet tests: the shipped parameter defaults and metal
 * constants (read from the embedded datasets, so the tests check what the tool
 * uses) and lognormal size distributions on radius bins. */
#ifndef EXSOL_TEST_MAGNET_FIXTURE_H
#define EXSOL_TEST_MAGNET_FIXTURE_H

#include "exsol/error.h"
#include "exsol/magnet.h"
#include "exsol/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define FX_PI 3.14159265358979323846

/* Defaults of datasets/magnet-parameters.csv through the table module (the same
 * values the parameter registry starts from). Exits on a broken table: without it
 * no test can run. */
static inline struct exsol_mag_params fx_params(void)
{
    struct exsol_mag_params p;
    exsol_table *t = NULL;
    char err[256];
    if (exsol_table_load("magnet-parameters", &t, err, sizeof err)) {
        fprintf(stderr, "cannot load magnet-parameters: %s\n", err);
        exit(1);
    }
    struct {
        const char *n;
        double *d;
    } map[] = {{"tau0", &p.tau0_s},
               {"tau_m", &p.tau_m_s},
               {"air_exposed", &p.air_exposed},
               {"dead_layer_offset", &p.dead_layer_offset_m},
               {"keff_scale", &p.keff_scale},
               {"tc_xi0", &p.tc_xi0_m},
               {"tc_lambda", &p.tc_lambda},
               {"sw_pfeiffer_a", &p.sw_pfeiffer_a},
               {"sw_pfeiffer_b", &p.sw_pfeiffer_b},
               {"interaction_alpha", &p.interaction_alpha},
               {"host_chi_v", &p.host_chi_v},
               {"host_cell_volume", &p.host_cell_volume_m3},
               {"field_max", &p.field_max_T},
               {"zfc_field", &p.zfc_field_T},
               {"zfc_T_min", &p.zfc_T_min_K},
               {"zfc_T_max", &p.zfc_T_max_K},
               {"T_low", &p.T_low_K},
               {"T_high", &p.T_high_K},
               {"B_report", &p.B_report_T},
               {"spm_TB_max", &p.spm_TB_max_K},
               {"spm_Hc_max", &p.spm_Hc_max_A_m},
               {"spm_contrast_min", &p.spm_contrast_min},
               {"spm_Mr_ratio_max", &p.spm_Mr_ratio_max},
               {"spm_bg_field_min", &p.spm_bg_field_min_T},
               {"spm_moment_min", &p.spm_moment_min_A}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (exsol_table_value(t, map[i].d, err, sizeof err, "name", map[i].n, NULL)) {
            fprintf(stderr, "magnet-parameters: %s\n", err);
            exit(1);
        }
    double nf, nt;
    if (exsol_table_value(t, &nf, err, sizeof err, "name", "n_field", NULL) ||
        exsol_table_value(t, &nt, err, sizeof err, "name", "n_T_zfc", NULL)) {
        fprintf(stderr, "magnet-parameters: %s\n", err);
        exit(1);
    }
    p.n_field = (size_t)nf;
    p.n_T_zfc = (size_t)nt;
    exsol_table_free(t);
    return p;
}

static inline struct exsol_mag_metal fx_metal(const char *sym, int valence)
{
    struct exsol_mag_metal m;
    exsol_table *t = NULL;
    char err[256];
    if (exsol_table_load("metals", &t, err, sizeof err) ||
        exsol_mag_metal_from_table(t, sym, valence, &m, err, sizeof err)) {
        fprintf(stderr, "metals: %s\n", err);
        exit(1);
    }
    exsol_table_free(t);
    return m;
}

static inline exsol_mag_model *fx_model(const struct exsol_mag_params *p)
{
    exsol_mag_model *m = NULL;
    char err[256];
    if (exsol_mag_model_create(p, &m, err, sizeof err)) {
        fprintf(stderr, "model: %s\n", err);
        exit(1);
    }
    return m;
}

/* Log-spaced radius bins on [rmin, rmax] (centres geometric means of the edges). */
static inline void fx_bins(size_t n, double rmin, double rmax, double *r, double *edges)
{
    for (size_t i = 0; i <= n; i++)
        edges[i] = rmin * pow(rmax / rmin, (double)i / (double)n);
    for (size_t i = 0; i < n; i++)
        r[i] = sqrt(edges[i] * edges[i + 1]);
}

/* Number N of particles with lognormal diameters (median D0, width sigma) spread
 * over the bins exactly (CDF differences). */
static inline void fx_lognormal(size_t n, const double *edges, double N, double D0,
                                double sigma, double *cnt)
{
    for (size_t i = 0; i < n; i++) {
        double a = log(2.0 * edges[i] / D0) / (sigma * sqrt(2.0));
        double b = log(2.0 * edges[i + 1] / D0) / (sigma * sqrt(2.0));
        cnt[i] = N * 0.5 * (erf(b) - erf(a));
    }
}

/* Σ cnt V over bins (V from bin-centre radii). */
static inline double fx_volume(size_t n, const double *r, const double *cnt)
{
    double v = 0.0;
    for (size_t i = 0; i < n; i++)
        v += cnt[i] * 4.0 / 3.0 * FX_PI * r[i] * r[i] * r[i];
    return v;
}

#endif
