/* Throughput of the magnet model: candidates per second for the full per-candidate
 * output (M(H) loops at 300 K and 5 K plus the pristine loop on the field grid,
 * ZFC/FC on the temperature grid, scalars), on 1 and 2 OpenMP threads.
 *
 * Workload: the seed case (Ni, surface lognormal 5 nm at 1100 µm⁻², buried lognormal
 * 6 nm with the rest of 1.84 vol %), each candidate's densities scaled slightly so no
 * two are identical, on 100 radius bins per population (exsol-reduce's default) with
 * every bin occupied (the lognormal tails), i.e. a worst case for the bin loop.
 *
 *   bench_magnet [candidates]      (default 20000) */
#include "exsol/error.h"
#include "exsol/magnet.h"
#include "exsol/table.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NB 100

static int load(struct exsol_mag_params *p, struct exsol_mag_metal *ni)
{
    exsol_table *t = NULL, *mt = NULL;
    char err[256];
    const char *names[] = {"tau0",
                           "tau_m",
                           "air_exposed",
                           "dead_layer_offset",
                           "keff_scale",
                           "tc_xi0",
                           "tc_lambda",
                           "sw_pfeiffer_a",
                           "sw_pfeiffer_b",
                           "interaction_alpha",
                           "host_chi_v",
                           "host_cell_volume",
                           "field_max",
                           "zfc_field",
                           "zfc_T_min",
                           "zfc_T_max",
                           "T_low",
                           "T_high",
                           "B_report",
                           "spm_TB_max",
                           "spm_Hc_max",
                           "spm_contrast_min",
                           "spm_Mr_ratio_max",
                           "spm_bg_field_min",
                           "spm_moment_min"};
    double *dst[] = {&p->tau0_s,           &p->tau_m_s,
                     &p->air_exposed,      &p->dead_layer_offset_m,
                     &p->keff_scale,       &p->tc_xi0_m,
                     &p->tc_lambda,        &p->sw_pfeiffer_a,
                     &p->sw_pfeiffer_b,    &p->interaction_alpha,
                     &p->host_chi_v,       &p->host_cell_volume_m3,
                     &p->field_max_T,      &p->zfc_field_T,
                     &p->zfc_T_min_K,      &p->zfc_T_max_K,
                     &p->T_low_K,          &p->T_high_K,
                     &p->B_report_T,       &p->spm_TB_max_K,
                     &p->spm_Hc_max_A_m,   &p->spm_contrast_min,
                     &p->spm_Mr_ratio_max, &p->spm_bg_field_min_T,
                     &p->spm_moment_min_A};
    int rc = exsol_table_load("magnet-parameters", &t, err, sizeof err);
    for (size_t i = 0; !rc && i < sizeof names / sizeof names[0]; i++)
        rc = exsol_table_value(t, dst[i], err, sizeof err, "name", names[i], NULL);
    double nf = 0, nt = 0;
    if (!rc)
        rc = exsol_table_value(t, &nf, err, sizeof err, "name", "n_field", NULL);
    if (!rc)
        rc = exsol_table_value(t, &nt, err, sizeof err, "name", "n_T_zfc", NULL);
    p->n_field = (size_t)nf;
    p->n_T_zfc = (size_t)nt;
    if (!rc)
        rc = exsol_table_load("metals", &mt, err, sizeof err);
    if (!rc)
        rc = exsol_mag_metal_from_table(mt, "Ni", 2, ni, err, sizeof err);
    if (rc)
        fprintf(stderr, "bench_magnet: %s\n", err);
    exsol_table_free(t);
    exsol_table_free(mt);
    return rc;
}

static void lognormal(const double *edges, double N, double D0, double s, double *c)
{
    for (int i = 0; i < NB; i++)
        c[i] = N * 0.5 *
               (erf(log(2 * edges[i + 1] / D0) / (s * sqrt(2.0))) -
                erf(log(2 * edges[i] / D0) / (s * sqrt(2.0))));
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static double run(const exsol_mag_model *m, const struct exsol_mag_metal *ni, const double *r,
                  const double *cs, const double *cb, size_t n, int threads, double *check,
                  double *cpu)
{
    size_t nf = exsol_mag_n_field(m), nt = exsol_mag_n_T_zfc(m);
    size_t per = 3 * nf + 2 * nt;
    double *out = malloc(sizeof(double) * per * n);
    double *scal = malloc(sizeof(double) * n);
    if (!out || !scal) {
        free(out);
        free(scal);
        return -1;
    }
    int fails = 0;
    double t0 = omp_get_wtime(), c0 = cpu_seconds();
#pragma omp parallel for num_threads(threads) schedule(dynamic, 64) reduction(+ : fails)
    for (size_t i = 0; i < n; i++) {
        double scs[NB], scb[NB], f = 1.0 + 0.2 * (double)(i % 97) / 97.0;
        for (int b = 0; b < NB; b++) {
            scs[b] = cs[b] * f;
            scb[b] = cb[b] * f;
        }
        struct exsol_mag_input in = {.n_bins = NB,
                                     .radius_m = r,
                                     .surface_per_m2 = scs,
                                     .buried_per_m3 = scb,
                                     .thickness_m = 30e-9,
                                     .cap_volume_factor = 1.0,
                                     .ion_fraction_pristine = 0.1,
                                     .ion_fraction_reduced = 0.0};
        double *o = out + per * i;
        struct exsol_mag_result res = {0};
        res.M_H_300K_reduced = o;
        res.M_H_5K_reduced = o + nf;
        res.M_H_300K_pristine = o + 2 * nf;
        res.M_ZFC = o + 3 * nf;
        res.M_FC = o + 3 * nf + nt;
        if (exsol_mag_compute(m, ni, &in, &res, NULL, 0))
            fails++;
        scal[i] = res.M_300K_1T_reduced + res.T_B_p90_K + res.Hc_5K_A_m;
    }
    double dt = omp_get_wtime() - t0;
    *cpu = cpu_seconds() - c0;
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += scal[i] + out[per * i + nf / 2 + 1];
    *check = fails ? NAN : s;
    free(out);
    free(scal);
    return dt;
}

int main(int argc, char **argv)
{
    size_t n = 20000;
    if (argc > 1) {
        char *end;
        long v = strtol(argv[1], &end, 10);
        if (*end || v < 1) {
            fprintf(stderr, "usage: bench_magnet [candidates]\n");
            return 2;
        }
        n = (size_t)v;
    }
    struct exsol_mag_params p;
    struct exsol_mag_metal ni;
    if (load(&p, &ni))
        return 1;
    char err[256];
    double t0 = omp_get_wtime();
    exsol_mag_model *m = NULL;
    if (exsol_mag_model_create(&p, &m, err, sizeof err)) {
        fprintf(stderr, "bench_magnet: %s\n", err);
        return 1;
    }
    double tmodel = omp_get_wtime() - t0;
    double r[NB], e[NB + 1], cs[NB], cb[NB];
    for (int i = 0; i <= NB; i++)
        e[i] = 0.25e-9 * pow(100.0, (double)i / NB);
    for (int i = 0; i < NB; i++)
        r[i] = sqrt(e[i] * e[i + 1]);
    lognormal(e, 1.1e15, 5e-9, 0.25, cs);
    lognormal(e, 1.0e23, 6e-9, 0.3, cb);
    printf("bench_magnet: %zu candidates, %d radius bins x 2 populations, %zu field points x 3 "
           "loops, %zu ZFC/FC temperatures; model set-up %.3f s\n",
           n, NB, exsol_mag_n_field(m), exsol_mag_n_T_zfc(m), tmodel);
    double ref = 0;
    for (int threads = 1; threads <= 2; threads++) {
        double chk, cpu;
        run(m, &ni, r, cs, cb, n / 10 + 1, threads, &chk, &cpu); /* warm-up */
        double dt = run(m, &ni, r, cs, cb, n, threads, &chk, &cpu);
        if (threads == 1)
            ref = chk;
        /* CPU time too: on a shared machine the wall-clock rate understates the code */
        printf("threads %d: %.3f s wall, %.0f candidates/s; %.3f CPU s, %.0f candidates per "
               "CPU-second%s\n",
               threads, dt, n / dt, cpu, n / cpu,
               chk == ref ? "" : "  (RESULTS DIFFER FROM 1 THREAD)");
    }
    exsol_mag_model_destroy(m);
    return 0;
}
