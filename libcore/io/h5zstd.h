/* The zstd HDF5 filter (registered id 32015), shared by libcore (in-process
 * registration) and the HDF5 plugin module built from h5zstd_plugin.c. */
#ifndef EXSOL_H5ZSTD_H
#define EXSOL_H5ZSTD_H

#include <hdf5.h>

#define EXSOL_H5Z_ZSTD_ID 32015

extern const H5Z_class2_t exsol_h5z_zstd_class;

#endif
