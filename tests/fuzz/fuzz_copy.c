/* libFuzzer target: the copy path of every stage. Arbitrary bytes are written to a
 * file, opened by path, and copied through the data layer to a temporary NETCDF4
 * output (definitions, attributes, the stored-chunk copy of compressed variables)
 * with one added per-candidate variable, then closed (rename into place) and
 * removed. HDF5 images only with EXSOL_FUZZ_HDF5 (see fuzz_common.h). Any input:
 * success or an error with a message, never a crash, and no temporary left. */
#include "exsol/dataset.h"
#include "fuzz_common.h"

#include <dirent.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void no_leftovers(void)
{
    DIR *d = opendir(fuzz_tmpdir());
    struct dirent *e;
    if (!d)
        abort();
    while ((e = readdir(d)))
        if (e->d_name[0] == '.' && strstr(e->d_name, ".tmp"))
            abort(); /* a temporary output survived a failed or finished run */
    closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512], out[600];
    if (fuzz_skip(data, size))
        return 0;
    const char *path = fuzz_write_file("in.nc", data, size);
    exsol_ds *ds = NULL;
    if (exsol_ds_open(path, &ds, err, sizeof err) != 0) {
        unlink(path);
        return 0;
    }
    size_t n = exsol_ds_ncandidates(ds);
    if (n > 4096) { /* a huge declared count: the open is what we fuzz here */
        exsol_ds_close(ds);
        unlink(path);
        return 0;
    }
    snprintf(out, sizeof out, "%s/out.nc", fuzz_tmpdir());
    struct exsol_out_opts opts = {.title = "fuzz", .no_history = 1};
    exsol_ds_out *o = NULL;
    if (exsol_ds_out_create(out, ds, &opts, &o, err, sizeof err) == 0) {
        int ok = exsol_ds_out_def_double(o, "fuzz_added", NULL, "1", "fuzz") == 0 &&
                 exsol_ds_out_enddef(o, err, sizeof err) == 0;
        if (ok && n > 0) {
            double *v = calloc(n, sizeof *v);
            if (!v)
                abort();
            ok = exsol_ds_out_write_double(o, "fuzz_added", 0, n, v, err, sizeof err) == 0;
            free(v);
        }
        if (ok)
            (void)exsol_ds_out_close(o, err, sizeof err);
        else
            exsol_ds_out_abort(o);
    }
    exsol_ds_close(ds);
    no_leftovers();
    unlink(out);
    unlink(path);
    return 0;
}
