/* An output from creation to close: where it goes (atomic_file.c: a file through a
 * temporary, stdout or a device in place), the definitions copied from the input,
 * storage (chunking along candidate and zstd, verified), ending definitions with
 * the copy-through of the input's data, the typed writes of a stage's rows, and the
 * close that puts the file in place.
 *
 * Why it looks the way it does:
 * - Debian's netCDF has no zstd and nc_def_var_zstandard is a silent no-op there.
 *   We register the filter class with HDF5 ourselves (nc_zstd.c) and ask netCDF
 *   afterwards (nc_inq_var_filter_ids) whether it really sits on the variable.
 * - Files go to a temporary name in the target folder and are renamed only after a
 *   successful nc_close and fsync, so a failed run never leaves half a file and
 *   never clobbers a good one. "-" is built in memory and written in one piece.
 * - HDF5 1.10.8 that failed to close a file crashes in its own exit handler; the
 *   program learns of it through the close-failure hook and leaves first. */
#include "dataset_internal.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "h5zstd.h"

#include <errno.h>
#include <hdf5.h>
#include <math.h>
#include <netcdf.h>
#include <netcdf_filter.h>
#include <netcdf_mem.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int exsol_out_fail(exsol_ds_out *o, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->msg, sizeof o->msg, fmt, ap);
    va_end(ap);
    return code;
}

const char *exsol_ds_out_errmsg(const exsol_ds_out *o)
{
    return o ? o->msg : "";
}

/* Write-side netCDF failures on a file are most often the disk (full, gone). */
/* netCDF and HDF5 report a failed write as "HDF error"; the system's reason, when
 * errno holds one that only a write leaves (a full disk ...), as " (reason)". */
const char *exsol_out_write_reason(char *buf, size_t n)
{
    int e = errno;
    buf[0] = '\0';
    if (e == ENOSPC || e == EDQUOT || e == EIO || e == EFBIG || e == EROFS)
        snprintf(buf, n, " (%s)", strerror(e));
    return buf;
}

int exsol_out_nc_err(exsol_ds_out *o, int st, const char *what, const char *name)
{
    char why[128];
    int code = (st == NC_ENOMEM) ? EXSOL_ENOMEM : EXSOL_EIO;
    if (st == NC_EHDFERR)
        o->h5_failed = 1;
    return exsol_out_fail(o, code, "cannot %s '%s' in %s: %s%s", what, name ? name : "",
                          o->mem ? "stdout" : o->path, nc_strerror(st),
                          exsol_out_write_reason(why, sizeof why));
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
            return exsol_out_fail(
                o, EXSOL_EFORMAT,
                "attribute '%s' of %s is a list of strings, which CDF5 cannot hold", att,
                owner);
        st = nc_get_att_string(in_ncid, in_varid, att, s);
        if (st == NC_NOERR)
            st = nc_put_att_text(o->ncid, out_varid, att, strlen(s[0] ? s[0] : ""),
                                 s[0] ? s[0] : "");
        nc_free_string(1, s);
    } else if (st == NC_NOERR) {
        st = nc_copy_att(in_ncid, in_varid, att, o->ncid, out_varid);
    }
    if (st != NC_NOERR)
        return exsol_out_fail(o, EXSOL_EFORMAT, "cannot copy attribute '%s' of %s: %s", att,
                              owner, nc_strerror(st));
    return EXSOL_OK;
}

/* Chunking along candidate plus the compression asked for: zstd (then proof that the
 * filter is really there), deflate (zlib level DS_DEFLATE_LEVEL) or none; shuffle
 * with either. */
int exsol_out_storage(exsol_ds_out *o, int varid, const char *name, int ndims,
                      const int *dimids, nc_type t)
{
    size_t chunks[NC_MAX_VAR_DIMS];
    size_t bytes = ds_type_size(t);
    int st;
    if (!o->nc4)
        return EXSOL_OK;
    if (ndims < 1 || dimids[0] != o->cand_dimid || ndims > NC_MAX_VAR_DIMS)
        return EXSOL_OK; /* fixed variables stay contiguous */
    for (int d = 1; d < ndims; d++) {
        if ((st = nc_inq_dimlen(o->ncid, dimids[d], &chunks[d])) != NC_NOERR)
            return exsol_out_nc_err(o, st, "define", name);
        if (chunks[d] == 0)
            chunks[d] = 1;
        bytes *= chunks[d];
    }
    size_t rows = o->chunk_rows;
    while (rows > 1 && rows * bytes > DS_CHUNK_BYTES)
        rows /= 2;
    chunks[0] = rows;
    if ((st = nc_def_var_chunking(o->ncid, varid, NC_CHUNKED, chunks)) != NC_NOERR)
        return exsol_out_nc_err(o, st, "set chunking of", name);
    if ((st = nc_set_var_chunk_cache(o->ncid, varid, DS_VAR_CACHE_BYTES, DS_VAR_CACHE_SLOTS,
                                     1.0f)) != NC_NOERR)
        return exsol_out_nc_err(o, st, "set the chunk cache of", name);
    if (o->compression == EXSOL_COMPRESS_NONE)
        return EXSOL_OK;
    if (o->compression == EXSOL_COMPRESS_DEFLATE) {
        if ((st = nc_def_var_deflate(o->ncid, varid, ds_type_size(t) > 1, 1,
                                     DS_DEFLATE_LEVEL)) != NC_NOERR)
            return exsol_out_nc_err(o, st, "set deflate compression of", name);
        return EXSOL_OK;
    }
    if (ds_type_size(t) > 1 && (st = nc_def_var_deflate(o->ncid, varid, 1, 0, 0)) != NC_NOERR)
        return exsol_out_nc_err(o, st, "set byte shuffling of", name);
    unsigned level = o->level;
    if ((st = nc_def_var_filter(o->ncid, varid, EXSOL_H5Z_ZSTD_ID, 1, &level)) != NC_NOERR)
        return exsol_out_fail(o, EXSOL_EFILTER, "cannot put the zstd filter on '%s': %s", name,
                              nc_strerror(st));
    /* a checksum of the stored (compressed) bytes: HDF5 checks it on every read, and
     * the stored-chunk copy checks it before copying (nc_rawcopy.c), so a corrupt
     * chunk is refused by the stage it enters, not by the next one that decodes it */
    if ((st = nc_def_var_fletcher32(o->ncid, varid, NC_FLETCHER32)) != NC_NOERR)
        return exsol_out_nc_err(o, st, "set the Fletcher-32 checksum of", name);
    size_t nf = 0;
    unsigned ids[16];
    if ((st = nc_inq_var_filter_ids(o->ncid, varid, &nf, NULL)) != NC_NOERR || nf > 16 ||
        (st = nc_inq_var_filter_ids(o->ncid, varid, &nf, ids)) != NC_NOERR)
        return exsol_out_fail(o, EXSOL_EFILTER, "cannot verify the filters of '%s'", name);
    for (size_t i = 0; i < nf; i++)
        if (ids[i] == EXSOL_H5Z_ZSTD_ID)
            return EXSOL_OK;
    return exsol_out_fail(o, EXSOL_EFILTER, "the zstd filter did not attach to '%s'", name);
}

static int out_copy_defs(exsol_ds_out *o)
{
    const exsol_ds *in = o->in;
    int st, rc;
    int ndims;
    if ((st = nc_inq_ndims(in->ncid, &ndims)) != NC_NOERR)
        return exsol_out_fail(o, EXSOL_EFORMAT, "cannot read the dimensions of %s: %s",
                              exsol_ds_where(in), nc_strerror(st));
    /* dimension ids in netCDF-4 are not always 0..n-1 in the root group */
    int *dimids = calloc(ndims > 0 ? (size_t)ndims : 1, sizeof *dimids);
    if (!dimids)
        return exsol_out_fail(o, EXSOL_ENOMEM, "out of memory");
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
            return exsol_out_nc_err(o, st, "define dimension", name);
        }
    }
    free(dimids);

    o->in_map = calloc(in->nvars ? in->nvars : 1, sizeof *o->in_map);
    if (!o->in_map)
        return exsol_out_fail(o, EXSOL_ENOMEM, "out of memory");
    for (size_t i = 0; i < in->nvars; i++) {
        const struct ds_var *v = &in->vars[i];
        int od[NC_MAX_VAR_DIMS];
        if (ds_type_size(v->type) == 0)
            return exsol_out_fail(
                o, EXSOL_EFORMAT,
                "variable '%s' of %s has a type exsol cannot copy (strings or "
                "user-defined types)",
                v->name, exsol_ds_where(in));
        if (v->ndims > NC_MAX_VAR_DIMS)
            return exsol_out_fail(o, EXSOL_EFORMAT, "variable '%s' has too many dimensions",
                                  v->name);
        for (int d = 0; d < v->ndims; d++) {
            char dn[DS_NAME_MAX];
            nc_inq_dimname(in->ncid, v->dimids[d], dn);
            if ((st = nc_inq_dimid(o->ncid, dn, &od[d])) != NC_NOERR)
                return exsol_out_nc_err(o, st, "find dimension", dn);
        }
        int varid;
        if ((st = nc_def_var(o->ncid, v->name, v->type, v->ndims, od, &varid)) != NC_NOERR)
            return exsol_out_nc_err(o, st, "define variable", v->name);
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
        if ((rc = exsol_out_storage(o, varid, v->name, v->ndims, od, v->type)) != EXSOL_OK)
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

/* HDF5 (1.10.8) that failed to close a file, as on a full disk, keeps it half closed
 * and crashes over it in its exit handler. The data layer does not exit: it tells the
 * program, through the hook it set, so the program can leave before that handler runs
 * (tools/common/cli.c). */
static void (*close_failed_hook)(void);

void exsol_ds_set_close_failed_hook(void (*hook)(void))
{
    close_failed_hook = hook;
}

void exsol_nc_close_failed(void)
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
                exsol_nc_close_failed();
            else if (nc_abort(o->ncid) != NC_NOERR)
                exsol_nc_close_failed();
        }
    }
    exsol_af_release(&o->af); /* removes the temporary if still there */
    free(o->image);
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
    free(o->path);
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
    o->compression = opts ? opts->compression : EXSOL_COMPRESS_ZSTD;
    if (o->compression < EXSOL_COMPRESS_ZSTD || o->compression > EXSOL_COMPRESS_NONE) {
        free(o);
        return exsol_seterr(err, errlen, EXSOL_EUSAGE, "unknown compression %d",
                            opts->compression);
    }
    size_t n = copy_from ? copy_from->ncand : 0;
    o->chunk_rows = n == 0 ? EXSOL_BLOCK : (n < EXSOL_BLOCK ? n : EXSOL_BLOCK);
    o->path = strdup(path);
    if (!o->path) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        goto fail;
    }

    /* A target that cannot be replaced by a rename (/dev/null, a FIFO, /dev/stdout)
     * gets the stream form (CDF5 built in memory) written into it at close, like
     * stdout; a file gets a temporary next to it (atomic_file.c). */
    if ((rc = exsol_af_begin(&o->af, path, err, errlen)) != EXSOL_OK)
        goto fail;
    if (o->af.mode != EXSOL_AF_TEMP) {
        if (o->af.mode == EXSOL_AF_STDOUT && isatty(STDOUT_FILENO)) {
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
        /* netCDF creates by name: our descriptor is not needed */
        close(o->af.fd);
        o->af.fd = -1;
        if ((st = nc_create(o->af.tmp, NC_CLOBBER | (cdf5 ? NC_64BIT_DATA : NC_NETCDF4),
                            &o->ncid)) != NC_NOERR) {
            o->ncid = -1;
            rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot create '%s': %s", o->af.tmp,
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
    if ((rc = exsol_out_globals(o, opts)) != EXSOL_OK) {
        exsol_seterr(err, errlen, rc, "%s", o->msg);
        goto fail;
    }
    *out = o;
    return EXSOL_OK;
fail:
    exsol_ds_out_abort(o);
    return rc;
}

/* The memory a stream output may take: EXSOL_MEMORY_LIMIT (bytes, or with a suffix
 * K, M, G, T in powers of 1024) if set, else MemAvailable of /proc/meminfo, lowered to
 * a cgroup's memory.max. 0: unknown (no check). -1: EXSOL_MEMORY_LIMIT is malformed. */
static double memory_limit(void)
{
    const char *env = getenv("EXSOL_MEMORY_LIMIT");
    if (env && *env) {
        char *end;
        errno = 0;
        double v = strtod(env, &end);
        static const char suf[] = "KMGT";
        const char *k = *end ? strchr(suf, *end) : NULL;
        if (k && *k)
            v *= pow(1024.0, (double)(k - suf + 1)), end++;
        if (errno || end == env || *end || !(v > 0) || !isfinite(v))
            return -1;
        return v;
    }
    double avail = 0;
    char line[256];
    FILE *f = fopen("/proc/meminfo", "r");
    while (f && fgets(line, sizeof line, f)) {
        unsigned long long kb;
        if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
            avail = (double)kb * 1024.0;
    }
    if (f)
        fclose(f);
    f = fopen("/sys/fs/cgroup/memory.max", "r");
    unsigned long long cg;
    if (f && fscanf(f, "%llu", &cg) == 1 && cg > 0 && (avail == 0 || (double)cg < avail))
        avail = (double)cg;
    if (f)
        fclose(f);
    return avail;
}

static const char *human_bytes(double b, char *buf, size_t n)
{
    static const char *const unit[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
    int u = 0;
    while (b >= 1000.0 && u < 5)
        b /= 1000.0, u++;
    snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", b, unit[u]);
    return buf;
}

int exsol_ds_out_check_memory(exsol_ds_out *o, size_t nrows, char *err, size_t errlen)
{
    int nv;
    if (!o->mem || nrows == 0 || nc_inq_nvars(o->ncid, &nv) != NC_NOERR)
        return EXSOL_OK;
    double row = 0;
    for (int i = 0; i < nv; i++) {
        int nd, dims[NC_MAX_VAR_DIMS];
        nc_type t;
        if (nc_inq_varndims(o->ncid, i, &nd) != NC_NOERR || nd < 1 || nd > NC_MAX_VAR_DIMS ||
            nc_inq_vardimid(o->ncid, i, dims) != NC_NOERR || dims[0] != o->cand_dimid ||
            nc_inq_vartype(o->ncid, i, &t) != NC_NOERR)
            continue;
        double b = (double)ds_type_size(t);
        for (int d = 1; d < nd; d++) {
            size_t len = 0;
            nc_inq_dimlen(o->ncid, dims[d], &len);
            b *= (double)len;
        }
        row += b;
    }
    /* the image, and a fifth more: netCDF's in-memory file grows by reallocation (a
     * 10^8-row exsol-gen image of 36.8 GB took about 43 GB) */
    double need = 1.2 * row * (double)nrows, have = memory_limit();
    if (have < 0)
        return exsol_seterr(err, errlen, EXSOL_EUSAGE,
                            "EXSOL_MEMORY_LIMIT '%s' is not a size in bytes (e.g. 8G)",
                            getenv("EXSOL_MEMORY_LIMIT"));
    if (have > 0 && need > have) {
        char nb[32], hb[32];
        return exsol_seterr(
            err, errlen, EXSOL_ENOMEM,
            "%zu rows of %.0f bytes need about %s in memory to go to %s as CDF5, "
            "more than the %s %s; write a file with -o (written in blocks) "
            "or split the screen",
            nrows, row, human_bytes(need, nb, sizeof nb),
            o->af.mode == EXSOL_AF_STDOUT ? "stdout" : o->path,
            human_bytes(have, hb, sizeof hb),
            getenv("EXSOL_MEMORY_LIMIT") && *getenv("EXSOL_MEMORY_LIMIT")
                ? "EXSOL_MEMORY_LIMIT allows"
                : "available");
    }
    return EXSOL_OK;
}

int exsol_ds_out_enddef(exsol_ds_out *o, char *err, size_t errlen)
{
    int st, rc;
    if (o->ended)
        return EXSOL_OK;
    /* a stream output is built in memory: refuse one that cannot fit before copying */
    if (o->in && (rc = exsol_ds_out_check_memory(o, o->in->ncand, err, errlen)) != EXSOL_OK)
        return rc;
    if ((st = nc_enddef(o->ncid)) != NC_NOERR)
        return exsol_seterr(err, errlen, exsol_out_nc_err(o, st, "end definitions of", "file"),
                            "%s", o->msg);
    o->ended = 1;
    for (size_t i = 0; i < o->ncoords; i++) {
        struct out_coord *c = &o->coords[i];
        if (c->len && (st = nc_put_var_double(o->ncid, c->varid, c->values)) != NC_NOERR)
            return exsol_seterr(err, errlen, exsol_out_nc_err(o, st, "write", c->dim), "%s",
                                o->msg);
    }
    for (size_t i = 0; i < o->nscalars; i++)
        if ((st = nc_put_var_int(o->ncid, o->scalars[i].varid, &o->scalars[i].value)) !=
            NC_NOERR)
            return exsol_seterr(err, errlen, exsol_out_nc_err(o, st, "write", "parameters"),
                                "%s", o->msg);
    if (o->in)
        for (size_t i = 0; i < o->in->nvars; i++)
            if ((rc = exsol_out_copy_var(o, o->in, i, o->in_map[i], 0, err, errlen)))
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
        return exsol_seterr(err, errlen, exsol_out_nc_err(o, s, "write", v->name), "%s",
                            o->msg);
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
    size_t ne = count * v->inner;
    double *tmp = malloc((ne ? ne : 1) * sizeof *tmp);
    if (!tmp)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    for (size_t k = 0; k < ne; k++)
        tmp[k] = isnan(buf[k]) ? NC_FILL_DOUBLE : buf[k];
    rc = out_put(o, v, start, count, tmp, err, errlen);
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

/* Everything but putting the output in place: the file closed into its durable
 * temporary, or the stream form built in memory (o->image). */
int exsol_ds_out_finish(exsol_ds_out *o, char *err, size_t errlen)
{
    int rc = EXSOL_OK, st;
    if (o->finished)
        return EXSOL_OK;
    if (!o->ended && (rc = exsol_ds_out_enddef(o, err, errlen)) != EXSOL_OK)
        return rc;
    if (o->mem) {
        NC_memio info = {0, NULL, 0};
        st = nc_close_memio(o->ncid, &info);
        o->ncid = -1;
        if (st != NC_NOERR) {
            free(info.memory);
            return exsol_seterr(err, errlen, EXSOL_ENETCDF, "cannot finish the output: %s",
                                nc_strerror(st));
        }
        /* the memio buffer is its allocation, not the file: cut it to the size the
         * header gives, so the output is exact and the same every run */
        uint64_t need = 0, full = 0;
        size_t size = info.size;
        if (exsol_nc_classic_extent(info.memory, info.size, info.size, &need, &full, NULL, NULL,
                                    0) == EXSOL_OK &&
            full < size)
            size = (size_t)full;
        o->image = info.memory;
        o->image_size = size;
    } else {
        size_t nrows = 0;
        if (exsol_out_nrows(o, &nrows) != EXSOL_OK)
            nrows = o->raw_rows;
        st = nc_close(o->ncid);
        o->ncid = -1;
        if (st != NC_NOERR) {
            char why[128];
            exsol_nc_close_failed();
            return exsol_seterr(err, errlen, EXSOL_EIO, "cannot write '%s': %s%s", o->path,
                                nc_strerror(st), exsol_out_write_reason(why, sizeof why));
        }
        if ((rc = exsol_out_raw_finish(o, nrows, err, errlen)) == EXSOL_OK)
            rc = exsol_af_sync(&o->af, err, errlen);
    }
    if (rc == EXSOL_OK)
        o->finished = 1;
    return rc;
}

/* The stream form to stdout or into the device it was asked for. */
static int put_image(exsol_ds_out *o, char *err, size_t errlen)
{
    int rc = EXSOL_OK;
    const char *device = o->af.mode == EXSOL_AF_INPLACE ? o->af.path : NULL;
    FILE *fp = stdout;
    if (device && !(fp = fopen(device, "wb")))
        return exsol_seterr(err, errlen, EXSOL_EIO, "cannot open '%s': %s", device,
                            strerror(errno));
    if (device && isatty(fileno(fp)))
        rc = exsol_seterr(err, errlen, EXSOL_ETERMINAL,
                          "refusing to write binary NetCDF to a terminal ('%s')", device);
    if (rc == EXSOL_OK) {
        errno = 0;
        size_t w = fwrite(o->image, 1, o->image_size, fp);
        int e = errno;
        if (w != o->image_size || fflush(fp) != 0 || ferror(fp))
            rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot write to %s: %s",
                              device ? device : "stdout", strerror(errno ? errno : e));
    }
    if (fp != stdout && fclose(fp) != 0 && rc == EXSOL_OK)
        rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot write to %s: %s", device,
                          strerror(errno));
    return rc;
}

int exsol_ds_out_close(exsol_ds_out *o, char *err, size_t errlen)
{
    int rc;
    if (!o)
        return EXSOL_OK;
    rc = exsol_ds_out_finish(o, err, errlen);
    if (rc == EXSOL_OK)
        rc = o->mem ? put_image(o, err, errlen) : exsol_af_commit(&o->af, err, errlen);
    exsol_ds_out_abort(o); /* frees; unlinks the temporary if still there */
    return rc;
}
