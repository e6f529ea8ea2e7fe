/* The transport stage: the gen + reduce variables of a block in, the carriers,
 * mobility and resistivity of the pristine and the reduced film out
 * (libcore/schema/transport.csv; physics in libcore/physics/transport.c). */
#include "exsol/transport.h"

#include "exsol/defects.h"
#include "exsol/error.h"
#include "exsol/host.h"
#include "exsol/stage.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOST_WIDTH 24 /* gen's host text */

static const char *const in_names[] = {
    "A_donor_fraction", "A_vacancy",         "dopant_fraction", "dopant_valence",
    "delta_asgrown",    "exsolved_fraction", "delta_reduced",   "metal_volume_fraction",
    "reduce_status"};
enum { I_X, I_A, I_Z, I_V, I_D0, I_F, I_D1, I_PHI, I_RS, N_IN };
static const char *const alloy_names[5] = {
    "dopant2_fraction", "dopant2_valence", "dopant2_valence_anneal",
    "exsolved_fraction_dopant1", "exsolved_fraction_dopant2"};

struct transport {
    struct exsol_stage_ctx base; /* first: input, rows, note */
    exsol_ds *ds;
    exsol_transport_model *model; /* the default host's (= hmodel[0]) */
    struct exsol_transport_params tp;
    /* per host (hosts.csv order), each with its host's constants (exsol_host_apply) */
    struct exsol_host hosts[EXSOL_HOST_MAX];
    exsol_transport_model *hmodel[EXSOL_HOST_MAX];
    size_t nhosts;
    struct exsol_defect_params hdp[EXSOL_HOST_MAX];
    struct exsol_transport_params htp[EXSOL_HOST_MAX];
    int have_host, have_yB, have_V;
    double *Vfu; /* V_fu of the block (gen's Vegard volume), if present */
    char *host;  /* block × HOST_WIDTH */
    double *yB;  /* B_donor_fraction of the block */
    size_t n, nT, ntime;
    int have_traj, have_vanneal, have_anneal;
    double *vanneal;         /* dopant_valence_anneal of the block (reduce), if present */
    double *T_ann, *pO2_ann; /* T_anneal and pO2_gas of the block (with trajectories) */
    double *time, *t_anneal; /* trajectory coordinate and per-row anneal time */
    double *in[N_IN];        /* one block */
    /* a second dopant (alloy rows, README Alloys): amount, valences, the split */
    int have_alloy;
    double *al[5];         /* dopant2_fraction, dopant2_valence, dopant2_valence_anneal,
                              exsolved_fraction_dopant1, exsolved_fraction_dopant2 */
    double *ftraj, *dtraj; /* block × ntime */
};

static void destroy(void *ctx)
{
    struct transport *a = ctx;
    if (!a)
        return;
    for (int k = 0; k < N_IN; k++)
        free(a->in[k]);
    free(a->time), free(a->t_anneal), free(a->ftraj), free(a->dtraj), free(a->vanneal);
    free(a->T_ann), free(a->pO2_ann), free(a->host), free(a->yB), free(a->Vfu);
    for (int k = 0; k < 5; k++)
        free(a->al[k]);
    for (size_t h = 1; h < a->nhosts; h++)
        exsol_transport_model_free(a->hmodel[h]);
    exsol_transport_model_free(a->model);
    exsol_ds_close(a->ds);
    free(a);
}

static int create(void **ctx, const exsol_params *p, const char *input, const void *opts,
                  char *err, size_t errlen)
{
    (void)opts;
    struct transport *a = calloc(1, sizeof *a);
    if (!(*ctx = a))
        return EXSOL_ENOMEM;
    struct exsol_defect_params dp;
    int rc = exsol_transport_params_from(p, &a->tp, err, errlen);
    if (!rc)
        rc = exsol_defect_params_from(p, &dp, err, errlen);
    if (rc)
        return rc;
    if ((rc = exsol_transport_model_create(&a->tp, &dp, &a->model)) != 0)
        return exsol_seterr(err, errlen, rc, "cannot build the transport model: %s",
                            exsol_strerror(rc));
    a->nT = exsol_transport_ntemp(a->model);
    if ((rc = exsol_host_all(a->hosts, EXSOL_HOST_MAX, &a->nhosts, err, errlen)) != 0)
        return rc;
    a->hmodel[0] = a->model; /* the default host's constants are the registry's defaults */
    a->hdp[0] = dp;
    a->htp[0] = a->tp;
    for (size_t h = 1; h < a->nhosts; h++) {
        a->hdp[h] = dp;
        a->htp[h] = a->tp;
        if ((rc = exsol_host_apply(&a->hosts[h], p, &a->hdp[h], &a->htp[h], err, errlen)) != 0)
            return rc;
        if ((rc = exsol_transport_model_create(&a->htp[h], &a->hdp[h], &a->hmodel[h])) != 0)
            return exsol_seterr(err, errlen, rc,
                                "cannot build the transport model of host %s: %s",
                                a->hosts[h].name, exsol_strerror(rc));
    }
    if ((rc = exsol_ds_open(input, &a->ds, err, errlen)) != 0)
        return rc;
    if ((rc = exsol_stage_check_units(a->ds, err, errlen)) != 0)
        return rc;
    for (int k = 0; k < N_IN; k++)
        if ((rc = exsol_stage_need(a->ds, in_names[k], EXSOL_VK_SCALAR,
                                   "run exsol-gen and exsol-reduce first", err, errlen)))
            return rc;
    a->n = exsol_ds_ncandidates(a->ds);
    a->base = (struct exsol_stage_ctx){a->ds, a->n, ""};
    /* files of an older exsol-gen lack these: default host, no B-site donors */
    a->have_host = exsol_ds_var_kind(a->ds, "host") == EXSOL_VK_TEXT;
    a->have_yB = exsol_ds_var_kind(a->ds, "B_donor_fraction") == EXSOL_VK_SCALAR;
    a->have_V = exsol_ds_var_kind(a->ds, "V_fu") == EXSOL_VK_SCALAR;
    a->Vfu = calloc(EXSOL_BLOCK, sizeof *a->Vfu);
    a->host = calloc(EXSOL_BLOCK, HOST_WIDTH);
    a->yB = calloc(EXSOL_BLOCK, sizeof *a->yB);
    if (!a->host || !a->yB || !a->Vfu)
        return EXSOL_ENOMEM;
    /* the dissolved dopant's valence at the anneal, frozen into the reduced film (files
     * of an older exsol-reduce lack it: the as-grown valence then stands in) */
    a->have_vanneal = exsol_ds_var_kind(a->ds, "dopant_valence_anneal") == EXSOL_VK_SCALAR;
    if (a->have_vanneal && !(a->vanneal = malloc(EXSOL_BLOCK * sizeof *a->vanneal)))
        return EXSOL_ENOMEM;
    /* optional trajectories for t_switch_transport */
    const char *d1 = exsol_ds_var_dim(a->ds, "exsolved_fraction_t");
    const char *d2 = exsol_ds_var_dim(a->ds, "delta_t");
    if (d1 && d2 && strcmp(d1, "time") == 0 && strcmp(d2, "time") == 0 &&
        exsol_ds_var_kind(a->ds, "t_anneal") == EXSOL_VK_SCALAR &&
        exsol_ds_dim_len(a->ds, "time", &a->ntime) == 0 && a->ntime > 0) {
        a->time = malloc(a->ntime * sizeof *a->time);
        a->t_anneal = malloc(EXSOL_BLOCK * sizeof *a->t_anneal);
        a->ftraj = malloc((size_t)EXSOL_BLOCK * a->ntime * sizeof *a->ftraj);
        a->dtraj = malloc((size_t)EXSOL_BLOCK * a->ntime * sizeof *a->dtraj);
        a->T_ann = malloc(EXSOL_BLOCK * sizeof *a->T_ann);
        a->pO2_ann = malloc(EXSOL_BLOCK * sizeof *a->pO2_ann);
        if (!a->time || !a->t_anneal || !a->ftraj || !a->dtraj || !a->T_ann || !a->pO2_ann)
            return EXSOL_ENOMEM;
        if ((rc = exsol_ds_read_fixed(a->ds, "time", a->time, a->ntime, err, errlen)))
            return rc;
        a->have_traj = 1;
        /* the anneal, for δ_eq(f) between trajectory samples (optional) */
        a->have_anneal = exsol_ds_var_kind(a->ds, "T_anneal") == EXSOL_VK_SCALAR &&
                         exsol_ds_var_kind(a->ds, "pO2_gas") == EXSOL_VK_SCALAR;
    } else {
        a->base.note = "no reduce trajectories: t_switch_transport will be fill";
    }
    for (int k = 0; k < N_IN; k++)
        if (!(a->in[k] = malloc(EXSOL_BLOCK * sizeof(double))))
            return EXSOL_ENOMEM;
    a->have_alloy = exsol_ds_var_kind(a->ds, "exsolved_fraction_dopant2") == EXSOL_VK_SCALAR;
    for (int k = 0; a->have_alloy && k < 5; k++) {
        if ((rc = exsol_stage_need(a->ds, alloy_names[k], EXSOL_VK_SCALAR,
                                   "run exsol-gen and exsol-reduce first", err, errlen)))
            return rc;
        if (!(a->al[k] = malloc(EXSOL_BLOCK * sizeof(double))))
            return EXSOL_ENOMEM;
    }
    return 0;
}

static const double *values(const void *ctx, const char *name, size_t *len)
{
    const struct transport *a = ctx;
    if (strcmp(name, "temperature") == 0) {
        *len = a->nT;
        return exsol_transport_temps(a->model);
    }
    *len = 0;
    return NULL;
}

static int read_block(void *ctx, size_t s, size_t cnt, char *err, size_t errlen)
{
    struct transport *a = ctx;
    int rc = exsol_stage_read_doubles(a->ds, in_names, N_IN, s, cnt, a->in, err, errlen);
    if (!rc && a->have_host)
        rc = exsol_ds_read_text(a->ds, "host", s, cnt, a->host, HOST_WIDTH, err, errlen);
    if (!rc && a->have_yB)
        rc = exsol_ds_read_double(a->ds, "B_donor_fraction", s, cnt, a->yB, err, errlen);
    if (!rc && a->have_V)
        rc = exsol_ds_read_double(a->ds, "V_fu", s, cnt, a->Vfu, err, errlen);
    if (!rc && a->have_vanneal)
        rc = exsol_ds_read_double(a->ds, "dopant_valence_anneal", s, cnt, a->vanneal, err,
                                  errlen);
    if (!rc && a->have_alloy)
        rc = exsol_stage_read_doubles(a->ds, alloy_names, 5, s, cnt, a->al, err, errlen);
    if (!rc && a->have_traj) {
        rc = exsol_ds_read_double(a->ds, "t_anneal", s, cnt, a->t_anneal, err, errlen);
        if (!rc && a->have_anneal)
            rc = exsol_ds_read_double(a->ds, "T_anneal", s, cnt, a->T_ann, err, errlen);
        if (!rc && a->have_anneal)
            rc = exsol_ds_read_double(a->ds, "pO2_gas", s, cnt, a->pO2_ann, err, errlen);
        if (!rc)
            rc = exsol_ds_read_double(a->ds, "exsolved_fraction_t", s, cnt, a->ftraj, err,
                                      errlen);
        if (!rc)
            rc = exsol_ds_read_double(a->ds, "delta_t", s, cnt, a->dtraj, err, errlen);
    }
    return rc;
}

#define V(name) EXSOL_SV_TRANSPORT_##name

static int row_with(const struct transport *a, const struct exsol_block *b, size_t k,
                    const exsol_transport_model *model, const struct exsol_transport_in *inp,
                    int *status, char *reason, size_t rlen, double *rp, double *rr);

static int row(void *ctx, const struct exsol_block *b, size_t k)
{
    struct transport *a = ctx;
    char *reason = exsol_block_text(b, V(transport_reason), k);
    size_t rlen = b->inner[V(transport_reason)];
    int *status = exsol_block_int(b, V(transport_status), k);
    double *rp = exsol_block_double(b, V(rho_T_pristine), k);
    double *rr = exsol_block_double(b, V(rho_T_reduced), k);
    double rs = a->in[I_RS][k];
    if (!(rs == 0.0)) {
        *status = EXSOL_ROW_UPSTREAM;
        if (isnan(rs))
            snprintf(reason, rlen, "reduce status missing");
        else
            snprintf(reason, rlen, "reduce failed (reduce_status %d)", (int)rs);
        return 1;
    }
    struct exsol_transport_in in = {
        a->in[I_X][k],  a->in[I_A][k],   a->in[I_Z][k],
        a->in[I_V][k],  a->in[I_D0][k],  a->in[I_F][k],
        a->in[I_D1][k], a->in[I_PHI][k], a->have_vanneal ? a->vanneal[k] : NAN,
        a->yB[k]};
    if (a->have_alloy && a->al[0][k] > 0) {
        /* two dopants: one acceptor of their summed amount at the charge-weighted valence,
         * as grown and (anneal valences) for what is left in the lattice; f is already
         * of both (reduce's exsolved_fraction). The trajectory keeps that valence. */
        double z1 = in.z, z2 = a->al[0][k], v1 = in.v, v2 = a->al[1][k];
        double va1 = isfinite(in.v_anneal) && in.v_anneal > 0 ? in.v_anneal : v1;
        double va2 = isfinite(a->al[2][k]) && a->al[2][k] > 0 ? a->al[2][k] : v2;
        double l1 = z1 * (1.0 - a->al[3][k]), l2 = z2 * (1.0 - a->al[4][k]);
        in.z = z1 + z2;
        in.v = (v1 * z1 + v2 * z2) / (z1 + z2);
        in.v_anneal = l1 + l2 > 0 ? (va1 * l1 + va2 * l2) / (l1 + l2) : in.v;
    }
    long h =
        exsol_host_index(a->hosts, a->nhosts, a->have_host ? a->host + k * HOST_WIDTH : NULL);
    if (h < 0) {
        *status = EXSOL_ROW_INVALID;
        snprintf(reason, rlen, "unknown host '%.*s' (not in datasets/hosts.csv)", HOST_WIDTH,
                 a->host + k * HOST_WIDTH);
        for (size_t j = 0; j < a->nT; j++)
            rp[j] = rr[j] = NAN;
        return 1;
    }
    exsol_transport_model *model = a->hmodel[h], *mix = NULL;
    /* a mixed A site (Vegard V_fu away from the host's own a³): a model of its own */
    double av = exsol_host_row_lattice(a->have_V ? a->Vfu[k] : NAN, a->hdp[h].a_lattice_m);
    if (av > 0) {
        struct exsol_defect_params dpm = a->hdp[h];
        dpm.a_lattice_m = av;
        if (exsol_transport_model_create(&a->htp[h], &dpm, &mix) != 0) {
            *status = EXSOL_ROW_SOLVER;
            snprintf(reason, rlen, "cannot build the transport model of V_fu %g m3", a->Vfu[k]);
            for (size_t j = 0; j < a->nT; j++)
                rp[j] = rr[j] = NAN;
            return 1;
        }
        model = mix;
    }
    int r = row_with(a, b, k, model, &in, status, reason, rlen, rp, rr);
    exsol_transport_model_free(mix);
    return r;
}

static int row_with(const struct transport *a, const struct exsol_block *b, size_t k,
                    const exsol_transport_model *model, const struct exsol_transport_in *inp,
                    int *status, char *reason, size_t rlen, double *rp, double *rr)
{
    const struct exsol_transport_in in = *inp;
    struct exsol_transport_out o;
    int rc = exsol_transport_candidate(model, &in, &o, rp, rr, reason, rlen);
    if (rc) {
        *status = exsol_row_status_of(rc);
        for (size_t j = 0; j < a->nT; j++)
            rp[j] = rr[j] = NAN;
        return 1;
    }
    *status = EXSOL_ROW_OK;
    *exsol_block_double(b, V(n_e_pristine), k) = o.n_pristine_m3;
    *exsol_block_double(b, V(n_e_reduced), k) = o.n_reduced_m3;
    *exsol_block_double(b, V(eta_pristine), k) = o.eta_pristine;
    *exsol_block_double(b, V(eta_reduced), k) = o.eta_reduced;
    *exsol_block_double(b, V(mu_300K_pristine), k) = o.mu_pristine_m2;
    *exsol_block_double(b, V(mu_300K_reduced), k) = o.mu_reduced_m2;
    *exsol_block_double(b, V(rho_300K_pristine), k) = o.rho_300K_pristine;
    *exsol_block_double(b, V(rho_300K_reduced), k) = o.rho_300K_reduced;
    *exsol_block_double(b, V(log10_rho_ratio), k) = o.log10_rho_ratio;
    *exsol_block_double(b, V(kF_l_reduced), k) = o.kFl_reduced;
    *exsol_block_double(b, V(n_mott_300K), k) = o.n_mott_m3;
    *exsol_block_double(b, V(p_h_pristine), k) = o.p_pristine_m3;
    *exsol_block_double(b, V(p_h_reduced), k) = o.p_reduced_m3;
    int bound = EXSOL_FILL_INT;
    struct exsol_switch_anneal an = {a->have_anneal ? a->T_ann[k] : NAN,
                                     a->have_anneal ? a->pO2_ann[k] : NAN};
    *exsol_block_double(b, V(t_switch_transport), k) =
        a->have_traj
            ? exsol_transport_switch_time(model, &in, o.rho_300K_pristine, a->time,
                                          a->ftraj + k * a->ntime, a->dtraj + k * a->ntime,
                                          a->ntime, a->t_anneal[k], a->tp.switch_decades, &an,
                                          &bound)
            : NAN;
    *exsol_block_int(b, V(t_switch_bound), k) = bound;
    *exsol_block_int(b, V(insulating_pristine), k) = o.insulating_pristine;
    *exsol_block_int(b, V(metallic_reduced), k) = o.metallic_reduced;
    *exsol_block_int(b, V(drho_dT_sign_pristine), k) = o.drho_dT_sign_pristine;
    *exsol_block_int(b, V(drho_dT_sign_reduced), k) = o.drho_dT_sign_reduced;
    return 0;
}

const struct exsol_stage_type exsol_stage_transport = {
    .name = "transport",
    .title = "exsol transport screen",
    .failed = "failed",
    .schema = &exsol_schema_transport,
    .create = create,
    .destroy = destroy,
    .values = values,
    .read = read_block,
    .row = row,
};
