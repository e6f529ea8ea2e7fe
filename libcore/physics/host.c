/* Host records from datasets/hosts.csv: see exsol/host.h.
 *
 * The checks here are the ones the physics relies on without looking again: valences
 * of the right sign (cations positive, the anion negative) and a positive anion count,
 * so -anion_valence * anion_count is the positive cation charge of a stoichiometric
 * film and the dopant charge v - B_valence is well defined. Agreement with
 * elements.csv is a dataset property, checked by tests/unit/test_datasets_consistency.c
 * rather than at every load. */
#include "exsol/host.h"

#include "exsol/error.h"
#include "exsol/parse.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int copy_cell(const exsol_table *t, size_t row, const char *col, char *dst, size_t n,
                     char *err, size_t errlen)
{
    int c = exsol_table_col(t, col);
    if (c < 0)
        return exsol_seterr(err, errlen, EXSOL_EDATASET, "table '%s' has no column '%s'",
                            exsol_table_name(t), col);
    const char *s = exsol_table_cell(t, row, c);
    size_t len = strlen(s);
    if (len == 0 || len >= n)
        return exsol_seterr(err, errlen, EXSOL_EDATASET, "table '%s' row %zu: bad %s '%s'",
                            exsol_table_name(t), row + 1, col, s);
    memcpy(dst, s, len + 1);
    return EXSOL_OK;
}

static int int_cell(const exsol_table *t, size_t row, const char *col, int *out, char *err,
                    size_t errlen)
{
    char buf[16], *end = NULL;
    int rc = copy_cell(t, row, col, buf, sizeof buf, err, errlen);
    if (rc)
        return rc;
    errno = 0;
    long v = strtol(buf, &end, 10);
    if (errno || *end || v < -99 || v > 99)
        return exsol_seterr(err, errlen, EXSOL_EDATASET,
                            "table '%s' row %zu: %s '%s' is not a small integer",
                            exsol_table_name(t), row + 1, col, buf);
    *out = (int)v;
    return EXSOL_OK;
}

static void known_hosts(const exsol_table *t, int col, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t r = 0; r < exsol_table_nrows(t); r++) {
        int w =
            snprintf(buf + used, n - used, "%s%s", r ? ", " : "", exsol_table_cell(t, r, col));
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

int exsol_host_from_table(const exsol_table *t, const char *name, struct exsol_host *h,
                          char *err, size_t errlen)
{
    int rc, ch = exsol_table_col(t, "host");
    memset(h, 0, sizeof *h);
    if (ch < 0)
        return exsol_seterr(err, errlen, EXSOL_EDATASET, "table '%s' has no column 'host'",
                            exsol_table_name(t));
    if (exsol_table_nrows(t) == 0)
        return exsol_seterr(err, errlen, EXSOL_EDATASET, "table '%s' has no host",
                            exsol_table_name(t));
    long row = name ? exsol_table_find(t, "host", name, NULL) : 0;
    if (row < 0) {
        char known[256];
        known_hosts(t, ch, known, sizeof known);
        return exsol_seterr(err, errlen, EXSOL_EUNKNOWN, "unknown host '%s' (known: %s)", name,
                            known);
    }
    size_t r = (size_t)row;
    char params[sizeof h->parameters + 4];
    if ((rc = copy_cell(t, r, "host", h->name, sizeof h->name, err, errlen)) ||
        (rc = copy_cell(t, r, "A_host", h->A_host, sizeof h->A_host, err, errlen)) ||
        (rc = int_cell(t, r, "A_valence", &h->A_valence, err, errlen)) ||
        (rc = copy_cell(t, r, "B_host", h->B_host, sizeof h->B_host, err, errlen)) ||
        (rc = int_cell(t, r, "B_valence", &h->B_valence, err, errlen)) ||
        (rc = copy_cell(t, r, "anion", h->anion, sizeof h->anion, err, errlen)) ||
        (rc = int_cell(t, r, "anion_valence", &h->anion_valence, err, errlen)) ||
        (rc = copy_cell(t, r, "parameters", params, sizeof params, err, errlen)))
        return rc;
    const char *cnt = exsol_table_cell(t, r, exsol_table_col(t, "anion_count"));
    if (!cnt || exsol_parse_double(cnt, &h->anion_count, NULL, 0) || !(h->anion_count > 0))
        return exsol_seterr(err, errlen, EXSOL_EDATASET,
                            "table '%s' host %s: anion_count '%s' is not a positive number",
                            exsol_table_name(t), h->name, cnt ? cnt : "");
    if (!(h->A_valence > 0 && h->B_valence > 0 && h->anion_valence < 0))
        return exsol_seterr(err, errlen, EXSOL_EDATASET,
                            "table '%s' host %s: cation valences must be > 0 and the anion's "
                            "< 0 (A %d, B %d, anion %d)",
                            exsol_table_name(t), h->name, h->A_valence, h->B_valence,
                            h->anion_valence);
    /* the parameters file as written ("host-srtio3.csv"); tables load by name */
    size_t pl = strlen(params);
    if (pl <= 4 || strcmp(params + pl - 4, ".csv") != 0)
        return exsol_seterr(err, errlen, EXSOL_EDATASET,
                            "table '%s' host %s: parameters '%s' is not a .csv file name",
                            exsol_table_name(t), h->name, params);
    memcpy(h->parameters, params, pl - 4);
    h->parameters[pl - 4] = '\0';
    return EXSOL_OK;
}

int exsol_host_find(const char *name, struct exsol_host *h, char *err, size_t errlen)
{
    exsol_table *t = NULL;
    int rc = exsol_table_load("hosts", &t, err, errlen);
    if (rc == EXSOL_OK)
        rc = exsol_host_from_table(t, name, h, err, errlen);
    exsol_table_free(t);
    return rc;
}

int exsol_host_default(struct exsol_host *h, char *err, size_t errlen)
{
    return exsol_host_find(NULL, h, err, errlen);
}

double exsol_host_anion_charge(const struct exsol_host *h)
{
    return -(double)h->anion_valence * h->anion_count;
}

double exsol_host_row_lattice(double V_fu_m3, double a_host_m)
{
    double av = V_fu_m3 > 0 ? cbrt(V_fu_m3) : NAN;
    return av > 0 && fabs(av - a_host_m) > 1e-9 * a_host_m ? av : 0.0;
}

int exsol_host_all(struct exsol_host *out, size_t max, size_t *n, char *err, size_t errlen)
{
    exsol_table *t = NULL;
    *n = 0;
    int rc = exsol_table_load("hosts", &t, err, errlen);
    int ch = rc ? -1 : exsol_table_col(t, "host");
    if (!rc && ch < 0)
        rc = exsol_seterr(err, errlen, EXSOL_EDATASET, "table 'hosts' has no column 'host'");
    for (size_t r = 0; !rc && r < exsol_table_nrows(t); r++) {
        if (r >= max) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                              "table 'hosts' has more than %zu hosts", max);
            break;
        }
        if (!(rc = exsol_host_from_table(t, exsol_table_cell(t, r, ch), &out[r], err, errlen)))
            (*n)++;
    }
    exsol_table_free(t);
    return rc;
}

long exsol_host_index(const struct exsol_host *hosts, size_t n, const char *name)
{
    if (!name || !*name)
        return 0; /* files without a host: the default host */
    for (size_t i = 0; i < n; i++)
        if (strcmp(hosts[i].name, name) == 0)
            return (long)i;
    return -1;
}
