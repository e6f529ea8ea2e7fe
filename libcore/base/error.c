/* Error strings and exit codes: one table so the three stay in step. */
#include "exsol/error.h"

#include <stdarg.h>
#include <stdio.h>

static const struct {
    const char *text;
    int exit_code;
} err_table[EXSOL_ERR_COUNT] = {
    [EXSOL_OK] = {"success", 0},
    [EXSOL_ENOMEM] = {"out of memory", 1},
    [EXSOL_EIO] = {"input/output error", 1},
    [EXSOL_EUSAGE] = {"usage error", 2},
    [EXSOL_EVALUE] = {"invalid value", 3},
    [EXSOL_EFORMAT] = {"not a valid exsol/NetCDF file", 3},
    [EXSOL_EMISSINGVAR] = {"missing variable", 3},
    [EXSOL_EUNKNOWN] = {"unknown name", 3},
    [EXSOL_ENETCDF] = {"netCDF library failure", 1},
    [EXSOL_EDATASET] = {"dataset table missing or malformed", 1},
    [EXSOL_ESOLVER] = {"numerical solver failure", 1},
    [EXSOL_ETERMINAL] = {"refusing to write binary data to a terminal", 2},
    [EXSOL_EFILTER] = {"zstd filter unavailable", 1},
};

const char *exsol_strerror(int err)
{
    if (err < 0 || err >= EXSOL_ERR_COUNT || !err_table[err].text)
        return "unknown error";
    return err_table[err].text;
}

int exsol_exit_code(int err)
{
    if (err < 0 || err >= EXSOL_ERR_COUNT)
        return 1;
    return err_table[err].exit_code;
}

int exsol_seterr(char *buf, size_t n, int err, const char *fmt, ...)
{
    if (buf && n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, n, fmt, ap);
        va_end(ap);
    }
    return err;
}
