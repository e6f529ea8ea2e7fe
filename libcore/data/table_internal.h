/* Private to libcore: the datasets/ CSV files embedded at build time by
 * cmake/embed_datasets.cmake (generated/exsol_datasets_embed.c). */
#ifndef EXSOL_TABLE_INTERNAL_H
#define EXSOL_TABLE_INTERNAL_H

#include <stddef.h>

struct exsol_embedded_dataset {
    const char *name; /* file name without .csv */
    const char *text; /* NUL-terminated file contents */
    size_t len;       /* bytes, without the terminating NUL */
};

/* Terminated by an entry whose name is NULL. */
extern const struct exsol_embedded_dataset exsol_embedded_datasets[];

#endif
