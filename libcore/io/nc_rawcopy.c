/* Copy-through of an input's variables into the output, and the stored-chunk copy.
 *
 * Why it looks the way it does:
 * - Copy-through moves data in blocks of EXSOL_BLOCK rows so that a file input
 *   never needs memory proportional to the candidate count.
 * - Between our own NETCDF4 files, copy-through moves whole chunks as they are
 *   stored: HDF5 says where each input chunk sits while netCDF has the input open,
 *   and after nc_close of the output the bytes are read from our own descriptor of
 *   the input and written with H5Dwrite_chunk (netCDF has no such call). Decoding
 *   and encoding zstd was most of the time a stage spent not computing (exsol-rank
 *   on 117,504 rows: 2.6 s -> 0.55 s). Only whole chunks that land on whole output
 *   chunks go this way; a partial last chunk goes as values. */
#include "dataset_internal.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "grow.h"
#include "h5zstd.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <netcdf.h>
#include <netcdf_filter.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* NC_ENDIAN_NATIVE (an output being defined) made explicit. */
static int byte_order(int endian)
{
    const uint16_t one = 1;
    if (endian != NC_ENDIAN_NATIVE)
        return endian;
    return *(const unsigned char *)&one ? NC_ENDIAN_LITTLE : NC_ENDIAN_BIG;
}

/* Whether variable i of `in` can reach output varid as stored chunks: both
 * NETCDF4 files on disk, the same chunk shape, the same filters (shuffle, zstd, Fletcher-32;
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
        nc_inq_var_fletcher32(o->ncid, out_varid, &fo) != NC_NOERR || fi != fo ||
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
        if (idi[k] != ido[k] || (idi[k] != EXSOL_H5Z_ZSTD_ID && idi[k] != H5Z_FILTER_SHUFFLE &&
                                 idi[k] != H5Z_FILTER_FLETCHER32))
            return 0;
    return co[0];
}

/* Decodes chunk k of dataset d (rows [k r, (k + 1) r), every inner element) through
 * HDF5's filter pipeline into buf: zstd, shuffle and the Fletcher-32 checksum of the
 * decoded bytes are checked, so a chunk copied as stored is one HDF5 can read. 0 ok,
 * -1 it does not decode. */
static int raw_verify_chunk(hid_t d, hid_t ft, int nd, const hsize_t *dims, size_t k, size_t r,
                            void *buf)
{
    hsize_t st[H5S_MAX_RANK] = {0}, ct[H5S_MAX_RANK];
    for (int i = 0; i < nd; i++)
        ct[i] = dims[i];
    st[0] = (hsize_t)(k * r);
    ct[0] = (hsize_t)r;
    hid_t fs = H5Dget_space(d), ms = H5Screate_simple(nd, ct, NULL);
    int ok = fs >= 0 && ms >= 0 &&
             H5Sselect_hyperslab(fs, H5S_SELECT_SET, st, NULL, ct, NULL) >= 0 &&
             H5Dread(d, ft, ms, fs, H5P_DEFAULT, buf) >= 0;
    if (fs >= 0)
        H5Sclose(fs);
    if (ms >= 0)
        H5Sclose(ms);
    return ok ? 0 : -1;
}

/* Notes where input variable v's first nchunks chunks are stored, to be copied at
 * close, after decoding each once (a corrupt chunk would otherwise pass through this
 * stage and fail only the next reader). EXSOL_ENOMEM; -2 when chunk *bad does not
 * decode (a corrupt input); -1 when it cannot (no descriptor to spare, HDF5 says no):
 * the caller then copies values. */
static int raw_register(exsol_ds_out *o, const exsol_ds *in, const struct ds_var *v,
                        size_t offset, size_t chunk_rows, size_t nchunks, size_t *bad)
{
    struct raw_chunk *ch = calloc(nchunks, sizeof *ch);
    hsize_t coord[NC_MAX_VAR_DIMS] = {0}, dims[H5S_MAX_RANK];
    hid_t d = -1, ft = -1, sp = -1;
    void *dec = NULL;
    int ok = ch != NULL, corrupt = 0, nd = -1;
    if (!ch)
        return EXSOL_ENOMEM;
    H5E_BEGIN_TRY
    {
        d = H5Dopen2(in->h5id, v->name, H5P_DEFAULT);
        ok = d >= 0 && (ft = H5Dget_type(d)) >= 0 && (sp = H5Dget_space(d)) >= 0 &&
             (nd = H5Sget_simple_extent_ndims(sp)) >= 1 && nd <= H5S_MAX_RANK &&
             H5Sget_simple_extent_dims(sp, dims, NULL) == nd && dims[0] >= nchunks * chunk_rows;
        size_t bytes = ok ? H5Tget_size(ft) * chunk_rows : 0;
        for (int i = 1; ok && i < nd; i++)
            bytes *= (size_t)dims[i];
        ok = ok && bytes > 0 && (dec = malloc(bytes)) != NULL;
        for (size_t k = 0; ok && k < nchunks; k++) {
            haddr_t addr = HADDR_UNDEF;
            hsize_t size = 0;
            unsigned mask = 0;
            coord[0] = (hsize_t)(k * chunk_rows);
            ok = H5Dget_chunk_info_by_coord(d, coord, &mask, &addr, &size) >= 0;
            if (ok && addr != HADDR_UNDEF && size > 0) {
                if (mask != 0 || raw_verify_chunk(d, ft, nd, dims, k, chunk_rows, dec) != 0) {
                    corrupt = 1; /* a filter skipped (checksum too) or it does not decode */
                    *bad = k;
                    ok = 0;
                }
                ch[k].addr = addr;
                ch[k].size = size;
                ch[k].mask = mask;
            }
        }
        if (sp >= 0)
            H5Sclose(sp);
        if (ft >= 0)
            H5Tclose(ft);
        if (d >= 0)
            H5Dclose(d);
    }
    H5E_END_TRY;
    free(dec);
    if (corrupt) {
        free(ch);
        return -2;
    }
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
int exsol_out_copy_var(exsol_ds_out *o, const exsol_ds *in, size_t i, int out_varid,
                       size_t offset, char *err, size_t errlen)
{
    const struct ds_var *v = &in->vars[i];
    size_t esz = ds_type_size(v->type);
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
    size_t craw = raw_chunk_rows(o, in, i, out_varid, offset), bad = 0;
    int reg = craw && total_rows / craw > 0
                  ? raw_register(o, in, v, offset, craw, total_rows / craw, &bad)
                  : -1;
    if (reg == EXSOL_ENOMEM)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory copying '%s'", v->name);
    if (reg == -2)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                            "%s is corrupt: variable '%s' does not decode (rows %zu to %zu: "
                            "compressed data or checksum)",
                            exsol_ds_where(in), v->name, bad * craw, (bad + 1) * craw - 1);
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
            rc = exsol_seterr(err, errlen, EXSOL_EFORMAT, "cannot read '%s' from %s: %s%s",
                              v->name, exsol_ds_where(in), nc_strerror(s),
                              exsol_ds_filter_hint(s));
            break;
        }
        if (v->ndims == 0)
            s = nc_put_var(o->ncid, out_varid, buf);
        else
            s = nc_put_vara(o->ncid, out_varid, ost, ct, buf);
        if (s != NC_NOERR) {
            rc = exsol_seterr(err, errlen, exsol_out_nc_err(o, s, "write", v->name), "%s",
                              o->msg);
            break;
        }
    }
    free(buf);
    return rc;
}

/* Rows in the output: netCDF's count, or more where stored chunks are still to come. */
int exsol_out_nrows(exsol_ds_out *o, size_t *n)
{
    if (nc_inq_dimlen(o->ncid, o->cand_dimid, n) != NC_NOERR)
        return EXSOL_ENETCDF;
    if (*n < o->raw_rows)
        *n = o->raw_rows;
    return EXSOL_OK;
}

/* One registered copy: the stored bytes of each chunk, read from the input's
 * descriptor, become the output's chunk as they are. */
static int raw_copy_var(int fd, hid_t dout, const struct raw_copy *c, size_t nrows, void **buf,
                        size_t *cap)
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
            ssize_t r =
                pread(fd, (char *)*buf + got, (size_t)ch->size - got, (off_t)(ch->addr + got));
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
int exsol_out_raw_finish(exsol_ds_out *o, size_t nrows, char *err, size_t errlen)
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
        fout = H5Fopen(o->af.tmp, H5F_ACC_RDWR, H5P_DEFAULT);
        if (fout < 0)
            rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot reopen '%s' to copy into it",
                              o->af.tmp);
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
                                  c->name, o->path, exsol_out_write_reason(why, sizeof why));
            if (dout >= 0)
                H5Dclose(dout);
        }
        if (fout >= 0 && H5Fclose(fout) < 0) {
            exsol_nc_close_failed();
            if (rc == EXSOL_OK)
                rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot write '%s'%s", o->path,
                                  exsol_out_write_reason(why, sizeof why));
        }
    }
    H5E_END_TRY;
    free(buf);
    return rc;
}
