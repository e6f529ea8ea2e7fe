/* Non-finite objectives are no measurement (issue #12, defect 11): a row whose
 * log10_rho_ratio or magnetisation is ±inf is excluded from the ranking with a reason
 * naming the value, like a missing (NaN) one, instead of taking front 1 and an inf
 * score. The finite rows rank among themselves as before. */
#include "check.h"
#include "exsol/rank.h"

#include <math.h>
#include <string.h>

enum { NR = 5 };

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
    /* 0 a plain dual switch; 1 ratio +inf; 2 M +inf; 3 ratio -inf; 4 M pristine +inf */
    double r[NR] = {3.5, INFINITY, 4.0, -INFINITY, 4.0};
    double M[NR] = {3e3, 3e3, INFINITY, 3e3, 3e3};
    int spm[NR] = {1, 1, 1, 1, 1};
    double Mp[NR] = {100, 100, 100, 100, INFINITY};
    double t[NR] = {0.99, 0.99, 0.99, 0.99, 0.99};
    double tau[NR] = {3.8, 3.8, 3.8, 3.8, 3.8};
    int feas[NR] = {1, 1, 1, 1, 1};
    double T[NR] = {823.15, 823.15, 823.15, 823.15, 823.15};
    double ts[NR] = {18000, 18000, 18000, 18000, 18000};
    struct exsol_rank_input in = {NR, r, M, spm, Mp, t, tau, feas, T, ts, NULL, NULL, NULL};
    int dual[NR], pr[NR];
    double cd[NR], sc[NR];
    long rank[NR];
    unsigned flags[NR];
    struct exsol_rank_output o = {dual, pr, cd, sc, rank, flags};
    struct exsol_rank_summary s;
    char err[256], why[160];
    CHECK_EQ_INT(exsol_rank_run(&rp, &in, &o, &s, err, sizeof err), 0);
    CHECK_EQ_INT(s.n_included, 1);
    CHECK_EQ_INT(s.n_excluded_missing, 4);
    CHECK_EQ_INT(rank[0], 1);
    CHECK_EQ_INT(dual[0], 1);
    CHECK(isfinite(sc[0]));
    for (int i = 1; i < NR; i++) {
        CHECK(flags[i] & EXSOL_RANK_F_MISSING);
        CHECK_EQ_INT(dual[i], 0);
        CHECK_EQ_INT(rank[i], EXSOL_RANK_NONE);
        CHECK(isnan(sc[i]));
    }
    exsol_rank_describe(&rp, &in, 1, flags[1], why, sizeof why);
    CHECK_STR(why, "excluded: not finite log10_rho_ratio (inf)");
    exsol_rank_describe(&rp, &in, 2, flags[2], why, sizeof why);
    CHECK_STR(why, "excluded: not finite M_300K_1T_reduced (inf)");
    exsol_rank_describe(&rp, &in, 3, flags[3], why, sizeof why);
    CHECK_STR(why, "excluded: not finite log10_rho_ratio (-inf)");
    /* a NaN and an inf together: both named */
    r[4] = NAN;
    CHECK_EQ_INT(exsol_rank_run(&rp, &in, &o, &s, err, sizeof err), 0);
    exsol_rank_describe(&rp, &in, 4, flags[4], why, sizeof why);
    CHECK_STR(why, "excluded: missing log10_rho_ratio; not finite M_300K_1T_pristine (inf)");
    return check_report("test_rank_nonfinite");
}
