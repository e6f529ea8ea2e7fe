/* The reduce stage: the gen variables of a block in, the reducing anneal of every
 * row out (libcore/schema/reduce.csv; physics in libcore/physics/reduce.c, kwn.c,
 * ellingham.c). Its own block computation: rows that differ only in their anneal
 * time are run as one group on one trajectory (exsol_reduce_run_multi). */
#include "exsol/reduce.h"

#include "exsol/error.h"
#include "exsol/host.h"
#include "exsol/stage.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOPANT_WIDTH 16
#define HOST_WIDTH 24 /* gen's host text */

static const char *const in_names[] = {"dopant_fraction",  "dopant_valence", "A_vacancy",
                                       "A_donor_fraction", "delta_asgrown",  "T_anneal",
                                       "t_anneal",         "p_H2",           "p_H2O",
                                       "thickness"};
enum { I_Z, I_V, I_A, I_X, I_D0, I_T, I_TS, I_H2, I_H2O, I_L, N_IN };

struct reduce {
    struct exsol_stage_ctx base; /* first: input, rows, note */
    exsol_ds *ds;
    exsol_ellingham *ell;
    struct exsol_reduce_model model;
    /* per host (hosts.csv order): model[0] is `model`, the others carry their host's
     * defect constants (exsol_host_apply) */
    struct exsol_host hosts[EXSOL_HOST_MAX];
    struct exsol_reduce_model hmodel[EXSOL_HOST_MAX];
    size_t nhosts;
    int have_host, have_yB, have_V;
    double *Vfu; /* V_fu of the block (gen's Vegard volume), if present */
    char *host;  /* block × HOST_WIDTH */
    double *yB;  /* B_donor_fraction of the block (0 for files without it) */
    exsol_kwn_solver **solvers;
    exsol_kwn_solver **asolvers; /* alloy rows (have_alloy) */
    exsol_alloys *alloys;
    int have_alloy; /* gen wrote dopant2 (a two-dopant formula): the alloy variables */
    double *z2, *v2;
    char *dopant2;
    int nthreads;
    int have_feasible;
    int have_strain; /* gen wrote misfit_strain (--substrate/--strain); else 0 */
    size_t n, nb, nt;
    double *in[N_IN];
    double *strain;
    int *feasible;
    char *dopant;
    double *radius, *timefrac;
    /* per block: inputs, runnable rows sorted into groups, group starts, outputs */
    struct exsol_reduce_input *rin, *gin;
    struct exsol_reduce_output *gout;
    size_t *order, *gstart;
};

static void destroy(void *ctx)
{
    struct reduce *a = ctx;
    if (!a)
        return;
    for (int k = 0; k < N_IN; k++)
        free(a->in[k]);
    free(a->feasible), free(a->dopant), free(a->radius), free(a->timefrac), free(a->strain);
    free(a->host), free(a->yB), free(a->Vfu);
    free(a->rin), free(a->gin), free(a->gout), free(a->order), free(a->gstart);
    if (a->solvers)
        for (int t = 0; t < a->nthreads; t++)
            exsol_kwn_solver_destroy(a->solvers[t]);
    free(a->solvers);
    if (a->asolvers)
        for (int t = 0; t < a->nthreads; t++)
            exsol_kwn_solver_destroy(a->asolvers[t]);
    free(a->asolvers);
    free(a->z2), free(a->v2), free(a->dopant2);
    exsol_alloys_free(a->alloys);
    exsol_ellingham_free(a->ell);
    exsol_ds_close(a->ds);
    free(a);
}

static int create(void **ctx, const exsol_params *p, const char *input, const void *opts,
                  char *err, size_t errlen)
{
    const struct exsol_stage_reduce_opts *ro = opts;
    struct reduce *a = calloc(1, sizeof *a);
    if (!(*ctx = a))
        return EXSOL_ENOMEM;
    int rc = exsol_ellingham_load(&a->ell, err, errlen);
    if (!rc)
        rc = exsol_reduce_model_from(p, a->ell, &a->model, err, errlen);
    if (!rc)
        rc = exsol_host_all(a->hosts, EXSOL_HOST_MAX, &a->nhosts, err, errlen);
    if (rc)
        return rc;
    /* --dense-fd: both solvers (kwn_alloy is a copy made with the model) */
    a->model.kwn.dense_fd = a->model.kwn_alloy.dense_fd = ro ? ro->dense_fd : 0;
    for (size_t h = 0; h < a->nhosts; h++) {
        a->hmodel[h] = a->model;
        /* the default host's constants are the registry's defaults */
        if (h > 0 &&
            (rc = exsol_host_apply(&a->hosts[h], p, &a->hmodel[h].defects, NULL, err, errlen)))
            return rc;
    }
    a->nb = a->model.kwn.nbins;
    a->nt = a->model.kwn.ntimes;
    a->nthreads = omp_get_max_threads();
    if (!(a->solvers = calloc((size_t)a->nthreads, sizeof *a->solvers)))
        return EXSOL_ENOMEM;
    for (int t = 0; t < a->nthreads; t++)
        if ((rc = exsol_kwn_solver_create(&a->model.kwn, &a->solvers[t], err, errlen)))
            return rc;
    if ((rc = exsol_ds_open(input, &a->ds, err, errlen)) != 0)
        return rc;
    if ((rc = exsol_stage_check_units(a->ds, err, errlen)) != 0)
        return rc;
    for (int k = 0; k < N_IN; k++)
        if ((rc = exsol_stage_need(a->ds, in_names[k], EXSOL_VK_SCALAR, "run exsol-gen first",
                                   err, errlen)))
            return rc;
    if ((rc = exsol_stage_need(a->ds, "dopant", EXSOL_VK_TEXT, "run exsol-gen first", err,
                               errlen)))
        return rc;
    a->have_feasible = exsol_ds_var_kind(a->ds, "feasible") == EXSOL_VK_SCALAR;
    enum exsol_vkind sk = exsol_ds_var_kind(a->ds, "misfit_strain");
    if (sk != EXSOL_VK_NONE && sk != EXSOL_VK_SCALAR)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                            "misfit_strain is not a per-candidate number");
    a->have_strain = sk == EXSOL_VK_SCALAR;
    /* files of an older exsol-gen lack these: default host, no B-site donors */
    a->have_host = exsol_ds_var_kind(a->ds, "host") == EXSOL_VK_TEXT;
    a->have_yB = exsol_ds_var_kind(a->ds, "B_donor_fraction") == EXSOL_VK_SCALAR;
    a->have_V = exsol_ds_var_kind(a->ds, "V_fu") == EXSOL_VK_SCALAR;
    /* a screen with a two-dopant formula: alloy particles (README Alloys) */
    a->have_alloy = exsol_ds_var_kind(a->ds, "dopant2") == EXSOL_VK_TEXT;
    if (a->have_alloy) {
        if ((rc = exsol_stage_need(a->ds, "dopant2_fraction", EXSOL_VK_SCALAR,
                                   "run exsol-gen first", err, errlen)) ||
            (rc = exsol_stage_need(a->ds, "dopant2_valence", EXSOL_VK_SCALAR,
                                   "run exsol-gen first", err, errlen)) ||
            (rc = exsol_alloys_load(&a->alloys, err, errlen)))
            return rc;
        a->model.alloys = a->alloys;
        for (size_t h = 0; h < a->nhosts; h++)
            a->hmodel[h].alloys = a->alloys;
        if (!(a->asolvers = calloc((size_t)a->nthreads, sizeof *a->asolvers)))
            return EXSOL_ENOMEM;
        for (int t = 0; t < a->nthreads; t++)
            if ((rc = exsol_kwn_solver_create(&a->model.kwn_alloy, &a->asolvers[t], err,
                                              errlen)))
                return rc;
    }
    a->n = exsol_ds_ncandidates(a->ds);
    a->base = (struct exsol_stage_ctx){a->ds, a->n, ""};
    size_t B = EXSOL_BLOCK;
    for (int k = 0; k < N_IN; k++)
        if (!(a->in[k] = malloc(B * sizeof(double))))
            return EXSOL_ENOMEM;
    a->feasible = malloc(B * sizeof(int));
    a->strain = calloc(B, sizeof(double));
    a->dopant = malloc(B * DOPANT_WIDTH);
    a->host = calloc(B, HOST_WIDTH);
    a->yB = calloc(B, sizeof *a->yB);
    a->Vfu = calloc(B, sizeof *a->Vfu);
    a->z2 = calloc(B, sizeof *a->z2);
    a->v2 = calloc(B, sizeof *a->v2);
    a->dopant2 = calloc(B, DOPANT_WIDTH);
    if (!a->z2 || !a->v2 || !a->dopant2)
        return EXSOL_ENOMEM;
    a->radius = malloc(a->nb * sizeof(double));
    a->timefrac = malloc(a->nt * sizeof(double));
    a->rin = malloc(B * sizeof *a->rin);
    a->gin = malloc(B * sizeof *a->gin);
    a->gout = malloc(B * sizeof *a->gout);
    a->order = malloc(B * sizeof *a->order);
    a->gstart = malloc((B + 1) * sizeof *a->gstart);
    if (!a->feasible || !a->strain || !a->dopant || !a->host || !a->yB || !a->Vfu ||
        !a->radius || !a->timefrac || !a->rin || !a->gin || !a->gout || !a->order || !a->gstart)
        return EXSOL_ENOMEM;
    memcpy(a->radius, exsol_kwn_radius(a->solvers[0]), a->nb * sizeof(double));
    exsol_kwn_output_times(&a->model.kwn, a->timefrac);
    return 0;
}

static const double *values(const void *ctx, const char *name, size_t *len)
{
    const struct reduce *a = ctx;
    *len = strcmp(name, "time") == 0 ? a->nt : a->nb;
    if (strcmp(name, "radius_bin") == 0)
        return a->radius;
    if (strcmp(name, "radius_bin_width") == 0)
        return exsol_kwn_width(a->solvers[0]);
    if (strcmp(name, "time") == 0)
        return a->timefrac;
    *len = 0;
    return NULL;
}

static int number(const void *ctx, const char *key, double *v)
{
    const struct reduce *a = ctx;
    if (strcmp(key, "cap_volume_factor") != 0)
        return EXSOL_EUNKNOWN;
    *v = exsol_kwn_wetting_factor(a->model.wetting_angle_rad);
    return 0;
}

/* The strain variable only where gen wrote one, the alloy variables only where gen wrote
 * a second dopant: a strain-free, one-dopant screen keeps its bytes. */
static int omit(const void *ctx, int v)
{
    const struct reduce *a = ctx;
    return (v == EXSOL_SV_REDUCE_strain_dmu && !a->have_strain) ||
           (v >= EXSOL_SV_REDUCE_dopant2_valence_anneal && v <= EXSOL_SV_REDUCE_nucleus_x2 &&
            !a->have_alloy);
}

static int read_block(void *ctx, size_t s, size_t cnt, char *err, size_t errlen)
{
    struct reduce *a = ctx;
    int rc = exsol_stage_read_doubles(a->ds, in_names, N_IN, s, cnt, a->in, err, errlen);
    if (!rc)
        rc = exsol_ds_read_text(a->ds, "dopant", s, cnt, a->dopant, DOPANT_WIDTH, err, errlen);
    if (!rc && a->have_feasible)
        rc = exsol_ds_read_int(a->ds, "feasible", s, cnt, a->feasible, err, errlen);
    if (!rc && a->have_strain)
        rc = exsol_ds_read_double(a->ds, "misfit_strain", s, cnt, a->strain, err, errlen);
    if (!rc && a->have_host)
        rc = exsol_ds_read_text(a->ds, "host", s, cnt, a->host, HOST_WIDTH, err, errlen);
    if (!rc && a->have_yB)
        rc = exsol_ds_read_double(a->ds, "B_donor_fraction", s, cnt, a->yB, err, errlen);
    if (!rc && a->have_V)
        rc = exsol_ds_read_double(a->ds, "V_fu", s, cnt, a->Vfu, err, errlen);
    if (!rc && a->have_alloy)
        rc =
            exsol_ds_read_text(a->ds, "dopant2", s, cnt, a->dopant2, DOPANT_WIDTH, err, errlen);
    if (!rc && a->have_alloy)
        rc = exsol_ds_read_double(a->ds, "dopant2_fraction", s, cnt, a->z2, err, errlen);
    if (!rc && a->have_alloy) {
        int *iv = malloc(cnt * sizeof *iv);
        rc = iv ? exsol_ds_read_int(a->ds, "dopant2_valence", s, cnt, iv, err, errlen)
                : EXSOL_ENOMEM;
        for (size_t k = 0; !rc && k < cnt; k++)
            a->v2[k] = iv[k];
        free(iv);
    }
    return rc;
}

#define V(name) EXSOL_SV_REDUCE_##name

static double nz(double d)
{
    return d > 0.0 ? d : NAN;
}

/* Clears row k's solver statistics; fills *in and returns 1 if the row is to be run. */
static int row_input(struct reduce *a, const struct exsol_block *b, size_t k,
                     struct exsol_reduce_input *in, size_t *nfail)
{
    for (int v = V(cvode_steps); v <= V(cvode_conv_fails); v++)
        *exsol_block_int(b, v, k) = 0;
    if (a->have_feasible && a->feasible[k] != 1) {
        *exsol_block_int(b, V(reduce_status), k) = EXSOL_ROW_NA;
        snprintf(exsol_block_text(b, V(reduce_reason), k), b->inner[V(reduce_reason)],
                 "gen row infeasible");
        (*nfail)++;
        return 0;
    }
    in->dopant = a->dopant + k * DOPANT_WIDTH;
    in->z = a->in[I_Z][k];
    in->valence = a->in[I_V][k];
    in->a_vac = a->in[I_A][k];
    in->x_donor = a->in[I_X][k];
    in->y_donor_B = a->yB[k];
    long h =
        exsol_host_index(a->hosts, a->nhosts, a->have_host ? a->host + k * HOST_WIDTH : NULL);
    if (h < 0) {
        *exsol_block_int(b, V(reduce_status), k) = EXSOL_ROW_INVALID;
        snprintf(exsol_block_text(b, V(reduce_reason), k), b->inner[V(reduce_reason)],
                 "unknown host '%.*s' (not in datasets/hosts.csv)", HOST_WIDTH,
                 a->host + k * HOST_WIDTH);
        (*nfail)++;
        return 0;
    }
    in->host_index = (int)h;
    /* a mixed A site (Vegard V_fu away from the host's own a³): its own lattice
     * parameter; otherwise 0, the host model's exactly */
    in->a_lattice_m =
        exsol_host_row_lattice(a->have_V ? a->Vfu[k] : NAN, a->hmodel[h].defects.a_lattice_m);
    in->delta0 = a->in[I_D0][k];
    in->T_K = a->in[I_T][k];
    in->t_s = a->in[I_TS][k];
    in->pH2_Pa = a->in[I_H2][k];
    in->pH2O_Pa = a->in[I_H2O][k];
    in->L_m = a->in[I_L][k];
    in->strain = a->strain[k]; /* 0 without a misfit_strain variable */
    in->dopant2 = a->have_alloy ? a->dopant2 + k * DOPANT_WIDTH : NULL;
    in->z2 = a->have_alloy ? a->z2[k] : 0.0;
    in->valence2 = a->have_alloy ? a->v2[k] : 0.0;
    return 1;
}

/* Stores the outputs of row k and releases o->kwn. */
static void store_row(struct reduce *a, const struct exsol_block *b, size_t k,
                      const struct exsol_reduce_input *inp, struct exsol_reduce_output *op,
                      size_t *nfail)
{
    size_t nb = a->nb, nt = a->nt, rw = b->inner[V(reduce_reason)];
    char *reason = exsol_block_text(b, V(reduce_reason), k);
    const struct exsol_reduce_input in = *inp;
    struct exsol_reduce_output o = *op;
    *exsol_block_int(b, V(reduce_status), k) = o.status;
    size_t rl = strlen(o.reason);
    if (rl >= rw)
        rl = rw - 1;
    memcpy(reason, o.reason, rl);
    reason[rl] = '\0';
    const struct exsol_kwn_stats *st = &o.kwn.stats;
    *exsol_block_int(b, V(cvode_steps), k) = (int)st->steps;
    *exsol_block_int(b, V(cvode_rhs_evals), k) = (int)st->rhs_evals;
    *exsol_block_int(b, V(cvode_jac_evals), k) = (int)st->jac_evals;
    *exsol_block_int(b, V(cvode_err_test_fails), k) = (int)st->err_test_fails;
    *exsol_block_int(b, V(cvode_conv_fails), k) = (int)st->conv_fails;
    if (o.status != 0) {
        (*nfail)++;
        exsol_kwn_result_release(&o.kwn);
        return;
    }
    const double od[] = {o.pO2_gas_Pa,
                         o.pO2_eq_Pa,
                         o.log10_margin,
                         o.x_eq,
                         o.D_eff_m2_s,
                         o.exsolvable_fraction,
                         o.exsolved_fraction,
                         o.delta_reduced,
                         o.z_lattice,
                         o.a_vac_reduced,
                         o.x_donor_reduced,
                         o.A_B_ratio,
                         o.surface_density_m2,
                         o.surface_mean_diameter_m,
                         o.buried_density_m3,
                         o.buried_mean_diameter_m,
                         o.metal_volume_fraction,
                         o.t_half_s,
                         o.t_90_s};
    for (int v = V(pO2_gas); v <= V(t_90); v++) /* the schema's order */
        *exsol_block_double(b, v, k) = od[v - V(pO2_gas)];
    *exsol_block_double(b, V(dopant_valence_anneal), k) = o.valence_anneal;
    *exsol_block_double(b, V(cap_volume_factor), k) = o.cap_volume_factor;
    *exsol_block_double(b, V(cap_contact_angle), k) = o.cap_contact_angle_deg;
    if (a->have_strain)
        *exsol_block_double(b, V(strain_dmu), k) = o.strain_dmu_J;
    if (a->have_alloy) {
        const double ad[] = {o.valence2_anneal,    o.pO2_eq2_Pa,         o.x_eq2,
                             o.exsolved_fraction1, o.exsolved_fraction2, o.surface_x2,
                             o.buried_x2,          o.nucleus_x2_0};
        for (int v = V(dopant2_valence_anneal); v <= V(nucleus_x2); v++)
            *exsol_block_double(b, v, k) = ad[v - V(dopant2_valence_anneal)];
    }
    const struct exsol_kwn_result *r = &o.kwn;
    double *sd = exsol_block_double(b, V(surface_size_distribution), k);
    double *bd = exsol_block_double(b, V(buried_size_distribution), k);
    for (size_t i = 0; i < nb; i++) {
        sd[i] = r->surface[i];
        bd[i] = r->buried[i];
    }
    double *tf = exsol_block_double(b, V(exsolved_fraction_t), k);
    double *td = exsol_block_double(b, V(delta_t), k);
    double *tns = exsol_block_double(b, V(surface_particle_density_t), k);
    double *tds = exsol_block_double(b, V(surface_mean_diameter_t), k);
    double *tnb = exsol_block_double(b, V(buried_particle_density_t), k);
    double *tdb = exsol_block_double(b, V(buried_mean_diameter_t), k);
    double *ts = exsol_block_double(b, V(time_s), k);
    for (size_t i = 0; i < nt; i++) {
        tf[i] = r->f_t[i];
        td[i] = r->delta_t[i];
        tns[i] = r->ns_t[i];
        tds[i] = nz(r->ds_t[i]);
        tnb[i] = r->nb_t[i];
        tdb[i] = nz(r->db_t[i]);
        ts[i] = r->time_frac[i] * in.t_s;
    }
    exsol_kwn_result_release(&o.kwn);
}

/* One group of rows that differ only in their anneal time: one trajectory to the
 * longest time, the same bytes as one by one. */
static void compute_group(struct reduce *a, const struct exsol_block *b,
                          exsol_kwn_solver *solver, const size_t *rows,
                          const struct exsol_reduce_input *in, size_t n,
                          struct exsol_reduce_output *out, size_t *nfail)
{
    const struct exsol_reduce_model *m = &a->hmodel[in[0].host_index];
    struct exsol_reduce_model mix;
    if (in[0].a_lattice_m > 0) { /* Vegard lattice of a mixed A site */
        mix = *m;
        mix.defects.a_lattice_m = in[0].a_lattice_m;
        m = &mix;
    }
    if (exsol_reduce_input_alloy(&in[0]))
        solver = a->asolvers[omp_get_thread_num()];
    int rc = exsol_reduce_run_multi(m, solver, in, n, out);
    if (rc != EXSOL_OK) {
        for (size_t j = 0; j < n; j++) {
            exsol_kwn_result_release(&out[j].kwn);
            *exsol_block_int(b, V(reduce_status), rows[j]) = exsol_row_status_of(rc);
            snprintf(exsol_block_text(b, V(reduce_reason), rows[j]), b->inner[V(reduce_reason)],
                     "%s", exsol_strerror(rc));
            (*nfail)++;
        }
        return;
    }
    for (size_t j = 0; j < n; j++)
        store_row(a, b, rows[j], &in[j], &out[j], nfail);
}

static const struct exsol_reduce_input *sort_base;

static int cmp_bits(double x, double y)
{
    unsigned long long u, v;
    memcpy(&u, &x, sizeof u);
    memcpy(&v, &y, sizeof v);
    return (u > v) - (u < v);
}

/* Hottest anneal first (the most CVODE steps: the threads then finish a block
 * together; NaN as -inf), then all other inputs but t_s, then the row index: a
 * total order (on the bits of the numbers, so NaN rows sort too; they never join
 * a group). */
static int cmp_rows(const void *pa, const void *pb)
{
    size_t i = *(const size_t *)pa, j = *(const size_t *)pb;
    const struct exsol_reduce_input *x = &sort_base[i], *y = &sort_base[j];
    double tx = isnan(x->T_K) ? -INFINITY : x->T_K, ty = isnan(y->T_K) ? -INFINITY : y->T_K;
    int c = (tx < ty) - (tx > ty);
    if (!c)
        c = strcmp(x->dopant, y->dopant);
    if (!c)
        c = strcmp(x->dopant2 ? x->dopant2 : "", y->dopant2 ? y->dopant2 : "");
    if (!c)
        c = cmp_bits(x->z2, y->z2);
    if (!c)
        c = cmp_bits(x->valence2, y->valence2);
    double kx[] = {x->z,         x->valence,    x->a_vac,       x->x_donor,
                   x->delta0,    x->pH2_Pa,     x->pH2O_Pa,     x->L_m,
                   x->y_donor_B, x->host_index, x->a_lattice_m, x->strain};
    double ky[] = {y->z,         y->valence,    y->a_vac,       y->x_donor,
                   y->delta0,    y->pH2_Pa,     y->pH2O_Pa,     y->L_m,
                   y->y_donor_B, y->host_index, y->a_lattice_m, y->strain};
    for (size_t m = 0; !c && m < sizeof kx / sizeof kx[0]; m++)
        c = cmp_bits(kx[m], ky[m]);
    return c ? c : (i > j) - (i < j);
}

static void tick(const struct exsol_stage_progress *pr, size_t rows)
{
    if (pr && pr->tick)
        pr->tick(pr->ctx, rows);
}

static size_t block(void *ctx, const struct exsol_block *b,
                    const struct exsol_stage_progress *pr)
{
    struct reduce *a = ctx;
    size_t cnt = b->count, nfail = 0, nrun = 0, ngroups = 0;
    for (size_t k = 0; k < cnt; k++)
        if (row_input(a, b, k, &a->rin[k], &nfail))
            a->order[nrun++] = k;
    tick(pr, cnt - nrun);
    sort_base = a->rin;
    qsort(a->order, nrun, sizeof *a->order, cmp_rows);
    for (size_t i = 0; i < nrun; i++)
        if (i == 0 ||
            !exsol_reduce_same_but_time(&a->rin[a->order[i - 1]], &a->rin[a->order[i]]))
            a->gstart[ngroups++] = i;
    a->gstart[ngroups] = nrun;
    for (size_t i = 0; i < nrun; i++)
        a->gin[i] = a->rin[a->order[i]];
#pragma omp parallel num_threads(a->nthreads) reduction(+ : nfail)
    {
        exsol_kwn_solver *solver = a->solvers[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 1)
        for (size_t g = 0; g < ngroups; g++) {
            size_t i0 = a->gstart[g], m = a->gstart[g + 1] - i0;
            compute_group(a, b, solver, a->order + i0, a->gin + i0, m, a->gout + i0, &nfail);
            tick(pr, m);
        }
    }
    return nfail;
}

const struct exsol_stage_type exsol_stage_reduce = {
    .name = "reduce",
    .title = "exsol reduce screen",
    .failed = "failed or not applicable",
    .schema = &exsol_schema_reduce,
    .create = create,
    .destroy = destroy,
    .values = values,
    .number = number,
    .read = read_block,
    .block = block,
    .omit = omit,
};
