/* Bordered band solver of rank k (exsol/sunls_bbk.h): pentadiagonal LU of the two
 * blocks, then the coupling unknowns θ = (w, z) from a small dense system.
 *
 * With A = I − γB (factored) and a = A⁻¹ r_b, the bins are y_b = a + Q θ where the
 * columns of Q are A⁻¹(γU_j) and A⁻¹(γC_l); substituting into w = Vᵀ y_b and into
 * the border rows gives S θ = s with
 *     S = [ I − VᵀQ                       ]   s = [ Vᵀ a          ]
 *         [ [−γG, I − γE] − γ R Q         ]       [ r_z + γ R a   ]. */
#include "exsol/sunls_bbk.h"

#include "exsol/sunmat_penta.h"
#include "sunls_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KMAX EXSOL_BBK_KMAX

struct bbk {
    size_t m, nb, neq; /* block size, 2m, 2m + kz */
    const struct exsol_bbk_terms *terms;
    exsol_bbk_gamma_fn gamma;
    void *gamma_arg;
    double gamma_setup;
    double *lu; /* pentadiagonal LU of the 2m bin rows, 5 per row */
    double *q;  /* [k][2m]: the columns of Q */
    double S[KMAX * KMAX];
    int piv[KMAX];
};

/* LU without pivoting of rows [lo, hi) of the pentadiagonal a (exsol_penta_lu_row). */
static int penta_factor(double *a, size_t lo, size_t hi)
{
    for (size_t k = lo; k < hi; k++)
        if (exsol_penta_lu_row(a, k, hi))
            return 1;
    return 0;
}

static void penta_solve(const double *a, size_t lo, size_t hi, double *x)
{
    for (size_t i = lo + 1; i < hi; i++) {
        const double *ri = a + i * 5;
        x[i] -= ri[1] * x[i - 1] + (i >= lo + 2 ? ri[0] * x[i - 2] : 0.0);
    }
    for (size_t i = hi; i-- > lo;) {
        const double *ri = a + i * 5;
        double s = x[i];
        if (i + 1 < hi)
            s -= ri[3] * x[i + 1];
        if (i + 2 < hi)
            s -= ri[4] * x[i + 2];
        x[i] = s * ri[2];
    }
}

/* A⁻¹ x in place on the 2m bin unknowns (identity rows of the second block kept). */
static void blocks_solve(const struct bbk *s, double *x)
{
    penta_solve(s->lu, 0, s->m, x);
    penta_solve(s->lu, s->m, s->m + s->terms->m2, x);
}

static double dot(const double *a, const double *b, size_t n)
{
    double acc = 0.0;
    for (size_t i = 0; i < n; i++)
        acc += a[i] * b[i];
    return acc;
}

static int bk_setup(SUNLinearSolver S, SUNMatrix A)
{
    struct bbk *s = S->content;
    const struct exsol_bbk_terms *t = s->terms;
    size_t m = s->m, nb = s->nb, kf = t->kf, kz = t->kz, k = kf + kz;
    double g;
    if (s->gamma(s->gamma_arg, &g) != 0)
        return -1;
    s->gamma_setup = g;
    double *a = s->lu;
    memcpy(a, exsol_penta_data(A), 5 * nb * sizeof *a);
    /* entries outside each block (the second one's active rows) read as zero;
     * inactive rows are identity rows */
    exsol_penta_clip_block(a, 0, m);
    exsol_penta_clip_block(a, m, t->m2);
    for (size_t i = m + t->m2; i < nb; i++) {
        double *ri = a + i * 5;
        ri[0] = ri[1] = ri[3] = ri[4] = 0.0;
        ri[2] = 1.0;
    }
    if (penta_factor(a, 0, m) || penta_factor(a, m, m + t->m2))
        return 1;
    for (size_t j = 0; j < k; j++) {
        double *qj = s->q + j * nb;
        const double *src = j < kf ? t->U + j * nb : t->C + (j - kf) * nb;
        for (size_t i = 0; i < nb; i++)
            qj[i] = g * src[i];
        for (size_t i = m + t->m2; i < nb; i++)
            qj[i] = 0.0;
        blocks_solve(s, qj);
    }
    for (size_t r = 0; r < k; r++)
        for (size_t c = 0; c < k; c++) {
            const double *qc = s->q + c * nb;
            double v;
            if (r < kf) {
                v = (r == c ? 1.0 : 0.0) - dot(t->V + r * nb, qc, nb);
            } else {
                size_t l = r - kf;
                v = c < kf ? -g * t->G[l * kf + c]
                           : (l == c - kf ? 1.0 : 0.0) - g * t->E[l * kz + (c - kf)];
                v -= g * dot(t->R + l * nb, qc, nb);
            }
            s->S[r * KMAX + c] = v;
        }
    /* Gaussian elimination with partial pivoting */
    for (size_t c = 0; c < k; c++) {
        size_t p = c;
        for (size_t r = c + 1; r < k; r++)
            if (fabs(s->S[r * KMAX + c]) > fabs(s->S[p * KMAX + c]))
                p = r;
        s->piv[c] = (int)p;
        if (p != c)
            for (size_t j = 0; j < k; j++) {
                double tmp = s->S[c * KMAX + j];
                s->S[c * KMAX + j] = s->S[p * KMAX + j];
                s->S[p * KMAX + j] = tmp;
            }
        double d = s->S[c * KMAX + c];
        if (!(fabs(d) > 1e-300) || !isfinite(d))
            return 1;
        for (size_t r = c + 1; r < k; r++) {
            double l = s->S[r * KMAX + c] / d;
            s->S[r * KMAX + c] = l;
            for (size_t j = c + 1; j < k; j++)
                s->S[r * KMAX + j] -= l * s->S[c * KMAX + j];
        }
    }
    return 0;
}

static int bk_solve(SUNLinearSolver S, SUNMatrix A, N_Vector x, N_Vector b, sunrealtype tol)
{
    (void)tol;
    (void)A;
    struct bbk *s = S->content;
    const struct exsol_bbk_terms *t = s->terms;
    size_t nb = s->nb, kf = t->kf, kz = t->kz, k = kf + kz;
    double *xs = N_VGetArrayPointer(x);
    const double *bs = N_VGetArrayPointer(b);
    if (xs != bs)
        memcpy(xs, bs, s->neq * sizeof *xs);
    double g = s->gamma_setup;
    blocks_solve(s, xs); /* a = A⁻¹ r_b (inactive rows: identity) */
    double th[KMAX];
    for (size_t j = 0; j < kf; j++)
        th[j] = dot(t->V + j * nb, xs, nb);
    for (size_t l = 0; l < kz; l++)
        th[kf + l] = xs[nb + l] + g * dot(t->R + l * nb, xs, nb);
    for (size_t c = 0; c < k; c++) { /* forward, with the row swaps */
        size_t p = (size_t)s->piv[c];
        if (p != c) {
            double tmp = th[c];
            th[c] = th[p];
            th[p] = tmp;
        }
        for (size_t r = c + 1; r < k; r++)
            th[r] -= s->S[r * KMAX + c] * th[c];
    }
    for (size_t r = k; r-- > 0;) {
        double v = th[r];
        for (size_t j = r + 1; j < k; j++)
            v -= s->S[r * KMAX + j] * th[j];
        th[r] = v / s->S[r * KMAX + r];
    }
    for (size_t j = 0; j < k; j++) {
        const double *qj = s->q + j * nb;
        for (size_t i = 0; i < nb; i++)
            xs[i] += qj[i] * th[j];
    }
    for (size_t l = 0; l < kz; l++)
        xs[nb + l] = th[kf + l];
    return 0;
}

static int bk_free(SUNLinearSolver S)
{
    if (!S)
        return 0;
    struct bbk *s = S->content;
    if (s) {
        free(s->lu);
        free(s->q);
        free(s);
    }
    S->content = NULL;
    SUNLinSolFreeEmpty(S);
    return 0;
}

SUNLinearSolver exsol_bbk_create(size_t m, const struct exsol_bbk_terms *terms,
                                 exsol_bbk_gamma_fn gamma, void *gamma_arg, SUNContext ctx)
{
    if (terms->kf + terms->kz > KMAX || m == 0)
        return NULL;
    SUNLinearSolver S =
        exsol_sunls_direct_new(ctx, sizeof(struct bbk), bk_setup, bk_solve, bk_free);
    if (!S)
        return NULL;
    struct bbk *s = S->content;
    s->m = m;
    s->nb = 2 * m;
    s->neq = 2 * m + terms->kz;
    s->terms = terms;
    s->gamma = gamma;
    s->gamma_arg = gamma_arg;
    s->lu = calloc(5 * s->nb, sizeof(double));
    s->q = calloc(KMAX * s->nb, sizeof(double));
    if (!s->lu || !s->q) {
        bk_free(S);
        return NULL;
    }
    return S;
}
