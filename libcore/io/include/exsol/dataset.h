/* The NetCDF data layer: every exsol file is a table over the unlimited dimension
 * `candidate`, with extra fixed dimensions only for curves and distributions.
 *
 * Reading: exsol_ds_open() takes a path or "-". stdin, a pipe, a FIFO or a device is
 * read into memory and opened with nc_open_mem, checked as the bytes arrive and read
 * no further than its header says the file goes (CDF1/2/5: dimensions, variables,
 * record count; NETCDF4: the HDF5 superblock's end address); not NetCDF, cut short,
 * or a classic header without a record count is EXSOL_EFORMAT. Writing: exsol_ds_out_create()
 * takes a path or "-" (stdout):
 *   - a path gets NETCDF4 with chunking along `candidate` and zstd (HDF5 filter
 *     32015, registered in-process; verified with nc_inq_var_filter_ids), written
 *     to a temporary name in the target folder and renamed on a successful
 *     exsol_ds_out_close(); any failure removes the temporary and never touches an
 *     existing file of that name;
 *   - "-" gets uncompressed CDF5 built in memory (nc_create_mem/nc_close_memio) and
 *     written to stdout only once complete. Refused (EXSOL_ETERMINAL) when stdout is
 *     a terminal.
 * Each output copies every variable and attribute of the input through unchanged;
 * the stage adds its own variables. Between NETCDF4 files with the same chunking and
 * filters, whole chunks are copied as they are stored (no zstd either way) when the
 * output is closed, from a descriptor of the input kept open until then (so the
 * input may be closed, or its file renamed or removed, before that). Global attributes:
 * Conventions, title, exsol_version, history (each tool prepends "<UTC ISO time>: <command
 * line>\n", skipped with no_history so golden files are byte-identical).
 *
 * Missing values: a double written as NaN is stored as _FillValue
 * (NC_FILL_DOUBLE, 9.969209968386869e+36) and read back as NaN; ints use
 * NC_FILL_INT. Only rows whose stage status says why may hold them.
 *
 * netCDF-C is not thread-safe: call these outside OpenMP regions (read a block,
 * compute it in parallel, write it). None of these functions print. */
#ifndef EXSOL_DATASET_H
#define EXSOL_DATASET_H

#include "exsol/params.h"

#include <stddef.h>

#define EXSOL_CANDIDATE_DIM "candidate"
#define EXSOL_BLOCK 4096 /* candidates per read/compute/write block */

typedef struct exsol_ds exsol_ds;
typedef struct exsol_ds_out exsol_ds_out;

enum exsol_vkind {
    EXSOL_VK_NONE = 0,   /* no such variable */
    EXSOL_VK_SCALAR = 1, /* numeric, dims (candidate)                  */
    EXSOL_VK_TEXT = 2,   /* char, dims (candidate, strlenN)            */
    EXSOL_VK_CURVE = 3,  /* numeric, dims (candidate, one fixed dim)   */
    EXSOL_VK_OTHER = 4   /* anything else (coordinates, parameters...) */
};

/* ---- reading ---------------------------------------------------------- */

int exsol_ds_open(const char *path, exsol_ds **out, char *err, size_t errlen);
/* Opens a NETCDF4/HDF5 image (file `name`, or `mem` of `size` bytes), reads every
 * attribute and variable, closes it: 0, or -1 on a netCDF error. Corrupt images can
 * crash HDF5 in here; it is meant to run in a child process (exsol_ds_contain_fn). */
int exsol_ds_read_everything(const char *name, void *mem, size_t size);
/* Called by exsol_ds_open before it reads a NETCDF4 input (a regular file by `name`,
 * or a stream image in `mem`): EXSOL_OK to go on, or an error code with the message
 * in err ("label is corrupt ..."). NULL (the default): no check. Set it once, before
 * any file is opened; tools/common/cli.c runs exsol_ds_read_everything in a child. */
typedef int (*exsol_ds_contain_fn)(const char *name, void *mem, size_t size, const char *label,
                                   char *err, size_t errlen);
void exsol_ds_set_contain_hook(exsol_ds_contain_fn hook);
void exsol_ds_close(exsol_ds *ds); /* accepts NULL */

const char *exsol_ds_path(const exsol_ds *ds); /* "-" for stdin */
size_t exsol_ds_ncandidates(const exsol_ds *ds);
size_t exsol_ds_nvars(const exsol_ds *ds);
const char *exsol_ds_var_name(const exsol_ds *ds, size_t i);
enum exsol_vkind exsol_ds_var_kind(const exsol_ds *ds, const char *name);
/* Number of values per candidate (1 for scalars, the curve length, the string
 * width for text). EXSOL_EMISSINGVAR if absent. */
int exsol_ds_var_inner(const exsol_ds *ds, const char *name, size_t *inner, char *err,
                       size_t errlen);
/* Name of a curve's fixed dimension (NULL if not a curve). */
const char *exsol_ds_var_dim(const exsol_ds *ds, const char *name);
int exsol_ds_dim_len(const exsol_ds *ds, const char *dim, size_t *len);

/* Reads rows [start, start+count) of a numeric variable into buf
 * (count*inner values, row-major), converting to double; fill -> NaN.
 * EXSOL_EMISSINGVAR (message names the variable) if absent, EXSOL_EFORMAT if it
 * is text or has the wrong shape. */
int exsol_ds_read_double(const exsol_ds *ds, const char *name, size_t start, size_t count,
                         double *buf, char *err, size_t errlen);
int exsol_ds_read_int(const exsol_ds *ds, const char *name, size_t start, size_t count,
                      int *buf, char *err, size_t errlen);
/* Text rows, each NUL-terminated into a slot of `width` bytes (truncated if longer). */
int exsol_ds_read_text(const exsol_ds *ds, const char *name, size_t start, size_t count,
                       char *buf, size_t width, char *err, size_t errlen);
/* A whole non-record variable (e.g. a coordinate) as doubles; n = its size. */
int exsol_ds_read_fixed(const exsol_ds *ds, const char *name, double *buf, size_t n, char *err,
                        size_t errlen);
/* Attributes; var NULL means global. EXSOL_EMISSINGVAR if absent; EXSOL_EFORMAT if
 * not of the kind asked for (text: one string or chars; double: exactly one number). */
int exsol_ds_get_att_text(const exsol_ds *ds, const char *var, const char *att, char *buf,
                          size_t buflen);
int exsol_ds_get_att_double(const exsol_ds *ds, const char *var, const char *att, double *v);

/* ---- writing ---------------------------------------------------------- */

/* How a NETCDF4 file's per-candidate variables are compressed. zstd (the default,
 * HDF5 filter 32015) is the fastest and smallest, but a reader needs the zstd plugin
 * and netCDF builds without zstd (Debian's) cannot write it back (NCO's ncks/ncap2
 * fail); deflate (zlib) is what every netCDF build reads and writes; none leaves the
 * chunks uncompressed. Streams (CDF5) are never compressed. */
enum exsol_compression { EXSOL_COMPRESS_ZSTD = 0, EXSOL_COMPRESS_DEFLATE, EXSOL_COMPRESS_NONE };

struct exsol_out_opts {
    const char *title; /* global `title` (set only if the input has none) */
    int no_history;    /* 1: leave `history` as in the input */
    int argc;          /* command line recorded in `history` */
    char *const *argv;
    int zstd_level;  /* 0 = default (1) */
    int force_cdf5;  /* write CDF5 even to a file (tests, ncrcat-friendly) */
    int compression; /* enum exsol_compression (0: zstd) */
};

/* Creates the output and copies the input's dimensions, variables and attributes
 * (definitions now, data at enddef). copy_from may be NULL (exsol-gen).
 * The candidate count of the output equals copy_from's unless rows are written
 * beyond it. */
int exsol_ds_out_create(const char *path, const exsol_ds *copy_from,
                        const struct exsol_out_opts *opts, exsol_ds_out **out, char *err,
                        size_t errlen);

/* A fixed dimension with a coordinate variable of the same name (values in SI).
 * Re-defining an existing dimension of the same length and values is a no-op;
 * a different length is EXSOL_EFORMAT. */
int exsol_ds_out_def_coord(exsol_ds_out *o, const char *dim, size_t len, const char *units,
                           const char *long_name, const double *values);
/* A variable on a fixed dimension alone, the same for every candidate (e.g. the
 * width of each radius bin next to the `radius_bin` coordinate); `dim` must already
 * exist (exsol_ds_out_def_coord, or copied from the input). Values (SI, one per
 * element of `dim`) are copied now and written at enddef. */
int exsol_ds_out_def_fixed(exsol_ds_out *o, const char *name, const char *dim,
                           const char *units, const char *long_name, const double *values);
/* Per-candidate variables. inner_dim: NULL for scalars, or a dimension defined
 * with exsol_ds_out_def_coord for curves/distributions. units in UDUNITS syntax
 * ("1" for dimensionless). Defining a name that already exists (e.g. copied from
 * the input) is EXSOL_EFORMAT: a later tool never rewrites an earlier one's. */
int exsol_ds_out_def_double(exsol_ds_out *o, const char *name, const char *inner_dim,
                            const char *units, const char *long_name);
int exsol_ds_out_def_int(exsol_ds_out *o, const char *name, const char *units,
                         const char *long_name);
/* Text variables get _Encoding = "utf-8" (xarray then reads str, not bytes). */
int exsol_ds_out_def_text(exsol_ds_out *o, const char *name, size_t width,
                          const char *long_name);
/* An int every row sets (a status, the candidate id): no _FillValue, so readers
 * such as xarray keep it an integer (CF: a coordinate variable has no missing
 * values). */
int exsol_ds_out_def_int_set(exsol_ds_out *o, const char *name, const char *units,
                             const char *long_name);
/* Attributes on a variable or (var NULL) the file. */
int exsol_ds_out_put_att_text(exsol_ds_out *o, const char *var, const char *att,
                              const char *value);
int exsol_ds_out_put_att_double(exsol_ds_out *o, const char *var, const char *att,
                                double value);
/* An attribute of n > 0 ints (e.g. CF flag_values, flag_masks). */
int exsol_ds_out_put_att_ints(exsol_ds_out *o, const char *var, const char *att,
                              const int *values, size_t n);
/* Records a stage's parameters: a scalar int variable "<stage>_parameters" with
 * one double attribute per parameter (SI) plus "<name>_units", "<name>_origin"
 * (default/file/--set) and "<name>_source" text attributes. */
int exsol_ds_out_put_params(exsol_ds_out *o, const exsol_params *p);

/* A stream output (stdout, a FIFO, a device: CDF5 built in memory, written at close)
 * of nrows rows of the variables defined so far: EXSOL_ENOMEM with the figures when it
 * needs more than EXSOL_MEMORY_LIMIT (bytes; K, M, G, T suffixes) or, unset, the
 * memory available (MemAvailable, a cgroup's memory.max); EXSOL_EUSAGE for a
 * malformed EXSOL_MEMORY_LIMIT. A file output (written in blocks) always passes.
 * exsol_ds_out_enddef checks it for the input's row count. */
int exsol_ds_out_check_memory(exsol_ds_out *o, size_t nrows, char *err, size_t errlen);
/* Ends definitions and copies the input's data through. */
int exsol_ds_out_enddef(exsol_ds_out *o, char *err, size_t errlen);

int exsol_ds_out_write_double(exsol_ds_out *o, const char *name, size_t start, size_t count,
                              const double *buf, char *err, size_t errlen);
int exsol_ds_out_write_int(exsol_ds_out *o, const char *name, size_t start, size_t count,
                           const int *buf, char *err, size_t errlen);
int exsol_ds_out_write_text(exsol_ds_out *o, const char *name, size_t start, size_t count,
                            const char *buf, size_t width, char *err, size_t errlen);

/* Completes the output: file -> close, rename into place; "-" -> write to stdout.
 * On failure nothing is left behind. Frees o in every case. */
int exsol_ds_out_close(exsol_ds_out *o, char *err, size_t errlen);
/* The first half of exsol_ds_out_close, for a run with several outputs that are
 * committed only when all of them are good (DESIGN.md §4): everything that can fail
 * on the data (the file closed into its temporary and made durable, or the stream
 * form built in memory), nothing put in place yet. Then exsol_ds_out_close puts it
 * in place (a rename, or writing the stream form to stdout or its device), or
 * exsol_ds_out_abort discards it. On failure o is left for exsol_ds_out_abort. */
int exsol_ds_out_finish(exsol_ds_out *o, char *err, size_t errlen);
/* Discards the output (removes the temporary file). Accepts NULL. */
void exsol_ds_out_abort(exsol_ds_out *o);

/* Called (once or more) when HDF5 failed to close a file: HDF5 1.10.8 then crashes in
 * its own exit handler, so a program registers here whatever must run before it
 * (tools/common/cli.c leaves with exit()'s status). NULL: nothing. Not thread-safe;
 * set it before any file is opened. */
void exsol_ds_set_close_failed_hook(void (*hook)(void));

/* Appends every candidate row of `in` after the rows already in the output, for
 * the variables copied from copy_from (exsol-cat: merging shards). `in` must have
 * the same variables (names, types, dimensions) as copy_from, and identical
 * non-candidate variables (coordinates, parameters); otherwise EXSOL_EFORMAT.
 * Call after exsol_ds_out_enddef. */
int exsol_ds_out_append(exsol_ds_out *o, const exsol_ds *in, char *err, size_t errlen);
/* The message of the last failure of a def_/put_ call (the functions above
 * that have no err buffer); "" if none. Never NULL. */
const char *exsol_ds_out_errmsg(const exsol_ds_out *o);

/* Registers the zstd HDF5 filter (id 32015) in this process; idempotent. */
int exsol_zstd_register(void);

#endif
