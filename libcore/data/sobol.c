/* Sobol indices from a Saltelli design (exsol/sobol.h). */
#include "exsol/sobol.h"

#include "exsol/members.h"

#include <math.h>
#include <stdlib.h>

void exsol_sobol_indices(size_t n, size_t k, const double *f, size_t stride, double *S1,
                         double *ST)
{
#define F(m) f[(m)*stride]
    /* V over the pooled finite f(A), f(B) (two-pass for accuracy) */
    double sum = 0, var = 0;
    size_t cnt = 0;
    for (size_t m = 0; m < 2 * n; m++)
        if (isfinite(F(m)))
            sum += F(m), cnt++;
    double mean = cnt ? sum / (double)cnt : NAN;
    for (size_t m = 0; m < 2 * n; m++)
        if (isfinite(F(m)))
            var += (F(m) - mean) * (F(m) - mean);
    var = cnt > 1 ? var / (double)(cnt - 1) : NAN;
    for (size_t i = 0; i < k; i++) {
        double s1 = 0, st = 0;
        size_t used = 0;
        for (size_t j = 0; j < n; j++) {
            /* centred on the pooled mean: the same limits, less variance when the
             * mean is large against the spread */
            double a = F(j) - mean, b = F(n + j) - mean, ab = F((2 + i) * n + j) - mean;
            if (!isfinite(a) || !isfinite(b) || !isfinite(ab))
                continue;
            s1 += b * (ab - a);
            st += (a - ab) * (a - ab);
            used++;
        }
        int ok = used >= 2 && var > 0;
        S1[i] = ok ? s1 / (double)used / var : NAN;
        ST[i] = ok ? st / (2.0 * (double)used) / var : NAN;
    }
#undef F
}

void exsol_sobol_family_values(size_t nm, const double *f, size_t stride, const size_t *rows,
                               size_t nrows, enum exsol_sobol_agg agg, double *out, double *buf)
{
    for (size_t m = 0; m < nm; m++) {
        size_t c = 0;
        for (size_t r = 0; r < nrows; r++) {
            double x = f[m * stride + rows[r]];
            if (isfinite(x))
                buf[c++] = x;
        }
        if (c == 0) {
            out[m] = NAN;
            continue;
        }
        if (agg == EXSOL_SOBOL_MEAN) {
            double s = 0;
            for (size_t r = 0; r < c; r++)
                s += buf[r];
            out[m] = s / (double)c;
            continue;
        }
        /* the median: the ensemble's p50 (R type 7 at 0.5), by the same function */
        exsol_sort_doubles(buf, c);
        out[m] = exsol_quantile_sorted(buf, c, 0.5);
    }
}
