/* Machine-readable priors of the parameter tables (the `prior` column, exsol/params.h):
 * the parser with its checks and the inverse CDFs the ensemble sampler uses. No I/O. */
#include "exsol/error.h"
#include "exsol/params.h"
#include "exsol/parse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    enum exsol_prior_kind kind;
} kinds[] = {{"normal", EXSOL_PRIOR_NORMAL},
             {"log10normal", EXSOL_PRIOR_LOG10NORMAL},
             {"uniform", EXSOL_PRIOR_UNIFORM},
             {"loguniform", EXSOL_PRIOR_LOGUNIFORM}};

/* "A,B" up to `close`; advances *s past it. */
static int two_numbers(const char **s, char close, double *a, double *b)
{
    char buf[128];
    const char *end = strchr(*s, close);
    const char *comma = strchr(*s, ',');
    if (!end || !comma || comma > end || (size_t)(end - *s) >= sizeof buf)
        return -1;
    snprintf(buf, sizeof buf, "%.*s", (int)(comma - *s), *s);
    if (exsol_parse_double(buf, a, NULL, 0))
        return -1;
    snprintf(buf, sizeof buf, "%.*s", (int)(end - comma - 1), comma + 1);
    if (exsol_parse_double(buf, b, NULL, 0))
        return -1;
    *s = end + 1;
    return 0;
}

static void skip_spaces(const char **s)
{
    while (**s == ' ')
        (*s)++;
}

int exsol_prior_parse(const char *text, double min_t, double max_t, struct exsol_prior *out,
                      char *err, size_t errlen)
{
    struct exsol_prior pr = {0};
    const char *s = text;
    skip_spaces(&s);
    *out = pr;
    if (strcmp(s, "fixed") == 0) {
        out->kind = EXSOL_PRIOR_FIXED;
        return 0;
    }
    size_t k;
    for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t n = strlen(kinds[k].name);
        if (strncmp(s, kinds[k].name, n) == 0 && s[n] == '(') {
            pr.kind = kinds[k].kind;
            s += n + 1;
            break;
        }
    }
    if (!pr.kind)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "expected fixed, normal(MEAN,SD), log10normal(MEDIAN,SD), "
                            "uniform(LO,HI) or loguniform(LO,HI)");
    if (two_numbers(&s, ')', &pr.a, &pr.b) || !isfinite(pr.a) || !isfinite(pr.b))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "needs two finite numbers in (...)");
    const int normal = pr.kind == EXSOL_PRIOR_NORMAL || pr.kind == EXSOL_PRIOR_LOG10NORMAL;
    if (normal && !(pr.b > 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "the standard deviation must be > 0");
    if (pr.kind == EXSOL_PRIOR_LOG10NORMAL && !(pr.a > 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "the median must be > 0");
    if (!normal && !(pr.a < pr.b))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "needs LO < HI");
    if (pr.kind == EXSOL_PRIOR_LOGUNIFORM && !(pr.a > 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "loguniform needs LO > 0");
    pr.lo = normal ? (isnan(min_t) ? -INFINITY : min_t) : pr.a;
    pr.hi = normal ? (isnan(max_t) ? INFINITY : max_t) : pr.b;
    skip_spaces(&s);
    if (strncmp(s, "in [", 4) == 0) {
        if (!normal)
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "'in [LO,HI]' truncates a normal; a uniform is its own range");
        s += 4;
        if (two_numbers(&s, ']', &pr.lo, &pr.hi) || !(pr.lo < pr.hi))
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "'in [LO,HI]' needs LO < HI");
        skip_spaces(&s);
    }
    if (strncmp(s, "arrhenius(", 10) == 0) {
        const char *comma = strchr(s + 10, ','), *end = strchr(s + 10, ')');
        char buf[64];
        if (!comma || !end || comma > end || comma == s + 10 ||
            (size_t)(comma - s - 10) >= sizeof pr.ref_param ||
            (size_t)(end - comma - 1) >= sizeof buf)
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "arrhenius needs (PARAM,T_REF)");
        snprintf(pr.ref_param, sizeof pr.ref_param, "%.*s", (int)(comma - s - 10), s + 10);
        snprintf(buf, sizeof buf, "%.*s", (int)(end - comma - 1), comma + 1);
        if (exsol_parse_double(buf, &pr.ref_T, NULL, 0) || !(pr.ref_T > 0) ||
            !isfinite(pr.ref_T))
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "arrhenius needs T_REF > 0 K");
        s = end + 1;
        skip_spaces(&s);
    }
    if (*s)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "unexpected '%s'", s);
    if (pr.kind == EXSOL_PRIOR_LOG10NORMAL && !(pr.lo > 0))
        pr.lo = 0; /* the log scale's own floor */
    if (pr.kind == EXSOL_PRIOR_LOG10NORMAL && !(pr.hi > pr.lo))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "the truncation must reach above 0");
    /* the support inside the parameter's bounds (the arrhenius reference quantity has
     * other bounds: the sampler checks the product) */
    if (!pr.ref_param[0] &&
        ((!isnan(min_t) && pr.lo < min_t) || (!isnan(max_t) && pr.hi > max_t)))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "the prior's range [%g, %g] leaves the bounds [%g, %g]", pr.lo,
                            pr.hi, min_t, max_t);
    *out = pr;
    return 0;
}

static double phi(double x)
{
    return 0.5 * erfc(-x / sqrt(2.0));
}

/* Inverse of the standard normal CDF by bisection: slow but exact to the last bits and
 * the same on every machine with a correct erfc. */
static double phi_inv(double p)
{
    double lo = -40.0, hi = 40.0;
    for (int i = 0; i < 200 && hi - lo > 1e-15 * (1.0 + fabs(lo)); i++) {
        double mid = 0.5 * (lo + hi);
        if (phi(mid) < p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

static double truncated_normal(double mu, double sd, double lo, double hi, double u)
{
    double pa = phi((lo - mu) / sd), pb = phi((hi - mu) / sd);
    double x = mu + sd * phi_inv(pa + u * (pb - pa));
    return x < lo ? lo : x > hi ? hi : x;
}

double exsol_prior_quantile(const struct exsol_prior *pr, double u)
{
    if (!pr || !(u > 0 && u < 1))
        return NAN;
    switch (pr->kind) {
    case EXSOL_PRIOR_NORMAL:
        return truncated_normal(pr->a, pr->b, pr->lo, pr->hi, u);
    case EXSOL_PRIOR_LOG10NORMAL: {
        double lo = pr->lo > 0 ? log10(pr->lo) : -INFINITY, hi = log10(pr->hi);
        return pow(10.0, truncated_normal(log10(pr->a), pr->b, lo, hi, u));
    }
    case EXSOL_PRIOR_UNIFORM:
        return pr->a + u * (pr->b - pr->a);
    case EXSOL_PRIOR_LOGUNIFORM:
        return exp(log(pr->a) + u * (log(pr->b) - log(pr->a)));
    default:
        return NAN;
    }
}
