/* The rank-k bordered-band solver (exsol/sunls_bbk.h): on a random matrix of its
 * structure (two pentadiagonal blocks of 7 rows, the second active in 5, a rank-2
 * coupling, 3 border unknowns with their columns, rows and block) it solves
 * (I − γJ) x = b to 1e-12 against the dense product; the inactive rows are identity
 * rows; a zero pivot is a recoverable setup failure. */
#include "check.h"
#include "exsol/sunls_bbk.h"
#include "exsol/sunmat_penta.h"

#include <math.h>
#include <nvector/nvector_serial.h>
#include <stdlib.h>
#include <string.h>

#define M 7
#define M2 5
#define NB (2 * M)
#define KF 2
#define KZ 3
#define N (NB + KZ)

static double rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return ((*s >> 8) & 0xffff) / 65536.0 - 0.5;
}

static const double GAMMA = 0.37;

static int gamma_fn(void *arg, double *g)
{
    (void)arg;
    *g = GAMMA;
    return 0;
}

static int active(size_t i)
{
    return i < M || i < M + M2;
}

int main(void)
{
    SUNContext ctx;
    CHECK(exsol_sun_context_create(&ctx) == 0);
    unsigned seed = 11;
    double B[NB][NB] = {{0}}, U[KF][NB] = {{0}}, V[KF][NB] = {{0}}, C[KZ][NB] = {{0}},
           R[KZ][NB] = {{0}}, G[KZ][KF], E[KZ][KZ];
    for (size_t i = 0; i < NB; i++) {
        if (!active(i))
            continue;
        size_t lo = i < M ? 0 : M, hi = i < M ? M : M + M2;
        for (size_t j = lo; j < hi; j++)
            if ((i > j ? i - j : j - i) <= 2)
                B[i][j] = rnd(&seed) + (i == j ? -2.0 : 0.0);
        for (size_t k = 0; k < KF; k++) {
            U[k][i] = rnd(&seed);
            V[k][i] = rnd(&seed);
        }
        for (size_t l = 0; l < KZ; l++) {
            C[l][i] = rnd(&seed);
            R[l][i] = rnd(&seed);
        }
    }
    for (size_t l = 0; l < KZ; l++) {
        for (size_t k = 0; k < KF; k++)
            G[l][k] = rnd(&seed);
        for (size_t k = 0; k < KZ; k++)
            E[l][k] = rnd(&seed) + (l == k ? -1.0 : 0.0);
    }
    /* dense M = I − γJ */
    double Md[N][N];
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++) {
            double J = 0.0;
            if (i < NB && j < NB) {
                J = B[i][j];
                for (size_t k = 0; k < KF; k++)
                    J += U[k][i] * V[k][j];
            } else if (i < NB) {
                J = C[j - NB][i];
            } else if (j < NB) {
                J = R[i - NB][j];
                for (size_t k = 0; k < KF; k++)
                    J += G[i - NB][k] * V[k][j];
            } else {
                J = E[i - NB][j - NB];
            }
            Md[i][j] = (i == j ? 1.0 : 0.0) - GAMMA * J;
        }
    double xt[N], bv[N];
    for (size_t i = 0; i < N; i++)
        xt[i] = rnd(&seed);
    for (size_t i = 0; i < N; i++) {
        bv[i] = 0.0;
        for (size_t j = 0; j < N; j++)
            bv[i] += Md[i][j] * xt[j];
    }
    SUNMatrix A = exsol_penta_create(N, ctx);
    N_Vector x = N_VNew_Serial(N, ctx), b = N_VNew_Serial(N, ctx);
    CHECK(A && x && b);
    for (size_t i = 0; i < NB; i++)
        for (size_t j = (i >= 2 ? i - 2 : 0); j <= i + 2 && j < NB; j++)
            exsol_penta_add(A, i, j, (i == j ? 1.0 : 0.0) - GAMMA * B[i][j]);
    struct exsol_bbk_terms t = {.m2 = M2,
                                .kf = KF,
                                .kz = KZ,
                                .U = &U[0][0],
                                .V = &V[0][0],
                                .C = &C[0][0],
                                .R = &R[0][0],
                                .G = &G[0][0],
                                .E = &E[0][0]};
    SUNLinearSolver LS = exsol_bbk_create(M, &t, gamma_fn, NULL, ctx);
    CHECK(LS != NULL);
    memcpy(N_VGetArrayPointer(b), bv, sizeof bv);
    CHECK_EQ_INT(SUNLinSolSetup(LS, A), 0);
    CHECK_EQ_INT(SUNLinSolSolve(LS, A, x, b, 0.0), 0);
    const double *xs = N_VGetArrayPointer(x);
    double emax = 0.0;
    for (size_t i = 0; i < N; i++)
        emax = fmax(emax, fabs(xs[i] - xt[i]));
    printf("bordered band rank %d + %d: max error %.3g\n", KF, KZ, emax);
    CHECK(emax < 1e-12);
    /* in place (x = b) gives the same */
    memcpy(N_VGetArrayPointer(b), bv, sizeof bv);
    CHECK_EQ_INT(SUNLinSolSolve(LS, A, b, b, 0.0), 0);
    CHECK(fabs(N_VGetArrayPointer(b)[3] - xt[3]) < 1e-12);
    /* a zero pivot in the first block: recoverable */
    *exsol_penta_at(A, 0, 0) = 0.0;
    *exsol_penta_at(A, 0, 1) = 0.0;
    *exsol_penta_at(A, 0, 2) = 0.0;
    CHECK_EQ_INT(SUNLinSolSetup(LS, A), 1);
    /* too many coupling unknowns */
    struct exsol_bbk_terms big = t;
    big.kz = EXSOL_BBK_KMAX;
    CHECK(exsol_bbk_create(M, &big, gamma_fn, NULL, ctx) == NULL);
    SUNLinSolFree(LS);
    N_VDestroy(x);
    N_VDestroy(b);
    SUNMatDestroy(A);
    SUNContext_Free(&ctx);
    return check_report("test_sunls_bbk");
}
