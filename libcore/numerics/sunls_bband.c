/* Bordered band linear solver (exsol/sunls_bband.h): pentadiagonal LU of the two
 * blocks, Sherman–Morrison for the rank-one coupling, block elimination of the
 * border row. */
#include "exsol/sunls_bband.h"

#include "exsol/sunmat_penta.h"
#include "sunls_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct bband {
    size_t nb, neq;                        /* m and n = 2m + 1 */
    const struct exsol_bband_terms *terms; /* not owned */
    exsol_bband_gamma_fn gamma;
    void *gamma_arg;
    double gamma_setup, denom;
    double *z;  /* (I − γB)⁻¹ u [n] */
    double *lu; /* pentadiagonal LU factors, 5 per row */
};

/* LU of the pentadiagonal Newton matrix without pivoting, in s->lu (row i, offsets
 * -2..+2; the diagonal holds the reciprocal pivot after factoring). I − γJ of the
 * advection is column diagonally dominant for the upwind part; a pivot that is
 * not clearly non-zero is reported as a recoverable failure (CVODE then retries
 * with a fresh Jacobian or a smaller step).
 *
 * The matrix is block diagonal: surface bins [0, nb), buried bins [nb, 2nb) and
 * the border row 2nb (its coupling is handled in bls_solve). The two
 * population blocks are factored and solved side by side, row i of one with row
 * i of the other, so that their two dependency chains (a recurrence per row)
 * overlap in the processor instead of running one after the other (fstep); the
 * last rows of each block and the border row go through exsol_penta_lu_row
 * (sunls_internal.h). */

/* Interior elimination step of one block (row k with k + 2 inside the block),
 * with the entries of rows k and k+1 that earlier steps modified carried in
 * registers: d, u of row k; c, d, u of row k+1. Same operations, in the same
 * order, as exsol_penta_lu_row. */
struct fstate {
    double dk, uk, ck1, dk1, uk1;
};

static void fstate_load(const double *a, size_t k, struct fstate *f)
{
    f->dk = a[k * 5 + 2];
    f->uk = a[k * 5 + 3];
    f->ck1 = a[k * 5 + 6];
    f->dk1 = a[k * 5 + 7];
    f->uk1 = a[k * 5 + 8];
}

static void fstate_store(double *a, size_t k, const struct fstate *f)
{
    a[k * 5 + 2] = f->dk;
    a[k * 5 + 3] = f->uk;
    a[k * 5 + 6] = f->ck1;
    a[k * 5 + 7] = f->dk1;
    a[k * 5 + 8] = f->uk1;
}

static inline int fstep(double *a, size_t k, struct fstate *f)
{
    double *rk = a + k * 5, *r1 = rk + 5, *r2 = rk + 10;
    double piv = f->dk, vk = rk[4];
    double scale = fabs(f->uk) + fabs(vk) + fabs(piv);
    if (!(fabs(piv) > 1e-13 * scale) || !isfinite(piv))
        return 1;
    double rp = 1.0 / piv;
    double l1 = f->ck1 * rp, l2 = r2[0] * rp;
    double dk1 = f->dk1 - l1 * f->uk, uk1 = f->uk1 - l1 * vk;
    double c2 = r2[1] - l2 * f->uk, d2 = r2[2] - l2 * vk;
    r1[1] = l1;
    r2[0] = l2;
    rk[2] = rp;
    rk[3] = f->uk;
    f->dk = dk1;
    f->uk = uk1;
    f->ck1 = c2;
    f->dk1 = d2;
    f->uk1 = r2[3];
    return 0;
}

static int band_factor(struct bband *s, SUNMatrix A)
{
    size_t n = s->neq, nb = s->nb;
    double *a = s->lu;
    memcpy(a, exsol_penta_data(A), 5 * n * sizeof *a);
    /* entries outside each block read as zero (the Jacobian has none there) */
    exsol_penta_clip_block(a, 0, nb);
    exsol_penta_clip_block(a, nb, nb);
    double *ro = a + (n - 1) * 5;
    ro[0] = ro[1] = ro[3] = ro[4] = 0.0;
    /* rows of the second block from m2 on are identity rows: not factored */
    size_t kc = s->terms->m2;
    double *b = a + nb * 5;
    struct fstate fa = {0, 0, 0, 0, 0}, fb = {0, 0, 0, 0, 0};
    /* interior rows of both blocks side by side (two independent chains) */
    size_t ka = 0, kb = 0;
    if (nb >= 3)
        fstate_load(a, 0, &fa);
    if (kc >= 3)
        fstate_load(b, 0, &fb);
    for (; ka + 2 < nb; ka++) {
        if (fstep(a, ka, &fa))
            return 1;
        if (kb + 2 < kc) {
            if (fstep(b, kb, &fb))
                return 1;
            kb++;
        }
    }
    if (ka > 0)
        fstate_store(a, ka, &fa);
    if (kb > 0)
        fstate_store(b, kb, &fb);
    /* the last two rows of each block, and the border row */
    for (; ka < nb; ka++)
        if (exsol_penta_lu_row(a, ka, nb))
            return 1;
    for (; kb < kc; kb++)
        if (exsol_penta_lu_row(b, kb, kc))
            return 1;
    return exsol_penta_lu_row(a, n - 1, n);
}

/* Forward and back substitution. The recurrences carry the last two unknowns of
 * each block in local variables, so that the dependency chain runs through
 * registers rather than through a store and a reload of x. */
static void band_solve(const struct bband *s, double *x)
{
    size_t nb = s->nb, kc = s->terms->m2;
    const double *a = s->lu, *b = a + nb * 5;
    double *y = x + nb; /* second block; its rows from m2 on are identity rows */
    double x1 = x[0], x2 = 0.0, y1 = y[0], y2 = 0.0;
    for (size_t i = 1; i < nb; i++) {
        const double *ri = a + i * 5;
        double xi = x[i] - ri[1] * x1 - ri[0] * x2; /* ri[0] = 0 in row 1 */
        x[i] = xi;
        x2 = x1;
        x1 = xi;
        if (i < kc) {
            const double *bi = b + i * 5;
            double yi = y[i] - bi[1] * y1 - bi[0] * y2;
            y[i] = yi;
            y2 = y1;
            y1 = yi;
        }
    }
    x1 = x2 = y1 = y2 = 0.0; /* x[i+1], x[i+2] (zero beyond the block) */
    for (size_t ii = nb; ii-- > 0;) {
        const double *ri = a + ii * 5;
        double xi = (x[ii] - ri[3] * x1 - ri[4] * x2) * ri[2];
        x[ii] = xi;
        x2 = x1;
        x1 = xi;
        if (ii < kc) {
            const double *bi = b + ii * 5;
            double yi = (y[ii] - bi[3] * y1 - bi[4] * y2) * bi[2];
            y[ii] = yi;
            y2 = y1;
            y1 = yi;
        }
    }
    x[2 * nb] *= a[2 * nb * 5 + 2];
}

static int bls_setup(SUNLinearSolver S, SUNMatrix A)
{
    struct bband *s = S->content;
    double g;
    if (s->gamma(s->gamma_arg, &g) != 0)
        return -1;
    s->gamma_setup = g;
    int r = band_factor(s, A);
    if (r != 0)
        return r;
    double *z = s->z;
    memcpy(z, s->terms->u, s->neq * sizeof *z);
    band_solve(s, z);
    const double *vrow = s->terms->v;
    double vz = 0.0;
    for (size_t i = 0; i < 2 * s->nb; i++)
        vz += vrow[i] * z[i];
    s->denom = 1.0 - g * vz;
    if (!(fabs(s->denom) > 1e-300))
        return 1; /* recoverable: CVODE retries with a fresh Jacobian / smaller step */
    return 0;
}

static int bls_solve(SUNLinearSolver S, SUNMatrix A, N_Vector x, N_Vector b, sunrealtype tol)
{
    (void)tol;
    (void)A;
    struct bband *s = S->content;
    double *xs = N_VGetArrayPointer(x);
    const double *bs = N_VGetArrayPointer(b);
    if (xs != bs)
        memcpy(xs, bs, s->neq * sizeof *xs);
    band_solve(s, xs);
    const double *z = s->z;
    const double *vrow = s->terms->v, *rrow = s->terms->r;
    size_t nq = 2 * s->nb;
    double g = s->gamma_setup;
    double vx = 0.0;
    for (size_t i = 0; i < nq; i++)
        vx += vrow[i] * xs[i];
    double c = g * vx / s->denom;
    for (size_t i = 0; i < nq; i++)
        xs[i] += c * z[i];
    double rx = 0.0;
    for (size_t i = 0; i < nq; i++)
        rx += rrow[i] * xs[i];
    xs[nq] += g * rx / (1.0 - g * s->terms->d);
    return 0;
}

static int bls_free(SUNLinearSolver S)
{
    if (!S)
        return 0;
    struct bband *s = S->content;
    if (s) {
        free(s->z);
        free(s->lu);
        free(s);
    }
    S->content = NULL;
    SUNLinSolFreeEmpty(S);
    return 0;
}

SUNLinearSolver exsol_bband_create(size_t m, const struct exsol_bband_terms *terms,
                                   exsol_bband_gamma_fn gamma, void *gamma_arg, SUNContext ctx)
{
    SUNLinearSolver S =
        exsol_sunls_direct_new(ctx, sizeof(struct bband), bls_setup, bls_solve, bls_free);
    if (!S)
        return NULL;
    struct bband *s = S->content;
    s->nb = m;
    s->neq = 2 * m + 1;
    s->terms = terms;
    s->gamma = gamma;
    s->gamma_arg = gamma_arg;
    s->z = calloc(s->neq, sizeof(double));
    s->lu = calloc(5 * s->neq, sizeof(double));
    if (!s->z || !s->lu) {
        bls_free(S);
        return NULL;
    }
    return S;
}
