/* Ellingham driving force and the valence of the dissolved dopant at the anneal
 * (kinetics-and-magnetism.md §2.1, §3.2; breadth-and-uncertainty.md §1.1-1.2): oxygen
 * partial pressure of an H2/H2O gas from ΔfG°(H2O, g), the metal / lowest-oxide line
 * (ΔG° = A + BT + CT lnT per mol O2) and the one-electron couples of the dissolved ion,
 * which fix the valence fractions θ_v of a dilute ideal solution at the gas pO2.
 * Tables: datasets/gas.csv, datasets/oxides.csv, and the metal's molar volume from its
 * record in datasets/metals.csv. */
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
#define MAX_OX 16    /* metals */
#define MAX_COUPLE 8 /* metal line + ion steps per metal */

/* ΔG°(T) = A + B T + C T ln T per mol O2 */
struct couple {
    double v_low, v_high, A, B, C;
};

struct oxide {
    char metal[8];
    double Vm;
    int have_metal;
    struct couple line; /* metal / lowest oxide */
    size_t nion;        /* one-electron steps v -> v + 1, sorted by v */
    struct couple ion[MAX_COUPLE];
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

/* One couple row of oxides.csv into *c; the metal's record is *o. */
static int load_couple(const exsol_table *ox, size_t r, struct oxide *o, char *err,
                       size_t errlen)
{
    struct couple c;
    int rc;
    if ((rc = cell_double(ox, r, "v_low", &c.v_low, err, errlen)) ||
        (rc = cell_double(ox, r, "v_high", &c.v_high, err, errlen)) ||
        (rc = cell_double(ox, r, "A", &c.A, err, errlen)) ||
        (rc = cell_double(ox, r, "B", &c.B, err, errlen)) ||
        (rc = cell_double(ox, r, "C", &c.C, err, errlen)))
        return rc;
    const char *use = exsol_table_cell(ox, r, exsol_table_col(ox, "use"));
    if (strcmp(use, "phase") == 0)
        return 0;
    if (strcmp(use, "metal") == 0) {
        if (c.v_low != 0.0 || !(c.v_high > 0 && c.v_high < 8) || o->have_metal)
            return exsol_seterr(err, errlen, EXSOL_EDATASET,
                                "table oxides row %zu: %s needs one metal line with v_low = 0 "
                                "and 0 < v_high < 8",
                                r + 1, o->metal);
        o->line = c;
        o->have_metal = 1;
        return 0;
    }
    if (strcmp(use, "ion") != 0 || c.v_high != c.v_low + 1.0 || !(c.v_low > 0) ||
        o->nion == MAX_COUPLE)
        return exsol_seterr(err, errlen, EXSOL_EDATASET,
                            "table oxides row %zu: use '%s' (metal, ion or phase; an ion step "
                            "raises the valence by one)",
                            r + 1, use);
    size_t i = o->nion++;
    while (i > 0 && o->ion[i - 1].v_low > c.v_low) {
        o->ion[i] = o->ion[i - 1];
        i--;
    }
    o->ion[i] = c;
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
    int cm = exsol_table_col(ox, "metal");
    if (cm < 0 || exsol_table_col(ox, "use") < 0) {
        rc = exsol_seterr(err, errlen, EXSOL_EDATASET, "table oxides: missing columns");
        goto done;
    }
    for (size_t r = 0; r < exsol_table_nrows(ox); r++) {
        const char *metal = exsol_table_cell(ox, r, cm);
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
            /* absent: NaN, and exsol_ellingham_pO2_eq_atm says EXSOL_EDATASET */
            if (exsol_table_value(metals, &e->ox[k].Vm, NULL, 0, "metal", metal, "property",
                                  "molar_volume", NULL) != EXSOL_OK)
                e->ox[k].Vm = NAN;
        }
        if ((rc = load_couple(ox, r, &e->ox[k], err, errlen)) != 0)
            goto done;
    }
    for (size_t k = 0; k < e->nox; k++) { /* the ion steps continue the metal line */
        const struct oxide *o = &e->ox[k];
        double v = o->line.v_high;
        for (size_t i = 0; i < o->nion; i++, v += 1.0)
            if (!o->have_metal || o->ion[i].v_low != v) {
                rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                                  "table oxides: %s ion steps must start at the metal line's "
                                  "valence and go up by one",
                                  o->metal);
                goto done;
            }
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

static double couple_dG(const struct couple *c, double T_K)
{
    return c->A + c->B * T_K + c->C * T_K * log(T_K);
}

static const struct oxide *find_oxide(const exsol_ellingham *e, const char *metal)
{
    for (size_t k = 0; k < e->nox; k++)
        if (strcmp(e->ox[k].metal, metal) == 0)
            return &e->ox[k];
    return NULL;
}

int exsol_ellingham_pO2_eq_atm(const exsol_ellingham *e, const char *metal, double T_K,
                               double *pO2_atm, double *Vm_m3_mol)
{
    const struct oxide *o = find_oxide(e, metal);
    if (!o)
        return EXSOL_EUNKNOWN;
    if (!o->have_metal || (Vm_m3_mol && !(o->Vm > 0)))
        return EXSOL_EDATASET;
    *pO2_atm = exp(couple_dG(&o->line, T_K) / (EXSOL_RGAS * T_K));
    if (Vm_m3_mol)
        *Vm_m3_mol = o->Vm;
    return EXSOL_OK;
}

int exsol_ellingham_valence(const exsol_ellingham *e, const char *metal, double T_K,
                            double pO2_gas_atm, struct exsol_valence_state *out)
{
    const struct oxide *o = find_oxide(e, metal);
    if (!o)
        return EXSOL_EUNKNOWN;
    if (!o->have_metal)
        return EXSOL_EDATASET;
    if (!(T_K > 0) || !(pO2_gas_atm > 0) || !isfinite(pO2_gas_atm))
        return EXSOL_EVALUE;
    /* ln of the unnormalised weights w_v = Π_{j<v} r_j, r_j = (pO2/pO2_j)^{1/4} */
    double lw[MAX_COUPLE + 1], lmax = 0.0, lnp = log(pO2_gas_atm);
    lw[0] = 0.0;
    for (size_t i = 0; i < o->nion; i++) {
        double lnpc = couple_dG(&o->ion[i], T_K) / (EXSOL_RGAS * T_K);
        lw[i + 1] = lw[i] + 0.25 * (lnp - lnpc);
        if (lw[i + 1] > lmax)
            lmax = lw[i + 1];
    }
    double sum = 0.0, vsum = 0.0;
    for (size_t i = 0; i <= o->nion; i++) {
        double w = exp(lw[i] - lmax);
        sum += w;
        vsum += w * (o->line.v_high + (double)i);
    }
    out->v_min = o->line.v_high;
    out->v_max = o->line.v_high + (double)o->nion;
    out->v_mean = vsum / sum;
    out->theta_min = exp(lw[0] - lmax) / sum;
    return EXSOL_OK;
}

double exsol_ellingham_x_eq(double pO2_gas_atm, double pO2_eq_atm, double valence,
                            double host_gamma)
{
    return pow(pO2_gas_atm / pO2_eq_atm, 0.25 * valence) / host_gamma;
}
