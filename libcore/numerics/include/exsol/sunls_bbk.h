/* Bordered band direct linear solver of rank k (SUNLinearSolver), for Newton
 * matrices M = I − γJ with n = 2m + kz unknowns: the bins of two populations,
 * y_b = y[0 .. 2m), and kz border unknowns z = y[2m .. 2m + kz), with
 *
 *     J = [ B + U Vᵀ   C ]      B: two pentadiagonal blocks, rows [0, m) and
 *         [ R + G Vᵀ   E ]         [m, 2m), the second active in [m, m + m2) only
 *                                  (its other rows are identity rows of M);
 *                                  U, V: 2m × kf (a rank-kf coupling through kf
 *                                  functionals w = Vᵀ y_b, e.g. metal fractions);
 *                                  C: 2m × kz; R: kz × 2m; G: kz × kf; E: kz × kz.
 *
 * The exsol_bband solver is the case kf = 1, kz = 1, C = 0, G = 0. CVODE hands the
 * solver I − γB as a pentadiagonal SUNMatrix of size n (exsol/sunmat_penta.h; its
 * border rows and the entries outside the blocks are ignored). setup factors the
 * blocks (LU without pivoting), solves for the kf + kz coupling columns and factors
 * the (kf + kz)² system of the coupling unknowns (w, z) by Gaussian elimination with
 * partial pivoting; solve is one block solve and O(n (kf + kz)) more work.
 *
 * The caller owns the terms and their arrays (row-major: U[j][i] is U_ij stored at
 * U[j * 2m + i], i.e. one row per column of U; likewise V, and C[l * 2m + i] for
 * column l; R[l * 2m + i]; G[l * kf + j]; E[l * kz + l']), fills them before CVODE
 * sets the solver up (typically in the Jacobian function) and keeps them alive as
 * long as the solver. kf + kz <= EXSOL_BBK_KMAX. Errors: setup returns 1
 * (recoverable) for a pivot that is not clearly non-zero, −1 when the γ callback
 * fails; solve cannot fail. exsol_bbk_create returns NULL when out of memory or
 * for kf + kz > EXSOL_BBK_KMAX; free the solver with SUNLinSolFree. */
#ifndef EXSOL_SUNLS_BBK_H
#define EXSOL_SUNLS_BBK_H

#include "exsol/sundials_compat.h"

#include <stddef.h>
#include <sundials/sundials_linearsolver.h>

#define EXSOL_BBK_KMAX 8

struct exsol_bbk_terms {
    size_t m2;           /* active rows of the second block (<= m) */
    size_t kf, kz;       /* rank of the coupling; border unknowns */
    const double *U, *V; /* [kf][2m] */
    const double *C, *R; /* [kz][2m] */
    const double *G, *E; /* [kz][kf], [kz][kz] */
};

typedef int (*exsol_bbk_gamma_fn)(void *arg, double *gamma);

SUNLinearSolver exsol_bbk_create(size_t m, const struct exsol_bbk_terms *terms,
                                 exsol_bbk_gamma_fn gamma, void *gamma_arg, SUNContext ctx);

#endif
