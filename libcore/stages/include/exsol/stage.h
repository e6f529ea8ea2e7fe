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
 * entry points at the end: exsol_gen_* (gen.c) and exsol_table_print (table.c);
 * exsol-rank is a stage type with several inputs and two outputs, exsol_rank_write
 * (rank.c). */
#ifndef EXSOL_STAGE_H
#define EXSOL_STAGE_H

#include "exsol/dataset.h"
#include "exsol/params.h"
#include "exsol/rank.h"
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
struct exsol_stage_block_stats {
    size_t start, count, nfail; /* the block's rows and how many failed */
    double compute_s;           /* seconds computing it (not reading or writing) */
    const char *status_var;     /* the stage's <stage>_status variable, or NULL */
    size_t status[5];           /* rows of the block with status 0..4 (enum exsol_row_status) */
};
struct exsol_stage_progress {
    void (*tick)(void *ctx, size_t rows);
    void *ctx;
    /* After each block is written (may be NULL): what -v reports. */
    void (*block_done)(void *ctx, const struct exsol_stage_block_stats *s);
};

/* The first member of every stage's ctx, set by its create: what the block loop and
 * the tools read of any stage. */
struct exsol_stage_ctx {
    const exsol_ds *input; /* the input the output copies */
    size_t nrows;          /* rows to write */
    const char *note; /* a debug note on the input (an optional variable is absent), or "" */
};
static inline const struct exsol_stage_ctx *exsol_stage_ctx_of(const void *ctx)
{
    return (const struct exsol_stage_ctx *)ctx;
}

/* What a stage provides (libcore/stages/<stage>.c). `ctx` is the stage's own state,
 * a struct whose first member is a struct exsol_stage_ctx. */
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
    /* 1 if the schema variable v is left out of this run's output (neither defined nor
     * written: its b->var[v] is NULL). May be NULL: every variable is written. */
    int (*omit)(const void *ctx, int v);
};

/* The stages of the chain. */
extern const struct exsol_stage_type exsol_stage_reduce;
extern const struct exsol_stage_type exsol_stage_transport;
extern const struct exsol_stage_type exsol_stage_magnet;
extern const struct exsol_stage_type exsol_stage_rank;

/* Options of exsol_stage_reduce (its `opts`). */
struct exsol_stage_reduce_opts {
    int dense_fd; /* dense matrix with CVODE's finite-difference Jacobian */
};

/* Options of exsol_stage_rank (its `opts`; create ignores `input`). */
#define EXSOL_RANK_DEFAULT_COLUMNS                                                             \
    "rank,candidate,formula,dopant,dopant_fraction,A_vacancy,T_anneal,t_anneal,p_H2,p_H2O,"    \
    "thickness,substrate,log10_rho_ratio,M_300K_1T_reduced,spm_300K_reduced,dual_switch,"      \
    "pareto_rank,crowding_distance,score,rank_reason,physics_twin_of"
/* (p_H2, p_H2O, thickness and substrate only when their values vary over the rows) */
struct exsol_stage_notes;
struct exsol_stage_rank_opts {
    const char *const *inputs; /* the shards of one screen, in order ("-" = stdin, once) */
    size_t ninputs;
    const char *netcdf;  /* NetCDF output (the inputs + the rank variables), or NULL */
    const char *tsv;     /* the sorted table, or NULL */
    const char *columns; /* table columns (comma separated), NULL: the default ones */
    long top;            /* only the best `top` ranked rows in the table (0 = all) */
    int all;             /* also list excluded rows, after the ranked ones */
    /* -i/-e EXPR (exsol/expr.h) over the input's variables: the rows it leaves out are
     * excluded from the ranking; NULL: every row (at most one of the two) */
    const char *include, *exclude;
    const struct exsol_stage_notes *notes; /* the summary and debug notes */
};
/* After create (which reads and ranks the whole screen): writes the NetCDF output
 * (schema, the parameters `p`, every shard, the rank variables) and the table. */
int exsol_rank_write(void *ctx, const struct exsol_out_opts *oo, const exsol_params *p,
                     char *err, size_t errlen);

/* Defines t's schema in o (after exsol_ds_out_create, before exsol_ds_out_enddef).
 * Returns 0 or the EXSOL_* code of the failing definition (exsol_ds_out_errmsg). */
int exsol_stage_define(const struct exsol_stage_type *t, const void *ctx, exsol_ds_out *o);

/* The same for a schema alone (a stage with its own row loop, e.g. gen.c): t may
 * be NULL when the schema needs no coordinate values and no "{=key}" numbers. */
int exsol_schema_define(const struct exsol_schema *s, const struct exsol_stage_type *t,
                        const void *ctx, exsol_ds_out *o);
/* The same without the variables v where omit[v] != 0 (omit NULL: all of them). */
int exsol_schema_define_omit(const struct exsol_schema *s, const struct exsol_stage_type *t,
                             const void *ctx, exsol_ds_out *o, const unsigned char *omit);

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
    const char *substrate;             /* --substrate NAME[,NAME...], or NULL */
    const char *strain;                /* --strain EPS[,EPS...] (number or %), or NULL */
};
/* 1 for the gen variables written only when a substrate or strain is given (substrate,
 * substrate_lattice_parameter, film_lattice_parameter, misfit_strain) or when some
 * formula has two dopants (dopant2, dopant2_fraction, dopant2_valence): a file without
 * them is a strain-free, one-dopant screen, byte for byte what gen wrote before they
 * existed. */
int exsol_gen_var_optional(int v);
/* The process flags' names, "--temperature" ... "--thickness". */
extern const char *const exsol_gen_proc_flag[EXSOL_GEN_NPROC];

/* Notes the library cannot print itself: level and one formatted line. */
enum { EXSOL_NOTE_WARN, EXSOL_NOTE_INFO, EXSOL_NOTE_DEBUG, EXSOL_NOTE_ERROR };
struct exsol_stage_notes {
    void (*note)(void *ctx, int level, const char *msg);
    void *ctx;
};
/* Formats one note (at most 2047 characters) and hands it to n; n may be NULL. */
void exsol_stage_notef(const struct exsol_stage_notes *n, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One stage from file `in` to file `out` (the path exsol-window and exsol-ensemble
 * drive the chain in-process with): `in` is unlinked once the stage has it open. */
int exsol_stage_run_files(const struct exsol_stage_type *t, const exsol_params *p,
                          const void *opts, const char *in, const char *out,
                          const struct exsol_out_opts *oo, char *err, size_t errlen);

/* ---- the chain in-process (libcore/stages/chain.c) ---------------------------------
 * How exsol-window (a round of points) and exsol-ensemble (a member) run the chain:
 * the caller writes a gen-schema file at path[0], exsol_stage_run_chain runs reduce,
 * transport and magnet through path[1..3] (each file unlinked once the next stage has
 * it open) and opens the last one, and exsol_stage_rank_rows_read gives exsol-rank's
 * inputs of its rows for exsol_rank_row_flags. */
#define EXSOL_CHAIN_PATH_MAX 600
/* <tmpdir>/<prog>.<pid>.<seq>.{gen,reduce,transport,magnet}.nc */
int exsol_stage_chain_paths(const char *tmpdir, const char *prog, unsigned long seq,
                            char path[4][EXSOL_CHAIN_PATH_MAX], char *err, size_t errlen);
/* The four round files are removed by a fatal signal from here until unguard, also
 * after one has been renamed into place and before the next stage has unlinked it
 * (exsol_af_scratch_add). Unguard whatever happened in between. */
void exsol_stage_chain_guard(char path[4][EXSOL_CHAIN_PATH_MAX], int slot[4]);
void exsol_stage_chain_unguard(int slot[4]);
/* *out: the magnet output, open (its file already unlinked), checked to hold n rows
 * ("a <what>'s file lost rows" otherwise); NULL on error. */
int exsol_stage_run_chain(const exsol_params *p, char path[4][EXSOL_CHAIN_PATH_MAX], size_t n,
                          const char *what, const struct exsol_out_opts *oo, exsol_ds **out,
                          char *err, size_t errlen);
/* A newly allocated scalar column (*out, caller frees, also on error); a missing one is
 * "the chain wrote no 'NAME' (<who> needs it)". */
int exsol_stage_read_column(const exsol_ds *ds, const char *name, size_t n, const char *who,
                            double **out, char *err, size_t errlen);
enum {
    EXSOL_RR_RATIO, /* log10_rho_ratio */
    EXSOL_RR_M,     /* M_300K_1T_reduced */
    EXSOL_RR_SPM,   /* spm_300K_reduced */
    EXSOL_RR_MP,    /* M_300K_1T_pristine */
    EXSOL_RR_TOL,   /* tolerance_factor */
    EXSOL_RR_TAU,   /* bartel_tau */
    EXSOL_RR_FEAS,  /* feasible */
    EXSOL_RR_T,     /* T_anneal */
    EXSOL_RR_TS,    /* t_anneal */
    EXSOL_RR_MET,   /* metallic_reduced */
    EXSOL_RR_INS,   /* insulating_pristine */
    EXSOL_RR_NCOL
};
/* exsol-rank's inputs of n rows: the columns as read (col), the 0/1 verdicts as rank
 * reads them (missing = -1), and a row excluded where any *_status is not 0. */
struct exsol_stage_rank_rows {
    struct exsol_rank_input in; /* points into the arrays below */
    double *col[EXSOL_RR_NCOL];
    int *spm, *feas, *ins, *met;
    unsigned char *excl;
};
int exsol_stage_rank_rows_read(const exsol_ds *ds, size_t n, const char *who,
                               struct exsol_stage_rank_rows *r, char *err, size_t errlen);
void exsol_stage_rank_rows_free(struct exsol_stage_rank_rows *r); /* also after an error */

typedef struct exsol_gen exsol_gen;
/* Parses and checks everything (compositions, grid, process lists, row count) before
 * any output exists (no composition and no grid is EXSOL_EUSAGE); `opts` and `notes` must
 * outlive *g. On failure *g may be set. */
int exsol_gen_create(exsol_gen **g, const exsol_params *p,
                     const struct exsol_stage_gen_opts *opts,
                     const struct exsol_stage_notes *notes, char *err, size_t errlen);
void exsol_gen_free(exsol_gen *g); /* accepts NULL */
void exsol_gen_counts(const exsol_gen *g, size_t *ncomp, size_t *nproc, size_t *infeasible);
/* Creates the output `path` (oo: history, title), defines the schema and the
 * parameters `p`, writes every row and puts the file in place, then notes the
 * summary line (EXSOL_NOTE_INFO); on failure nothing is left at `path`. */
int exsol_gen_write(const exsol_gen *g, const char *path, const struct exsol_out_opts *oo,
                    const exsol_params *p, char *err, size_t errlen);

/* exsol-table: prints the chosen variables of `ds` to `out` (libcore/stages/table.c). */
struct exsol_stage_table_opts {
    const char *vars;              /* -v list (comma-separated), NULL for the default columns */
    const char *input;             /* the input's name for messages ("-" = stdin) */
    long nrows;                    /* -n: at most this many rows printed, -1: all */
    long row;                      /* --row, -1: table mode */
    const char *include, *exclude; /* -i/-e EXPR (exsol/expr.h), NULL: every row */
    int csv, header, list;
};
/* Returns 0 or an EXSOL_* code (exsol_exit_code gives the status); every error has
 * already been passed to `notes` (EXSOL_NOTE_ERROR) when it happened. */
int exsol_table_print(const exsol_ds *ds, const struct exsol_stage_table_opts *o, FILE *out,
                      const struct exsol_stage_notes *notes);

/* Rows of a gen-schema input, held in memory (libcore/stages/window.c): every
 * per-candidate variable of libcore/schema/gen.csv, so a stage can write a new
 * gen-schema dataset of chosen rows with their anneal temperature and time replaced
 * (the window search feeds such files to reduce). No physics. */
typedef struct exsol_gen_rows exsol_gen_rows;
/* EXSOL_EMISSINGVAR ("input is not exsol-gen output: ...") when `ds` lacks one of
 * the gen variables; more variables (a later stage's) are allowed. */
int exsol_gen_rows_load(const exsol_ds *ds, exsol_gen_rows **out, char *err, size_t errlen);
void exsol_gen_rows_free(exsol_gen_rows *r); /* accepts NULL */
size_t exsol_gen_rows_count(const exsol_gen_rows *r);
/* 1 when rows a and b hold the same values in every gen variable but T_anneal and
 * t_anneal (one film, two anneals). */
int exsol_gen_rows_same_film(const exsol_gen_rows *r, size_t a, size_t b);
/* 1 when the input carries gen variable v (an index of exsol_schema_gen: an optional
 * one such as substrate may be absent). */
int exsol_gen_rows_has(const exsol_gen_rows *r, int v);
/* Orders rows a and b by the gen variables vars[0..nv) (exsol_schema_gen indices; the
 * ones the input lacks are skipped), text by strcmp, numbers by their bits; 0 when
 * they agree in all of them. */
int exsol_gen_rows_cmp(const exsol_gen_rows *r, const int *vars, size_t nv, size_t a, size_t b);
/* A text or double gen variable of row i ("formula", "p_H2" ...); "" / NaN if not a
 * gen variable of that kind. */
const char *exsol_gen_rows_text(const exsol_gen_rows *r, const char *name, size_t i);
double exsol_gen_rows_double(const exsol_gen_rows *r, const char *name, size_t i);
/* Writes a gen-schema dataset to `path` (exsol_ds_out_create, so atomically): row k
 * is input row rows[k] with T_anneal = T_K[k] and t_anneal = t_s[k]. */
int exsol_gen_rows_write(const exsol_gen_rows *r, const size_t *rows, const double *T_K,
                         const double *t_s, size_t n, const char *path,
                         const struct exsol_out_opts *oo, char *err, size_t errlen);

/* exsol-window (libcore/stages/window.c): for each film of a gen-schema input, the
 * dual-switch window in the anneal T-t plane, by the search of exsol/window.h, every
 * point evaluated by the chain's own stages (exsol_stage_reduce, _transport,
 * _magnet, then the rank verdict exsol_rank_row_flags) on temporary files. */
struct exsol_stage_window_opts {
    double T_lo_K, T_hi_K; /* search range */
    double T_tol_K;        /* lattice step = temperature tolerance */
    double T_step_K;       /* coarse scan step (rounded to T_tol_K times a power of two) */
    double t_lo_s, t_hi_s; /* time range */
    double t_tol;          /* relative: samples t_k+1 = (1 + t_tol) t_k */
    int refine_reasons;    /* also bisect where the reasons of failing change */
    const char *tmpdir;    /* folder of the round files (NULL: $TMPDIR or /tmp) */
    /* the gas axis: 0 < h2_lo_Pa < h2_hi_Pa searches, per film, the lowest p_H2 (log
     * bisection to the relative h2_tol) at which the T-t search finds a window; 0: off */
    double h2_lo_Pa, h2_hi_Pa, h2_tol;
    /* the ensemble form (NULL: off): a point switches when at least the fraction p_min
     * of these members (the same for every point and film) give exsol-rank's dual
     * switch; members_desc says in words where they came from (a file attribute) */
    const struct exsol_members *members;
    double p_min;
    const char *members_desc;
};
typedef struct exsol_window exsol_window;
/* Opens and checks the input, groups its rows into films and sets up the lattice. */
int exsol_window_create(exsol_window **w, const exsol_params *p, const char *input,
                        const struct exsol_stage_window_opts *o,
                        const struct exsol_stage_notes *notes, char *err, size_t errlen);
void exsol_window_free(exsol_window *w); /* accepts NULL */
/* Runs the search (every round through the stages). */
int exsol_window_run(exsol_window *w, char *err, size_t errlen);
/* Defines the window schema and the parameters in o (just created with no input to
 * copy), ends the definitions and writes one row per film; the caller closes o. */
int exsol_window_write(const exsol_window *w, exsol_ds_out *o, const exsol_params *p, char *err,
                       size_t errlen);
struct exsol_window_totals {
    size_t films, with_window, failed;
    size_t rounds, integrations, evaluations;   /* the search */
    size_t grid_integrations, grid_evaluations; /* the brute grid, same lattice */
    size_t nT, nt, stride;                      /* lattice */
};
void exsol_window_totals(const exsol_window *w, struct exsol_window_totals *t);
/* The defaults of the search: 450-1000 C at 5 K (coarse 40 K), 0.1-100 h at 10 %. */
void exsol_stage_window_opts_default(struct exsol_stage_window_opts *o);
/* One info note with the totals and the search's cost against the brute grid. */
void exsol_window_note_totals(const exsol_window *w, double seconds);

/* ---- ensemble (exsol-ensemble, libcore/stages/ensemble.c) -------------------------
 * Every row of a gen-schema input under every member of an exsol_members set (the same
 * members for every row: common random numbers), each member through the chain's own
 * stages in-process (exsol_stage_run_files: reduce, transport, magnet on temporary
 * files) and the rank verdict row by row (exsol_rank_row_flags). Per row: the
 * fractions of members with a metallic switch (pristine compensated insulator,
 * reduced degenerate metal, ratio constraint met), a 300 K superparamagnet
 * (spm_300K_reduced) and a dual switch (exsol-rank's dual_switch), with a Wilson 90 %
 * interval on the last, and p10/p50/p90 over members of log10_rho_ratio,
 * M_300K_1T_reduced, surface_particle_density and surface_mean_diameter. A member on
 * which a stage fails for a row counts as no switch there (as exsol-rank excludes the
 * row) and is counted in `failed`; its values are left out of the percentiles.
 *
 * The rows run in blocks of block_rows: every member over one block, the block reduced
 * to its rows' summaries (and its lines of the streamed tables, exsol_ensemble_stream),
 * then the next block; the members do not depend on the rows, so the outputs are those
 * of one block of every row, byte for byte. What stays per row is the input's rows and
 * one summary (a few tens of numbers); members x rows is held only when asked for
 * (exsol_ensemble_keep_members: the NetCDF member dimension, the family table). */
struct exsol_members;
#define EXSOL_ENSEMBLE_BLOCK_ROWS 1024 /* the default rows per block */
struct exsol_stage_ensemble_opts {
    const char *tmpdir; /* folder of the member files (NULL: $TMPDIR or /tmp) */
    size_t block_rows;  /* rows per block (0: EXSOL_ENSEMBLE_BLOCK_ROWS) */
};
typedef struct exsol_ensemble exsol_ensemble;
int exsol_ensemble_create(exsol_ensemble **e, const exsol_params *p, const char *input,
                          const struct exsol_members *m,
                          const struct exsol_stage_ensemble_opts *o,
                          const struct exsol_stage_notes *notes, char *err, size_t errlen);
void exsol_ensemble_free(exsol_ensemble *e); /* accepts NULL */
/* Before run: keep every member's values of every row (members x rows in memory), as
 * exsol_ensemble_write_netcdf's with_members and the family table read them after the
 * run. EXSOL_EUSAGE (message in err) when members x rows is too large. */
int exsol_ensemble_keep_members(exsol_ensemble *e, char *err, size_t errlen);
/* Before run: the tables written block by block during the run (each NULL: not
 * written). member_values: one line per (row, member), the member-level verdicts and
 * values; sensitivity: Spearman rank correlations, per row and drawn parameter, of the
 * parameter's member values with the dual-switch verdict (0/1) and the percentile
 * quantities (members a stage failed on left out; NaN when constant or fewer than
 * three); sobol: Sobol indices (exsol/sobol.h) per row and varied parameter, when the
 * members are the Saltelli design of base size nbase (exsol_members_saltelli): S1_ and
 * ST_ of the dual-switch verdict, log10_rho_ratio, M_300K_1T_reduced, log10 surface
 * density and surface_mean_diameter. EXSOL_EUSAGE when sobol is given and the member
 * count is not nbase (k + 2). */
int exsol_ensemble_stream(exsol_ensemble *e, FILE *member_values, FILE *sensitivity,
                          FILE *sobol, size_t nbase);
int exsol_ensemble_run(exsol_ensemble *e, char *err, size_t errlen);
/* The ranking on probability (after run): front[i] of the non-dominated sorting over
 * P_dual, the median log10_rho_ratio and the median magnetic objective (exsol-rank's:
 * M_300K_1T_reduced where spm_300K_reduced, else 0), rank[i] 1..n ordered by front,
 * then P_dual and the median ratio (descending), then input row. exsol_ensemble_run
 * computes it once; the TSV and NetCDF writers read that. */
int exsol_ensemble_rank(const exsol_ensemble *e, int *front, long *rank);
/* The per-row table (TSV, a header line then one line per input row; the ranking's
 * pareto_front_P and rank_P last). */
int exsol_ensemble_write(const exsol_ensemble *e, FILE *fp);
/* Families for the family-level Sobol table (before run; it keeps the member values,
 * exsol_ensemble_keep_members): the rows that agree
 * in every gen variable of `list` (comma separated names, e.g. "host,dopant"), or, with
 * list NULL, in every gen input that makes the film (formula, host, dopant(2),
 * dopant(2)_fraction/_valence, A_vacancy, A_donor_fraction, A_divalent_fraction,
 * B_donor_fraction, substrate, thickness: the rows differ only in T_anneal, t_anneal,
 * p_H2 and p_H2O). Families are numbered 0.. in the order of their first row.
 * EXSOL_EUSAGE (message in err) for a name that is not a per-candidate gen variable or
 * that the input lacks, or members x rows too large to keep. */
int exsol_ensemble_set_families(exsol_ensemble *e, const char *list, char *err, size_t errlen);
/* Per family and varied parameter (after run, families set): S1_ and ST_ of the family
 * mean of the dual-switch verdict (the fraction of the family's rows that switch under
 * the member; rows a stage failed on left out) and of the family medians of
 * log10_rho_ratio and of the ranking's magnetic objective (M_300K_1T_reduced where
 * superparamagnetic at 300 K, else 0), by the estimators of exsol_sobol_indices on
 * those member values (exsol_sobol_family_values). TSV: family, rows, input_rows
 * (comma separated), formula (of the first row), parameter, then the six indices.
 * EXSOL_EUSAGE when the members are not a Saltelli design of base nbase or no family
 * was set. */
int exsol_ensemble_write_sobol_families(const exsol_ensemble *e, size_t nbase, FILE *fp);
/* The same table as NetCDF (exsol-ensemble --netcdf): the input's variables copied,
 * then members, failed_members, the P_* and percentile variables, pareto_front_P and
 * rank_P on `candidate`; with_members adds the `member` coordinate, param_<NAME>(member)
 * (each drawn parameter's member values, SI) and member_*(candidate, member), the
 * member-level verdicts and quantities (with_members needs exsol_ensemble_keep_members
 * before the run). create then write; the caller closes o. */
int exsol_ensemble_netcdf_create(const exsol_ensemble *e, const char *path,
                                 const struct exsol_out_opts *oo, exsol_ds_out **o, char *err,
                                 size_t errlen);
int exsol_ensemble_write_netcdf(const exsol_ensemble *e, exsol_ds_out *o, const exsol_params *p,
                                int with_members, char *err, size_t errlen);
/* The members' parameter values as a member file (exsol/members.h). */
int exsol_ensemble_write_matrix(const struct exsol_members *m, FILE *fp);
/* Per-row results for tests: P(metallic), P(spm), P(dual) of row i. */
void exsol_ensemble_probabilities(const exsol_ensemble *e, size_t i, double *p_metal,
                                  double *p_spm, double *p_dual);
size_t exsol_ensemble_rows(const exsol_ensemble *e);

#endif
