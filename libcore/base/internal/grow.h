/* Growable arrays: one doubling rule for every module (private to libcore). */
#ifndef EXSOL_GROW_H
#define EXSOL_GROW_H

#include <stdlib.h>

/* Makes room for element n of *arr (elsize bytes each), doubling the capacity
 * (first allocation 16). Returns 0, or -1 when out of memory (*arr untouched). */
static inline int exsol_grow(void **arr, size_t *cap, size_t n, size_t elsize)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, nc * elsize);
    if (!p)
        return -1;
    *arr = p;
    *cap = nc;
    return 0;
}

#endif
