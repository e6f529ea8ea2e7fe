/* Throughput of the exsol-reduce physics (no I/O): the seed film
 * La0.2Sr0.7Ni0.1Ti0.9O3, 5 % H2 + 3 % H2O, over a grid of anneals 500–900 °C
 * (50 °C steps) × 1, 2, 5, 10, 20 h, REPEATS times (film 30 nm, then 32, 34 ...
 * nm, so that no two candidates are the same), at the default resolution of
 * datasets/reduce-parameters.csv (120 bins per population, rtol 1e-6), on 1 and 2
 * OpenMP threads (one KWN solver per thread, reused). Two ways: every candidate
 * integrated alone (exsol_reduce_run), and as exsol-reduce runs a grid, the
 * candidates that differ only in the anneal time on one shared trajectory
 * (exsol_reduce_run_multi; the same bytes per candidate). Prints candidates per
 * second, parallel efficiency, CVODE steps / RHS / Jacobian evaluations per
 * candidate (and the steps actually taken when shared), failures, per
 * temperature the CVODE statistics (steps, RHS,
 * Jacobians, error-test failures, Newton convergence failures, the step
 * attempts the nonlinear solve rejected and how many of those the positivity
 * constraints rejected), and the peak resident memory (getrusage).
 * Usage: bench_reduce [REPEATS] [NAME=VALUE ...]   (parameter overrides) */
#include "exsol/error.h"
#include "exsol/msg.h"
#include "exsol/reduce.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

struct totals {
    long steps, rhs, jac, fails, taken; /* taken: steps integrated (shared: per group) */
};

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

/* gstart[0..ng]: groups of consecutive candidates; shared = 0 runs each alone. */
static double run(const struct exsol_reduce_model *m, const struct exsol_reduce_input *in,
                  size_t n, const size_t *gstart, const size_t *gorder, size_t ng, int shared,
                  int threads, struct totals *tot, double *cpu)
{
    double c0 = cpu_seconds();
    long steps = 0, rhs = 0, jac = 0, fails = 0, taken = 0;
    double t0 = exsol_wtime();
    if (!shared)
        ng = n;
#pragma omp parallel num_threads(threads) reduction(+ : steps, rhs, jac, fails, taken)
    {
        exsol_kwn_solver *s = NULL;
        char err[256];
        struct exsol_reduce_output o[64];
        if (exsol_kwn_solver_create(&m->kwn, &s, err, sizeof err) == EXSOL_OK) {
#pragma omp for schedule(dynamic, 1)
            for (size_t q = 0; q < ng; q++) {
                size_t g = shared ? gorder[q] : q;
                size_t i0 = shared ? gstart[g] : g, k = shared ? gstart[g + 1] - i0 : 1;
                if (exsol_reduce_run_multi(m, s, &in[i0], k, o) != EXSOL_OK)
                    fails += (long)k;
                long most = 0;
                for (size_t j = 0; j < k; j++) {
                    fails += o[j].status != 0;
                    steps += o[j].kwn.stats.steps;
                    rhs += o[j].kwn.stats.rhs_evals;
                    jac += o[j].kwn.stats.jac_evals;
                    if (o[j].kwn.stats.steps > most)
                        most = o[j].kwn.stats.steps;
                    exsol_kwn_result_release(&o[j].kwn);
                }
                taken += most;
            }
        }
        exsol_kwn_solver_destroy(s);
    }
    double dt = exsol_wtime() - t0;
    *cpu = cpu_seconds() - c0;
    tot->steps = steps;
    tot->rhs = rhs;
    tot->jac = jac;
    tot->fails = fails;
    tot->taken = taken;
    return dt;
}

int main(int argc, char **argv)
{
    int repeats = argc > 1 ? atoi(argv[1]) : 8;
    if (repeats < 1)
        repeats = 1;
    char err[256];
    exsol_params *par = NULL;
    exsol_ellingham *ell = NULL;
    struct exsol_reduce_model m;
    if (exsol_params_load("reduce+defects", &par, err, sizeof err) ||
        exsol_ellingham_load(&ell, err, sizeof err)) {
        fprintf(stderr, "bench_reduce: %s\n", err);
        return 1;
    }
    for (int i = 2; i < argc; i++)
        if (exsol_params_set(par, argv[i], err, sizeof err)) {
            fprintf(stderr, "bench_reduce: %s\n", err);
            return 1;
        }
    if (exsol_reduce_model_from(par, ell, &m, err, sizeof err)) {
        fprintf(stderr, "bench_reduce: %s\n", err);
        return 1;
    }
    const double hours[] = {1, 2, 5, 10, 20};
    size_t ncond = 9 * 5, n = ncond * (size_t)repeats;
    struct exsol_reduce_input *in = calloc(n, sizeof *in);
    if (!in)
        return 1;
    for (size_t i = 0; i < n; i++) {
        size_t c = i % ncond;
        struct exsol_reduce_input *x = &in[i];
        x->dopant = "Ni";
        x->z = 0.1;
        x->valence = 2;
        x->a_vac = 0.1;
        x->x_donor = 0.2;
        x->delta0 = 0.1;
        x->T_K = 773.15 + 50.0 * (double)(c / 5);
        x->t_s = hours[c % 5] * 3600.0;
        x->pH2_Pa = 0.05 * 101325;
        x->pH2O_Pa = 0.03 * 101325;
        x->L_m = (30.0 + 2.0 * (double)(i / ncond)) * 1e-9;
    }
    /* groups: consecutive candidates that differ only in the anneal time */
    size_t *gstart = malloc((n + 1) * sizeof *gstart), ng = 0;
    if (!gstart)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || !exsol_reduce_same_but_time(&in[i - 1], &in[i]) ||
            i - gstart[ng - 1] == 64)
            gstart[ng++] = i;
    gstart[ng] = n;
    /* hottest anneals (the most steps) first, as exsol-reduce orders its groups */
    size_t *gorder = malloc(ng * sizeof *gorder);
    if (!gorder)
        return 1;
    for (size_t g = 0; g < ng; g++)
        gorder[g] = g;
    for (size_t g = 1; g < ng; g++)
        for (size_t h = g; h > 0 && in[gstart[gorder[h - 1]]].T_K < in[gstart[gorder[h]]].T_K;
             h--) {
            size_t x = gorder[h];
            gorder[h] = gorder[h - 1];
            gorder[h - 1] = x;
        }
    printf("bench_reduce: %zu candidates (%zu anneals x %d), %zu bins/population, rtol %g\n", n,
           ncond, repeats, m.kwn.nbins, m.kwn.rtol);
    struct totals t1, t2;
    double c1, c2;
    for (int shared = 0; shared <= 1; shared++) {
        if (shared)
            printf(
                "shared anneal-time trajectories (as exsol-reduce runs a grid: %zu groups):\n",
                ng);
        else
            printf("every candidate alone:\n");
        double d1 = run(&m, in, n, gstart, gorder, ng, shared, 1, &t1, &c1);
        double d2 = run(&m, in, n, gstart, gorder, ng, shared, 2, &t2, &c2);
        printf("  threads 1: %8.1f candidates/s (%.3f s wall, %.3f s CPU: %.2f ms "
               "CPU/candidate)\n",
               (double)n / d1, d1, c1, 1e3 * c1 / (double)n);
        printf("  threads 2: %8.1f candidates/s (%.3f s wall, %.3f s CPU), parallel efficiency"
               " %.0f %% (wall; CPU time ratio %.2f)\n",
               (double)n / d2, d2, c2, 100.0 * d1 / (2.0 * d2), c2 / c1);
        printf("  per candidate: %.0f steps (%.0f taken), %.0f RHS evaluations, %.1f Jacobians;"
               " failures %ld\n",
               (double)t1.steps / n, (double)t1.taken / n, (double)t1.rhs / n,
               (double)t1.jac / n, t1.fails);
    }
    /* per temperature */
    struct exsol_kwn_solver *s = NULL;
    if (exsol_kwn_solver_create(&m.kwn, &s, err, sizeof err) == EXSOL_OK) {
        for (size_t c = 0; c < ncond; c += 5) {
            long st = 0, rh = 0, jc = 0, et = 0, cf = 0, sf = 0, pf = 0;
            double ta = exsol_wtime();
            for (size_t j = 0; j < 5; j++) {
                struct exsol_reduce_output o;
                exsol_reduce_run(&m, s, &in[c + j], &o);
                st += o.kwn.stats.steps;
                rh += o.kwn.stats.rhs_evals;
                jc += o.kwn.stats.jac_evals;
                et += o.kwn.stats.err_test_fails;
                cf += o.kwn.stats.conv_fails;
                sf += o.kwn.stats.step_fails;
                pf += o.kwn.stats.constraint_fails;
                exsol_kwn_result_release(&o.kwn);
            }
            printf(
                "  %4.0f C: %6.0f steps, %6.0f RHS, %5.0f Jacobians, %4.0f error-test and %5.0f"
                " Newton failures (%4.0f steps rejected, %3.1f by the positivity constraints),"
                " %7.2f ms per candidate (1-20 h)\n",
                in[c].T_K - 273.15, st / 5.0, rh / 5.0, jc / 5.0, et / 5.0, cf / 5.0, sf / 5.0,
                pf / 5.0, (exsol_wtime() - ta) * 200.0);
        }
        exsol_kwn_solver_destroy(s);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak resident memory: %.1f MiB\n", ru.ru_maxrss / 1024.0);
    free(in);
    free(gstart);
    free(gorder);
    exsol_ellingham_free(ell);
    exsol_params_free(par);
    return 0;
}
