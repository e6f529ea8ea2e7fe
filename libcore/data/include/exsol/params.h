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
 * exsol_ds_out_put_params(). */
#ifndef EXSOL_PARAMS_H
#define EXSOL_PARAMS_H

#include <stddef.h>

typedef struct exsol_params exsol_params;

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

#endif
