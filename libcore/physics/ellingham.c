/* Ellingham driving force (kinetics-and-magnetism.md §2.1, §3.2): oxygen partial
 * pressure of an H2/H2O gas from ΔfG°(H2O, g), and the metal/oxide equilibrium
 * pO2 from the Holmes, O'Neill & Arculus (1986) data, linearised as in the
 * reference. Tables: datasets/gas.csv, datasets/oxides.csv, and the metal's molar volume
 * from its record in datasets/metals.csv. */
#include "exsol/constants.h"
#include "exsol/error.h"
#include "exsol/parse.h"
#include "exsol/reduce.h"
#include "exsol/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GAS 32
#define MAX_OX 32

struct oxide {
    char metal[8];
    double dfG_1300, dfS_298, n_O, Vm;
};

struct exsol_ellingham {
    size_t ngas, nox;
    double T[MAX_GAS], G[MAX_GAS];
    struct oxide ox[MAX_OX];
};

void exsol_ellingham_free(exsol_ellingham *e)
{
    free(e);
}

static int cell_double(const exsol_table *t, size_t row, const char *col, double *v, char *err,
                       size_t errlen)
{
    int c = exsol_table_col(t, col);
    if (c < 0)
        return exsol_seterr(err, errlen, EXSOL_EDATASET, "table %s has no column '%s'",
                            exsol_table_name(t), col);
    if (exsol_parse_double(exsol_table_cell(t, row, c), v, err, errlen) != 0)
        return exsol_seterr(err, errlen, EXSOL_EDATASET, "table %s row %zu: bad %s '%s'",
                            exsol_table_name(t), row + 1, col, exsol_table_cell(t, row, c));
    return 0;
}

static int row_si(const exsol_table *t, size_t row, double *si, char *err, size_t errlen)
{
    double v;
    int rc = cell_double(t, row, "value", &v, err, errlen);
    if (rc)
        return rc;
    const char *unit = exsol_table_cell(t, row, exsol_table_col(t, "unit"));
    if (exsol_unit_to_si(unit, v, si, NULL) != 0)
        return exsol_seterr(err, errlen, EXSOL_EDATASET, "table %s row %zu: unknown unit '%s'",
                            exsol_table_name(t), row + 1, unit);
    return 0;
}

int exsol_ellingham_load(exsol_ellingham **out, char *err, size_t errlen)
{
    *out = NULL;
    exsol_table *gas = NULL, *ox = NULL, *metals = NULL;
    exsol_ellingham *e = calloc(1, sizeof *e);
    int rc = EXSOL_OK;
    if (!e)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    if ((rc = exsol_table_load("gas", &gas, err, errlen)) != 0)
        goto done;
    if ((rc = exsol_table_load("oxides", &ox, err, errlen)) != 0)
        goto done;
    if ((rc = exsol_table_load("metals", &metals, err, errlen)) != 0)
        goto done;
    int cs = exsol_table_col(gas, "species");
    if (cs < 0 || exsol_table_col(gas, "unit") < 0) {
        rc = exsol_seterr(err, errlen, EXSOL_EDATASET, "table gas: missing columns");
        goto done;
    }
    for (size_t r = 0; r < exsol_table_nrows(gas); r++) {
        if (strcmp(exsol_table_cell(gas, r, cs), "H2O_g") != 0)
            continue;
        if (e->ngas == MAX_GAS) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET, "table gas: too many rows");
            goto done;
        }
        double T, G;
        if ((rc = cell_double(gas, r, "T", &T, err, errlen)) != 0 ||
            (rc = row_si(gas, r, &G, err, errlen)) != 0)
            goto done;
        size_t i = e->ngas++;
        while (i > 0 && e->T[i - 1] > T) { /* keep sorted by T */
            e->T[i] = e->T[i - 1];
            e->G[i] = e->G[i - 1];
            i--;
        }
        e->T[i] = T;
        e->G[i] = G;
    }
    if (e->ngas < 2) {
        rc = exsol_seterr(err, errlen, EXSOL_EDATASET, "table gas: need >= 2 H2O_g rows");
        goto done;
    }
    int cm = exsol_table_col(ox, "metal"), cq = exsol_table_col(ox, "quantity");
    if (cm < 0 || cq < 0 || exsol_table_col(ox, "unit") < 0) {
        rc = exsol_seterr(err, errlen, EXSOL_EDATASET, "table oxides: missing columns");
        goto done;
    }
    for (size_t r = 0; r < exsol_table_nrows(ox); r++) {
        const char *metal = exsol_table_cell(ox, r, cm);
        const char *q = exsol_table_cell(ox, r, cq);
        size_t k;
        for (k = 0; k < e->nox; k++)
            if (strcmp(e->ox[k].metal, metal) == 0)
                break;
        if (k == e->nox) {
            if (e->nox == MAX_OX || strlen(metal) >= sizeof e->ox[0].metal) {
                rc = exsol_seterr(err, errlen, EXSOL_EDATASET, "table oxides: bad metal '%s'",
                                  metal);
                goto done;
            }
            k = e->nox++;
            snprintf(e->ox[k].metal, sizeof e->ox[k].metal, "%s", metal);
            e->ox[k].dfG_1300 = e->ox[k].dfS_298 = e->ox[k].Vm = NAN;
            e->ox[k].n_O = 1.0;
            /* absent: NaN, and exsol_ellingham_pO2_eq_atm says EXSOL_EDATASET */
            if (exsol_table_value(metals, &e->ox[k].Vm, NULL, 0, "metal", metal, "property",
                                  "molar_volume", NULL) != EXSOL_OK)
                e->ox[k].Vm = NAN;
        }
        double v;
        if ((rc = row_si(ox, r, &v, err, errlen)) != 0)
            goto done;
        if (strcmp(q, "dfG_1300") == 0)
            e->ox[k].dfG_1300 = v;
        else if (strcmp(q, "dfS_298") == 0)
            e->ox[k].dfS_298 = v;
        else if (strcmp(q, "O_per_oxide") == 0)
            e->ox[k].n_O = v;
    }
    *out = e;
    e = NULL;
done:
    exsol_table_free(gas);
    exsol_table_free(ox);
    exsol_table_free(metals);
    free(e);
    return rc;
}

double exsol_ellingham_dfG_H2O(const exsol_ellingham *e, double T_K)
{
    size_t i = 0;
    while (i + 2 < e->ngas && T_K > e->T[i + 1])
        i++;
    double s = (e->G[i + 1] - e->G[i]) / (e->T[i + 1] - e->T[i]);
    return e->G[i] + s * (T_K - e->T[i]);
}

double exsol_ellingham_pO2_gas_atm(const exsol_ellingham *e, double T_K, double pH2_Pa,
                                   double pH2O_Pa)
{
    if (!(pH2_Pa > 0.0) || !(pH2O_Pa >= 0.0) || !(T_K > 0.0))
        return NAN;
    double r = pH2O_Pa / pH2_Pa;
    return r * r * exp(2.0 * exsol_ellingham_dfG_H2O(e, T_K) / (EXSOL_RGAS * T_K));
}

int exsol_ellingham_pO2_eq_atm(const exsol_ellingham *e, const char *metal, double T_K,
                               double *pO2_atm, double *Vm_m3_mol)
{
    for (size_t k = 0; k < e->nox; k++) {
        const struct oxide *o = &e->ox[k];
        if (strcmp(o->metal, metal) != 0)
            continue;
        if (!isfinite(o->dfG_1300) || !isfinite(o->dfS_298) || !(o->n_O > 0) ||
            (Vm_m3_mol && !(o->Vm > 0)))
            return EXSOL_EDATASET;
        /* ΔfG(T) per mol oxide, linearised about 1300 K; per mol O2: ×2/n_O */
        double G = o->dfG_1300 - o->dfS_298 * (T_K - 1300.0);
        *pO2_atm = exp(2.0 * G / (o->n_O * EXSOL_RGAS * T_K));
        if (Vm_m3_mol)
            *Vm_m3_mol = o->Vm;
        return EXSOL_OK;
    }
    return EXSOL_EUNKNOWN;
}

double exsol_ellingham_x_eq(double pO2_gas_atm, double pO2_eq_atm, double valence,
                            double host_gamma)
{
    return pow(pO2_gas_atm / pO2_eq_atm, 0.25 * valence) / host_gamma;
}
