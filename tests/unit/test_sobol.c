/* Unit tests for exsol/sobol.h: the Saltelli estimators on the Ishigami function
 * (Ishigami & Homma 1990; a = 7, b = 0.1, x ~ U(-pi, pi)^3), whose indices are known in
 * closed form: S = 0.3139, 0.4424, 0 and ST = 0.5576, 0.4424, 0.2437; an additive
 * function (S = ST); a constant (NaN, not a division by zero); failed members (NaN)
 * left out. Family-level values (exsol_sobol_family_values): a family of identical
 * copies of one row has that row's indices, bit for bit; an input that enters none of
 * the family's rows has a total index of exactly 0 at the family level. */
#include "check.h"
#include "exsol/sobol.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static uint64_t state = 88172645463325252ULL;
static double unif(void) /* xorshift64*, in (0, 1) */
{
    state ^= state >> 12, state ^= state << 25, state ^= state >> 27;
    return ((double)((state * 2685821657736338717ULL) >> 11) + 0.5) * 0x1.0p-53;
}

static double ishigami(const double *x)
{
    return sin(x[0]) + 7.0 * sin(x[1]) * sin(x[1]) + 0.1 * pow(x[2], 4) * sin(x[0]);
}

static double additive(const double *x)
{
    return x[0] + 2.0 * x[1] + 0.0 * x[2]; /* S = ST = 1/5, 4/5, 0 for U inputs */
}

static void design(size_t n, double (*f)(const double *), double *out, int scale_pi)
{
    enum { K = 3 };
    double *A = malloc(n * K * sizeof *A), *B = malloc(n * K * sizeof *B);
    for (size_t j = 0; j < n * K; j++) {
        A[j] = scale_pi ? 3.14159265358979323846 * (2 * unif() - 1) : unif();
        B[j] = scale_pi ? 3.14159265358979323846 * (2 * unif() - 1) : unif();
    }
    for (size_t j = 0; j < n; j++) {
        out[j] = f(A + j * K);
        out[n + j] = f(B + j * K);
        for (size_t i = 0; i < K; i++) {
            double x[K];
            for (size_t c = 0; c < K; c++)
                x[c] = c == i ? B[j * K + c] : A[j * K + c];
            out[(2 + i) * n + j] = f(x);
        }
    }
    free(A), free(B);
}

/* Three "rows" on one 4-input design, member-major f[m * 3 + r]: rows 0 and 1 the
 * Ishigami function, row 2 an additive one; x[3] enters no row. */
static void design_rows(size_t n, double *out)
{
    enum { K = 4, R = 3 };
    double *A = malloc(n * K * sizeof *A), *B = malloc(n * K * sizeof *B);
    for (size_t j = 0; j < n * K; j++) {
        A[j] = 3.14159265358979323846 * (2 * unif() - 1);
        B[j] = 3.14159265358979323846 * (2 * unif() - 1);
    }
    for (size_t m = 0; m < n * (K + 2); m++) {
        size_t blk = m / n, j = m % n;
        double x[K];
        for (size_t c = 0; c < K; c++)
            x[c] = blk == 1 || (blk >= 2 && c == blk - 2) ? B[j * K + c] : A[j * K + c];
        out[m * R + 0] = out[m * R + 1] = ishigami(x);
        out[m * R + 2] = x[0] + 2.0 * x[1] + x[2] * x[2];
    }
    free(A), free(B);
}

static void family_tests(void)
{
    enum { K = 4, R = 3 };
    const size_t n = 4000, nm = n * (K + 2);
    double *f = malloc(nm * R * sizeof *f), *g = malloc(nm * sizeof *g), buf[R];
    double S[K], T[K], Sf[K], Tf[K];
    design_rows(n, f);
    exsol_sobol_indices(n, K, f, R, S, T); /* row 0 alone */
    const size_t copies[2] = {0, 1}, all[3] = {0, 1, 2};
    for (int agg = 0; agg < 2; agg++) {
        exsol_sobol_family_values(nm, f, R, copies, 2,
                                  agg ? EXSOL_SOBOL_MEDIAN : EXSOL_SOBOL_MEAN, g, buf);
        exsol_sobol_indices(n, K, g, 1, Sf, Tf);
        for (size_t i = 0; i < K; i++)
            CHECK(Sf[i] == S[i] && Tf[i] == T[i]); /* identical copies: the row's indices */
        exsol_sobol_family_values(nm, f, R, all, 3, agg ? EXSOL_SOBOL_MEDIAN : EXSOL_SOBOL_MEAN,
                                  g, buf);
        exsol_sobol_indices(n, K, g, 1, Sf, Tf);
        CHECK(Tf[3] == 0.0 && Sf[3] == 0.0); /* enters no row: exactly 0 for the family */
        CHECK(Tf[0] > 0.1 && Tf[1] > 0.1 && isfinite(Tf[2]));
    }
    CHECK(T[3] == 0.0);
    /* a failed row is left out of the family's value; all failed: NaN */
    double h[2 * R] = {1, NAN, 3, NAN, NAN, NAN};
    const size_t two[2] = {0, 2};
    exsol_sobol_family_values(2, h, R, all, 3, EXSOL_SOBOL_MEAN, g, buf);
    CHECK(g[0] == 2.0 && isnan(g[1]));
    exsol_sobol_family_values(2, h, R, two, 2, EXSOL_SOBOL_MEDIAN, g, buf);
    CHECK(g[0] == 2.0 && isnan(g[1])); /* median of an even count: the mid-point */
    double u[3] = {5, 1, 4};
    exsol_sobol_family_values(1, u, 3, all, 3, EXSOL_SOBOL_MEDIAN, g, buf);
    CHECK(g[0] == 4.0);
    free(f), free(g);
}

int main(void)
{
    family_tests();
    const size_t n = 40000;
    double *f = malloc(n * 5 * sizeof *f), S[3], T[3];
    design(n, ishigami, f, 1);
    exsol_sobol_indices(n, 3, f, 1, S, T);
    CHECK_CLOSE(S[0], 0.3139, 0, 0.03);
    CHECK_CLOSE(S[1], 0.4424, 0, 0.03);
    CHECK_CLOSE(S[2], 0.0, 0, 0.03);
    CHECK_CLOSE(T[0], 0.5576, 0, 0.03);
    CHECK_CLOSE(T[1], 0.4424, 0, 0.03);
    CHECK_CLOSE(T[2], 0.2437, 0, 0.03);
    design(n, additive, f, 0);
    exsol_sobol_indices(n, 3, f, 1, S, T);
    CHECK_CLOSE(S[0], 0.2, 0, 0.02);
    CHECK_CLOSE(S[1], 0.8, 0, 0.02);
    CHECK_CLOSE(T[0], 0.2, 0, 0.02);
    CHECK_CLOSE(T[1], 0.8, 0, 0.02);
    CHECK(T[2] == 0.0); /* the input that does not enter: exactly zero */
    /* failed members: NaN in every tenth value changes little */
    for (size_t m = 0; m < 5 * n; m += 10)
        f[m] = NAN;
    exsol_sobol_indices(n, 3, f, 1, S, T);
    CHECK_CLOSE(T[1], 0.8, 0, 0.03);
    CHECK(isfinite(S[0]) && isfinite(T[0]));
    /* a constant output: no variance, no index */
    for (size_t m = 0; m < 5 * n; m++)
        f[m] = 3.0;
    exsol_sobol_indices(n, 3, f, 1, S, T);
    CHECK(isnan(S[0]) && isnan(T[2]));
    free(f);
    return check_report("test_sobol");
}
