/* The zstd HDF5 filter (id 32015, the code in h5zstd.c) registered in this process,
 * for reading and writing; Debian's netCDF has no zstd of its own and its
 * nc_def_var_zstandard silently does nothing, so this is the only one we use. */
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "h5zstd.h"

#include <hdf5.h>

int exsol_zstd_register(void)
{
    htri_t avail = H5Zfilter_avail((H5Z_filter_t)EXSOL_H5Z_ZSTD_ID);
    if (avail > 0)
        return EXSOL_OK;
    if (H5Zregister(&exsol_h5z_zstd_class) < 0)
        return EXSOL_EFILTER;
    return H5Zfilter_avail((H5Z_filter_t)EXSOL_H5Z_ZSTD_ID) > 0 ? EXSOL_OK : EXSOL_EFILTER;
}
