/* exsol-table: chosen variables of an exsol file as TSV or CSV on stdout, or one
 * candidate's curves. Reads in blocks of EXSOL_BLOCK rows, so memory does not grow
 * with the number of candidates (for file inputs). */
#include "exsol/cli.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/msg.h"
#include "exsol/parse.h"
#include "exsol/tsv.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "Usage: exsol-table [options] [FILE|-]\n"
    "Prints variables of an exsol NetCDF file as a table on stdout: one line per\n"
    "candidate, one column per variable, a header line with the variable names.\n"
    "\n"
    "Options:\n"
    "  -v, --variables LIST  comma-separated variable names (default: every\n"
    "                        per-candidate number and text variable, in file order)\n"
    "  -n, --rows N          only the first N candidates\n"
    "      --csv             comma-separated (RFC 4180 quoting) instead of tab-separated\n"
    "      --header          print the header line (default)\n"
    "      --no-header       omit the header line\n"
    "      --row I           one candidate, I counted from 0 as in ncdump. With -v\n"
    "                        naming curve variables (e.g. rho_T_reduced), prints the\n"
    "                        coordinate and each curve as columns; otherwise prints\n"
    "                        'variable<TAB>value' lines for the candidate\n"
    "  -l, --list            list the variables instead: name, kind (number, text,\n"
    "                        curve on DIM, other), units and long_name\n"
    "  -q, --quiet           only errors on stderr\n"
    "      --verbose         more detail on stderr\n"
    "  -h, --help            show this help and exit\n"
    "      --version         show version information and exit\n"
    "\n"
    "Missing values print as NA; numbers with the fewest digits that read back exactly.\n"
    "Exit status: 0 success, 1 runtime failure, 2 usage error, 3 invalid input data\n"
    "(not a NetCDF file, truncated file, unknown variable).\n"
    "\n"
    "Example:\n"
    "  exsol-table -v formula,log10_rho_ratio,M_300K_1T_reduced screen.nc\n"
    "  exsol-table --row 0 -v rho_T_pristine,rho_T_reduced screen.nc\n";

enum { OPT_CSV = 2000, OPT_HEADER, OPT_NO_HEADER, OPT_ROW, OPT_VERBOSE };

static const struct option long_opts[] = {{"variables", required_argument, 0, 'v'},
                                          {"rows", required_argument, 0, 'n'},
                                          {"csv", no_argument, 0, OPT_CSV},
                                          {"header", no_argument, 0, OPT_HEADER},
                                          {"no-header", no_argument, 0, OPT_NO_HEADER},
                                          {"row", required_argument, 0, OPT_ROW},
                                          {"list", no_argument, 0, 'l'},
                                          {"quiet", no_argument, 0, 'q'},
                                          {"verbose", no_argument, 0, OPT_VERBOSE},
                                          {"help", no_argument, 0, 'h'},
                                          {"version", no_argument, 0, EXSOL_OPT_VERSION},
                                          {0, 0, 0, 0}};

struct column {
    const char *name;
    enum exsol_vkind kind;
    size_t width; /* text slot (string width + 1) */
    double *num;
    char *text;
};

struct args {
    struct exsol_cli cli;
    char *vars; /* -v list, split in place */
    long nrows; /* -1: all */
    long row;   /* --row, -1: table mode */
    int csv;
    int header;
    int list;
    exsol_ds *ds;
    struct column *cols;
    size_t ncols;
    struct exsol_tsv tsv;
    int oom; /* a line could not be built */
};

/* One field, escaped for the output format (libcore/io/tsv.c); a line goes to stdout
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
    if (exsol_tsv_write(&a->tsv, stdout) == EXSOL_ENOMEM && !a->oom) {
        exsol_error("out of memory");
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
        exsol_error("out of memory");
        return 1;
    }
    if (!a->vars) {
        for (size_t i = 0; i < exsol_ds_nvars(ds); i++) {
            const char *name = exsol_ds_var_name(ds, i);
            enum exsol_vkind k = exsol_ds_var_kind(ds, name);
            if (k == EXSOL_VK_SCALAR || k == EXSOL_VK_TEXT)
                a->cols[a->ncols++] = (struct column){name, k, 0, NULL, NULL};
        }
    } else {
        char *save = NULL;
        for (char *tok = strtok_r(a->vars, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            char *name = (char *)trim(tok);
            size_t l = strlen(name);
            while (l && (name[l - 1] == ' ' || name[l - 1] == '\t'))
                name[--l] = '\0';
            if (!*name)
                continue;
            enum exsol_vkind k = exsol_ds_var_kind(ds, name);
            if (k == EXSOL_VK_NONE) {
                exsol_error("no variable '%s' in %s", name,
                            strcmp(a->cli.input, "-") ? a->cli.input : "stdin");
                return 3;
            }
            if (k == EXSOL_VK_OTHER) {
                exsol_error("variable '%s' is not per-candidate (a coordinate or a parameter "
                            "record); see ncdump",
                            name);
                return 2;
            }
            if (k == EXSOL_VK_CURVE && !curves_ok) {
                exsol_error("variable '%s' is a curve on '%s': print one candidate's curve "
                            "with --row I",
                            name, exsol_ds_var_dim(ds, name));
                return 2;
            }
            a->cols[a->ncols++] = (struct column){name, k, 0, NULL, NULL};
        }
        if (a->ncols == 0) {
            exsol_error("option -v needs at least one variable name");
            return 2;
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

/* Reads rows [start, start+count) of every column. */
static int read_block(struct args *a, size_t start, size_t count)
{
    char err[1024];
    for (size_t c = 0; c < a->ncols; c++) {
        struct column *col = &a->cols[c];
        int rc;
        if (col->kind == EXSOL_VK_TEXT)
            rc = exsol_ds_read_text(a->ds, col->name, start, count, col->text, col->width, err,
                                    sizeof err);
        else
            rc =
                exsol_ds_read_double(a->ds, col->name, start, count, col->num, err, sizeof err);
        if (rc) {
            exsol_error("%s", err);
            return exsol_exit_code(rc);
        }
    }
    return 0;
}

static int print_table(struct args *a)
{
    size_t n = exsol_ds_ncandidates(a->ds);
    if (a->nrows >= 0 && (size_t)a->nrows < n)
        n = (size_t)a->nrows;
    size_t block = n < EXSOL_BLOCK ? (n ? n : 1) : EXSOL_BLOCK;
    for (size_t c = 0; c < a->ncols; c++) {
        struct column *col = &a->cols[c];
        if (col->kind == EXSOL_VK_TEXT)
            col->text = malloc(block * col->width);
        else
            col->num = malloc(block * sizeof *col->num);
        if (!col->text && !col->num) {
            exsol_error("out of memory");
            return 1;
        }
    }
    if (a->header) {
        for (size_t c = 0; c < a->ncols; c++)
            put_field(a, a->cols[c].name);
        end_line(a);
    }
    for (size_t start = 0; start < n; start += block) {
        size_t count = n - start < block ? n - start : block;
        int rc = read_block(a, start, count);
        if (rc)
            return rc;
        for (size_t r = 0; r < count; r++) {
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
            exsol_error("out of memory");
            return 1;
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
            exsol_error("with --row and curves, every -v variable must be a curve on '%s' "
                        "('%s' is not)",
                        dim, a->cols[c].name);
            return 2;
        }
    }
    size_t len = 0;
    if (exsol_ds_dim_len(a->ds, dim, &len) != EXSOL_OK) {
        exsol_error("dimension '%s' is missing", dim);
        return 3;
    }
    double *coord = malloc((len ? len : 1) * sizeof *coord);
    int rc = coord ? 0 : 1;
    int have_coord = exsol_ds_var_kind(a->ds, dim) == EXSOL_VK_OTHER && coord &&
                     exsol_ds_read_fixed(a->ds, dim, coord, len, NULL, 0) == EXSOL_OK;
    for (size_t c = 0; rc == 0 && c < a->ncols; c++) {
        a->cols[c].num = malloc((len ? len : 1) * sizeof(double));
        if (!a->cols[c].num)
            rc = 1;
        else if (len) {
            int r = exsol_ds_read_double(a->ds, a->cols[c].name, (size_t)a->row, 1,
                                         a->cols[c].num, err, sizeof err);
            if (r) {
                exsol_error("%s", err);
                rc = exsol_exit_code(r);
            }
        }
    }
    if (rc == 1)
        exsol_error("out of memory");
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

static int parse_count(const char *opt, const char *arg, long *out)
{
    char err[256];
    if (exsol_parse_long(arg, out, err, sizeof err) != EXSOL_OK) {
        exsol_error("option %s needs a whole number >= 0, got '%s'", opt, arg);
        return 2;
    }
    return 0;
}

static int table_option(void *ctx, int opt, const char *arg)
{
    struct args *a = ctx;
    switch (opt) {
    case 'v':
        free(a->vars);
        a->vars = strdup(arg);
        if (!a->vars) {
            exsol_error("out of memory");
            return 1;
        }
        return 0;
    case 'n':
        return parse_count("-n/--rows", arg, &a->nrows);
    case OPT_ROW:
        return parse_count("--row", arg, &a->row);
    case OPT_CSV:
        a->csv = 1;
        return 0;
    case 'l':
        a->list = 1;
        return 0;
    case OPT_HEADER:
        a->header = 1;
        return 0;
    case OPT_NO_HEADER:
        a->header = 0;
        return 0;
    case OPT_VERBOSE: /* -v is --variables here */
        exsol_cli_option(&a->cli, 'v', NULL);
        return 0;
    case '?': /* getopt has named the bad option */
        exsol_error("try 'exsol-table --help' for usage");
        return 2;
    default: /* -q, -h, --version */
        return EXSOL_CLI_NOT_MINE;
    }
}

static const struct exsol_cli_tool tool = {.prog = "exsol-table",
                                           .usage = usage_text,
                                           .options = long_opts,
                                           .shortopts = "v:n:lqh",
                                           .option = table_option,
                                           .flags = EXSOL_CLI_OWN_OPTIONS};

/* After the file is open: the list, one row (values or curves) or the table.
 * Returns the exit status. */
static int print_selected(struct args *a)
{
    int rc;
    if (a->list)
        return print_list(a);
    if (a->row >= 0 && (size_t)a->row >= exsol_ds_ncandidates(a->ds)) {
        exsol_error("--row %ld is beyond the %zu candidates (rows count from 0)", a->row,
                    exsol_ds_ncandidates(a->ds));
        return 2;
    }
    if ((rc = pick_columns(a, a->row >= 0)) != 0)
        return rc;
    if (a->row < 0)
        return print_table(a);
    if (a->ncols && a->cols[0].kind == EXSOL_VK_CURVE)
        return print_curves(a);
    for (size_t c = 0; c < a->ncols; c++)
        if (a->cols[c].kind == EXSOL_VK_CURVE) {
            exsol_error("with --row, -v takes either curves or per-candidate values, "
                        "not both ('%s' is a curve)",
                        a->cols[c].name);
            return 2;
        }
    return print_row(a);
}

static void destroy_data(struct args *a)
{
    if (a->cols)
        for (size_t c = 0; c < a->ncols; c++) {
            free(a->cols[c].num);
            free(a->cols[c].text);
        }
    free(a->cols);
    free(a->vars);
    exsol_tsv_release(&a->tsv);
    exsol_ds_close(a->ds);
    exsol_cli_release(&a->cli);
}

int main(int argc, char **argv)
{
    struct args a;
    char err[1024];
    memset(&a, 0, sizeof a);
    a.nrows = -1;
    a.row = -1;
    a.header = 1;
    int rc = 0;
    if (exsol_cli_start(&a.cli, &tool, argc, argv, &a) == EXSOL_CLI_EXIT) {
        rc = a.cli.exit_code;
        goto done;
    }
    exsol_tsv_init(&a.tsv, a.csv ? EXSOL_CSV : EXSOL_TSV, EXSOL_TSV_EXACT);
    if ((rc = exsol_ds_open(a.cli.input, &a.ds, err, sizeof err)) != 0) {
        exsol_error("%s", err);
        rc = exsol_exit_code(rc);
        goto done;
    }
    rc = print_selected(&a);
    if (a.oom && rc == 0)
        rc = 1;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        exsol_error("cannot write to stdout: %s", strerror(errno));
        if (rc == 0)
            rc = 1;
    }
done:
    destroy_data(&a);
    return rc;
}
