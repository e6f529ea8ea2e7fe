/* The stage layer: what every filter tool (exsol-reduce, -transport, -magnet) does,
 * once. A stage reads a block of rows of its input, computes every row (in parallel,
 * OpenMP), and writes the block of its output variables; the output variables are
 * the stage's schema (libcore/schema/<stage>.csv), defined and written here in the
 * schema's order, so the stage's own code only fills values.
 *
 *   setup     type->create  (parameters, models, open and check the input)
 *   define    exsol_stage_define  (coordinates, fixed and per-row variables, attributes)
 *   run       exsol_stage_run     (per block: type->read, then type->row for every row in
 *                                 parallel, or type->block; then write the block)
 *
 * netCDF-C is not thread-safe: read and write happen outside the parallel region.
 * Nothing here prints or exits: errors are EXSOL_* codes with a message in the
 * caller's buffer, progress goes through a callback (tools/common draws the bar).
 *
 * exsol-gen (no input file) and exsol-table (text on a stream) have their own
 * entry points at the end: exsol_gen_* (gen.c) and exsol_table_print (table.c). */
#ifndef EXSOL_STAGE_H
#define EXSOL_STAGE_H

#include "exsol/dataset.h"
#include "exsol/params.h"
#include "exsol/schema.h"

#include <stddef.h>
#include <stdio.h>

/* The one definition of the missing values (dataset.h: doubles are written as NaN
 * and stored as _FillValue; ints are stored as they are). */
#define EXSOL_FILL_INT (-2147483647)            /* NC_FILL_INT */
#define EXSOL_FILL_DOUBLE 9.969209968386869e+36 /* NC_FILL_DOUBLE, as stored */

/* Per-candidate status of a stage (`<stage>_status`, docs/schema.md). */
enum exsol_row_status {
    EXSOL_ROW_OK = 0,       /* computed */
    EXSOL_ROW_SOLVER = 1,   /* runtime (solver) failure */
    EXSOL_ROW_INVALID = 2,  /* unphysical or invalid input row */
    EXSOL_ROW_UPSTREAM = 3, /* an earlier stage failed for the row */
    EXSOL_ROW_NA = 4        /* not applicable (e.g. gen row infeasible) */
};

/* The row status for a physics error code: EXSOL_EVALUE is an invalid row, anything
 * else a runtime failure. */
int exsol_row_status_of(int rc);

/* One block of output rows: var[v] holds count × inner[v] values of schema variable v
 * (double, int, or inner[v] chars a row for text), row-major; NULL for coordinates
 * and fixed variables. Before a row is computed, every value of it is the fill
 * (NaN, EXSOL_FILL_INT, ""). */
struct exsol_block {
    size_t start, count;
    void *const *var;
    const size_t *inner;
};

static inline double *exsol_block_double(const struct exsol_block *b, int v, size_t k)
{
    return (double *)b->var[v] + k * b->inner[v];
}
static inline int *exsol_block_int(const struct exsol_block *b, int v, size_t k)
{
    return (int *)b->var[v] + k * b->inner[v];
}
static inline char *exsol_block_text(const struct exsol_block *b, int v, size_t k)
{
    return (char *)b->var[v] + k * b->inner[v];
}

/* Progress: tick(ctx, rows) as rows are done; may be called from inside the parallel
 * region (the callee is thread-safe). */
struct exsol_stage_progress {
    void (*tick)(void *ctx, size_t rows);
    void *ctx;
};

/* What a stage provides (libcore/stages/<stage>.c). `ctx` is the stage's own state. */
struct exsol_stage_type {
    const char *name;   /* "transport": progress label */
    const char *title;  /* global title of a new output, e.g. "exsol transport screen" */
    const char *failed; /* summary wording: "<n> rows, <k> <failed>" */
    const struct exsol_schema *schema;
    /* Loads parameters and models from `p`, opens `input` ("-" = stdin) and checks it.
     * `opts` is the stage's option struct (or NULL). On failure: an EXSOL_* code,
     * a message in err ("" for a bare EXSOL_ENOMEM), *ctx may be set (destroy it). */
    int (*create)(void **ctx, const exsol_params *p, const char *input, const void *opts,
                  char *err, size_t errlen);
    void (*destroy)(void *ctx); /* accepts NULL */
    const exsol_ds *(*input)(const void *ctx);
    size_t (*nrows)(const void *ctx);
    /* A debug note on the input (e.g. an optional variable is absent), or "". May be NULL. */
    const char *(*note)(const void *ctx);
    /* The values (SI) and length of a coordinate or fixed variable `name`, or of the
     * dimension `name` of a curve; NULL with *len = 0 if unknown. */
    const double *(*values)(const void *ctx, const char *name, size_t *len);
    /* The number "{=key}" stands for in a schema comment or attribute. May be NULL. */
    int (*number)(const void *ctx, const char *key, double *v);
    /* Reads the input rows [start, start + count) into the stage's buffers. */
    int (*read)(void *ctx, size_t start, size_t count, char *err, size_t errlen);
    /* Computes row k of the block; returns 1 if the row failed (it is counted), 0 if
     * not. Called in parallel for the rows of a block. */
    int (*row)(void *ctx, const struct exsol_block *b, size_t k);
    /* Or: computes the whole block with its own parallel code, ticks progress for the
     * rows it does, and returns the number of failed rows. Used when `row` is NULL. */
    size_t (*block)(void *ctx, const struct exsol_block *b,
                    const struct exsol_stage_progress *pr);
};

/* The stages of the chain. */
extern const struct exsol_stage_type exsol_stage_reduce;
extern const struct exsol_stage_type exsol_stage_transport;
extern const struct exsol_stage_type exsol_stage_magnet;

/* Options of exsol_stage_reduce (its `opts`). */
struct exsol_stage_reduce_opts {
    int dense_fd; /* dense matrix with CVODE's finite-difference Jacobian */
};

/* Defines t's schema in o (after exsol_ds_out_create, before exsol_ds_out_enddef).
 * Returns 0 or the EXSOL_* code of the failing definition (exsol_ds_out_errmsg). */
int exsol_stage_define(const struct exsol_stage_type *t, const void *ctx, exsol_ds_out *o);

/* The same for a schema alone (a stage with its own row loop, e.g. gen.c): t may
 * be NULL when the schema needs no coordinate values and no "{=key}" numbers. */
int exsol_schema_define(const struct exsol_schema *s, const struct exsol_stage_type *t,
                        const void *ctx, exsol_ds_out *o);

/* Runs every row through t, writing its per-row variables to o (after enddef).
 * *nrows = rows, *nfail = failed rows, *compute_s = seconds spent computing (not
 * reading or writing). pr may be NULL. */
int exsol_stage_run(const struct exsol_stage_type *t, void *ctx, exsol_ds_out *o,
                    const struct exsol_stage_progress *pr, size_t *nrows, size_t *nfail,
                    double *compute_s, char *err, size_t errlen);

/* Helpers for the stages' create and read. */
/* EXSOL_EMISSINGVAR with "input has no per-candidate <variable|text variable> '<name>'
 * (<hint>)" unless `name` is a per-candidate variable of that kind. */
int exsol_stage_need(const exsol_ds *ds, const char *name, enum exsol_vkind kind,
                     const char *hint, char *err, size_t errlen);
/* EXSOL_EFORMAT naming the variable and both units when a variable some stage's
 * schema declares (libcore/schema/<stage>.csv) has a `units` attribute other than the
 * schema's ("degC" for a kelvin T_anneal): exsol reads values in its own units and
 * converts nothing. A variable without a `units` attribute passes. */
int exsol_stage_check_units(const exsol_ds *ds, char *err, size_t errlen);
/* Reads `n` per-candidate double variables names[i] into bufs[i]. */
int exsol_stage_read_doubles(const exsol_ds *ds, const char *const *names, size_t n,
                             size_t start, size_t count, double *const *bufs, char *err,
                             size_t errlen);

/* exsol-gen, the first stage of the chain: it has no input file, so it is not an
 * exsol_stage_type; libcore/stages/gen.c stages the compositions and process lists
 * and writes the rows (in its own order: see gen.c). */
#define EXSOL_GEN_NPROC 5 /* temperature, time, H2, H2O, thickness (EXSOL_GRID_NPROC) */
struct exsol_stage_gen_opts {
    const char **formulas; /* --composition, in order */
    size_t n_formulas;
    const char **valence; /* --valence EL=V */
    size_t n_valence;
    const char *grid_path;             /* --grid, or NULL */
    const char *proc[EXSOL_GEN_NPROC]; /* the process flags as given, or NULL */
};
/* The process flags' names, "--temperature" ... "--thickness". */
extern const char *const exsol_gen_proc_flag[EXSOL_GEN_NPROC];

/* Notes the library cannot print itself: level and one formatted line. */
enum { EXSOL_NOTE_WARN, EXSOL_NOTE_INFO, EXSOL_NOTE_DEBUG, EXSOL_NOTE_ERROR };
struct exsol_stage_notes {
    void (*note)(void *ctx, int level, const char *msg);
    void *ctx;
};

typedef struct exsol_gen exsol_gen;
/* Parses and checks everything (compositions, grid, process lists, row count) before
 * any output exists; `opts` and `notes` must outlive *g. On failure *g may be set. */
int exsol_gen_create(exsol_gen **g, const exsol_params *p,
                     const struct exsol_stage_gen_opts *opts,
                     const struct exsol_stage_notes *notes, char *err, size_t errlen);
void exsol_gen_free(exsol_gen *g); /* accepts NULL */
void exsol_gen_counts(const exsol_gen *g, size_t *ncomp, size_t *nproc, size_t *infeasible);
/* Defines the schema and the parameters `p` in o (just created), ends the definitions
 * and writes every row; the caller closes or aborts o. */
int exsol_gen_write(const exsol_gen *g, exsol_ds_out *o, const exsol_params *p, char *err,
                    size_t errlen);

/* exsol-table: prints the chosen variables of `ds` to `out` (libcore/stages/table.c). */
struct exsol_stage_table_opts {
    const char *vars;  /* -v list (comma-separated), NULL for the default columns */
    const char *input; /* the input's name for messages ("-" = stdin) */
    long nrows;        /* -n, -1: all */
    long row;          /* --row, -1: table mode */
    int csv, header, list;
};
/* Returns 0 or an EXSOL_* code (exsol_exit_code gives the status); every error has
 * already been passed to `notes` (EXSOL_NOTE_ERROR) when it happened. */
int exsol_table_print(const exsol_ds *ds, const struct exsol_stage_table_opts *o, FILE *out,
                      const struct exsol_stage_notes *notes);

#endif
