/* datasets/alloys.csv: Redlich–Kister parameters and the magnetic tables of binary
 * alloys (exsol/alloy.h). */
#include "exsol/alloy.h"

#include "exsol/error.h"
#include "exsol/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PAIRS 8
#define MAX_POINTS 16
#define NRK 3

enum { P_MS, P_K1, P_TC, NPROP };
static const char *const prop_name[NPROP] = {"Ms_0K", "K1", "T_C"};

struct pair {
    char a[8], b[8];
    int have_rk;
    double L[NRK], LT[NRK]; /* L_k = L[k] + LT[k] T */
    size_t n[NPROP];
    double x[NPROP][MAX_POINTS], v[NPROP][MAX_POINTS]; /* sorted by x */
};

struct exsol_alloys {
    size_t npairs;
    struct pair p[MAX_PAIRS];
};

void exsol_alloys_free(exsol_alloys *a)
{
    free(a);
}

static struct pair *pair_get(exsol_alloys *a, const char *name, int create)
{
    const char *dash = strchr(name, '-');
    if (!dash || dash == name || !dash[1] || (size_t)(dash - name) >= sizeof a->p[0].a ||
        strlen(dash + 1) >= sizeof a->p[0].b)
        return NULL;
    for (size_t i = 0; i < a->npairs; i++)
        if (strncmp(a->p[i].a, name, (size_t)(dash - name)) == 0 &&
            a->p[i].a[dash - name] == '\0' && strcmp(a->p[i].b, dash + 1) == 0)
            return &a->p[i];
    if (!create || a->npairs == MAX_PAIRS)
        return NULL;
    struct pair *p = &a->p[a->npairs++];
    memset(p, 0, sizeof *p);
    memcpy(p->a, name, (size_t)(dash - name));
    snprintf(p->b, sizeof p->b, "%s", dash + 1);
    return p;
}

int exsol_alloys_load(exsol_alloys **out, char *err, size_t errlen)
{
    *out = NULL;
    exsol_table *t = NULL;
    int rc = exsol_table_load("alloys", &t, err, errlen);
    if (rc)
        return rc;
    exsol_alloys *a = calloc(1, sizeof *a);
    if (!a) {
        exsol_table_free(t);
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    }
    int cp = exsol_table_col(t, "pair"), cq = exsol_table_col(t, "property"),
        cx = exsol_table_col(t, "x"), cv = exsol_table_col(t, "value"),
        cu = exsol_table_col(t, "unit");
    if (cp < 0 || cq < 0 || cx < 0 || cv < 0 || cu < 0) {
        rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                          "alloys.csv needs the columns pair, property, x, value, unit");
        goto done;
    }
    for (size_t r = 0; r < exsol_table_nrows(t); r++) {
        const char *pn = exsol_table_cell(t, r, cp), *q = exsol_table_cell(t, r, cq);
        const char *xs = exsol_table_cell(t, r, cx);
        char *end;
        double raw = strtod(exsol_table_cell(t, r, cv), &end), si;
        if (end == exsol_table_cell(t, r, cv) || *end ||
            exsol_unit_to_si(exsol_table_cell(t, r, cu), raw, &si, NULL) != 0) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                              "alloys.csv row %zu (%s %s): bad value or unit", r + 1, pn, q);
            goto done;
        }
        struct pair *p = pair_get(a, pn, 1);
        if (!p) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                              "alloys.csv row %zu: bad pair '%s' (write A-B)", r + 1, pn);
            goto done;
        }
        int k = -1, isT = 0;
        if ((q[0] == 'L') && q[1] >= '0' && q[1] < '0' + NRK &&
            (!q[2] || strcmp(q + 2, "_T") == 0)) {
            k = q[1] - '0';
            isT = q[2] != '\0';
            if (isT)
                p->LT[k] = si;
            else
                p->L[k] = si;
            p->have_rk |= 1 << (2 * k + isT);
            continue;
        }
        for (int j = 0; j < NPROP; j++)
            if (strcmp(q, prop_name[j]) == 0)
                k = j;
        double x = strtod(xs, &end);
        if (k < 0 || end == xs || *end || !(x >= 0 && x <= 1) || p->n[k] == MAX_POINTS) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                              "alloys.csv row %zu (%s %s): unknown property, x outside [0, 1] "
                              "or too many points",
                              r + 1, pn, q);
            goto done;
        }
        size_t i = p->n[k]++;
        while (i > 0 && p->x[k][i - 1] > x) { /* keep sorted */
            p->x[k][i] = p->x[k][i - 1];
            p->v[k][i] = p->v[k][i - 1];
            i--;
        }
        if (i > 0 && p->x[k][i - 1] == x) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET, "alloys.csv: %s %s at x = %g twice",
                              pn, q, x);
            goto done;
        }
        p->x[k][i] = x;
        p->v[k][i] = si;
    }
done:
    exsol_table_free(t);
    if (rc) {
        free(a);
        return rc;
    }
    *out = a;
    return EXSOL_OK;
}

/* The pair of m1, m2 in either order; *flip = 1 when the table has m2-m1. */
static const struct pair *find(const exsol_alloys *a, const char *m1, const char *m2, int *flip)
{
    for (size_t i = 0; a && i < a->npairs; i++) {
        const struct pair *p = &a->p[i];
        if (strcmp(p->a, m1) == 0 && strcmp(p->b, m2) == 0) {
            *flip = 0;
            return p;
        }
        if (strcmp(p->a, m2) == 0 && strcmp(p->b, m1) == 0) {
            *flip = 1;
            return p;
        }
    }
    return NULL;
}

int exsol_alloys_has_pair(const exsol_alloys *a, const char *m1, const char *m2)
{
    int flip;
    const struct pair *p = find(a, m1, m2, &flip);
    return p && p->have_rk == (1 << (2 * NRK)) - 1 && p->n[P_MS] && p->n[P_K1] && p->n[P_TC];
}

int exsol_alloys_rk(const exsol_alloys *a, const char *m1, const char *m2, double T_K,
                    double L[3])
{
    int flip;
    const struct pair *p = find(a, m1, m2, &flip);
    if (!p || !p->have_rk)
        return EXSOL_EUNKNOWN;
    /* the table's x is x_B; (1 - 2x) changes sign with the order of the pair */
    for (int k = 0; k < NRK; k++)
        L[k] = (flip && (k & 1) ? -1.0 : 1.0) * (p->L[k] + p->LT[k] * T_K);
    return EXSOL_OK;
}

static double interp(const double *x, const double *v, size_t n, double X)
{
    if (X <= x[0])
        return v[0];
    if (X >= x[n - 1])
        return v[n - 1];
    size_t i = 1;
    while (i < n - 1 && x[i] < X)
        i++;
    double t = (X - x[i - 1]) / (x[i] - x[i - 1]);
    return v[i - 1] + t * (v[i] - v[i - 1]);
}

int exsol_alloys_magnet(const exsol_alloys *a, const char *m1, const char *m2, double X,
                        double *Ms, double *K1, double *TC)
{
    int flip;
    const struct pair *p = find(a, m1, m2, &flip);
    if (!p || !p->n[P_MS] || !p->n[P_K1] || !p->n[P_TC] || !isfinite(X))
        return EXSOL_EUNKNOWN;
    double xb = flip ? 1.0 - X : X;
    double *dst[NPROP] = {Ms, K1, TC};
    for (int k = 0; k < NPROP; k++)
        *dst[k] = interp(p->x[k], p->v[k], p->n[k], xb);
    return EXSOL_OK;
}
