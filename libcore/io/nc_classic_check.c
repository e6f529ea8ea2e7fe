/* Format checks of an input before netCDF sees it: the magic number, and for the
 * classic formats (CDF1, 64-bit offset CDF2, CDF5) a walk of the header that
 * computes how many bytes the file must hold.
 *
 * Why: netCDF-C accepts a classic file whose record section is cut short and reads
 * zeros past the end, so a truncated input would pass as data. The walk compares
 * the size the header promises with the real one. HDF5 checks its own end-of-file
 * address, so NETCDF4 inputs need nothing extra. The walk never trusts a count:
 * every length is checked against the bytes at hand before it is used. */
#include "dataset_internal.h"
#include "exsol/error.h"

#include <errno.h>
#include <netcdf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct hdr {
    const unsigned char *p;
    size_t len, pos;
    int ver; /* 1, 2 or 5 */
    int shortbuf;
    int bad;
    /* the _FillValue among the attributes just walked, if any */
    int fill_seen;
    uint64_t fill_type, fill_count;
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

static uint64_t pad4(uint64_t n)
{
    return (n + 3) & ~(uint64_t)3;
}

/* A name; *at and *n (if at is not NULL) say where its bytes are in the buffer. */
static int hdr_name(struct hdr *h, size_t *at, uint64_t *len)
{
    uint64_t n;
    if (hdr_count(h, &n))
        return -1;
    /* netCDF writes no name longer than NC_MAX_NAME, and its readers copy a name into
     * the caller's NC_MAX_NAME + 1 buffer without checking (nc_inq_dim on a 512-byte
     * dimension name overflowed the stack: found by fuzz_copy) */
    if (n > NC_MAX_NAME) {
        h->bad = 1;
        return -1;
    }
    if (at) {
        *at = h->pos;
        *len = n;
    }
    return hdr_skip(h, pad4(n));
}

static int hdr_atts(struct hdr *h)
{
    uint64_t tag, n;
    h->fill_seen = 0;
    if (hdr_u32(h, &tag) || hdr_count(h, &n))
        return -1;
    if (tag == 0 && n == 0)
        return 0;
    if (tag != 0x0C) {
        h->bad = 1;
        return -1;
    }
    for (uint64_t i = 0; i < n; i++) {
        uint64_t t, cnt, nl;
        size_t at;
        if (hdr_name(h, &at, &nl) || hdr_u32(h, &t) || hdr_count(h, &cnt))
            return -1;
        if (nl == sizeof "_FillValue" - 1 && memcmp(h->p + at, "_FillValue", nl) == 0) {
            h->fill_seen = 1;
            h->fill_type = t;
            h->fill_count = cnt;
        }
        size_t sz = ds_type_size((nc_type)t);
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
int exsol_nc_classic_extent(const unsigned char *buf, size_t have, unsigned long long file_size,
                            uint64_t *need_out, uint64_t *full_out, const char *label,
                            char *err, size_t errlen)
{
    struct hdr h = {buf, have, 0, 0, 0, 0, 0, 0, 0};
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
    /* a record count no file holds (see the dimensions below); all ones = streaming */
    if (numrecs != UINT64_MAX && numrecs > ((uint64_t)1 << 60))
        goto done_short_or_bad;
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
    for (uint64_t i = 0; i < ndims; i++) {
        if (hdr_name(&h, NULL, NULL) || hdr_count(&h, &dimlen[i]))
            goto done;
        /* a length no file holds, even on a dimension no variable uses: copied into a
         * NETCDF4 output it fails inside HDF5 (a 1.25e19 dimension, found by fuzz_copy) */
        if (dimlen[i] > ((uint64_t)1 << 60))
            goto done_short_or_bad;
    }
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
        uint64_t nd, t, vsize, begin, elems = 1, vnl;
        size_t vat;
        int is_rec = 0;
        if (hdr_name(&h, &vat, &vnl) || hdr_count(&h, &nd))
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
        size_t sz = ds_type_size((nc_type)t);
        if (t > NC_UINT64 || sz == 0 || elems > ((uint64_t)1 << 58)) {
            h.bad = 1;
            goto done;
        }
        /* netCDF's own memory open fails on such a file with no word of why, and
         * its file open takes it: say which variable it is, before netCDF */
        if (h.fill_seen && err) {
            char var[DS_NAME_MAX];
            snprintf(var, sizeof var, "%.*s", (int)(vnl < DS_NAME_MAX ? vnl : DS_NAME_MAX - 1),
                     (const char *)buf + vat);
            if ((rc = exsol_nc_check_fill((nc_type)t, (nc_type)h.fill_type,
                                          h.fill_count > SIZE_MAX ? SIZE_MAX
                                                                  : (size_t)h.fill_count,
                                          var, label, err, errlen)) != EXSOL_OK)
                goto out;
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
    return exsol_nc_classic_extent(buf, have, file_size, &need, &full, NULL, NULL, 0);
}

int exsol_nc_magic_kind(const unsigned char *b, size_t n)
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

/* Reads the leading part of a classic file until its header is complete. */
int exsol_nc_check_classic_file(int fd, unsigned long long fsize, const char *label, char *err,
                                size_t errlen)
{
    size_t want = fsize < 65536 ? (size_t)fsize : 65536;
    int rc = EXSOL_EFORMAT;
    char why[512];
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
        uint64_t need, full;
        why[0] = '\0';
        rc = exsol_nc_classic_extent(buf, n, fsize, &need, &full, label, why, sizeof why);
        free(buf);
        if (rc != -1 || n < want || want >= fsize)
            break;
        want = (fsize / 4 < want) ? (size_t)fsize : want * 4;
    }
    if (rc == EXSOL_ENOMEM)
        return exsol_seterr(err, errlen, rc, "out of memory reading %s", label);
    if (rc != EXSOL_OK && why[0])
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s", why);
    if (rc != EXSOL_OK)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is truncated or corrupt", label);
    return EXSOL_OK;
}

int exsol_nc_check_fill(nc_type var_type, nc_type att_type, size_t att_len, const char *var,
                        const char *label, char *err, size_t errlen)
{
    if (att_len != 1)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                            "attribute '_FillValue' of variable '%s' in %s has %zu values, "
                            "not one",
                            var, label, att_len);
    if (ds_is_numeric(var_type) && !ds_is_numeric(att_type))
        return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                            "attribute '_FillValue' of variable '%s' in %s is not a number",
                            var, label);
    return EXSOL_OK;
}
