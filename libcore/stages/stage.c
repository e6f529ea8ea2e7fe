/* The generic block loop and the schema-driven output definition (stage.h). */
#include "exsol/stage.h"

#include "exsol/error.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void exsol_stage_notef(const struct exsol_stage_notes *n, int level, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    if (!n || !n->note)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    n->note(n->ctx, level, buf);
}

int exsol_row_status_of(int rc)
{
    return rc == EXSOL_EVALUE ? EXSOL_ROW_INVALID : EXSOL_ROW_SOLVER;
}

int exsol_stage_need(const exsol_ds *ds, const char *name, enum exsol_vkind kind,
                     const char *hint, char *err, size_t errlen)
{
    if (exsol_ds_var_kind(ds, name) == kind)
        return 0;
    return exsol_seterr(err, errlen, EXSOL_EMISSINGVAR,
                        "input has no per-candidate %s '%s' (%s)",
                        kind == EXSOL_VK_TEXT ? "text variable" : "variable", name, hint);
}

/* A unit string as UDUNITS products of symbols with integer powers and numbers:
 * "A m-1", "A/m", "A.m^-1" and "A*m**-1" are the same; "1" and "" are dimensionless.
 * No aliases ("kelvin" is not "K") and no prefixes ("nm" is its own symbol). */
struct uterm {
    char sym[16];
    int exp;
};
enum { UNITS_MAX_TERMS = 16 };

static int units_parse(const char *s, struct uterm *t, int *n, double *scale)
{
    int inv = 0;
    *n = 0;
    *scale = 1.0;
    while (*s) {
        if (*s == ' ' || *s == '.' || *s == '*') {
            s++;
            continue;
        }
        if (*s == '/') {
            inv = !inv;
            s++;
            continue;
        }
        if ((*s >= '0' && *s <= '9') ||
            ((*s == '-' || *s == '+') && s[1] >= '0' && s[1] <= '9')) {
            char *end;
            double v = strtod(s, &end);
            if (end == s || !(v != 0.0) || !isfinite(v))
                return -1;
            *scale = inv ? *scale / v : *scale * v;
            inv = 0;
            s = end;
            continue;
        }
        size_t l = 0;
        while ((s[l] >= 'a' && s[l] <= 'z') || (s[l] >= 'A' && s[l] <= 'Z') || s[l] == '_' ||
               s[l] == '%')
            l++;
        if (l == 0 || l >= sizeof t->sym || *n >= UNITS_MAX_TERMS)
            return -1;
        struct uterm u = {{0}, 1};
        memcpy(u.sym, s, l);
        s += l;
        if (*s == '^')
            s++;
        else if (s[0] == '*' && s[1] == '*')
            s += 2;
        if ((*s >= '0' && *s <= '9') ||
            ((*s == '-' || *s == '+') && s[1] >= '0' && s[1] <= '9')) {
            char *end;
            long e = strtol(s, &end, 10);
            if (e < -64 || e > 64)
                return -1;
            u.exp = (int)e;
            s = end;
        }
        if (inv)
            u.exp = -u.exp;
        inv = 0;
        int k = 0;
        while (k < *n && strcmp(t[k].sym, u.sym) != 0)
            k++;
        if (k == *n) {
            t[k] = u;
            (*n)++;
        } else {
            t[k].exp += u.exp;
        }
    }
    return 0;
}

static int units_same(const char *a, const char *b)
{
    struct uterm ta[UNITS_MAX_TERMS], tb[UNITS_MAX_TERMS];
    int na, nb;
    double sa, sb;
    if (strcmp(a, b) == 0)
        return 1;
    if (units_parse(a, ta, &na, &sa) || units_parse(b, tb, &nb, &sb) ||
        fabs(sa - sb) > 1e-12 * fabs(sb))
        return 0;
    for (int i = 0; i < na; i++) { /* every power of a is b's (and back) */
        int e = 0;
        for (int j = 0; j < nb; j++)
            if (strcmp(ta[i].sym, tb[j].sym) == 0)
                e = tb[j].exp;
        if (e != ta[i].exp)
            return 0;
    }
    for (int j = 0; j < nb; j++) {
        int e = 0;
        for (int i = 0; i < na; i++)
            if (strcmp(ta[i].sym, tb[j].sym) == 0)
                e = ta[i].exp;
        if (e != tb[j].exp)
            return 0;
    }
    return 1;
}

/* Whether some stage's schema declares `name` with units `units`; *decl gets one
 * declaration of `name` (NULL: none). */
static int units_declared(const char *name, const char *units, const char **decl)
{
    *decl = NULL;
    for (const struct exsol_schema *const *s = exsol_schemas; *s; s++)
        for (size_t i = 0; i < (*s)->nvars; i++) {
            const struct exsol_schema_var *v = &(*s)->vars[i];
            if (v->type == EXSOL_SCHEMA_TEXT || !v->units[0] || strcmp(v->name, name) != 0)
                continue;
            if (units_same(v->units, units))
                return 1;
            *decl = v->units;
        }
    return *decl == NULL;
}

int exsol_stage_check_units(const exsol_ds *ds, char *err, size_t errlen)
{
    char have[256];
    for (size_t i = 0; i < exsol_ds_nvars(ds); i++) {
        const char *name = exsol_ds_var_name(ds, i), *want;
        int rc = exsol_ds_get_att_text(ds, name, "units", have, sizeof have);
        if (rc == EXSOL_EMISSINGVAR)
            continue;
        if (rc == EXSOL_ENOMEM)
            return exsol_seterr(err, errlen, rc, "out of memory");
        if (rc != EXSOL_OK) {
            /* "\x01" matches no declaration: want is any declaration of name */
            if (!units_declared(name, "\x01", &want) && want)
                return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                                    "variable '%s' has a units attribute that is not text "
                                    "(exsol reads it in '%s')",
                                    name, want);
            continue;
        }
        if (!units_declared(name, have, &want))
            return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                                "variable '%s' has units '%s', but exsol reads it in '%s' "
                                "(convert it or fix its units attribute)",
                                name, have, want);
    }
    return 0;
}

int exsol_stage_read_doubles(const exsol_ds *ds, const char *const *names, size_t n,
                             size_t start, size_t count, double *const *bufs, char *err,
                             size_t errlen)
{
    int rc = 0;
    for (size_t k = 0; k < n && !rc; k++)
        rc = exsol_ds_read_double(ds, names[k], start, count, bufs[k], err, errlen);
    return rc;
}

/* Expands "{=key}" in `in` with the stage's numbers (%g) into buf. */
static int expand(const struct exsol_stage_type *t, const void *ctx, const char *in, char *buf,
                  size_t len)
{
    size_t o = 0;
    while (*in) {
        const char *p = strstr(in, "{=");
        const char *q = p ? strchr(p, '}') : NULL;
        if (!p || !q) {
            size_t n = strlen(in);
            if (o + n >= len)
                return EXSOL_EVALUE;
            memcpy(buf + o, in, n + 1);
            return 0;
        }
        char key[64];
        size_t kl = (size_t)(q - p - 2);
        double v;
        if (kl >= sizeof key || !t || !t->number)
            return EXSOL_EVALUE;
        memcpy(key, p + 2, kl);
        key[kl] = '\0';
        if (t->number(ctx, key, &v) != 0)
            return EXSOL_EVALUE;
        int n = snprintf(buf + o, len - o, "%.*s%g", (int)(p - in), in, v);
        if (n < 0 || (size_t)n >= len - o)
            return EXSOL_EVALUE;
        o += (size_t)n;
        in = q + 1;
    }
    buf[o] = '\0';
    return 0;
}

static int put_atts(const struct exsol_stage_type *t, const void *ctx, exsol_ds_out *o,
                    const struct exsol_schema_var *v)
{
    char txt[1024];
    int rc = 0;
    if (v->comment[0]) {
        rc = expand(t, ctx, v->comment, txt, sizeof txt);
        if (!rc)
            rc = exsol_ds_out_put_att_text(o, v->name, "comment", txt);
    }
    for (size_t i = 0; i < v->natts && !rc; i++) {
        const struct exsol_schema_att *a = &v->atts[i];
        if (!a->is_double && strcmp(a->name, "flag_values") == 0) {
            /* CF: flag_values has the variable's type; the CSV lists them "0 1 2" */
            int vals[32];
            size_t n = 0;
            const char *q = a->value;
            while (*q && n < 32) {
                char *end;
                long x = strtol(q, &end, 10);
                if (end == q)
                    return EXSOL_EVALUE;
                vals[n++] = (int)x;
                q = end;
                while (*q == ' ')
                    q++;
            }
            rc = exsol_ds_out_put_att_ints(o, v->name, a->name, vals, n);
            continue;
        }
        if (!a->is_double) {
            rc = expand(t, ctx, a->value, txt, sizeof txt);
            if (!rc)
                rc = exsol_ds_out_put_att_text(o, v->name, a->name, txt);
            continue;
        }
        if (a->is_double == 2) { /* int array: "0 1 2" */
            int iv[16];
            size_t n = 0;
            const char *q = a->value;
            while (*q) {
                char *end;
                errno = 0;
                long x = strtol(q, &end, 10);
                if (end == q || errno || n == sizeof iv / sizeof iv[0] || x < INT_MIN ||
                    x > INT_MAX)
                    return EXSOL_EVALUE;
                iv[n++] = (int)x;
                q = end;
                while (*q == ' ')
                    q++;
            }
            rc = exsol_ds_out_put_att_ints(o, v->name, a->name, iv, n);
            continue;
        }
        double d;
        size_t l = strlen(a->value);
        if (l > 3 && strncmp(a->value, "{=", 2) == 0 && a->value[l - 1] == '}') {
            char key[64];
            if (l - 3 >= sizeof key || !t || !t->number)
                return EXSOL_EVALUE;
            memcpy(key, a->value + 2, l - 3);
            key[l - 3] = '\0';
            if (t->number(ctx, key, &d) != 0)
                return EXSOL_EVALUE;
        } else {
            char *end;
            errno = 0;
            d = strtod(a->value, &end);
            if (errno || *end)
                return EXSOL_EVALUE;
        }
        rc = exsol_ds_out_put_att_double(o, v->name, a->name, d);
    }
    return rc;
}

static int is_status(const char *name)
{
    size_t n = strlen(name), k = strlen("_status");
    return n > k && strcmp(name + n - k, "_status") == 0;
}

/* The candidate id, gen's feasible flag, rank's dual_switch (0 for excluded rows) and
 * every <stage>_status are set for every row: no _FillValue, so xarray reads them as
 * integers. */
static int always_set(const char *name)
{
    return strcmp(name, EXSOL_CANDIDATE_DIM) == 0 || strcmp(name, "feasible") == 0 ||
           strcmp(name, "dual_switch") == 0 || is_status(name);
}

int exsol_stage_define(const struct exsol_stage_type *t, const void *ctx, exsol_ds_out *o)
{
    if (!t->omit)
        return exsol_schema_define(t->schema, t, ctx, o);
    unsigned char *omit = malloc(t->schema->nvars ? t->schema->nvars : 1);
    if (!omit)
        return EXSOL_ENOMEM;
    for (size_t v = 0; v < t->schema->nvars; v++)
        omit[v] = t->omit(ctx, (int)v) != 0;
    int rc = exsol_schema_define_omit(t->schema, t, ctx, o, omit);
    free(omit);
    return rc;
}

int exsol_schema_define(const struct exsol_schema *s, const struct exsol_stage_type *t,
                        const void *ctx, exsol_ds_out *o)
{
    return exsol_schema_define_omit(s, t, ctx, o, NULL);
}

int exsol_schema_define_omit(const struct exsol_schema *s, const struct exsol_stage_type *t,
                             const void *ctx, exsol_ds_out *o, const unsigned char *omit)
{
    int rc = 0;
    for (size_t i = 0; i < s->nvars && !rc; i++) {
        const struct exsol_schema_var *v = &s->vars[i];
        if (omit && omit[i])
            continue;
        size_t len = 0;
        const double *val;
        switch (v->shape) {
        case EXSOL_SCHEMA_COORD:
            val = t && t->values ? t->values(ctx, v->name, &len) : NULL;
            rc = val ? exsol_ds_out_def_coord(o, v->name, len, v->units, v->long_name, val)
                     : EXSOL_EVALUE;
            break;
        case EXSOL_SCHEMA_FIXED:
            val = t && t->values ? t->values(ctx, v->name, &len) : NULL;
            rc = val ? exsol_ds_out_def_fixed(o, v->name, v->dim, v->units, v->long_name, val)
                     : EXSOL_EVALUE;
            break;
        case EXSOL_SCHEMA_ROW:
        case EXSOL_SCHEMA_CURVE:
            if (v->type == EXSOL_SCHEMA_DOUBLE)
                rc = exsol_ds_out_def_double(o, v->name,
                                             v->shape == EXSOL_SCHEMA_CURVE ? v->dim : NULL,
                                             v->units, v->long_name);
            else if (v->type == EXSOL_SCHEMA_INT && always_set(v->name))
                rc = exsol_ds_out_def_int_set(o, v->name, v->units, v->long_name);
            else if (v->type == EXSOL_SCHEMA_INT)
                rc = exsol_ds_out_def_int(o, v->name, v->units, v->long_name);
            else
                rc = exsol_ds_out_def_text(o, v->name, v->width, v->long_name);
            break;
        }
        if (!rc)
            rc = put_atts(t, ctx, o, v);
    }
    return rc;
}

static size_t elem_size(enum exsol_schema_type ty)
{
    return ty == EXSOL_SCHEMA_DOUBLE ? sizeof(double)
           : ty == EXSOL_SCHEMA_INT  ? sizeof(int)
                                     : 1;
}

static void fill_row(const struct exsol_schema *s, const struct exsol_block *b, size_t k)
{
    for (size_t v = 0; v < s->nvars; v++) {
        if (!b->var[v])
            continue;
        size_t w = b->inner[v];
        switch (s->vars[v].type) {
        case EXSOL_SCHEMA_DOUBLE: {
            double *d = exsol_block_double(b, (int)v, k);
            for (size_t i = 0; i < w; i++)
                d[i] = NAN;
            break;
        }
        case EXSOL_SCHEMA_INT: {
            int *n = exsol_block_int(b, (int)v, k);
            for (size_t i = 0; i < w; i++)
                n[i] = EXSOL_FILL_INT;
            break;
        }
        case EXSOL_SCHEMA_TEXT:
            memset(exsol_block_text(b, (int)v, k), 0, w);
            break;
        }
    }
}

static int write_block(const struct exsol_schema *s, exsol_ds_out *o,
                       const struct exsol_block *b, char *err, size_t errlen)
{
    int rc = 0;
    for (size_t v = 0; v < s->nvars && !rc; v++) {
        const struct exsol_schema_var *sv = &s->vars[v];
        if (!b->var[v])
            continue;
        if (sv->type == EXSOL_SCHEMA_DOUBLE)
            rc = exsol_ds_out_write_double(o, sv->name, b->start, b->count, b->var[v], err,
                                           errlen);
        else if (sv->type == EXSOL_SCHEMA_INT)
            rc =
                exsol_ds_out_write_int(o, sv->name, b->start, b->count, b->var[v], err, errlen);
        else
            rc = exsol_ds_out_write_text(o, sv->name, b->start, b->count, b->var[v],
                                         b->inner[v], err, errlen);
    }
    return rc;
}

int exsol_stage_run(const struct exsol_stage_type *t, void *ctx, exsol_ds_out *o,
                    const struct exsol_stage_progress *pr, size_t *nrows, size_t *nfail_total,
                    double *compute_s, char *err, size_t errlen)
{
    const struct exsol_schema *s = t->schema;
    size_t n = exsol_stage_ctx_of(ctx)->nrows, B = EXSOL_BLOCK;
    void **var = calloc(s->nvars, sizeof *var);
    size_t *inner = calloc(s->nvars, sizeof *inner);
    int rc = 0;
    *nrows = n;
    *compute_s = 0.0;
    if (!var || !inner) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t v = 0; v < s->nvars; v++) {
        const struct exsol_schema_var *sv = &s->vars[v];
        if (sv->shape == EXSOL_SCHEMA_COORD || sv->shape == EXSOL_SCHEMA_FIXED)
            continue;
        if (t->omit && t->omit(ctx, (int)v))
            continue; /* not in the output: var[v] stays NULL */
        size_t w = 1;
        if (sv->type == EXSOL_SCHEMA_TEXT)
            w = sv->width;
        else if (sv->shape == EXSOL_SCHEMA_CURVE)
            t->values(ctx, sv->dim, &w);
        inner[v] = w;
        if (!(var[v] = malloc(B * (w ? w : 1) * elem_size(sv->type)))) {
            rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
            goto cleanup;
        }
    }
    struct exsol_block b = {0, 0, var, inner};
    for (size_t st = 0; st < n && !rc; st += B) {
        size_t cnt = n - st < B ? n - st : B;
        b.start = st;
        b.count = cnt;
        if ((rc = t->read(ctx, st, cnt, err, errlen)))
            break;
        for (size_t k = 0; k < cnt; k++)
            fill_row(s, &b, k);
        size_t nfail = 0;
        double tc = omp_get_wtime();
        if (t->row) {
#pragma omp parallel for schedule(dynamic, 16) reduction(+ : nfail)
            for (size_t k = 0; k < cnt; k++)
                nfail += (size_t)t->row(ctx, &b, k);
        } else {
            nfail = t->block(ctx, &b, pr);
        }
        double dt = omp_get_wtime() - tc;
        *compute_s += dt;
        *nfail_total += nfail;
        rc = write_block(s, o, &b, err, errlen);
        if (!rc && pr && pr->block_done) {
            struct exsol_stage_block_stats bs = {st, cnt, nfail, dt, NULL, {0}};
            for (size_t v = 0; v < s->nvars && !bs.status_var; v++)
                if (b.var[v] && s->vars[v].type == EXSOL_SCHEMA_INT &&
                    is_status(s->vars[v].name))
                    bs.status_var = s->vars[v].name;
            for (size_t v = 0; bs.status_var && v < s->nvars; v++)
                if (s->vars[v].name == bs.status_var)
                    for (size_t k = 0; k < cnt; k++) {
                        int code = *exsol_block_int(&b, (int)v, k);
                        if (code >= 0 && code < 5)
                            bs.status[code]++;
                    }
            pr->block_done(pr->ctx, &bs);
        }
        if (t->row && pr && pr->tick)
            pr->tick(pr->ctx, cnt);
    }
cleanup:
    if (var)
        for (size_t v = 0; v < s->nvars; v++)
            free(var[v]);
    free(var);
    free(inner);
    return rc;
}
