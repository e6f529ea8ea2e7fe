/* Epitaxial strain (exsol/strain.h; breadth-and-uncertainty.md §5). */
#include "exsol/strain.h"

#include "exsol/error.h"
#include "exsol/parse.h"
#include "exsol/table.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void known_substrates(const exsol_table *t, int col, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t r = 0; r < exsol_table_nrows(t) && len + 1 < n; r++) {
        const char *s = exsol_table_cell(t, r, col);
        int w = snprintf(buf + len, n - len, "%s%s", r ? ", " : "", s ? s : "");
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

int exsol_substrate_lattice(const char *name, double *a_m, char *err, size_t errlen)
{
    exsol_table *t = NULL;
    int rc = exsol_table_load("substrates", &t, err, errlen);
    if (rc)
        return rc;
    int col = exsol_table_col(t, "substrate");
    if (col < 0) {
        exsol_table_free(t);
        return exsol_seterr(err, errlen, EXSOL_EDATASET,
                            "table 'substrates' has no column 'substrate'");
    }
    long row = exsol_table_find(t, "substrate", name ? name : "", NULL);
    if (row < 0) {
        char known[256];
        known_substrates(t, col, known, sizeof known);
        exsol_table_free(t);
        return exsol_seterr(err, errlen, EXSOL_EUNKNOWN, "unknown substrate '%s' (known: %s)",
                            name ? name : "", known);
    }
    rc = exsol_table_value(t, a_m, err, errlen, "substrate", name, NULL);
    exsol_table_free(t);
    if (rc == EXSOL_OK && !(*a_m > 0))
        rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                          "table 'substrates': lattice parameter of %s is not positive", name);
    return rc;
}

int exsol_film_lattice(const struct exsol_host *h, double *a_m, char *err, size_t errlen)
{
    exsol_table *t = NULL;
    int rc = exsol_table_load(h->parameters, &t, err, errlen);
    if (rc == EXSOL_OK)
        rc = exsol_table_value(t, a_m, err, errlen, "name", "a_lattice", NULL);
    exsol_table_free(t);
    if (rc == EXSOL_EUNKNOWN)
        return exsol_seterr(err, errlen, EXSOL_EDATASET,
                            "host %s: its parameters (%s.csv) have no a_lattice row", h->name,
                            h->parameters);
    if (rc == EXSOL_OK && !(*a_m > 0))
        rc = exsol_seterr(err, errlen, EXSOL_EDATASET, "host %s: a_lattice is not positive",
                          h->name);
    return rc;
}

double exsol_misfit_strain(double a_sub_m, double a_film_m)
{
    return (a_sub_m - a_film_m) / a_film_m;
}

int exsol_strain_parse(const char *s, double *eps, char *err, size_t errlen)
{
    char buf[64];
    size_t n = s ? strlen(s) : 0;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    int pct = n && s[n - 1] == '%';
    if (pct)
        n--;
    if (!n || n >= sizeof buf)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "strain '%s': give a number (-0.01) or a percentage (-1%%)",
                            s ? s : "");
    memcpy(buf, s, n);
    buf[n] = '\0';
    double v;
    char msg[128];
    if (exsol_parse_quantity(buf, EXSOL_QTY_NUMBER, NAN, &v, msg, sizeof msg))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "strain '%s': give a number (-0.01) or a percentage (-1%%)", s);
    if (pct)
        v /= 100.0;
    if (!(fabs(v) < 0.2))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "strain '%s' is outside (-20%%, +20%%): not an epitaxial strain",
                            s);
    *eps = v == 0.0 ? 0.0 : v;
    return EXSOL_OK;
}

double exsol_biaxial_modulus(double c11_Pa, double c12_Pa)
{
    return c11_Pa + c12_Pa - 2.0 * c12_Pa * c12_Pa / c11_Pa;
}

double exsol_strain_dmu(double M_biax_Pa, double V_fu_m3, double eta, double beta,
                        double Omega_metal_m3, double eps)
{
    if (eps == 0.0)
        return 0.0;
    return -2.0 * M_biax_Pa * V_fu_m3 * eta * eps -
           beta * M_biax_Pa * eps * eps * Omega_metal_m3;
}
