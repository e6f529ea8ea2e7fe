/* zstd as an HDF5 filter (id 32015, the id registered with The HDF Group for
 * Zstandard). cd_values[0], if present, is the compression level. Buffers handed
 * back to HDF5 are allocated with H5allocate_memory so that a plugin and the
 * library agree on the allocator. */
#include "h5zstd.h"

#include <zstd.h>

/* One compression and one decompression context per thread, kept: ZSTD_compress
 * and ZSTD_decompress create and zero a context per call (a few MiB at level 3),
 * which cost more page faults than compressing a 4 MiB chunk. The output is the
 * same bytes. (HDF5 calls filters from one thread at a time; _Thread_local keeps
 * that true for any caller.) The plugin build (EXSOL_H5Z_PLUGIN) keeps one pair per
 * process instead: HDF5 serialises its filter calls, and thread-local storage in a
 * module that HDF5 dlopens and later dlcloses leaves a stale dynamic-TLS entry that
 * crashes LeakSanitizer's scan at exit of an instrumented tool that loaded it; the
 * pair is freed when the module is unloaded. */
#ifdef EXSOL_H5Z_PLUGIN
#define FILTER_TLS
#else
#define FILTER_TLS _Thread_local
#endif
static FILTER_TLS ZSTD_CCtx *cctx;
static FILTER_TLS ZSTD_DCtx *dctx;

#ifdef EXSOL_H5Z_PLUGIN
/* HDF5 dlcloses its plugins at exit: the contexts go with the module */
__attribute__((destructor)) static void free_contexts(void)
{
    ZSTD_freeCCtx(cctx);
    ZSTD_freeDCtx(dctx);
    cctx = NULL;
    dctx = NULL;
}
#endif

static size_t h5z_zstd_filter(unsigned flags, size_t cd_nelmts, const unsigned cd_values[],
                              size_t nbytes, size_t *buf_size, void **buf)
{
    void *out = NULL;
    if (flags & H5Z_FLAG_REVERSE) {
        unsigned long long want = ZSTD_getFrameContentSize(*buf, nbytes);
        if (want == ZSTD_CONTENTSIZE_ERROR || want == ZSTD_CONTENTSIZE_UNKNOWN || want == 0)
            return 0;
        if (!dctx && !(dctx = ZSTD_createDCtx()))
            return 0;
        out = H5allocate_memory((size_t)want, 0);
        if (!out)
            return 0;
        size_t got = ZSTD_decompressDCtx(dctx, out, (size_t)want, *buf, nbytes);
        if (ZSTD_isError(got) || got != want) {
            H5free_memory(out);
            return 0;
        }
        H5free_memory(*buf);
        *buf = out;
        *buf_size = (size_t)want;
        return got;
    }
    int level = cd_nelmts > 0 ? (int)cd_values[0] : 3;
    if (level < 1 || level > ZSTD_maxCLevel())
        level = 3;
    if (!cctx && !(cctx = ZSTD_createCCtx()))
        return 0;
    size_t bound = ZSTD_compressBound(nbytes);
    out = H5allocate_memory(bound, 0);
    if (!out)
        return 0;
    size_t got = ZSTD_compressCCtx(cctx, out, bound, *buf, nbytes, level);
    if (ZSTD_isError(got)) {
        H5free_memory(out);
        return 0;
    }
    H5free_memory(*buf);
    *buf = out;
    *buf_size = bound;
    return got;
}

const H5Z_class2_t exsol_h5z_zstd_class = {
    H5Z_CLASS_T_VERS,
    (H5Z_filter_t)EXSOL_H5Z_ZSTD_ID,
    1,
    1,
    "Zstandard compression: http://www.zstd.net",
    NULL,
    NULL,
    h5z_zstd_filter,
};
