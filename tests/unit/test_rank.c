/* Unit tests for the ranking module: known Pareto fronts, ties, constrained
 * domination, crowding distance, score, exclusion of failed rows, and the
 * O(N log N) cost of the non-dominated sort (counted comparisons, never time). */
#include "check.h"
#include "exsol/error.h"
#include "exsol/rank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Reference: peel fronts by brute force, O(N^2) per front. */
static void naive_fronts(size_t n, const double *a, const double *b, const int *g, int *front)
{
    size_t left = n;
    int f = 0;
    for (size_t i = 0; i < n; i++)
        front[i] = 0;
    while (left) {
        f++;
        int *mark = calloc(n, sizeof *mark);
        for (size_t i = 0; i < n; i++) {
            if (front[i])
                continue;
            int dominated = 0;
            for (size_t j = 0; j < n && !dominated; j++) {
                if (j == i || front[j])
                    continue;
                int gi = g ? g[i] : 0, gj = g ? g[j] : 0;
                if (gj < gi)
                    dominated = 1;
                else if (gj == gi && a[j] >= a[i] && b[j] >= b[i] &&
                         (a[j] > a[i] || b[j] > b[i]))
                    dominated = 1;
            }
            if (!dominated)
                mark[i] = 1;
        }
        for (size_t i = 0; i < n; i++)
            if (mark[i]) {
                front[i] = f;
                left--;
            }
        free(mark);
    }
}

static unsigned long lcg_state = 12345;
static unsigned lcg(void)
{
    lcg_state = lcg_state * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(lcg_state >> 33);
}

static void test_known_front(void)
{
    /*            A  B  C  D  E    F  G  H   */
    double a[] = {3, 1, 2, 1, 0.5, 2, 2, 3};
    double b[] = {1, 3, 2, 1, 0.5, 2, 1, 0.5};
    /* A, B, C and its duplicate F are non-dominated; G (2,1) and H (3,0.5) are
     * dominated only by front-1 points; D (1,1) by G; E by D. */
    int want[] = {1, 1, 1, 3, 4, 1, 2, 2};
    int front[8], nf = 0;
    size_t ncmp = 0;
    CHECK_EQ_INT(exsol_rank_pareto(8, a, b, NULL, front, &nf, &ncmp), 0);
    for (int i = 0; i < 8; i++)
        CHECK_EQ_INT(front[i], want[i]);
    CHECK_EQ_INT(nf, 4);
    CHECK(ncmp > 0);
}

static void test_ties(void)
{
    /* all identical: one front */
    double a[5] = {1, 1, 1, 1, 1}, b[5] = {2, 2, 2, 2, 2};
    int front[5], nf = 0;
    CHECK_EQ_INT(exsol_rank_pareto(5, a, b, NULL, front, &nf, NULL), 0);
    CHECK_EQ_INT(nf, 1);
    for (int i = 0; i < 5; i++)
        CHECK_EQ_INT(front[i], 1);
    /* equal in one objective, better in the other: that one dominates */
    double c[3] = {1, 1, 2}, d[3] = {1, 2, 1};
    CHECK_EQ_INT(exsol_rank_pareto(3, c, d, NULL, front, &nf, NULL), 0);
    CHECK_EQ_INT(front[0], 2);
    CHECK_EQ_INT(front[1], 1);
    CHECK_EQ_INT(front[2], 1);
    /* duplicates of a dominated point share the second front */
    double e[4] = {0, 5, 0, 5}, f[4] = {0, 5, 0, 5};
    CHECK_EQ_INT(exsol_rank_pareto(4, e, f, NULL, front, &nf, NULL), 0);
    CHECK_EQ_INT(front[0], 2);
    CHECK_EQ_INT(front[2], 2);
    CHECK_EQ_INT(front[1], 1);
    CHECK_EQ_INT(front[3], 1);
    CHECK_EQ_INT(nf, 2);
    /* empty input */
    CHECK_EQ_INT(exsol_rank_pareto(0, NULL, NULL, NULL, NULL, &nf, NULL), 0);
    CHECK_EQ_INT(nf, 0);
}

static void test_random_vs_naive(void)
{
    /* coarse integer values give many ties; groups mimic constraint levels */
    enum { N = 600 };
    double a[N], b[N];
    int g[N], fast[N], slow[N];
    for (int trial = 0; trial < 6; trial++) {
        int use_groups = trial % 2;
        for (int i = 0; i < N; i++) {
            a[i] = (double)(lcg() % (trial < 2 ? 5 : 40));
            b[i] = (double)(lcg() % (trial < 2 ? 5 : 40));
            g[i] = (int)(lcg() % 3);
        }
        int nf = 0;
        CHECK_EQ_INT(exsol_rank_pareto(N, a, b, use_groups ? g : NULL, fast, &nf, NULL), 0);
        naive_fronts(N, a, b, use_groups ? g : NULL, slow);
        int bad = 0, maxf = 0;
        for (int i = 0; i < N; i++) {
            bad += fast[i] != slow[i];
            if (slow[i] > maxf)
                maxf = slow[i];
        }
        CHECK_EQ_INT(bad, 0);
        CHECK_EQ_INT(nf, maxf);
    }
}

static void test_groups(void)
{
    /* a row violating a constraint never shares a front with a clean one, even
     * when its objectives are better */
    double a[3] = {10, 1, 0.5}, b[3] = {10, 1, 0.5};
    int g[3] = {1, 0, 0}, front[3], nf;
    CHECK_EQ_INT(exsol_rank_pareto(3, a, b, g, front, &nf, NULL), 0);
    CHECK_EQ_INT(front[1], 1);
    CHECK_EQ_INT(front[2], 2);
    CHECK_EQ_INT(front[0], 3);
    CHECK_EQ_INT(nf, 3);
}

static void test_cost(void)
{
    /* Worst cases for a naive sort: a chain (N fronts) and an anti-chain (one
     * front of N points). Comparisons must stay within c N log2 N. */
    enum { N = 1 << 16 };
    double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    int *front = malloc(N * sizeof *front);
    const double nlogn = (double)N * 16.0;
    for (int shape = 0; shape < 3; shape++) {
        for (int i = 0; i < N; i++) {
            double x = (double)((i * 7919) % N); /* shuffled input order */
            a[i] = x;
            b[i] = shape == 0 ? x : shape == 1 ? (double)N - x : (double)(lcg() % 1000);
        }
        size_t ncmp = 0;
        int nf = 0;
        CHECK_EQ_INT(exsol_rank_pareto(N, a, b, NULL, front, &nf, &ncmp), 0);
        if (shape == 0)
            CHECK_EQ_INT(nf, N);
        if (shape == 1)
            CHECK_EQ_INT(nf, 1);
        CHECK((double)ncmp <= 3.0 * nlogn);
        /* and far below the N^2/2 of pairwise checks */
        CHECK((double)ncmp < 0.01 * 0.5 * (double)N * (double)N);
        if ((double)ncmp > 3.0 * nlogn)
            fprintf(stderr, "shape %d: %zu comparisons for N = %d\n", shape, ncmp, N);
    }
    free(a);
    free(b);
    free(front);
}

static int less_by_key(size_t x, size_t y, const void *ctx)
{
    const int *k = ctx;
    return k[x] < k[y];
}

static void test_sort_stable(void)
{
    int key[8] = {3, 1, 3, 0, 1, 3, 0, 2};
    size_t perm[8], ncmp = 0;
    size_t want[8] = {3, 6, 1, 4, 7, 0, 2, 5};
    CHECK_EQ_INT(exsol_rank_sort(8, less_by_key, key, perm, &ncmp), 0);
    for (int i = 0; i < 8; i++)
        CHECK_EQ_INT(perm[i], want[i]);
    CHECK(ncmp <= 8 * 3);
}

static void test_crowding(void)
{
    /* one front of four points on a line, plus a lone point in front 2 */
    double a[5] = {0, 1, 2, 3, 0}, b[5] = {3, 2, 1, 0, -1};
    int front[5] = {1, 1, 1, 1, 2};
    double cd[5];
    CHECK_EQ_INT(exsol_rank_crowding(5, a, b, front, cd), 0);
    CHECK(isinf(cd[0]) && cd[0] > 0);
    CHECK(isinf(cd[3]) && cd[3] > 0);
    CHECK_CLOSE(cd[1], 4.0 / 3.0, 1e-12, 0);
    CHECK_CLOSE(cd[2], 4.0 / 3.0, 1e-12, 0);
    CHECK(isinf(cd[4]));
    /* a front with no spread in one objective contributes 0 from it */
    double c[3] = {0, 1, 2}, d[3] = {1, 1, 1};
    int f3[3] = {1, 1, 1};
    CHECK_EQ_INT(exsol_rank_crowding(3, c, d, f3, cd), 0);
    CHECK(isinf(cd[0]) || isinf(cd[2]));
    CHECK_CLOSE(cd[1] < INFINITY ? cd[1] : -1, 1.0, 1e-12, 0);
}

static struct exsol_rank_params default_params(void)
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
    return rp;
}

enum { NR = 8 };
struct outbuf {
    int dual[NR], pr[NR];
    double cd[NR], sc[NR];
    long rank[NR];
    unsigned flags[NR];
};

static struct exsol_rank_output outputs(struct outbuf *b)
{
    struct exsol_rank_output o = {b->dual, b->pr, b->cd, b->sc, b->rank, b->flags};
    return o;
}

static void test_run(void)
{
    struct exsol_rank_params rp = default_params();
    /* rows: 0 seed-like dual switch; 1 better ratio, dual; 2 blocked (spm 0);
     * 3 ratio too small; 4 anneal too hot; 5 failed stage; 6 missing M;
     * 7 tolerance factor outside the window */
    double r[NR] = {3.5, 4.5, 5.0, 2.0, 6.0, 9.0, 4.0, 4.0};
    double M[NR] = {3e3, 2e3, 8e3, 5e3, 6e3, 9e3, NAN, 5e3};
    int spm[NR] = {1, 1, 0, 1, 1, 1, 1, 1};
    double Mp[NR] = {100, 100, 100, 100, 100, 100, 100, 100};
    double t[NR] = {0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 1.2};
    double tau[NR] = {3.8, 3.8, 3.8, 3.8, 3.8, 3.8, 3.8, 3.8};
    int feas[NR] = {1, 1, 1, 1, 1, 1, 1, 1};
    double T[NR] = {823.15, 823.15, 823.15, 823.15, 1273.15, 823.15, 823.15, 823.15};
    double ts[NR] = {18000, 18000, 18000, 18000, 18000, 18000, 18000, 18000};
    unsigned char ex[NR] = {0, 0, 0, 0, 0, 1, 0, 0};
    struct exsol_rank_input in = {NR, r, M, spm, Mp, t, tau, feas, T, ts, ex, NULL, NULL};
    struct outbuf b;
    struct exsol_rank_output o = outputs(&b);
    struct exsol_rank_summary s;
    char err[256];
    CHECK_EQ_INT(exsol_rank_run(&rp, &in, &o, &s, err, sizeof err), 0);
    CHECK_EQ_INT(s.n, NR);
    CHECK_EQ_INT(s.n_included, 6);
    CHECK_EQ_INT(s.n_excluded_status, 1);
    CHECK_EQ_INT(s.n_excluded_missing, 1);
    CHECK_EQ_INT(s.n_dual, 2);
    CHECK_EQ_INT(b.dual[0], 1);
    CHECK_EQ_INT(b.dual[1], 1);
    for (int i = 2; i < NR; i++)
        CHECK_EQ_INT(b.dual[i], 0);
    CHECK(b.flags[2] & EXSOL_RANK_F_SPM);
    CHECK(b.flags[3] & EXSOL_RANK_F_RATIO);
    CHECK(b.flags[4] & EXSOL_RANK_F_T_ANNEAL);
    CHECK(b.flags[5] & EXSOL_RANK_F_STATUS);
    CHECK(b.flags[6] & EXSOL_RANK_F_MISSING);
    CHECK(b.flags[7] & EXSOL_RANK_F_TOLERANCE);
    /* both dual switchers are on front 1 (neither dominates the other) */
    CHECK_EQ_INT(b.pr[0], 1);
    CHECK_EQ_INT(b.pr[1], 1);
    /* single violators (2, 3, 4, 7) come after: 4 dominates the others, 7 (4, 5e3)
     * dominates 3 (2, 5e3), 2 (5, 0: blocked counts 0) and 7 are incomparable */
    CHECK_EQ_INT(b.pr[4], 2);
    CHECK_EQ_INT(b.pr[2], 3);
    CHECK_EQ_INT(b.pr[7], 3);
    CHECK_EQ_INT(b.pr[3], 4);
    CHECK_EQ_INT(b.pr[5], EXSOL_RANK_NONE);
    CHECK_EQ_INT(b.rank[5], EXSOL_RANK_NONE);
    CHECK_EQ_INT(b.rank[6], EXSOL_RANK_NONE);
    CHECK(isnan(b.sc[5]) && isnan(b.cd[6]));
    /* score: documented weighted sum */
    CHECK_CLOSE(b.sc[0], 0.5 * (3.5 / 3 + 3e3 / 8.9e3), 1e-12, 0);
    CHECK_CLOSE(b.sc[1], 0.5 * (4.5 / 3 + 2e3 / 8.9e3), 1e-12, 0);
    /* blocked film: magnetic objective counts 0, one penalty */
    CHECK_CLOSE(b.sc[2], 0.5 * (5.0 / 3) - 1.0, 1e-12, 0);
    /* order: front 1 by score (row 1 then row 0), then front 2 by score */
    CHECK_EQ_INT(b.rank[1], 1);
    CHECK_EQ_INT(b.rank[0], 2);
    CHECK_EQ_INT(b.rank[4], 3);
    CHECK_EQ_INT(b.rank[7], 4); /* front 3: 0.5*(4/3+5/8.9)-1 = -0.053 > row 2's -0.167 */
    CHECK_EQ_INT(b.rank[2], 5);
    CHECK_EQ_INT(b.rank[3], 6);
    /* ranks are a permutation of 1..n_included */
    int seen[NR + 1] = {0};
    for (int i = 0; i < NR; i++)
        if (b.rank[i] > 0 && b.rank[i] <= NR)
            seen[b.rank[i]]++;
    for (int k = 1; k <= 6; k++)
        CHECK_EQ_INT(seen[k], 1);

    char why[160];
    exsol_rank_describe(&rp, &in, 0, b.flags[0], why, sizeof why);
    CHECK_STR(why, "dual switch");
    exsol_rank_describe(&rp, &in, 4, b.flags[4], why, sizeof why);
    CHECK_STR(why, "anneal 1000 C > 900 C");
    exsol_rank_describe(&rp, &in, 3, b.flags[3], why, sizeof why);
    CHECK_STR(why, "log10 rho ratio 2.00 < 3.00");
    exsol_rank_describe(&rp, &in, 6, b.flags[6], why, sizeof why);
    CHECK_STR(why, "excluded: missing M_300K_1T_reduced");
    exsol_rank_describe(&rp, &in, 2, b.flags[2], why, sizeof why);
    CHECK_STR(why, "not superparamagnetic at 300 K");
    /* truncation is safe */
    char tiny[8];
    exsol_rank_describe(&rp, &in, 7, b.flags[7], tiny, sizeof tiny);
    CHECK_EQ_INT(strlen(tiny), 7);

    /* the magnetic contrast is magnet's (spm_300K_reduced): rank has no second
     * threshold, a large pristine M does not veto a superparamagnetic row */
    Mp[0] = 400;
    CHECK_EQ_INT(exsol_rank_run(&rp, &in, &o, &s, err, sizeof err), 0);
    CHECK_EQ_INT(b.dual[0], 1);
    /* the seed's claim (issue #12, defect 3): no dual switch unless transport calls
     * the pristine film a compensated insulator and the reduced one a degenerate
     * metal, whatever the resistivity ratio */
    int ins[NR] = {1, 1, 1, 1, 1, 1, 1, 1}, met[NR] = {0, 1, 1, 1, 1, 1, 1, 1};
    struct exsol_rank_input tr = in;
    tr.insulating_pristine = ins;
    tr.metallic_reduced = met;
    CHECK_EQ_INT(exsol_rank_run(&rp, &tr, &o, &s, err, sizeof err), 0);
    CHECK_EQ_INT(b.dual[0], 0);
    CHECK(b.flags[0] & EXSOL_RANK_F_METALLIC);
    CHECK_EQ_INT(b.dual[1], 1);
    exsol_rank_describe(&rp, &tr, 0, b.flags[0], why, sizeof why);
    CHECK_STR(why, "reduced film not a degenerate metal");
    met[0] = 1;
    ins[1] = 0;
    CHECK_EQ_INT(exsol_rank_run(&rp, &tr, &o, &s, err, sizeof err), 0);
    CHECK_EQ_INT(b.dual[0], 1);
    CHECK_EQ_INT(b.dual[1], 0);
    CHECK(b.flags[1] & EXSOL_RANK_F_INSULATING);
    ins[1] = -1; /* a missing verdict excludes the row */
    CHECK_EQ_INT(exsol_rank_run(&rp, &tr, &o, &s, err, sizeof err), 0);
    CHECK(b.flags[1] & EXSOL_RANK_F_MISSING);
    CHECK_EQ_INT(b.dual[1], 0);
    rp.T_anneal_max_K = 1300;
    CHECK_EQ_INT(exsol_rank_run(&rp, &in, &o, &s, err, sizeof err), 0);
    CHECK_EQ_INT(b.dual[4], 1);
    CHECK_EQ_INT(b.rank[4], 1); /* best score among dual switchers now */
    /* optional columns absent: those constraints are not evaluated */
    struct exsol_rank_input lean = {NR,   r,    M,    spm,  NULL, NULL, NULL,
                                    NULL, NULL, NULL, NULL, NULL, NULL};
    CHECK_EQ_INT(exsol_rank_run(&rp, &lean, &o, &s, err, sizeof err), 0);
    CHECK_EQ_INT(b.dual[5], 1);
    CHECK_EQ_INT(b.dual[7], 1);
    /* bad parameters are refused */
    rp.weight_rho = 0;
    rp.weight_mag = 0;
    CHECK_EQ_INT(exsol_rank_run(&rp, &in, &o, &s, err, sizeof err), EXSOL_EVALUE);
}

static void test_all_failed(void)
{
    struct exsol_rank_params rp = default_params();
    double r[NR], M[NR];
    int spm[NR];
    unsigned char ex[NR];
    for (int i = 0; i < NR; i++) {
        r[i] = NAN;
        M[i] = NAN;
        spm[i] = -2147483647;
        ex[i] = 1;
    }
    struct exsol_rank_input in = {NR,   r,    M,    spm, NULL, NULL, NULL,
                                  NULL, NULL, NULL, ex,  NULL, NULL};
    struct outbuf b;
    struct exsol_rank_output o = outputs(&b);
    struct exsol_rank_summary s;
    char err[256];
    CHECK_EQ_INT(exsol_rank_run(&rp, &in, &o, &s, err, sizeof err), 0);
    CHECK_EQ_INT(s.n_included, 0);
    CHECK_EQ_INT(s.n_excluded_status, NR);
    CHECK_EQ_INT(s.n_fronts, 0);
    for (int i = 0; i < NR; i++) {
        CHECK_EQ_INT(b.rank[i], EXSOL_RANK_NONE);
        CHECK_EQ_INT(b.dual[i], 0);
    }
    in.n = 0;
    CHECK_EQ_INT(exsol_rank_run(&rp, &in, &o, &s, err, sizeof err), 0);
    CHECK_EQ_INT(s.n, 0);
}

static void test_params_table(void)
{
    /* the shipped table loads, converts units to SI, and --set overrides it */
    exsol_params *p = NULL;
    struct exsol_rank_params rp;
    char err[256] = "";
    int rc = exsol_params_load("rank", &p, err, sizeof err);
    CHECK_EQ_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK_EQ_INT(exsol_rank_params_from(p, &rp, err, sizeof err), 0);
    CHECK_CLOSE(rp.t_anneal_max_s, 10 * 3600.0, 1e-12, 0);
    CHECK_CLOSE(rp.T_anneal_max_K, 1173.15, 1e-12, 0);
    CHECK_CLOSE(rp.min_log10_rho_ratio, 3.0, 0, 0);
    CHECK_CLOSE(rp.M_ref_A_m, 8.9e3, 1e-12, 0);
    CHECK(rp.tolerance_factor_min < 1.0 && rp.tolerance_factor_max > 1.0);
    CHECK_EQ_INT(exsol_params_set(p, "t_anneal_max=2h", err, sizeof err), 0);
    CHECK_EQ_INT(exsol_params_set(p, "min_log10_rho_ratio=4", err, sizeof err), 0);
    CHECK_EQ_INT(exsol_rank_params_from(p, &rp, err, sizeof err), 0);
    CHECK_CLOSE(rp.t_anneal_max_s, 7200.0, 1e-12, 0);
    CHECK_CLOSE(rp.min_log10_rho_ratio, 4.0, 0, 0);
    CHECK(exsol_params_set(p, "no_such_parameter=1", err, sizeof err) != 0);
    exsol_params_free(p);
}

static void test_magnetic_objective(void)
{
    CHECK_CLOSE(exsol_rank_magnetic_objective(5e3, 1), 5e3, 0, 0);
    CHECK_CLOSE(exsol_rank_magnetic_objective(5e3, 0), 0.0, 0, 0);
    CHECK(isnan(exsol_rank_magnetic_objective(NAN, 1)));
    CHECK(isnan(exsol_rank_magnetic_objective(1.0, -2147483647)));
}

/* b dominates a under the first k of o (maximised), by the definition */
static int dom_k(int k, const double *const *o, int b, int a)
{
    int better = 0;
    for (int m = 0; m < k; m++) {
        if (o[m][b] < o[m][a])
            return 0;
        better |= o[m][b] > o[m][a];
    }
    return better;
}

/* k objectives: with two, the same fronts as the two-objective sorting (random ties);
 * with three, the fronts by definition (a point of front f > 1 is dominated by one of
 * front f - 1 and by none of front f or later); NaN is worst; a known three-objective
 * case. */
static void test_pareto_k(void)
{
    enum { N = 300 };
    double a[N], b[N], c[N];
    int two[N], k2[N], k3[N];
    for (int i = 0; i < N; i++) {
        a[i] = (double)(lcg() % 12);
        b[i] = (double)(lcg() % 12);
        c[i] = (double)(lcg() % 12);
    }
    const double *o2[2] = {a, b}, *o3[3] = {a, b, c};
    CHECK_EQ_INT(exsol_rank_pareto(N, a, b, NULL, two, NULL, NULL), 0);
    CHECK_EQ_INT(exsol_rank_pareto_k(N, 2, o2, k2), 0);
    CHECK_EQ_INT(exsol_rank_pareto_k(N, 3, o3, k3), 0);
    int same = 0, wrong = 0;
    for (int i = 0; i < N; i++) {
        int by_prev = k3[i] == 1;
        same += two[i] == k2[i];
        for (int j = 0; j < N; j++) {
            if (!dom_k(3, o3, j, i))
                continue;
            wrong += k3[j] >= k3[i];
            by_prev |= k3[j] == k3[i] - 1;
        }
        wrong += !by_prev;
    }
    CHECK_EQ_INT(same, N);
    CHECK_EQ_INT(wrong, 0);
    /* (1,1,1) dominates all; (0,2,0) and (2,0,0) and (0,0,2) trade off; NaN last */
    double x[5] = {1, 0, 2, 0, NAN}, y[5] = {1, 2, 0, 0, 0}, z[5] = {1, 0, 0, 2, 0};
    const double *o[3] = {x, y, z};
    int f[5];
    CHECK_EQ_INT(exsol_rank_pareto_k(5, 3, o, f), 0);
    CHECK_EQ_INT(f[0], 1);
    CHECK_EQ_INT(f[1], 1);
    CHECK_EQ_INT(f[2], 1);
    CHECK_EQ_INT(f[3], 1);
    CHECK_EQ_INT(f[4], 2);
    CHECK_EQ_INT(exsol_rank_pareto_k(0, 3, o, f), 0);
}

int main(void)
{
    test_known_front();
    test_ties();
    test_random_vs_naive();
    test_pareto_k();
    test_groups();
    test_cost();
    test_sort_stable();
    test_crowding();
    test_run();
    test_all_failed();
    test_magnetic_objective();
    test_params_table();
    return check_report("test_rank");
}
