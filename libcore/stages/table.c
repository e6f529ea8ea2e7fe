/* The table stage (exsol-table): chosen variables of an exsol file as TSV or CSV
 * lines on the caller's stream, one candidate's values or curves, or the list of
 * variables. Reads in blocks of EXSOL_BLOCK rows, so memory does not grow with the
 * number of candidates (for file inputs); the formatting is libcore/io/tsv.c. Errors
 * go through the caller's notes (exsol_stage_notes, level EXSOL_NOTE_ERROR) as they
 * happen: nothing here prints to the terminal or exits. */
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/expr.h"
#include "exsol/stage.h"
#include "exsol/tsv.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct column {
    const char *name;
    enum exsol_vkind kind;
    size_t width; /* text slot (string width + 1) */
    double *num;
    char *text;
};

struct args {
    const struct exsol_stage_table_opts *o;
    const struct exsol_stage_notes *notes;
    FILE *out;
    char *vars; /* copy of the -v list, split in place */
    long nrows, row;
    int header, list;
    const exsol_ds *ds;
    struct column *cols;
    size_t ncols;
    struct exsol_tsv tsv;
    int oom;              /* a line could not be built */
    exsol_expr *expr;     /* -i/-e, or NULL */
    int exclude;          /* -e: print the rows that do not match */
    struct column *fcols; /* the variables the filter names */
    size_t nfcols;
};

/* An error, through the caller's notes (the tool prints it). */
#define fail(a, ...) exsol_stage_notef((a)->notes, EXSOL_NOTE_ERROR, __VA_ARGS__)

/* One field, escaped for the output format (libcore/io/tsv.c); a line goes to the output
 * when it ends. */
static void put_field(struct args *a, const char *s)
{
    exsol_tsv_text(&a->tsv, s);
}

static void put_number(struct args *a, double v)
{
    exsol_tsv_double(&a->tsv, v);
}

static void end_line(struct args *a)
{
    exsol_tsv_endl(&a->tsv);
    if (exsol_tsv_write(&a->tsv, a->out) == EXSOL_ENOMEM && !a->oom) {
        fail(a, "out of memory");
        a->oom = 1;
    }
}

static const char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Checks -v names (or picks the default set) and allocates the columns. */
static int pick_columns(struct args *a, int curves_ok)
{
    const exsol_ds *ds = a->ds;
    size_t cap = a->vars ? 1 : exsol_ds_nvars(ds) + 1;
    if (a->vars)
        for (const char *p = a->vars; *p; p++)
            cap += *p == ',';
    a->cols = calloc(cap, sizeof *a->cols);
    if (!a->cols) {
        fail(a, "out of memory");
        return EXSOL_ENOMEM;
    }
    if (!a->vars) {
        for (size_t i = 0; i < exsol_ds_nvars(ds); i++) {
            const char *name = exsol_ds_var_name(ds, i);
            enum exsol_vkind k = exsol_ds_var_kind(ds, name);
            if (k == EXSOL_VK_SCALAR || k == EXSOL_VK_TEXT)
                a->cols[a->ncols++] = (struct column){name, k, 0, NULL, NULL};
        }
    } else {
        /* every element named (like exsol-gen's lists): "a,,b" or "a," is a typo */
        size_t nel = 0;
        for (char *tok = a->vars, *next; tok; tok = next, nel++) {
            next = strchr(tok, ',');
            if (next)
                *next++ = '\0';
            char *name = (char *)trim(tok);
            size_t l = strlen(name);
            while (l && (name[l - 1] == ' ' || name[l - 1] == '\t'))
                name[--l] = '\0';
            if (!*name && nel == 0 && !next) {
                fail(a, "option -v needs at least one variable name");
                return EXSOL_EUSAGE;
            }
            if (!*name) {
                fail(a, "option -v: element %zu of the variable list is empty", nel + 1);
                return EXSOL_EUSAGE;
            }
            enum exsol_vkind k = exsol_ds_var_kind(ds, name);
            if (k == EXSOL_VK_NONE) {
                fail(a, "no variable '%s' in %s", name,
                     strcmp(a->o->input, "-") ? a->o->input : "stdin");
                return EXSOL_EUNKNOWN;
            }
            if (k == EXSOL_VK_OTHER) {
                fail(a,
                     "variable '%s' is not per-candidate (a coordinate or a parameter "
                     "record); see ncdump",
                     name);
                return EXSOL_EUSAGE;
            }
            if (k == EXSOL_VK_CURVE && !curves_ok) {
                fail(a,
                     "variable '%s' is a curve on '%s': print one candidate's curve "
                     "with --row I",
                     name, exsol_ds_var_dim(ds, name));
                return EXSOL_EUSAGE;
            }
            a->cols[a->ncols++] = (struct column){name, k, 0, NULL, NULL};
        }
        if (a->ncols == 0) {
            fail(a, "option -v needs at least one variable name");
            return EXSOL_EUSAGE;
        }
    }
    for (size_t c = 0; c < a->ncols; c++) {
        if (a->cols[c].kind != EXSOL_VK_TEXT)
            continue;
        size_t inner = 0;
        exsol_ds_var_inner(ds, a->cols[c].name, &inner, NULL, 0);
        a->cols[c].width = inner + 1;
    }
    return 0;
}

/* Reads rows [start, start+count) of every column of cols[0..ncols). */
static int read_cols(struct args *a, struct column *cols, size_t ncols, size_t start,
                     size_t count)
{
    char err[1024];
    for (size_t c = 0; c < ncols; c++) {
        struct column *col = &cols[c];
        int rc;
        if (col->kind == EXSOL_VK_TEXT)
            rc = exsol_ds_read_text(a->ds, col->name, start, count, col->text, col->width, err,
                                    sizeof err);
        else
            rc =
                exsol_ds_read_double(a->ds, col->name, start, count, col->num, err, sizeof err);
        if (rc) {
            fail(a, "%s", err);
            return rc;
        }
    }
    return 0;
}

static int read_block(struct args *a, size_t start, size_t count)
{
    return read_cols(a, a->cols, a->ncols, start, count);
}

static int alloc_cols(struct args *a, struct column *cols, size_t ncols, size_t block)
{
    for (size_t c = 0; c < ncols; c++) {
        struct column *col = &cols[c];
        if (col->kind == EXSOL_VK_TEXT)
            col->text = malloc(block * col->width);
        else
            col->num = malloc(block * sizeof *col->num);
        if (!col->text && !col->num) {
            fail(a, "out of memory");
            return EXSOL_ENOMEM;
        }
    }
    return 0;
}

/* What a filter may name: the per-candidate numbers and texts of the input. */
static enum exsol_expr_type filter_lookup(void *ctx, const char *name, char *why, size_t len)
{
    const struct args *a = ctx;
    switch (exsol_ds_var_kind(a->ds, name)) {
    case EXSOL_VK_SCALAR:
        return EXSOL_EXPR_NUMBER;
    case EXSOL_VK_TEXT:
        return EXSOL_EXPR_TEXT;
    case EXSOL_VK_CURVE:
        snprintf(why, len, "a curve on '%s', not one value per candidate",
                 exsol_ds_var_dim(a->ds, name));
        break;
    case EXSOL_VK_OTHER:
        snprintf(why, len, "not per-candidate (a coordinate or a parameter record)");
        break;
    default:
        snprintf(why, len, "no such variable in %s (exsol-table -l lists them)",
                 strcmp(a->o->input, "-") ? a->o->input : "stdin");
    }
    return EXSOL_EXPR_NONE;
}

/* Parses -i/-e and sets up the columns of the variables it names. */
static int setup_filter(struct args *a)
{
    char err[1024];
    const char *src = a->o->include ? a->o->include : a->o->exclude;
    const char *opt = a->o->include ? "-i" : "-e";
    if (!src)
        return 0;
    a->exclude = a->o->include == NULL;
    int rc = exsol_expr_parse(src, filter_lookup, a, &a->expr, err, sizeof err);
    if (rc) {
        fail(a, "%s '%s': %s", opt, src, err);
        return rc;
    }
    a->nfcols = exsol_expr_nvars(a->expr);
    a->fcols = calloc(a->nfcols ? a->nfcols : 1, sizeof *a->fcols);
    if (!a->fcols) {
        fail(a, "out of memory");
        return EXSOL_ENOMEM;
    }
    for (size_t i = 0; i < a->nfcols; i++) {
        struct column *c = &a->fcols[i];
        c->name = exsol_expr_var(a->expr, i);
        c->kind = exsol_expr_var_type(a->expr, i) == EXSOL_EXPR_TEXT ? EXSOL_VK_TEXT
                                                                     : EXSOL_VK_SCALAR;
        if (c->kind == EXSOL_VK_TEXT) {
            size_t inner = 0;
            exsol_ds_var_inner(a->ds, c->name, &inner, NULL, 0);
            c->width = inner + 1;
        }
    }
    return 0;
}

/* 1 if row r of the block read into fcols is printed. */
static int row_selected(const struct args *a, size_t r)
{
    if (!a->expr)
        return 1;
    double num[64];
    const char *text[64];
    double *nump = num;
    const char **textp = text;
    if (a->nfcols > 64) {
        nump = malloc(a->nfcols * sizeof *nump);
        textp = malloc(a->nfcols * sizeof *textp);
        if (!nump || !textp) {
            free(nump);
            free(textp);
            return 0;
        }
    }
    for (size_t i = 0; i < a->nfcols; i++) {
        const struct column *c = &a->fcols[i];
        if (c->kind == EXSOL_VK_TEXT) {
            textp[i] = trim(c->text + r * c->width);
            nump[i] = NAN;
        } else {
            nump[i] = c->num[r];
            textp[i] = NULL;
        }
    }
    int m = exsol_expr_eval(a->expr, nump, textp);
    if (nump != num) {
        free(nump);
        free(textp);
    }
    return a->exclude ? !m : m;
}

static int print_table(struct args *a)
{
    size_t n = exsol_ds_ncandidates(a->ds), printed = 0;
    size_t limit = a->nrows >= 0 ? (size_t)a->nrows : n; /* rows printed */
    if (!a->expr && limit < n)
        n = limit;
    size_t block = n < EXSOL_BLOCK ? (n ? n : 1) : EXSOL_BLOCK;
    int rc = alloc_cols(a, a->cols, a->ncols, block);
    if (!rc)
        rc = alloc_cols(a, a->fcols, a->nfcols, block);
    if (rc)
        return rc;
    if (a->header) {
        for (size_t c = 0; c < a->ncols; c++)
            put_field(a, a->cols[c].name);
        end_line(a);
    }
    for (size_t start = 0; start < n && printed < limit; start += block) {
        size_t count = n - start < block ? n - start : block;
        rc = read_block(a, start, count);
        if (!rc)
            rc = read_cols(a, a->fcols, a->nfcols, start, count);
        if (rc)
            return rc;
        for (size_t r = 0; r < count && printed < limit; r++) {
            if (!row_selected(a, r))
                continue;
            printed++;
            for (size_t c = 0; c < a->ncols; c++) {
                const struct column *col = &a->cols[c];
                if (col->kind == EXSOL_VK_TEXT) {
                    put_field(a, trim(col->text + r * col->width));
                } else {
                    put_number(a, col->num[r]);
                }
            }
            end_line(a);
        }
    }
    return 0;
}

/* --row I without curves: "variable<TAB>value" lines. */
static int print_row(struct args *a)
{
    size_t row = (size_t)a->row;
    if (a->header) {
        put_field(a, "variable");
        put_field(a, "value");
        end_line(a);
    }
    for (size_t c = 0; c < a->ncols; c++) {
        struct column *col = &a->cols[c];
        if (col->kind == EXSOL_VK_TEXT)
            col->text = malloc(col->width);
        else
            col->num = malloc(sizeof *col->num);
        if (!col->text && !col->num) {
            fail(a, "out of memory");
            return EXSOL_ENOMEM;
        }
    }
    int rc = read_block(a, row, 1);
    if (rc)
        return rc;
    for (size_t c = 0; c < a->ncols; c++) {
        const struct column *col = &a->cols[c];
        put_field(a, col->name);
        if (col->kind == EXSOL_VK_TEXT) {
            put_field(a, trim(col->text));
        } else {
            put_number(a, col->num[0]);
        }
        end_line(a);
    }
    return 0;
}

/* --row I with curves: the coordinate and each curve as columns. */
static int print_curves(struct args *a)
{
    char err[1024], num[64];
    const char *dim = exsol_ds_var_dim(a->ds, a->cols[0].name);
    for (size_t c = 0; c < a->ncols; c++) {
        const char *d = exsol_ds_var_dim(a->ds, a->cols[c].name);
        if (a->cols[c].kind != EXSOL_VK_CURVE || !d || strcmp(d, dim) != 0) {
            fail(a,
                 "with --row and curves, every -v variable must be a curve on '%s' "
                 "('%s' is not)",
                 dim, a->cols[c].name);
            return EXSOL_EUSAGE;
        }
    }
    size_t len = 0;
    if (exsol_ds_dim_len(a->ds, dim, &len) != EXSOL_OK) {
        fail(a, "dimension '%s' is missing", dim);
        return EXSOL_EFORMAT;
    }
    double *coord = malloc((len ? len : 1) * sizeof *coord);
    int rc = coord ? 0 : EXSOL_ENOMEM;
    int have_coord = exsol_ds_var_kind(a->ds, dim) == EXSOL_VK_OTHER && coord &&
                     exsol_ds_read_fixed(a->ds, dim, coord, len, NULL, 0) == EXSOL_OK;
    for (size_t c = 0; rc == 0 && c < a->ncols; c++) {
        a->cols[c].num = malloc((len ? len : 1) * sizeof(double));
        if (!a->cols[c].num)
            rc = EXSOL_ENOMEM;
        else if (len) {
            int r = exsol_ds_read_double(a->ds, a->cols[c].name, (size_t)a->row, 1,
                                         a->cols[c].num, err, sizeof err);
            if (r) {
                fail(a, "%s", err);
                rc = r;
            }
        }
    }
    if (rc && exsol_exit_code(rc) == 1)
        fail(a, "out of memory");
    if (rc == 0) {
        if (a->header) {
            put_field(a, have_coord ? dim : "index");
            for (size_t c = 0; c < a->ncols; c++)
                put_field(a, a->cols[c].name);
            end_line(a);
        }
        for (size_t k = 0; k < len; k++) {
            if (have_coord) {
                put_number(a, coord[k]);
            } else {
                snprintf(num, sizeof num, "%zu", k);
                put_field(a, num);
            }
            for (size_t c = 0; c < a->ncols; c++)
                put_number(a, a->cols[c].num[k]);
            end_line(a);
        }
    }
    free(coord);
    return rc;
}

/* -l: one line per variable, in file order. */
static int print_list(struct args *a)
{
    char units[256], lname[1024], kind[300];
    if (a->header) {
        put_field(a, "variable");
        put_field(a, "kind");
        put_field(a, "units");
        put_field(a, "long_name");
        end_line(a);
    }
    for (size_t i = 0; i < exsol_ds_nvars(a->ds); i++) {
        const char *name = exsol_ds_var_name(a->ds, i);
        switch (exsol_ds_var_kind(a->ds, name)) {
        case EXSOL_VK_SCALAR:
            snprintf(kind, sizeof kind, "number");
            break;
        case EXSOL_VK_TEXT:
            snprintf(kind, sizeof kind, "text");
            break;
        case EXSOL_VK_CURVE:
            snprintf(kind, sizeof kind, "curve on %s", exsol_ds_var_dim(a->ds, name));
            break;
        default:
            snprintf(kind, sizeof kind, "other");
        }
        if (exsol_ds_get_att_text(a->ds, name, "units", units, sizeof units) != 0)
            units[0] = '\0';
        if (exsol_ds_get_att_text(a->ds, name, "long_name", lname, sizeof lname) != 0)
            lname[0] = '\0';
        put_field(a, name);
        put_field(a, kind);
        put_field(a, units);
        put_field(a, lname);
        end_line(a);
    }
    return 0;
}

/* After the file is open: the list, one row (values or curves) or the table.
 * Returns the exit status. */
static int print_selected(struct args *a)
{
    int rc;
    if ((a->o->include || a->o->exclude) && (a->list || a->row >= 0)) {
        fail(a, "-i/-e select rows of the table; they do not go with %s",
             a->list ? "-l" : "--row");
        return EXSOL_EUSAGE;
    }
    if (a->o->include && a->o->exclude) {
        fail(a, "-i and -e exclude each other (use -i with the condition negated: "
                "-i '!(EXPR)')");
        return EXSOL_EUSAGE;
    }
    if (a->list)
        return print_list(a);
    if (a->row >= 0 && (size_t)a->row >= exsol_ds_ncandidates(a->ds)) {
        fail(a, "--row %ld is beyond the %zu candidates (rows count from 0)", a->row,
             exsol_ds_ncandidates(a->ds));
        return EXSOL_EUSAGE;
    }
    if ((rc = pick_columns(a, a->row >= 0)) != 0 || (rc = setup_filter(a)) != 0)
        return rc;
    if (a->row < 0)
        return print_table(a);
    if (a->ncols && a->cols[0].kind == EXSOL_VK_CURVE)
        return print_curves(a);
    for (size_t c = 0; c < a->ncols; c++)
        if (a->cols[c].kind == EXSOL_VK_CURVE) {
            fail(a,
                 "with --row, -v takes either curves or per-candidate values, "
                 "not both ('%s' is a curve)",
                 a->cols[c].name);
            return EXSOL_EUSAGE;
        }
    return print_row(a);
}

int exsol_table_print(const exsol_ds *ds, const struct exsol_stage_table_opts *o, FILE *out,
                      const struct exsol_stage_notes *notes)
{
    struct args a;
    memset(&a, 0, sizeof a);
    a.o = o;
    a.notes = notes;
    a.out = out;
    a.ds = ds;
    a.nrows = o->nrows;
    a.row = o->row;
    a.header = o->header;
    a.list = o->list;
    int rc = 0;
    if (o->vars && !(a.vars = strdup(o->vars))) {
        fail(&a, "out of memory");
        return EXSOL_ENOMEM;
    }
    exsol_tsv_init(&a.tsv, o->csv ? EXSOL_CSV : EXSOL_TSV, EXSOL_TSV_EXACT);
    rc = print_selected(&a);
    if (a.oom && rc == 0)
        rc = EXSOL_ENOMEM;
    if (a.cols)
        for (size_t c = 0; c < a.ncols; c++) {
            free(a.cols[c].num);
            free(a.cols[c].text);
        }
    free(a.cols);
    if (a.fcols)
        for (size_t c = 0; c < a.nfcols; c++) {
            free(a.fcols[c].num);
            free(a.fcols[c].text);
        }
    free(a.fcols);
    exsol_expr_free(a.expr);
    free(a.vars);
    exsol_tsv_release(&a.tsv);
    return rc;
}
