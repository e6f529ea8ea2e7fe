/* The magnet stage: the gen + reduce variables of a block in, the magnetisation of
 * the pristine and the reduced film out (libcore/schema/magnet.csv; physics in
 * libcore/physics/magnet.c). */
#include "exsol/magnet.h"

#include "exsol/alloy.h"
#include "exsol/defects.h"
#include "exsol/error.h"
#include "exsol/host.h"
#include "exsol/stage.h"
#include "exsol/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOPANT_WIDTH 16
#define MAX_METALS 64
#define HINT "run exsol-gen and exsol-reduce first"

/* cap_volume_factor: the surface-cap geometry reduce used for the row (one geometry
 * in every stage) */
static const char *const in_names[] = {"dopant_fraction", "thickness", "reduce_status",
                                       "cap_volume_factor"};
enum { I_Z, I_L, I_RS, I_CAP, N_IN };

struct magnet {
    struct exsol_stage_ctx base; /* first: input, rows, note */
    exsol_ds *ds;
    exsol_table *metals_tab;
    exsol_mag_model *model;
    struct exsol_mag_params mp;
    size_t n, nbins, nf, nT;
    int have_lattice, have_valence, have_valence_anneal, have_V;
    double V_default;            /* the default host's a³ (its constants file) */
    double *Vfu;                 /* block: gen's V_fu, if present */
    double *field, *T_zfc;       /* the grids of the curves */
    double *radius, *width;      /* nbins (width NULL if the input has none) */
    double *in[N_IN], *zl, *fex; /* block */
    int *valence, *valence_anneal;
    double *va;         /* block: dopant_valence_anneal as read */
    int *metal_idx_red; /* block: metal record of the ion at its anneal valence */
    char *dopant;       /* block × DOPANT_WIDTH */
    double *surf, *bur; /* block × nbins */
    int *metal_idx;     /* block: index into metals, -1 unknown, -2 none */
    struct exsol_mag_metal metals[MAX_METALS];
    char metal_key[MAX_METALS][DOPANT_WIDTH + 32];
    size_t nmetals;
    /* alloy inputs (reduce wrote a second dopant): its name, amount, valences, the split */
    int have_alloy;
    exsol_alloys *alloys;
    char *dopant2;
    double *z2, *va2, *f1, *f2;
    int *valence2, *metal2_idx, *metal2_idx_red;
};

static void destroy(void *ctx)
{
    struct magnet *a = ctx;
    if (!a)
        return;
    for (int k = 0; k < N_IN; k++)
        free(a->in[k]);
    free(a->field), free(a->T_zfc), free(a->radius), free(a->width);
    free(a->Vfu);
    free(a->zl), free(a->fex), free(a->valence), free(a->dopant);
    free(a->surf), free(a->bur), free(a->metal_idx);
    free(a->valence_anneal), free(a->va), free(a->metal_idx_red);
    free(a->dopant2), free(a->z2), free(a->va2), free(a->f1), free(a->f2);
    free(a->valence2), free(a->metal2_idx), free(a->metal2_idx_red);
    exsol_alloys_free(a->alloys);
    exsol_mag_model_destroy(a->model);
    exsol_table_free(a->metals_tab);
    exsol_ds_close(a->ds);
    free(a);
}

static int check_input(struct magnet *a, char *err, size_t errlen)
{
    int rc;
    for (int k = 0; k < N_IN; k++)
        if ((rc = exsol_stage_need(a->ds, in_names[k], EXSOL_VK_SCALAR, HINT, err, errlen)))
            return rc;
    if ((rc = exsol_stage_need(a->ds, "dopant", EXSOL_VK_TEXT, HINT, err, errlen)))
        return rc;
    a->have_lattice = exsol_ds_var_kind(a->ds, "dopant_fraction_lattice") == EXSOL_VK_SCALAR;
    /* gen's V_fu: the ion density of a film of another (or a mixed) host; the default
     * host's rows keep host_cell_volume (files without V_fu: every row) */
    a->have_V = exsol_ds_var_kind(a->ds, "V_fu") == EXSOL_VK_SCALAR;
    if (a->have_V) {
        struct exsol_host h0;
        exsol_table *t0 = NULL;
        double a0 = NAN;
        if ((rc = exsol_host_default(&h0, err, errlen)) ||
            (rc = exsol_table_load(h0.parameters, &t0, err, errlen)))
            return rc;
        rc = exsol_table_value(t0, &a0, err, errlen, "name", "a_lattice", NULL);
        exsol_table_free(t0);
        if (rc)
            return rc;
        a->V_default = a0 * a0 * a0;
        if (!(a->Vfu = malloc(EXSOL_BLOCK * sizeof *a->Vfu)))
            return EXSOL_ENOMEM;
    }
    if (!a->have_lattice &&
        (rc = exsol_stage_need(a->ds, "exsolved_fraction", EXSOL_VK_SCALAR, HINT, err, errlen)))
        return rc;
    a->have_valence = exsol_ds_var_kind(a->ds, "dopant_valence") == EXSOL_VK_SCALAR;
    /* reduce's valence of the dissolved dopant at the anneal, when it writes one */
    a->have_valence_anneal =
        exsol_ds_var_kind(a->ds, "dopant_valence_anneal") == EXSOL_VK_SCALAR;
    /* a second dopant: alloy particles (README Alloys) */
    a->have_alloy = exsol_ds_var_kind(a->ds, "dopant2") == EXSOL_VK_TEXT;
    if (a->have_alloy) {
        const char *need[] = {"dopant2_fraction", "dopant2_valence", "dopant2_valence_anneal",
                              "exsolved_fraction_dopant1", "exsolved_fraction_dopant2"};
        for (size_t i = 0; i < sizeof need / sizeof *need; i++)
            if ((rc = exsol_stage_need(a->ds, need[i], EXSOL_VK_SCALAR, HINT, err, errlen)))
                return rc;
        if ((rc = exsol_alloys_load(&a->alloys, err, errlen)))
            return rc;
        size_t B = EXSOL_BLOCK;
        a->dopant2 = calloc(B, DOPANT_WIDTH);
        a->z2 = calloc(B, sizeof(double));
        a->va2 = calloc(B, sizeof(double));
        a->f1 = calloc(B, sizeof(double));
        a->f2 = calloc(B, sizeof(double));
        a->valence2 = calloc(B, sizeof(int));
        a->metal2_idx = calloc(B, sizeof(int));
        a->metal2_idx_red = calloc(B, sizeof(int));
        if (!a->dopant2 || !a->z2 || !a->va2 || !a->f1 || !a->f2 || !a->valence2 ||
            !a->metal2_idx || !a->metal2_idx_red)
            return EXSOL_ENOMEM;
    }
    const char *dist[2] = {"surface_size_distribution", "buried_size_distribution"};
    for (int k = 0; k < 2; k++) {
        const char *d = exsol_ds_var_dim(a->ds, dist[k]);
        if (exsol_ds_var_kind(a->ds, dist[k]) != EXSOL_VK_CURVE || !d ||
            strcmp(d, "radius_bin") != 0)
            return exsol_seterr(err, errlen, EXSOL_EMISSINGVAR,
                                "input has no size distribution '%s' on radius_bin (run "
                                "exsol-reduce first)",
                                dist[k]);
    }
    if (exsol_ds_dim_len(a->ds, "radius_bin", &a->nbins) != 0 || a->nbins == 0)
        return exsol_seterr(err, errlen, EXSOL_EMISSINGVAR,
                            "input has no radius_bin dimension");
    return 0;
}

static int read_bins(struct magnet *a, char *err, size_t errlen)
{
    int rc;
    if (!(a->radius = malloc(a->nbins * sizeof(double))))
        return EXSOL_ENOMEM;
    if ((rc = exsol_ds_read_fixed(a->ds, "radius_bin", a->radius, a->nbins, err, errlen)))
        return rc;
    for (size_t i = 0; i < a->nbins; i++)
        if (!(isfinite(a->radius[i]) && a->radius[i] > 0))
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "radius_bin %zu is not a positive radius", i);
    size_t wlen = 0;
    if (exsol_ds_var_kind(a->ds, "radius_bin_width") == EXSOL_VK_OTHER &&
        exsol_ds_var_inner(a->ds, "radius_bin_width", &wlen, NULL, 0) == 0) {
        if (!(a->width = malloc(a->nbins * sizeof(double))))
            return EXSOL_ENOMEM;
        rc = exsol_ds_read_fixed(a->ds, "radius_bin_width", a->width, a->nbins, err, errlen);
        for (size_t i = 0; !rc && i < a->nbins; i++)
            if (!(isfinite(a->width[i]) && a->width[i] >= 0 && a->width[i] < 2 * a->radius[i]))
                return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                    "radius_bin_width %zu is not in [0, 2 radius_bin)", i);
        if (rc)
            return rc;
    }
    return 0;
}

static int create(void **ctx, const exsol_params *p, const char *input, const void *opts,
                  char *err, size_t errlen)
{
    (void)opts;
    struct magnet *a = calloc(1, sizeof *a);
    if (!(*ctx = a))
        return EXSOL_ENOMEM;
    int rc = exsol_mag_params_from_registry(p, &a->mp, err, errlen);
    if (!rc)
        rc = exsol_mag_model_create(&a->mp, &a->model, err, errlen);
    if (!rc)
        rc = exsol_table_load("metals", &a->metals_tab, err, errlen);
    if (rc)
        return rc;
    a->nf = exsol_mag_n_field(a->model);
    a->nT = exsol_mag_n_T_zfc(a->model);
    if ((rc = exsol_ds_open(input, &a->ds, err, errlen)) != 0)
        return rc;
    if ((rc = exsol_stage_check_units(a->ds, err, errlen)) != 0)
        return rc;
    if ((rc = check_input(a, err, errlen)))
        return rc;
    a->n = exsol_ds_ncandidates(a->ds);
    a->base = (struct exsol_stage_ctx){a->ds, a->n, ""};
    if ((rc = read_bins(a, err, errlen)))
        return rc;
    size_t B = EXSOL_BLOCK;
    for (int k = 0; k < N_IN; k++)
        if (!(a->in[k] = malloc(B * sizeof(double))))
            return EXSOL_ENOMEM;
    a->field = malloc(a->nf * sizeof(double));
    a->T_zfc = malloc(a->nT * sizeof(double));
    a->zl = malloc(B * sizeof(double));
    a->fex = malloc(B * sizeof(double));
    a->valence = malloc(B * sizeof(int));
    a->dopant = malloc(B * DOPANT_WIDTH);
    a->surf = malloc(B * a->nbins * sizeof(double));
    a->bur = malloc(B * a->nbins * sizeof(double));
    a->metal_idx = malloc(B * sizeof(int));
    a->metal_idx_red = malloc(B * sizeof(int));
    a->valence_anneal = malloc(B * sizeof(int));
    a->va = malloc(B * sizeof(double));
    if (!a->field || !a->T_zfc || !a->zl || !a->fex || !a->valence || !a->dopant || !a->surf ||
        !a->bur || !a->metal_idx || !a->metal_idx_red || !a->valence_anneal || !a->va)
        return EXSOL_ENOMEM;
    exsol_mag_field_grid(a->model, a->field);
    exsol_mag_zfc_grid(a->model, a->T_zfc);
    return 0;
}

static const double *values(const void *ctx, const char *name, size_t *len)
{
    const struct magnet *a = ctx;
    if (strcmp(name, "field") == 0) {
        *len = a->nf;
        return a->field;
    }
    if (strcmp(name, "temperature_zfc") == 0) {
        *len = a->nT;
        return a->T_zfc;
    }
    *len = 0;
    return NULL;
}

static int number(const void *ctx, const char *key, double *v)
{
    const struct exsol_mag_params *mp = &((const struct magnet *)ctx)->mp;
    if (strcmp(key, "spm_TB_max") == 0)
        *v = mp->spm_TB_max_K;
    else if (strcmp(key, "spm_Hc_max") == 0)
        *v = mp->spm_Hc_max_A_m;
    else if (strcmp(key, "spm_contrast_min") == 0)
        *v = mp->spm_contrast_min;
    else if (strcmp(key, "zfc_field") == 0)
        *v = mp->zfc_field_T;
    else if (strcmp(key, "spm_Mr_ratio_max") == 0)
        *v = mp->spm_Mr_ratio_max;
    else if (strcmp(key, "spm_bg_field_min") == 0)
        *v = mp->spm_bg_field_min_T;
    else if (strcmp(key, "spm_moment_min") == 0)
        *v = mp->spm_moment_min_A;
    else
        return EXSOL_EUNKNOWN;
    return 0;
}

/* Resolves the dopant of row k to a metal (serially, before the parallel region, so
 * the cache and its order do not depend on the thread count). */
static int resolve_name(struct magnet *a, const char *d, int v)
{
    if (!d[0] || strcmp(d, "none") == 0)
        return -2;
    char key[DOPANT_WIDTH + 32];
    snprintf(key, sizeof key, "%s/%d", d, v);
    for (size_t i = 0; i < a->nmetals; i++)
        if (strcmp(a->metal_key[i], key) == 0)
            return (int)i;
    struct exsol_mag_metal mt;
    if (a->nmetals >= MAX_METALS ||
        exsol_mag_metal_from_table(a->metals_tab, d, v, &mt, NULL, 0) != EXSOL_OK)
        return -1;
    a->metals[a->nmetals] = mt;
    snprintf(a->metal_key[a->nmetals], sizeof a->metal_key[0], "%s", key);
    return (int)a->nmetals++;
}

static int resolve(struct magnet *a, size_t k, int v)
{
    return resolve_name(a, a->dopant + k * DOPANT_WIDTH, v);
}

static void resolve_metal(struct magnet *a, size_t k)
{
    a->metal_idx[k] = resolve(a, k, a->valence[k]);
    /* the residual-ion Curie term of the reduced film: the valence at the anneal if
     * reduce wrote one, else the as-grown valence */
    a->metal_idx_red[k] =
        a->valence_anneal[k] > 0 ? resolve(a, k, a->valence_anneal[k]) : a->metal_idx[k];
}

static int read_block(void *ctx, size_t s, size_t cnt, char *err, size_t errlen)
{
    struct magnet *a = ctx;
    int rc = exsol_stage_read_doubles(a->ds, in_names, N_IN, s, cnt, a->in, err, errlen);
    if (!rc)
        rc = exsol_ds_read_text(a->ds, "dopant", s, cnt, a->dopant, DOPANT_WIDTH, err, errlen);
    if (!rc && a->have_lattice)
        rc = exsol_ds_read_double(a->ds, "dopant_fraction_lattice", s, cnt, a->zl, err, errlen);
    if (!rc && a->have_V)
        rc = exsol_ds_read_double(a->ds, "V_fu", s, cnt, a->Vfu, err, errlen);
    if (!rc && !a->have_lattice)
        rc = exsol_ds_read_double(a->ds, "exsolved_fraction", s, cnt, a->fex, err, errlen);
    if (!rc && a->have_valence)
        rc = exsol_ds_read_int(a->ds, "dopant_valence", s, cnt, a->valence, err, errlen);
    if (!rc && !a->have_valence)
        for (size_t k = 0; k < cnt; k++)
            a->valence[k] = 0; /* the metal's default_valence */
    if (!rc && a->have_valence_anneal)
        rc = exsol_ds_read_double(a->ds, "dopant_valence_anneal", s, cnt, a->va, err, errlen);
    for (size_t k = 0; !rc && k < cnt; k++) /* nearest ion record of metals.csv */
        a->valence_anneal[k] = a->have_valence_anneal && isfinite(a->va[k]) && a->va[k] > 0.5
                                   ? (int)floor(a->va[k] + 0.5)
                                   : 0;
    if (!rc)
        rc = exsol_ds_read_double(a->ds, "surface_size_distribution", s, cnt, a->surf, err,
                                  errlen);
    if (!rc)
        rc = exsol_ds_read_double(a->ds, "buried_size_distribution", s, cnt, a->bur, err,
                                  errlen);
    if (rc)
        return rc;
    for (size_t k = 0; k < cnt; k++) {
        if (a->valence[k] == EXSOL_FILL_INT || a->valence[k] < 0)
            a->valence[k] = 0;
        resolve_metal(a, k);
    }
    if (!a->have_alloy)
        return 0;
    rc = exsol_ds_read_text(a->ds, "dopant2", s, cnt, a->dopant2, DOPANT_WIDTH, err, errlen);
    if (!rc)
        rc = exsol_ds_read_double(a->ds, "dopant2_fraction", s, cnt, a->z2, err, errlen);
    if (!rc)
        rc = exsol_ds_read_int(a->ds, "dopant2_valence", s, cnt, a->valence2, err, errlen);
    if (!rc)
        rc = exsol_ds_read_double(a->ds, "dopant2_valence_anneal", s, cnt, a->va2, err, errlen);
    if (!rc)
        rc = exsol_ds_read_double(a->ds, "exsolved_fraction_dopant1", s, cnt, a->f1, err,
                                  errlen);
    if (!rc)
        rc = exsol_ds_read_double(a->ds, "exsolved_fraction_dopant2", s, cnt, a->f2, err,
                                  errlen);
    for (size_t k = 0; !rc && k < cnt; k++) {
        const char *d2 = a->dopant2 + k * DOPANT_WIDTH;
        int v2 = a->valence2[k] == EXSOL_FILL_INT || a->valence2[k] < 0 ? 0 : a->valence2[k];
        int va = isfinite(a->va2[k]) && a->va2[k] > 0.5 ? (int)floor(a->va2[k] + 0.5) : 0;
        a->metal2_idx[k] = a->metal2_idx_red[k] = -2;
        if (!d2[0] || strcmp(d2, "none") == 0)
            continue;
        a->metal2_idx[k] = resolve_name(a, d2, v2);
        a->metal2_idx_red[k] = va > 0 ? resolve_name(a, d2, va) : a->metal2_idx[k];
    }
    return rc;
}

#define V(name) EXSOL_SV_MAGNET_##name

/* Back to the fill (a failed physics call may have written part of the curves). */
static void fill_row(const struct magnet *a, const struct exsol_block *b, size_t k)
{
    for (int v = V(M_300K_1T_pristine); v <= V(multidomain_fraction); v++)
        *exsol_block_double(b, v, k) = NAN;
    for (int v = V(M_H_300K_reduced); v <= V(M_FC); v++) {
        size_t w = v <= V(M_H_300K_pristine) ? a->nf : a->nT;
        double *c = exsol_block_double(b, v, k);
        for (size_t i = 0; i < w; i++)
            c[i] = NAN;
    }
    *exsol_block_int(b, V(spm_300K_reduced), k) = EXSOL_FILL_INT;
}

static int row(void *ctx, const struct exsol_block *b, size_t k)
{
    struct magnet *a = ctx;
    char *reason = exsol_block_text(b, V(magnet_reason), k);
    size_t rlen = b->inner[V(magnet_reason)];
    int *status = exsol_block_int(b, V(magnet_status), k);
    double rs = a->in[I_RS][k];
    if (!(rs == 0.0)) {
        *status = EXSOL_ROW_UPSTREAM;
        if (isnan(rs))
            snprintf(reason, rlen, "reduce status missing");
        else
            snprintf(reason, rlen, "reduce failed (reduce_status %d)", (int)rs);
        return 1;
    }
    struct exsol_mag_metal none = {0};
    const struct exsol_mag_metal *mt;
    if (a->metal_idx[k] == -1 || a->metal_idx_red[k] == -1) {
        *status = EXSOL_ROW_INVALID;
        snprintf(reason, rlen, "no data in metals.csv for dopant '%s' (valence %d)",
                 a->dopant + k * DOPANT_WIDTH, a->valence[k]);
        return 1;
    }
    if (a->metal_idx[k] == -2 && !(a->in[I_Z][k] == 0.0)) {
        /* an undoped film has dopant_fraction 0; anything else names no metal */
        *status = EXSOL_ROW_INVALID;
        snprintf(reason, rlen, "no dopant named but dopant_fraction %g", a->in[I_Z][k]);
        return 1;
    }
    if (a->metal_idx[k] == -2) {
        snprintf(none.symbol, sizeof none.symbol, "none");
        mt = &none;
    } else {
        mt = &a->metals[a->metal_idx[k]];
    }
    struct exsol_mag_metal alloy;
    const struct exsol_mag_metal *ion2 = NULL, *ion2_red = NULL;
    double z2 = 0.0, zl2 = 0.0, X = NAN, zl1 = NAN;
    if (a->have_alloy && a->metal2_idx[k] != -2) { /* alloy particles (README Alloys) */
        if (a->metal2_idx[k] < 0 || a->metal2_idx_red[k] == -1 || a->metal_idx[k] < 0) {
            *status = EXSOL_ROW_INVALID;
            snprintf(reason, rlen, "no data in metals.csv for dopant2 '%s' (valence %d)",
                     a->dopant2 + k * DOPANT_WIDTH, a->valence2[k]);
            return 1;
        }
        double z1 = a->in[I_Z][k], f1 = a->f1[k], f2 = a->f2[k];
        z2 = a->z2[k];
        double y1 = z1 * f1, y2 = z2 * f2, y = y1 + y2;
        if (!(isfinite(y1) && isfinite(y2) && y1 >= 0 && y2 >= 0 && y < 1)) {
            *status = EXSOL_ROW_INVALID;
            snprintf(reason, rlen, "exsolved fractions of the two dopants missing or invalid");
            return 1;
        }
        X = y > 0 ? y2 / y : 0.5;
        int arc = exsol_mag_alloy_metal(a->alloys, &a->metals[a->metal_idx[k]],
                                        &a->metals[a->metal2_idx[k]], X, &alloy, reason, rlen);
        if (arc) {
            *status = exsol_row_status_of(arc);
            return 1;
        }
        mt = &alloy;
        ion2 = &a->metals[a->metal2_idx[k]];
        ion2_red = a->metal2_idx_red[k] >= 0 ? &a->metals[a->metal2_idx_red[k]] : NULL;
        zl1 = z1 * (1.0 - f1) / (1.0 - y);
        zl2 = z2 * (1.0 - f2) / (1.0 - y);
    }
    double z = a->in[I_Z][k], zl;
    if (!isnan(zl1)) {
        zl = zl1;
    } else if (a->have_lattice) {
        zl = a->zl[k];
    } else { /* per B site of the renormalised host */
        struct exsol_lattice lat;
        exsol_lattice_after_exsolution(0.0, 0.0, z, 0.0, a->fex[k], &lat);
        zl = lat.z_dopant;
    }
    struct exsol_mag_input in = {
        .n_bins = a->nbins,
        .radius_m = a->radius,
        .width_m = a->width,
        .surface_per_m2 = a->surf + k * a->nbins,
        .buried_per_m3 = a->bur + k * a->nbins,
        .thickness_m = a->in[I_L][k],
        .cap_volume_factor = a->in[I_CAP][k],
        .ion_fraction_pristine = z,
        .ion_fraction_reduced = zl,
        .ion_reduced = a->metal_idx_red[k] >= 0 ? &a->metals[a->metal_idx_red[k]] : NULL,
        .cell_volume_m3 =
            a->have_V && fabs(a->Vfu[k] - a->V_default) > 1e-9 * a->V_default ? a->Vfu[k] : 0.0,
        .ion2 = ion2,
        .ion2_fraction_pristine = z2,
        .ion2_fraction_reduced = zl2,
        .ion2_reduced = ion2_red};
    struct exsol_mag_result res;
    memset(&res, 0, sizeof res);
    res.M_H_300K_reduced = exsol_block_double(b, V(M_H_300K_reduced), k);
    res.M_H_5K_reduced = exsol_block_double(b, V(M_H_5K_reduced), k);
    res.M_H_300K_pristine = exsol_block_double(b, V(M_H_300K_pristine), k);
    res.M_ZFC = exsol_block_double(b, V(M_ZFC), k);
    res.M_FC = exsol_block_double(b, V(M_FC), k);
    int rc = exsol_mag_compute(a->model, mt, &in, &res, reason, rlen);
    if (rc) {
        fill_row(a, b, k);
        *status = exsol_row_status_of(rc);
        return 1;
    }
    *status = EXSOL_ROW_OK;
    *exsol_block_double(b, V(M_300K_1T_pristine), k) = res.M_300K_1T_pristine;
    *exsol_block_double(b, V(M_300K_1T_reduced), k) = res.M_300K_1T_reduced;
    *exsol_block_double(b, V(M_5K_1T_reduced), k) = res.M_5K_1T_reduced;
    *exsol_block_double(b, V(T_B_median), k) = res.T_B_median_K;
    *exsol_block_double(b, V(T_B_p90), k) = res.T_B_p90_K;
    *exsol_block_double(b, V(Hc_5K), k) = res.Hc_5K_A_m;
    *exsol_block_double(b, V(Hc_300K), k) = res.Hc_300K_A_m;
    *exsol_block_double(b, V(Mr_5K), k) = res.Mr_5K_A_m;
    *exsol_block_double(b, V(T_interaction), k) = res.T_interaction_K;
    *exsol_block_double(b, V(Ms_particles_0K), k) = res.Ms_particles_0K_A_m;
    *exsol_block_double(b, V(M_sat_300K_reduced), k) = res.M_sat_300K_reduced;
    *exsol_block_double(b, V(M_sat_300K_pristine), k) = res.M_sat_300K_pristine;
    *exsol_block_double(b, V(Mr_300K), k) = res.Mr_300K_A_m;
    *exsol_block_double(b, V(m_sat_300K_per_area), k) = res.m_sat_300K_per_area_A;
    *exsol_block_double(b, V(multidomain_fraction), k) = res.multidomain_fraction;
    *exsol_block_int(b, V(spm_300K_reduced), k) = res.spm_300K_reduced;
    if (a->have_alloy) {
        *exsol_block_double(b, V(particle_x2), k) = X;
        *exsol_block_double(b, V(particle_Ms_0K), k) = mt->magnetic ? mt->Ms_0K_A_m : NAN;
        *exsol_block_double(b, V(particle_K1), k) = mt->magnetic ? mt->K_J_m3 : NAN;
        *exsol_block_double(b, V(particle_T_C), k) = mt->magnetic ? mt->T_C_K : NAN;
        *exsol_block_double(b, V(particle_Keff_10nm), k) =
            mt->magnetic ? exsol_mag_keff_J_m3(a->model, mt, 10e-9) : NAN;
    }
    return 0;
}

/* The alloy variables only for inputs with a second dopant: one-dopant screens keep
 * their bytes. */
static int omit(const void *ctx, int v)
{
    const struct magnet *a = ctx;
    return v >= V(particle_x2) && v <= V(particle_Keff_10nm) && !a->have_alloy;
}

const struct exsol_stage_type exsol_stage_magnet = {
    .name = "magnet",
    .title = "exsol magnet screen",
    .failed = "failed",
    .schema = &exsol_schema_magnet,
    .create = create,
    .destroy = destroy,
    .values = values,
    .number = number,
    .read = read_block,
    .row = row,
    .omit = omit,
};
