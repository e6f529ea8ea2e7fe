/* What the bordered-band direct solvers (sunls_bband.c, sunls_bbk.c) share: the
 * SUNLinearSolver scaffolding of a direct solver, and the LU without pivoting of one row
 * of a pentadiagonal block (numerics layer only). */
#ifndef EXSOL_SUNLS_INTERNAL_H
#define EXSOL_SUNLS_INTERNAL_H

#include "exsol/sundials_compat.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <sundials/sundials_linearsolver.h>

static inline SUNLinearSolver_Type exsol_sunls_direct_type(SUNLinearSolver S)
{
    (void)S;
    return SUNLINEARSOLVER_DIRECT;
}

static inline SUNLinearSolver_ID exsol_sunls_custom_id(SUNLinearSolver S)
{
    (void)S;
    return SUNLINEARSOLVER_CUSTOM;
}

static inline int exsol_sunls_no_init(SUNLinearSolver S)
{
    (void)S;
    return 0;
}

static inline sunindextype exsol_sunls_no_flag(SUNLinearSolver S)
{
    (void)S;
    return 0;
}

/* A direct SUNLinearSolver with a zeroed content of `size` bytes and the given setup,
 * solve and free (free must accept a solver whose content arrays are NULL). NULL when
 * out of memory. */
static inline SUNLinearSolver exsol_sunls_direct_new(
    SUNContext ctx, size_t size, int (*setup)(SUNLinearSolver, SUNMatrix),
    int (*solve)(SUNLinearSolver, SUNMatrix, N_Vector, N_Vector, sunrealtype),
    int (*free_fn)(SUNLinearSolver))
{
    SUNLinearSolver S = SUNLinSolNewEmpty(ctx);
    if (!S)
        return NULL;
    if (!(S->content = calloc(1, size))) {
        SUNLinSolFreeEmpty(S);
        return NULL;
    }
    S->ops->gettype = exsol_sunls_direct_type;
    S->ops->getid = exsol_sunls_custom_id;
    S->ops->initialize = exsol_sunls_no_init;
    S->ops->setup = setup;
    S->ops->solve = solve;
    S->ops->lastflag = exsol_sunls_no_flag;
    S->ops->free = free_fn;
    return S;
}

/* Row k of the LU without pivoting of the pentadiagonal rows [.., end) stored 5 per row
 * (offsets -2..+2; the diagonal keeps the reciprocal pivot). 1 for a pivot that is not
 * clearly non-zero (a recoverable setup failure for CVODE). */
static inline int exsol_penta_lu_row(double *a, size_t k, size_t end)
{
    double *rk = a + k * 5;
    double piv = rk[2];
    double scale = fabs(rk[3]) + fabs(rk[4]) + fabs(piv);
    if (!(fabs(piv) > 1e-13 * scale) || !isfinite(piv))
        return 1;
    double rp = 1.0 / piv;
    if (k + 2 < end) { /* interior row: both rows below */
        double *r1 = rk + 5, *r2 = rk + 10;
        double l1 = r1[1] * rp, l2 = r2[0] * rp;
        r1[1] = l1;
        r1[2] -= l1 * rk[3];
        r1[3] -= l1 * rk[4];
        r2[0] = l2;
        r2[1] -= l2 * rk[3];
        r2[2] -= l2 * rk[4];
        rk[2] = rp;
        return 0;
    }
    for (size_t i = k + 1; i <= k + 2 && i < end; i++) {
        double *ri = a + i * 5;
        size_t dk = k + 2 - i; /* column k in row i */
        double l = ri[dk] * rp;
        ri[dk] = l;
        for (size_t j = k + 1; j <= k + 2 && j < end; j++)
            ri[j + 2 - i] -= l * rk[j + 2 - k];
    }
    rk[2] = rp;
    return 0;
}

/* Zeroes the entries of the n rows [lo, lo + n) that fall outside them (a block of a
 * block-diagonal pentadiagonal matrix). */
static inline void exsol_penta_clip_block(double *a, size_t lo, size_t n)
{
    if (n == 0)
        return;
    double *r0 = a + lo * 5, *rl = a + (lo + n - 1) * 5;
    r0[0] = r0[1] = 0.0;
    rl[3] = rl[4] = 0.0;
    if (n >= 2) {
        r0[5] = 0.0;       /* row lo + 1, column lo − 1 */
        (rl - 5)[4] = 0.0; /* row lo + n − 2, column lo + n */
    }
}

#endif
