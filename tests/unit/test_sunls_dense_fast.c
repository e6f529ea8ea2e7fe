/* The optimised dense LU (exsol/sunls_dense_fast.h): on matrices that need row swaps
 * (a zero and a small leading pivot, a random 60 x 60) it solves A x = b to 1e-12 and
 * agrees with SUNLinSol_Dense; a singular matrix is a recoverable setup failure. */
#include "check.h"
#include "exsol/sunls_dense_fast.h"

#include <nvector/nvector_serial.h>
#include <stdlib.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

static double rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return ((*s >> 8) & 0xffff) / 65536.0 - 0.5;
}

int main(void)
{
    SUNContext ctx;
    CHECK(exsol_sun_context_create(&ctx) == 0);
    const size_t n = 60;
    SUNMatrix A = SUNDenseMatrix(n, n, ctx), A0 = SUNDenseMatrix(n, n, ctx),
              A2 = SUNDenseMatrix(n, n, ctx);
    N_Vector x = N_VNew_Serial(n, ctx), b = N_VNew_Serial(n, ctx), x2 = N_VNew_Serial(n, ctx);
    SUNLinearSolver LS = exsol_dense_fast_create(n, ctx), LR = SUNLinSol_Dense(x, A2, ctx);
    CHECK(LS && LR);
    unsigned seed = 7;
    double *a = SUNDenseMatrix_Data(A0), *bs = N_VGetArrayPointer(b);
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++)
            a[j * n + i] = rnd(&seed);
    a[0] = 0.0;       /* zero leading pivot */
    a[n + 1] = 1e-14; /* tiny second pivot */
    double xt[60];
    for (size_t i = 0; i < n; i++)
        xt[i] = rnd(&seed);
    for (size_t i = 0; i < n; i++) {
        double acc = 0.0;
        for (size_t j = 0; j < n; j++)
            acc += a[j * n + i] * xt[j];
        bs[i] = acc;
    }
    SUNMatCopy(A0, A);
    SUNMatCopy(A0, A2);
    CHECK_EQ_INT(SUNLinSolSetup(LS, A), 0);
    CHECK_EQ_INT(SUNLinSolSolve(LS, A, x, b, 0.0), 0);
    CHECK_EQ_INT(SUNLinSolSetup(LR, A2), 0);
    CHECK_EQ_INT(SUNLinSolSolve(LR, A2, x2, b, 0.0), 0);
    const double *xs = N_VGetArrayPointer(x), *xr = N_VGetArrayPointer(x2);
    double emax = 0.0, dmax = 0.0;
    for (size_t i = 0; i < n; i++) {
        emax = fmax(emax, fabs(xs[i] - xt[i]));
        dmax = fmax(dmax, fabs(xs[i] - xr[i]));
    }
    printf("dense fast LU: max error %.3g, max difference from SUNLinSol_Dense %.3g\n", emax,
           dmax);
    CHECK(emax < 1e-12);
    CHECK(dmax < 1e-12);
    /* singular: a zero column */
    double *c = SUNDenseMatrix_Data(A);
    SUNMatCopy(A0, A);
    for (size_t i = 0; i < n; i++)
        c[3 * n + i] = 0.0;
    CHECK_EQ_INT(SUNLinSolSetup(LS, A), 1);
    SUNLinSolFree(LS);
    SUNLinSolFree(LR);
    N_VDestroy(x);
    N_VDestroy(b);
    N_VDestroy(x2);
    SUNMatDestroy(A);
    SUNMatDestroy(A0);
    SUNMatDestroy(A2);
    SUNContext_Free(&ctx);
    return check_report("test_sunls_dense_fast");
}
