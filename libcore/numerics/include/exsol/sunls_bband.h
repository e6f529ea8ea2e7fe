/* Bordered band direct linear solver (SUNLinearSolver) for Newton matrices
 * M = I − γJ of the form, with n = 2m + 1 unknowns,
 *
 *     J = B + u vᵀ + e_b rᵀ
 *
 * - B: block diagonal: two pentadiagonal blocks of m rows each, [0, m) and
 *   [m, 2m), and the 1 × 1 border block (row b = 2m) holding d = J_bb. Only the
 *   first m2 rows of the second block are active: J is zero in rows [m + m2, 2m),
 *   which are identity rows of M and are neither factored nor solved.
 * - u vᵀ: a rank-one coupling of the blocks; u has n entries with u[b] = 0, v has
 *   2m (it does not see the border unknown).
 * - e_b rᵀ: the border row's dependence on the block unknowns (r has 2m entries);
 *   no block row depends on the border unknown.
 *
 * CVODE hands the solver the SUNMatrix I − γB, which must be a pentadiagonal
 * matrix of size n (exsol/sunmat_penta.h) whose entries outside the blocks are
 * zero. setup factors it (LU without pivoting, both blocks side by side) and the
 * rank-one update by Sherman–Morrison; solve is two triangular sweeps, one
 * Sherman–Morrison correction and the elimination of the border row: O(n).
 *
 * The caller owns a struct exsol_bband_terms that the solver reads at every setup
 * (m2, u, v, and γ through the callback) and solve (v, r, d): fill it (typically in
 * the Jacobian function) before CVODE sets the solver up, and keep it and its arrays
 * alive as long as the solver. Errors: setup returns 1 (recoverable: CVODE retries
 * with a fresh Jacobian or a smaller step) when a pivot is not clearly non-zero or
 * the Sherman–Morrison denominator vanishes, and −1 when the γ callback fails;
 * solve cannot fail. exsol_bband_create returns NULL when out of memory; free the
 * solver with SUNLinSolFree. */
#ifndef EXSOL_SUNLS_BBAND_H
#define EXSOL_SUNLS_BBAND_H

#include "exsol/sundials_compat.h"

#include <stddef.h>
#include <sundials/sundials_linearsolver.h>

struct exsol_bband_terms {
    size_t m2;       /* active rows of the second block (<= m) */
    const double *u; /* [2m + 1], u[2m] = 0: the rank-one column */
    const double *v; /* [2m]: the rank-one row */
    const double *r; /* [2m]: the border row */
    double d;        /* J_bb, the border diagonal of J */
};

/* The γ of the Newton matrix being set up (CVodeGetCurrentGamma); 0 on success. */
typedef int (*exsol_bband_gamma_fn)(void *arg, double *gamma);

SUNLinearSolver exsol_bband_create(size_t m, const struct exsol_bband_terms *terms,
                                   exsol_bband_gamma_fn gamma, void *gamma_arg, SUNContext ctx);

#endif
