/* Stage parameter registry: datasets/<stage>-parameters.csv plus user overrides.
 *
 * Values are converted to SI once, at load time, with the table's own unit; an
 * override either uses that unit (bare number) or brings its own suffix, which
 * must convert to the same SI unit string (exsol_unit_to_si spells every unit of
 * one dimension the same way, so a string compare is a dimension check). For
 * parameters in kelvin a "C"/"degC" suffix means an absolute Celsius temperature.
 * Bounds are checked in SI with a 1e-12 relative slack so that "5 eV" against a
 * maximum of 5 eV is not refused over a rounding difference. */
#include "exsol/params.h"

#include "exsol/error.h"
#include "exsol/parse.h"
#include "exsol/table.h"
#include "parse_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct param {
    char *name;
    char *unit; /* as in the table */
    const char *si_unit;
    double value_si;
    double min_si, max_si; /* NaN: unbounded */
    char *min_text, *max_text;
    char *source;
    char *description;
    const char *origin;
    char confidence;
    struct exsol_prior prior;
    char *prior_source;
};

struct exsol_params {
    char *stage;
    struct param *v;
    size_t n, cap;
};

static char *dupstr(const char *s)
{
    return strdup(s ? s : "");
}

static void param_release(struct param *q)
{
    free(q->name);
    free(q->unit);
    free(q->min_text);
    free(q->max_text);
    free(q->source);
    free(q->description);
    free(q->prior_source);
}

void exsol_params_free(exsol_params *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        param_release(&p->v[i]);
    free(p->v);
    free(p->stage);
    free(p);
}

static long find_param(const exsol_params *p, const char *name)
{
    if (!p || !name)
        return -1;
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* Converts a bound cell; empty means unbounded (NaN). */
static int bound_si(const char *text, const char *unit, double *out)
{
    double v;
    if (!text[0]) {
        *out = NAN;
        return EXSOL_OK;
    }
    if (exsol_parse_double(text, &v, NULL, 0))
        return EXSOL_EVALUE;
    return exsol_unit_to_si(unit, v, out, NULL);
}

static int is_confidence(const char *c)
{
    return c[0] && !c[1] && strchr("LDTUN", c[0]) != NULL;
}

/* Adds every row of one table. */
static int add_table(exsol_params *p, const char *stage, char *err, size_t errlen)
{
    char tname[256];
    exsol_table *t = NULL;
    int rc;
    if (snprintf(tname, sizeof tname, "%s-parameters", stage) >= (int)sizeof tname)
        return exsol_seterr(err, errlen, EXSOL_EDATASET, "stage name '%s' too long", stage);
    if ((rc = exsol_table_load(tname, &t, err, errlen)))
        return rc;
    const char *required[] = {"name", "value", "unit", "source", "confidence"};
    for (size_t k = 0; k < sizeof required / sizeof required[0]; k++)
        if (exsol_table_col(t, required[k]) < 0) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET, "table '%s' has no '%s' column",
                              tname, required[k]);
            goto cleanup;
        }
    int cn = exsol_table_col(t, "name"), cv = exsol_table_col(t, "value"),
        cu = exsol_table_col(t, "unit"), cmin = exsol_table_col(t, "min"),
        cmax = exsol_table_col(t, "max"), cs = exsol_table_col(t, "source"),
        cc = exsol_table_col(t, "confidence"), cd = exsol_table_col(t, "description"),
        cp = exsol_table_col(t, "prior"), cps = exsol_table_col(t, "prior_source");
    for (size_t r = 0; r < exsol_table_nrows(t); r++) {
        const char *name = exsol_table_cell(t, r, cn);
        const char *unit = exsol_table_cell(t, r, cu);
        const char *mins = cmin >= 0 ? exsol_table_cell(t, r, cmin) : "";
        const char *maxs = cmax >= 0 ? exsol_table_cell(t, r, cmax) : "";
        if (!name[0]) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET, "table '%s' row %zu has no name",
                              tname, r + 1);
            goto cleanup;
        }
        long dup = find_param(p, name);
        if (dup >= 0) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                              "parameter '%s' is defined twice (table '%s')", name, tname);
            goto cleanup;
        }
        if (!exsol_table_cell(t, r, cs)[0]) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                              "parameter '%s' in table '%s' has no source", name, tname);
            goto cleanup;
        }
        if (!is_confidence(exsol_table_cell(t, r, cc))) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                              "parameter '%s' in table '%s' has confidence '%s' "
                              "(expected L, D, T, U or N)",
                              name, tname, exsol_table_cell(t, r, cc));
            goto cleanup;
        }
        struct param q = {0};
        double v;
        if (exsol_parse_double(exsol_table_cell(t, r, cv), &v, NULL, 0)) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                              "parameter '%s' in table '%s' has invalid value '%s'", name,
                              tname, exsol_table_cell(t, r, cv));
            goto cleanup;
        }
        if (exsol_unit_to_si(unit, v, &q.value_si, &q.si_unit)) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                              "parameter '%s' in table '%s' has unknown unit '%s'", name, tname,
                              unit);
            goto cleanup;
        }
        if (bound_si(mins, unit, &q.min_si) || bound_si(maxs, unit, &q.max_si)) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                              "parameter '%s' in table '%s' has invalid bounds '%s', '%s'",
                              name, tname, mins, maxs);
            goto cleanup;
        }
        if (q.value_si < q.min_si || q.value_si > q.max_si) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                              "parameter '%s' in table '%s': default %s is outside [%s, %s]",
                              name, tname, exsol_table_cell(t, r, cv), mins, maxs);
            goto cleanup;
        }
        q.confidence = exsol_table_cell(t, r, cc)[0];
        if (cp >= 0) {
            const char *pt = exsol_table_cell(t, r, cp);
            char msg[256];
            double lo_t, hi_t;
            if (bound_si(mins, "1", &lo_t) || bound_si(maxs, "1", &hi_t))
                lo_t = hi_t = NAN; /* cannot happen: checked above */
            if (!pt[0] && q.confidence == 'U') {
                rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                                  "parameter '%s' in table '%s' is tagged U but has no prior",
                                  name, tname);
                goto cleanup;
            }
            if (pt[0] && exsol_prior_parse(pt, lo_t, hi_t, &q.prior, msg, sizeof msg)) {
                rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                                  "parameter '%s' in table '%s': prior '%s': %s", name, tname,
                                  pt, msg);
                goto cleanup;
            }
            if (q.prior.kind != EXSOL_PRIOR_NONE && q.prior.kind != EXSOL_PRIOR_FIXED &&
                (cps < 0 || !exsol_table_cell(t, r, cps)[0])) {
                rc =
                    exsol_seterr(err, errlen, EXSOL_EDATASET,
                                 "parameter '%s' in table '%s' has a prior but no prior_source",
                                 name, tname);
                goto cleanup;
            }
        }
        if (p->n == p->cap) {
            size_t cap = p->cap ? 2 * p->cap : 16;
            struct param *nv = realloc(p->v, cap * sizeof *nv);
            if (!nv)
                goto nomem;
            p->v = nv;
            p->cap = cap;
        }
        q.name = dupstr(name);
        q.unit = dupstr(unit);
        q.min_text = dupstr(mins);
        q.max_text = dupstr(maxs);
        q.source = dupstr(exsol_table_cell(t, r, cs));
        q.description = dupstr(cd >= 0 ? exsol_table_cell(t, r, cd) : "");
        q.prior_source = dupstr(cps >= 0 ? exsol_table_cell(t, r, cps) : "");
        q.origin = "default";
        if (!q.name || !q.unit || !q.min_text || !q.max_text || !q.source || !q.description ||
            !q.prior_source) {
            param_release(&q);
            goto nomem;
        }
        p->v[p->n++] = q;
    }
    rc = EXSOL_OK;
    goto cleanup;
nomem:
    rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
cleanup:
    exsol_table_free(t);
    return rc;
}

int exsol_params_load(const char *stage, exsol_params **out, char *err, size_t errlen)
{
    exsol_params *p = NULL;
    char *list = NULL;
    int rc = EXSOL_OK;
    if (!stage || !stage[0])
        return exsol_seterr(err, errlen, EXSOL_EDATASET, "no parameter stage given");
    p = calloc(1, sizeof *p);
    list = strdup(stage);
    if (!p || !list) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        goto cleanup;
    }
    char *save = NULL;
    for (char *s = strtok_r(list, "+", &save); s; s = strtok_r(NULL, "+", &save)) {
        if (!p->stage && !(p->stage = strdup(s))) {
            rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
            goto cleanup;
        }
        if ((rc = add_table(p, s, err, errlen)))
            goto cleanup;
    }
    if (!p->stage) {
        rc = exsol_seterr(err, errlen, EXSOL_EDATASET, "no parameter stage in '%s'", stage);
        goto cleanup;
    }
    *out = p;
    p = NULL;
cleanup:
    exsol_params_free(p);
    free(list);
    return rc;
}

/* ---- overrides ------------------------------------------------------- */

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t' || **s == '\r' || **s == '\n')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r' ||
                  (*s)[*n - 1] == '\n'))
        (*n)--;
}

/* "unknown parameter 'x' for exsol-reduce (known: a, b, c, ...)" */
static int unknown_name(const exsol_params *p, const char *name, char *err, size_t errlen)
{
    char known[512];
    size_t used = 0;
    known[0] = '\0';
    for (size_t i = 0; i < p->n; i++) {
        size_t need = strlen(p->v[i].name) + 2;
        if (used + need + 8 >= sizeof known || i == 24) {
            snprintf(known + used, sizeof known - used, ", ...");
            break;
        }
        used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "",
                                 p->v[i].name);
    }
    return exsol_seterr(err, errlen, EXSOL_EUNKNOWN,
                        "unknown parameter '%s' for exsol-%s (known: %s)", name, p->stage,
                        p->n ? known : "none");
}

static int assign(exsol_params *p, const char *assignment, const char *origin, char *err,
                  size_t errlen)
{
    if (!p || !assignment)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE, "no parameter assignment");
    const char *eq = strchr(assignment, '=');
    if (!eq)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE, "expected NAME=VALUE, got '%s'",
                            assignment);
    const char *ns = assignment, *vs = eq + 1;
    size_t nn = (size_t)(eq - assignment), vn = strlen(vs);
    trim(&ns, &nn);
    trim(&vs, &vn);
    if (nn == 0)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE, "missing parameter name in '%s'",
                            assignment);
    char name[128];
    if (nn >= sizeof name)
        return exsol_seterr(err, errlen, EXSOL_EUNKNOWN, "unknown parameter '%.100s...'", ns);
    memcpy(name, ns, nn);
    name[nn] = '\0';
    long i = find_param(p, name);
    if (i < 0)
        return unknown_name(p, name, err, errlen);
    struct param *q = &p->v[i];
    int vw = vn > 200 ? 200 : (int)vn;
    if (vn == 0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "missing value for parameter '%s'",
                            name);

    size_t len = exsol_parse_scan_number(vs, vn);
    char num[128];
    double v, si;
    if (len == 0 || len >= sizeof num)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "invalid value '%.*s' for parameter '%s'", vw, vs, name);
    memcpy(num, vs, len);
    num[len] = '\0';
    if (exsol_parse_double(num, &v, NULL, 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "value '%.*s' for parameter '%s' is out of range", vw, vs, name);
    const char *us = vs + len;
    size_t un = vn - len;
    trim(&us, &un);
    if (un == 0) {
        if (exsol_unit_to_si(q->unit, v, &si, NULL))
            return exsol_seterr(err, errlen, EXSOL_EDATASET, "parameter '%s' has unit '%s'",
                                name, q->unit);
    } else {
        char unit[64];
        const char *su = NULL;
        if (un >= sizeof unit)
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "unknown unit in '%.*s' for parameter '%s'", vw, vs, name);
        memcpy(unit, us, un);
        unit[un] = '\0';
        if (strcmp(q->si_unit, "K") == 0 &&
            (strcmp(unit, "C") == 0 || strcmp(unit, "degC") == 0)) {
            si = v + 273.15; /* absolute Celsius temperature */
            if (!(si > 0.0))
                return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                    "temperature '%.*s' is below absolute zero", vw, vs);
        } else if (exsol_unit_to_si(unit, v, &si, &su)) {
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "unknown unit '%s' in '%.*s' for parameter '%s' (unit %s)",
                                unit, vw, vs, name, q->unit[0] ? q->unit : "1");
        } else if (strcmp(su, q->si_unit) != 0) {
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "unit '%s' in '%.*s' does not match parameter '%s' (unit %s)",
                                unit, vw, vs, name, q->unit[0] ? q->unit : "1");
        }
    }
    if (!isfinite(si))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "value '%.*s' for parameter '%s' is out of range", vw, vs, name);
    const int whole = strcmp(q->unit, "count") == 0;
    if (whole && si != floor(si))
        return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                            "value '%.*s' for parameter '%s' is not a whole number", vw, vs,
                            name);
    const char *u = q->unit[0] && !whole ? q->unit : "";
    const char *sp = q->unit[0] && strcmp(q->unit, "1") != 0 && !whole ? " " : "";
    if (strcmp(u, "1") == 0)
        u = "";
    if (si < q->min_si - 1e-12 * fabs(q->min_si))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "value '%.*s' for parameter '%s' is below its minimum %s%s%s", vw,
                            vs, name, q->min_text, sp, u);
    if (si > q->max_si + 1e-12 * fabs(q->max_si))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "value '%.*s' for parameter '%s' is above its maximum %s%s%s", vw,
                            vs, name, q->max_text, sp, u);
    q->value_si = si == 0.0 ? 0.0 : si;
    q->origin = origin;
    return EXSOL_OK;
}

int exsol_params_set(exsol_params *p, const char *assignment, char *err, size_t errlen)
{
    return assign(p, assignment, "--set", err, errlen);
}

int exsol_params_read_file(exsol_params *p, const char *path, char *err, size_t errlen)
{
    if (!p || !path)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE, "no parameter file");
    FILE *fp = fopen(path, "r");
    if (!fp)
        return exsol_seterr(err, errlen, EXSOL_EIO, "cannot read parameter file '%s': %s", path,
                            strerror(errno));
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t got;
    int rc = EXSOL_OK;
    char msg[512];
    while ((got = getline(&line, &cap, fp)) != -1) {
        lineno++;
        if ((size_t)got != strlen(line)) {
            rc = exsol_seterr(err, errlen, EXSOL_EVALUE, "%s:%zu: NUL byte in line", path,
                              lineno);
            goto cleanup;
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = line;
        size_t n = strlen(line);
        while (n && strchr(" \t\r\n", s[n - 1]))
            s[--n] = '\0';
        while (*s == ' ' || *s == '\t') {
            s++;
            n--;
        }
        if (n == 0)
            continue;
        if (!strchr(s, '=')) {
            rc = exsol_seterr(err, errlen, EXSOL_EVALUE,
                              "%s:%zu: expected NAME = VALUE, got '%s'", path, lineno, s);
            goto cleanup;
        }
        rc = assign(p, s, "file", msg, sizeof msg);
        if (rc) {
            if (rc == EXSOL_EUSAGE)
                rc = EXSOL_EVALUE; /* a bad file is bad input, not a bad command line */
            exsol_seterr(err, errlen, rc, "%s:%zu: %s", path, lineno, msg);
            goto cleanup;
        }
    }
    if (ferror(fp))
        rc = exsol_seterr(err, errlen, EXSOL_EIO, "error reading parameter file '%s'", path);
cleanup:
    free(line);
    fclose(fp);
    return rc;
}

/* ---- access ---------------------------------------------------------- */

int exsol_params_lookup(const exsol_params *p, const char *name, double *si)
{
    long i = find_param(p, name);
    if (i < 0)
        return EXSOL_EUNKNOWN;
    *si = p->v[i].value_si;
    return EXSOL_OK;
}

double exsol_params_get(const exsol_params *p, const char *name)
{
    long i = find_param(p, name);
    return i < 0 ? NAN : p->v[i].value_si;
}

const char *exsol_params_stage(const exsol_params *p)
{
    return p ? p->stage : NULL;
}
size_t exsol_params_count(const exsol_params *p)
{
    return p ? p->n : 0;
}

const char *exsol_params_name(const exsol_params *p, size_t i)
{
    return (p && i < p->n) ? p->v[i].name : NULL;
}

double exsol_params_value(const exsol_params *p, size_t i)
{
    return (p && i < p->n) ? p->v[i].value_si : NAN;
}

const char *exsol_params_si_unit(const exsol_params *p, size_t i)
{
    return (p && i < p->n) ? p->v[i].si_unit : NULL;
}

const char *exsol_params_source(const exsol_params *p, size_t i)
{
    return (p && i < p->n) ? p->v[i].source : NULL;
}

const char *exsol_params_origin(const exsol_params *p, size_t i)
{
    return (p && i < p->n) ? p->v[i].origin : NULL;
}

const char *exsol_params_description(const exsol_params *p, size_t i)
{
    return (p && i < p->n) ? p->v[i].description : NULL;
}

char exsol_params_confidence(const exsol_params *p, size_t i)
{
    return (p && i < p->n) ? p->v[i].confidence : '\0';
}

const struct exsol_prior *exsol_params_prior(const exsol_params *p, size_t i)
{
    return (p && i < p->n && p->v[i].prior.kind != EXSOL_PRIOR_NONE) ? &p->v[i].prior : NULL;
}

const char *exsol_params_prior_source(const exsol_params *p, size_t i)
{
    return (p && i < p->n) ? p->v[i].prior_source : NULL;
}

const char *exsol_params_unit(const exsol_params *p, size_t i)
{
    return (p && i < p->n) ? p->v[i].unit : NULL;
}

double exsol_params_min(const exsol_params *p, size_t i)
{
    return (p && i < p->n) ? p->v[i].min_si : NAN;
}

double exsol_params_max(const exsol_params *p, size_t i)
{
    return (p && i < p->n) ? p->v[i].max_si : NAN;
}

exsol_params *exsol_params_clone(const exsol_params *p)
{
    exsol_params *c = p ? calloc(1, sizeof *c) : NULL;
    if (!c)
        return NULL;
    c->stage = dupstr(p->stage);
    c->v = calloc(p->n ? p->n : 1, sizeof *c->v);
    if (!c->stage || !c->v) {
        exsol_params_free(c);
        return NULL;
    }
    c->cap = p->n ? p->n : 1;
    for (size_t i = 0; i < p->n; i++) {
        struct param q = p->v[i];
        q.name = dupstr(q.name);
        q.unit = dupstr(q.unit);
        q.min_text = dupstr(q.min_text);
        q.max_text = dupstr(q.max_text);
        q.source = dupstr(q.source);
        q.description = dupstr(q.description);
        q.prior_source = dupstr(q.prior_source);
        c->v[c->n++] = q;
        if (!q.name || !q.unit || !q.min_text || !q.max_text || !q.source || !q.description ||
            !q.prior_source) {
            exsol_params_free(c);
            return NULL;
        }
    }
    return c;
}
