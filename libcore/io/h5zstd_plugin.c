/* Entry points that make the zstd filter loadable as an HDF5 dynamic plugin
 * (HDF5_PLUGIN_PATH), so ncdump, NCO, h5py and xarray can read exsol files. */
#include "h5zstd.h"

#include <H5PLextern.h>

H5PL_type_t H5PLget_plugin_type(void)
{
    return H5PL_TYPE_FILTER;
}
const void *H5PLget_plugin_info(void)
{
    return &exsol_h5z_zstd_class;
}
