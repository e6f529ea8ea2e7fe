/* libFuzzer target: a row filter expression (exsol-table/exsol-rank -i/-e EXPR,
 * libcore/base/expr.c). Any input: EXSOL_EUSAGE (or EXSOL_ENOMEM) with a non-empty
 * one-line message, or an expression whose variables the lookup knows and whose
 * value on a few rows is 0 or 1, the same for "(EXPR)" and the opposite for "!(EXPR)"
 * whenever those parse. Names starting a-m are numbers, n-z text, others unknown. */
#include "exsol/error.h"
#include "exsol/expr.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum exsol_expr_type lookup(void *ctx, const char *name, char *why, size_t len)
{
    (void)ctx;
    if (name[0] >= 'a' && name[0] <= 'm')
        return EXSOL_EXPR_NUMBER;
    if (name[0] >= 'n' && name[0] <= 'z')
        return EXSOL_EXPR_TEXT;
    if (len > 8)
        memcpy(why, "unknown", 8);
    return EXSOL_EXPR_NONE;
}

static exsol_expr *parse(const char *s)
{
    char err[512];
    exsol_expr *e = NULL;
    err[0] = '\0';
    int rc = exsol_expr_parse(s, lookup, NULL, &e, err, sizeof err);
    if (rc == 0) {
        if (!e)
            abort();
        return e;
    }
    if (e || (rc != EXSOL_EUSAGE && rc != EXSOL_ENOMEM) || !err[0] || strchr(err, '\n') ||
        !memchr(err, '\0', sizeof err))
        abort();
    return NULL;
}

static int eval_row(const exsol_expr *e, int row)
{
    static const double nums[] = {0.0, 1.0, -2.5, 900.0, NAN, 1e300};
    static const char *const texts[] = {"Ni", "", "La0.2Sr0.7Ni0.1Ti0.9O3", NULL, "x", "Co"};
    double num[64];
    const char *text[64];
    size_t n = exsol_expr_nvars(e);
    if (n > 64)
        abort(); /* the inputs are short enough for this */
    for (size_t i = 0; i < n; i++) {
        if (!exsol_expr_var(e, i) || exsol_expr_var_type(e, i) == EXSOL_EXPR_NONE)
            abort();
        num[i] = nums[(i + (size_t)row) % 6];
        text[i] = texts[(i * 7 + (size_t)row) % 6];
    }
    int r = exsol_expr_eval(e, num, text);
    if (r != 0 && r != 1)
        abort();
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[300], w[320];
    if (size >= 256)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    exsol_expr *e = parse(s);
    if (!e)
        return 0;
    snprintf(w, sizeof w, "(%s)", s);
    exsol_expr *p = parse(w);
    snprintf(w, sizeof w, "!(%s)", s);
    exsol_expr *q = parse(w);
    for (int row = 0; row < 6; row++) {
        int r = eval_row(e, row);
        if (p && eval_row(p, row) != r)
            abort();
        if (q && eval_row(q, row) != !r)
            abort();
    }
    exsol_expr_free(e);
    exsol_expr_free(p);
    exsol_expr_free(q);
    return 0;
}
