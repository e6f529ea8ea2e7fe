/* Ensemble members (exsol/members.h): Latin-hypercube draws from the registry's priors
 * with a counter-based hash, member files, and applying a member to a registry. */
#include "exsol/members.h"

#include "exsol/error.h"
#include "exsol/parse.h"
#include "exsol/table.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define K_BOLTZMANN 1.380649e-23 /* J/K */

struct exsol_members {
    size_t n, np;
    char **names; /* np */
    char **cells; /* n * np, member-major */
};

void exsol_members_free(exsol_members *m)
{
    if (!m)
        return;
    for (size_t k = 0; k < m->np; k++)
        free(m->names[k]);
    for (size_t k = 0; k < m->n * m->np; k++)
        free(m->cells[k]);
    free(m->names);
    free(m->cells);
    free(m);
}

static uint64_t splitmix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t name_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

static uint64_t key(uint64_t seed, const char *name, uint64_t member, uint64_t stream)
{
    return splitmix(splitmix(splitmix(seed) ^ name_hash(name)) ^ (member * 4 + stream));
}

double exsol_members_u01(uint64_t seed, const char *name, uint64_t member, uint64_t stream)
{
    return ((double)(key(seed, name, member, stream) >> 11) + 0.5) * 0x1.0p-53;
}

size_t exsol_members_count(const exsol_members *m)
{
    return m ? m->n : 0;
}
size_t exsol_members_nparams(const exsol_members *m)
{
    return m ? m->np : 0;
}
const char *exsol_members_name(const exsol_members *m, size_t k)
{
    return m && k < m->np ? m->names[k] : NULL;
}
const char *exsol_members_cell(const exsol_members *m, size_t member, size_t k)
{
    return m && member < m->n && k < m->np ? m->cells[member * m->np + k] : NULL;
}

static exsol_members *alloc_members(size_t n, size_t np)
{
    exsol_members *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->names = calloc(np ? np : 1, sizeof *m->names);
    m->cells = calloc(n * np > 0 ? n * np : 1, sizeof *m->cells);
    if (!m->names || !m->cells) {
        free(m->names), free(m->cells), free(m);
        return NULL;
    }
    m->n = n;
    m->np = np;
    return m;
}

static long find(const exsol_params *p, const char *name)
{
    for (size_t i = 0; i < exsol_params_count(p); i++)
        if (strcmp(exsol_params_name(p, i), name) == 0)
            return (long)i;
    return -1;
}

static int drawn(const exsol_params *p, size_t i)
{
    const struct exsol_prior *pr = exsol_params_prior(p, i);
    return pr && pr->kind != EXSOL_PRIOR_FIXED &&
           strcmp(exsol_params_origin(p, i), "default") == 0;
}

struct rank_key {
    uint64_t k;
    size_t m;
};

static int cmp_key(const void *a, const void *b)
{
    const struct rank_key *x = a, *y = b;
    return x->k < y->k ? -1 : x->k > y->k ? 1 : (x->m > y->m) - (x->m < y->m);
}

/* The Latin-hypercube u in (0, 1) of parameter `name` for the n members of a draw with
 * this seed: one stratum per member, the strata permuted by a hash. */
static int lhs_column(uint64_t seed, const char *name, size_t n, double *u)
{
    struct rank_key *rk = malloc((n ? n : 1) * sizeof *rk);
    if (!rk)
        return EXSOL_ENOMEM;
    for (size_t j = 0; j < n; j++)
        rk[j] = (struct rank_key){key(seed, name, j, 0), j};
    qsort(rk, n, sizeof *rk, cmp_key);
    for (size_t s = 0; s < n; s++)
        u[rk[s].m] = ((double)s + exsol_members_u01(seed, name, rk[s].m, 1)) / (double)n;
    free(rk);
    return 0;
}

/* For an arrhenius prior (D0 drawn as D(ref_T)): the registry index of its reference
 * parameter (*ref; -1 without one) and its column among the first k drawn names
 * (*refc = k when it is not drawn). */
static int prior_ref(const exsol_params *p, const char *name, const struct exsol_prior *pr,
                     char *const *names, size_t k, long *ref, size_t *refc, char *err,
                     size_t errlen)
{
    *ref = -1;
    *refc = k;
    if (!pr->ref_param[0])
        return 0;
    if ((*ref = find(p, pr->ref_param)) < 0)
        return exsol_seterr(err, errlen, EXSOL_EDATASET,
                            "the prior of '%s' refers to unknown parameter '%s'", name,
                            pr->ref_param);
    for (*refc = 0; *refc < k && strcmp(names[*refc], pr->ref_param) != 0; (*refc)++)
        ;
    return 0;
}

/* A member's value of the parameter whose prior is pr at u, in the table's unit; with
 * an arrhenius prior times exp(E / k T_ref), E the member's value of the reference
 * parameter (row[refc], table unit, when drawn; else the registry's). The cell text
 * goes to *cell. */
static int member_value(const exsol_params *p, const struct exsol_prior *pr, double u, long ref,
                        const double *row, size_t refc, size_t k, double *v_out, char **cell)
{
    double v = exsol_prior_quantile(pr, u);
    if (ref >= 0) {
        double e_si;
        int rc = refc < k ? exsol_unit_to_si(exsol_params_unit(p, (size_t)ref), row[refc],
                                             &e_si, NULL)
                          : (e_si = exsol_params_value(p, (size_t)ref), 0);
        if (rc)
            return rc;
        v *= exp(e_si / (K_BOLTZMANN * pr->ref_T));
    }
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    *v_out = v;
    return (*cell = strdup(buf)) ? 0 : EXSOL_ENOMEM;
}

int exsol_members_draw(const exsol_params *p, size_t n, uint64_t seed, exsol_members **out,
                       char *err, size_t errlen)
{
    size_t np = 0, cnt = exsol_params_count(p);
    *out = NULL;
    if (n == 0 || n > 1000000)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "the member count must be 1 to 1e6");
    for (size_t i = 0; i < cnt; i++)
        np += drawn(p, i);
    exsol_members *m = alloc_members(n, np);
    double *u = malloc(n * sizeof *u);
    double *vals = malloc((n * np > 0 ? n * np : 1) * sizeof *vals);
    size_t *idx = malloc((np ? np : 1) * sizeof *idx);
    int rc = m && u && vals && idx ? 0 : EXSOL_ENOMEM;
    /* the reference parameters before the arrhenius ones that follow them */
    size_t k = 0;
    for (int pass = 0; pass < 2 && !rc; pass++)
        for (size_t i = 0; i < cnt; i++)
            if (drawn(p, i) && (exsol_params_prior(p, i)->ref_param[0] != 0) == pass)
                idx[k++] = i;
    for (k = 0; k < np && !rc; k++) {
        const size_t i = idx[k];
        const char *name = exsol_params_name(p, i);
        const struct exsol_prior *pr = exsol_params_prior(p, i);
        if (!(m->names[k] = strdup(name))) {
            rc = EXSOL_ENOMEM;
            break;
        }
        long ref;
        size_t refk;
        if (!rc)
            rc = lhs_column(seed, name, n, u);
        if (!rc)
            rc = prior_ref(p, name, pr, m->names, k, &ref, &refk, err, errlen);
        for (size_t j = 0; j < n && !rc; j++)
            rc = member_value(p, pr, u[j], ref, vals + j * np, refk, k, &vals[j * np + k],
                              &m->cells[j * np + k]);
    }
    free(u), free(vals), free(idx);
    if (rc) {
        exsol_members_free(m);
        if (rc == EXSOL_ENOMEM)
            exsol_seterr(err, errlen, rc, "out of memory");
        return rc;
    }
    *out = m;
    return 0;
}

int exsol_members_apply(const exsol_members *m, size_t member, exsol_params *p, char *err,
                        size_t errlen)
{
    char a[512], msg[400];
    for (size_t k = 0; k < m->np; k++) {
        snprintf(a, sizeof a, "%s=%s", m->names[k], m->cells[member * m->np + k]);
        int rc = exsol_params_set(p, a, msg, sizeof msg);
        if (rc)
            return exsol_seterr(err, errlen, rc == EXSOL_EUSAGE ? EXSOL_EVALUE : rc,
                                "member %zu: %s", member, msg);
    }
    return 0;
}

/* Splits a line at tabs in place; returns the number of fields (at most max). */
static size_t split_tabs(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *s = line;
    while (n < max) {
        f[n++] = s;
        char *t = strchr(s, '\t');
        if (!t)
            break;
        *t = '\0';
        s = t + 1;
    }
    return n;
}

int exsol_members_read(const char *path, const exsol_params *p, exsol_members **out, char *err,
                       size_t errlen)
{
    enum { MAXF = 512 };
    FILE *fp = fopen(path, "r");
    char *line = NULL, *f[MAXF];
    size_t cap = 0, lineno = 0, np = 0, n = 0, ncap = 0;
    char **names = NULL, **cells = NULL;
    int rc = 0;
    *out = NULL;
    if (!fp)
        return exsol_seterr(err, errlen, EXSOL_EIO, "cannot read member file '%s': %s", path,
                            strerror(errno));
    ssize_t got;
    while (!rc && (got = getline(&line, &cap, fp)) != -1) {
        lineno++;
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
            line[--got] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        size_t nf = split_tabs(line, f, MAXF);
        if (!names) {
            if (strcmp(f[0], "member") != 0 || nf >= MAXF) {
                rc = exsol_seterr(err, errlen, EXSOL_EVALUE,
                                  "%s:%zu: the header must start with 'member' (at most %d "
                                  "columns)",
                                  path, lineno, MAXF - 1);
                break;
            }
            np = nf - 1;
            names = calloc(np ? np : 1, sizeof *names);
            if (!names) {
                rc = EXSOL_ENOMEM;
                break;
            }
            for (size_t k = 0; k < np && !rc; k++) {
                if (find(p, f[k + 1]) < 0)
                    rc = exsol_seterr(err, errlen, EXSOL_EVALUE,
                                      "%s:%zu: unknown parameter '%s'", path, lineno, f[k + 1]);
                else if (!(names[k] = strdup(f[k + 1])))
                    rc = EXSOL_ENOMEM;
            }
            continue;
        }
        if (nf != np + 1) {
            rc = exsol_seterr(err, errlen, EXSOL_EVALUE,
                              "%s:%zu: %zu fields, the header has %zu", path, lineno, nf,
                              np + 1);
            break;
        }
        if ((n + 1) * (np ? np : 1) > ncap) {
            size_t nc = ncap ? 2 * ncap : 64 * (np ? np : 1);
            char **c = realloc(cells, nc * sizeof *c);
            if (!c) {
                rc = EXSOL_ENOMEM;
                break;
            }
            cells = c;
            ncap = nc;
        }
        for (size_t k = 0; k < np; k++)
            if (!(cells[n * np + k] = strdup(f[k + 1])))
                rc = EXSOL_ENOMEM;
        n++;
    }
    free(line);
    fclose(fp);
    if (!rc && (!names || n == 0))
        rc = exsol_seterr(err, errlen, EXSOL_EVALUE, "%s: no members", path);
    exsol_members *m = NULL;
    if (!rc && !(m = calloc(1, sizeof *m)))
        rc = EXSOL_ENOMEM;
    if (rc) {
        for (size_t k = 0; names && k < np; k++)
            free(names[k]);
        for (size_t k = 0; k < n * np; k++)
            free(cells[k]);
        free(names), free(cells);
        if (rc == EXSOL_ENOMEM)
            exsol_seterr(err, errlen, rc, "out of memory");
        return rc;
    }
    m->n = n, m->np = np, m->names = names, m->cells = cells;
    if (!m->cells && !(m->cells = calloc(1, sizeof *m->cells))) {
        exsol_members_free(m);
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    }
    /* every value must be accepted by the registry */
    exsol_params *c = exsol_params_clone(p);
    if (!c) {
        exsol_members_free(m);
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    }
    for (size_t j = 0; j < n && !rc; j++)
        rc = exsol_members_apply(m, j, c, err, errlen);
    exsol_params_free(c);
    if (rc) {
        exsol_members_free(m);
        return rc;
    }
    *out = m;
    return 0;
}

int exsol_members_saltelli(const exsol_params *p, size_t n, uint64_t seed,
                           const char *const *only, size_t nonly, exsol_members **out,
                           char *err, size_t errlen)
{
    const size_t cnt = exsol_params_count(p);
    *out = NULL;
    if (n < 2 || n > 100000)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "the Sobol base sample must be 2 to 1e5");
    for (size_t q = 0; q < nonly; q++) {
        long i = find(p, only[q]);
        if (i < 0)
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "unknown parameter '%s'", only[q]);
        if (!drawn(p, (size_t)i))
            return exsol_seterr(
                err, errlen, EXSOL_EVALUE,
                "parameter '%s' is not drawn (its prior is fixed, or it is set)", only[q]);
    }
    size_t *idx = malloc((cnt ? cnt : 1) * sizeof *idx), k = 0;
    if (!idx)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    for (int pass = 0; pass < 2; pass++) /* reference parameters before arrhenius ones */
        for (size_t i = 0; i < cnt; i++) {
            int in = drawn(p, i), listed = nonly == 0;
            for (size_t q = 0; q < nonly && !listed; q++)
                listed = strcmp(only[q], exsol_params_name(p, i)) == 0;
            in = in && listed;
            if (in && (exsol_params_prior(p, i)->ref_param[0] != 0) == pass)
                idx[k++] = i;
        }
    const size_t nm = n * (k + 2);
    const uint64_t seedB = splitmix(seed ^ 0x5a17e111b0b5eedULL);
    exsol_members *m = alloc_members(nm, k);
    double *uA = malloc((k ? n * k : 1) * sizeof *uA);
    double *uB = malloc((k ? n * k : 1) * sizeof *uB);
    double *vals = malloc((k ? nm * k : 1) * sizeof *vals);
    long *ref = malloc((k ? k : 1) * sizeof *ref);
    size_t *refc = malloc((k ? k : 1) * sizeof *refc);
    int rc = m && uA && uB && vals && ref && refc ? 0 : EXSOL_ENOMEM;
    for (size_t c = 0; c < k && !rc; c++) {
        const char *name = exsol_params_name(p, idx[c]);
        if (!(m->names[c] = strdup(name)))
            rc = EXSOL_ENOMEM;
        if (!rc)
            rc = lhs_column(seed, name, n, uA + c * n);
        if (!rc)
            rc = lhs_column(seedB, name, n, uB + c * n);
        /* D0 from D(ref_T) and the member's E_a (a column before it) */
        if (!rc)
            rc = prior_ref(p, name, exsol_params_prior(p, idx[c]), m->names, c, &ref[c],
                           &refc[c], err, errlen);
    }
    for (size_t r = 0; r < nm && !rc; r++) {
        const size_t block = r / n, j = r % n;
        for (size_t c = 0; c < k && !rc; c++) {
            const size_t i = idx[c];
            const struct exsol_prior *pr = exsol_params_prior(p, i);
            double u = block == 1 || block == 2 + c ? uB[c * n + j] : uA[c * n + j];
            rc = member_value(p, pr, u, ref[c], vals + r * k, refc[c], c, &vals[r * k + c],
                              &m->cells[r * k + c]);
        }
    }
    free(idx), free(uA), free(uB), free(vals), free(ref), free(refc);
    if (rc) {
        exsol_members_free(m);
        if (rc == EXSOL_ENOMEM)
            exsol_seterr(err, errlen, rc, "out of memory");
        return rc;
    }
    *out = m;
    return 0;
}

int exsol_members_from_matrix(const exsol_params *p, size_t n, size_t np, char *const *names,
                              char *const *units, const double *values, exsol_members **out,
                              char *err, size_t errlen)
{
    *out = NULL;
    if (n == 0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "no members");
    exsol_members *m = alloc_members(n, np);
    if (!m)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    int rc = 0;
    for (size_t k = 0; k < np && !rc; k++) {
        long i = find(p, names[k]);
        if (i < 0) {
            rc = exsol_seterr(err, errlen, EXSOL_EVALUE, "unknown parameter '%s'", names[k]);
            break;
        }
        if (!(m->names[k] = strdup(names[k])))
            rc = EXSOL_ENOMEM;
        /* a bare number in the table's unit, else the value with its unit as a suffix */
        const char *u = units && units[k] && strcmp(units[k], exsol_params_unit(p, (size_t)i))
                            ? units[k]
                            : "";
        for (size_t j = 0; j < n && !rc; j++) {
            char buf[96];
            snprintf(buf, sizeof buf, "%.17g%s", values[j * np + k], u);
            if (!(m->cells[j * np + k] = strdup(buf)))
                rc = EXSOL_ENOMEM;
        }
    }
    exsol_params *c = rc ? NULL : exsol_params_clone(p);
    if (!rc && !c)
        rc = EXSOL_ENOMEM;
    for (size_t j = 0; j < n && !rc; j++)
        rc = exsol_members_apply(m, j, c, err, errlen);
    exsol_params_free(c);
    if (rc) {
        if (rc == EXSOL_ENOMEM)
            exsol_seterr(err, errlen, rc, "out of memory");
        exsol_members_free(m);
        return rc;
    }
    *out = m;
    return 0;
}

void exsol_wilson90(size_t k, size_t n, double *lo, double *hi)
{
    const double z = 1.6448536269514722, p = (double)k / (double)n, nn = (double)n;
    double d = 1 + z * z / nn, c = (p + z * z / (2 * nn)) / d;
    double h = z * sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / d;
    *lo = k == 0 ? 0 : c - h;
    *hi = k == n ? 1 : c + h;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void exsol_sort_doubles(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
}

double exsol_quantile_sorted(const double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    double h = q * (double)(n - 1);
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}
