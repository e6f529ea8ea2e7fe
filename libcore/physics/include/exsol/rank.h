/* Ranking of screened candidates for dual switching (exsol-rank).
 *
 * Two objectives, both maximised:
 *   1. log10_rho_ratio: log10(rho_300K_pristine / rho_300K_reduced) from transport;
 *   2. the room-temperature magnetic response of the reduced film,
 *      M_300K_1T_reduced (A/m), counted only when the reduced film is
 *      superparamagnetic at 300 K (spm_300K_reduced = 1); a blocked, hysteretic
 *      film contributes 0 (it does not switch into a superparamagnet).
 * Constraints (parameters from datasets/rank-parameters.csv, stage "rank"):
 *   structure  gen's feasible flag, tolerance_factor_min <= t <= tolerance_factor_max,
 *              bartel_tau < bartel_tau_max;
 *   process    T_anneal <= T_anneal_max, t_anneal <= t_anneal_max;
 *   transport  log10_rho_ratio >= min_log10_rho_ratio, the pristine film a compensated
 *              insulator (insulating_pristine = 1) and the reduced film a degenerate
 *              metal (metallic_reduced = 1), as transport writes them;
 *   magnet     spm_300K_reduced = 1: magnet's verdict as film magnetometry reads it
 *              (saturating 300 K component above the one contrast threshold
 *              spm_contrast_min and the detection limit, no coercivity or remanence,
 *              blocking below 300 K; exsol/magnet.h) and M_300K_1T_reduced > 0.
 * dual_switch = 1 when every constraint holds: the seed's claim, insulator -> metal
 * and non-magnetic -> superparamagnet.
 *
 * Pareto rank: non-dominated sorting with constrained domination (Deb 2000, with
 * the number of violated constraints as the violation measure): a row violating
 * fewer constraints dominates one violating more; among rows violating the same
 * number, the usual objective dominance applies. So front 1 holds the best
 * dual-switching rows whenever any exist. Equal points never dominate each other
 * and share a front. O(N log N): sort by (violations, objective 1 desc,
 * objective 2 desc) and sweep with a binary search over the fronts' best
 * objective-2 values (which decrease with the front number).
 *
 * Crowding distance (NSGA-II): per front, the sum over both objectives of the
 * normalised gap between a row's neighbours; boundary rows get +INFINITY.
 *
 * Score (dimensionless, larger is better):
 *   score = (w_rho * r / r_ref + w_mag * m / M_ref) / (w_rho + w_mag)
 *           - penalty * (number of violated constraints)
 * with r = log10_rho_ratio, m = objective 2 (A/m); fixed references so a score
 * does not depend on which other rows are in the file.
 *
 * Final rank (1 = best) over the included rows: pareto_rank ascending, then score
 * descending, then crowding distance descending, then row index ascending.
 *
 * Excluded rows (a stage failed for the row, or a needed value is missing): no
 * pareto_rank, crowding, score or rank (EXSOL_RANK_NONE / NaN); their flags say why.
 *
 * Plain arrays only: no NetCDF, no printing. Deterministic for any thread count
 * (the module is serial; it is O(N log N) and not the bottleneck). */
#ifndef EXSOL_RANK_H
#define EXSOL_RANK_H

#include "exsol/params.h"

#include <stddef.h>

#define EXSOL_RANK_NONE (-1) /* pareto_rank / rank of an excluded row */

/* Per-row flags (bit set = constraint violated, or row excluded). */
enum exsol_rank_flag {
    EXSOL_RANK_F_FEASIBLE = 1u << 0,    /* gen flagged the structure infeasible */
    EXSOL_RANK_F_TOLERANCE = 1u << 1,   /* Goldschmidt t outside the window */
    EXSOL_RANK_F_TAU = 1u << 2,         /* Bartel tau too large */
    EXSOL_RANK_F_T_ANNEAL = 1u << 3,    /* anneal temperature above the process window */
    EXSOL_RANK_F_TIME = 1u << 4,        /* anneal time above the process window */
    EXSOL_RANK_F_RATIO = 1u << 5,       /* resistivity ratio below threshold */
    EXSOL_RANK_F_SPM = 1u << 6,         /* reduced film not superparamagnetic at 300 K */
    EXSOL_RANK_F_CONTRAST = 1u << 7,    /* no magnetic moment (M_300K_1T_reduced <= 0) */
    EXSOL_RANK_F_STATUS = 1u << 8,      /* excluded: a stage failed for the row */
    EXSOL_RANK_F_MISSING = 1u << 9,     /* excluded: a needed value is missing (NaN) or ±inf */
    EXSOL_RANK_F_INSULATING = 1u << 10, /* pristine film not a compensated insulator */
    EXSOL_RANK_F_METALLIC = 1u << 11    /* reduced film not a degenerate metal */
};
#define EXSOL_RANK_F_CONSTRAINTS (0xFFu | EXSOL_RANK_F_INSULATING | EXSOL_RANK_F_METALLIC)
#define EXSOL_RANK_F_EXCLUDED (EXSOL_RANK_F_STATUS | EXSOL_RANK_F_MISSING)

struct exsol_rank_params {
    double tolerance_factor_min, tolerance_factor_max; /* 1 */
    double bartel_tau_max;                             /* 1 */
    double T_anneal_max_K;
    double t_anneal_max_s;
    double min_log10_rho_ratio; /* 1 */
    double log10_rho_ratio_ref; /* 1, score normalisation */
    double M_ref_A_m;           /* A/m, score normalisation */
    double weight_rho, weight_mag;
    double penalty; /* score penalty per violated constraint */
};

/* Input columns, each of length n. Required: log10_rho_ratio, M_300K_reduced_A_m,
 * spm_300K_reduced. Any other pointer may be NULL: that constraint is then not
 * evaluated. NaN (or an int < 0 for the int columns) is a missing value and
 * excludes the row when the column is used. excluded (may be NULL): nonzero for
 * rows a stage failed on. */
struct exsol_rank_input {
    size_t n;
    const double *log10_rho_ratio;
    const double *M_300K_reduced_A_m;
    const int *spm_300K_reduced;
    const double *M_300K_pristine_A_m;
    const double *tolerance_factor;
    const double *bartel_tau;
    const int *feasible;
    const double *T_anneal_K;
    const double *t_anneal_s;
    const unsigned char *excluded;
    const int *insulating_pristine; /* transport's verdicts (0/1) */
    const int *metallic_reduced;
};

/* Output columns, each of length n, caller-allocated. */
struct exsol_rank_output {
    int *dual_switch; /* 0/1; 0 for excluded rows */
    int *pareto_rank; /* 1 = front; EXSOL_RANK_NONE if excluded */
    double *crowding; /* >= 0 or +INFINITY; NaN if excluded */
    double *score;    /* NaN if excluded */
    long *rank;       /* 1..n_included; EXSOL_RANK_NONE if excluded */
    unsigned *flags;  /* enum exsol_rank_flag bits */
};

struct exsol_rank_summary {
    size_t n, n_included, n_excluded_status, n_excluded_missing, n_dual, n_fronts;
};

/* Fills *rp from a registry holding the "rank" parameters. */
int exsol_rank_params_from(const exsol_params *p, struct exsol_rank_params *rp, char *err,
                           size_t errlen);
/* Checks ranges (weights >= 0 with a positive sum, positive references ...). */
int exsol_rank_params_check(const struct exsol_rank_params *rp, char *err, size_t errlen);

/* Ranks the rows. summary may be NULL. EXSOL_ENOMEM, EXSOL_EVALUE (bad params or
 * a required column NULL), else 0. */
int exsol_rank_run(const struct exsol_rank_params *rp, const struct exsol_rank_input *in,
                   struct exsol_rank_output *out, struct exsol_rank_summary *summary, char *err,
                   size_t errlen);

/* The verdict of one row, alone (no other row enters it): its enum exsol_rank_flag
 * bits, the same exsol_rank_run puts in out->flags[i]. exsol-window calls it for
 * the rows it evaluates, so the window follows whatever the verdict is. */
unsigned exsol_rank_row_flags(const struct exsol_rank_params *rp,
                              const struct exsol_rank_input *in, size_t i);
/* 1 when the flags are a dual switch (no constraint violated, row not excluded):
 * out->dual_switch of exsol_rank_run. */
int exsol_rank_flags_dual(unsigned flags);

/* Objective 2 of one row: M if spm == 1, 0 if spm == 0, NaN if missing. */
double exsol_rank_magnetic_objective(double M_A_m, int spm);

/* Non-dominated sorting of n points (both objectives maximised) into fronts
 * 1..F, with group[i] (may be NULL: one group) as the primary key: a point of a
 * lower group dominates every point of a higher one (groups must be >= 0).
 * front[i] receives the front number; *nfronts (may be NULL) the number of
 * fronts; *ncompare (may be NULL) the number of element comparisons made, so
 * tests can check the O(N log N) cost. Points must not be NaN. */
int exsol_rank_pareto(size_t n, const double *obj1, const double *obj2, const int *group,
                      int *front, int *nfronts, size_t *ncompare);

/* Non-dominated sorting of n points under k objectives (all maximised; obj[m][i],
 * NaN counts as worse than any number), by peeling: front 1 is the points no other
 * point dominates, front 2 those only front 1 dominates, ... O(F k n^2) for F fronts,
 * for the ensemble's ranking (thousands of candidates). front[i] receives 1..F. */
int exsol_rank_pareto_k(size_t n, size_t k, const double *const *obj, int *front);

/* Crowding distance of each point within its front (front[] as above). */
int exsol_rank_crowding(size_t n, const double *obj1, const double *obj2, const int *front,
                        double *crowding);

/* Sorts row indices 0..n-1 with a stable merge sort under `less` (ctx passed
 * through). perm receives the order. Counts comparisons into *ncompare if
 * non-NULL. */
int exsol_rank_sort(size_t n, int (*less)(size_t a, size_t b, const void *ctx), const void *ctx,
                    size_t *perm, size_t *ncompare);

/* Human-readable reason for a row: "dual switch", or the violated constraints with
 * the values that failed them (e.g. "log10 rho ratio 2.1 < 3; blocked at 300 K").
 * Row values are read from `in` at index i. Always NUL-terminates buf. */
void exsol_rank_describe(const struct exsol_rank_params *rp, const struct exsol_rank_input *in,
                         size_t i, unsigned flags, char *buf, size_t buflen);

#endif
