/* exsol error codes: stable numbers, one string each, one exit code each.
 *
 * The library never prints and never exits: functions return one of these codes
 * (0 on success) and, where useful, fill a caller-provided message buffer. Tools
 * map a code to a process exit status with exsol_exit_code():
 *   0 success, 1 runtime failure, 2 usage error, 3 invalid input data.
 * The numbers below are part of the interface: never renumber, only append. */
#ifndef EXSOL_ERROR_H
#define EXSOL_ERROR_H

#include <stddef.h>

enum exsol_err {
    EXSOL_OK = 0,
    EXSOL_ENOMEM = 1,      /* out of memory                                  -> exit 1 */
    EXSOL_EIO = 2,         /* read/write/rename failed (disk full, ...)       -> exit 1 */
    EXSOL_EUSAGE = 3,      /* bad command line: unknown option, missing arg   -> exit 2 */
    EXSOL_EVALUE = 4,      /* a value that cannot be parsed or is unphysical  -> exit 3 */
    EXSOL_EFORMAT = 5,     /* not a NetCDF file, truncated, foreign schema    -> exit 3 */
    EXSOL_EMISSINGVAR = 6, /* a variable the stage needs is absent            -> exit 3 */
    EXSOL_EUNKNOWN = 7,    /* unknown element, parameter or variable name     -> exit 3 */
    EXSOL_ENETCDF = 8,     /* netCDF/HDF5 library failure not caused by input -> exit 1 */
    EXSOL_EDATASET = 9,    /* datasets/ table missing or malformed            -> exit 1 */
    EXSOL_ESOLVER = 10,    /* numerical failure (used as a per-row status)    -> exit 1 */
    EXSOL_ETERMINAL = 11,  /* refusing binary output to a terminal            -> exit 2 */
    EXSOL_EFILTER = 12,    /* zstd filter could not be registered/applied     -> exit 1 */
    EXSOL_ERR_COUNT
};

/* Human-readable, lower-case description of a code; never NULL. */
const char *exsol_strerror(int err);

/* Process exit status for a code (0, 1, 2 or 3). */
int exsol_exit_code(int err);

/* snprintf into buf if buf is non-NULL; returns err. Convenience for library code
 * that reports "what went wrong with which value". */
int exsol_seterr(char *buf, size_t n, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
