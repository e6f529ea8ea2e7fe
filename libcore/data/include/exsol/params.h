/* Registry of named model parameters for one stage.
 *
 * A stage's parameters, their defaults, units, bounds and sources live in
 * datasets/<stage>-parameters.csv with the columns
 *   name,value,unit,min,max,source,confidence,description
 * (min/max in the same unit as value; empty = unbounded). Values are held in SI.
 * Overrides: `--set NAME=VALUE` (VALUE a bare number in the table's unit, or a
 * number with a unit suffix of the same dimension) and `--params FILE` (lines
 * "NAME = VALUE", '#' comments). Unknown names and out-of-range values are
 * rejected; a parameter whose unit is "count" takes whole numbers only (a fraction is
 * EXSOL_EUSAGE, exit 2 from --set; EXSOL_EVALUE from a file). Every value remembers where it
 * came from (default/file/--set), and the whole set is recorded in the output by
 * exsol_ds_out_put_params().
 *
 * Priors (the optional columns `prior`, `prior_source`; every U-tagged parameter of a
 * table that has the column must have one). In the table's unit:
 *   fixed                      not sampled (choices, verdict criteria, preferences)
 *   normal(MEAN,SD)            truncated to [min,max] or to an explicit " in [LO,HI]"
 *   log10normal(MEDIAN,SD)     log10 x ~ Normal(log10 MEDIAN, SD decades), truncated likewise
 *   uniform(LO,HI)             LO..HI inside [min,max]
 *   loguniform(LO,HI)          log x uniform, 0 < LO < HI
 * and optionally " arrhenius(PARAM,T_REF)": the distribution is that of
 * x exp(-PARAM/(k_B T_REF)) (PARAM in SI, T_REF in K), so x follows the draw of PARAM
 * (the D0-E_a ridge: sample D at T_REF). */
#ifndef EXSOL_PARAMS_H
#define EXSOL_PARAMS_H

#include <stddef.h>

typedef struct exsol_params exsol_params;

enum exsol_prior_kind {
    EXSOL_PRIOR_NONE = 0, /* no prior column or an empty cell */
    EXSOL_PRIOR_FIXED,
    EXSOL_PRIOR_NORMAL,
    EXSOL_PRIOR_LOG10NORMAL,
    EXSOL_PRIOR_UNIFORM,
    EXSOL_PRIOR_LOGUNIFORM
};

struct exsol_prior {
    enum exsol_prior_kind kind;
    double a, b;        /* mean/median/lo and sd/hi, in the table's unit (sd of log10normal in
                           decades) */
    double lo, hi;      /* support (table unit): the truncation of the normals, a/b of the
                           uniforms */
    char ref_param[64]; /* arrhenius(PARAM, T): "" when absent */
    double ref_T;       /* K */
};

/* Parses one prior cell; [min_t, max_t] (table unit, NaN = unbounded) is the default
 * truncation and must contain the support. EXSOL_EVALUE with a message on error. */
int exsol_prior_parse(const char *text, double min_t, double max_t, struct exsol_prior *out,
                      char *err, size_t errlen);
/* Inverse CDF: the value (table unit) at probability u in (0, 1); NaN for fixed/none.
 * An arrhenius prior gives the reference quantity (multiply by exp(PARAM/(k_B T))). */
double exsol_prior_quantile(const struct exsol_prior *pr, double u);

/* `stage` names one table, or several joined by '+' ("reduce+defects"): their
 * parameters form one registry (names must be unique across the tables), recorded
 * under the first stage's name. */
int exsol_params_load(const char *stage, exsol_params **out, char *err, size_t errlen);
void exsol_params_free(exsol_params *p); /* accepts NULL */

int exsol_params_set(exsol_params *p, const char *assignment, char *err, size_t errlen);
int exsol_params_read_file(exsol_params *p, const char *path, char *err, size_t errlen);

/* Value in SI. Unknown name: returns EXSOL_EUNKNOWN. */
int exsol_params_lookup(const exsol_params *p, const char *name, double *si);
/* Value in SI; an unknown name is a programming error and gives NaN. */
double exsol_params_get(const exsol_params *p, const char *name);

const char *exsol_params_stage(const exsol_params *p);
size_t exsol_params_count(const exsol_params *p);
const char *exsol_params_name(const exsol_params *p, size_t i);
double exsol_params_value(const exsol_params *p, size_t i); /* SI */
const char *exsol_params_si_unit(const exsol_params *p, size_t i);
const char *exsol_params_source(const exsol_params *p, size_t i);
const char *exsol_params_origin(const exsol_params *p,
                                size_t i); /* "default", "file", "--set" */
const char *exsol_params_description(const exsol_params *p, size_t i);
char exsol_params_confidence(const exsol_params *p, size_t i); /* 'L', 'D', 'T', 'U', 'N' */
const struct exsol_prior *exsol_params_prior(const exsol_params *p, size_t i); /* or NULL */
const char *exsol_params_prior_source(const exsol_params *p, size_t i);
const char *exsol_params_unit(const exsol_params *p, size_t i); /* the table's unit */
double exsol_params_min(const exsol_params *p, size_t i);       /* SI, NaN = unbounded */
double exsol_params_max(const exsol_params *p, size_t i);
/* A deep copy (values, origins and priors included); NULL when out of memory. */
exsol_params *exsol_params_clone(const exsol_params *p);

#endif
