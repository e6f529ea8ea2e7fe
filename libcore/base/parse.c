/* Locale-proof number and quantity parsing.
 *
 * strtod and printf follow LC_NUMERIC, so a user with a German locale would read
 * "5.5" as 5 and write "5,5". Every conversion here switches the calling thread to
 * a cached "C" locale with uselocale() for the duration of the call (thread-local,
 * so OpenMP workers and other threads are unaffected), and restores it after.
 *
 * The numeric part of a token is first delimited with a small scanner that accepts
 * only the decimal grammar [+-]?(d+[.d*]|.d+)([eE][+-]?d+)?, which rules out hex
 * floats, "nan" and "inf" before strtod sees them; strtod must then consume exactly
 * that span. */
#include "exsol/parse.h"

#include "exsol/error.h"
#include "grow.h"
#include "parse_internal.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- C locale -------------------------------------------------------- */

static locale_t c_locale_obj = (locale_t)0;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_create(void)
{
    c_locale_obj = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* Switches this thread to the C locale; returns the previous one (or 0 if the C
 * locale could not be created, in which case nothing was changed). */
static locale_t c_locale_enter(void)
{
    pthread_once(&c_locale_once, c_locale_create);
    if (c_locale_obj == (locale_t)0)
        return (locale_t)0;
    return uselocale(c_locale_obj);
}

static void c_locale_leave(locale_t old)
{
    if (old != (locale_t)0)
        uselocale(old);
}

/* ---- spans ----------------------------------------------------------- */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static void trim(const char **p, size_t *n)
{
    while (*n && is_space(**p)) {
        (*p)++;
        (*n)--;
    }
    while (*n && is_space((*p)[*n - 1]))
        (*n)--;
}

/* Length of the decimal number at the start of p[0..n), 0 if none. */
static size_t scan_number(const char *p, size_t n)
{
    size_t i = 0, digits = 0;
    if (i < n && (p[i] == '+' || p[i] == '-'))
        i++;
    while (i < n && is_digit(p[i])) {
        i++;
        digits++;
    }
    if (i < n && p[i] == '.') {
        i++;
        while (i < n && is_digit(p[i])) {
            i++;
            digits++;
        }
    }
    if (digits == 0)
        return 0;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (p[j] == '+' || p[j] == '-'))
            j++;
        if (j < n && is_digit(p[j])) {
            while (j < n && is_digit(p[j]))
                j++;
            i = j;
        }
    }
    return i;
}

size_t exsol_parse_scan_number(const char *p, size_t n)
{
    return scan_number(p, n);
}

/* Converts the decimal number p[0..len) (as delimited by scan_number). Returns 0,
 * or EXSOL_EVALUE for overflow/underflow. */
static int convert_number(const char *p, size_t len, double *out)
{
    char small[128];
    char *buf = small, *end = NULL;
    int rc = 0;
    if (len >= sizeof small) {
        buf = malloc(len + 1);
        if (!buf)
            return EXSOL_ENOMEM;
    }
    memcpy(buf, p, len);
    buf[len] = '\0';
    locale_t old = c_locale_enter();
    errno = 0;
    double v = strtod(buf, &end);
    int e = errno;
    c_locale_leave(old);
    if (end != buf + len || e == ERANGE || !isfinite(v))
        rc = EXSOL_EVALUE;
    else
        *out = v;
    if (buf != small)
        free(buf);
    return rc;
}

/* ---- plain numbers --------------------------------------------------- */

int exsol_parse_double(const char *s, double *out, char *err, size_t errlen)
{
    if (!s)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "missing number");
    const char *p = s;
    size_t n = strlen(s);
    trim(&p, &n);
    if (n == 0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "empty number '%s'", s);
    size_t len = scan_number(p, n);
    if (len == 0 || len != n)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "invalid number '%s'", s);
    double v = 0.0;
    int rc = convert_number(p, len, &v);
    if (rc == EXSOL_ENOMEM)
        return exsol_seterr(err, errlen, rc, "out of memory");
    if (rc)
        return exsol_seterr(err, errlen, rc, "number '%s' is out of range", s);
    *out = v;
    return EXSOL_OK;
}

int exsol_parse_long(const char *s, long *out, char *err, size_t errlen)
{
    if (!s)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "missing integer");
    const char *p = s;
    size_t n = strlen(s);
    trim(&p, &n);
    size_t i = 0;
    if (n && p[0] == '+')
        i = 1;
    if (i == n)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "invalid integer '%s'", s);
    long v = 0;
    for (; i < n; i++) {
        if (!is_digit(p[i]))
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "invalid integer '%s' (expected a non-negative whole number)",
                                s);
        int d = p[i] - '0';
        if (v > (LONG_MAX - d) / 10)
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "integer '%s' is out of range", s);
        v = v * 10 + d;
    }
    *out = v;
    return EXSOL_OK;
}

/* ---- quantities ------------------------------------------------------ */

struct unit_def {
    enum exsol_qty_kind kind;
    const char *name;
    double scale;  /* SI per unit */
    double offset; /* added after scaling (Celsius); not applied to differences */
    int of_total;  /* 1: scale is a fraction of p_total_Pa */
};

static const struct unit_def unit_defs[] = {
    {EXSOL_QTY_TEMPERATURE, "K", 1.0, 0.0, 0},
    {EXSOL_QTY_TEMPERATURE, "C", 1.0, 273.15, 0},
    {EXSOL_QTY_TEMPERATURE, "degC", 1.0, 273.15, 0},
    {EXSOL_QTY_TEMPERATURE,
     "\xc2\xb0"
     "C",
     1.0, 273.15, 0},
    {EXSOL_QTY_TIME, "s", 1.0, 0.0, 0},
    {EXSOL_QTY_TIME, "min", 60.0, 0.0, 0},
    {EXSOL_QTY_TIME, "h", 3600.0, 0.0, 0},
    {EXSOL_QTY_LENGTH, "m", 1.0, 0.0, 0},
    {EXSOL_QTY_LENGTH, "mm", 1e-3, 0.0, 0},
    {EXSOL_QTY_LENGTH, "um", 1e-6, 0.0, 0},
    {EXSOL_QTY_LENGTH, "nm", 1e-9, 0.0, 0},
    {EXSOL_QTY_LENGTH, "A", 1e-10, 0.0, 0},
    {EXSOL_QTY_PRESSURE, "Pa", 1.0, 0.0, 0},
    {EXSOL_QTY_PRESSURE, "kPa", 1e3, 0.0, 0},
    {EXSOL_QTY_PRESSURE, "bar", 1e5, 0.0, 0},
    {EXSOL_QTY_PRESSURE, "mbar", 1e2, 0.0, 0},
    {EXSOL_QTY_PRESSURE, "atm", 101325.0, 0.0, 0},
    {EXSOL_QTY_PRESSURE, "%", 1e-2, 0.0, 1},
    {EXSOL_QTY_PRESSURE, "ppm", 1e-6, 0.0, 1},
    {EXSOL_QTY_FRACTION, "%", 1e-2, 0.0, 0},
};

static const char *kind_name(enum exsol_qty_kind k)
{
    switch (k) {
    case EXSOL_QTY_TEMPERATURE:
        return "temperature";
    case EXSOL_QTY_TIME:
        return "time";
    case EXSOL_QTY_LENGTH:
        return "length";
    case EXSOL_QTY_PRESSURE:
        return "pressure";
    case EXSOL_QTY_FRACTION:
        return "fraction";
    case EXSOL_QTY_NUMBER:
        return "number";
    }
    return "value";
}

static const char *kind_units(enum exsol_qty_kind k)
{
    switch (k) {
    case EXSOL_QTY_TEMPERATURE:
        return "K or C";
    case EXSOL_QTY_TIME:
        return "s, min or h";
    case EXSOL_QTY_LENGTH:
        return "m, mm, um, nm or A";
    case EXSOL_QTY_PRESSURE:
        return "Pa, kPa, bar, mbar, atm, % or ppm";
    case EXSOL_QTY_FRACTION:
        return "a bare number or %";
    case EXSOL_QTY_NUMBER:
        return "a bare number";
    }
    return "";
}

static const struct unit_def *find_unit(enum exsol_qty_kind kind, const char *u, size_t n)
{
    for (size_t i = 0; i < sizeof unit_defs / sizeof unit_defs[0]; i++)
        if (unit_defs[i].kind == kind && strlen(unit_defs[i].name) == n &&
            memcmp(unit_defs[i].name, u, n) == 0)
            return &unit_defs[i];
    return NULL;
}

/* v times a unit scale. Sub-unit prefixes (1e-9, 1e-2 ...) are applied as a division
 * by the exact integer 1/scale, so "30nm" gives the double nearest 3e-8 rather than
 * 30*1e-9 = 3.0000000000000004e-08. */
static double apply_scale(double v, double scale)
{
    if (scale < 1.0 && scale > 0.0) {
        double inv = nearbyint(1.0 / scale);
        if (fabs(inv * scale - 1.0) < 1e-12)
            return v / inv;
    }
    return v * scale;
}

static double p_total_or_default(double p_total_Pa)
{
    return (isfinite(p_total_Pa) && p_total_Pa > 0.0) ? p_total_Pa : EXSOL_P_TOTAL_DEFAULT_PA;
}

/* Parses one quantity token p[0..n) (already trimmed). `whole` is the text named in
 * messages. delta != 0 parses a difference (a range step): no Celsius offset, no
 * sign/zero checks, and a bare number takes `bare_unit` (the start's unit) if given.
 * *unit_out (if non-NULL) receives the unit used (NULL for a bare number). */
static int parse_token(const char *p, size_t n, enum exsol_qty_kind kind, double p_total_Pa,
                       int delta, const struct unit_def *bare_unit, double *out_si,
                       const struct unit_def **unit_out, char *err, size_t errlen)
{
    const char *kn = kind_name(kind);
    int pn = n > 400 ? 400 : (int)n; /* keep messages bounded */
    if (n == 0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "empty %s", kn);
    size_t len = scan_number(p, n);
    if (len == 0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "invalid %s '%.*s'", kn, pn, p);
    double v = 0.0;
    int rc = convert_number(p, len, &v);
    if (rc == EXSOL_ENOMEM)
        return exsol_seterr(err, errlen, rc, "out of memory");
    if (rc)
        return exsol_seterr(err, errlen, rc, "%s '%.*s' is out of range", kn, pn, p);
    const char *u = p + len;
    size_t un = n - len;
    while (un && is_space(*u)) {
        u++;
        un--;
    }
    const struct unit_def *ud = NULL;
    double si;
    if (un == 0) {
        if (kind == EXSOL_QTY_FRACTION || kind == EXSOL_QTY_NUMBER) {
            si = v;
        } else if (delta && bare_unit) {
            ud = bare_unit;
            si = apply_scale(v, ud->scale);
        } else {
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "%s '%.*s' needs a unit (%s)", kn,
                                pn, p, kind_units(kind));
        }
    } else {
        ud = find_unit(kind, u, un);
        if (!ud) {
            if (kind == EXSOL_QTY_NUMBER)
                return exsol_seterr(err, errlen, EXSOL_EVALUE, "invalid number '%.*s'", pn, p);
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "unknown unit '%.*s' in %s '%.*s' (use %s)", (int)un, u, kn, pn,
                                p, kind_units(kind));
        }
        si = apply_scale(v, ud->scale);
        if (ud->of_total)
            si *= p_total_or_default(p_total_Pa);
        si += delta ? 0.0 : ud->offset;
    }
    if (!isfinite(si))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "%s '%.*s' is out of range", kn, pn, p);
    if (!delta) {
        switch (kind) {
        case EXSOL_QTY_TEMPERATURE:
            if (!(si > 0.0))
                return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                    "temperature '%.*s' is below absolute zero", pn, p);
            break;
        case EXSOL_QTY_TIME:
            if (si < 0.0)
                return exsol_seterr(err, errlen, EXSOL_EVALUE, "time '%.*s' is negative", pn,
                                    p);
            break;
        case EXSOL_QTY_LENGTH:
            if (!(si > 0.0))
                return exsol_seterr(err, errlen, EXSOL_EVALUE, "length '%.*s' must be positive",
                                    pn, p);
            break;
        case EXSOL_QTY_PRESSURE:
            if (si < 0.0)
                return exsol_seterr(err, errlen, EXSOL_EVALUE, "pressure '%.*s' is negative",
                                    pn, p);
            break;
        case EXSOL_QTY_FRACTION:
            if (si < 0.0 || si > 1.0)
                return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                    "fraction '%.*s' is outside [0, 1]", pn, p);
            break;
        case EXSOL_QTY_NUMBER:
            break;
        }
    }
    if (si == 0.0)
        si = 0.0; /* no negative zero */
    *out_si = si;
    if (unit_out)
        *unit_out = ud;
    return EXSOL_OK;
}

int exsol_parse_quantity(const char *s, enum exsol_qty_kind kind, double p_total_Pa,
                         double *out_si, char *err, size_t errlen)
{
    if (!s)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "missing %s", kind_name(kind));
    const char *p = s;
    size_t n = strlen(s);
    trim(&p, &n);
    return parse_token(p, n, kind, p_total_Pa, 0, NULL, out_si, NULL, err, errlen);
}

/* ---- lists and ranges ------------------------------------------------ */

struct dvec {
    double *v;
    size_t n, cap;
};

static int dvec_push(struct dvec *d, double x)
{
    if (exsol_grow((void **)&d->v, &d->cap, d->n, sizeof *d->v))
        return EXSOL_ENOMEM;
    d->v[d->n++] = x;
    return EXSOL_OK;
}

/* One list element: a single value or start:stop:step. */
static int parse_element(const char *p, size_t n, enum exsol_qty_kind kind, double p_total_Pa,
                         struct dvec *d, char *err, size_t errlen)
{
    int pn = n > 400 ? 400 : (int)n;
    const char *c1 = memchr(p, ':', n);
    if (!c1) {
        double x;
        int rc = parse_token(p, n, kind, p_total_Pa, 0, NULL, &x, NULL, err, errlen);
        if (rc)
            return rc;
        if (d->n >= EXSOL_LIST_MAX)
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "more than %d values",
                                EXSOL_LIST_MAX);
        return dvec_push(d, x) ? exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory") : 0;
    }
    const char *c2 = memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - p));
    if (!c2 || memchr(c2 + 1, ':', n - (size_t)(c2 + 1 - p)))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "range '%.*s' must have the form start:stop:step", pn, p);
    const char *sp[3] = {p, c1 + 1, c2 + 1};
    size_t sn[3] = {(size_t)(c1 - p), (size_t)(c2 - c1 - 1), (size_t)(p + n - c2 - 1)};
    for (int i = 0; i < 3; i++)
        trim(&sp[i], &sn[i]);
    double start, stop, step;
    const struct unit_def *start_unit = NULL;
    int rc =
        parse_token(sp[0], sn[0], kind, p_total_Pa, 0, NULL, &start, &start_unit, err, errlen);
    if (!rc)
        rc = parse_token(sp[1], sn[1], kind, p_total_Pa, 0, NULL, &stop, NULL, err, errlen);
    if (!rc)
        rc = parse_token(sp[2], sn[2], kind, p_total_Pa, 1, start_unit, &step, NULL, err,
                         errlen);
    if (rc)
        return rc;
    /* Number of steps, inclusive of stop within 1e-9 relative to the largest
     * magnitude involved (so 0:1:0.1 gives 11 values despite rounding). */
    double scale = fmax(fmax(fabs(start), fabs(stop)), fabs(step));
    double tol = 1e-9 * scale;
    double span = stop - start;
    if (step == 0.0 || (span != 0.0 && (span > 0.0) != (step > 0.0) && fabs(span) > tol))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "empty range '%.*s'", pn, p);
    double q = (fabs(span) + tol) / fabs(step);
    if (!(q < (double)EXSOL_LIST_MAX))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "range '%.*s' has more than %d values",
                            pn, p, EXSOL_LIST_MAX);
    size_t count = (size_t)floor(q) + 1;
    if (d->n + count > EXSOL_LIST_MAX)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "more than %d values", EXSOL_LIST_MAX);
    for (size_t i = 0; i < count; i++) {
        double x = start + (double)i * step;
        if (i + 1 == count && fabs(x - stop) <= tol)
            x = stop; /* land exactly on the stop the user wrote */
        if (dvec_push(d, x))
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    }
    return EXSOL_OK;
}

int exsol_parse_list(const char *s, enum exsol_qty_kind kind, double p_total_Pa, double **out,
                     size_t *n, char *err, size_t errlen)
{
    struct dvec d = {NULL, 0, 0};
    int rc = EXSOL_OK;
    if (!s) {
        rc = exsol_seterr(err, errlen, EXSOL_EVALUE, "missing %s", kind_name(kind));
        goto cleanup;
    }
    const char *p = s;
    size_t len = strlen(s);
    trim(&p, &len);
    if (len == 0) {
        rc = exsol_seterr(err, errlen, EXSOL_EVALUE, "empty %s list", kind_name(kind));
        goto cleanup;
    }
    const char *end = p + len;
    while (1) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *e = comma ? comma : end;
        const char *ep = p;
        size_t en = (size_t)(e - p);
        trim(&ep, &en);
        if (en == 0) {
            rc = exsol_seterr(err, errlen, EXSOL_EVALUE, "empty element in list '%.400s'", s);
            goto cleanup;
        }
        rc = parse_element(ep, en, kind, p_total_Pa, &d, err, errlen);
        if (rc)
            goto cleanup;
        if (!comma)
            break;
        p = comma + 1;
    }
    *out = d.v;
    *n = d.n;
    d.v = NULL;
cleanup:
    free(d.v);
    return rc;
}

/* ---- ranges of option values ----------------------------------------- */

int exsol_parse_range(const char *opt, const char *s, enum exsol_qty_kind kind, double *lo_si,
                      double *hi_si, char *err, size_t errlen)
{
    char a[64], b[64], why[256];
    const char *colon = strchr(s, ':');
    if (!colon || strchr(colon + 1, ':') || (size_t)(colon - s) >= sizeof a ||
        strlen(colon + 1) >= sizeof b || colon == s || !colon[1])
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "%s needs START:END, e.g. %s, not '%s'",
                            opt,
                            kind == EXSOL_QTY_TEMPERATURE ? "450C:1000C"
                            : kind == EXSOL_QTY_TIME      ? "0.1h:100h"
                                                          : "0.1%:100%",
                            s);
    snprintf(a, sizeof a, "%.*s", (int)(colon - s), s);
    snprintf(b, sizeof b, "%s", colon + 1);
    size_t nb = strspn(b, "0123456789.eE+-");
    if (strspn(a, "0123456789.eE+-") == strlen(a) && nb < strlen(b) &&
        strlen(a) + strlen(b + nb) < sizeof a) {
        size_t la = strlen(a);
        snprintf(a + la, sizeof a - la, "%s", b + nb);
    }
    if (exsol_parse_quantity(a, kind, EXSOL_P_TOTAL_DEFAULT_PA, lo_si, why, sizeof why) ||
        exsol_parse_quantity(b, kind, EXSOL_P_TOTAL_DEFAULT_PA, hi_si, why, sizeof why))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "%s: %s", opt, why);
    return EXSOL_OK;
}

int exsol_parse_delta_T(const char *opt, const char *s, double *out_K, char *err, size_t errlen)
{
    char num[64], why[256];
    size_t n = strlen(s);
    if (n < 2 || n >= sizeof num || (s[n - 1] != 'K' && s[n - 1] != 'C'))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "%s needs a temperature difference with a unit, e.g. 5K, not '%s'",
                            opt, s);
    snprintf(num, sizeof num, "%.*s", (int)(n - 1), s);
    if (exsol_parse_double(num, out_K, why, sizeof why) || !(*out_K > 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "%s needs a positive temperature difference, not '%s'", opt, s);
    return EXSOL_OK;
}

/* ---- output ---------------------------------------------------------- */

void exsol_format_double(double v, char *buf, size_t n)
{
    if (!buf || n == 0)
        return;
    locale_t old = c_locale_enter();
    if (!isfinite(v)) {
        snprintf(buf, n, "%s", isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf"));
    } else {
        /* shortest of 15, 16, 17 significant digits that reads back exactly */
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(buf, n, "%.*g", prec, v);
            if (prec == 17 || strtod(buf, NULL) == v)
                break;
        }
    }
    c_locale_leave(old);
}
