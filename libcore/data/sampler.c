/* The affine-invariant ensemble sampler and its diagnostics (exsol/sampler.h).
 *
 * Stretch move (Goodman & Weare 2010, eq. 7-10): a walker X_k of one half moves to
 * Y = X_j + Z (X_k - X_j), X_j drawn uniformly from the other half, Z from
 * g(z) ~ 1/sqrt(z) on [1/a, a], accepted with probability min(1, Z^(d-1) p(Y)/p(X_k)).
 * The first half moves against the second as it stands, then the second against the
 * updated first, so each half is one batch of independent proposals. */
#include "exsol/sampler.h"

#include "exsol/error.h"
#include "exsol/members.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void exsol_stretch_chain_free(struct exsol_stretch_chain *c)
{
    if (!c)
        return;
    free(c->x);
    free(c->logp);
    free(c->accepted_w);
    memset(c, 0, sizeof *c);
}

int exsol_stretch_run(const struct exsol_stretch_opts *o, size_t dim, const double *x0,
                      const double *lp0, exsol_logp_batch_fn f, void *ctx,
                      struct exsol_stretch_chain *out, char *err, size_t errlen)
{
    const size_t nw = o->nwalkers, ns = o->nsteps, half = nw / 2;
    const double a = o->a > 1.0 ? o->a : 2.0;
    memset(out, 0, sizeof *out);
    if (nw < 4 || nw % 2 || dim == 0 || ns == 0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "the sampler needs an even number of walkers >= 4, a parameter "
                            "and a step");
    for (size_t w = 0; w < nw; w++)
        if (!isfinite(lp0[w]))
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "walker %zu starts where the density vanishes", w);
    double *cur = malloc(nw * dim * sizeof *cur), *clp = malloc(nw * sizeof *clp);
    double *y = malloc(half * dim * sizeof *y), *ylp = malloc(half * sizeof *ylp);
    double *z = malloc(half * sizeof *z);
    out->x = malloc(ns * nw * dim * sizeof *out->x);
    out->logp = malloc(ns * nw * sizeof *out->logp);
    out->accepted_w = calloc(nw, sizeof *out->accepted_w);
    int rc = 0;
    if (!cur || !clp || !y || !ylp || !z || !out->x || !out->logp || !out->accepted_w)
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    if (!rc) {
        memcpy(cur, x0, nw * dim * sizeof *cur);
        memcpy(clp, lp0, nw * sizeof *clp);
        out->nwalkers = nw, out->nsteps = ns, out->dim = dim;
    }
    for (size_t s = 0; s < ns && !rc; s++) {
        for (size_t h = 0; h < 2 && !rc; h++) {
            const size_t first = h * half, other = (1 - h) * half;
            for (size_t i = 0; i < half; i++) {
                const size_t k = first + i;
                const uint64_t ctr = (uint64_t)s * nw + k;
                size_t j = other + (size_t)(exsol_members_u01(o->seed, "stretch", ctr, 0) *
                                            (double)half);
                if (j >= other + half)
                    j = other + half - 1;
                double u = exsol_members_u01(o->seed, "stretch", ctr, 1);
                double t = (a - 1.0) * u + 1.0;
                z[i] = t * t / a;
                for (size_t d = 0; d < dim; d++)
                    y[i * dim + d] =
                        cur[j * dim + d] + z[i] * (cur[k * dim + d] - cur[j * dim + d]);
            }
            if ((rc = f(ctx, y, half, dim, ylp, err, errlen)))
                break;
            for (size_t i = 0; i < half; i++) {
                const size_t k = first + i;
                const uint64_t ctr = (uint64_t)s * nw + k;
                if (!isfinite(ylp[i]) || isnan(ylp[i]))
                    continue;
                double q = (double)(dim - 1) * log(z[i]) + ylp[i] - clp[k];
                if (log(exsol_members_u01(o->seed, "stretch", ctr, 2)) < q) {
                    memcpy(cur + k * dim, y + i * dim, dim * sizeof *cur);
                    clp[k] = ylp[i];
                    out->accepted++;
                    out->accepted_w[k]++;
                }
            }
        }
        if (rc)
            break;
        memcpy(out->x + s * nw * dim, cur, nw * dim * sizeof *cur);
        memcpy(out->logp + s * nw, clp, nw * sizeof *clp);
        if (o->step_done)
            o->step_done(o->step_ctx, s + 1, ns);
    }
    free(cur), free(clp), free(y), free(ylp), free(z);
    if (rc)
        exsol_stretch_chain_free(out);
    return rc;
}

size_t exsol_stretch_kept(const struct exsol_stretch_chain *c, size_t burn, size_t thin)
{
    if (thin == 0)
        thin = 1;
    return burn >= c->nsteps ? 0 : (c->nsteps - burn + thin - 1) / thin;
}

void exsol_stretch_extract(const struct exsol_stretch_chain *c, size_t k, size_t burn,
                           size_t thin, double *out)
{
    if (thin == 0)
        thin = 1;
    const size_t n = exsol_stretch_kept(c, burn, thin), nw = c->nwalkers, dim = c->dim;
    for (size_t w = 0; w < nw; w++)
        for (size_t i = 0; i < n; i++)
            out[w * n + i] = c->x[((burn + i * thin) * nw + w) * dim + k];
}

static double mean_of(const double *x, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    return s / (double)n;
}

static double var_of(const double *x, size_t n, double mu)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += (x[i] - mu) * (x[i] - mu);
    return s / (double)(n - 1);
}

/* W (mean within-chain variance) and B/n (variance of the chain means) of m chains of
 * n draws, the chains starting `stride` apart. */
static void within_between(const double *x, size_t m, size_t n, size_t stride, double *W,
                           double *Bn)
{
    double mm = 0.0, w = 0.0, b = 0.0;
    for (size_t c = 0; c < m; c++)
        mm += mean_of(x + c * stride, n);
    mm /= (double)m;
    for (size_t c = 0; c < m; c++) {
        double mu = mean_of(x + c * stride, n);
        w += var_of(x + c * stride, n, mu);
        b += (mu - mm) * (mu - mm);
    }
    *W = w / (double)m;
    *Bn = m > 1 ? b / (double)(m - 1) : 0.0;
}

double exsol_split_rhat(const double *x, size_t m, size_t n)
{
    if (n < 4 || m == 0)
        return NAN;
    /* each chain's first and last halves (the middle draw of an odd n left out) as
     * 2m chains of n/2: the halves of chain c start at c n and c n + n - h */
    const size_t h = n / 2;
    double *buf = malloc(2 * m * h * sizeof *buf);
    if (!buf)
        return NAN;
    for (size_t c = 0; c < m; c++) {
        memcpy(buf + 2 * c * h, x + c * n, h * sizeof *buf);
        memcpy(buf + (2 * c + 1) * h, x + c * n + (n - h), h * sizeof *buf);
    }
    double W, Bn;
    within_between(buf, 2 * m, h, h, &W, &Bn);
    free(buf);
    if (!(W > 0))
        return Bn > 0 ? INFINITY : 1.0;
    double vplus = (double)(h - 1) / (double)h * W + Bn;
    return sqrt(vplus / W);
}

double exsol_ess(const double *x, size_t m, size_t n)
{
    if (n < 4 || m == 0)
        return NAN;
    double W, Bn;
    within_between(x, m, n, n, &W, &Bn);
    const double N = (double)m * (double)n;
    if (!(W > 0))
        return N;
    const double vplus = (double)(n - 1) / (double)n * W + Bn;
    double *mu = malloc(m * sizeof *mu);
    if (!mu)
        return NAN;
    for (size_t c = 0; c < m; c++)
        mu[c] = mean_of(x + c * n, n);
        /* rho_t = 1 - (W - mean_c acov_c(t)) / var+, acov with the 1/n normalisation */
#define RHO(t, out)                                                                            \
    do {                                                                                       \
        double acc = 0.0;                                                                      \
        for (size_t c = 0; c < m; c++) {                                                       \
            const double *xc = x + c * n;                                                      \
            double s = 0.0;                                                                    \
            for (size_t i = 0; i + (t) < n; i++)                                               \
                s += (xc[i] - mu[c]) * (xc[i + (t)] - mu[c]);                                  \
            acc += s / (double)n;                                                              \
        }                                                                                      \
        (out) = 1.0 - (W - acc / (double)m) / vplus;                                           \
    } while (0)
    double tau = -1.0, prev = INFINITY;
    for (size_t t = 0; t + 1 < n; t += 2) {
        double r0, r1;
        if (t == 0)
            r0 = 1.0;
        else
            RHO(t, r0);
        RHO(t + 1, r1);
        double p = r0 + r1;
        if (!(p > 0))
            break;
        if (p > prev) /* initial monotone sequence */
            p = prev;
        prev = p;
        tau += 2.0 * p;
    }
#undef RHO
    free(mu);
    const double floor_tau = 1.0 / log10(N > 10 ? N : 10);
    if (tau < floor_tau)
        tau = floor_tau;
    return N / tau;
}
