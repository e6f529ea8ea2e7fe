/* Loader for the CSV tables in datasets/.
 *
 * Every table is RFC-4180-ish CSV (comma separated, optional double quotes, '#'
 * lines are comments) with a header row. Tables with physical values carry the
 * columns `value`, `unit`, `source` and `confidence` (L, D, T, U, N as in
 * reference/). Key columns come first and differ per table (e.g. `ion,charge,cn`).
 *
 * Tables are embedded into libcore at build time (so tools run from anywhere); when
 * the environment variable EXSOL_DATADIR names a directory, <dir>/<name>.csv is
 * read from there instead, so a user can edit a copy (tables absent there still come
 * from the embedded set). EXSOL_DATADIR naming something that is not a folder is
 * EXSOL_EDATASET (exit 1), not a silent fallback. */
#ifndef EXSOL_TABLE_H
#define EXSOL_TABLE_H

#include <stddef.h>

typedef struct exsol_table exsol_table;

/* Loads table `name` (file name without .csv, e.g. "shannon-radii"). */
int exsol_table_load(const char *name, exsol_table **out, char *err, size_t errlen);
/* Parses CSV text (for tests and fuzzing). `name` is used in messages. */
int exsol_table_parse(const char *name, const char *text, size_t len, exsol_table **out,
                      char *err, size_t errlen);
void exsol_table_free(exsol_table *t); /* accepts NULL */

const char *exsol_table_name(const exsol_table *t);
size_t exsol_table_nrows(const exsol_table *t);
size_t exsol_table_ncols(const exsol_table *t);
/* Column index of a header name, or -1. */
int exsol_table_col(const exsol_table *t, const char *colname);
/* Cell text (never NULL for valid row/col; "" for an empty cell). */
const char *exsol_table_cell(const exsol_table *t, size_t row, int col);

/* Finds the first row whose key columns equal the given strings. Arguments after
 * `t` are (column, value) pairs terminated by NULL, e.g.
 *   exsol_table_find(t, "ion", "Ni", "charge", "2", "cn", "VI", NULL)
 * Returns the row index, or -1 if none matches (or a column is unknown). */
long exsol_table_find(const exsol_table *t, ...);

/* Like exsol_table_find, then returns that row's `value` converted from its `unit`
 * to SI (see exsol_unit_to_si). EXSOL_EUNKNOWN if no row matches. */
int exsol_table_value(const exsol_table *t, double *si, char *err, size_t errlen, ...);

/* Converts `value` in `unit` to SI. Known units include: 1 (dimensionless, also
 * empty), K, s, min, h, m, cm, mm, um, nm, A, Pa, bar, atm, J, eV, kJ/mol, J/mol,
 * J/K/mol, J/mol/K, kJ/m3, J/m3, J/m2, m2/s, cm2/s, m-3, cm-3, m-2, um-2,
 * cm2/(V s), m2/(V s), A/m, kA/m, emu/cm3, g/cm3, kg/m3, g/mol, kg/mol, cm3/mol,
 * m3/mol, A3, emu/mol, emu K/mol, muB, ohm m, ohm cm, S/m. Returns EXSOL_EUNKNOWN for
 * anything else. *si_unit (if non-NULL) gets the SI unit string (UDUNITS syntax). */
int exsol_unit_to_si(const char *unit, double value, double *si, const char **si_unit);

#endif
