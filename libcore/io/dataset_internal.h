/* Private entry points of the data layer (not for tools). */
#ifndef EXSOL_DATASET_INTERNAL_H
#define EXSOL_DATASET_INTERNAL_H

#include <stddef.h>

#include "exsol/dataset.h"

/* Opens a NetCDF image held in memory (a copy of `data` is kept until close).
 * `label` names the input in messages. Used for stdin and by the fuzz target. */
int exsol_ds_open_mem(const char *label, const void *data, size_t size, exsol_ds **out,
                      char *err, size_t errlen);

/* Checks a classic/64-bit-offset/CDF5 header in buf[0..have) against the file size:
 * 0 if the file holds every byte the header promises, EXSOL_EFORMAT if it is
 * truncated or the header is corrupt, and -1 if more than `have` bytes of header
 * are needed (only when have < file_size). */
int exsol_ds_check_classic(const unsigned char *buf, size_t have, unsigned long long file_size);

#endif
