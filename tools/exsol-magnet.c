/* exsol-magnet: magnetisation of every candidate before and after the reducing anneal
 * (libcore/physics/magnet.c). Reads the gen + reduce variables, adds the magnet
 * variables of docs/schema.md. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exsol/cli.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/magnet.h"
#include "exsol/msg.h"
#include "exsol/table.h"

#define FILL_INT (-2147483647) /* NC_FILL_INT */
#define REASON_WIDTH 96
#define DOPANT_WIDTH 16
#define MAX_METALS 64

static const char usage_text[] =
    "Usage: exsol-magnet [options] [INPUT]\n"
    "\n"
    "Adds, for every candidate, the magnetisation of the pristine film (Curie\n"
    "paramagnetism of the dissolved dopant ions + host diamagnetism) and of the reduced\n"
    "film (exsolved metal nanoparticles of both populations + ions left in the lattice +\n"
    "host): M_300K_1T_pristine, M_300K_1T_reduced, M_5K_1T_reduced (A/m of film),\n"
    "T_B_median, T_B_p90 (K, moment-weighted blocking-temperature distribution),\n"
    "Hc_5K, Hc_300K, Mr_5K (A/m), T_interaction (K, dipolar mean field),\n"
    "Ms_particles_0K (A/m), spm_300K_reduced (superparamagnetic verdict), the loops\n"
    "M_H_300K_reduced, M_H_5K_reduced, M_H_300K_pristine on `field` (T, mu0 H; the\n"
    "descending branch, ascending = -M(-H)) and M_ZFC, M_FC on `temperature_zfc` (K),\n"
    "magnet_status and magnet_reason.\n"
    "Physics: moments from the metal's M_s(T) (Kuz'min form) with a dead layer and a\n"
    "finite-size T_C; barrier from the metal's anisotropy (|K1|V/12, K1 V/4 or K_u V)\n"
    "plus a size-dependent term fitted to Ni/SiO2 blocking data; Neel-Brown blocking at\n"
    "tau_m; Langevin above and Stoner-Wohlfarth (random axes, thermally activated)\n"
    "below blocking; dipolar mean-field T*; two-state ZFC/FC. Verdict: T_B_p90 <\n"
    "spm_TB_max, Hc_300K < spm_Hc_max and M_300K_1T_reduced >= spm_contrast_min x\n"
    "|M_300K_1T_pristine|. Constants: datasets/metals.csv; parameters:\n"
    "datasets/magnet-parameters.csv (override with --set NAME=VALUE, e.g.\n"
    "--set tau_m=1e-3 for AC susceptometry, --set dead_layer=0.5nm).\n"
    "INPUT is exsol-reduce output ('-' = stdin, the default); it must hold dopant,\n"
    "dopant_fraction, thickness, reduce_status, radius_bin, surface_size_distribution\n"
    "and buried_size_distribution, and dopant_fraction_lattice or exsolved_fraction\n"
    "(dopant_valence is optional). Rows whose reduce_status is not 0 get\n"
    "magnet_status 3; a dopant without data in metals.csv gets status 2; a\n"
    "non-magnetic metal (Cu, Pd, Ru, ...) gives no particle moment (status 0, spm 0).\n"
    "\n"
    "Example:\n"
    "  exsol-gen --composition La0.2Sr0.7Ni0.1Ti0.9O3 | exsol-reduce | exsol-magnet |\n"
    "      exsol-table -v formula,M_300K_1T_pristine,M_300K_1T_reduced,T_B_p90,spm_300K_reduced -\n"
    "\n"
    "Options: only the common ones.\n";
static const struct exsol_cli_tool tool = {
    .prog = "exsol-magnet", .stages = "magnet", .usage = usage_text};

enum { O_MP, O_MR, O_M5, O_TBM, O_TB9, O_HC5, O_HC3, O_MR5, O_TI, O_MS, N_OD };
static const struct {
    const char *name, *units, *long_name, *comment;
    int kind; /* 0 magnetisation (A/m), 1 field (A/m), 2 other */
} out_d[N_OD] = {
    {"M_300K_1T_pristine", "A m-1", "magnetisation of the as-grown film at 300 K and 1 T",
     "dopant ions (Brillouin, mu_eff from metals.csv) + host chi_v H", 0},
    {"M_300K_1T_reduced", "A m-1", "magnetisation of the reduced film at 300 K and 1 T",
     "particles (surface + buried) + ions left in the lattice + host chi_v H", 0},
    {"M_5K_1T_reduced", "A m-1",
     "magnetisation of the reduced film at 5 K and 1 T (descending branch)", "", 0},
    {"T_B_median", "K", "median blocking temperature of the particles",
     "moment-weighted (n m at 0 K) over both populations, tau_m from the parameters; "
     "0 if no particle carries a moment",
     2},
    {"T_B_p90", "K", "90th percentile of the blocking temperature of the particles",
     "moment-weighted; 0 if no particle carries a moment", 2},
    {"Hc_5K", "A m-1", "coercive field H of the reduced film at 5 K",
     "zero crossing of the descending branch (incl. ions and host); 0 without remanence", 1},
    {"Hc_300K", "A m-1", "coercive field H of the reduced film at 300 K", "", 1},
    {"Mr_5K", "A m-1", "remanent magnetisation of the reduced film at 5 K", "", 0},
    {"T_interaction", "K", "dipolar mean-field interaction temperature T*",
     "k_B T* = alpha mu0 <m^2>/(4 pi d_nn^3) per population with 0 K moments, d_nn from "
     "the areal (surface) or volume (buried) density; the larger of the two; enters the "
     "Langevin argument as T + T* and the blocking as a Vogel-Fulcher T0",
     2},
    {"Ms_particles_0K", "A m-1", "saturation magnetisation of the particles at 0 K per film "
     "volume",
     "sum over bins of n M_s(0) V_magnetic (dead layer removed)", 0},
};

enum { C_H300R, C_H5R, C_H300P, C_ZFC, C_FC, N_CURVE };
static const struct {
    const char *name, *long_name;
    int on_field;
} out_c[N_CURVE] = {
    {"M_H_300K_reduced", "magnetisation of the reduced film at 300 K vs field", 1},
    {"M_H_5K_reduced", "magnetisation of the reduced film at 5 K vs field", 1},
    {"M_H_300K_pristine", "magnetisation of the as-grown film at 300 K vs field", 1},
    {"M_ZFC", "zero-field-cooled magnetisation of the reduced film", 0},
    {"M_FC", "field-cooled magnetisation of the reduced film", 0},
};

static const char *const in_names[] = {"dopant_fraction", "thickness", "reduce_status"};
enum { I_Z, I_L, I_RS, N_IN };

struct args {
    struct exsol_cli cli;
    exsol_ds *ds;
    exsol_ds_out *out;
    exsol_table *metals_tab;
    exsol_mag_model *model;
    struct exsol_mag_params mp;
    size_t n, nbins, nf, nT;
    int have_lattice, have_valence;
    double *radius, *width;         /* nbins (width NULL if the input has none) */
    double *in[N_IN], *zl, *fex;    /* block */
    int *valence;
    char *dopant;                   /* block × DOPANT_WIDTH */
    double *surf, *bur;             /* block × nbins */
    int *metal_idx;                 /* block: index into metals, -1 unknown, -2 none */
    struct exsol_mag_metal metals[MAX_METALS];
    char metal_key[MAX_METALS][DOPANT_WIDTH + 32];
    size_t nmetals;
    double *od[N_OD], *curve[N_CURVE];
    int *spm, *status;
    char *reason;
};

static void destroy_data(struct args *a)
{
    for (int k = 0; k < N_IN; k++)
        free(a->in[k]);
    for (int k = 0; k < N_OD; k++)
        free(a->od[k]);
    for (int k = 0; k < N_CURVE; k++)
        free(a->curve[k]);
    free(a->radius), free(a->width), free(a->zl), free(a->fex), free(a->valence), free(a->dopant);
    free(a->surf), free(a->bur), free(a->metal_idx);
    free(a->spm), free(a->status), free(a->reason);
    exsol_mag_model_destroy(a->model);
    exsol_table_free(a->metals_tab);
    exsol_ds_out_abort(a->out);
    exsol_ds_close(a->ds);
    exsol_cli_release(&a->cli);
}

static int need(const struct args *a, const char *name, enum exsol_vkind kind)
{
    if (exsol_ds_var_kind(a->ds, name) != kind) {
        exsol_error("input has no per-candidate %s '%s' (run exsol-gen and exsol-reduce "
                    "first)", kind == EXSOL_VK_TEXT ? "text variable" : "variable", name);
        return EXSOL_EMISSINGVAR;
    }
    return 0;
}

static int setup(void *ctx)
{
    struct args *a = ctx;
    char err[256];
    int rc = exsol_mag_params_from_registry(a->cli.params, &a->mp, err, sizeof err);
    if (!rc)
        rc = exsol_mag_model_create(&a->mp, &a->model, err, sizeof err);
    if (!rc)
        rc = exsol_table_load("metals", &a->metals_tab, err, sizeof err);
    if (rc) {
        exsol_error("%s", err);
        return rc;
    }
    a->nf = exsol_mag_n_field(a->model);
    a->nT = exsol_mag_n_T_zfc(a->model);
    if ((rc = exsol_ds_open(a->cli.input, &a->ds, err, sizeof err)) != 0) {
        exsol_error("%s", err);
        return rc;
    }
    for (int k = 0; k < N_IN; k++)
        if ((rc = need(a, in_names[k], EXSOL_VK_SCALAR)))
            return rc;
    if ((rc = need(a, "dopant", EXSOL_VK_TEXT)))
        return rc;
    a->have_lattice = exsol_ds_var_kind(a->ds, "dopant_fraction_lattice") == EXSOL_VK_SCALAR;
    if (!a->have_lattice && (rc = need(a, "exsolved_fraction", EXSOL_VK_SCALAR)))
        return rc;
    a->have_valence = exsol_ds_var_kind(a->ds, "dopant_valence") == EXSOL_VK_SCALAR;
    const char *dist[2] = {"surface_size_distribution", "buried_size_distribution"};
    for (int k = 0; k < 2; k++) {
        const char *d = exsol_ds_var_dim(a->ds, dist[k]);
        if (exsol_ds_var_kind(a->ds, dist[k]) != EXSOL_VK_CURVE || !d ||
            strcmp(d, "radius_bin") != 0) {
            exsol_error("input has no size distribution '%s' on radius_bin (run exsol-reduce "
                        "first)", dist[k]);
            return EXSOL_EMISSINGVAR;
        }
    }
    if (exsol_ds_dim_len(a->ds, "radius_bin", &a->nbins) != 0 || a->nbins == 0) {
        exsol_error("input has no radius_bin dimension");
        return EXSOL_EMISSINGVAR;
    }
    a->n = exsol_ds_ncandidates(a->ds);
    size_t B = EXSOL_BLOCK;
    if (!(a->radius = malloc(a->nbins * sizeof(double))))
        return EXSOL_ENOMEM;
    if ((rc = exsol_ds_read_fixed(a->ds, "radius_bin", a->radius, a->nbins, err, sizeof err))) {
        exsol_error("%s", err);
        return rc;
    }
    for (size_t i = 0; i < a->nbins; i++)
        if (!(isfinite(a->radius[i]) && a->radius[i] > 0)) {
            exsol_error("radius_bin %zu is not a positive radius", i);
            return EXSOL_EVALUE;
        }
    size_t wlen = 0;
    if (exsol_ds_var_kind(a->ds, "radius_bin_width") == EXSOL_VK_OTHER &&
        exsol_ds_var_inner(a->ds, "radius_bin_width", &wlen, NULL, 0) == 0) {
        if (!(a->width = malloc(a->nbins * sizeof(double))))
            return EXSOL_ENOMEM;
        rc = exsol_ds_read_fixed(a->ds, "radius_bin_width", a->width, a->nbins, err, sizeof err);
        for (size_t i = 0; !rc && i < a->nbins; i++)
            if (!(isfinite(a->width[i]) && a->width[i] >= 0 && a->width[i] < 2 * a->radius[i])) {
                exsol_error("radius_bin_width %zu is not in [0, 2 radius_bin)", i);
                return EXSOL_EVALUE;
            }
        if (rc) {
            exsol_error("%s", err);
            return rc;
        }
    }
    for (int k = 0; k < N_IN; k++)
        if (!(a->in[k] = malloc(B * sizeof(double))))
            return EXSOL_ENOMEM;
    for (int k = 0; k < N_OD; k++)
        if (!(a->od[k] = malloc(B * sizeof(double))))
            return EXSOL_ENOMEM;
    for (int k = 0; k < N_CURVE; k++)
        if (!(a->curve[k] = malloc(B * (out_c[k].on_field ? a->nf : a->nT) * sizeof(double))))
            return EXSOL_ENOMEM;
    a->zl = malloc(B * sizeof(double));
    a->fex = malloc(B * sizeof(double));
    a->valence = malloc(B * sizeof(int));
    a->dopant = malloc(B * DOPANT_WIDTH);
    a->surf = malloc(B * a->nbins * sizeof(double));
    a->bur = malloc(B * a->nbins * sizeof(double));
    a->metal_idx = malloc(B * sizeof(int));
    a->spm = malloc(B * sizeof(int));
    a->status = malloc(B * sizeof(int));
    a->reason = malloc(B * REASON_WIDTH);
    if (!a->zl || !a->fex || !a->valence || !a->dopant || !a->surf || !a->bur ||
        !a->metal_idx || !a->spm || !a->status || !a->reason)
        return EXSOL_ENOMEM;
    return 0;
}

static int put_cgs(exsol_ds_out *o, const char *name, int kind)
{
    int rc = 0;
    if (kind == 0) {
        rc = exsol_ds_out_put_att_text(o, name, "units_cgs", "emu cm-3");
        if (!rc)
            rc = exsol_ds_out_put_att_double(o, name, "cgs_per_si", 1e-3);
    } else if (kind == 1) {
        rc = exsol_ds_out_put_att_text(o, name, "units_cgs", "Oe");
        if (!rc)
            rc = exsol_ds_out_put_att_double(o, name, "cgs_per_si", 4e-3 * 3.14159265358979323846);
    }
    return rc;
}

static int define_output(void *ctx, int argc, char **argv)
{
    struct args *a = ctx;
    char txt[512];
    int rc = exsol_cli_out_create(&a->cli, argc, argv, "exsol magnet screen", a->ds, &a->out);
    if (rc)
        return rc;
    exsol_ds_out *o = a->out;
    double *g = malloc((a->nf > a->nT ? a->nf : a->nT) * sizeof(double));
    if (!g) {
        exsol_error("out of memory");
        return EXSOL_ENOMEM;
    }
    exsol_mag_field_grid(a->model, g);
    rc = exsol_ds_out_def_coord(o, "field", a->nf, "T", "applied field mu0 H", g);
    if (!rc) {
        exsol_mag_zfc_grid(a->model, g);
        rc = exsol_ds_out_def_coord(o, "temperature_zfc", a->nT, "K",
                                    "temperature of the ZFC/FC curves", g);
    }
    free(g);
    if (!rc)
        rc = exsol_ds_out_def_int(o, "magnet_status", "1",
                                  "magnet status (0 ok, 1 runtime failure, 2 invalid row, 3 earlier stage failed)");
    if (!rc)
        rc = exsol_ds_out_def_text(o, "magnet_reason", REASON_WIDTH,
                                   "why magnet failed for the row (\"\" if ok)");
    for (int k = 0; k < N_OD && !rc; k++) {
        rc = exsol_ds_out_def_double(o, out_d[k].name, NULL, out_d[k].units, out_d[k].long_name);
        if (!rc && out_d[k].comment[0])
            rc = exsol_ds_out_put_att_text(o, out_d[k].name, "comment", out_d[k].comment);
        if (!rc)
            rc = put_cgs(o, out_d[k].name, out_d[k].kind);
    }
    if (!rc)
        rc = exsol_ds_out_def_int(o, "spm_300K_reduced", "1",
                                  "reduced film is a room-temperature superparamagnet (1) or not");
    if (!rc) {
        snprintf(txt, sizeof txt,
                 "1 if the particles carry a moment and T_B_p90 < %g K, Hc_300K < %g A/m and "
                 "M_300K_1T_reduced >= %g x |M_300K_1T_pristine| (parameters spm_TB_max, "
                 "spm_Hc_max, spm_contrast_min)",
                 a->mp.spm_TB_max_K, a->mp.spm_Hc_max_A_m, a->mp.spm_contrast_min);
        rc = exsol_ds_out_put_att_text(o, "spm_300K_reduced", "comment", txt);
    }
    for (int k = 0; k < N_CURVE && !rc; k++) {
        rc = exsol_ds_out_def_double(o, out_c[k].name,
                                     out_c[k].on_field ? "field" : "temperature_zfc", "A m-1",
                                     out_c[k].long_name);
        if (!rc && out_c[k].on_field)
            rc = exsol_ds_out_put_att_text(o, out_c[k].name, "comment",
                                           "descending branch (from +field_max); the ascending "
                                           "branch is -M(-H)");
        if (!rc && !out_c[k].on_field) {
            snprintf(txt, sizeof txt,
                     "two-state blocking model in mu0 H = %g T, incl. ions and host", a->mp.zfc_field_T);
            rc = exsol_ds_out_put_att_text(o, out_c[k].name, "comment", txt);
        }
        if (!rc)
            rc = put_cgs(o, out_c[k].name, 0);
    }
    return exsol_cli_out_enddef(&a->cli, o, rc);
}

/* Resolves the dopant of row k to a metal (serially, before the parallel region, so
 * the cache and its order do not depend on the thread count). */
static void resolve_metal(struct args *a, size_t k)
{
    const char *d = a->dopant + k * DOPANT_WIDTH;
    int v = a->valence[k];
    if (!d[0] || strcmp(d, "none") == 0) {
        a->metal_idx[k] = -2;
        return;
    }
    char key[DOPANT_WIDTH + 32];
    snprintf(key, sizeof key, "%s/%d", d, v);
    for (size_t i = 0; i < a->nmetals; i++)
        if (strcmp(a->metal_key[i], key) == 0) {
            a->metal_idx[k] = (int)i;
            return;
        }
    struct exsol_mag_metal mt;
    if (a->nmetals >= MAX_METALS ||
        exsol_mag_metal_from_table(a->metals_tab, d, v, &mt, NULL, 0) != EXSOL_OK) {
        a->metal_idx[k] = -1;
        return;
    }
    a->metals[a->nmetals] = mt;
    snprintf(a->metal_key[a->nmetals], sizeof a->metal_key[0], "%s", key);
    a->metal_idx[k] = (int)a->nmetals++;
}

static void fill_row(struct args *a, size_t k)
{
    for (int j = 0; j < N_OD; j++)
        a->od[j][k] = NAN;
    for (int j = 0; j < N_CURVE; j++) {
        size_t w = out_c[j].on_field ? a->nf : a->nT;
        for (size_t i = 0; i < w; i++)
            a->curve[j][k * w + i] = NAN;
    }
    a->spm[k] = FILL_INT;
}

static void compute_row(struct args *a, size_t k, size_t *nfail)
{
    char *reason = a->reason + k * REASON_WIDTH;
    reason[0] = '\0';
    double rs = a->in[I_RS][k];
    if (!(rs == 0.0)) {
        fill_row(a, k);
        a->status[k] = 3;
        if (isnan(rs))
            snprintf(reason, REASON_WIDTH, "reduce status missing");
        else
            snprintf(reason, REASON_WIDTH, "reduce failed (reduce_status %d)", (int)rs);
        (*nfail)++;
        return;
    }
    struct exsol_mag_metal none = {0};
    const struct exsol_mag_metal *mt;
    if (a->metal_idx[k] == -1) {
        fill_row(a, k);
        a->status[k] = 2;
        snprintf(reason, REASON_WIDTH, "no data in metals.csv for dopant '%s' (valence %d)",
                 a->dopant + k * DOPANT_WIDTH, a->valence[k]);
        (*nfail)++;
        return;
    }
    if (a->metal_idx[k] == -2) {
        snprintf(none.symbol, sizeof none.symbol, "none");
        mt = &none;
    } else {
        mt = &a->metals[a->metal_idx[k]];
    }
    double z = a->in[I_Z][k], zl;
    if (a->have_lattice) {
        zl = a->zl[k];
    } else {
        double f = a->fex[k];
        zl = z * (1.0 - f) / (1.0 - z * f); /* per B site of the renormalised host */
    }
    struct exsol_mag_input in = {.n_bins = a->nbins,
                                 .radius_m = a->radius,
                                 .width_m = a->width,
                                 .surface_per_m2 = a->surf + k * a->nbins,
                                 .buried_per_m3 = a->bur + k * a->nbins,
                                 .thickness_m = a->in[I_L][k],
                                 .ion_fraction_pristine = z,
                                 .ion_fraction_reduced = zl};
    struct exsol_mag_result res;
    memset(&res, 0, sizeof res);
    double *cv[N_CURVE];
    for (int j = 0; j < N_CURVE; j++)
        cv[j] = a->curve[j] + k * (out_c[j].on_field ? a->nf : a->nT);
    res.M_H_300K_reduced = cv[C_H300R];
    res.M_H_5K_reduced = cv[C_H5R];
    res.M_H_300K_pristine = cv[C_H300P];
    res.M_ZFC = cv[C_ZFC];
    res.M_FC = cv[C_FC];
    int rc = exsol_mag_compute(a->model, mt, &in, &res, reason, REASON_WIDTH);
    if (rc) {
        fill_row(a, k);
        a->status[k] = rc == EXSOL_EVALUE ? 2 : 1;
        (*nfail)++;
        return;
    }
    a->status[k] = 0;
    a->od[O_MP][k] = res.M_300K_1T_pristine;
    a->od[O_MR][k] = res.M_300K_1T_reduced;
    a->od[O_M5][k] = res.M_5K_1T_reduced;
    a->od[O_TBM][k] = res.T_B_median_K;
    a->od[O_TB9][k] = res.T_B_p90_K;
    a->od[O_HC5][k] = res.Hc_5K_A_m;
    a->od[O_HC3][k] = res.Hc_300K_A_m;
    a->od[O_MR5][k] = res.Mr_5K_A_m;
    a->od[O_TI][k] = res.T_interaction_K;
    a->od[O_MS][k] = res.Ms_particles_0K_A_m;
    a->spm[k] = res.spm_300K_reduced;
}

static int read_block(struct args *a, size_t s, size_t cnt, char *err, size_t errlen)
{
    int rc = 0;
    for (int k = 0; k < N_IN && !rc; k++)
        rc = exsol_ds_read_double(a->ds, in_names[k], s, cnt, a->in[k], err, errlen);
    if (!rc)
        rc = exsol_ds_read_text(a->ds, "dopant", s, cnt, a->dopant, DOPANT_WIDTH, err, errlen);
    if (!rc && a->have_lattice)
        rc = exsol_ds_read_double(a->ds, "dopant_fraction_lattice", s, cnt, a->zl, err, errlen);
    if (!rc && !a->have_lattice)
        rc = exsol_ds_read_double(a->ds, "exsolved_fraction", s, cnt, a->fex, err, errlen);
    if (!rc && a->have_valence)
        rc = exsol_ds_read_int(a->ds, "dopant_valence", s, cnt, a->valence, err, errlen);
    if (!rc && !a->have_valence)
        for (size_t k = 0; k < cnt; k++)
            a->valence[k] = 0; /* the metal's default_valence */
    if (!rc)
        rc = exsol_ds_read_double(a->ds, "surface_size_distribution", s, cnt, a->surf, err,
                                  errlen);
    if (!rc)
        rc = exsol_ds_read_double(a->ds, "buried_size_distribution", s, cnt, a->bur, err,
                                  errlen);
    return rc;
}

static int run(void *ctx, size_t *nrows, size_t *nfail_total)
{
    struct args *a = ctx;
    *nrows = a->n;
    char err[256];
    int rc = 0;
    exsol_progress *prog = exsol_progress_create("magnet", a->n);
    for (size_t s = 0; s < a->n && !rc; s += EXSOL_BLOCK) {
        size_t cnt = a->n - s < EXSOL_BLOCK ? a->n - s : EXSOL_BLOCK;
        if ((rc = read_block(a, s, cnt, err, sizeof err)))
            break;
        for (size_t k = 0; k < cnt; k++) {
            if (a->valence[k] == FILL_INT || a->valence[k] < 0)
                a->valence[k] = 0;
            resolve_metal(a, k);
        }
        size_t nfail = 0;
        double tc = exsol_wtime();
#pragma omp parallel for schedule(dynamic, 16) reduction(+ : nfail)
        for (size_t k = 0; k < cnt; k++)
            compute_row(a, k, &nfail);
        exsol_cli_compute_add(exsol_wtime() - tc);
        *nfail_total += nfail;
        exsol_ds_out *o = a->out;
        rc = exsol_ds_out_write_int(o, "magnet_status", s, cnt, a->status, err, sizeof err);
        if (!rc)
            rc = exsol_ds_out_write_text(o, "magnet_reason", s, cnt, a->reason, REASON_WIDTH,
                                         err, sizeof err);
        for (int k = 0; k < N_OD && !rc; k++)
            rc = exsol_ds_out_write_double(o, out_d[k].name, s, cnt, a->od[k], err, sizeof err);
        if (!rc)
            rc = exsol_ds_out_write_int(o, "spm_300K_reduced", s, cnt, a->spm, err, sizeof err);
        for (int k = 0; k < N_CURVE && !rc; k++)
            rc = exsol_ds_out_write_double(o, out_c[k].name, s, cnt, a->curve[k], err,
                                           sizeof err);
        exsol_progress_tick(prog, cnt);
    }
    exsol_progress_destroy(prog);
    if (rc)
        exsol_error("%s", err);
    return rc;
}

static const struct exsol_cli_stage stage = {setup, define_output, run, "failed"};

int main(int argc, char **argv)
{
    struct args a;
    memset(&a, 0, sizeof a);
    int code = exsol_cli_start(&a.cli, &tool, argc, argv, NULL) == EXSOL_CLI_RUN
                   ? exsol_cli_run_stage(&stage, &a, &a.out, argc, argv)
                   : a.cli.exit_code;
    destroy_data(&a);
    return code;
}
