/* The process-window search of exsol-window: for each film, where in the anneal
 * temperature–time plane the verdict says "dual switch", found by search instead of
 * a brute grid. Pure logic: the verdict comes from a callback (libcore/stages/window.c
 * runs reduce -> transport -> magnet -> the rank verdict through the stage API; the
 * unit test uses a synthetic region), so the search never knows the physics.
 *
 * The plane is a lattice: temperatures T_i = T_lo + i dT (i < nT; dT is the stated
 * temperature tolerance) times nt time samples t_j (log-spaced, ratio = 1 + the
 * time tolerance). One evaluation of a film at one T_i gives any set of its time
 * samples from one integration (reduce shares a trajectory along time).
 *
 *   1. coarse scan: every film at i = 0, stride, 2 stride, ..., nT - 1 (stride a
 *      power of two), all time samples;
 *   2. bisection: for each time sample j and each pair of neighbouring evaluated
 *      temperatures whose verdicts differ at j (dual switch or not, or in the
 *      refine_mask bits of the word), the midpoint at j only, keeping each half whose
 *      ends still differ, until the pair is one lattice step apart. A round batches every
 * midpoint of every film (the time samples of a (film, T) share one integration);
 *   3. inference: between two evaluated temperatures with the same verdict at j the
 *      verdict is taken to be the same (a pocket between two coarse points that fail
 *      for the same reasons is missed: the documented assumption);
 *   4. a last round evaluates the points just outside the window's four extreme
 *      sides that the search has not evaluated yet, so each side has its limit.
 *
 * The result on the lattice equals what the brute grid T_i x t_j gives wherever the
 * verdict along T changes at most once per coarse interval and time sample. */
#ifndef EXSOL_WINDOW_H
#define EXSOL_WINDOW_H

#include <stddef.h>

/* The verdict word of a point: 0 = dual switch; otherwise the caller's reason bits
 * (nonzero). EXSOL_WINDOW_UNKNOWN marks a point not evaluated. */
#define EXSOL_WINDOW_UNKNOWN 0xFFFFFFFFu

struct exsol_window_grid {
    size_t nT;         /* lattice temperatures, >= 2 */
    double T_lo, dT;   /* K: T_i = T_lo + i dT */
    size_t stride;     /* coarse stride in lattice steps, a power of two >= 1 */
    size_t nt;         /* time samples, >= 1 */
    const double *t_s; /* ascending */
    /* bits of the verdict word whose change also starts a bisection (0: only a change
     * of dual switch / not). A change of why a point fails (one constraint released,
     * another binding) can hide a dual-switch pocket between two coarse points that
     * both fail; refining those pairs finds it at the price of more points. */
    unsigned refine_mask;
};

struct exsol_window_point {
    size_t film, iT, jt;
};

/* Evaluates n points (sorted by film, then iT, then jt), writing each point's
 * verdict word to flags[k] (0 = dual switch, never EXSOL_WINDOW_UNKNOWN). Returns 0
 * or an EXSOL_* code with a message in err. */
typedef int (*exsol_window_eval_fn)(void *ctx, const struct exsol_window_point *pts, size_t n,
                                    unsigned *flags, char *err, size_t errlen);

struct exsol_window_counts {
    size_t rounds;
    size_t integrations; /* distinct (film, T) per round, summed over rounds */
    size_t points;       /* (film, T, t) points evaluated */
};

/* Checks the grid (sizes, stride a power of two, times ascending and positive,
 * finite T). EXSOL_EVALUE with a message otherwise. */
int exsol_window_grid_check(const struct exsol_window_grid *g, char *err, size_t errlen);

/* Runs steps 1, 2 and 4 for nfilm films. state[(f nT + i) nt + j] receives the
 * verdict word of every evaluated point and EXSOL_WINDOW_UNKNOWN elsewhere.
 * counts[f] (per film) and *total may be NULL. */
int exsol_window_search(const struct exsol_window_grid *g, size_t nfilm,
                        exsol_window_eval_fn eval, void *ctx, unsigned *state,
                        struct exsol_window_counts *counts, struct exsol_window_counts *total,
                        char *err, size_t errlen);

/* Step 3 for one film: dual[i nt + j] = 1 where the inferred verdict is a dual
 * switch, 0 elsewhere (state of that film: nT x nt). */
void exsol_window_infer(const struct exsol_window_grid *g, const unsigned *state,
                        unsigned char *dual);

/* Limit bit added by the summary when a side of the window is the search range
 * itself (no point outside it): the caller's reason bits must leave it free. */
#define EXSOL_WINDOW_LIMIT_RANGE (1u << 30)

/* One film's window, from its state (step 3 included). Indices are lattice
 * indices, -1 when there is no window (or no window at that T / t). */
struct exsol_window_summary {
    int has_window;
    long iT_min, jt_at_T_min; /* lowest T of the region, shortest time there */
    long iT_max, jt_at_T_max; /* highest T, shortest time there */
    long jt_min, iT_at_t_min; /* shortest time of the region, lowest T there */
    long jt_max, iT_at_t_max; /* longest time, lowest T there */
    /* the verdict words just outside each side (EXSOL_WINDOW_LIMIT_RANGE at the edge
     * of the search range); with no window, the bits every evaluated point shares
     * (or, if none is shared, the union of all) go to limit_T_low */
    unsigned limit_T_low, limit_T_high, limit_t_short, limit_t_long;
};

/* curves (may be NULL): T_min_at_t[j], T_max_at_t[j] lattice indices (-1: no
 * switch at t_j); t_min_at_T[i], t_max_at_T[i] time indices (-1: none at T_i);
 * limit_low_at_t[j], limit_high_at_t[j] the verdict words just below T_min_at_t[j]
 * and above T_max_at_t[j] (0 where there is none). */
struct exsol_window_curves {
    long *T_min_at_t, *T_max_at_t, *t_min_at_T, *t_max_at_T;
    unsigned *limit_low_at_t, *limit_high_at_t;
};

void exsol_window_summarise(const struct exsol_window_grid *g, const unsigned *state,
                            unsigned char *dual_scratch, struct exsol_window_summary *s,
                            const struct exsol_window_curves *c);

/* The gas axis (exsol-window --h2-range): bisection on log p_H2 between a gas lo at
 * which a film has no window and one hi at which it has. Returns the next gas to
 * probe, sqrt(lo hi), or 0 once hi / lo <= 1 + tol (hi is then the mildest switching
 * gas to the tolerance). */
double exsol_window_gas_next(double lo, double hi, double tol);

#endif
