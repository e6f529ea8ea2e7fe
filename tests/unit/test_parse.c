/* Unit tests for exsol/parse.h: numbers, quantities with unit suffixes, lists and
 * ranges, round-trip formatting, and independence from LC_NUMERIC.
 *
 * The locale check needs a locale whose decimal separator is a comma. If
 * de_DE.UTF-8 is not installed, the test compiles one with localedef into a
 * temporary LOCPATH directory; if that is impossible too it falls back to
 * setlocale(LC_NUMERIC, "") and says so on stdout. */
#include "check.h"
#include "exsol/error.h"
#include "exsol/parse.h"

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char err[512];

static double qty(const char *s, enum exsol_qty_kind k)
{
    double v = NAN;
    int rc = exsol_parse_quantity(s, k, EXSOL_P_TOTAL_DEFAULT_PA, &v, err, sizeof err);
    if (rc) {
        fprintf(stderr, "unexpected error for '%s': %s\n", s, err);
        return NAN;
    }
    return v;
}

static int qty_rc(const char *s, enum exsol_qty_kind k)
{
    double v = 0;
    err[0] = '\0';
    return exsol_parse_quantity(s, k, EXSOL_P_TOTAL_DEFAULT_PA, &v, err, sizeof err);
}

static void test_numbers(void)
{
    double v = 0;
    CHECK_EQ_INT(exsol_parse_double("1.5", &v, err, sizeof err), 0);
    CHECK(v == 1.5);
    CHECK_EQ_INT(exsol_parse_double(" -2.5e-3 ", &v, err, sizeof err), 0);
    CHECK(v == -2.5e-3);
    CHECK_EQ_INT(exsol_parse_double(".5", &v, err, sizeof err), 0);
    CHECK(v == 0.5);
    CHECK_EQ_INT(exsol_parse_double("7.", &v, err, sizeof err), 0);
    CHECK(v == 7.0);
    const char *bad[] = {"",    "  ",        "abc",   "1.5x",   "nan",    "NaN",
                         "inf", "-Infinity", "0x10",  "1e",     "1e+",    "1,5",
                         "--1", "1 2",       "1e999", "-1e999", "1e-400", "."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 42.0;
        int rc = exsol_parse_double(bad[i], &v, err, sizeof err);
        if (rc != EXSOL_EVALUE)
            fprintf(stderr, "accepted bad number '%s'\n", bad[i]);
        CHECK_EQ_INT(rc, EXSOL_EVALUE);
        CHECK(v == 42.0); /* untouched on error */
    }
    CHECK_EQ_INT(exsol_parse_double("1e999", &v, err, sizeof err), EXSOL_EVALUE);
    CHECK_STR(err, "number '1e999' is out of range");
    CHECK_EQ_INT(exsol_parse_double("1.5x", &v, err, sizeof err), EXSOL_EVALUE);
    CHECK_STR(err, "invalid number '1.5x'");

    long l = -1;
    CHECK_EQ_INT(exsol_parse_long("42", &l, err, sizeof err), 0);
    CHECK_EQ_INT(l, 42);
    CHECK_EQ_INT(exsol_parse_long("9223372036854775807", &l, err, sizeof err), 0);
    CHECK(l == 9223372036854775807L);
    CHECK_EQ_INT(exsol_parse_long("9223372036854775808", &l, err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(exsol_parse_long("-1", &l, err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(exsol_parse_long("1.0", &l, err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(exsol_parse_long("", &l, err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(exsol_parse_long("3x", &l, err, sizeof err), EXSOL_EVALUE);
}

static void test_quantities(void)
{
    CHECK_CLOSE(qty("550C", EXSOL_QTY_TEMPERATURE), 823.15, 0, 1e-12);
    CHECK_CLOSE(qty("823.15K", EXSOL_QTY_TEMPERATURE), 823.15, 0, 1e-12);
    CHECK_CLOSE(qty("550degC", EXSOL_QTY_TEMPERATURE), 823.15, 0, 1e-12);
    CHECK_CLOSE(qty("550 C", EXSOL_QTY_TEMPERATURE), 823.15, 0, 1e-12);
    CHECK_CLOSE(qty("-200C", EXSOL_QTY_TEMPERATURE), 73.15, 0, 1e-12);
    CHECK_EQ_INT(qty_rc("-300C", EXSOL_QTY_TEMPERATURE), EXSOL_EVALUE);
    CHECK_STR(err, "temperature '-300C' is below absolute zero");
    CHECK_EQ_INT(qty_rc("-273.15C", EXSOL_QTY_TEMPERATURE), EXSOL_EVALUE);
    CHECK_EQ_INT(qty_rc("0K", EXSOL_QTY_TEMPERATURE), EXSOL_EVALUE);
    CHECK_EQ_INT(qty_rc("550", EXSOL_QTY_TEMPERATURE), EXSOL_EVALUE);
    CHECK_STR(err, "temperature '550' needs a unit (K or C)");
    CHECK_EQ_INT(qty_rc("550F", EXSOL_QTY_TEMPERATURE), EXSOL_EVALUE);
    CHECK_STR(err, "unknown unit 'F' in temperature '550F' (use K or C)");
    CHECK_EQ_INT(qty_rc("550c", EXSOL_QTY_TEMPERATURE), EXSOL_EVALUE);
    CHECK_EQ_INT(qty_rc("nanK", EXSOL_QTY_TEMPERATURE), EXSOL_EVALUE);
    CHECK_EQ_INT(qty_rc("infC", EXSOL_QTY_TEMPERATURE), EXSOL_EVALUE);
    CHECK_EQ_INT(qty_rc("", EXSOL_QTY_TEMPERATURE), EXSOL_EVALUE);
    CHECK_EQ_INT(qty_rc("K", EXSOL_QTY_TEMPERATURE), EXSOL_EVALUE);

    CHECK_CLOSE(qty("5h", EXSOL_QTY_TIME), 18000.0, 0, 0);
    CHECK_CLOSE(qty("30min", EXSOL_QTY_TIME), 1800.0, 0, 0);
    CHECK_CLOSE(qty("12.5s", EXSOL_QTY_TIME), 12.5, 0, 0);
    CHECK_CLOSE(qty("0s", EXSOL_QTY_TIME), 0.0, 0, 0);
    CHECK_EQ_INT(qty_rc("-1h", EXSOL_QTY_TIME), EXSOL_EVALUE);
    CHECK_EQ_INT(qty_rc("5", EXSOL_QTY_TIME), EXSOL_EVALUE);
    CHECK_STR(err, "time '5' needs a unit (s, min or h)");

    CHECK_CLOSE(qty("30nm", EXSOL_QTY_LENGTH), 30e-9, 1e-15, 0);
    CHECK_CLOSE(qty("2um", EXSOL_QTY_LENGTH), 2e-6, 1e-15, 0);
    CHECK_CLOSE(qty("1.5mm", EXSOL_QTY_LENGTH), 1.5e-3, 1e-15, 0);
    CHECK_CLOSE(qty("3.905A", EXSOL_QTY_LENGTH), 3.905e-10, 1e-15, 0);
    CHECK_CLOSE(qty("1m", EXSOL_QTY_LENGTH), 1.0, 0, 0);
    CHECK_EQ_INT(qty_rc("0nm", EXSOL_QTY_LENGTH), EXSOL_EVALUE);
    CHECK_EQ_INT(qty_rc("30 nm x", EXSOL_QTY_LENGTH), EXSOL_EVALUE);

    CHECK_CLOSE(qty("5%", EXSOL_QTY_PRESSURE), 0.05 * 101325.0, 1e-15, 0);
    CHECK_CLOSE(qty("100ppm", EXSOL_QTY_PRESSURE), 1e-4 * 101325.0, 1e-15, 0);
    CHECK_CLOSE(qty("1bar", EXSOL_QTY_PRESSURE), 1e5, 0, 0);
    CHECK_CLOSE(qty("10mbar", EXSOL_QTY_PRESSURE), 1e3, 1e-15, 0);
    CHECK_CLOSE(qty("2.5kPa", EXSOL_QTY_PRESSURE), 2500.0, 1e-15, 0);
    CHECK_CLOSE(qty("1atm", EXSOL_QTY_PRESSURE), 101325.0, 0, 0);
    CHECK_CLOSE(qty("3Pa", EXSOL_QTY_PRESSURE), 3.0, 0, 0);
    double v = 0;
    CHECK_EQ_INT(exsol_parse_quantity("5%", EXSOL_QTY_PRESSURE, 2e5, &v, err, sizeof err), 0);
    CHECK_CLOSE(v, 1e4, 1e-15, 0);
    CHECK_EQ_INT(qty_rc("-1Pa", EXSOL_QTY_PRESSURE), EXSOL_EVALUE);
    CHECK_EQ_INT(qty_rc("5", EXSOL_QTY_PRESSURE), EXSOL_EVALUE);

    CHECK_CLOSE(qty("0.1", EXSOL_QTY_FRACTION), 0.1, 0, 0);
    CHECK_CLOSE(qty("10%", EXSOL_QTY_FRACTION), 0.1, 1e-15, 0);
    CHECK_EQ_INT(qty_rc("1.5", EXSOL_QTY_FRACTION), EXSOL_EVALUE);
    CHECK_EQ_INT(qty_rc("5ppm", EXSOL_QTY_FRACTION), EXSOL_EVALUE);
    CHECK_CLOSE(qty("-3.5", EXSOL_QTY_NUMBER), -3.5, 0, 0);
    CHECK_EQ_INT(qty_rc("3K", EXSOL_QTY_NUMBER), EXSOL_EVALUE);
    CHECK_STR(err, "invalid number '3K'");
}

static int list(const char *s, enum exsol_qty_kind k, double **v, size_t *n)
{
    *v = NULL;
    *n = 0;
    err[0] = '\0';
    return exsol_parse_list(s, k, EXSOL_P_TOTAL_DEFAULT_PA, v, n, err, sizeof err);
}

static void test_lists(void)
{
    double *v = NULL;
    size_t n = 0;
    CHECK_EQ_INT(list("500C:900C:50C", EXSOL_QTY_TEMPERATURE, &v, &n), 0);
    CHECK_EQ_INT(n, 9);
    if (n == 9) {
        CHECK_CLOSE(v[0], 773.15, 0, 1e-9);
        CHECK_CLOSE(v[4], 973.15, 0, 1e-9);
        CHECK(v[8] == 1173.15); /* exactly the stop */
    }
    free(v);
    /* step in K, start/stop in C; bare step takes the start's unit */
    CHECK_EQ_INT(list("773.15K:900C:50K", EXSOL_QTY_TEMPERATURE, &v, &n), 0);
    CHECK_EQ_INT(n, 9);
    free(v);
    CHECK_EQ_INT(list("500C:900C:50", EXSOL_QTY_TEMPERATURE, &v, &n), 0);
    CHECK_EQ_INT(n, 9);
    free(v);
    /* inclusive stop despite binary rounding of 0.1 */
    CHECK_EQ_INT(list("0:1:0.1", EXSOL_QTY_FRACTION, &v, &n), 0);
    CHECK_EQ_INT(n, 11);
    if (n == 11)
        CHECK(v[10] == 1.0);
    free(v);
    /* stop not on the grid: last value below stop */
    CHECK_EQ_INT(list("1h:4h:2h", EXSOL_QTY_TIME, &v, &n), 0);
    CHECK_EQ_INT(n, 2);
    if (n == 2)
        CHECK_CLOSE(v[1], 3 * 3600.0, 0, 0);
    free(v);
    /* descending range */
    CHECK_EQ_INT(list("900C:500C:-100C", EXSOL_QTY_TEMPERATURE, &v, &n), 0);
    CHECK_EQ_INT(n, 5);
    if (n == 5)
        CHECK_CLOSE(v[4], 773.15, 0, 1e-9);
    free(v);
    /* single-point range */
    CHECK_EQ_INT(list("5%:5%:1%", EXSOL_QTY_PRESSURE, &v, &n), 0);
    CHECK_EQ_INT(n, 1);
    free(v);
    /* lists, with spaces and mixed units, ranges inside lists */
    CHECK_EQ_INT(list("10nm, 30nm,0.1um", EXSOL_QTY_LENGTH, &v, &n), 0);
    CHECK_EQ_INT(n, 3);
    if (n == 3)
        CHECK_CLOSE(v[2], 1e-7, 1e-15, 0);
    free(v);
    CHECK_EQ_INT(list("1h,2h:4h:1h", EXSOL_QTY_TIME, &v, &n), 0);
    CHECK_EQ_INT(n, 4);
    free(v);
    CHECK_EQ_INT(list("550C", EXSOL_QTY_TEMPERATURE, &v, &n), 0);
    CHECK_EQ_INT(n, 1);
    free(v);

    /* errors */
    CHECK_EQ_INT(list("900C:500C:50C", EXSOL_QTY_TEMPERATURE, &v, &n), EXSOL_EVALUE);
    CHECK_STR(err, "empty range '900C:500C:50C'");
    CHECK(v == NULL);
    CHECK_EQ_INT(list("500C:900C:0C", EXSOL_QTY_TEMPERATURE, &v, &n), EXSOL_EVALUE);
    CHECK_STR(err, "empty range '500C:900C:0C'");
    CHECK_EQ_INT(list("500C:900C:-50C", EXSOL_QTY_TEMPERATURE, &v, &n), EXSOL_EVALUE);
    CHECK_STR(err, "empty range '500C:900C:-50C'");
    CHECK_EQ_INT(list("500C:900C", EXSOL_QTY_TEMPERATURE, &v, &n), EXSOL_EVALUE);
    CHECK_EQ_INT(list("500C:900C:50C:1C", EXSOL_QTY_TEMPERATURE, &v, &n), EXSOL_EVALUE);
    CHECK_EQ_INT(list("-300C:900C:50C", EXSOL_QTY_TEMPERATURE, &v, &n), EXSOL_EVALUE);
    CHECK_STR(err, "temperature '-300C' is below absolute zero");
    CHECK_EQ_INT(list("500:900C:50C", EXSOL_QTY_TEMPERATURE, &v, &n), EXSOL_EVALUE);
    CHECK_STR(err, "temperature '500' needs a unit (K or C)");
    CHECK_EQ_INT(list("1,,2", EXSOL_QTY_NUMBER, &v, &n), EXSOL_EVALUE);
    CHECK_EQ_INT(list("1,2,", EXSOL_QTY_NUMBER, &v, &n), EXSOL_EVALUE);
    CHECK_EQ_INT(list("", EXSOL_QTY_NUMBER, &v, &n), EXSOL_EVALUE);
    CHECK_EQ_INT(list("0:1e9:1", EXSOL_QTY_NUMBER, &v, &n), EXSOL_EVALUE);
    CHECK_EQ_INT(list("0:1:1e-300", EXSOL_QTY_NUMBER, &v, &n), EXSOL_EVALUE);
    CHECK_EQ_INT(list("0:999999:1", EXSOL_QTY_NUMBER, &v, &n), 0);
    CHECK_EQ_INT(n, EXSOL_LIST_MAX);
    free(v);
    CHECK_EQ_INT(list("1,0:999999:1", EXSOL_QTY_NUMBER, &v, &n), EXSOL_EVALUE);
    CHECK(v == NULL);
}

static void test_format(void)
{
    const double vals[] = {0.1,
                           1.0 / 3.0,
                           823.15,
                           1e-300,
                           5e-324,
                           1.7976931348623157e308,
                           -2.5,
                           0.0,
                           101325.0,
                           1.602176634e-19,
                           3.0000000000000004};
    char buf[64];
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        exsol_format_double(vals[i], buf, sizeof buf);
        double back = strtod(buf, NULL);
        CHECK(memcmp(&back, &vals[i], sizeof back) == 0);
    }
    exsol_format_double(0.1, buf, sizeof buf);
    CHECK_STR(buf, "0.1");
    exsol_format_double(823.15, buf, sizeof buf);
    CHECK_STR(buf, "823.15");
    exsol_format_double(3.0000000000000004, buf, sizeof buf);
    CHECK_STR(buf, "3.0000000000000004");
    /* pseudo-random bit patterns round-trip */
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 2000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double d;
        memcpy(&d, &x, sizeof d);
        if (!isfinite(d))
            continue;
        exsol_format_double(d, buf, sizeof buf);
        double back = strtod(buf, NULL);
        CHECK(memcmp(&back, &d, sizeof d) == 0);
    }
}

/* Tries to switch to a locale with a decimal comma. Returns 1 on success. */
static int comma_locale(char *tmpdir, size_t tmplen)
{
    tmpdir[0] = '\0';
    if (setlocale(LC_ALL, "de_DE.UTF-8") && localeconv()->decimal_point[0] == ',')
        return 1;
    /* not installed: compile one (needs localedef and the de_DE source) */
    snprintf(tmpdir, tmplen, "/tmp/exsol-test-locale-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        tmpdir[0] = '\0';
        return 0;
    }
    char cmd[512];
    snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1",
             tmpdir);
    if (system(cmd) != 0)
        return 0;
    setenv("LOCPATH", tmpdir, 1);
    return setlocale(LC_ALL, "de_DE.UTF-8") && localeconv()->decimal_point[0] == ',';
}

static void test_locale(void)
{
    char tmpdir[256];
    if (comma_locale(tmpdir, sizeof tmpdir)) {
        printf("test_parse: locale check under de_DE.UTF-8 (decimal comma)\n");
        /* the C library itself now reads "1,5" */
        CHECK(strtod("1,5", NULL) == 1.5);
    } else {
        printf("test_parse: no decimal-comma locale available; checking under "
               "setlocale(LC_NUMERIC, \"\") only\n");
        setlocale(LC_NUMERIC, "");
    }
    double v = 0;
    CHECK_EQ_INT(exsol_parse_double("1.5", &v, err, sizeof err), 0);
    CHECK(v == 1.5);
    CHECK_EQ_INT(exsol_parse_double("1,5", &v, err, sizeof err), EXSOL_EVALUE);
    CHECK_CLOSE(qty("823.15K", EXSOL_QTY_TEMPERATURE), 823.15, 0, 0);
    double *l = NULL;
    size_t n = 0;
    CHECK_EQ_INT(list("0.5h,1.5h", EXSOL_QTY_TIME, &l, &n), 0);
    CHECK_EQ_INT(n, 2);
    if (n == 2)
        CHECK(l[1] == 5400.0);
    free(l);
    char buf[64];
    exsol_format_double(2.5, buf, sizeof buf);
    CHECK_STR(buf, "2.5");
    /* worker threads (which follow the global locale) parse the same way */
    int bad = 0;
#pragma omp parallel for reduction(+ : bad)
    for (int i = 0; i < 2000; i++) {
        char s[32], e[128];
        double x = 0.0;
        snprintf(s, sizeof s, "%d.25K", i + 1);
        for (char *c = s; *c; c++)
            if (*c == ',')
                *c = '.'; /* snprintf itself follows the comma locale */
        if (exsol_parse_quantity(s, EXSOL_QTY_TEMPERATURE, 0.0, &x, e, sizeof e) ||
            x != (double)(i + 1) + 0.25)
            bad++;
    }
    CHECK_EQ_INT(bad, 0);
    /* the caller's locale is left as it was */
    if (tmpdir[0] && localeconv()->decimal_point[0] == ',')
        CHECK(strtod("1,5", NULL) == 1.5);
    setlocale(LC_ALL, "C");
    if (tmpdir[0]) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmpdir);
    }
}

int main(void)
{
    test_numbers();
    test_quantities();
    test_lists();
    test_format();
    test_locale();
    return check_report("test_parse");
}
