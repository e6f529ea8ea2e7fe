/* The global attributes every output gets: Conventions, title (if the input has
 * none), exsol_version, and history, to which each tool prepends
 * "<UTC ISO time>: <command line>\n" like NCO and CDO (no_history leaves it as in
 * the input, for byte-identical golden files). SOURCE_DATE_EPOCH, when set, gives
 * the time, for reproducible builds of example files. The command line is quoted
 * for a POSIX shell where it needs it, so it can be pasted back. */
#include "dataset_internal.h"
#include "exsol/dataset.h"
#include "exsol/error.h"

#include <errno.h>
#include <netcdf.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int need_quotes(const char *s)
{
    if (!*s)
        return 1;
    for (; *s; s++)
        if (strchr(" \t\n'\"\\$`*?;&|<>()#~!{}[]", *s))
            return 1;
    return 0;
}

/* "<UTC time>: <argv>\n" */
static char *history_line(int argc, char *const *argv)
{
    size_t cap = 64;
    for (int i = 0; i < argc; i++)
        cap += 4 * strlen(argv[i]) + 3;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    time_t now = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (!errno && *end == '\0' && v >= 0)
            now = (time_t)v;
    }
    struct tm tmv;
    gmtime_r(&now, &tmv);
    size_t n = strftime(s, cap, "%Y-%m-%dT%H:%M:%SZ: ", &tmv);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (i)
            s[n++] = ' ';
        if (!need_quotes(a)) {
            size_t l = strlen(a);
            memcpy(s + n, a, l);
            n += l;
            continue;
        }
        s[n++] = '\'';
        for (; *a; a++) {
            if (*a == '\'') {
                memcpy(s + n, "'\\''", 4);
                n += 4;
            } else {
                s[n++] = *a;
            }
        }
        s[n++] = '\'';
    }
    s[n++] = '\n';
    s[n] = '\0';
    return s;
}

char *exsol_history_line(int argc, char *const *argv)
{
    return history_line(argc, argv);
}

int exsol_out_globals(exsol_ds_out *o, const struct exsol_out_opts *opts)
{
    int rc;
    nc_type t;
    size_t len;
    if ((rc = exsol_out_put_text(o, NC_GLOBAL, "Conventions", "CF-1.8")))
        return rc;
    if (opts && opts->title && nc_inq_att(o->ncid, NC_GLOBAL, "title", &t, &len) != NC_NOERR &&
        (rc = exsol_out_put_text(o, NC_GLOBAL, "title", opts->title)))
        return rc;
    if ((rc = exsol_out_put_text(o, NC_GLOBAL, "exsol_version", EXSOL_VERSION)))
        return rc;
    if (opts && opts->no_history)
        return EXSOL_OK;
    char *line = history_line(opts ? opts->argc : 0, opts ? opts->argv : NULL);
    if (!line)
        return exsol_out_fail(o, EXSOL_ENOMEM, "out of memory");
    char *old = NULL;
    if (nc_inq_att(o->ncid, NC_GLOBAL, "history", &t, &len) == NC_NOERR && t == NC_CHAR) {
        old = malloc(len + 1);
        if (!old) {
            free(line);
            return exsol_out_fail(o, EXSOL_ENOMEM, "out of memory");
        }
        if (len)
            nc_get_att_text(o->ncid, NC_GLOBAL, "history", old);
        old[len] = '\0';
    } else if (nc_inq_att(o->ncid, NC_GLOBAL, "history", &t, &len) == NC_NOERR &&
               t == NC_STRING && len == 1) {
        /* netCDF-4 files from xarray and friends hold history as a string */
        char *sv[1] = {NULL};
        if (nc_get_att_string(o->ncid, NC_GLOBAL, "history", sv) == NC_NOERR && sv[0])
            old = strdup(sv[0]);
        nc_free_string(1, sv);
    }
    size_t ll = strlen(line), ol = old ? strlen(old) : 0;
    char *hist = malloc(ll + ol + 1);
    if (!hist) {
        free(line);
        free(old);
        return exsol_out_fail(o, EXSOL_ENOMEM, "out of memory");
    }
    memcpy(hist, line, ll);
    if (ol)
        memcpy(hist + ll, old, ol);
    hist[ll + ol] = '\0';
    /* an NC_STRING history (netCDF-4 input) is replaced by text */
    if (nc_inq_att(o->ncid, NC_GLOBAL, "history", &t, &len) == NC_NOERR && t != NC_CHAR)
        nc_del_att(o->ncid, NC_GLOBAL, "history");
    rc = exsol_out_put_text(o, NC_GLOBAL, "history", hist);
    free(hist);
    free(line);
    free(old);
    return rc;
}
