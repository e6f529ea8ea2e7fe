/* libFuzzer target: arbitrary bytes written to a file and opened by path, as the
 * tools open their INPUT (exsol_ds_open: classic header walk, nc_open, inventory),
 * then small reads of every per-candidate variable and of the fixed variables.
 * Without EXSOL_FUZZ_HDF5, HDF5 (netCDF-4) images are skipped; with it, only HDF5
 * images are run (see fuzz_common.h). Any input: an error code with a terminated
 * message, or a dataset whose inventory and reads are consistent -- never a crash. */
#include "exsol/dataset.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    if (fuzz_skip(data, size))
        return 0;
    const char *path = fuzz_write_file("in.nc", data, size);
    exsol_ds *ds = NULL;
    err[0] = '\0';
    if (exsol_ds_open(path, &ds, err, sizeof err) != 0) {
        if (ds || !memchr(err, '\0', sizeof err) || err[0] == '\0')
            abort(); /* a failed open hands back nothing and says why */
        unlink(path);
        return 0;
    }
    size_t n = exsol_ds_ncandidates(ds), rows = n < 4 ? n : 4;
    for (size_t i = 0; i < exsol_ds_nvars(ds); i++) {
        const char *name = exsol_ds_var_name(ds, i);
        size_t inner = 0;
        if (!name || exsol_ds_var_inner(ds, name, &inner, err, sizeof err) != 0)
            abort();
        if (inner == 0 || inner > 4096)
            continue;
        enum exsol_vkind k = exsol_ds_var_kind(ds, name);
        if (k == EXSOL_VK_SCALAR || k == EXSOL_VK_CURVE) {
            double *buf = malloc(rows * inner * sizeof *buf + 1);
            if (buf)
                (void)exsol_ds_read_double(ds, name, 0, rows, buf, err, sizeof err);
            free(buf);
            int *ib = malloc(rows * inner * sizeof *ib + 1);
            if (ib && k == EXSOL_VK_SCALAR)
                (void)exsol_ds_read_int(ds, name, 0, rows, ib, err, sizeof err);
            free(ib);
        } else if (k == EXSOL_VK_TEXT) {
            char *buf = malloc(rows * (inner + 1) + 1);
            if (buf)
                (void)exsol_ds_read_text(ds, name, 0, rows, buf, inner + 1, err, sizeof err);
            free(buf);
        }
    }
    const char *dims[] = {"radius_bin", "time", "temperature", "field"};
    for (size_t d = 0; d < sizeof dims / sizeof *dims; d++) {
        size_t len = 0;
        if (exsol_ds_dim_len(ds, dims[d], &len) == 0 && len > 0 && len <= 4096) {
            double *buf = malloc(len * sizeof *buf);
            if (buf)
                (void)exsol_ds_read_fixed(ds, dims[d], buf, len, err, sizeof err);
            free(buf);
        }
    }
    char att[256];
    double v;
    (void)exsol_ds_get_att_text(ds, NULL, "history", att, sizeof att);
    (void)exsol_ds_get_att_double(ds, "T_anneal", "_FillValue", &v);
    exsol_ds_close(ds);
    unlink(path);
    return 0;
}
