/* The NetCDF data layer: round trips through NETCDF4 files and CDF5 on stdout,
 * fill <-> NaN, copy-through (whole chunks as stored, the rest as values),
 * history, the zstd filter, temp-file hygiene, and rejection of broken inputs. */
#include "check.h"
#include "dataset_internal.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/outfile.h"
#include "exsol/params.h"

#include <dirent.h>
#include <fcntl.h>
#include <hdf5.h>
#include <math.h>
#include <netcdf.h>
#include <netcdf_filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static void path_in(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", dir, name);
}

/* Number of entries in dir whose name contains `part`. */
static int count_files(const char *part)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, part))
            n++;
    if (d)
        closedir(d);
    return n;
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(len > 0 ? (size_t)len : 1);
    *n = b ? fread(b, 1, (size_t)len, f) : 0;
    fclose(f);
    return b;
}

static void spit(const char *path, const void *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(b, 1, n, f);
        fclose(f);
    }
}

static const double temps[3] = {2.0, 200.0, 400.0};

/* Writes the 3-candidate fixture through the public API. */
static int write_fixture(const char *path, int no_history, int force_cdf5)
{
    char *argv[] = {"test_dataset", "--flag", "arg with space", NULL};
    struct exsol_out_opts opts = {"fixture", no_history, 3, argv, 0, force_cdf5, 0};
    exsol_ds_out *o = NULL;
    char err[512] = "";
    int rc = exsol_ds_out_create(path, NULL, &opts, &o, err, sizeof err);
    if (rc) {
        fprintf(stderr, "create: %s\n", err);
        return rc;
    }
    CHECK_EQ_INT(exsol_ds_out_def_coord(o, "temperature", 3, "K", "temperature", temps), 0);
    CHECK_EQ_INT(exsol_ds_out_def_coord(o, "temperature", 3, "K", "temperature", temps), 0);
    CHECK_EQ_INT(exsol_ds_out_def_coord(o, "temperature", 4, "K", "temperature", temps),
                 EXSOL_EFORMAT);
    CHECK_EQ_INT(exsol_ds_out_def_double(o, "x", NULL, "m", "a length"), 0);
    CHECK_EQ_INT(exsol_ds_out_def_double(o, "x", NULL, "m", "again"), EXSOL_EFORMAT);
    CHECK(strstr(exsol_ds_out_errmsg(o), "'x' already exists") != NULL);
    CHECK_EQ_INT(exsol_ds_out_def_double(o, "rho_T", "temperature", "ohm m", "curve"), 0);
    CHECK_EQ_INT(exsol_ds_out_def_double(o, "bad", "nosuchdim", "1", "x"), EXSOL_EUSAGE);
    CHECK_EQ_INT(exsol_ds_out_def_int(o, "status", "1", "status"), 0);
    CHECK_EQ_INT(exsol_ds_out_def_text(o, "formula", 16, "formula"), 0);
    CHECK_EQ_INT(exsol_ds_out_def_text(o, "reason", 16, "reason"), 0); /* reuses strlen16 */
    CHECK_EQ_INT(exsol_ds_out_put_att_text(o, "x", "comment", "hello"), 0);
    CHECK_EQ_INT(exsol_ds_out_put_att_double(o, NULL, "answer", 42.0), 0);
    CHECK_EQ_INT(exsol_ds_out_put_att_text(o, "nosuch", "a", "b"), EXSOL_EMISSINGVAR);
    CHECK_EQ_INT(exsol_ds_out_enddef(o, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_out_def_double(o, "late", NULL, "1", "x"), EXSOL_EUSAGE);
    double x[3] = {1.5, NAN, 3.25e-9};
    double rho[9] = {1, 2, 3, NAN, 5, 6, 7, 8, 9};
    int st[3] = {0, 1, NC_FILL_INT};
    char formula[3][20] = {"La0.2Sr0.7TiO3", "SrTiO3", ""};
    CHECK_EQ_INT(exsol_ds_out_write_double(o, "x", 0, 3, x, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_out_write_double(o, "rho_T", 0, 3, rho, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_out_write_int(o, "status", 0, 3, st, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_out_write_text(o, "formula", 0, 3, formula[0], 20, err, sizeof err),
                 0);
    CHECK_EQ_INT(exsol_ds_out_write_double(o, "status", 0, 3, x, err, sizeof err),
                 EXSOL_EFORMAT);
    char toolong[1][20] = {"0123456789abcdefXY"};
    CHECK_EQ_INT(exsol_ds_out_write_text(o, "reason", 0, 1, toolong[0], 20, err, sizeof err),
                 EXSOL_EVALUE);
    CHECK_EQ_INT(exsol_ds_out_write_double(o, "nosuch", 0, 3, x, err, sizeof err),
                 EXSOL_EMISSINGVAR);
    /* attributes may still be added once data is written (a run summary) */
    CHECK_EQ_INT(exsol_ds_out_put_att_text(o, NULL, "summary", "3 rows"), 0);
    CHECK_EQ_INT(exsol_ds_out_put_att_double(o, "x", "valid_min", 0.0), 0);
    rc = exsol_ds_out_close(o, err, sizeof err);
    if (rc)
        fprintf(stderr, "close: %s\n", err);
    return rc;
}

static void check_fixture(const exsol_ds *ds)
{
    char err[512];
    CHECK_EQ_INT(exsol_ds_ncandidates(ds), 3);
    CHECK_EQ_INT(exsol_ds_var_kind(ds, "x"), EXSOL_VK_SCALAR);
    CHECK_EQ_INT(exsol_ds_var_kind(ds, "status"), EXSOL_VK_SCALAR);
    CHECK_EQ_INT(exsol_ds_var_kind(ds, "formula"), EXSOL_VK_TEXT);
    CHECK_EQ_INT(exsol_ds_var_kind(ds, "rho_T"), EXSOL_VK_CURVE);
    CHECK_EQ_INT(exsol_ds_var_kind(ds, "temperature"), EXSOL_VK_OTHER);
    CHECK_EQ_INT(exsol_ds_var_kind(ds, "nosuch"), EXSOL_VK_NONE);
    CHECK_STR(exsol_ds_var_dim(ds, "rho_T"), "temperature");
    CHECK(exsol_ds_var_dim(ds, "x") == NULL);
    size_t inner = 0, len = 0;
    CHECK_EQ_INT(exsol_ds_var_inner(ds, "rho_T", &inner, err, sizeof err), 0);
    CHECK_EQ_INT(inner, 3);
    CHECK_EQ_INT(exsol_ds_var_inner(ds, "formula", &inner, err, sizeof err), 0);
    CHECK_EQ_INT(inner, 16);
    CHECK_EQ_INT(exsol_ds_var_inner(ds, "nosuch", &inner, err, sizeof err), EXSOL_EMISSINGVAR);
    CHECK(strstr(err, "'nosuch'") != NULL);
    CHECK_EQ_INT(exsol_ds_dim_len(ds, "temperature", &len), 0);
    CHECK_EQ_INT(len, 3);

    double x[3], rho[9], t[3];
    CHECK_EQ_INT(exsol_ds_read_double(ds, "x", 0, 3, x, err, sizeof err), 0);
    CHECK(x[0] == 1.5 && isnan(x[1]) && x[2] == 3.25e-9);
    CHECK_EQ_INT(exsol_ds_read_double(ds, "rho_T", 1, 2, rho, err, sizeof err), 0);
    CHECK(isnan(rho[0]) && rho[1] == 5 && rho[5] == 9);
    CHECK_EQ_INT(exsol_ds_read_double(ds, "x", 2, 2, x, err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(exsol_ds_read_double(ds, "nosuch", 0, 1, x, err, sizeof err),
                 EXSOL_EMISSINGVAR);
    CHECK(strstr(err, "'nosuch'") != NULL);
    CHECK_EQ_INT(exsol_ds_read_double(ds, "formula", 0, 1, x, err, sizeof err), EXSOL_EFORMAT);
    int st[3];
    CHECK_EQ_INT(exsol_ds_read_int(ds, "status", 0, 3, st, err, sizeof err), 0);
    CHECK(st[0] == 0 && st[1] == 1 && st[2] == NC_FILL_INT);
    int iv[9];
    CHECK_EQ_INT(exsol_ds_read_int(ds, "rho_T", 0, 3, iv, err, sizeof err), 0);
    CHECK(iv[0] == 1 && iv[2] == 3 && iv[3] == NC_FILL_INT && iv[8] == 9);
    CHECK_EQ_INT(exsol_ds_read_int(ds, "x", 0, 1, iv, err, sizeof err), EXSOL_EFORMAT);
    CHECK(strstr(err, "not an int") != NULL);
    CHECK_EQ_INT(exsol_ds_read_double(ds, "status", 0, 3, x, err, sizeof err), 0);
    CHECK(x[0] == 0 && x[1] == 1 && isnan(x[2]));
    char text[3][8];
    CHECK_EQ_INT(exsol_ds_read_text(ds, "formula", 0, 3, text[0], 8, err, sizeof err), 0);
    CHECK_STR(text[0], "La0.2Sr"); /* truncated to the slot */
    CHECK_STR(text[1], "SrTiO3");
    CHECK_STR(text[2], "");
    CHECK_EQ_INT(exsol_ds_read_fixed(ds, "temperature", t, 3, err, sizeof err), 0);
    CHECK(t[0] == 2 && t[2] == 400);
    CHECK_EQ_INT(exsol_ds_read_fixed(ds, "temperature", t, 2, err, sizeof err), EXSOL_EFORMAT);
    CHECK_EQ_INT(exsol_ds_read_fixed(ds, "x", t, 3, err, sizeof err), EXSOL_EFORMAT);

    char att[1024];
    double a;
    CHECK_EQ_INT(exsol_ds_get_att_text(ds, "x", "units", att, sizeof att), 0);
    CHECK_STR(att, "m");
    CHECK_EQ_INT(exsol_ds_get_att_text(ds, "x", "comment", att, sizeof att), 0);
    CHECK_STR(att, "hello");
    CHECK_EQ_INT(exsol_ds_get_att_text(ds, "formula", "long_name", att, sizeof att), 0);
    CHECK_EQ_INT(exsol_ds_get_att_double(ds, "x", "_FillValue", &a), 0);
    CHECK(a == NC_FILL_DOUBLE);
    CHECK_EQ_INT(exsol_ds_get_att_double(ds, NULL, "answer", &a), 0);
    CHECK(a == 42.0);
    CHECK_EQ_INT(exsol_ds_get_att_text(ds, NULL, "summary", att, sizeof att), 0);
    CHECK_STR(att, "3 rows");
    CHECK_EQ_INT(exsol_ds_get_att_double(ds, "x", "valid_min", &a), 0);
    CHECK(a == 0.0);
    CHECK_EQ_INT(exsol_ds_get_att_text(ds, NULL, "Conventions", att, sizeof att), 0);
    CHECK_STR(att, "CF-1.8");
    CHECK_EQ_INT(exsol_ds_get_att_text(ds, NULL, "title", att, sizeof att), 0);
    CHECK_STR(att, "fixture");
    CHECK_EQ_INT(exsol_ds_get_att_text(ds, NULL, "exsol_version", att, sizeof att), 0);
    CHECK_EQ_INT(exsol_ds_get_att_text(ds, NULL, "nosuch", att, sizeof att), EXSOL_EMISSINGVAR);
    CHECK_EQ_INT(exsol_ds_get_att_text(ds, "nosuch", "units", att, sizeof att),
                 EXSOL_EMISSINGVAR);
}

static void test_file_roundtrip(void)
{
    char p[512], err[512];
    path_in(p, sizeof p, "a.nc");
    CHECK_EQ_INT(write_fixture(p, 0, 0), 0);
    CHECK_EQ_INT(count_files(".tmp"), 0);
    struct stat sb;
    CHECK(stat(p, &sb) == 0 && (sb.st_mode & 0044) != 0); /* not left 0600 by mkstemp */

    /* NETCDF4 with zstd verified on every per-candidate variable */
    int ncid, varid, fmt;
    CHECK_EQ_INT(nc_open(p, NC_NOWRITE, &ncid), NC_NOERR);
    nc_inq_format(ncid, &fmt);
    CHECK_EQ_INT(fmt, NC_FORMAT_NETCDF4);
    const char *names[] = {"x", "rho_T", "status", "formula"};
    for (int i = 0; i < 4; i++) {
        size_t nf = 0;
        unsigned ids[8] = {0};
        CHECK_EQ_INT(nc_inq_varid(ncid, names[i], &varid), NC_NOERR);
        CHECK_EQ_INT(nc_inq_var_filter_ids(ncid, varid, &nf, ids), NC_NOERR);
        int found = 0;
        for (size_t k = 0; k < nf && k < 8; k++)
            found |= ids[k] == 32015;
        CHECK(found);
    }
    int unlim;
    nc_inq_unlimdim(ncid, &unlim);
    char un[NC_MAX_NAME + 1];
    nc_inq_dimname(ncid, unlim, un);
    CHECK_STR(un, "candidate");
    nc_close(ncid);

    exsol_ds *ds = NULL;
    CHECK_EQ_INT(exsol_ds_open(p, &ds, err, sizeof err), 0);
    if (!ds)
        return;
    check_fixture(ds);
    CHECK_STR(exsol_ds_path(ds), p);
    char hist[4096];
    CHECK_EQ_INT(exsol_ds_get_att_text(ds, NULL, "history", hist, sizeof hist), 0);
    /* "YYYY-MM-DDTHH:MM:SSZ: argv\n" with the spaced argument quoted */
    CHECK(strlen(hist) > 22 && hist[4] == '-' && hist[10] == 'T' && hist[19] == 'Z');
    CHECK(strstr(hist, ": test_dataset --flag 'arg with space'\n") == hist + 20);
    exsol_ds_close(ds);
    exsol_ds_close(NULL);
}

static void test_copy_through(void)
{
    char a[512], b[512], c[512], err[512];
    path_in(a, sizeof a, "a.nc");
    path_in(b, sizeof b, "b.nc");
    path_in(c, sizeof c, "c.nc");
    exsol_ds *in = NULL, *ds = NULL;
    CHECK_EQ_INT(exsol_ds_open(a, &in, err, sizeof err), 0);
    if (!in)
        return;
    char *argv[] = {"stage2", "-o", "b.nc", NULL};
    struct exsol_out_opts opts = {"other title", 1, 3, argv, 0, 1, 0};
    exsol_ds_out *o = NULL;
    CHECK_EQ_INT(exsol_ds_out_create(b, in, &opts, &o, err, sizeof err), 0);
    if (!o)
        return;
    CHECK_EQ_INT(exsol_ds_out_def_coord(o, "temperature", 3, "K", "T", temps), 0);
    double other[3] = {2, 200, 401};
    CHECK_EQ_INT(exsol_ds_out_def_coord(o, "temperature", 3, "K", "T", other), EXSOL_EFORMAT);
    CHECK_EQ_INT(exsol_ds_out_def_double(o, "x", NULL, "m", "redefined"), EXSOL_EFORMAT);
    CHECK_EQ_INT(exsol_ds_out_def_double(o, "y", NULL, "s", "a time"), 0);
    exsol_params *p = NULL;
    CHECK_EQ_INT(exsol_params_load("test", &p, err, sizeof err), 0);
    if (p) {
        CHECK_EQ_INT(exsol_params_set(p, "fraction=0.25", err, sizeof err), 0);
        CHECK_EQ_INT(exsol_ds_out_put_params(o, p), 0);
        CHECK_EQ_INT(exsol_ds_out_put_params(o, p), EXSOL_EFORMAT);
    }
    CHECK_EQ_INT(exsol_ds_out_enddef(o, err, sizeof err), 0);
    double y[3] = {10, 20, NAN};
    CHECK_EQ_INT(exsol_ds_out_write_double(o, "y", 0, 3, y, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_out_write_double(o, "x", 0, 3, y, err, sizeof err), EXSOL_EFORMAT);
    CHECK(strstr(err, "comes from the input") != NULL);
    CHECK_EQ_INT(exsol_ds_out_close(o, err, sizeof err), 0);

    CHECK_EQ_INT(exsol_ds_open(b, &ds, err, sizeof err), 0);
    if (ds) {
        check_fixture(ds); /* every input variable and attribute came through */
        double got[3];
        CHECK_EQ_INT(exsol_ds_read_double(ds, "y", 0, 3, got, err, sizeof err), 0);
        CHECK(got[0] == 10 && got[1] == 20 && isnan(got[2]));
        char h1[4096], h2[4096];
        CHECK_EQ_INT(exsol_ds_get_att_text(in, NULL, "history", h1, sizeof h1), 0);
        CHECK_EQ_INT(exsol_ds_get_att_text(ds, NULL, "history", h2, sizeof h2), 0);
        CHECK_STR(h2, h1); /* no_history leaves it alone */
        if (p) {
            double v;
            char t[256];
            CHECK_EQ_INT(exsol_ds_var_kind(ds, "test_parameters"), EXSOL_VK_OTHER);
            CHECK_EQ_INT(exsol_ds_get_att_double(ds, "test_parameters", "E_a", &v), 0);
            CHECK_CLOSE(v, 1.2 * 1.602176634e-19, 1e-12, 0);
            CHECK_EQ_INT(exsol_ds_get_att_double(ds, "test_parameters", "fraction", &v), 0);
            CHECK(v == 0.25);
            CHECK_EQ_INT(
                exsol_ds_get_att_text(ds, "test_parameters", "fraction_origin", t, sizeof t),
                0);
            CHECK_STR(t, "--set");
            CHECK_EQ_INT(
                exsol_ds_get_att_text(ds, "test_parameters", "E_a_origin", t, sizeof t), 0);
            CHECK_STR(t, "default");
            CHECK_EQ_INT(exsol_ds_get_att_text(ds, "test_parameters", "E_a_units", t, sizeof t),
                         0);
            CHECK_STR(t, "J");
            CHECK_EQ_INT(
                exsol_ds_get_att_text(ds, "test_parameters", "E_a_source", t, sizeof t), 0);
            CHECK_STR(t, "test fixture");
        }
    }

    /* history is prepended to the input's */
    struct exsol_out_opts hopts = {NULL, 0, 3, argv, 0, 1, 0};
    CHECK_EQ_INT(exsol_ds_out_create(c, in, &hopts, &o, err, sizeof err), 0);
    if (o)
        CHECK_EQ_INT(exsol_ds_out_close(o, err, sizeof err), 0);
    exsol_ds *dc = NULL;
    CHECK_EQ_INT(exsol_ds_open(c, &dc, err, sizeof err), 0);
    if (dc) {
        char h1[4096], h3[4096];
        exsol_ds_get_att_text(in, NULL, "history", h1, sizeof h1);
        exsol_ds_get_att_text(dc, NULL, "history", h3, sizeof h3);
        const char *nl = strchr(h3, '\n');
        CHECK(nl && strstr(h3, ": stage2 -o b.nc\n") == nl - 16);
        CHECK(nl && strcmp(nl + 1, h1) == 0);
        char t[256];
        exsol_ds_get_att_text(dc, NULL, "title", t, sizeof t);
        CHECK_STR(t, "fixture"); /* kept from the input */
    }

    /* appending (shard merge) doubles the rows; mismatched inputs are refused */
    char d[512];
    path_in(d, sizeof d, "d.nc");
    CHECK_EQ_INT(exsol_ds_out_create(d, in, &opts, &o, err, sizeof err), 0);
    if (o) {
        CHECK_EQ_INT(exsol_ds_out_enddef(o, err, sizeof err), 0);
        CHECK_EQ_INT(exsol_ds_out_append(o, in, err, sizeof err), 0);
        if (ds)
            CHECK_EQ_INT(exsol_ds_out_append(o, ds, err, sizeof err), EXSOL_EFORMAT);
        CHECK_EQ_INT(exsol_ds_out_close(o, err, sizeof err), 0);
        exsol_ds *dd = NULL;
        CHECK_EQ_INT(exsol_ds_open(d, &dd, err, sizeof err), 0);
        if (dd) {
            double xx[6];
            CHECK_EQ_INT(exsol_ds_ncandidates(dd), 6);
            CHECK_EQ_INT(exsol_ds_read_double(dd, "x", 0, 6, xx, err, sizeof err), 0);
            CHECK(xx[3] == 1.5 && isnan(xx[4]) && xx[5] == 3.25e-9);
            exsol_ds_close(dd);
        }
    }
    exsol_ds_close(dc);
    exsol_ds_close(ds);
    exsol_ds_close(in);
    exsol_params_free(p);
}

/* "-": CDF5 built in memory and written to stdout; same bytes run to run. */
static int write_to_stdout(const char *file)
{
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, STDOUT_FILENO);
    close(fd);
    int rc = write_fixture("-", 1, 0);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    return rc;
}

static void test_stdout_and_stdin(void)
{
    char s1[512], s2[512], f1[512], f2[512], err[512];
    path_in(s1, sizeof s1, "s1.nc");
    path_in(s2, sizeof s2, "s2.nc");
    CHECK_EQ_INT(write_to_stdout(s1), 0);
    CHECK_EQ_INT(write_to_stdout(s2), 0);
    size_t n1 = 0, n2 = 0;
    unsigned char *b1 = slurp(s1, &n1), *b2 = slurp(s2, &n2);
    CHECK(b1 && b2 && n1 > 0 && n1 == n2 && memcmp(b1, b2, n1) == 0);
    CHECK(b1 && n1 > 4 && memcmp(b1, "CDF\005", 4) == 0);

    /* the same image through the in-memory open path */
    exsol_ds *ds = NULL;
    CHECK_EQ_INT(exsol_ds_open_mem("test image", b1, n1, &ds, err, sizeof err), 0);
    if (ds)
        check_fixture(ds);
    exsol_ds_close(ds);

    /* and through stdin */
    int saved = dup(STDIN_FILENO);
    int fd = open(s1, O_RDONLY);
    dup2(fd, STDIN_FILENO);
    close(fd);
    ds = NULL;
    CHECK_EQ_INT(exsol_ds_open("-", &ds, err, sizeof err), 0);
    if (ds) {
        check_fixture(ds);
        CHECK_STR(exsol_ds_path(ds), "-");
    }
    exsol_ds_close(ds);
    fd = open("/dev/null", O_RDONLY);
    dup2(fd, STDIN_FILENO);
    close(fd);
    CHECK_EQ_INT(exsol_ds_open("-", &ds, err, sizeof err), EXSOL_EFORMAT);
    CHECK_STR(err, "empty input on stdin");
    dup2(saved, STDIN_FILENO);
    close(saved);

    /* netCDF-4 files: report whether they are byte-identical too (HDF5 may not be) */
    path_in(f1, sizeof f1, "f1.nc");
    path_in(f2, sizeof f2, "f2.nc");
    CHECK_EQ_INT(write_fixture(f1, 1, 0), 0);
    CHECK_EQ_INT(write_fixture(f2, 1, 0), 0);
    size_t m1 = 0, m2 = 0;
    unsigned char *c1 = slurp(f1, &m1), *c2 = slurp(f2, &m2);
    CHECK(c1 && c2 && m1 == m2 && memcmp(c1, c2, m1) == 0);
    free(c1);
    free(c2);
    free(b1);
    free(b2);
}

static void test_bad_inputs(void)
{
    char p[512], q[512], err[512];
    exsol_ds *ds = NULL;

    path_in(p, sizeof p, "text.nc");
    spit(p, "name,value\nx,1\n", 15);
    CHECK_EQ_INT(exsol_ds_open(p, &ds, err, sizeof err), EXSOL_EFORMAT);
    CHECK(strstr(err, "is not a NetCDF file") && strstr(err, "text.nc"));
    CHECK(ds == NULL);

    path_in(p, sizeof p, "empty.nc");
    spit(p, "", 0);
    CHECK_EQ_INT(exsol_ds_open(p, &ds, err, sizeof err), EXSOL_EFORMAT);

    path_in(p, sizeof p, "nosuchfile.nc");
    CHECK_EQ_INT(exsol_ds_open(p, &ds, err, sizeof err), EXSOL_EIO);
    CHECK(strstr(err, "nosuchfile.nc") != NULL);

    /* CDF5 cut anywhere, even inside the last record, is refused */
    path_in(p, sizeof p, "s1.nc");
    size_t n = 0;
    unsigned char *b = slurp(p, &n);
    path_in(q, sizeof q, "trunc.nc");
    size_t cuts[] = {3, 40, n / 2, n - 8, n - 1};
    for (size_t i = 0; b && i < sizeof cuts / sizeof cuts[0]; i++) {
        spit(q, b, cuts[i]);
        err[0] = '\0';
        CHECK_EQ_INT(exsol_ds_open(q, &ds, err, sizeof err), EXSOL_EFORMAT);
        CHECK(strstr(err, "trunc.nc") != NULL);
        CHECK_EQ_INT(exsol_ds_open_mem("mem", b, cuts[i], &ds, err, sizeof err), EXSOL_EFORMAT);
    }
    if (b) {
        spit(q, b, n - 1);
        exsol_ds_open(q, &ds, err, sizeof err);
        CHECK(strstr(err, "truncated or corrupt") != NULL);
    }
    free(b);

    /* NETCDF4 cut short */
    path_in(p, sizeof p, "a.nc");
    b = slurp(p, &n);
    if (b) {
        spit(q, b, n / 2);
        CHECK_EQ_INT(exsol_ds_open(q, &ds, err, sizeof err), EXSOL_EFORMAT);
        CHECK(strstr(err, "truncated or corrupt") != NULL);
        spit(q, b, n - 100);
        CHECK_EQ_INT(exsol_ds_open(q, &ds, err, sizeof err), EXSOL_EFORMAT);
    }
    free(b);

    /* a NetCDF file that is not an exsol table */
    int ncid, dimid, varid;
    path_in(p, sizeof p, "foreign.nc");
    nc_create(p, NC_CLOBBER | NC_64BIT_DATA, &ncid);
    nc_def_dim(ncid, "time", 2, &dimid);
    nc_def_var(ncid, "t", NC_DOUBLE, 1, &dimid, &varid);
    nc_close(ncid);
    CHECK_EQ_INT(exsol_ds_open(p, &ds, err, sizeof err), EXSOL_EFORMAT);
    CHECK(strstr(err, "'candidate'") && strstr(err, "foreign.nc"));
}

static void test_failure_hygiene(void)
{
    char p[512], err[512];
    exsol_ds_out *o = NULL;
    struct exsol_out_opts opts = {NULL, 1, 0, NULL, 0, 0, 0};

    /* abort removes the temporary and creates nothing */
    path_in(p, sizeof p, "aborted.nc");
    CHECK_EQ_INT(exsol_ds_out_create(p, NULL, &opts, &o, err, sizeof err), 0);
    CHECK_EQ_INT(count_files(".aborted.nc.tmp"), 1);
    exsol_ds_out_abort(o);
    exsol_ds_out_abort(NULL);
    CHECK_EQ_INT(count_files("aborted.nc"), 0);

    /* a failed run never clobbers a good file */
    path_in(p, sizeof p, "good.nc");
    spit(p, "GOOD", 4);
    CHECK_EQ_INT(exsol_ds_out_create(p, NULL, &opts, &o, err, sizeof err), 0);
    if (o) {
        exsol_ds_out_def_double(o, "x", NULL, "1", "x");
        CHECK_EQ_INT(exsol_ds_out_enddef(o, err, sizeof err), 0);
        double x[2] = {1, 2};
        CHECK_EQ_INT(exsol_ds_out_write_double(o, "x", 0, 2, x, err, sizeof err), 0);
        exsol_ds_out_abort(o); /* the stage failed */
    }
    size_t n = 0;
    unsigned char *b = slurp(p, &n);
    CHECK(b && n == 4 && memcmp(b, "GOOD", 4) == 0);
    free(b);
    CHECK_EQ_INT(count_files(".good.nc.tmp"), 0);

    /* a directory as target is refused up front and leaves nothing behind */
    path_in(p, sizeof p, "adir");
    mkdir(p, 0755);
    CHECK_EQ_INT(exsol_ds_out_create(p, NULL, &opts, &o, err, sizeof err), EXSOL_EUSAGE);
    CHECK(o == NULL);
    CHECK_EQ_INT(count_files(".adir.tmp"), 0);
    rmdir(p);

    /* an output folder that does not exist */
    path_in(p, sizeof p, "no/such/dir/out.nc");
    CHECK_EQ_INT(exsol_ds_out_create(p, NULL, &opts, &o, err, sizeof err), EXSOL_EIO);
    CHECK(o == NULL);
}

/* ---- copy-through of stored chunks ----------------------------------- */

static double cell(size_t row, size_t k) /* a value that compresses, but not to nothing */
{
    if (row % 97 == 13)
        return NAN;
    return (double)((row * 2654435761u + k * 40503u) % 1000003u) * 1e-3 + (double)k;
}

/* A shard of `n` rows starting at global row `first`: a scalar `x`, a 3-point curve
 * `y` and text `s`, zstd at `level`. */
static void write_shard(const char *path, size_t first, size_t n, int level)
{
    char err[512];
    exsol_ds_out *o = NULL;
    struct exsol_out_opts opts = {"shard", 1, 0, NULL, level, 0, 0};
    static const double k3[3] = {1, 2, 3};
    CHECK_EQ_INT(exsol_ds_out_create(path, NULL, &opts, &o, err, sizeof err), 0);
    if (!o)
        return;
    CHECK_EQ_INT(exsol_ds_out_def_coord(o, "k", 3, "1", "point", k3), 0);
    CHECK_EQ_INT(exsol_ds_out_def_double(o, "x", NULL, "m", "x"), 0);
    CHECK_EQ_INT(exsol_ds_out_def_double(o, "y", "k", "m", "y"), 0);
    CHECK_EQ_INT(exsol_ds_out_def_text(o, "s", 8, "s"), 0);
    CHECK_EQ_INT(exsol_ds_out_enddef(o, err, sizeof err), 0);
    double *x = malloc(n * sizeof *x), *y = malloc(3 * n * sizeof *y);
    char *s = calloc(n, 8);
    for (size_t r = 0; x && y && s && r < n; r++) {
        x[r] = cell(first + r, 0);
        for (size_t k = 0; k < 3; k++)
            y[3 * r + k] = cell(first + r, k + 1);
        snprintf(s + 8 * r, 8, "r%zu", (first + r) % 1000000);
    }
    for (size_t r = 0; x && y && s && r < n; r += EXSOL_BLOCK) {
        size_t c = n - r < EXSOL_BLOCK ? n - r : EXSOL_BLOCK;
        CHECK_EQ_INT(exsol_ds_out_write_double(o, "x", r, c, x + r, err, sizeof err), 0);
        CHECK_EQ_INT(exsol_ds_out_write_double(o, "y", r, c, y + 3 * r, err, sizeof err), 0);
        CHECK_EQ_INT(exsol_ds_out_write_text(o, "s", r, c, s + 8 * r, 8, err, sizeof err), 0);
    }
    CHECK_EQ_INT(exsol_ds_out_close(o, err, sizeof err), 0);
    free(x);
    free(y);
    free(s);
}

/* Every row of x, y, s in `path` equals rows [0, n) of the generator. */
static void check_rows(const char *path, size_t n)
{
    char err[512];
    exsol_ds *ds = NULL;
    CHECK_EQ_INT(exsol_ds_open(path, &ds, err, sizeof err), 0);
    if (!ds)
        return;
    CHECK_EQ_INT((int)exsol_ds_ncandidates(ds), (int)n);
    double *x = malloc(n * sizeof *x), *y = malloc(3 * n * sizeof *y);
    char *s = calloc(n, 9);
    CHECK_EQ_INT(exsol_ds_read_double(ds, "x", 0, n, x, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_read_double(ds, "y", 0, n, y, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_read_text(ds, "s", 0, n, s, 9, err, sizeof err), 0);
    size_t bad = 0;
    for (size_t r = 0; r < n; r++) {
        char want[9];
        snprintf(want, sizeof want, "r%zu", r % 1000000);
        double e = cell(r, 0);
        bad += !(isnan(e) ? isnan(x[r]) : x[r] == e) || strcmp(s + 9 * r, want) != 0;
        for (size_t k = 0; k < 3; k++) {
            e = cell(r, k + 1);
            bad += !(isnan(e) ? isnan(y[3 * r + k]) : y[3 * r + k] == e);
        }
    }
    CHECK_EQ_INT((int)bad, 0);
    free(x);
    free(y);
    free(s);
    exsol_ds_close(ds);
}

/* The stored (compressed) size of the whole chunks of a variable (the partial last one
 * is left out: it is copied as values), summed, and the number of chunks. */
static unsigned long long stored_bytes(const char *path, const char *var, size_t *nchunks)
{
    unsigned long long total = 0;
    hsize_t n = 0;
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = f < 0 ? -1 : H5Dopen2(f, var, H5P_DEFAULT);
    hid_t sp = d < 0 ? -1 : H5Dget_space(d);
    if (sp >= 0 && H5Dget_num_chunks(d, sp, &n) >= 0)
        for (hsize_t i = 0; i < n; i++) {
            hsize_t off[2];
            unsigned mask;
            haddr_t addr;
            hsize_t size = 0;
            hsize_t dims[2];
            if (H5Dget_chunk_info(d, sp, i, off, &mask, &addr, &size) >= 0 &&
                H5Sget_simple_extent_dims(sp, dims, NULL) >= 1 &&
                off[0] + EXSOL_BLOCK <= dims[0])
                total += size;
        }
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    if (f >= 0)
        H5Fclose(f);
    *nchunks = (size_t)n;
    return total;
}

static void test_stored_chunks(void)
{
    char a[512], b[512], c[512], one[512], two[512], cat[512], err[512];
    struct exsol_out_opts opts = {NULL, 1, 0, NULL, 0, 0, 0};
    exsol_ds *in = NULL, *in2 = NULL;
    exsol_ds_out *o = NULL;
    const size_t na = 2 * EXSOL_BLOCK, nb = EXSOL_BLOCK + 100, nc = 5000;

    /* a stage: the input's whole chunks (zstd level 12) reach the output (level 1) as
     * they are stored, byte for byte; decoded and encoded again they would be larger */
    path_in(one, sizeof one, "stage_in.nc");
    path_in(two, sizeof two, "stage_out.nc");
    write_shard(one, 0, na + 77, 12);
    CHECK_EQ_INT(exsol_ds_open(one, &in, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_out_create(two, in, &opts, &o, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_out_def_double(o, "z", NULL, "1", "z"), 0);
    CHECK_EQ_INT(exsol_ds_out_enddef(o, err, sizeof err), 0);
    double z[77] = {0};
    CHECK_EQ_INT(exsol_ds_out_write_double(o, "z", na, 77, z, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_out_close(o, err, sizeof err), 0);
    exsol_ds_close(in);
    check_rows(two, na + 77);
    const char *vars[3] = {"x", "y", "s"};
    for (int v = 0; v < 3; v++) {
        size_t n1 = 0, n2 = 0;
        unsigned long long s1 = stored_bytes(one, vars[v], &n1);
        unsigned long long s2 = stored_bytes(two, vars[v], &n2);
        CHECK(n1 == 3 && n2 == 3 && s1 > 0);
        CHECK(s1 == s2);
    }

    /* shards appended: chunk-aligned offsets take stored chunks, the rest values
     * (b's last 100 rows; c starts off a chunk boundary) */
    path_in(a, sizeof a, "part_a.nc");
    path_in(b, sizeof b, "part_b.nc");
    path_in(c, sizeof c, "part_c.nc");
    path_in(cat, sizeof cat, "parts.nc");
    write_shard(a, 0, na, 3);
    write_shard(b, na, nb, 3);
    write_shard(c, na + nb, nc, 3);
    CHECK_EQ_INT(exsol_ds_open(a, &in, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_out_create(cat, in, &opts, &o, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_out_enddef(o, err, sizeof err), 0);
    const char *rest[2] = {b, c};
    for (int k = 0; k < 2; k++) {
        CHECK_EQ_INT(exsol_ds_open(rest[k], &in2, err, sizeof err), 0);
        CHECK_EQ_INT(exsol_ds_out_append(o, in2, err, sizeof err), 0);
        exsol_ds_close(in2); /* closed before the output: reopened by name at close */
    }
    CHECK_EQ_INT(exsol_ds_out_close(o, err, sizeof err), 0);
    exsol_ds_close(in);
    check_rows(cat, na + nb + nc);

    /* every row as stored chunks and nothing written through netCDF: the output still
     * has all its rows (netCDF takes the length from the datasets) */
    path_in(two, sizeof two, "whole.nc");
    CHECK_EQ_INT(exsol_ds_open(a, &in, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_out_create(two, in, &opts, &o, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_out_close(o, err, sizeof err), 0);
    exsol_ds_close(in);
    check_rows(two, na);

    /* an input whose name goes to another file between reading it and closing the
     * output: the chunks still come from the file that was read */
    size_t nch = 0;
    path_in(c, sizeof c, "part_a_again.nc");
    write_shard(c, 0, na, 3);
    unsigned long long sa = stored_bytes(c, "x", &nch);
    path_in(two, sizeof two, "renamed.nc");
    CHECK_EQ_INT(exsol_ds_open(c, &in, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_out_create(two, in, &opts, &o, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_out_enddef(o, err, sizeof err), 0);
    exsol_ds_close(in);
    CHECK_EQ_INT(rename(b, c), 0); /* part_b's rows under part_a_again's name */
    CHECK_EQ_INT(exsol_ds_out_close(o, err, sizeof err), 0);
    check_rows(two, na);
    CHECK(stored_bytes(two, "x", &nch) == sa); /* as stored, not values */

    /* the same without a descriptor to spare: values are copied at once instead (the
     * stored sizes show it: level 1 here, 3 in the input), from the file that was read */
    struct rlimit lim = {0}, tight;
    sa = stored_bytes(a, "x", &nch);
    path_in(two, sizeof two, "no_fd.nc");
    CHECK_EQ_INT(exsol_ds_open(a, &in, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_ds_out_create(two, in, &opts, &o, err, sizeof err), 0);
    int probe = dup(0); /* the lowest free descriptor: a limit there makes the next fail */
    CHECK(probe >= 0 && getrlimit(RLIMIT_NOFILE, &lim) == 0);
    close(probe);
    tight = lim;
    tight.rlim_cur = (rlim_t)probe;
    CHECK_EQ_INT(setrlimit(RLIMIT_NOFILE, &tight), 0);
    CHECK_EQ_INT(exsol_ds_out_enddef(o, err, sizeof err), 0);
    CHECK_EQ_INT(setrlimit(RLIMIT_NOFILE, &lim), 0);
    exsol_ds_close(in);
    path_in(c, sizeof c, "part_c.nc");
    CHECK_EQ_INT(rename(c, a), 0);
    CHECK_EQ_INT(exsol_ds_out_close(o, err, sizeof err), 0);
    check_rows(two, na);
    CHECK(stored_bytes(two, "x", &nch) != sa);
}

static void cleanup_dir(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[600];
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' && (e->d_name[1] == '\0' || e->d_name[1] == '.'))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* Two outputs of one run (exsol-rank -o and --tsv): exsol_ds_out_finish and
 * exsol_outfile_finish do everything that can fail on the data but put nothing in
 * place, so either output's failure can still discard both and leave the good
 * files at both paths as they were (DESIGN.md §4, issue #18). */
static int new_netcdf(const char *path, exsol_ds_out **o, char *err, size_t errlen)
{
    static const double x[3] = {1.0, 2.0, 3.0};
    struct exsol_out_opts opts = {"two outputs", 1, 0, NULL, 0, 0, 0};
    int rc = exsol_ds_out_create(path, NULL, &opts, o, err, errlen);
    if (!rc)
        rc = exsol_ds_out_def_double(*o, "x", NULL, "m", "a length");
    if (!rc)
        rc = exsol_ds_out_enddef(*o, err, errlen);
    if (!rc)
        rc = exsol_ds_out_write_double(*o, "x", 0, 3, x, err, errlen);
    return rc;
}

static void test_two_outputs(void)
{
    char nc[512], tsv[512], err[512] = "";
    size_t n0 = 0, n1 = 0;
    path_in(nc, sizeof nc, "two.nc");
    path_in(tsv, sizeof tsv, "two.tsv");
    CHECK_EQ_INT(write_fixture(nc, 1, 0), 0);
    spit(tsv, "good\n", 5);
    unsigned char *good = slurp(nc, &n0);
    for (int commit = 0; commit <= 1; commit++) {
        exsol_ds_out *o = NULL;
        exsol_outfile *f = NULL;
        FILE *fp = NULL;
        CHECK_EQ_INT(new_netcdf(nc, &o, err, sizeof err), 0);
        CHECK_EQ_INT(exsol_outfile_open(tsv, &f, &fp, err, sizeof err), 0);
        fputs("new\n", fp);
        CHECK_EQ_INT(exsol_outfile_finish(f, err, sizeof err), 0);
        CHECK_EQ_INT(exsol_ds_out_finish(o, err, sizeof err), 0);
        CHECK_EQ_INT(exsol_ds_out_finish(o, err, sizeof err), 0); /* idempotent */
        /* both finished, neither in place: the old files are still there */
        unsigned char *now = slurp(nc, &n1);
        CHECK(now && good && n1 == n0 && memcmp(now, good, n0) == 0);
        free(now);
        now = slurp(tsv, &n1);
        CHECK(now && n1 == 5 && memcmp(now, "good\n", 5) == 0);
        free(now);
        CHECK_EQ_INT(count_files(".tmp"), 2);
        if (commit) {
            CHECK_EQ_INT(exsol_ds_out_close(o, err, sizeof err), 0);
            CHECK_EQ_INT(exsol_outfile_commit(f, err, sizeof err), 0);
        } else {
            exsol_ds_out_abort(o);
            exsol_outfile_abort(f);
        }
        CHECK_EQ_INT(count_files(".tmp"), 0);
        now = slurp(tsv, &n1);
        CHECK(now && n1 == (commit ? 4u : 5u) &&
              memcmp(now, commit ? "new\n" : "good\n", n1) == 0);
        free(now);
        now = slurp(nc, &n1);
        CHECK(now && (n1 == n0 && memcmp(now, good, n0) == 0) == !commit);
        free(now);
    }
    free(good);
    unlink(nc);
    unlink(tsv);
}

/* A reader that cannot load a filter is told where the plugin goes. */
static void test_filter_hint(void)
{
    CHECK(strstr(exsol_ds_filter_hint(NC_ENOFILTER), "HDF5_PLUGIN_PATH") != NULL);
    CHECK(strstr(exsol_ds_filter_hint(NC_ENOFILTER), "make install") != NULL);
    CHECK(strstr(exsol_ds_filter_hint(NC_EFILTER), "plugin") != NULL);
    CHECK_STR(exsol_ds_filter_hint(NC_EHDFERR), "");
}

int main(void)
{
    test_filter_hint();
    snprintf(dir, sizeof dir, "/tmp/exsol_test_dataset_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    CHECK_EQ_INT(exsol_zstd_register(), 0);
    CHECK_EQ_INT(exsol_zstd_register(), 0); /* idempotent */
    test_file_roundtrip();
    test_copy_through();
    test_stdout_and_stdin();
    test_bad_inputs();
    test_failure_hygiene();
    test_stored_chunks();
    test_two_outputs();
    cleanup_dir();
    return check_report("test_dataset");
}
