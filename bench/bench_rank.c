/* Throughput of the ranking core (exsol_rank_run) on synthetic screens of 1e4-1e6
 * rows, with the comparison count of the non-dominated sort, to show the
 * O(N log N) scaling: comparisons / (N log2 N) stays flat while N grows 100x.
 * Prints figures; not a test. */
#include "exsol/msg.h"
#include "exsol/rank.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long state = 88172645463325252UL;
static double urand(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (double)(state >> 11) / 9007199254740992.0;
}

int main(void)
{
    struct exsol_rank_params rp = {.tolerance_factor_min = 0.825,
                                   .tolerance_factor_max = 1.059,
                                   .bartel_tau_max = 4.18,
                                   .T_anneal_max_K = 1173.15,
                                   .t_anneal_max_s = 36000,
                                   .min_log10_rho_ratio = 3,
                                   .log10_rho_ratio_ref = 3,
                                   .M_ref_A_m = 8.9e3,
                                   .weight_rho = 1,
                                   .weight_mag = 1,
                                   .penalty = 1};
    printf("%10s %10s %12s %10s %8s %14s %10s\n", "rows", "fronts", "time_s", "rows/s", "dual",
           "cmp(pareto)", "cmp/NlogN");
    for (size_t n = 10000; n <= 1000000; n *= 10) {
        double *r = malloc(n * sizeof *r), *M = malloc(n * sizeof *M);
        double *Mp = malloc(n * sizeof *Mp), *T = malloc(n * sizeof *T);
        int *spm = malloc(n * sizeof *spm), *dual = malloc(n * sizeof *dual);
        int *pr = malloc(n * sizeof *pr), *fr = malloc(n * sizeof *fr);
        double *cd = malloc(n * sizeof *cd), *sc = malloc(n * sizeof *sc);
        long *rank = malloc(n * sizeof *rank);
        unsigned *flags = malloc(n * sizeof *flags);
        if (!r || !M || !Mp || !T || !spm || !dual || !pr || !fr || !cd || !sc || !rank ||
            !flags)
            return 1;
        for (size_t i = 0; i < n; i++) {
            r[i] = 6.0 * urand();
            M[i] = 1e4 * urand() * urand();
            Mp[i] = 100.0;
            T[i] = 773.15 + 100.0 * (double)(i % 6);
            spm[i] = urand() < 0.7;
        }
        struct exsol_rank_input in = {n,    r, M,    spm,  Mp,   NULL, NULL,
                                      NULL, T, NULL, NULL, NULL, NULL};
        struct exsol_rank_output out = {dual, pr, cd, sc, rank, flags};
        struct exsol_rank_summary s;
        char err[256];
        double t0 = exsol_wtime();
        if (exsol_rank_run(&rp, &in, &out, &s, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        double dt = exsol_wtime() - t0;
        /* the sort alone, with its comparison count */
        size_t ncmp = 0;
        int nf = 0;
        for (size_t i = 0; i < n; i++)
            M[i] = spm[i] ? M[i] : 0.0;
        exsol_rank_pareto(n, r, M, NULL, fr, &nf, &ncmp);
        printf("%10zu %10zu %12.3f %10.3g %8zu %14zu %10.3f\n", n, s.n_fronts, dt,
               (double)n / dt, s.n_dual, ncmp, (double)ncmp / ((double)n * log2((double)n)));
        free(r), free(M), free(Mp), free(T), free(spm), free(dual), free(pr), free(fr);
        free(cd), free(sc), free(rank), free(flags);
    }
    return 0;
}
