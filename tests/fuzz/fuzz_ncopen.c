/* libFuzzer target: arbitrary bytes through the in-memory open path that stdin
 * inputs take (classic header walk, nc_open_mem, variable inventory), then small
 * reads of every per-candidate variable. Built with -DEXSOL_FUZZ=ON and clang.
 * Seed it with a few real files, e.g. `exsol-cat a.nc > seeds/a.cdf5`.
 *
 * HDF5 (netCDF-4) images are skipped unless EXSOL_FUZZ_HDF5 is set: Debian's HDF5
 * 1.10.8 itself overflows a heap buffer (H5HG_read, reached from nc_open_mem
 * through H5DSget_num_scales) and leaks on corrupted images within a minute of
 * fuzzing, which would drown findings in exsol's own code. With EXSOL_FUZZ_HDF5=1
 * run with -detect_leaks=0. */
#include "dataset_internal.h"
#include "exsol/dataset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_hdf5(const uint8_t *data, size_t size)
{
    static const uint8_t sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    for (size_t off = 0; off + 8 <= size; off = off ? off * 2 : 512)
        if (memcmp(data + off, sig, 8) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    static int hdf5 = -1;
    if (hdf5 < 0)
        hdf5 = getenv("EXSOL_FUZZ_HDF5") != NULL;
    if (size > ((size_t)1 << 20) || (!hdf5 && is_hdf5(data, size)))
        return 0;
    (void)exsol_ds_check_classic(data, size, size);
    exsol_ds *ds = NULL;
    if (exsol_ds_open_mem("fuzz", data, size, &ds, err, sizeof err) != 0) {
        if (ds || !memchr(err, '\0', sizeof err))
            abort(); /* a failed open hands back nothing and a terminated message */
        return 0;
    }
    size_t n = exsol_ds_ncandidates(ds);
    size_t rows = n < 4 ? n : 4;
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
        } else if (k == EXSOL_VK_TEXT) {
            char *buf = malloc(rows * (inner + 1) + 1);
            if (buf)
                (void)exsol_ds_read_text(ds, name, 0, rows, buf, inner + 1, err, sizeof err);
            free(buf);
        }
    }
    char att[256];
    (void)exsol_ds_get_att_text(ds, NULL, "history", att, sizeof att);
    exsol_ds_close(ds);
    return 0;
}
