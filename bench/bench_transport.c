/* Throughput of the transport stage: candidates per second, each with both states
 * (pristine and reduced) at T_meas ± 1 K and a ρ(T) curve of n_temperature points
 * (default 100) per state, on 1 and 2 OpenMP threads. Prints figures; not a test.
 * Usage: bench_transport [N_CANDIDATES] (default 20000). */
#include "exsol/defects.h"
#include "exsol/params.h"
#include "exsol/transport.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 20000;
    char err[256];
    exsol_params *reg = NULL;
    struct exsol_transport_params tp;
    struct exsol_defect_params dp;
    exsol_transport_model *m = NULL;
    if (exsol_params_load("transport+defects", &reg, err, sizeof err) ||
        exsol_transport_params_from(reg, &tp, err, sizeof err) ||
        exsol_defect_params_from(reg, &dp, err, sizeof err) ||
        exsol_transport_model_create(&tp, &dp, &m)) {
        fprintf(stderr, "bench_transport: setup failed: %s\n", err);
        return 1;
    }
    size_t nT = exsol_transport_ntemp(m);
    struct exsol_transport_in *in = malloc(n * sizeof *in);
    double *rp = malloc(n * nT * sizeof *rp), *rr = malloc(n * nT * sizeof *rr);
    int *st = malloc(n * sizeof *st);
    if (!in || !rp || !rr || !st)
        return 1;
    /* a spread of LSNT-like films: x 0.1–0.3, a 0.02–0.12, z 0.05–0.1, f 0–1 */
    for (size_t i = 0; i < n; i++) {
        double u = (double)(i % 97) / 96.0, w = (double)(i % 89) / 88.0;
        double x = 0.1 + 0.2 * u, a = 0.02 + 0.1 * w, z = 0.05 + 0.05 * ((i % 7) / 6.0);
        double v = 2.0, d0 = fmax(0.0, -(x - 2 * a - (4 - v) * z) / 2);
        double f = (double)(i % 11) / 10.0;
        struct exsol_transport_in c = {
            x, a, z, v, d0, f, 1e-6 * (i % 5), 0.0184 * f * z / 0.1, NAN, 0.0};
        in[i] = c;
    }
    printf("bench_transport: %zu candidates, 2 states, %zu-point rho(T) each\n", n, nT);
    for (int threads = 1; threads <= 2; threads++) {
        omp_set_num_threads(threads);
        double t0 = omp_get_wtime();
        clock_t c0 = clock();
#pragma omp parallel for schedule(dynamic, 64)
        for (size_t i = 0; i < n; i++) {
            struct exsol_transport_out o;
            char reason[96];
            st[i] = exsol_transport_candidate(m, &in[i], &o, rp + i * nT, rr + i * nT, reason,
                                              sizeof reason);
        }
        double dt = omp_get_wtime() - t0;
        double cpu = (double)(clock() - c0) / CLOCKS_PER_SEC; /* all threads */
        size_t bad = 0;
        for (size_t i = 0; i < n; i++)
            bad += st[i] != 0;
        /* the CPU-time figure is what one core delivers, whatever else runs on the
         * machine; the wall-clock one is what this run got */
        printf("threads %d: %.3f s wall, %.0f candidates/s; %.3f s CPU, %.0f candidates per "
               "CPU-second (%zu failed)\n",
               threads, dt, (double)n / dt, cpu, (double)n / cpu, bad);
    }
    free(in), free(rp), free(rr), free(st);
    exsol_transport_model_free(m);
    exsol_params_free(reg);
    return 0;
}
