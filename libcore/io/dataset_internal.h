/* Private internals of the data layer (not for tools): the entry points the unit
 * test and the fuzz target call, then what the files of libcore/io share: the
 * input and output structs and the helpers that more than one file needs.
 *
 *   nc_classic_check.c  magic numbers; the classic/64-bit-offset/CDF5 header walk
 *   nc_open.c           opening a path, stdin, a pipe or memory; closing
 *   nc_stream.c         reading stdin or a pipe no further than its header says
 *   nc_read.c           the inventory and the typed reads of an open input
 *   nc_write.c          creating, ending definitions, writing, closing an output
 *   nc_define.c         what a stage defines: coordinates, variables, attributes
 *   nc_rawcopy.c        copy-through: stored chunks where it can, values otherwise
 *   nc_append.c         appending shards (exsol-cat)
 *   history.c           the global attributes, with the history line
 *   nc_zstd.c           the zstd filter registered in this process
 *   atomic_file.c       temporary + fsync + rename for every output (atomic_file.h) */
#ifndef EXSOL_DATASET_INTERNAL_H
#define EXSOL_DATASET_INTERNAL_H

#include "atomic_file.h"
#include "exsol/dataset.h"

#include <hdf5.h>
#include <netcdf.h>
#include <stddef.h>
#include <stdint.h>

/* ---- entry points for tests and fuzzing -------------------------------- */

/* Opens a NetCDF image held in memory (a copy of `data` is kept until close).
 * `label` names the input in messages. Used for stdin and by the fuzz target. */
int exsol_ds_open_mem(const char *label, const void *data, size_t size, exsol_ds **out,
                      char *err, size_t errlen);

/* Checks a classic/64-bit-offset/CDF5 header in buf[0..have) against the file size:
 * 0 if the file holds every byte the header promises, EXSOL_EFORMAT if it is
 * truncated or the header is corrupt, and -1 if more than `have` bytes of header
 * are needed (only when have < file_size). */
int exsol_ds_check_classic(const unsigned char *buf, size_t have, unsigned long long file_size);

/* ---- shared by the files of libcore/io --------------------------------- */

#ifndef EXSOL_VERSION
#define EXSOL_VERSION "unknown"
#endif

#define DS_NAME_MAX (NC_MAX_NAME + 1)
#define DS_BLOCK_BYTES ((size_t)8 << 20) /* cap on one copy buffer */
#define DS_CHUNK_BYTES ((size_t)4 << 20) /* cap on one HDF5 chunk */
/* zstd level of files: 1, not 3. On a 117,504-row magnet file level 3 made the
 * file 1.6 % smaller, and level 1 copies it in 24 % less time (exsol-cat 2.6 s
 * against 3.4 s). */
#define DS_DEFAULT_LEVEL 1
/* zlib level of --compression deflate: 1, for the same reason (NCO's default is
 * none, `ncks -L 1` is the usual choice) */
#define DS_DEFLATE_LEVEL 1
/* HDF5 chunk cache per variable. netCDF's default (16 MiB each) made memory grow
 * with the number of variables (80 variables: 420 MB); the tools read and write
 * whole chunks in order, so a small cache costs nothing and a larger chunk simply
 * bypasses it. */
#define DS_VAR_CACHE_BYTES ((size_t)256 << 10)
#define DS_VAR_CACHE_SLOTS 17

static inline size_t ds_type_size(nc_type t)
{
    switch (t) {
    case NC_BYTE:
    case NC_CHAR:
    case NC_UBYTE:
        return 1;
    case NC_SHORT:
    case NC_USHORT:
        return 2;
    case NC_INT:
    case NC_UINT:
    case NC_FLOAT:
        return 4;
    case NC_DOUBLE:
    case NC_INT64:
    case NC_UINT64:
        return 8;
    default:
        return 0;
    }
}

static inline int ds_is_numeric(nc_type t)
{
    return ds_type_size(t) > 0 && t != NC_CHAR;
}

/* ---- an input ----------------------------------------------------------- */

struct ds_var {
    char name[DS_NAME_MAX];
    nc_type type;
    int ndims;
    int *dimids;
    int rec; /* first dimension is `candidate` */
    enum exsol_vkind kind;
    size_t inner; /* values per candidate (rec) or total size (not rec) */
    char inner_dim[DS_NAME_MAX];
    double fill; /* _FillValue or the type's default, as double */
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

/* HDF5's default plugin folder, where make install puts the zstd plugin (CMake
 * EXSOL_HDF5_PLUGIN_DIR). */
#ifndef EXSOL_HDF5_PLUGIN_DIR
#define EXSOL_HDF5_PLUGIN_DIR "/usr/local/hdf5/lib/plugin"
#endif
/* For a netCDF status of a missing or failing filter, a hint on where its plugin
 * must be; "" for any other status. */
const char *exsol_ds_filter_hint(int st);
/* "FILE" or "stdin", for messages. */
const char *exsol_ds_where(const exsol_ds *ds);
/* The variable of that name, or NULL. */
const struct ds_var *exsol_ds_find_var(const exsol_ds *ds, const char *name);

/* "CDF" 1/2/5 -> 1, HDF5 (also after a user block) -> 2, anything else 0. */
int exsol_nc_magic_kind(const unsigned char *b, size_t n);
/* The classic header walk: need = the bytes the header promises (last data byte),
 * full = the size netCDF itself gives such a file (records padded), used to cut a
 * memio image. Return values as exsol_ds_check_classic. With err (may be NULL), a
 * variable's bad _FillValue (exsol_nc_check_fill) is also EXSOL_EFORMAT, with the
 * message in err naming the input by `label`; err is untouched otherwise. */
int exsol_nc_classic_extent(const unsigned char *buf, size_t have, unsigned long long file_size,
                            uint64_t *need_out, uint64_t *full_out, const char *label,
                            char *err, size_t errlen);
/* A _FillValue of type att_type holding att_len values on a variable of type
 * var_type: it must be one value, and a number on a numeric variable (it is read
 * into one double). EXSOL_OK, or EXSOL_EFORMAT with a message naming the attribute,
 * the variable and the input (`label`). */
int exsol_nc_check_fill(nc_type var_type, nc_type att_type, size_t att_len, const char *var,
                        const char *label, char *err, size_t errlen);
/* exsol_ds_check_classic on a regular file, reading only as much header as needed;
 * the message names the input by `label`. */
int exsol_nc_check_classic_file(int fd, unsigned long long fsize, const char *label, char *err,
                                size_t errlen);

/* Reads an input that cannot seek (stdin, a pipe, a FIFO, a device) into *mem
 * (malloc'ed, *size bytes), checking the magic number first and the header as it
 * arrives, and reading no further than the header says the file goes. An empty
 * input is EXSOL_OK with *mem NULL and *size 0. EXSOL_EFORMAT
 * (not NetCDF, truncated, corrupt, or unbounded), EXSOL_EIO, EXSOL_ENOMEM; the
 * message names the input by `label`. */
int exsol_nc_read_stream(int fd, const char *label, void **mem, size_t *size, char *err,
                         size_t errlen);

/* ---- an output ---------------------------------------------------------- */

struct out_var {
    char name[DS_NAME_MAX];
    int varid;
    nc_type type;
    size_t inner; /* values per candidate */
    size_t width; /* text: string width */
};

struct out_coord {
    char dim[DS_NAME_MAX]; /* the variable's name: its dimension's for a coordinate */
    int fixed;             /* 1: a non-coordinate variable on a fixed dimension */
    int dimid;
    int varid; /* -1: dimension copied from input, values compared there */
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
    int fd;               /* our own descriptor on the input file */
    unsigned long serial; /* which exsol_ds it came from */
    char *path;           /* for messages */
};

struct raw_chunk {
    haddr_t addr;  /* absolute offset in the input file */
    hsize_t size;  /* stored bytes; 0: never written (reads as fill) */
    unsigned mask; /* filters skipped for this chunk */
};

struct raw_copy {
    size_t src; /* index into raw_srcs */
    char name[DS_NAME_MAX];
    size_t offset; /* output row of the input's row 0 (a multiple of chunk_rows) */
    size_t chunk_rows;
    size_t nchunks; /* the input's whole chunks; its partial last one is copied as data */
    struct raw_chunk *chunks;
};

struct exsol_ds_out {
    int ncid;
    int mem;      /* "-" or a non-regular target: CDF5 in memory */
    int finished; /* exsol_ds_out_finish done: only putting in place is left */
    void *image;  /* finished stream form: the CDF5 bytes to write at close */
    size_t image_size;
    struct exsol_af af; /* where the output goes: stdout, in place, or temp + rename */
    int nc4;            /* NETCDF4 with chunking and zstd */
    int h5_failed;      /* a netCDF call on it failed inside HDF5 */
    char *path;
    const exsol_ds *in;
    int *in_map; /* output varid of each input variable */
    int cand_dimid;
    size_t chunk_rows;
    unsigned level;
    int compression; /* enum exsol_compression */
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
    size_t raw_rows; /* rows the registered chunk copies fill, at least */
    char msg[512];
};

/* Sets o->msg and returns code. */
int exsol_out_fail(exsol_ds_out *o, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* " (reason)" when errno holds one that only a write leaves (a full disk ...). */
const char *exsol_out_write_reason(char *buf, size_t n);
/* A failed netCDF call on the output, in o->msg. */
int exsol_out_nc_err(exsol_ds_out *o, int st, const char *what, const char *name);
/* Chunking along candidate plus zstd on a NETCDF4 output, verified. */
int exsol_out_storage(exsol_ds_out *o, int varid, const char *name, int ndims,
                      const int *dimids, nc_type t);
/* One text attribute. */
int exsol_out_put_text(exsol_ds_out *o, int varid, const char *att, const char *value);
/* Conventions, title, exsol_version and the history line. */
int exsol_out_globals(exsol_ds_out *o, const struct exsol_out_opts *opts);
/* "<UTC time>: <argv>\n" (SOURCE_DATE_EPOCH honoured), malloc'd; NULL when out of memory.
 * The history line of the outputs that do not go through exsol_ds_out (posterior.c). */
char *exsol_history_line(int argc, char *const *argv);
/* HDF5 failed to close a file: runs the program's hook. */
void exsol_nc_close_failed(void);

/* Copies rows [0, nrows) of input variable i of `in` to output varid at row offset. */
int exsol_out_copy_var(exsol_ds_out *o, const exsol_ds *in, size_t i, int out_varid,
                       size_t offset, char *err, size_t errlen);
/* Rows in the output: netCDF's count, or more where stored chunks are still to come. */
int exsol_out_nrows(exsol_ds_out *o, size_t *n);
/* The registered copies of stored chunks, into the temporary netCDF has closed. */
int exsol_out_raw_finish(exsol_ds_out *o, size_t nrows, char *err, size_t errlen);

#endif
