/* Dense LU with partial pivoting for SUNDenseMatrix (exsol/sunls_dense_fast.h). */
#include "exsol/sunls_dense_fast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sunmatrix/sunmatrix_dense.h>

struct dfast {
    size_t n;
    size_t *piv;
};

static SUNLinearSolver_Type dfs_gettype(SUNLinearSolver S)
{
    (void)S;
    return SUNLINEARSOLVER_DIRECT;
}

static SUNLinearSolver_ID dfs_getid(SUNLinearSolver S)
{
    (void)S;
    return SUNLINEARSOLVER_CUSTOM;
}

static int dfs_initialize(SUNLinearSolver S)
{
    (void)S;
    return 0;
}

/* In place: A = P L U, column-major a[j*n + i]; the pivot row of column k in piv[k]. */
static int dfs_setup(SUNLinearSolver S, SUNMatrix A)
{
    struct dfast *s = S->content;
    size_t n = s->n;
    double *a = SUNDenseMatrix_Data(A);
    for (size_t k = 0; k < n; k++) {
        double *ck = a + k * n;
        size_t p = k;
        double best = fabs(ck[k]);
        for (size_t i = k + 1; i < n; i++)
            if (fabs(ck[i]) > best) {
                best = fabs(ck[i]);
                p = i;
            }
        s->piv[k] = p;
        if (!(best > 0.0))
            return 1;
        if (p != k)
            for (size_t j = 0; j < n; j++) {
                double *cj = a + j * n, t = cj[k];
                cj[k] = cj[p];
                cj[p] = t;
            }
        double inv = 1.0 / ck[k];
        for (size_t i = k + 1; i < n; i++)
            ck[i] *= inv;
        for (size_t j = k + 1; j < n; j++) {
            double *cj = a + j * n, akj = cj[k];
            if (akj == 0.0)
                continue;
            for (size_t i = k + 1; i < n; i++)
                cj[i] -= ck[i] * akj;
        }
    }
    return 0;
}

static int dfs_solve(SUNLinearSolver S, SUNMatrix A, N_Vector x, N_Vector b, sunrealtype tol)
{
    (void)tol;
    struct dfast *s = S->content;
    size_t n = s->n;
    const double *a = SUNDenseMatrix_Data(A);
    double *xs = N_VGetArrayPointer(x);
    const double *bs = N_VGetArrayPointer(b);
    if (xs != bs)
        memcpy(xs, bs, n * sizeof *xs);
    /* the rows were swapped across every column (L included): P b first, then L */
    for (size_t k = 0; k < n; k++) {
        size_t p = s->piv[k];
        if (p != k) {
            double t = xs[k];
            xs[k] = xs[p];
            xs[p] = t;
        }
    }
    for (size_t k = 0; k < n; k++) { /* L (unit diagonal) by columns */
        const double *ck = a + k * n;
        double xk = xs[k];
        if (xk != 0.0)
            for (size_t i = k + 1; i < n; i++)
                xs[i] -= ck[i] * xk;
    }
    for (size_t k = n; k-- > 0;) { /* U by columns */
        const double *ck = a + k * n;
        xs[k] /= ck[k];
        double xk = xs[k];
        if (xk != 0.0)
            for (size_t i = 0; i < k; i++)
                xs[i] -= ck[i] * xk;
    }
    return 0;
}

static sunindextype dfs_lastflag(SUNLinearSolver S)
{
    (void)S;
    return 0;
}

static int dfs_free(SUNLinearSolver S)
{
    if (!S)
        return 0;
    struct dfast *s = S->content;
    if (s) {
        free(s->piv);
        free(s);
    }
    S->content = NULL;
    SUNLinSolFreeEmpty(S);
    return 0;
}

SUNLinearSolver exsol_dense_fast_create(size_t n, SUNContext ctx)
{
    SUNLinearSolver S = SUNLinSolNewEmpty(ctx);
    if (!S)
        return NULL;
    struct dfast *s = calloc(1, sizeof *s);
    if (!s) {
        SUNLinSolFreeEmpty(S);
        return NULL;
    }
    S->content = s;
    S->ops->gettype = dfs_gettype;
    S->ops->getid = dfs_getid;
    S->ops->initialize = dfs_initialize;
    S->ops->setup = dfs_setup;
    S->ops->solve = dfs_solve;
    S->ops->lastflag = dfs_lastflag;
    S->ops->free = dfs_free;
    s->n = n;
    if (!(s->piv = calloc(n ? n : 1, sizeof *s->piv))) {
        dfs_free(S);
        return NULL;
    }
    return S;
}
