/* The NetCDF data layer (see exsol/dataset.h for the contract).
 *
 * Why it looks the way it does:
 * - netCDF-C accepts a classic file whose record section is cut short and reads
 *   zeros past the end, so classic inputs get their own header walk
 *   (exsol_ds_check_classic) that compares the promised size with the real one.
 *   HDF5 checks its own end-of-file address, so NETCDF4 inputs need nothing extra.
 * - Debian's netCDF has no zstd and nc_def_var_zstandard is a silent no-op there.
 *   We register the filter class with HDF5 ourselves and ask netCDF afterwards
 *   (nc_inq_var_filter_ids) whether it really sits on the variable.
 * - Copy-through moves data in blocks of EXSOL_BLOCK rows so that a file input
 *   never needs memory proportional to the candidate count (stdin does: it is read
 *   whole because nc_open_mem needs the whole image).
 * - Between our own NETCDF4 files, copy-through moves whole chunks as they are
 *   stored: HDF5 says where each input chunk sits while netCDF has the input open,
 *   and after nc_close of the output the bytes are read from our own descriptor of
 *   the input and written with H5Dwrite_chunk (netCDF has no such call). Decoding
 *   and encoding zstd was most of the time a stage spent not computing (exsol-rank
 *   on 117,504 rows: 2.6 s -> 0.55 s). Only whole chunks that land on whole output
 *   chunks go this way; a partial last chunk goes as values.
 * - Files go to a mkstemp name in the target folder and are renamed only after a
 *   successful nc_close and fsync, so a failed run never leaves half a file and
 *   never clobbers a good one. "-" is built in memory and written in one piece. */
#include "exsol/dataset.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hdf5.h>
#include <netcdf.h>
#include <netcdf_filter.h>
#include <netcdf_mem.h>

#include "dataset_internal.h"
#include "grow.h"
#include "exsol/error.h"
#include "h5zstd.h"

#ifndef EXSOL_VERSION
#define EXSOL_VERSION "unknown"
#endif

#define DS_NAME_MAX (NC_MAX_NAME + 1)
#define DS_BLOCK_BYTES ((size_t)8 << 20)  /* cap on one copy buffer */
#define DS_CHUNK_BYTES ((size_t)4 << 20)  /* cap on one HDF5 chunk */
/* zstd level of files: 1, not 3. On a 117,504-row magnet file level 3 made the
 * file 1.6 % smaller, and level 1 copies it in 24 % less time (exsol-cat 2.6 s
 * against 3.4 s). */
#define DS_DEFAULT_LEVEL 1
/* HDF5 chunk cache per variable. netCDF's default (16 MiB each) made memory grow
 * with the number of variables (80 variables: 420 MB); the tools read and write
 * whole chunks in order, so a small cache costs nothing and a larger chunk simply
 * bypasses it. */
#define DS_VAR_CACHE_BYTES ((size_t)256 << 10)
#define DS_VAR_CACHE_SLOTS 17

/* ---- small helpers ---------------------------------------------------- */

static size_t type_size(nc_type t)
{
    switch (t) {
    case NC_BYTE: case NC_CHAR: case NC_UBYTE: return 1;
    case NC_SHORT: case NC_USHORT: return 2;
    case NC_INT: case NC_UINT: case NC_FLOAT: return 4;
    case NC_DOUBLE: case NC_INT64: case NC_UINT64: return 8;
    default: return 0;
    }
}

static int is_numeric(nc_type t) { return type_size(t) > 0 && t != NC_CHAR; }

static double default_fill(nc_type t)
{
    switch (t) {
    case NC_BYTE: return NC_FILL_BYTE;
    case NC_SHORT: return NC_FILL_SHORT;
    case NC_INT: return NC_FILL_INT;
    case NC_FLOAT: return NC_FILL_FLOAT;
    case NC_UBYTE: return NC_FILL_UBYTE;
    case NC_USHORT: return NC_FILL_USHORT;
    case NC_UINT: return NC_FILL_UINT;
    case NC_INT64: return (double)NC_FILL_INT64;
    case NC_UINT64: return (double)NC_FILL_UINT64;
    default: return NC_FILL_DOUBLE;
    }
}

/* ---- the classic-format size check ------------------------------------ */

struct hdr {
    const unsigned char *p;
    size_t len, pos;
    int ver;   /* 1, 2 or 5 */
    int shortbuf;
    int bad;
};

static int hdr_u32(struct hdr *h, uint64_t *v)
{
    if (h->len - h->pos < 4) {
        h->shortbuf = 1;
        return -1;
    }
    const unsigned char *q = h->p + h->pos;
    *v = ((uint64_t)q[0] << 24) | ((uint64_t)q[1] << 16) | ((uint64_t)q[2] << 8) | q[3];
    h->pos += 4;
    return 0;
}

static int hdr_u64(struct hdr *h, uint64_t *v)
{
    uint64_t hi, lo;
    if (hdr_u32(h, &hi) || hdr_u32(h, &lo))
        return -1;
    *v = (hi << 32) | lo;
    return 0;
}

/* nelems, dimension lengths, vsize: 8 bytes in CDF5, 4 otherwise */
static int hdr_count(struct hdr *h, uint64_t *v)
{
    return h->ver == 5 ? hdr_u64(h, v) : hdr_u32(h, v);
}

static int hdr_skip(struct hdr *h, uint64_t n)
{
    if (n > (uint64_t)(h->len - h->pos)) {
        h->shortbuf = 1;
        return -1;
    }
    h->pos += (size_t)n;
    return 0;
}

static uint64_t pad4(uint64_t n) { return (n + 3) & ~(uint64_t)3; }

static int hdr_name(struct hdr *h)
{
    uint64_t n;
    if (hdr_count(h, &n))
        return -1;
    if (n > ((uint64_t)1 << 40)) {
        h->bad = 1;
        return -1;
    }
    return hdr_skip(h, pad4(n));
}

static int hdr_atts(struct hdr *h)
{
    uint64_t tag, n;
    if (hdr_u32(h, &tag) || hdr_count(h, &n))
        return -1;
    if (tag == 0 && n == 0)
        return 0;
    if (tag != 0x0C) {
        h->bad = 1;
        return -1;
    }
    for (uint64_t i = 0; i < n; i++) {
        uint64_t t, cnt;
        if (hdr_name(h) || hdr_u32(h, &t) || hdr_count(h, &cnt))
            return -1;
        size_t sz = type_size((nc_type)t);
        if (t > NC_UINT64 || sz == 0 || cnt > ((uint64_t)1 << 40)) {
            h->bad = 1;
            return -1;
        }
        if (hdr_skip(h, pad4(cnt * sz)))
            return -1;
    }
    return 0;
}

/* need: the bytes the header promises (last data byte); full: the size netCDF
 * itself gives such a file (records padded), used to cut a memio image. */
static int classic_extent(const unsigned char *buf, size_t have, unsigned long long file_size,
                          uint64_t *need_out, uint64_t *full_out)
{
    struct hdr h = {buf, have, 0, 0, 0, 0};
    uint64_t *dimlen = NULL;
    int rc = EXSOL_EFORMAT;
    uint64_t numrecs, tag, ndims, nvars;

    if (have < 4 || memcmp(buf, "CDF", 3) != 0)
        return have < 4 && have < file_size ? -1 : EXSOL_EFORMAT;
    h.ver = buf[3];
    if (h.ver != 1 && h.ver != 2 && h.ver != 5)
        return EXSOL_EFORMAT;
    h.pos = 4;
    if ((h.ver == 5 ? hdr_u64(&h, &numrecs) : hdr_u32(&h, &numrecs)))
        goto done;
    /* dimensions */
    if (hdr_u32(&h, &tag) || hdr_count(&h, &ndims))
        goto done;
    if (!(tag == 0 && ndims == 0) && tag != 0x0A)
        goto done;
    if (ndims > (uint64_t)(have / 8 + 1))
        goto done_short_or_bad;
    if (ndims) {
        dimlen = calloc((size_t)ndims, sizeof *dimlen);
        if (!dimlen) {
            rc = EXSOL_ENOMEM;
            goto out;
        }
    }
    for (uint64_t i = 0; i < ndims; i++)
        if (hdr_name(&h) || hdr_count(&h, &dimlen[i]))
            goto done;
    if (hdr_atts(&h))
        goto done;
    /* variables: collect the end of each one's data */
    if (hdr_u32(&h, &tag) || hdr_count(&h, &nvars))
        goto done;
    if (!(tag == 0 && nvars == 0) && tag != 0x0B)
        goto done;
    uint64_t need = h.pos, recsize = 0, nrec = 0;
    uint64_t rec_last_begin = 0, rec_last_bytes = 0;
    uint64_t rec_first_bytes = 0, rec_begin = UINT64_MAX, full = 0;
    for (uint64_t v = 0; v < nvars; v++) {
        uint64_t nd, t, vsize, begin, elems = 1;
        int is_rec = 0;
        if (hdr_name(&h) || hdr_count(&h, &nd))
            goto done;
        if (nd > 1024) {
            h.bad = 1;
            goto done;
        }
        for (uint64_t d = 0; d < nd; d++) {
            uint64_t id;
            if (hdr_count(&h, &id))
                goto done;
            if (id >= ndims) {
                h.bad = 1;
                goto done;
            }
            if (dimlen[id] == 0 && d == 0) {
                is_rec = 1;
                continue;
            }
            if (dimlen[id] && elems > (((uint64_t)1 << 62) / dimlen[id])) {
                h.bad = 1;
                goto done;
            }
            elems *= dimlen[id];
        }
        if (hdr_atts(&h) || hdr_u32(&h, &t) || hdr_count(&h, &vsize))
            goto done;
        if ((h.ver == 1 ? hdr_u32(&h, &begin) : hdr_u64(&h, &begin)))
            goto done;
        size_t sz = type_size((nc_type)t);
        if (t > NC_UINT64 || sz == 0 || elems > ((uint64_t)1 << 58)) {
            h.bad = 1;
            goto done;
        }
        uint64_t bytes = elems * sz;
        if (is_rec) {
            if (nrec == 0)
                rec_first_bytes = bytes;
            nrec++;
            recsize += pad4(bytes);
            if (begin < rec_begin)
                rec_begin = begin;
            if (begin >= rec_last_begin) {
                rec_last_begin = begin;
                rec_last_bytes = bytes;
            }
        } else {
            if (begin + bytes > need)
                need = begin + bytes;
            if (begin + pad4(bytes) > full)
                full = begin + pad4(bytes);
        }
        if (begin > ((uint64_t)1 << 62)) {
            h.bad = 1;
            goto done;
        }
    }
    /* one record variable: records are not padded (netCDF classic format spec) */
    if (nrec == 1)
        recsize = rec_first_bytes;
    int streaming = (h.ver == 5 ? numrecs == UINT64_MAX : numrecs == 0xFFFFFFFFu);
    if (nrec && numrecs && !streaming) {
        if (recsize && numrecs - 1 > (((uint64_t)1 << 62) / recsize)) {
            h.bad = 1;
            goto done;
        }
        uint64_t end = rec_last_begin + (numrecs - 1) * recsize + rec_last_bytes;
        if (end > need)
            need = end;
        if (rec_begin + numrecs * recsize > full)
            full = rec_begin + numrecs * recsize;
    }
    if (need > full)
        full = need;
    *need_out = need;
    *full_out = full;
    rc = need <= (uint64_t)file_size ? EXSOL_OK : EXSOL_EFORMAT;
    goto out;
done_short_or_bad:
    h.bad = 1;
done:
    if (h.shortbuf && !h.bad && (unsigned long long)have < file_size)
        rc = -1;
    else
        rc = EXSOL_EFORMAT;
out:
    free(dimlen);
    return rc;
}

int exsol_ds_check_classic(const unsigned char *buf, size_t have, unsigned long long file_size)
{
    uint64_t need, full;
    return classic_extent(buf, have, file_size, &need, &full);
}

/* ---- zstd ------------------------------------------------------------- */

int exsol_zstd_register(void)
{
    htri_t avail = H5Zfilter_avail((H5Z_filter_t)EXSOL_H5Z_ZSTD_ID);
    if (avail > 0)
        return EXSOL_OK;
    if (H5Zregister(&exsol_h5z_zstd_class) < 0)
        return EXSOL_EFILTER;
    return H5Zfilter_avail((H5Z_filter_t)EXSOL_H5Z_ZSTD_ID) > 0 ? EXSOL_OK : EXSOL_EFILTER;
}

/* ---- reading ---------------------------------------------------------- */

struct ds_var {
    char name[DS_NAME_MAX];
    nc_type type;
    int ndims;
    int *dimids;
    int rec;              /* first dimension is `candidate` */
    enum exsol_vkind kind;
    size_t inner;         /* values per candidate (rec) or total size (not rec) */
    char inner_dim[DS_NAME_MAX];
    double fill;          /* _FillValue or the type's default, as double */
};

struct exsol_ds {
    int ncid;
    char *path;
    void *mem;
    unsigned long serial; /* tells inputs apart for the stored-chunk copy */
    int h5file;           /* a NETCDF4 (HDF5) file on disk: chunks can be copied raw, */
    int fd;               /* ... read from this descriptor (else -1) */
    hid_t h5id;           /* ... at addresses HDF5 gives through this handle (else -1) */
    int cand_dimid;
    size_t ncand;
    size_t nvars;
    struct ds_var *vars;
};

static void ds_label(const char *path, char *buf, size_t n)
{
    if (!path || strcmp(path, "-") == 0)
        snprintf(buf, n, "the input on stdin");
    else
        snprintf(buf, n, "'%s'", path);
}

static int ds_load_vars(exsol_ds *ds, const char *label, char *err, size_t errlen)
{
    int nv, st;
    if ((st = nc_inq_nvars(ds->ncid, &nv)) != NC_NOERR)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is truncated or corrupt (%s)",
                            label, nc_strerror(st));
    ds->nvars = (size_t)nv;
    ds->vars = calloc(nv > 0 ? (size_t)nv : 1, sizeof *ds->vars);
    if (!ds->vars)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory reading %s", label);
    for (int i = 0; i < nv; i++) {
        struct ds_var *v = &ds->vars[i];
        int nd;
        if ((st = nc_inq_var(ds->ncid, i, v->name, &v->type, &nd, NULL, NULL)) != NC_NOERR)
            return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is corrupt (%s)", label,
                                nc_strerror(st));
        int again = -1;
        if (nc_inq_varid(ds->ncid, v->name, &again) != NC_NOERR || again != i)
            return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                                "%s is corrupt (variable name '%s' cannot be looked up)",
                                label, v->name);
        v->ndims = nd;
        v->dimids = calloc(nd > 0 ? (size_t)nd : 1, sizeof *v->dimids);
        if (!v->dimids)
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory reading %s", label);
        if ((st = nc_inq_vardimid(ds->ncid, i, v->dimids)) != NC_NOERR)
            return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is corrupt (%s)", label,
                                nc_strerror(st));
        v->rec = nd >= 1 && v->dimids[0] == ds->cand_dimid;
        size_t inner = 1;
        for (int d = v->rec ? 1 : 0; d < nd; d++) {
            size_t len;
            if ((st = nc_inq_dimlen(ds->ncid, v->dimids[d], &len)) != NC_NOERR)
                return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is corrupt (%s)", label,
                                    nc_strerror(st));
            if (v->dimids[d] == ds->cand_dimid)
                v->rec = -1; /* candidate in another position: not a table column */
            inner *= len;
        }
        v->inner = inner;
        v->kind = EXSOL_VK_OTHER;
        if (v->rec == 1 && v->type == NC_CHAR && nd <= 2)
            v->kind = EXSOL_VK_TEXT;
        else if (v->rec == 1 && is_numeric(v->type) && nd == 1)
            v->kind = EXSOL_VK_SCALAR;
        else if (v->rec == 1 && is_numeric(v->type) && nd == 2) {
            v->kind = EXSOL_VK_CURVE;
            nc_inq_dimname(ds->ncid, v->dimids[1], v->inner_dim);
        }
        if (v->rec < 0)
            v->rec = 0;
        /* netCDF-4 inputs only; classic files have no chunk cache */
        (void)nc_set_var_chunk_cache(ds->ncid, i, DS_VAR_CACHE_BYTES, DS_VAR_CACHE_SLOTS,
                                     1.0f);
        double f;
        if (is_numeric(v->type) &&
            nc_get_att_double(ds->ncid, i, "_FillValue", &f) == NC_NOERR)
            v->fill = f;
        else
            v->fill = default_fill(v->type);
    }
    return EXSOL_OK;
}

/* Opens ncid-ready data; takes ownership of mem (may be NULL). */
static int ds_finish_open(const char *path, const char *label, int ncid, void *mem,
                          exsol_ds **out, char *err, size_t errlen)
{
    int rc = EXSOL_OK, st;
    exsol_ds *ds = calloc(1, sizeof *ds);
    if (!ds) {
        nc_close(ncid);
        free(mem);
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory opening %s", label);
    }
    static unsigned long serials;
    ds->ncid = ncid;
    ds->serial = ++serials;
    ds->fd = -1;
    ds->h5id = -1;
    ds->mem = mem;
    ds->path = strdup(path);
    if (!ds->path) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory opening %s", label);
        goto fail;
    }
    if ((st = nc_inq_dimid(ncid, EXSOL_CANDIDATE_DIM, &ds->cand_dimid)) != NC_NOERR) {
        rc = exsol_seterr(err, errlen, EXSOL_EFORMAT,
                          "%s has no '" EXSOL_CANDIDATE_DIM "' dimension (not an exsol file)",
                          label);
        goto fail;
    }
    if ((st = nc_inq_dimlen(ncid, ds->cand_dimid, &ds->ncand)) != NC_NOERR) {
        rc = exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is corrupt (%s)", label,
                          nc_strerror(st));
        goto fail;
    }
    if ((rc = ds_load_vars(ds, label, err, errlen)) != EXSOL_OK)
        goto fail;
    *out = ds;
    return EXSOL_OK;
fail:
    exsol_ds_close(ds);
    return rc;
}

static int magic_kind(const unsigned char *b, size_t n)
{
    static const unsigned char hdf5sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    if (n >= 4 && memcmp(b, "CDF", 3) == 0 && (b[3] == 1 || b[3] == 2 || b[3] == 5))
        return 1;
    if (n >= 8 && memcmp(b, hdf5sig, 8) == 0)
        return 2;
    /* HDF5 allows a user block: the signature may sit at 512, 1024, 2048, ... */
    for (size_t off = 512; off + 8 <= n && off <= ((size_t)1 << 20); off *= 2)
        if (memcmp(b + off, hdf5sig, 8) == 0)
            return 2;
    return 0;
}

static int ds_open_buffer(const char *path, const char *label, void *mem, size_t size,
                          exsol_ds **out, char *err, size_t errlen)
{
    int ncid, st, rc;
    exsol_zstd_register();
    int kind = magic_kind(mem, size);
    if (kind == 0) {
        free(mem);
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is not a NetCDF file", label);
    }
    if (kind == 1 && (rc = exsol_ds_check_classic(mem, size, size)) != EXSOL_OK) {
        free(mem);
        if (rc == EXSOL_ENOMEM)
            return exsol_seterr(err, errlen, rc, "out of memory reading %s", label);
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is truncated or corrupt", label);
    }
    if ((st = nc_open_mem(label, NC_NOWRITE, size, mem, &ncid)) != NC_NOERR) {
        free(mem);
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is truncated or corrupt (%s)",
                            label, nc_strerror(st));
    }
    return ds_finish_open(path, label, ncid, mem, out, err, errlen);
}

int exsol_ds_open_mem(const char *label, const void *data, size_t size, exsol_ds **out,
                      char *err, size_t errlen)
{
    *out = NULL;
    if (size == 0)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is empty", label);
    void *mem = malloc(size);
    if (!mem)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory reading %s", label);
    memcpy(mem, data, size);
    return ds_open_buffer("-", label, mem, size, out, err, errlen);
}

static int read_all(int fd, void **mem, size_t *size)
{
    size_t cap = (size_t)1 << 20, n = 0;
    unsigned char *buf = malloc(cap);
    if (!buf)
        return EXSOL_ENOMEM;
    for (;;) {
        if (n == cap) {
            unsigned char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return EXSOL_ENOMEM;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            free(buf);
            return EXSOL_EIO;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    *mem = buf;
    *size = n;
    return EXSOL_OK;
}

/* Reads the leading part of a classic file until its header is complete. */
static int check_classic_file(int fd, unsigned long long fsize, const char *label, char *err,
                              size_t errlen)
{
    size_t want = fsize < 65536 ? (size_t)fsize : 65536;
    int rc = EXSOL_EFORMAT;
    for (;;) {
        unsigned char *buf = malloc(want ? want : 1);
        if (!buf)
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory reading %s", label);
        size_t n = 0;
        while (n < want) {
            ssize_t got = pread(fd, buf + n, want - n, (off_t)n);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0)
                break;
            n += (size_t)got;
        }
        rc = exsol_ds_check_classic(buf, n, fsize);
        free(buf);
        if (rc != -1 || n < want || want >= fsize)
            break;
        want = (fsize / 4 < want) ? (size_t)fsize : want * 4;
    }
    if (rc == EXSOL_ENOMEM)
        return exsol_seterr(err, errlen, rc, "out of memory reading %s", label);
    if (rc != EXSOL_OK)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is truncated or corrupt", label);
    return EXSOL_OK;
}

/* For copying chunks as stored: an HDF5 handle on the file netCDF has open (HDF5
 * shares one file between the two) and our own descriptor on it, so the bytes are
 * read later from this very file whatever its name points to by then. Anything
 * unexpected (another file under the name already, no NETCDF4) only turns it off. */
static void ds_open_h5(exsol_ds *ds, int fd, const struct stat *sb)
{
    int fmt, *vfd = NULL;
    struct stat now;
    hid_t fcpl = -1;
    hsize_t ub = 1;
    if (nc_inq_format(ds->ncid, &fmt) == NC_NOERR && fmt == NC_FORMAT_NETCDF4) {
        H5E_BEGIN_TRY
        {
            ds->h5id = H5Fopen(ds->path, H5F_ACC_RDONLY, H5P_DEFAULT);
            /* the file netCDF opened is the one fd has, and has no user block (chunk
             * addresses then count from the start of the file) */
            if (ds->h5id >= 0 &&
                H5Fget_vfd_handle(ds->h5id, H5P_DEFAULT, (void **)&vfd) >= 0 && vfd &&
                fstat(*vfd, &now) == 0 && now.st_dev == sb->st_dev &&
                now.st_ino == sb->st_ino && (fcpl = H5Fget_create_plist(ds->h5id)) >= 0 &&
                H5Pget_userblock(fcpl, &ub) >= 0 && ub == 0)
                ds->h5file = 1;
            if (fcpl >= 0)
                H5Pclose(fcpl);
        }
        H5E_END_TRY;
    }
    if (ds->h5file)
        ds->fd = fd;
    else
        close(fd);
}

int exsol_ds_open(const char *path, exsol_ds **out, char *err, size_t errlen)
{
    char label[4200];
    *out = NULL;
    if (!path)
        path = "-";
    ds_label(path, label, sizeof label);
    if (strcmp(path, "-") == 0) {
        void *mem = NULL;
        size_t size = 0;
        int rc = read_all(STDIN_FILENO, &mem, &size);
        if (rc == EXSOL_ENOMEM)
            return exsol_seterr(err, errlen, rc, "out of memory reading stdin");
        if (rc)
            return exsol_seterr(err, errlen, rc, "cannot read stdin: %s", strerror(errno));
        if (size == 0) {
            free(mem);
            return exsol_seterr(err, errlen, EXSOL_EFORMAT, "empty input on stdin");
        }
        return ds_open_buffer("-", label, mem, size, out, err, errlen);
    }

    exsol_zstd_register();
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return exsol_seterr(err, errlen, EXSOL_EIO, "cannot open %s: %s", label,
                            strerror(errno));
    struct stat sb;
    unsigned char head[4096];
    ssize_t nh = 0;
    int rc = EXSOL_OK, kind = 0;
    if (fstat(fd, &sb) != 0 || S_ISDIR(sb.st_mode)) {
        rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot read %s: %s", label,
                          S_ISDIR(sb.st_mode) ? "is a directory" : strerror(errno));
        goto done;
    }
    if (!S_ISREG(sb.st_mode)) {
        /* a pipe or FIFO (e.g. `<(exsol-gen ...)`): no seeking, read it whole */
        void *mem = NULL;
        size_t size = 0;
        rc = read_all(fd, &mem, &size);
        close(fd);
        if (rc == EXSOL_ENOMEM)
            return exsol_seterr(err, errlen, rc, "out of memory reading %s", label);
        if (rc)
            return exsol_seterr(err, errlen, rc, "cannot read %s: %s", label, strerror(errno));
        if (size == 0) {
            free(mem);
            return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is empty", label);
        }
        return ds_open_buffer(path, label, mem, size, out, err, errlen);
    }
    nh = pread(fd, head, sizeof head, 0);
    if (nh < 0) {
        rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot read %s: %s", label,
                          strerror(errno));
        goto done;
    }
    kind = magic_kind(head, (size_t)nh);
    if (kind == 0) {
        rc = exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is not a NetCDF file", label);
        goto done;
    }
    if (kind == 1)
        rc = check_classic_file(fd, (unsigned long long)sb.st_size, label, err, errlen);
done:
    if (rc || kind != 2) {
        close(fd);
        fd = -1;
    }
    if (rc)
        return rc;
    int ncid, st;
    if ((st = nc_open(path, NC_NOWRITE, &ncid)) != NC_NOERR) {
        if (fd >= 0)
            close(fd);
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is truncated or corrupt (%s)",
                            label, nc_strerror(st));
    }
    int frc = ds_finish_open(path, label, ncid, NULL, out, err, errlen);
    if (frc == EXSOL_OK && kind == 2)
        ds_open_h5(*out, fd, &sb);
    else if (fd >= 0)
        close(fd);
    return frc;
}

void exsol_ds_close(exsol_ds *ds)
{
    if (!ds)
        return;
    if (ds->h5id >= 0)
        H5Fclose(ds->h5id);
    if (ds->ncid >= 0)
        nc_close(ds->ncid);
    if (ds->fd >= 0)
        close(ds->fd);
    if (ds->vars)
        for (size_t i = 0; i < ds->nvars; i++)
            free(ds->vars[i].dimids);
    free(ds->vars);
    free(ds->mem);
    free(ds->path);
    free(ds);
}

const char *exsol_ds_path(const exsol_ds *ds) { return ds->path; }
size_t exsol_ds_ncandidates(const exsol_ds *ds) { return ds->ncand; }
size_t exsol_ds_nvars(const exsol_ds *ds) { return ds->nvars; }

const char *exsol_ds_var_name(const exsol_ds *ds, size_t i)
{
    return i < ds->nvars ? ds->vars[i].name : NULL;
}

static const struct ds_var *ds_find(const exsol_ds *ds, const char *name)
{
    int varid;
    if (!name || nc_inq_varid(ds->ncid, name, &varid) != NC_NOERR || varid < 0 ||
        (size_t)varid >= ds->nvars)
        return NULL;
    return &ds->vars[varid];
}

enum exsol_vkind exsol_ds_var_kind(const exsol_ds *ds, const char *name)
{
    const struct ds_var *v = ds_find(ds, name);
    return v ? v->kind : EXSOL_VK_NONE;
}

int exsol_ds_var_inner(const exsol_ds *ds, const char *name, size_t *inner, char *err,
                       size_t errlen)
{
    const struct ds_var *v = ds_find(ds, name);
    if (!v)
        return exsol_seterr(err, errlen, EXSOL_EMISSINGVAR, "no variable '%s' in %s", name,
                            strcmp(ds->path, "-") ? ds->path : "stdin");
    *inner = v->inner;
    return EXSOL_OK;
}

const char *exsol_ds_var_dim(const exsol_ds *ds, const char *name)
{
    const struct ds_var *v = ds_find(ds, name);
    return v && v->kind == EXSOL_VK_CURVE ? v->inner_dim : NULL;
}

int exsol_ds_dim_len(const exsol_ds *ds, const char *dim, size_t *len)
{
    int dimid;
    if (!dim || nc_inq_dimid(ds->ncid, dim, &dimid) != NC_NOERR)
        return EXSOL_EMISSINGVAR;
    return nc_inq_dimlen(ds->ncid, dimid, len) == NC_NOERR ? EXSOL_OK : EXSOL_ENETCDF;
}

static const char *ds_where(const exsol_ds *ds)
{
    return strcmp(ds->path, "-") ? ds->path : "stdin";
}

/* Common checks for per-candidate reads; fills start/count for nc_get_vara. */
static int ds_rows(const exsol_ds *ds, const char *name, size_t start, size_t count,
                   int want_text, const struct ds_var **vout, size_t *st, size_t *ct,
                   char *err, size_t errlen)
{
    const struct ds_var *v = ds_find(ds, name);
    if (!v)
        return exsol_seterr(err, errlen, EXSOL_EMISSINGVAR, "no variable '%s' in %s", name,
                            ds_where(ds));
    if (!v->rec)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                            "variable '%s' in %s is not per-candidate", name, ds_where(ds));
    if (want_text ? v->type != NC_CHAR : !is_numeric(v->type))
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "variable '%s' in %s is %s", name,
                            ds_where(ds), want_text ? "not text" : "not numeric");
    if (v->ndims > NC_MAX_VAR_DIMS)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "variable '%s' has too many dimensions",
                            name);
    if (start > ds->ncand || count > ds->ncand - start)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "rows %zu..%zu of '%s' are beyond the %zu candidates of %s", start,
                            start + count, name, ds->ncand, ds_where(ds));
    st[0] = start;
    ct[0] = count;
    for (int d = 1; d < v->ndims; d++) {
        st[d] = 0;
        nc_inq_dimlen(ds->ncid, v->dimids[d], &ct[d]);
    }
    *vout = v;
    return EXSOL_OK;
}

int exsol_ds_read_double(const exsol_ds *ds, const char *name, size_t start, size_t count,
                         double *buf, char *err, size_t errlen)
{
    size_t st[NC_MAX_VAR_DIMS], ct[NC_MAX_VAR_DIMS];
    const struct ds_var *v = NULL;
    int rc = ds_rows(ds, name, start, count, 0, &v, st, ct, err, errlen);
    if (rc)
        return rc;
    if (count == 0 || v->inner == 0)
        return EXSOL_OK;
    int s = nc_get_vara_double(ds->ncid, (int)(v - ds->vars), st, ct, buf);
    if (s != NC_NOERR)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "cannot read '%s' from %s: %s", name,
                            ds_where(ds), nc_strerror(s));
    size_t n = count * v->inner;
    for (size_t i = 0; i < n; i++)
        if (buf[i] == v->fill)
            buf[i] = NAN;
    return EXSOL_OK;
}

int exsol_ds_read_int(const exsol_ds *ds, const char *name, size_t start, size_t count,
                      int *buf, char *err, size_t errlen)
{
    size_t st[NC_MAX_VAR_DIMS], ct[NC_MAX_VAR_DIMS];
    const struct ds_var *v = NULL;
    int rc = ds_rows(ds, name, start, count, 0, &v, st, ct, err, errlen);
    if (rc)
        return rc;
    size_t n = count * v->inner;
    if (n == 0)
        return EXSOL_OK;
    if (v->type == NC_FLOAT || v->type == NC_DOUBLE || v->type == NC_INT64 ||
        v->type == NC_UINT64 || v->type == NC_UINT) {
        /* read as double, then demand integral values in range */
        for (size_t done = 0; done < count;) {
            size_t rows = count - done;
            size_t maxrows = v->inner ? (size_t)65536 / v->inner : rows;
            if (maxrows == 0)
                maxrows = 1;
            if (rows > maxrows)
                rows = maxrows;
            double *tmp = malloc(rows * v->inner * sizeof *tmp);
            if (!tmp)
                return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
            rc = exsol_ds_read_double(ds, name, start + done, rows, tmp, err, errlen);
            for (size_t i = 0; rc == EXSOL_OK && i < rows * v->inner; i++) {
                double x = tmp[i];
                if (isnan(x))
                    buf[done * v->inner + i] = NC_FILL_INT;
                else if (x != floor(x) || x <= (double)INT32_MIN || x > (double)INT32_MAX)
                    rc = exsol_seterr(err, errlen, EXSOL_EFORMAT,
                                      "variable '%s' in %s holds %g, not an int", name,
                                      ds_where(ds), x);
                else
                    buf[done * v->inner + i] = (int)x;
            }
            free(tmp);
            if (rc)
                return rc;
            done += rows;
        }
        return EXSOL_OK;
    }
    int s = nc_get_vara_int(ds->ncid, (int)(v - ds->vars), st, ct, buf);
    if (s != NC_NOERR)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "cannot read '%s' from %s: %s", name,
                            ds_where(ds), nc_strerror(s));
    if (v->fill != (double)NC_FILL_INT)
        for (size_t i = 0; i < n; i++)
            if ((double)buf[i] == v->fill)
                buf[i] = NC_FILL_INT;
    return EXSOL_OK;
}

int exsol_ds_read_text(const exsol_ds *ds, const char *name, size_t start, size_t count,
                       char *buf, size_t width, char *err, size_t errlen)
{
    size_t st[NC_MAX_VAR_DIMS], ct[NC_MAX_VAR_DIMS];
    const struct ds_var *v = NULL;
    int rc = ds_rows(ds, name, start, count, 1, &v, st, ct, err, errlen);
    if (rc)
        return rc;
    if (width == 0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "zero text width for '%s'", name);
    if (count == 0)
        return EXSOL_OK;
    size_t w = v->inner;
    char *tmp = malloc(count * w + 1);
    if (!tmp)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    int s = w ? nc_get_vara_text(ds->ncid, (int)(v - ds->vars), st, ct, tmp) : NC_NOERR;
    if (s != NC_NOERR) {
        free(tmp);
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "cannot read '%s' from %s: %s", name,
                            ds_where(ds), nc_strerror(s));
    }
    for (size_t r = 0; r < count; r++) {
        const char *src = tmp + r * w;
        char *dst = buf + r * width;
        size_t k = 0;
        while (k < w && k + 1 < width && src[k] != '\0') {
            dst[k] = src[k];
            k++;
        }
        while (k > 0 && (dst[k - 1] == ' ' || dst[k - 1] == '\t'))
            k--;
        dst[k] = '\0';
    }
    free(tmp);
    return EXSOL_OK;
}

int exsol_ds_read_fixed(const exsol_ds *ds, const char *name, double *buf, size_t n,
                        char *err, size_t errlen)
{
    const struct ds_var *v = ds_find(ds, name);
    if (!v)
        return exsol_seterr(err, errlen, EXSOL_EMISSINGVAR, "no variable '%s' in %s", name,
                            ds_where(ds));
    if (v->rec || !is_numeric(v->type))
        return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                            "variable '%s' in %s is not a fixed numeric variable", name,
                            ds_where(ds));
    for (int d = 0; d < v->ndims; d++)
        if (v->dimids[d] == ds->cand_dimid)
            return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                                "variable '%s' in %s is not a fixed numeric variable", name,
                                ds_where(ds));
    if (n != v->inner)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                            "variable '%s' in %s has %zu values, expected %zu", name,
                            ds_where(ds), v->inner, n);
    if (n == 0)
        return EXSOL_OK;
    int s = nc_get_var_double(ds->ncid, (int)(v - ds->vars), buf);
    if (s != NC_NOERR)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "cannot read '%s' from %s: %s", name,
                            ds_where(ds), nc_strerror(s));
    for (size_t i = 0; i < n; i++)
        if (buf[i] == v->fill)
            buf[i] = NAN;
    return EXSOL_OK;
}

static int ds_att_varid(int ncid, const char *var, int *varid)
{
    if (!var) {
        *varid = NC_GLOBAL;
        return EXSOL_OK;
    }
    return nc_inq_varid(ncid, var, varid) == NC_NOERR ? EXSOL_OK : EXSOL_EMISSINGVAR;
}

int exsol_ds_get_att_text(const exsol_ds *ds, const char *var, const char *att, char *buf,
                          size_t buflen)
{
    int varid;
    nc_type t;
    size_t len;
    if (ds_att_varid(ds->ncid, var, &varid) != EXSOL_OK)
        return EXSOL_EMISSINGVAR;
    if (nc_inq_att(ds->ncid, varid, att, &t, &len) != NC_NOERR)
        return EXSOL_EMISSINGVAR;
    if (buflen == 0)
        return EXSOL_EVALUE;
    if (t == NC_STRING) {
        char *s[1] = {NULL};
        if (len != 1 || nc_get_att_string(ds->ncid, varid, att, s) != NC_NOERR)
            return EXSOL_EFORMAT;
        snprintf(buf, buflen, "%s", s[0] ? s[0] : "");
        nc_free_string(1, s);
        return EXSOL_OK;
    }
    if (t != NC_CHAR)
        return EXSOL_EFORMAT;
    char *tmp = malloc(len + 1);
    if (!tmp)
        return EXSOL_ENOMEM;
    if (len && nc_get_att_text(ds->ncid, varid, att, tmp) != NC_NOERR) {
        free(tmp);
        return EXSOL_EFORMAT;
    }
    tmp[len] = '\0';
    snprintf(buf, buflen, "%s", tmp);
    free(tmp);
    return EXSOL_OK;
}

int exsol_ds_get_att_double(const exsol_ds *ds, const char *var, const char *att, double *v)
{
    int varid;
    nc_type t;
    size_t len;
    if (ds_att_varid(ds->ncid, var, &varid) != EXSOL_OK)
        return EXSOL_EMISSINGVAR;
    if (nc_inq_att(ds->ncid, varid, att, &t, &len) != NC_NOERR)
        return EXSOL_EMISSINGVAR;
    if (!is_numeric(t) || len < 1)
        return EXSOL_EFORMAT;
    double *tmp = malloc(len * sizeof *tmp);
    if (!tmp)
        return EXSOL_ENOMEM;
    int s = nc_get_att_double(ds->ncid, varid, att, tmp);
    if (s == NC_NOERR)
        *v = tmp[0];
    free(tmp);
    return s == NC_NOERR ? EXSOL_OK : EXSOL_EFORMAT;
}

/* ---- writing ---------------------------------------------------------- */

struct out_var {
    char name[DS_NAME_MAX];
    int varid;
    nc_type type;
    size_t inner;  /* values per candidate */
    size_t width;  /* text: string width */
};

struct out_coord {
    char dim[DS_NAME_MAX]; /* the variable's name: its dimension's for a coordinate */
    int fixed;             /* 1: a non-coordinate variable on a fixed dimension */
    int dimid;
    int varid;     /* -1: dimension copied from input, values compared there */
    size_t len;
    double *values;
};

struct out_scalar {
    int varid;
    int value;
};

/* Copy-through of whole chunks as they are stored (compressed bytes, no zstd either
 * way): where each chunk sits in the input is noted while the output is defined and
 * filled; the bytes are moved at close, when netCDF has let go of the output. */
struct raw_src {
    int fd;              /* our own descriptor on the input file */
    unsigned long serial; /* which exsol_ds it came from */
    char *path;          /* for messages */
};

struct raw_chunk {
    haddr_t addr;        /* absolute offset in the input file */
    hsize_t size;        /* stored bytes; 0: never written (reads as fill) */
    unsigned mask;       /* filters skipped for this chunk */
};

struct raw_copy {
    size_t src;          /* index into raw_srcs */
    char name[DS_NAME_MAX];
    size_t offset;       /* output row of the input's row 0 (a multiple of chunk_rows) */
    size_t chunk_rows;
    size_t nchunks;      /* the input's whole chunks; its partial last one is copied as data */
    struct raw_chunk *chunks;
};

struct exsol_ds_out {
    int ncid;
    int mem;            /* "-" or a non-regular target: CDF5 in memory */
    char *device;       /* non-regular target (/dev/null, a FIFO ...) written at close */
    int nc4;            /* NETCDF4 with chunking and zstd */
    int h5_failed;      /* a netCDF call on it failed inside HDF5 */
    char *path;
    char *tmp;
    const exsol_ds *in;
    int *in_map;        /* output varid of each input variable */
    int cand_dimid;
    size_t chunk_rows;
    unsigned level;
    int ended;
    struct out_var *vars;
    size_t nvars, capvars;
    struct out_coord *coords;
    size_t ncoords, capcoords;
    struct out_scalar *scalars;
    size_t nscalars, capscalars;
    struct raw_src *raw_srcs;
    size_t nraw_srcs, capraw_srcs;
    struct raw_copy *raws;
    size_t nraws, capraws;
    size_t raw_rows;    /* rows the registered chunk copies fill, at least */
    char msg[512];
};

static int out_fail(exsol_ds_out *o, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int out_nrows(exsol_ds_out *o, size_t *n);

static int out_fail(exsol_ds_out *o, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->msg, sizeof o->msg, fmt, ap);
    va_end(ap);
    return code;
}

const char *exsol_ds_out_errmsg(const exsol_ds_out *o) { return o ? o->msg : ""; }

/* Write-side netCDF failures on a file are most often the disk (full, gone). */
/* netCDF and HDF5 report a failed write as "HDF error"; the system's reason, when
 * errno holds one that only a write leaves (a full disk ...), as " (reason)". */
static const char *write_reason(char *buf, size_t n)
{
    int e = errno;
    buf[0] = '\0';
    if (e == ENOSPC || e == EDQUOT || e == EIO || e == EFBIG || e == EROFS)
        snprintf(buf, n, " (%s)", strerror(e));
    return buf;
}

static int out_nc_err(exsol_ds_out *o, int st, const char *what, const char *name)
{
    char why[128];
    int code = (st == NC_ENOMEM) ? EXSOL_ENOMEM : EXSOL_EIO;
    if (st == NC_EHDFERR)
        o->h5_failed = 1;
    return out_fail(o, code, "cannot %s '%s' in %s: %s%s", what, name ? name : "",
                    o->mem ? "stdout" : o->path, nc_strerror(st),
                    write_reason(why, sizeof why));
}

static int need_quotes(const char *s)
{
    if (!*s)
        return 1;
    for (; *s; s++)
        if (strchr(" \t\n'\"\\$`*?;&|<>()#~!{}[]", *s))
            return 1;
    return 0;
}

/* "<UTC time>: <argv>\n" */
static char *history_line(int argc, char *const *argv)
{
    size_t cap = 64;
    for (int i = 0; i < argc; i++)
        cap += 4 * strlen(argv[i]) + 3;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    time_t now = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (!errno && *end == '\0' && v >= 0)
            now = (time_t)v;
    }
    struct tm tmv;
    gmtime_r(&now, &tmv);
    size_t n = strftime(s, cap, "%Y-%m-%dT%H:%M:%SZ: ", &tmv);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (i)
            s[n++] = ' ';
        if (!need_quotes(a)) {
            size_t l = strlen(a);
            memcpy(s + n, a, l);
            n += l;
            continue;
        }
        s[n++] = '\'';
        for (; *a; a++) {
            if (*a == '\'') {
                memcpy(s + n, "'\\''", 4);
                n += 4;
            } else {
                s[n++] = *a;
            }
        }
        s[n++] = '\'';
    }
    s[n++] = '\n';
    s[n] = '\0';
    return s;
}

/* Copies one attribute; a single NC_STRING becomes text in a classic file. */
static int copy_att(exsol_ds_out *o, int in_ncid, int in_varid, const char *att, int out_varid,
                    const char *owner)
{
    nc_type t;
    size_t len;
    int st = nc_inq_att(in_ncid, in_varid, att, &t, &len);
    if (st == NC_NOERR && t == NC_STRING && !o->nc4) {
        char *s[1] = {NULL};
        if (len != 1)
            return out_fail(o, EXSOL_EFORMAT,
                            "attribute '%s' of %s is a list of strings, which CDF5 cannot hold",
                            att, owner);
        st = nc_get_att_string(in_ncid, in_varid, att, s);
        if (st == NC_NOERR)
            st = nc_put_att_text(o->ncid, out_varid, att, strlen(s[0] ? s[0] : ""),
                                 s[0] ? s[0] : "");
        nc_free_string(1, s);
    } else if (st == NC_NOERR) {
        st = nc_copy_att(in_ncid, in_varid, att, o->ncid, out_varid);
    }
    if (st != NC_NOERR)
        return out_fail(o, EXSOL_EFORMAT, "cannot copy attribute '%s' of %s: %s", att, owner,
                        nc_strerror(st));
    return EXSOL_OK;
}

/* Chunking along candidate plus zstd, then proof that the filter is really there. */
static int out_storage(exsol_ds_out *o, int varid, const char *name, int ndims,
                       const int *dimids, nc_type t)
{
    size_t chunks[NC_MAX_VAR_DIMS];
    size_t bytes = type_size(t);
    int st;
    if (!o->nc4)
        return EXSOL_OK;
    if (ndims < 1 || dimids[0] != o->cand_dimid || ndims > NC_MAX_VAR_DIMS)
        return EXSOL_OK; /* fixed variables stay contiguous */
    for (int d = 1; d < ndims; d++) {
        if ((st = nc_inq_dimlen(o->ncid, dimids[d], &chunks[d])) != NC_NOERR)
            return out_nc_err(o, st, "define", name);
        if (chunks[d] == 0)
            chunks[d] = 1;
        bytes *= chunks[d];
    }
    size_t rows = o->chunk_rows;
    while (rows > 1 && rows * bytes > DS_CHUNK_BYTES)
        rows /= 2;
    chunks[0] = rows;
    if ((st = nc_def_var_chunking(o->ncid, varid, NC_CHUNKED, chunks)) != NC_NOERR)
        return out_nc_err(o, st, "set chunking of", name);
    if ((st = nc_set_var_chunk_cache(o->ncid, varid, DS_VAR_CACHE_BYTES, DS_VAR_CACHE_SLOTS,
                                     1.0f)) != NC_NOERR)
        return out_nc_err(o, st, "set the chunk cache of", name);
    if (type_size(t) > 1 && (st = nc_def_var_deflate(o->ncid, varid, 1, 0, 0)) != NC_NOERR)
        return out_nc_err(o, st, "set byte shuffling of", name);
    unsigned level = o->level;
    if ((st = nc_def_var_filter(o->ncid, varid, EXSOL_H5Z_ZSTD_ID, 1, &level)) != NC_NOERR)
        return out_fail(o, EXSOL_EFILTER, "cannot put the zstd filter on '%s': %s", name,
                        nc_strerror(st));
    size_t nf = 0;
    unsigned ids[16];
    if ((st = nc_inq_var_filter_ids(o->ncid, varid, &nf, NULL)) != NC_NOERR || nf > 16 ||
        (st = nc_inq_var_filter_ids(o->ncid, varid, &nf, ids)) != NC_NOERR)
        return out_fail(o, EXSOL_EFILTER, "cannot verify the filters of '%s'", name);
    for (size_t i = 0; i < nf; i++)
        if (ids[i] == EXSOL_H5Z_ZSTD_ID)
            return EXSOL_OK;
    return out_fail(o, EXSOL_EFILTER, "the zstd filter did not attach to '%s'", name);
}

static int out_copy_defs(exsol_ds_out *o)
{
    const exsol_ds *in = o->in;
    int st, rc;
    int ndims;
    if ((st = nc_inq_ndims(in->ncid, &ndims)) != NC_NOERR)
        return out_fail(o, EXSOL_EFORMAT, "cannot read the dimensions of %s: %s",
                        ds_where(in), nc_strerror(st));
    /* dimension ids in netCDF-4 are not always 0..n-1 in the root group */
    int *dimids = calloc(ndims > 0 ? (size_t)ndims : 1, sizeof *dimids);
    if (!dimids)
        return out_fail(o, EXSOL_ENOMEM, "out of memory");
    nc_inq_dimids(in->ncid, &ndims, dimids, 0);
    for (int i = 0; i < ndims; i++) {
        char name[DS_NAME_MAX];
        size_t len;
        int outid;
        nc_inq_dim(in->ncid, dimids[i], name, &len);
        if (dimids[i] == in->cand_dimid)
            continue;
        if ((st = nc_def_dim(o->ncid, name, len, &outid)) != NC_NOERR) {
            free(dimids);
            return out_nc_err(o, st, "define dimension", name);
        }
    }
    free(dimids);

    o->in_map = calloc(in->nvars ? in->nvars : 1, sizeof *o->in_map);
    if (!o->in_map)
        return out_fail(o, EXSOL_ENOMEM, "out of memory");
    for (size_t i = 0; i < in->nvars; i++) {
        const struct ds_var *v = &in->vars[i];
        int od[NC_MAX_VAR_DIMS];
        if (type_size(v->type) == 0)
            return out_fail(o, EXSOL_EFORMAT,
                            "variable '%s' of %s has a type exsol cannot copy (strings or "
                            "user-defined types)",
                            v->name, ds_where(in));
        if (v->ndims > NC_MAX_VAR_DIMS)
            return out_fail(o, EXSOL_EFORMAT, "variable '%s' has too many dimensions",
                            v->name);
        for (int d = 0; d < v->ndims; d++) {
            char dn[DS_NAME_MAX];
            nc_inq_dimname(in->ncid, v->dimids[d], dn);
            if ((st = nc_inq_dimid(o->ncid, dn, &od[d])) != NC_NOERR)
                return out_nc_err(o, st, "find dimension", dn);
        }
        int varid;
        if ((st = nc_def_var(o->ncid, v->name, v->type, v->ndims, od, &varid)) != NC_NOERR)
            return out_nc_err(o, st, "define variable", v->name);
        o->in_map[i] = varid;
        int natts;
        nc_inq_varnatts(in->ncid, (int)i, &natts);
        for (int a = 0; a < natts; a++) {
            char an[DS_NAME_MAX];
            char owner[DS_NAME_MAX + 16];
            nc_inq_attname(in->ncid, (int)i, a, an);
            snprintf(owner, sizeof owner, "'%s'", v->name);
            if ((rc = copy_att(o, in->ncid, (int)i, an, varid, owner)) != EXSOL_OK)
                return rc;
        }
        if ((rc = out_storage(o, varid, v->name, v->ndims, od, v->type)) != EXSOL_OK)
            return rc;
    }
    int ngatts;
    nc_inq_natts(in->ncid, &ngatts);
    for (int a = 0; a < ngatts; a++) {
        char an[DS_NAME_MAX];
        nc_inq_attname(in->ncid, NC_GLOBAL, a, an);
        if ((rc = copy_att(o, in->ncid, NC_GLOBAL, an, NC_GLOBAL, "the file")) != EXSOL_OK)
            return rc;
    }
    return EXSOL_OK;
}

static int put_text_att(exsol_ds_out *o, int varid, const char *att, const char *value)
{
    int st = nc_put_att_text(o->ncid, varid, att, strlen(value), value);
    return st == NC_NOERR ? EXSOL_OK : out_nc_err(o, st, "write attribute", att);
}

static int out_globals(exsol_ds_out *o, const struct exsol_out_opts *opts)
{
    int rc;
    nc_type t;
    size_t len;
    if ((rc = put_text_att(o, NC_GLOBAL, "Conventions", "CF-1.8")))
        return rc;
    if (opts && opts->title && nc_inq_att(o->ncid, NC_GLOBAL, "title", &t, &len) != NC_NOERR &&
        (rc = put_text_att(o, NC_GLOBAL, "title", opts->title)))
        return rc;
    if ((rc = put_text_att(o, NC_GLOBAL, "exsol_version", EXSOL_VERSION)))
        return rc;
    if (opts && opts->no_history)
        return EXSOL_OK;
    char *line = history_line(opts ? opts->argc : 0, opts ? opts->argv : NULL);
    if (!line)
        return out_fail(o, EXSOL_ENOMEM, "out of memory");
    char *old = NULL;
    if (nc_inq_att(o->ncid, NC_GLOBAL, "history", &t, &len) == NC_NOERR && t == NC_CHAR) {
        old = malloc(len + 1);
        if (!old) {
            free(line);
            return out_fail(o, EXSOL_ENOMEM, "out of memory");
        }
        if (len)
            nc_get_att_text(o->ncid, NC_GLOBAL, "history", old);
        old[len] = '\0';
    } else if (nc_inq_att(o->ncid, NC_GLOBAL, "history", &t, &len) == NC_NOERR &&
               t == NC_STRING && len == 1) {
        /* netCDF-4 files from xarray and friends hold history as a string */
        char *sv[1] = {NULL};
        if (nc_get_att_string(o->ncid, NC_GLOBAL, "history", sv) == NC_NOERR && sv[0])
            old = strdup(sv[0]);
        nc_free_string(1, sv);
    }
    size_t ll = strlen(line), ol = old ? strlen(old) : 0;
    char *hist = malloc(ll + ol + 1);
    if (!hist) {
        free(line);
        free(old);
        return out_fail(o, EXSOL_ENOMEM, "out of memory");
    }
    memcpy(hist, line, ll);
    if (ol)
        memcpy(hist + ll, old, ol);
    hist[ll + ol] = '\0';
    /* an NC_STRING history (netCDF-4 input) is replaced by text */
    if (nc_inq_att(o->ncid, NC_GLOBAL, "history", &t, &len) == NC_NOERR && t != NC_CHAR)
        nc_del_att(o->ncid, NC_GLOBAL, "history");
    rc = put_text_att(o, NC_GLOBAL, "history", hist);
    free(hist);
    free(line);
    free(old);
    return rc;
}

/* HDF5 (1.10.8) that failed to close a file, as on a full disk, keeps it half closed
 * and crashes over it in its exit handler. The data layer does not exit: it tells the
 * program, through the hook it set, so the program can leave before that handler runs
 * (tools/common/cli.c). */
static void (*close_failed_hook)(void);

void exsol_ds_set_close_failed_hook(void (*hook)(void))
{
    close_failed_hook = hook;
}

static void hdf5_close_failed(void)
{
    if (close_failed_hook)
        close_failed_hook();
}

void exsol_ds_out_abort(exsol_ds_out *o)
{
    if (!o)
        return;
    if (o->ncid >= 0) {
        if (o->mem) {
            NC_memio info = {0, NULL, 0};
            if (nc_close_memio(o->ncid, &info) == NC_NOERR)
                free(info.memory);
        } else {
            if (o->h5_failed)
                /* HDF5 already failed on this file (a full disk): netCDF 4.9.0 crashes
                 * inside nc_abort over it. It stays open; the process must not run
                 * HDF5's exit handler over it either. */
                hdf5_close_failed();
            else if (nc_abort(o->ncid) != NC_NOERR)
                hdf5_close_failed();
        }
    }
    if (o->tmp)
        unlink(o->tmp);
    for (size_t i = 0; i < o->ncoords; i++)
        free(o->coords[i].values);
    for (size_t i = 0; i < o->nraw_srcs; i++) {
        close(o->raw_srcs[i].fd);
        free(o->raw_srcs[i].path);
    }
    for (size_t i = 0; i < o->nraws; i++)
        free(o->raws[i].chunks);
    free(o->raw_srcs);
    free(o->raws);
    free(o->coords);
    free(o->scalars);
    free(o->vars);
    free(o->in_map);
    free(o->tmp);
    free(o->path);
    free(o->device);
    free(o);
}

int exsol_ds_out_create(const char *path, const exsol_ds *copy_from,
                        const struct exsol_out_opts *opts, exsol_ds_out **out, char *err,
                        size_t errlen)
{
    int st, rc = EXSOL_OK;
    *out = NULL;
    if (!path)
        path = "-";
    exsol_ds_out *o = calloc(1, sizeof *o);
    if (!o)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    o->ncid = -1;
    o->in = copy_from;
    o->level = opts && opts->zstd_level > 0 ? (unsigned)opts->zstd_level : DS_DEFAULT_LEVEL;
    size_t n = copy_from ? copy_from->ncand : 0;
    o->chunk_rows = n == 0 ? EXSOL_BLOCK : (n < EXSOL_BLOCK ? n : EXSOL_BLOCK);
    o->path = strdup(path);
    if (!o->path) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        goto fail;
    }

    /* A target that exists and is not a regular file (/dev/null, a FIFO, /dev/stdout)
     * cannot be replaced by a rename: it gets the stream form (CDF5 built in memory)
     * written into it at close, like stdout. */
    struct stat target_st;
    if (strcmp(path, "-") != 0 && stat(path, &target_st) == 0 && !S_ISREG(target_st.st_mode)) {
        if (S_ISDIR(target_st.st_mode)) {
            rc = exsol_seterr(err, errlen, EXSOL_EUSAGE, "output '%s' is a directory", path);
            goto fail;
        }
        o->device = strdup(path);
        if (!o->device) {
            rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
            goto fail;
        }
    }

    if (strcmp(path, "-") == 0 || o->device) {
        if (!o->device && isatty(STDOUT_FILENO)) {
            rc = exsol_seterr(err, errlen, EXSOL_ETERMINAL,
                              "refusing to write binary NetCDF to a terminal (redirect "
                              "stdout or use -o FILE)");
            goto fail;
        }
        o->mem = 1;
        if ((st = nc_create_mem("stdout.nc", NC_64BIT_DATA, (size_t)1 << 20, &o->ncid)) !=
            NC_NOERR) {
            o->ncid = -1;
            rc = exsol_seterr(err, errlen, EXSOL_ENETCDF, "cannot create output in memory: %s",
                              nc_strerror(st));
            goto fail;
        }
    } else {
        int cdf5 = opts && opts->force_cdf5;
        if (!cdf5 && exsol_zstd_register() != EXSOL_OK) {
            rc = exsol_seterr(err, errlen, EXSOL_EFILTER,
                              "cannot register the zstd HDF5 filter (id 32015)");
            goto fail;
        }
        const char *slash = strrchr(path, '/');
        size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
        const char *base = slash ? slash + 1 : path;
        if (!*base) {
            rc = exsol_seterr(err, errlen, EXSOL_EUSAGE, "output '%s' is a directory", path);
            goto fail;
        }
        o->tmp = malloc(dirlen + strlen(base) + 16);
        if (!o->tmp) {
            rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
            goto fail;
        }
        memcpy(o->tmp, path, dirlen);
        snprintf(o->tmp + dirlen, strlen(base) + 16, ".%s.tmpXXXXXX", base);
        int fd = mkstemp(o->tmp);
        if (fd < 0) {
            int e = errno;
            free(o->tmp);
            o->tmp = NULL;
            rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot create a file next to '%s': %s",
                              path, strerror(e));
            goto fail;
        }
        /* mkstemp makes 0600; a finished output should look like any other file */
        mode_t mask = umask(0);
        umask(mask);
        if (fchmod(fd, 0666 & ~mask) != 0) {
            /* not fatal: the file stays private */
        }
        close(fd);
        if ((st = nc_create(o->tmp, NC_CLOBBER | (cdf5 ? NC_64BIT_DATA : NC_NETCDF4),
                            &o->ncid)) != NC_NOERR) {
            o->ncid = -1;
            rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot create '%s': %s", o->tmp,
                              nc_strerror(st));
            goto fail;
        }
        o->nc4 = !cdf5;
    }

    if ((st = nc_def_dim(o->ncid, EXSOL_CANDIDATE_DIM, NC_UNLIMITED, &o->cand_dimid)) !=
        NC_NOERR) {
        rc = exsol_seterr(err, errlen, EXSOL_ENETCDF, "cannot define '%s': %s",
                          EXSOL_CANDIDATE_DIM, nc_strerror(st));
        goto fail;
    }
    if (copy_from && (rc = out_copy_defs(o)) != EXSOL_OK) {
        exsol_seterr(err, errlen, rc, "%s", o->msg);
        goto fail;
    }
    if ((rc = out_globals(o, opts)) != EXSOL_OK) {
        exsol_seterr(err, errlen, rc, "%s", o->msg);
        goto fail;
    }
    *out = o;
    return EXSOL_OK;
fail:
    exsol_ds_out_abort(o);
    return rc;
}

static int out_require_define(exsol_ds_out *o, const char *what)
{
    if (o->ended)
        return out_fail(o, EXSOL_EUSAGE, "cannot %s after the definitions have ended", what);
    return EXSOL_OK;
}

static int out_name_free(exsol_ds_out *o, const char *name)
{
    int varid;
    if (!name || !*name)
        return out_fail(o, EXSOL_EVALUE, "empty variable name");
    if (nc_inq_varid(o->ncid, name, &varid) == NC_NOERR)
        return out_fail(o, EXSOL_EFORMAT,
                        "variable '%s' already exists (a stage never rewrites an earlier "
                        "one's variables)",
                        name);
    return EXSOL_OK;
}

/* Keeps a copy of a coordinate's or fixed variable's values, written at enddef. */
static int out_keep_values(exsol_ds_out *o, const char *name, int fixed, int dimid,
                           int varid, size_t len, const double *values)
{
    if (exsol_grow((void **)&o->coords, &o->capcoords, o->ncoords, sizeof *o->coords))
        return out_fail(o, EXSOL_ENOMEM, "out of memory");
    struct out_coord *c = &o->coords[o->ncoords];
    memset(c, 0, sizeof *c);
    snprintf(c->dim, sizeof c->dim, "%s", name);
    c->fixed = fixed;
    c->dimid = dimid;
    c->varid = varid;
    c->len = len;
    c->values = malloc((len ? len : 1) * sizeof *c->values);
    if (!c->values)
        return out_fail(o, EXSOL_ENOMEM, "out of memory");
    if (len)
        memcpy(c->values, values, len * sizeof *values);
    o->ncoords++;
    return EXSOL_OK;
}

int exsol_ds_out_def_coord(exsol_ds_out *o, const char *dim, size_t len, const char *units,
                           const char *long_name, const double *values)
{
    int st, rc, dimid;
    if ((rc = out_require_define(o, "define a dimension")))
        return rc;
    if (!dim || strcmp(dim, EXSOL_CANDIDATE_DIM) == 0)
        return out_fail(o, EXSOL_EFORMAT, "'%s' cannot be a coordinate dimension",
                        dim ? dim : "(null)");
    for (size_t i = 0; i < o->ncoords; i++) {
        struct out_coord *c = &o->coords[i];
        if (c->fixed || strcmp(c->dim, dim) != 0)
            continue;
        if (c->len != len)
            return out_fail(o, EXSOL_EFORMAT, "dimension '%s' already has length %zu, not %zu",
                            dim, c->len, len);
        for (size_t k = 0; k < len; k++)
            if (!(c->values[k] == values[k] ||
                  fabs(c->values[k] - values[k]) <= 1e-12 * fabs(values[k])))
                return out_fail(o, EXSOL_EFORMAT,
                                "coordinate '%s' already exists with other values", dim);
        return EXSOL_OK;
    }
    if (nc_inq_dimid(o->ncid, dim, &dimid) == NC_NOERR) {
        /* copied from the input: same length and, if it has a coordinate, same values */
        size_t have;
        nc_inq_dimlen(o->ncid, dimid, &have);
        if (have != len)
            return out_fail(o, EXSOL_EFORMAT,
                            "dimension '%s' of the input has length %zu, not %zu", dim, have,
                            len);
        if (o->in && exsol_ds_var_kind(o->in, dim) == EXSOL_VK_OTHER) {
            double *cur = malloc((len ? len : 1) * sizeof *cur);
            if (!cur)
                return out_fail(o, EXSOL_ENOMEM, "out of memory");
            rc = exsol_ds_read_fixed(o->in, dim, cur, len, o->msg, sizeof o->msg);
            for (size_t k = 0; rc == EXSOL_OK && k < len; k++)
                if (!(cur[k] == values[k] ||
                      fabs(cur[k] - values[k]) <= 1e-12 * fabs(values[k])))
                    rc = out_fail(o, EXSOL_EFORMAT,
                                  "coordinate '%s' of the input has other values", dim);
            free(cur);
            return rc;
        }
    }
    int varid;
    if ((rc = out_name_free(o, dim)))
        return rc;
    if (nc_inq_dimid(o->ncid, dim, &dimid) != NC_NOERR &&
        (st = nc_def_dim(o->ncid, dim, len, &dimid)) != NC_NOERR)
        return out_nc_err(o, st, "define dimension", dim);
    if ((st = nc_def_var(o->ncid, dim, NC_DOUBLE, 1, &dimid, &varid)) != NC_NOERR)
        return out_nc_err(o, st, "define coordinate", dim);
    if ((rc = put_text_att(o, varid, "units", units ? units : "1")) ||
        (rc = put_text_att(o, varid, "long_name", long_name ? long_name : dim)))
        return rc;
    return out_keep_values(o, dim, 0, dimid, varid, len, values);
}

int exsol_ds_out_def_fixed(exsol_ds_out *o, const char *name, const char *dim,
                           const char *units, const char *long_name, const double *values)
{
    int st, rc, dimid, varid;
    size_t len = 0;
    if ((rc = out_require_define(o, "define a variable")) || (rc = out_name_free(o, name)))
        return rc;
    if (!dim || strcmp(dim, EXSOL_CANDIDATE_DIM) == 0 ||
        nc_inq_dimid(o->ncid, dim, &dimid) != NC_NOERR)
        return out_fail(o, EXSOL_EFORMAT, "'%s' needs an existing fixed dimension, not '%s'",
                        name, dim ? dim : "(null)");
    nc_inq_dimlen(o->ncid, dimid, &len);
    if ((st = nc_def_var(o->ncid, name, NC_DOUBLE, 1, &dimid, &varid)) != NC_NOERR)
        return out_nc_err(o, st, "define variable", name);
    if ((rc = put_text_att(o, varid, "units", units ? units : "1")) ||
        (rc = put_text_att(o, varid, "long_name", long_name ? long_name : name)))
        return rc;
    return out_keep_values(o, name, 1, dimid, varid, len, values);
}

static int out_def_var(exsol_ds_out *o, const char *name, nc_type t, const char *inner_dim,
                       size_t width, const char *units, const char *long_name)
{
    int st, rc, dims[2], nd = 1, varid;
    size_t inner = 1;
    if ((rc = out_require_define(o, "define a variable")) || (rc = out_name_free(o, name)))
        return rc;
    dims[0] = o->cand_dimid;
    if (t == NC_CHAR) {
        char dn[64];
        if (width == 0)
            return out_fail(o, EXSOL_EVALUE, "text variable '%s' needs a width > 0", name);
        snprintf(dn, sizeof dn, "strlen%zu", width);
        size_t have = 0;
        if (nc_inq_dimid(o->ncid, dn, &dims[1]) == NC_NOERR) {
            if (nc_inq_dimlen(o->ncid, dims[1], &have) != NC_NOERR || have != width)
                return out_fail(o, EXSOL_EFORMAT,
                                "dimension '%s' of the input has length %zu, not %zu", dn,
                                have, width);
        } else if ((st = nc_def_dim(o->ncid, dn, width, &dims[1])) != NC_NOERR) {
            return out_nc_err(o, st, "define dimension", dn);
        }
        nd = 2;
        inner = width;
    } else if (inner_dim) {
        if (nc_inq_dimid(o->ncid, inner_dim, &dims[1]) != NC_NOERR || dims[1] == o->cand_dimid)
            return out_fail(o, EXSOL_EUSAGE,
                            "variable '%s': dimension '%s' is not defined (def_coord first)",
                            name, inner_dim);
        nc_inq_dimlen(o->ncid, dims[1], &inner);
        nd = 2;
    }
    if ((st = nc_def_var(o->ncid, name, t, nd, dims, &varid)) != NC_NOERR)
        return st == NC_EBADNAME ? out_fail(o, EXSOL_EVALUE, "bad variable name '%s'", name)
                                 : out_nc_err(o, st, "define variable", name);
    if (t == NC_DOUBLE) {
        double f = NC_FILL_DOUBLE;
        st = nc_put_att_double(o->ncid, varid, "_FillValue", NC_DOUBLE, 1, &f);
    } else if (t == NC_INT) {
        int f = NC_FILL_INT;
        st = nc_put_att_int(o->ncid, varid, "_FillValue", NC_INT, 1, &f);
    }
    if (st != NC_NOERR)
        return out_nc_err(o, st, "set _FillValue of", name);
    if (units && (rc = put_text_att(o, varid, "units", units)))
        return rc;
    if ((rc = put_text_att(o, varid, "long_name", long_name ? long_name : name)))
        return rc;
    if ((rc = out_storage(o, varid, name, nd, dims, t)))
        return rc;
    if (exsol_grow((void **)&o->vars, &o->capvars, o->nvars, sizeof *o->vars))
        return out_fail(o, EXSOL_ENOMEM, "out of memory");
    struct out_var *v = &o->vars[o->nvars++];
    memset(v, 0, sizeof *v);
    snprintf(v->name, sizeof v->name, "%s", name);
    v->varid = varid;
    v->type = t;
    v->inner = inner;
    v->width = t == NC_CHAR ? width : 0;
    return EXSOL_OK;
}

int exsol_ds_out_def_double(exsol_ds_out *o, const char *name, const char *inner_dim,
                            const char *units, const char *long_name)
{
    return out_def_var(o, name, NC_DOUBLE, inner_dim, 0, units ? units : "1", long_name);
}

int exsol_ds_out_def_int(exsol_ds_out *o, const char *name, const char *units,
                         const char *long_name)
{
    return out_def_var(o, name, NC_INT, NULL, 0, units ? units : "1", long_name);
}

int exsol_ds_out_def_text(exsol_ds_out *o, const char *name, size_t width,
                          const char *long_name)
{
    return out_def_var(o, name, NC_CHAR, NULL, width, NULL, long_name);
}

/* Attributes after enddef: netCDF-4 takes them in data mode, classic needs redef. */
static int out_att_begin(exsol_ds_out *o)
{
    int st;
    if (o->ended && !o->nc4 && (st = nc_redef(o->ncid)) != NC_NOERR)
        return out_nc_err(o, st, "reopen definitions of", "file");
    return EXSOL_OK;
}

static int out_att_end(exsol_ds_out *o, int rc)
{
    int st;
    if (o->ended && !o->nc4 && (st = nc_enddef(o->ncid)) != NC_NOERR && rc == EXSOL_OK)
        return out_nc_err(o, st, "end definitions of", "file");
    return rc;
}

static int out_att_varid(exsol_ds_out *o, const char *var, int *varid)
{
    if (!var) {
        *varid = NC_GLOBAL;
        return EXSOL_OK;
    }
    if (nc_inq_varid(o->ncid, var, varid) != NC_NOERR)
        return out_fail(o, EXSOL_EMISSINGVAR, "no variable '%s' in the output", var);
    return EXSOL_OK;
}

int exsol_ds_out_put_att_text(exsol_ds_out *o, const char *var, const char *att,
                              const char *value)
{
    int varid, rc;
    if ((rc = out_att_varid(o, var, &varid)) || (rc = out_att_begin(o)))
        return rc;
    rc = put_text_att(o, varid, att, value ? value : "");
    return out_att_end(o, rc);
}

int exsol_ds_out_put_att_double(exsol_ds_out *o, const char *var, const char *att,
                                double value)
{
    int varid, rc, st;
    if ((rc = out_att_varid(o, var, &varid)) || (rc = out_att_begin(o)))
        return rc;
    st = nc_put_att_double(o->ncid, varid, att, NC_DOUBLE, 1, &value);
    rc = st == NC_NOERR ? EXSOL_OK : out_nc_err(o, st, "write attribute", att);
    return out_att_end(o, rc);
}

int exsol_ds_out_put_params(exsol_ds_out *o, const exsol_params *p)
{
    int rc, st, varid;
    char name[DS_NAME_MAX], att[DS_NAME_MAX + 16], text[512];
    if ((rc = out_require_define(o, "record parameters")))
        return rc;
    const char *stage = exsol_params_stage(p);
    size_t sl = strcspn(stage ? stage : "", "+");
    snprintf(name, sizeof name, "%.*s_parameters", (int)sl, stage ? stage : "");
    if ((rc = out_name_free(o, name)))
        return rc;
    if ((st = nc_def_var(o->ncid, name, NC_INT, 0, NULL, &varid)) != NC_NOERR)
        return out_nc_err(o, st, "define variable", name);
    snprintf(text, sizeof text, "model parameters used by the %.*s stage", (int)sl, stage);
    if ((rc = put_text_att(o, varid, "long_name", text)) ||
        (rc = put_text_att(o, varid, "units", "1")) ||
        (rc = put_text_att(o, varid, "comment",
                           "value: number of parameters; one attribute per parameter (value "
                           "in SI) with <name>_units, <name>_origin (default, file or --set) "
                           "and <name>_source")))
        return rc;
    size_t n = exsol_params_count(p);
    for (size_t i = 0; i < n; i++) {
        const char *pn = exsol_params_name(p, i);
        double v = exsol_params_value(p, i);
        const char *u = exsol_params_si_unit(p, i);
        const char *org = exsol_params_origin(p, i);
        const char *src = exsol_params_source(p, i);
        if ((st = nc_put_att_double(o->ncid, varid, pn, NC_DOUBLE, 1, &v)) != NC_NOERR)
            return out_nc_err(o, st, "record parameter", pn);
        snprintf(att, sizeof att, "%s_units", pn);
        if ((rc = put_text_att(o, varid, att, u ? u : "1")))
            return rc;
        snprintf(att, sizeof att, "%s_origin", pn);
        if ((rc = put_text_att(o, varid, att, org ? org : "default")))
            return rc;
        snprintf(att, sizeof att, "%s_source", pn);
        if ((rc = put_text_att(o, varid, att, src ? src : "")))
            return rc;
    }
    if (exsol_grow((void **)&o->scalars, &o->capscalars, o->nscalars, sizeof *o->scalars))
        return out_fail(o, EXSOL_ENOMEM, "out of memory");
    o->scalars[o->nscalars].varid = varid;
    o->scalars[o->nscalars].value = n > INT32_MAX ? INT32_MAX : (int)n;
    o->nscalars++;
    return EXSOL_OK;
}

/* NC_ENDIAN_NATIVE (an output being defined) made explicit. */
static int byte_order(int endian)
{
    const uint16_t one = 1;
    if (endian != NC_ENDIAN_NATIVE)
        return endian;
    return *(const unsigned char *)&one ? NC_ENDIAN_LITTLE : NC_ENDIAN_BIG;
}

/* Whether variable i of `in` can reach output varid as stored chunks: both
 * NETCDF4 files on disk, the same chunk shape, the same filters (shuffle and zstd;
 * the zstd level does not matter to the reader), the same byte order, and input
 * chunks that land on output chunks. Returns the chunk length along candidate, or 0.
 * A variable named like a dimension is excluded: netCDF stores some of those under
 * another HDF5 name. */
static size_t raw_chunk_rows(exsol_ds_out *o, const exsol_ds *in, size_t i, int out_varid,
                             size_t offset)
{
    const struct ds_var *v = &in->vars[i];
    int vi = (int)i, dimid, si, so, shi, sho, dfi, dfo, lvl, fi, fo, ei, eo;
    size_t ci[NC_MAX_VAR_DIMS], co[NC_MAX_VAR_DIMS], nfi = 0, nfo = 0;
    unsigned idi[8], ido[8];
    if (!o->nc4 || !in->h5file || v->rec != 1 || v->ndims > NC_MAX_VAR_DIMS ||
        nc_inq_dimid(in->ncid, v->name, &dimid) == NC_NOERR ||
        nc_inq_dimid(o->ncid, v->name, &dimid) == NC_NOERR)
        return 0;
    if (nc_inq_var_chunking(in->ncid, vi, &si, ci) != NC_NOERR || si != NC_CHUNKED ||
        nc_inq_var_chunking(o->ncid, out_varid, &so, co) != NC_NOERR || so != NC_CHUNKED ||
        memcmp(ci, co, sizeof(size_t) * (size_t)v->ndims) != 0 || co[0] == 0 ||
        offset % co[0] != 0)
        return 0;
    if (nc_inq_var_deflate(in->ncid, vi, &shi, &dfi, &lvl) != NC_NOERR ||
        nc_inq_var_deflate(o->ncid, out_varid, &sho, &dfo, &lvl) != NC_NOERR || shi != sho ||
        dfi || dfo || nc_inq_var_fletcher32(in->ncid, vi, &fi) != NC_NOERR ||
        nc_inq_var_fletcher32(o->ncid, out_varid, &fo) != NC_NOERR || fi || fo ||
        nc_inq_var_endian(in->ncid, vi, &ei) != NC_NOERR ||
        nc_inq_var_endian(o->ncid, out_varid, &eo) != NC_NOERR ||
        byte_order(ei) != byte_order(eo))
        return 0;
    if (nc_inq_var_filter_ids(in->ncid, vi, &nfi, NULL) != NC_NOERR || nfi > 8 ||
        nc_inq_var_filter_ids(o->ncid, out_varid, &nfo, NULL) != NC_NOERR || nfo != nfi ||
        nc_inq_var_filter_ids(in->ncid, vi, &nfi, idi) != NC_NOERR ||
        nc_inq_var_filter_ids(o->ncid, out_varid, &nfo, ido) != NC_NOERR)
        return 0;
    for (size_t k = 0; k < nfi; k++)
        if (idi[k] != ido[k] || (idi[k] != EXSOL_H5Z_ZSTD_ID && idi[k] != H5Z_FILTER_SHUFFLE))
            return 0;
    return co[0];
}

/* Notes where input variable v's first nchunks chunks are stored, to be copied at
 * close. EXSOL_ENOMEM, or -1 when it cannot (no descriptor to spare, HDF5 says no):
 * the caller then copies values. */
static int raw_register(exsol_ds_out *o, const exsol_ds *in, const struct ds_var *v,
                        size_t offset, size_t chunk_rows, size_t nchunks)
{
    struct raw_chunk *ch = calloc(nchunks, sizeof *ch);
    hsize_t coord[NC_MAX_VAR_DIMS] = {0};
    hid_t d = -1;
    int ok = ch != NULL;
    if (!ch)
        return EXSOL_ENOMEM;
    H5E_BEGIN_TRY
    {
        d = H5Dopen2(in->h5id, v->name, H5P_DEFAULT);
        ok = d >= 0;
        for (size_t k = 0; ok && k < nchunks; k++) {
            haddr_t addr = HADDR_UNDEF;
            hsize_t size = 0;
            unsigned mask = 0;
            coord[0] = (hsize_t)(k * chunk_rows);
            ok = H5Dget_chunk_info_by_coord(d, coord, &mask, &addr, &size) >= 0;
            if (ok && addr != HADDR_UNDEF && size > 0) {
                ch[k].addr = addr;
                ch[k].size = size;
                ch[k].mask = mask;
            }
        }
        if (d >= 0)
            H5Dclose(d);
    }
    H5E_END_TRY;
    size_t s = 0;
    while (ok && s < o->nraw_srcs && o->raw_srcs[s].serial != in->serial)
        s++;
    if (ok && s == o->nraw_srcs) {
        /* a descriptor of our own: `in` may be closed before the output */
        int fd = fcntl(in->fd, F_DUPFD_CLOEXEC, 0);
        if (fd < 0 ||
            exsol_grow((void **)&o->raw_srcs, &o->capraw_srcs, s, sizeof *o->raw_srcs)) {
            if (fd >= 0)
                close(fd);
            ok = 0;
        } else {
            o->raw_srcs[s].fd = fd;
            o->raw_srcs[s].serial = in->serial;
            o->raw_srcs[s].path = strdup(in->path);
            o->nraw_srcs++;
            if (!o->raw_srcs[s].path) {
                free(ch);
                return EXSOL_ENOMEM;
            }
        }
    }
    if (ok && exsol_grow((void **)&o->raws, &o->capraws, o->nraws, sizeof *o->raws)) {
        free(ch);
        return EXSOL_ENOMEM;
    }
    if (!ok) {
        free(ch);
        return -1;
    }
    struct raw_copy *c = &o->raws[o->nraws++];
    c->src = s;
    snprintf(c->name, sizeof c->name, "%s", v->name);
    c->offset = offset;
    c->chunk_rows = chunk_rows;
    c->nchunks = nchunks;
    c->chunks = ch;
    return EXSOL_OK;
}

/* Copies rows [0, nrows) of input variable i of `in` to output varid at row offset:
 * whole chunks as stored (at close, see raw_chunk_rows) when it can, the rest as
 * values now. */
static int out_copy_var(exsol_ds_out *o, const exsol_ds *in, size_t i, int out_varid,
                        size_t offset, char *err, size_t errlen)
{
    const struct ds_var *v = &in->vars[i];
    size_t esz = type_size(v->type);
    size_t st[NC_MAX_VAR_DIMS], ct[NC_MAX_VAR_DIMS], ost[NC_MAX_VAR_DIMS];
    int s;
    if (v->ndims > NC_MAX_VAR_DIMS)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "variable '%s' has too many dimensions",
                            v->name);
    for (int d = 0; d < v->ndims; d++) {
        st[d] = 0;
        nc_inq_dimlen(in->ncid, v->dimids[d], &ct[d]);
    }
    size_t total_rows = v->rec ? in->ncand : 1;
    size_t row_elems = v->rec ? v->inner : v->inner;
    if (!v->rec) {
        /* a fixed variable (or one with candidate elsewhere): copied whole */
        int has_cand = 0;
        for (int d = 0; d < v->ndims; d++)
            has_cand |= v->dimids[d] == in->cand_dimid;
        if (has_cand) {
            row_elems = 1;
            for (int d = 0; d < v->ndims; d++)
                row_elems *= ct[d];
        }
    }
    if (row_elems == 0 || total_rows == 0)
        return EXSOL_OK;
    size_t first = 0; /* rows before it go as stored chunks */
    size_t craw = raw_chunk_rows(o, in, i, out_varid, offset);
    int reg = craw && total_rows / craw > 0 ? raw_register(o, in, v, offset, craw,
                                                           total_rows / craw)
                                             : -1;
    if (reg == EXSOL_ENOMEM)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory copying '%s'", v->name);
    if (reg == EXSOL_OK) {
        first = total_rows / craw * craw;
        if (offset + first > o->raw_rows)
            o->raw_rows = offset + first;
        if (first == total_rows)
            return EXSOL_OK;
    }
    /* EXSOL_BLOCK rows, halved until the buffer fits DS_BLOCK_BYTES: a whole number
     * of the output's chunks (EXSOL_BLOCK halved until a chunk fits DS_CHUNK_BYTES,
     * half of this), so no chunk is written, or read from our own files, in parts */
    size_t rows_per = v->rec ? EXSOL_BLOCK : 1;
    while (rows_per > 1 && rows_per * row_elems * esz > DS_BLOCK_BYTES)
        rows_per /= 2;
    if (rows_per > total_rows)
        rows_per = total_rows;
    void *buf = malloc(rows_per * row_elems * esz);
    if (!buf)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory copying '%s'", v->name);
    int rc = EXSOL_OK;
    /* pieces end on multiples of rows_per in the output (appending at an offset that
     * is not one: the first piece is shorter), so that only the chunk the offset
     * falls in is written in two parts */
    size_t lead = v->rec ? (rows_per - (offset + first) % rows_per) % rows_per : 0;
    for (size_t r = first, nr; r < total_rows; r += nr) {
        nr = total_rows - r < rows_per ? total_rows - r : rows_per;
        if (r == first && lead > 0 && lead < nr)
            nr = lead;
        memcpy(ost, st, sizeof(size_t) * (size_t)v->ndims);
        if (v->rec) {
            st[0] = r;
            ct[0] = nr;
            ost[0] = offset + r;
        }
        if (v->ndims == 0)
            s = nc_get_var(in->ncid, (int)i, buf);
        else
            s = nc_get_vara(in->ncid, (int)i, st, ct, buf);
        if (s != NC_NOERR) {
            rc = exsol_seterr(err, errlen, EXSOL_EFORMAT, "cannot read '%s' from %s: %s",
                              v->name, ds_where(in), nc_strerror(s));
            break;
        }
        if (v->ndims == 0)
            s = nc_put_var(o->ncid, out_varid, buf);
        else
            s = nc_put_vara(o->ncid, out_varid, ost, ct, buf);
        if (s != NC_NOERR) {
            rc = exsol_seterr(err, errlen, out_nc_err(o, s, "write", v->name), "%s", o->msg);
            break;
        }
    }
    free(buf);
    return rc;
}

int exsol_ds_out_enddef(exsol_ds_out *o, char *err, size_t errlen)
{
    int st, rc;
    if (o->ended)
        return EXSOL_OK;
    if ((st = nc_enddef(o->ncid)) != NC_NOERR)
        return exsol_seterr(err, errlen, out_nc_err(o, st, "end definitions of", "file"), "%s",
                            o->msg);
    o->ended = 1;
    for (size_t i = 0; i < o->ncoords; i++) {
        struct out_coord *c = &o->coords[i];
        if (c->len && (st = nc_put_var_double(o->ncid, c->varid, c->values)) != NC_NOERR)
            return exsol_seterr(err, errlen, out_nc_err(o, st, "write", c->dim), "%s", o->msg);
    }
    for (size_t i = 0; i < o->nscalars; i++)
        if ((st = nc_put_var_int(o->ncid, o->scalars[i].varid, &o->scalars[i].value)) !=
            NC_NOERR)
            return exsol_seterr(err, errlen, out_nc_err(o, st, "write", "parameters"), "%s",
                                o->msg);
    if (o->in)
        for (size_t i = 0; i < o->in->nvars; i++)
            if ((rc = out_copy_var(o, o->in, i, o->in_map[i], 0, err, errlen)))
                return rc;
    return EXSOL_OK;
}

static int out_find(exsol_ds_out *o, const char *name, nc_type t, const struct out_var **vout,
                    char *err, size_t errlen)
{
    if (!o->ended)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                            "cannot write '%s' before exsol_ds_out_enddef", name);
    for (size_t i = 0; i < o->nvars; i++) {
        if (strcmp(o->vars[i].name, name) != 0)
            continue;
        if (o->vars[i].type != t)
            return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                                "variable '%s' was defined with another type", name);
        *vout = &o->vars[i];
        return EXSOL_OK;
    }
    int varid;
    if (nc_inq_varid(o->ncid, name, &varid) == NC_NOERR)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                            "variable '%s' comes from the input and cannot be rewritten", name);
    return exsol_seterr(err, errlen, EXSOL_EMISSINGVAR, "no variable '%s' in the output", name);
}

static int out_put(exsol_ds_out *o, const struct out_var *v, size_t start, size_t count,
                   const void *buf, char *err, size_t errlen)
{
    size_t st[2] = {start, 0}, ct[2] = {count, v->inner};
    int s = nc_put_vara(o->ncid, v->varid, st, ct, buf);
    if (s != NC_NOERR)
        return exsol_seterr(err, errlen, out_nc_err(o, s, "write", v->name), "%s", o->msg);
    return EXSOL_OK;
}

int exsol_ds_out_write_double(exsol_ds_out *o, const char *name, size_t start, size_t count,
                              const double *buf, char *err, size_t errlen)
{
    const struct out_var *v = NULL;
    int rc = out_find(o, name, NC_DOUBLE, &v, err, errlen);
    if (rc || count == 0)
        return rc;
    /* NaN becomes _FillValue. One piece for the whole call: the caller's block is
     * a whole number of chunks (chunks hold EXSOL_BLOCK rows or a power-of-two
     * fraction of it), and a piece that covers part of a chunk makes HDF5 read,
     * decompress and recompress that chunk once per piece (the chunk cache is far
     * smaller than a chunk of a curve variable): 64 KiB pieces cost exsol-magnet
     * 10.8 s of a 21 s run on 117,504 rows, whole blocks 1 s. */
    size_t rows_per = count;
    double *tmp = malloc(rows_per * (v->inner ? v->inner : 1) * sizeof *tmp);
    if (!tmp)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    for (size_t r = 0; rc == EXSOL_OK && r < count; r += rows_per) {
        size_t nr = count - r < rows_per ? count - r : rows_per;
        size_t ne = nr * v->inner;
        const double *src = buf + r * v->inner;
        for (size_t k = 0; k < ne; k++)
            tmp[k] = isnan(src[k]) ? NC_FILL_DOUBLE : src[k];
        rc = out_put(o, v, start + r, nr, tmp, err, errlen);
    }
    free(tmp);
    return rc;
}

int exsol_ds_out_write_int(exsol_ds_out *o, const char *name, size_t start, size_t count,
                           const int *buf, char *err, size_t errlen)
{
    const struct out_var *v = NULL;
    int rc = out_find(o, name, NC_INT, &v, err, errlen);
    if (rc || count == 0)
        return rc;
    return out_put(o, v, start, count, buf, err, errlen);
}

int exsol_ds_out_write_text(exsol_ds_out *o, const char *name, size_t start, size_t count,
                            const char *buf, size_t width, char *err, size_t errlen)
{
    const struct out_var *v = NULL;
    int rc = out_find(o, name, NC_CHAR, &v, err, errlen);
    if (rc || count == 0)
        return rc;
    size_t w = v->width;
    size_t rows_per = count; /* whole chunks: see exsol_ds_out_write_double */
    char *tmp = malloc(rows_per * w);
    if (!tmp)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    for (size_t r = 0; rc == EXSOL_OK && r < count; r += rows_per) {
        size_t nr = count - r < rows_per ? count - r : rows_per;
        memset(tmp, 0, nr * w);
        for (size_t k = 0; k < nr; k++) {
            const char *s = buf + (r + k) * width;
            size_t l = strnlen(s, width);
            if (l > w) {
                rc = exsol_seterr(err, errlen, EXSOL_EVALUE,
                                  "text '%.*s' is longer than the %zu characters of '%s'",
                                  (int)l, s, w, name);
                break;
            }
            memcpy(tmp + k * w, s, l);
        }
        if (rc == EXSOL_OK)
            rc = out_put(o, v, start + r, nr, tmp, err, errlen);
    }
    free(tmp);
    return rc;
}

/* Same bytes for two attribute lists of a fixed variable (or the parameters). */
static int same_atts(int a_ncid, int a_varid, int b_ncid, int b_varid)
{
    int na, nb;
    if (nc_inq_varnatts(a_ncid, a_varid, &na) || nc_inq_varnatts(b_ncid, b_varid, &nb) ||
        na != nb)
        return 0;
    for (int i = 0; i < na; i++) {
        char name[DS_NAME_MAX];
        nc_type ta, tb;
        size_t la, lb;
        nc_inq_attname(a_ncid, a_varid, i, name);
        if (nc_inq_att(a_ncid, a_varid, name, &ta, &la) ||
            nc_inq_att(b_ncid, b_varid, name, &tb, &lb) || ta != tb || la != lb)
            return 0;
        size_t sz = type_size(ta);
        if (sz == 0)
            continue; /* strings and user types: not compared */
        unsigned char *x = malloc(la * sz + 1), *y = malloc(la * sz + 1);
        int same = x && y && nc_get_att(a_ncid, a_varid, name, x) == NC_NOERR &&
                   nc_get_att(b_ncid, b_varid, name, y) == NC_NOERR &&
                   memcmp(x, y, la * sz) == 0;
        free(x);
        free(y);
        if (!same)
            return 0;
    }
    return 1;
}

static int same_fixed_data(const exsol_ds *a, size_t ia, const exsol_ds *b, size_t ib)
{
    const struct ds_var *v = &a->vars[ia];
    size_t n = v->inner * type_size(v->type);
    unsigned char *x = malloc(n + 1), *y = malloc(n + 1);
    int same = x && y && nc_get_var(a->ncid, (int)ia, x) == NC_NOERR &&
               nc_get_var(b->ncid, (int)ib, y) == NC_NOERR && memcmp(x, y, n) == 0;
    free(x);
    free(y);
    return same;
}

int exsol_ds_out_append(exsol_ds_out *o, const exsol_ds *in, char *err, size_t errlen)
{
    const exsol_ds *ref = o->in;
    int rc;
    if (!ref)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                            "appending needs an output created with copy_from");
    if (!o->ended && (rc = exsol_ds_out_enddef(o, err, errlen)))
        return rc;
    if (in->nvars != ref->nvars)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                            "%s has %zu variables, %s has %zu: not shards of one run",
                            ds_where(in), in->nvars, ds_where(ref), ref->nvars);
    size_t *idx = malloc((ref->nvars ? ref->nvars : 1) * sizeof *idx);
    if (!idx)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    rc = EXSOL_OK;
    for (size_t i = 0; rc == EXSOL_OK && i < ref->nvars; i++) {
        const struct ds_var *rv = &ref->vars[i];
        const struct ds_var *iv = ds_find(in, rv->name);
        if (!iv) {
            rc = exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s has no variable '%s' (it is in %s)",
                              ds_where(in), rv->name, ds_where(ref));
            break;
        }
        idx[i] = (size_t)(iv - in->vars);
        int same = iv->type == rv->type && iv->ndims == rv->ndims && iv->rec == rv->rec &&
                   iv->inner == rv->inner;
        for (int d = 0; same && d < rv->ndims; d++) {
            char a[DS_NAME_MAX], b[DS_NAME_MAX];
            nc_inq_dimname(ref->ncid, rv->dimids[d], a);
            nc_inq_dimname(in->ncid, iv->dimids[d], b);
            same = strcmp(a, b) == 0;
        }
        if (!same) {
            rc = exsol_seterr(err, errlen, EXSOL_EFORMAT,
                              "variable '%s' has another type or shape in %s than in %s",
                              rv->name, ds_where(in), ds_where(ref));
            break;
        }
        if (!rv->rec && (!same_fixed_data(ref, i, in, idx[i]) ||
                         !same_atts(ref->ncid, (int)i, in->ncid, (int)idx[i])))
            rc = exsol_seterr(err, errlen, EXSOL_EFORMAT,
                              "variable '%s' differs between %s and %s (coordinates and "
                              "parameters must be identical)",
                              rv->name, ds_where(in), ds_where(ref));
    }
    size_t offset = 0;
    if (rc == EXSOL_OK && out_nrows(o, &offset) != EXSOL_OK)
        rc = exsol_seterr(err, errlen, EXSOL_ENETCDF, "cannot read the output's length");
    for (size_t i = 0; rc == EXSOL_OK && i < ref->nvars; i++)
        if (ref->vars[i].rec)
            rc = out_copy_var(o, in, idx[i], o->in_map[i], offset, err, errlen);
    free(idx);
    return rc;
}

/* Rows in the output: netCDF's count, or more where stored chunks are still to come. */
static int out_nrows(exsol_ds_out *o, size_t *n)
{
    if (nc_inq_dimlen(o->ncid, o->cand_dimid, n) != NC_NOERR)
        return EXSOL_ENETCDF;
    if (*n < o->raw_rows)
        *n = o->raw_rows;
    return EXSOL_OK;
}

/* One registered copy: the stored bytes of each chunk, read from the input's
 * descriptor, become the output's chunk as they are. */
static int raw_copy_var(int fd, hid_t dout, const struct raw_copy *c, size_t nrows,
                        void **buf, size_t *cap)
{
    hsize_t dims[H5S_MAX_RANK], off[H5S_MAX_RANK] = {0};
    hid_t sp = H5Dget_space(dout);
    int nd = sp < 0 ? -1 : H5Sget_simple_extent_dims(sp, dims, NULL);
    if (sp >= 0)
        H5Sclose(sp);
    if (nd < 1)
        return -1;
    if (dims[0] < nrows) {
        dims[0] = nrows;
        if (H5Dset_extent(dout, dims) < 0)
            return -1;
    }
    for (size_t k = 0; k < c->nchunks; k++) {
        const struct raw_chunk *ch = &c->chunks[k];
        if (ch->size == 0)
            continue; /* never written: reads as the fill value in the output too */
        if (ch->size > *cap) {
            void *p = realloc(*buf, (size_t)ch->size);
            if (!p)
                return -2;
            *buf = p;
            *cap = (size_t)ch->size;
        }
        for (size_t got = 0; got < ch->size;) {
            ssize_t r = pread(fd, (char *)*buf + got, (size_t)ch->size - got,
                              (off_t)(ch->addr + got));
            if (r <= 0) {
                if (r < 0 && errno == EINTR)
                    continue;
                if (r == 0)
                    errno = 0; /* cut short */
                return -3;
            }
            got += (size_t)r;
        }
        off[0] = (hsize_t)(c->offset + k * c->chunk_rows);
        if (H5Dwrite_chunk(dout, H5P_DEFAULT, ch->mask, off, (size_t)ch->size, *buf) < 0)
            return -1;
    }
    return 0;
}

/* The registered copies of stored chunks, into the temporary file netCDF has closed. */
static int out_raw_finish(exsol_ds_out *o, size_t nrows, char *err, size_t errlen)
{
    int rc = EXSOL_OK;
    void *buf = NULL;
    size_t cap = 0;
    hid_t fout = -1;
    char why[128];
    if (o->nraws == 0)
        return EXSOL_OK;
    H5E_BEGIN_TRY
    {
        fout = H5Fopen(o->tmp, H5F_ACC_RDWR, H5P_DEFAULT);
        if (fout < 0)
            rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot reopen '%s' to copy into it",
                              o->tmp);
        for (size_t k = 0; rc == EXSOL_OK && k < o->nraws; k++) {
            const struct raw_copy *c = &o->raws[k];
            hid_t dout = H5Dopen2(fout, c->name, H5P_DEFAULT);
            int r = dout < 0 ? -1
                             : raw_copy_var(o->raw_srcs[c->src].fd, dout, c, nrows, &buf, &cap);
            if (r == -2)
                rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory copying '%s'",
                                  c->name);
            else if (r == -3)
                rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot read '%s' from '%s': %s",
                                  c->name, o->raw_srcs[c->src].path,
                                  errno ? strerror(errno) : "the file is shorter than before");
            else if (r < 0)
                rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot copy '%s' into '%s'%s",
                                  c->name, o->path, write_reason(why, sizeof why));
            if (dout >= 0)
                H5Dclose(dout);
        }
        if (fout >= 0 && H5Fclose(fout) < 0) {
            hdf5_close_failed();
            if (rc == EXSOL_OK)
                rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot write '%s'%s", o->path,
                                  write_reason(why, sizeof why));
        }
    }
    H5E_END_TRY;
    free(buf);
    return rc;
}

int exsol_ds_out_close(exsol_ds_out *o, char *err, size_t errlen)
{
    int rc = EXSOL_OK, st;
    if (!o)
        return EXSOL_OK;
    if (!o->ended && (rc = exsol_ds_out_enddef(o, err, errlen)) != EXSOL_OK) {
        exsol_ds_out_abort(o);
        return rc;
    }
    if (o->mem) {
        NC_memio info = {0, NULL, 0};
        st = nc_close_memio(o->ncid, &info);
        o->ncid = -1;
        if (st != NC_NOERR) {
            free(info.memory);
            rc = exsol_seterr(err, errlen, EXSOL_ENETCDF, "cannot finish the output: %s",
                              nc_strerror(st));
        } else {
            /* the memio buffer is its allocation, not the file: cut it to the size
             * the header gives, so the output is exact and the same every run */
            uint64_t need = 0, full = 0;
            size_t size = info.size;
            if (classic_extent(info.memory, info.size, info.size, &need, &full) ==
                    EXSOL_OK &&
                full < size)
                size = (size_t)full;
            FILE *fp = stdout;
            if (o->device && !(fp = fopen(o->device, "wb")))
                rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot open '%s': %s", o->device,
                                  strerror(errno));
            else if (o->device && isatty(fileno(fp)))
                rc = exsol_seterr(err, errlen, EXSOL_ETERMINAL,
                                  "refusing to write binary NetCDF to a terminal ('%s')",
                                  o->device);
            if (rc == EXSOL_OK) {
                errno = 0;
                size_t w = fwrite(info.memory, 1, size, fp);
                int e = errno;
                if (w != size || fflush(fp) != 0 || ferror(fp))
                    rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot write to %s: %s",
                                      o->device ? o->device : "stdout",
                                      strerror(errno ? errno : e));
            }
            if (fp && fp != stdout && fclose(fp) != 0 && rc == EXSOL_OK)
                rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot write to %s: %s", o->device,
                                  strerror(errno));
            free(info.memory);
        }
    } else {
        size_t nrows = 0;
        if (out_nrows(o, &nrows) != EXSOL_OK)
            nrows = o->raw_rows;
        st = nc_close(o->ncid);
        o->ncid = -1;
        if (st != NC_NOERR) {
            char why[128];
            hdf5_close_failed();
            rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot write '%s': %s%s", o->path,
                              nc_strerror(st), write_reason(why, sizeof why));
        } else if ((rc = out_raw_finish(o, nrows, err, errlen)) == EXSOL_OK) {
            int fd = open(o->tmp, O_RDONLY);
            if (fd < 0 || fsync(fd) != 0)
                rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot write '%s': %s", o->path,
                                  strerror(errno));
            if (fd >= 0)
                close(fd);
            if (rc == EXSOL_OK && rename(o->tmp, o->path) != 0)
                rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot rename '%s' to '%s': %s",
                                  o->tmp, o->path, strerror(errno));
            if (rc == EXSOL_OK) {
                free(o->tmp);
                o->tmp = NULL; /* nothing left to remove */
            }
        }
    }
    exsol_ds_out_abort(o); /* frees; unlinks the temporary if still there */
    return rc;
}
