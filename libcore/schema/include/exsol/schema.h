/* The output schema of every stage: which variables a stage adds, in which order,
 * with which type, dimensions, units, long_name, comment and attributes. The one
 * source is libcore/schema/<stage>.csv; cmake/schema.cmake turns it into the tables
 * below (exsol_schema_<stage>, indices EXSOL_SV_<STAGE>_<name> in
 * "exsol/schema_vars.h") and into docs/schema.md. Plain data, no I/O. */
#ifndef EXSOL_SCHEMA_H
#define EXSOL_SCHEMA_H

#include <stddef.h>

enum exsol_schema_type { EXSOL_SCHEMA_DOUBLE, EXSOL_SCHEMA_INT, EXSOL_SCHEMA_TEXT };

enum exsol_schema_shape {
    EXSOL_SCHEMA_ROW,   /* one value per candidate */
    EXSOL_SCHEMA_CURVE, /* per candidate, on the fixed dimension `dim` */
    EXSOL_SCHEMA_COORD, /* coordinate variable of the fixed dimension `dim` (= name) */
    EXSOL_SCHEMA_FIXED  /* on `dim` alone, the same for every candidate */
};

/* An attribute after units/long_name/comment. `value` may hold "{=key}": a number
 * the stage supplies when it defines the output. */
struct exsol_schema_att {
    const char *name;
    const char *value;
    int is_double; /* 1: a double attribute (value is its decimal text); 2: an int array
                      (space-separated decimal integers, e.g. CF flag_values) */
};

struct exsol_schema_var {
    const char *name;
    enum exsol_schema_type type;
    enum exsol_schema_shape shape;
    const char *dim;   /* "" for EXSOL_SCHEMA_ROW */
    size_t width;      /* characters of a text variable, else 0 */
    const char *units; /* UDUNITS ("1" dimensionless); "" for text */
    const char *long_name;
    const char *comment; /* "" for none; may hold "{=key}" */
    const struct exsol_schema_att *atts;
    size_t natts;
};

struct exsol_schema {
    const char *stage; /* "transport" */
    const struct exsol_schema_var *vars;
    size_t nvars;
};

/* Every stage's schema, NULL-terminated, in chain order. */
extern const struct exsol_schema *const exsol_schemas[];

/* The schema of `stage` ("gen", "reduce", ...), or NULL. */
const struct exsol_schema *exsol_schema_find(const char *stage);
/* Index of variable `name` in s, or -1. */
int exsol_schema_index(const struct exsol_schema *s, const char *name);

#include "exsol/schema_vars.h"

#endif
