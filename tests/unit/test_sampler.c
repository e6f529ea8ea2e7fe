/* Unit tests for exsol/sampler.h: the stretch-move ensemble sampler on a correlated 2-D
 * Gaussian (mean, variances and correlation recovered, split-R-hat near 1, a sensible
 * ESS), the same chain for the same seed whatever order a batch is evaluated in, and
 * the diagnostics on draws whose answer is known (independent draws: ESS ~ N, R-hat ~ 1;
 * chains around different means: R-hat far above 1). */
#include "check.h"
#include "exsol/error.h"
#include "exsol/members.h"
#include "exsol/sampler.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char err[256];

/* mean (1, -2), sd (1, 2), correlation 0.8 */
static const double MU[2] = {1.0, -2.0}, SD[2] = {1.0, 2.0}, RHO = 0.8;

static double gauss2(const double *x)
{
    double a = (x[0] - MU[0]) / SD[0], b = (x[1] - MU[1]) / SD[1];
    return -0.5 * (a * a - 2 * RHO * a * b + b * b) / (1 - RHO * RHO);
}

static int reversed; /* evaluate each batch back to front */

static int logp(void *ctx, const double *x, size_t n, size_t dim, double *lp, char *e,
                size_t el)
{
    (void)ctx, (void)e, (void)el;
    for (size_t i = 0; i < n; i++) {
        size_t k = reversed ? n - 1 - i : i;
        lp[k] = gauss2(x + k * dim);
    }
    return 0;
}

static void run(size_t nw, size_t ns, uint64_t seed, struct exsol_stretch_chain *c)
{
    double *x0 = malloc(nw * 2 * sizeof *x0), *lp0 = malloc(nw * sizeof *lp0);
    for (size_t w = 0; w < nw; w++) { /* a small ball away from the mode */
        x0[2 * w] = 3.0 + 0.1 * (exsol_members_u01(seed, "init", w, 0) - 0.5);
        x0[2 * w + 1] = 0.5 + 0.1 * (exsol_members_u01(seed, "init", w, 1) - 0.5);
        lp0[w] = gauss2(x0 + 2 * w);
    }
    struct exsol_stretch_opts o = {.nwalkers = nw, .nsteps = ns, .a = 2.0, .seed = seed};
    CHECK(exsol_stretch_run(&o, 2, x0, lp0, logp, NULL, c, err, sizeof err) == EXSOL_OK);
    free(x0), free(lp0);
}

static void test_gaussian(void)
{
    const size_t nw = 32, ns = 3000, burn = 500;
    struct exsol_stretch_chain c;
    run(nw, ns, 7, &c);
    size_t n = exsol_stretch_kept(&c, burn, 1);
    CHECK(n == ns - burn);
    double *x = malloc(nw * n * sizeof *x), *y = malloc(nw * n * sizeof *y);
    exsol_stretch_extract(&c, 0, burn, 1, x);
    exsol_stretch_extract(&c, 1, burn, 1, y);
    double N = (double)(nw * n), mx = 0, my = 0, vx = 0, vy = 0, cxy = 0;
    for (size_t i = 0; i < nw * n; i++)
        mx += x[i] / N, my += y[i] / N;
    for (size_t i = 0; i < nw * n; i++) {
        vx += (x[i] - mx) * (x[i] - mx) / N;
        vy += (y[i] - my) * (y[i] - my) / N;
        cxy += (x[i] - mx) * (y[i] - my) / N;
    }
    double rx = exsol_split_rhat(x, nw, n), ry = exsol_split_rhat(y, nw, n);
    double ex = exsol_ess(x, nw, n), ey = exsol_ess(y, nw, n);
    double acc = (double)c.accepted / (double)(nw * ns);
    printf("mean %.3f %.3f var %.3f %.3f corr %.3f rhat %.4f %.4f ess %.0f %.0f acc %.3f\n", mx,
           my, vx, vy, cxy / sqrt(vx * vy), rx, ry, ex, ey, acc);
    CHECK(fabs(mx - MU[0]) < 0.1 * SD[0]);
    CHECK(fabs(my - MU[1]) < 0.1 * SD[1]);
    CHECK_CLOSE(vx, SD[0] * SD[0], 0.15, 0.0);
    CHECK_CLOSE(vy, SD[1] * SD[1], 0.15, 0.0);
    CHECK(fabs(cxy / sqrt(vx * vy) - RHO) < 0.05);
    CHECK(rx < 1.02 && ry < 1.02 && rx > 0.98);
    CHECK(ex > 500 && ex < N && ey > 500);
    CHECK(acc > 0.3 && acc < 0.9); /* the stretch move on a 2-D Gaussian: ~0.6 */
    free(x), free(y);

    /* the same seed, the batch evaluated in another order: the same bytes */
    struct exsol_stretch_chain d;
    reversed = 1;
    run(nw, 200, 7, &d);
    reversed = 0;
    CHECK(memcmp(c.x, d.x, 200 * nw * 2 * sizeof *c.x) == 0);
    CHECK(memcmp(c.logp, d.logp, 200 * nw * sizeof *c.logp) == 0);
    exsol_stretch_chain_free(&d);
    /* another seed: another chain */
    run(nw, 200, 8, &d);
    CHECK(memcmp(c.x, d.x, 200 * nw * 2 * sizeof *c.x) != 0);
    exsol_stretch_chain_free(&d);
    exsol_stretch_chain_free(&c);
}

static double normal(uint64_t i)
{ /* Box-Muller from the counter-based uniforms */
    double u = exsol_members_u01(3, "iid", i, 0), v = exsol_members_u01(3, "iid", i, 1);
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static void test_diagnostics(void)
{
    const size_t m = 8, n = 1000;
    double *x = malloc(m * n * sizeof *x);
    for (size_t i = 0; i < m * n; i++)
        x[i] = normal(i);
    double r = exsol_split_rhat(x, m, n), e = exsol_ess(x, m, n);
    printf("iid: rhat %.4f ess %.0f of %zu\n", r, e, m * n);
    CHECK(fabs(r - 1.0) < 0.01);
    CHECK(e > 0.8 * (double)(m * n) && e < 1.2 * (double)(m * n));
    /* an AR(1) chain with phi = 0.9: tau = (1 + phi)/(1 - phi) = 19 */
    for (size_t c = 0; c < m; c++) {
        double v = 0;
        for (size_t i = 0; i < n; i++)
            x[c * n + i] = v = 0.9 * v + sqrt(1 - 0.81) * normal(m * n + c * n + i);
    }
    e = exsol_ess(x, m, n);
    printf("AR(1) 0.9: ess %.0f (expected ~%.0f)\n", e, (double)(m * n) / 19.0);
    CHECK(e > 0.5 * (double)(m * n) / 19.0 && e < 2.0 * (double)(m * n) / 19.0);
    /* half the chains shifted by 3 sd */
    for (size_t i = 0; i < m * n; i++)
        x[i] = normal(i) + (i / n < m / 2 ? 3.0 : 0.0);
    r = exsol_split_rhat(x, m, n);
    CHECK(r > 1.5);
    /* a trend inside every chain: split-R-hat sees it */
    for (size_t i = 0; i < m * n; i++)
        x[i] = normal(i) + 4.0 * (double)(i % n) / (double)n;
    CHECK(exsol_split_rhat(x, m, n) > 1.1);
    CHECK(isnan(exsol_split_rhat(x, m, 3)));
    free(x);
}

static void test_refusals(void)
{
    struct exsol_stretch_chain c;
    double x0[6] = {0, 0, 1, 1, 2, 2}, lp0[3] = {0, 0, 0};
    struct exsol_stretch_opts o = {.nwalkers = 3, .nsteps = 10, .seed = 1};
    CHECK(exsol_stretch_run(&o, 2, x0, lp0, logp, NULL, &c, err, sizeof err) == EXSOL_EVALUE);
    double y0[8] = {0, 0, 1, 1, 2, 2, 3, 3}, lq[4] = {0, -INFINITY, 0, 0};
    o.nwalkers = 4;
    CHECK(exsol_stretch_run(&o, 2, y0, lq, logp, NULL, &c, err, sizeof err) == EXSOL_EVALUE);
    CHECK(strstr(err, "walker 1") != NULL);
}

int main(void)
{
    test_gaussian();
    test_diagnostics();
    test_refusals();
    return check_report("test_sampler");
}
