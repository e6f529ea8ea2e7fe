/* Serial N_Vector kernels with the library's arithmetic (exsol/nvector_fast.h).
 *
 * The distribution's SUNDIALS library is built without optimisation, and its
 * serial vector kernels took about half of the CPU time of a candidate (241
 * unknowns, ~10 norms and ~20 linear sums per step). The solver's template
 * vector gets these replacements; CVODE clones its work vectors from it, so
 * they inherit them. Each kernel does the same floating-point operations in the
 * same order as nvector_serial.c (special cases of the linear sum included, and
 * sequential sums, except the weighted sum of squares of the norms: four partial
 * sums), so results are those of the library up to rounding. */
#include "exsol/nvector_fast.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define NVLEN(v) ((size_t)NV_LENGTH_S(v))
#define NVDAT(v) NV_DATA_S(v)

static void nv_linearsum(sunrealtype a, N_Vector x, sunrealtype b, N_Vector y, N_Vector z)
{
    size_t n = NVLEN(x);
    double *xd = NVDAT(x), *yd = NVDAT(y), *zd = NVDAT(z);
    if ((b == 1.0 && z == y) || (a == 1.0 && z == x)) { /* axpy */
        double c = (b == 1.0 && z == y) ? a : b;
        const double *src = (b == 1.0 && z == y) ? xd : yd;
        if (c == 1.0)
            for (size_t i = 0; i < n; i++)
                zd[i] += src[i];
        else if (c == -1.0)
            for (size_t i = 0; i < n; i++)
                zd[i] -= src[i];
        else
            for (size_t i = 0; i < n; i++)
                zd[i] += c * src[i];
        return;
    }
    if (a == 1.0 && b == 1.0) {
        for (size_t i = 0; i < n; i++)
            zd[i] = xd[i] + yd[i];
        return;
    }
    int t;
    if ((t = (a == 1.0 && b == -1.0)) || (a == -1.0 && b == 1.0)) { /* v2 - v1 */
        const double *v1 = t ? yd : xd, *v2 = t ? xd : yd;
        for (size_t i = 0; i < n; i++)
            zd[i] = v2[i] - v1[i];
        return;
    }
    if ((t = (a == 1.0)) || b == 1.0) { /* c·v1 + v2 */
        double c = t ? b : a;
        const double *v1 = t ? yd : xd, *v2 = t ? xd : yd;
        for (size_t i = 0; i < n; i++)
            zd[i] = (c * v1[i]) + v2[i];
        return;
    }
    if ((t = (a == -1.0)) || b == -1.0) { /* c·v1 − v2 */
        double c = t ? b : a;
        const double *v1 = t ? yd : xd, *v2 = t ? xd : yd;
        for (size_t i = 0; i < n; i++)
            zd[i] = (c * v1[i]) - v2[i];
        return;
    }
    if (a == b) {
        for (size_t i = 0; i < n; i++)
            zd[i] = a * (xd[i] + yd[i]);
        return;
    }
    if (a == -b) {
        for (size_t i = 0; i < n; i++)
            zd[i] = a * (xd[i] - yd[i]);
        return;
    }
    for (size_t i = 0; i < n; i++)
        zd[i] = (a * xd[i]) + (b * yd[i]);
}

static void nv_const(sunrealtype c, N_Vector z)
{
    size_t n = NVLEN(z);
    double *zd = NVDAT(z);
    for (size_t i = 0; i < n; i++)
        zd[i] = c;
}

static void nv_prod(N_Vector x, N_Vector y, N_Vector z)
{
    size_t n = NVLEN(x);
    double *xd = NVDAT(x), *yd = NVDAT(y), *zd = NVDAT(z);
    for (size_t i = 0; i < n; i++)
        zd[i] = xd[i] * yd[i];
}

static void nv_div(N_Vector x, N_Vector y, N_Vector z)
{
    size_t n = NVLEN(x);
    double *xd = NVDAT(x), *yd = NVDAT(y), *zd = NVDAT(z);
    for (size_t i = 0; i < n; i++)
        zd[i] = xd[i] / yd[i];
}

static void nv_scale(sunrealtype c, N_Vector x, N_Vector z)
{
    size_t n = NVLEN(x);
    double *xd = NVDAT(x), *zd = NVDAT(z);
    if (z == x) {
        for (size_t i = 0; i < n; i++)
            xd[i] *= c;
    } else if (c == 1.0) {
        memcpy(zd, xd, n * sizeof *zd);
    } else if (c == -1.0) {
        for (size_t i = 0; i < n; i++)
            zd[i] = -xd[i];
    } else {
        for (size_t i = 0; i < n; i++)
            zd[i] = c * xd[i];
    }
}

static void nv_abs(N_Vector x, N_Vector z)
{
    size_t n = NVLEN(x);
    double *xd = NVDAT(x), *zd = NVDAT(z);
    for (size_t i = 0; i < n; i++)
        zd[i] = fabs(xd[i]);
}

static void nv_inv(N_Vector x, N_Vector z)
{
    size_t n = NVLEN(x);
    double *xd = NVDAT(x), *zd = NVDAT(z);
    for (size_t i = 0; i < n; i++)
        zd[i] = 1.0 / xd[i];
}

static void nv_addconst(N_Vector x, sunrealtype b, N_Vector z)
{
    size_t n = NVLEN(x);
    double *xd = NVDAT(x), *zd = NVDAT(z);
    for (size_t i = 0; i < n; i++)
        zd[i] = xd[i] + b;
}

static sunrealtype nv_dotprod(N_Vector x, N_Vector y)
{
    size_t n = NVLEN(x);
    const double *xd = NVDAT(x), *yd = NVDAT(y);
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += xd[i] * yd[i];
    return sum;
}

static sunrealtype nv_maxnorm(N_Vector x)
{
    size_t n = NVLEN(x);
    const double *xd = NVDAT(x);
    double m = 0.0;
    for (size_t i = 0; i < n; i++)
        if (fabs(xd[i]) > m)
            m = fabs(xd[i]);
    return m;
}

/* Four partial sums (a different rounding from the library's single running
 * sum, but independent of the thread count): the single chain of dependent
 * additions was the cost of the ~10 norms per step. */
static sunrealtype nv_wsqrsum(N_Vector x, N_Vector w)
{
    size_t n = NVLEN(x), i = 0;
    const double *xd = NVDAT(x), *wd = NVDAT(w);
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    for (; i + 4 <= n; i += 4) {
        double p0 = xd[i] * wd[i], p1 = xd[i + 1] * wd[i + 1];
        double p2 = xd[i + 2] * wd[i + 2], p3 = xd[i + 3] * wd[i + 3];
        s0 += p0 * p0;
        s1 += p1 * p1;
        s2 += p2 * p2;
        s3 += p3 * p3;
    }
    for (; i < n; i++) {
        double p = xd[i] * wd[i];
        s0 += p * p;
    }
    return (s0 + s1) + (s2 + s3);
}

static sunrealtype nv_wsqrsummask(N_Vector x, N_Vector w, N_Vector id)
{
    size_t n = NVLEN(x);
    const double *xd = NVDAT(x), *wd = NVDAT(w), *idd = NVDAT(id);
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        if (idd[i] > 0.0) {
            double p = xd[i] * wd[i];
            sum += p * p;
        }
    return sum;
}

static sunrealtype nv_wrmsnorm(N_Vector x, N_Vector w)
{
    return sqrt(nv_wsqrsum(x, w) / (double)NV_LENGTH_S(x));
}

static sunrealtype nv_wrmsnormmask(N_Vector x, N_Vector w, N_Vector id)
{
    return sqrt(nv_wsqrsummask(x, w, id) / (double)NV_LENGTH_S(x));
}

static sunrealtype nv_min(N_Vector x)
{
    size_t n = NVLEN(x);
    const double *xd = NVDAT(x);
    double m = xd[0];
    for (size_t i = 1; i < n; i++)
        if (xd[i] < m)
            m = xd[i];
    return m;
}

static void nv_compare(sunrealtype c, N_Vector x, N_Vector z)
{
    size_t n = NVLEN(x);
    double *xd = NVDAT(x), *zd = NVDAT(z);
    for (size_t i = 0; i < n; i++)
        zd[i] = (fabs(xd[i]) >= c) ? 1.0 : 0.0;
}

static sunbooleantype nv_invtest(N_Vector x, N_Vector z)
{
    size_t n = NVLEN(x);
    double *xd = NVDAT(x), *zd = NVDAT(z);
    sunbooleantype ok = SUNTRUE;
    for (size_t i = 0; i < n; i++) {
        if (xd[i] == 0.0)
            ok = SUNFALSE;
        else
            zd[i] = 1.0 / xd[i];
    }
    return ok;
}

static sunbooleantype nv_constrmask(N_Vector c, N_Vector x, N_Vector m)
{
    size_t n = NVLEN(x);
    const double *cd = NVDAT(c), *xd = NVDAT(x);
    double *md = NVDAT(m);
    int viol = 0;
    for (size_t i = 0; i < n; i++) {
        md[i] = 0.0;
        if (cd[i] == 0.0)
            continue;
        double xc = xd[i] * cd[i];
        if ((fabs(cd[i]) > 1.5 && xc <= 0.0) || (fabs(cd[i]) > 0.5 && xc < 0.0)) {
            md[i] = 1.0;
            viol = 1;
        }
    }
    return viol ? SUNFALSE : SUNTRUE;
}

/* Calls of N_VMinQuotient on this thread (exsol_nv_minquotient_calls). One solver
 * runs per thread, so the counter is per thread (reproducible for any thread
 * count). */
static _Thread_local long constraint_fail_count;

long exsol_nv_minquotient_calls(void)
{
    return constraint_fail_count;
}

static sunrealtype nv_minquotient(N_Vector num, N_Vector denom)
{
    constraint_fail_count++;
    size_t n = NVLEN(num);
    const double *nd = NVDAT(num), *dd = NVDAT(denom);
    int first = 1;
    double m = DBL_MAX;
    for (size_t i = 0; i < n; i++) {
        if (dd[i] == 0.0)
            continue;
        double q = nd[i] / dd[i];
        if (first) {
            m = q;
            first = 0;
        } else {
            m = (m < q) ? m : q;
        }
    }
    return m;
}

void exsol_nv_fast_ops(N_Vector v)
{
    v->ops->nvlinearsum = nv_linearsum;
    v->ops->nvconst = nv_const;
    v->ops->nvprod = nv_prod;
    v->ops->nvdiv = nv_div;
    v->ops->nvscale = nv_scale;
    v->ops->nvabs = nv_abs;
    v->ops->nvinv = nv_inv;
    v->ops->nvaddconst = nv_addconst;
    v->ops->nvdotprod = nv_dotprod;
    v->ops->nvmaxnorm = nv_maxnorm;
    v->ops->nvwrmsnorm = nv_wrmsnorm;
    v->ops->nvwrmsnormmask = nv_wrmsnormmask;
    v->ops->nvmin = nv_min;
    v->ops->nvcompare = nv_compare;
    v->ops->nvinvtest = nv_invtest;
    v->ops->nvconstrmask = nv_constrmask;
    v->ops->nvminquotient = nv_minquotient;
    v->ops->nvwsqrsumlocal = nv_wsqrsum;
    v->ops->nvwsqrsummasklocal = nv_wsqrsummask;
}
