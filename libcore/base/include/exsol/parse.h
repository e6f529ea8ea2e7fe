/* Locale-proof parsing of numbers, physical quantities with explicit unit suffixes,
 * and value lists/ranges ("a:b:step" or "a,b,c").
 *
 * All parsers work under the C locale regardless of LC_NUMERIC, check the end
 * pointer and errno, reject NaN/Inf, and return EXSOL_EVALUE with a message naming
 * the offending text in err (if non-NULL). Results are SI. */
#ifndef EXSOL_PARSE_H
#define EXSOL_PARSE_H

#include <stddef.h>

/* Physical kinds a quantity may have; the suffixes each kind accepts:
 *   TEMPERATURE  K, C (degrees Celsius; also "degC")          -> K, must be > 0 K
 *   TIME         s, min, h                                    -> s, must be >= 0
 *   LENGTH       m, mm, um, nm, A (angstrom)                  -> m, must be > 0
 *   PRESSURE     Pa, kPa, bar, mbar, atm, %, ppm              -> Pa, must be >= 0
 *                % and ppm are mole fractions of the total pressure given to
 *                exsol_parse_quantity through p_total_Pa (default 1 atm).
 *   FRACTION     bare number, or %                            -> 1
 *   NUMBER       bare number only                             -> as given
 * A bare number is refused for every kind except FRACTION and NUMBER: units are
 * explicit. */
enum exsol_qty_kind {
    EXSOL_QTY_TEMPERATURE,
    EXSOL_QTY_TIME,
    EXSOL_QTY_LENGTH,
    EXSOL_QTY_PRESSURE,
    EXSOL_QTY_FRACTION,
    EXSOL_QTY_NUMBER
};

#define EXSOL_P_TOTAL_DEFAULT_PA 101325.0

/* Parses one plain floating-point number (whole string). */
int exsol_parse_double(const char *s, double *out, char *err, size_t errlen);
/* Parses a non-negative integer that fits in long. */
int exsol_parse_long(const char *s, long *out, char *err, size_t errlen);

/* Parses "550C", "823.15K", "5h", "30nm", "5%" ... into SI. */
int exsol_parse_quantity(const char *s, enum exsol_qty_kind kind, double p_total_Pa,
                         double *out_si, char *err, size_t errlen);

/* Parses a single value, a list "a,b,c" or a range "start:stop:step" (inclusive of
 * stop within 1e-9 relative; each element with its own unit suffix, e.g.
 * "500C:900C:50C") into a newly allocated array of SI values. An empty range
 * (stop before start for a positive step, or a zero step) is EXSOL_EVALUE.
 * At most EXSOL_LIST_MAX values. Caller frees *out. */
#define EXSOL_LIST_MAX 1000000
int exsol_parse_list(const char *s, enum exsol_qty_kind kind, double p_total_Pa, double **out,
                     size_t *n, char *err, size_t errlen);

/* Parses a range "START:END" of one kind; a unit on END alone (START a bare number)
 * applies to START too ("450:1000C"). The message names `opt` and gives an example. */
int exsol_parse_range(const char *opt, const char *s, enum exsol_qty_kind kind, double *lo_si,
                      double *hi_si, char *err, size_t errlen);

/* Parses a positive temperature difference "5K" or "5C" (a degree Celsius is a kelvin)
 * into kelvin; the message names `opt`. */
int exsol_parse_delta_T(const char *opt, const char *s, double *out_K, char *err,
                        size_t errlen);

/* Formats a double so that strtod gives back the same bits ("%.17g", C locale). */
void exsol_format_double(double v, char *buf, size_t n);

#endif
