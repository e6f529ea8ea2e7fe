/* Reading an input that cannot seek (stdin, a pipe, a FIFO, a device) into memory
 * for nc_open_mem, no further than the file's own header says it reaches.
 *
 * Why it looks the way it does:
 * - Such an input used to be read whole before its format was looked at:
 *   `exsol-table /dev/zero` never ended, and 1.5 GB of zeros on stdin took 1.5 GB
 *   before exit 3. Now the magic number is checked on the first bytes, and the
 *   header as it arrives; at most what the header declares is ever read, so
 *   trailing bytes (`cat a.nc /dev/zero | ...`) are never consumed and memory is
 *   bounded by the file, not by the stream.
 * - Classic files (CDF1, CDF2, CDF5): the header walk of nc_classic_check.c gives
 *   the size the header promises (dimensions, variables, record count). A header
 *   that gives no record count (numrecs "streaming", all ones) cannot bound a
 *   stream and is refused on a pipe; from a file netCDF counts the records itself.
 *   A header itself may not exceed EXSOL_STREAM_HEADER_MAX.
 * - NETCDF4 (HDF5): the superblock (versions 0 to 3) holds the end-of-file address;
 *   the image is read up to it. HDF5 allows the superblock after a user block of
 *   512, 1024, 2048 ... bytes; it is looked for up to 1 MiB in, as in a file, so a
 *   stream that is no NetCDF at all is refused after at most 1 MiB + 8 bytes.
 * - The buffer grows as bytes arrive (doubling), never to a declared size at once:
 *   a header that promises a terabyte and a stream that ends early is a truncated
 *   input (exit 3), not an allocation failure. */
#include "dataset_internal.h"
#include "exsol/error.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The largest classic header read from a stream (exsol's own are a few kB). */
#define EXSOL_STREAM_HEADER_MAX ((size_t)64 << 20)
/* How far into a stream an HDF5 superblock may start (user block). */
#define STREAM_USERBLOCK_MAX ((size_t)1 << 20)

struct sbuf {
    unsigned char *p;
    size_t n, cap;
    int eof;
};

/* Reads until b->n >= want or the end of the stream; never reads past want. The
 * buffer doubles when full, so it follows what has arrived, not what is wanted. */
static int sb_fill(struct sbuf *b, int fd, size_t want)
{
    while (b->n < want && !b->eof) {
        if (b->n == b->cap) {
            size_t cap = b->cap ? (b->cap < SIZE_MAX / 2 ? b->cap * 2 : SIZE_MAX) : 65536;
            if (cap > want)
                cap = want;
            unsigned char *q = realloc(b->p, cap);
            if (!q)
                return EXSOL_ENOMEM;
            b->p = q;
            b->cap = cap;
        }
        size_t room = (b->cap < want ? b->cap : want) - b->n;
        ssize_t got = read(fd, b->p + b->n, room);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return EXSOL_EIO;
        if (got == 0)
            b->eof = 1;
        b->n += (size_t)got;
    }
    return EXSOL_OK;
}

static uint64_t le_u(const unsigned char *q, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = (v << 8) | q[i];
    return v;
}

static const unsigned char hdf5sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

/* Bytes of an HDF5 image whose superblock starts at b->p + off: base address plus
 * end-of-file address. 0: not a superblock we can read; -1: need more bytes. */
static int hdf5_extent(struct sbuf *b, size_t off, uint64_t *total)
{
    const unsigned char *s = b->p + off;
    size_t have = b->n - off;
    if (have < 16)
        return -1;
    unsigned ver = s[8], osz, at;
    if (ver == 0 || ver == 1) {
        osz = s[13];
        at = ver == 0 ? 24 : 28; /* base, free-space, end-of-file, driver addresses */
    } else if (ver == 2 || ver == 3) {
        osz = s[9];
        at = 12; /* base, superblock extension, end-of-file, root addresses */
    } else {
        return 0;
    }
    if (osz != 4 && osz != 8)
        return 0;
    if (have < at + 3 * (size_t)osz)
        return -1;
    uint64_t base = le_u(s + at, osz), eof = le_u(s + at + 2 * osz, osz);
    uint64_t undef = osz == 8 ? UINT64_MAX : 0xFFFFFFFFu;
    if (base == undef || eof == undef || eof > UINT64_MAX - base || base + eof < off + 8)
        return 0;
    *total = base + eof;
    return 1;
}

int exsol_nc_read_stream(int fd, const char *label, void **mem, size_t *size, char *err,
                         size_t errlen)
{
    struct sbuf b = {NULL, 0, 0, 0};
    int rc;
    uint64_t total = 0;
    *mem = NULL;
    *size = 0;
    if ((rc = sb_fill(&b, fd, 8)) != EXSOL_OK)
        goto io;
    if (b.n == 0) {
        free(b.p);
        return EXSOL_OK; /* empty: the caller says so in its words */
    }
    if (b.n >= 4 && memcmp(b.p, "CDF", 3) == 0 && (b.p[3] == 1 || b.p[3] == 2 || b.p[3] == 5)) {
        /* classic: walk the header as it arrives */
        int ver = b.p[3];
        if ((rc = sb_fill(&b, fd, ver == 5 ? 12 : 8)) != EXSOL_OK)
            goto io;
        static const unsigned char streaming[8] = {0xFF, 0xFF, 0xFF, 0xFF,
                                                   0xFF, 0xFF, 0xFF, 0xFF};
        size_t nrlen = ver == 5 ? 8 : 4; /* numrecs after the magic number */
        if (b.n >= 4 + nrlen && memcmp(b.p + 4, streaming, nrlen) == 0) {
            rc = exsol_seterr(err, errlen, EXSOL_EFORMAT,
                              "%s gives no record count (a streaming header), which a pipe "
                              "cannot bound; give it as a file",
                              label);
            goto fail;
        }
        size_t want = 4096;
        uint64_t need = 0, full = 0;
        char why[512] = "";
        for (;;) {
            if ((rc = sb_fill(&b, fd, want)) != EXSOL_OK)
                goto io;
            rc = exsol_nc_classic_extent(b.p, b.n, b.eof ? b.n : UINT64_MAX, &need, &full,
                                         label, why, sizeof why);
            if (rc != -1)
                break;
            if (want >= EXSOL_STREAM_HEADER_MAX) {
                rc = exsol_seterr(err, errlen, EXSOL_EFORMAT,
                                  "%s has a header larger than %zu MiB", label,
                                  EXSOL_STREAM_HEADER_MAX >> 20);
                goto fail;
            }
            want *= 2;
        }
        if (rc == EXSOL_ENOMEM)
            goto io;
        if (rc != EXSOL_OK) {
            rc = why[0] ? exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s", why)
                        : exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is truncated or corrupt",
                                       label);
            goto fail;
        }
        /* netCDF pads the last record in memory; a file may end without it */
        total = full;
        if (total > SIZE_MAX)
            goto truncated;
        if ((rc = sb_fill(&b, fd, (size_t)total)) != EXSOL_OK)
            goto io;
        if (b.n < need)
            goto truncated;
    } else {
        /* HDF5: the superblock at 0 or after a user block of 512 * 2^k bytes */
        size_t off = 0;
        int found = 0;
        for (;;) {
            if ((rc = sb_fill(&b, fd, off + 8)) != EXSOL_OK)
                goto io;
            if (b.n < off + 8)
                break;
            if (memcmp(b.p + off, hdf5sig, 8) == 0) {
                found = 1;
                break;
            }
            off = off ? off * 2 : 512;
            if (off > STREAM_USERBLOCK_MAX)
                break;
        }
        if (!found) {
            rc = exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is not a NetCDF file", label);
            goto fail;
        }
        int r;
        while ((r = hdf5_extent(&b, off, &total)) == -1 && !b.eof)
            if ((rc = sb_fill(&b, fd, b.n + 64)) != EXSOL_OK)
                goto io;
        if (r != 1) {
            rc = exsol_seterr(err, errlen, EXSOL_EFORMAT,
                              "%s is truncated or corrupt (no HDF5 superblock that says "
                              "where the file ends)",
                              label);
            goto fail;
        }
        if (total > SIZE_MAX)
            goto truncated;
        if ((rc = sb_fill(&b, fd, (size_t)total)) != EXSOL_OK)
            goto io;
        if (b.n < total)
            goto truncated;
    }
    if (total && b.n > total)
        b.n = (size_t)total; /* bytes of the header phase beyond the file */
    *mem = b.p;
    *size = b.n;
    return EXSOL_OK;
truncated:
    rc = exsol_seterr(err, errlen, EXSOL_EFORMAT,
                      "%s is truncated or corrupt (the stream ended before the file did)",
                      label);
    goto fail;
io:
    if (rc == EXSOL_ENOMEM)
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory reading %s", label);
    else
        rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot read %s: %s", label, strerror(errno));
fail:
    free(b.p);
    return rc;
}
