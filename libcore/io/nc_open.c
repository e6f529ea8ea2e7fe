/* Opening an input: a path, "-" (stdin), a pipe or FIFO, or an image in memory;
 * then the inventory of its variables, kept for the reads (nc_read.c). Closing.
 *
 * Why it looks the way it does:
 * - A file's format is checked before netCDF sees it (nc_classic_check.c): a
 *   classic file cut short would otherwise read as zeros.
 * - stdin, pipes and devices are opened with nc_open_mem, which needs the whole
 *   image; nc_stream.c reads it, no further than its header says it goes.
 * - A NETCDF4 file on disk also gets an HDF5 handle and a descriptor of our own,
 *   so the stored-chunk copy (nc_rawcopy.c) can find and read its chunks later.
 * - A file is opened by name once; netCDF and HDF5 reopen that descriptor
 *   (/proc/self/fd/N), so a file replaced under its name between the format check
 *   and the reads cannot be read half from one and half from the other. */
#include "dataset_internal.h"
#include "exsol/dataset.h"
#include "exsol/error.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <netcdf.h>
#include <netcdf_mem.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static double default_fill(nc_type t)
{
    switch (t) {
    case NC_BYTE:
        return NC_FILL_BYTE;
    case NC_SHORT:
        return NC_FILL_SHORT;
    case NC_INT:
        return NC_FILL_INT;
    case NC_FLOAT:
        return NC_FILL_FLOAT;
    case NC_UBYTE:
        return NC_FILL_UBYTE;
    case NC_USHORT:
        return NC_FILL_USHORT;
    case NC_UINT:
        return NC_FILL_UINT;
    case NC_INT64:
        return (double)NC_FILL_INT64;
    case NC_UINT64:
        return (double)NC_FILL_UINT64;
    default:
        return NC_FILL_DOUBLE;
    }
}

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
                                "%s is corrupt (variable name '%s' cannot be looked up)", label,
                                v->name);
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
        else if (v->rec == 1 && ds_is_numeric(v->type) && nd == 1)
            v->kind = EXSOL_VK_SCALAR;
        else if (v->rec == 1 && ds_is_numeric(v->type) && nd == 2) {
            v->kind = EXSOL_VK_CURVE;
            nc_inq_dimname(ds->ncid, v->dimids[1], v->inner_dim);
        }
        if (v->rec < 0)
            v->rec = 0;
        /* netCDF-4 inputs only; classic files have no chunk cache */
        (void)nc_set_var_chunk_cache(ds->ncid, i, DS_VAR_CACHE_BYTES, DS_VAR_CACHE_SLOTS, 1.0f);
        /* read into one double: its type and length first (a list would overflow f) */
        double f;
        nc_type ft;
        size_t fl;
        v->fill = default_fill(v->type);
        if (nc_inq_att(ds->ncid, i, "_FillValue", &ft, &fl) == NC_NOERR) {
            int rc = exsol_nc_check_fill(v->type, ft, fl, v->name, label, err, errlen);
            if (rc != EXSOL_OK)
                return rc;
            if (ds_is_numeric(v->type) &&
                nc_get_att_double(ds->ncid, i, "_FillValue", &f) == NC_NOERR)
                v->fill = f;
        }
    }
    return EXSOL_OK;
}

/* ---- a NETCDF4 (HDF5) input read whole, for a program that contains it ------------
 * HDF5 1.10.8 (Debian) can overflow a buffer or free an uninitialised pointer
 * (H5G__link_release_table) on a corrupted file: the tool would die by a signal, not
 * exit 3. exsol_ds_read_everything opens an image, reads every attribute and every
 * variable (in slabs of at most CHECK_SLAB_BYTES) and closes it; a program runs it in
 * a child process through the hook (tools/common/cli.c) before the real open. */
#define CHECK_SLAB_BYTES ((size_t)4 << 20)

static int check_atts(int ncid, int varid, int natts)
{
    for (int a = 0; a < natts; a++) {
        char an[NC_MAX_NAME + 1];
        nc_type t;
        size_t len;
        if (nc_inq_attname(ncid, varid, a, an) != NC_NOERR ||
            nc_inq_att(ncid, varid, an, &t, &len) != NC_NOERR)
            return -1;
        if (t == NC_STRING) {
            char **sv = len < 65536 ? calloc(len ? len : 1, sizeof *sv) : NULL;
            if (!sv || nc_get_att_string(ncid, varid, an, sv) != NC_NOERR)
                return free(sv), -1;
            nc_free_string(len, sv);
            free(sv);
            continue;
        }
        size_t esz = t == NC_CHAR || t == NC_BYTE || t == NC_UBYTE ? 1 : 8;
        void *buf = len < ((size_t)1 << 24) ? malloc((len ? len : 1) * esz) : NULL;
        int bad = !buf || nc_get_att(ncid, varid, an, buf) != NC_NOERR;
        free(buf);
        if (bad)
            return -1;
    }
    return 0;
}

static int check_read_all(int ncid)
{
    int nv, ng;
    if (nc_inq_nvars(ncid, &nv) != NC_NOERR || nc_inq_natts(ncid, &ng) != NC_NOERR ||
        check_atts(ncid, NC_GLOBAL, ng))
        return -1;
    void *buf = malloc(CHECK_SLAB_BYTES);
    if (!buf)
        return 0; /* no memory to check: the tool goes on as it would have */
    int rc = 0;
    for (int i = 0; !rc && i < nv; i++) {
        int nd, natts, dims[NC_MAX_VAR_DIMS];
        nc_type t;
        size_t st[NC_MAX_VAR_DIMS], ct[NC_MAX_VAR_DIMS], esz = 0, inner = 1;
        if (nc_inq_var(ncid, i, NULL, &t, &nd, NULL, &natts) != NC_NOERR ||
            nd > NC_MAX_VAR_DIMS || nc_inq_vardimid(ncid, i, dims) != NC_NOERR ||
            check_atts(ncid, i, natts) || nc_inq_type(ncid, t, NULL, &esz) != NC_NOERR) {
            rc = -1;
            break;
        }
        if (t == NC_STRING || t > NC_MAX_ATOMIC_TYPE || esz == 0)
            continue; /* not in exsol files; read by nobody */
        for (int d = 0; d < nd; d++) {
            st[d] = 0;
            if (nc_inq_dimlen(ncid, dims[d], &ct[d]) != NC_NOERR)
                rc = -1;
            if (d > 0)
                inner *= ct[d];
        }
        if (rc || (nd > 0 && ct[0] == 0) || inner == 0)
            continue;
        if (nd == 0) {
            rc = esz <= CHECK_SLAB_BYTES && nc_get_var(ncid, i, buf) == NC_NOERR ? 0 : -1;
            continue;
        }
        if (inner > CHECK_SLAB_BYTES / esz)
            continue; /* a row larger than the slab: not an exsol file's shape */
        size_t rows = CHECK_SLAB_BYTES / (esz * inner), total = ct[0];
        for (size_t r = 0; !rc && r < total; r += rows) {
            st[0] = r;
            ct[0] = total - r < rows ? total - r : rows;
            rc = nc_get_vara(ncid, i, st, ct, buf) == NC_NOERR ? 0 : -1;
        }
    }
    free(buf);
    return rc;
}

int exsol_ds_read_everything(const char *name, void *mem, size_t size)
{
    int ncid, st = mem ? nc_open_mem("check", NC_NOWRITE, size, mem, &ncid)
                       : nc_open(name, NC_NOWRITE, &ncid);
    if (st != NC_NOERR)
        return -1;
    int r = check_read_all(ncid);
    st = nc_close(ncid);
    return r || st != NC_NOERR ? -1 : 0;
}

static exsol_ds_contain_fn contain_hook;

void exsol_ds_set_contain_hook(exsol_ds_contain_fn hook)
{
    contain_hook = hook;
}

static int ds_check_contained(const char *name, void *mem, size_t size, const char *label,
                              char *err, size_t errlen)
{
    return contain_hook ? contain_hook(name, mem, size, label, err, errlen) : EXSOL_OK;
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

static int ds_open_buffer(const char *path, const char *label, void *mem, size_t size,
                          exsol_ds **out, char *err, size_t errlen)
{
    int ncid, st, rc;
    exsol_zstd_register();
    int kind = exsol_nc_magic_kind(mem, size);
    if (kind == 0) {
        free(mem);
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is not a NetCDF file", label);
    }
    uint64_t need, full;
    char why[512] = "";
    if (kind == 1 && (rc = exsol_nc_classic_extent(mem, size, size, &need, &full, label, why,
                                                   sizeof why)) != EXSOL_OK) {
        free(mem);
        if (rc == EXSOL_ENOMEM)
            return exsol_seterr(err, errlen, rc, "out of memory reading %s", label);
        if (why[0])
            return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s", why);
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is truncated or corrupt", label);
    }
    if (kind == 2 && (rc = ds_check_contained(NULL, mem, size, label, err, errlen))) {
        free(mem);
        return rc;
    }
    /* netCDF's memio reads a classic header in 4 KiB-rounded extents and refuses
     * (EPERM, "Operation not permitted") an extent past the end of a read-only image:
     * a header that ends in the last partial 4 KiB of the file (exsol-window's, with
     * the parameters of five tables) fails. Zeros after the data change nothing. */
    size_t padded = kind == 1 ? (size + 65535) & ~(size_t)65535 : size;
    if (padded > size) {
        void *q = realloc(mem, padded);
        if (!q) {
            free(mem);
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory reading %s", label);
        }
        memset((char *)q + size, 0, padded - size);
        mem = q;
    }
    if ((st = nc_open_mem(label, NC_NOWRITE, padded, mem, &ncid)) != NC_NOERR) {
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

/* For copying chunks as stored: an HDF5 handle on the file netCDF has open (HDF5
 * shares one file between the two) and our own descriptor on it, so the bytes are
 * read later from this very file whatever its name points to by then. Anything
 * unexpected (another file under the name already, no NETCDF4) only turns it off. */
static void ds_open_h5(exsol_ds *ds, const char *name, int fd, const struct stat *sb)
{
    int fmt, *vfd = NULL;
    struct stat now;
    hid_t fcpl = -1;
    hsize_t ub = 1;
    if (nc_inq_format(ds->ncid, &fmt) == NC_NOERR && fmt == NC_FORMAT_NETCDF4) {
        H5E_BEGIN_TRY
        {
            ds->h5id = H5Fopen(name, H5F_ACC_RDONLY, H5P_DEFAULT);
            /* the file netCDF opened is the one fd has, and has no user block (chunk
             * addresses then count from the start of the file) */
            if (ds->h5id >= 0 && H5Fget_vfd_handle(ds->h5id, H5P_DEFAULT, (void **)&vfd) >= 0 &&
                vfd && fstat(*vfd, &now) == 0 && now.st_dev == sb->st_dev &&
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
        int rc = exsol_nc_read_stream(STDIN_FILENO, label, &mem, &size, err, errlen);
        if (rc)
            return rc;
        if (size == 0)
            return exsol_seterr(err, errlen, EXSOL_EFORMAT, "empty input on stdin");
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
        /* a pipe, FIFO or device (e.g. `<(exsol-gen ...)`): no seeking; read as far
         * as its header says the file goes (nc_stream.c) */
        void *mem = NULL;
        size_t size = 0;
        rc = exsol_nc_read_stream(fd, label, &mem, &size, err, errlen);
        close(fd);
        if (rc)
            return rc;
        if (size == 0)
            return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is empty", label);
        return ds_open_buffer(path, label, mem, size, out, err, errlen);
    }
    nh = pread(fd, head, sizeof head, 0);
    if (nh < 0) {
        rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot read %s: %s", label, strerror(errno));
        goto done;
    }
    kind = exsol_nc_magic_kind(head, (size_t)nh);
    if (kind == 0) {
        rc = exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is not a NetCDF file", label);
        goto done;
    }
    if (kind == 1)
        rc =
            exsol_nc_check_classic_file(fd, (unsigned long long)sb.st_size, label, err, errlen);
done:
    if (rc) {
        close(fd);
        return rc;
    }
    /* The file is opened by name once: netCDF and HDF5 open what fd has (through
     * /proc/self/fd), so the file checked above is the file read, whatever the name
     * points to by now. Without /proc, by name as before. */
    char self[64];
    const char *name = path;
    struct stat again;
    snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    if (stat(self, &again) == 0 && again.st_dev == sb.st_dev && again.st_ino == sb.st_ino)
        name = self;
    int ncid, st;
    if (kind == 2 && (rc = ds_check_contained(name, NULL, 0, label, err, errlen))) {
        close(fd);
        return rc;
    }
    if ((st = nc_open(name, NC_NOWRITE, &ncid)) != NC_NOERR) {
        close(fd);
        return exsol_seterr(err, errlen, EXSOL_EFORMAT, "%s is truncated or corrupt (%s)",
                            label, nc_strerror(st));
    }
    int frc = ds_finish_open(path, label, ncid, NULL, out, err, errlen);
    if (frc == EXSOL_OK && kind == 2)
        ds_open_h5(*out, name, fd, &sb);
    else
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
