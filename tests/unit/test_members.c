/* Unit tests for exsol/members.h: the counter-based uniform, Latin-hypercube strata,
 * independence of the draws from the other parameters of the registry, the D0 draw
 * through D(T_ref), --set pinning, applying members and reading member files. */
#include "check.h"
#include "exsol/error.h"
#include "exsol/members.h"
#include "exsol/params.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char err[512];

static long column(const exsol_members *m, const char *name)
{
    for (size_t k = 0; k < exsol_members_nparams(m); k++)
        if (strcmp(exsol_members_name(m, k), name) == 0)
            return (long)k;
    return -1;
}

static double cell(const exsol_members *m, size_t j, long k)
{
    return k < 0 ? NAN : atof(exsol_members_cell(m, j, (size_t)k));
}

static void test_u01(void)
{
    double a = exsol_members_u01(1, "E_a", 0, 0), b = exsol_members_u01(1, "E_a", 0, 0);
    CHECK(a == b);
    CHECK(exsol_members_u01(2, "E_a", 0, 0) != a);
    CHECK(exsol_members_u01(1, "E_b", 0, 0) != a);
    CHECK(exsol_members_u01(1, "E_a", 1, 0) != a);
    double s = 0;
    for (unsigned j = 0; j < 10000; j++) {
        double u = exsol_members_u01(5, "x", j, 1);
        CHECK(u > 0 && u < 1);
        s += u;
    }
    CHECK_CLOSE(s / 10000, 0.5, 0, 0.02);
}

static void test_draw(void)
{
    exsol_params *p = NULL, *q = NULL;
    exsol_members *m = NULL, *m2 = NULL, *mq = NULL;
    const size_t n = 16;
    CHECK_EQ_INT(exsol_params_load("reduce+defects", &p, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_params_load("reduce", &q, err, sizeof err), 0);
    if (!p || !q)
        goto done;
    CHECK_EQ_INT(exsol_members_draw(p, n, 42, &m, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_members_draw(p, n, 42, &m2, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_members_draw(q, n, 42, &mq, err, sizeof err), 0);
    if (!m || !m2 || !mq)
        goto done;
    CHECK_EQ_INT(exsol_members_count(m), n);
    long ke = column(m, "E_a"), kd = column(m, "D0"), kk = column(m, "K_red0");
    CHECK(ke >= 0 && kd >= 0 && kk >= 0);
    CHECK(column(m, "air_exposed") < 0);            /* fixed: not drawn */
    CHECK(column(m, "gamma_interface_rel_Co") < 0); /* fixed */
    CHECK(column(mq, "K_red0") < 0);                /* not in "reduce" */
    /* E_a ~ Uniform(2.0, 3.5) eV: one draw per stratum */
    int seen[16] = {0};
    for (size_t j = 0; j < n; j++) {
        double u = (cell(m, j, ke) - 2.0) / 1.5;
        CHECK(u > 0 && u < 1);
        int s = (int)floor(u * (double)n);
        if (s >= 0 && s < 16)
            seen[s]++;
    }
    for (size_t s = 0; s < n; s++)
        CHECK_EQ_INT(seen[s], 1);
    /* D0 = D(823.15 K) exp(E_a/kT): log10 D(T_ref) stratified in [-20.5, -18.5] */
    memset(seen, 0, sizeof seen);
    for (size_t j = 0; j < n; j++) {
        double e = cell(m, j, ke) * 1.602176634e-19;
        double d = cell(m, j, kd) * exp(-e / (1.380649e-23 * 823.15));
        double u = (log10(d) - log10(3.162e-21)) / 2.0;
        CHECK(u > -1e-9 && u < 1 + 1e-9);
        int s = (int)floor(u * (double)n);
        if (s >= 0 && s < 16)
            seen[s]++;
    }
    for (size_t s = 0; s < n; s++)
        CHECK_EQ_INT(seen[s], 1);
    /* the same seed, the same bytes; a parameter's draws do not depend on the others */
    for (size_t j = 0; j < n; j++)
        for (size_t k = 0; k < exsol_members_nparams(m); k++)
            CHECK_STR(exsol_members_cell(m, j, k), exsol_members_cell(m2, j, k));
    long qe = column(mq, "E_a");
    for (size_t j = 0; j < n; j++)
        CHECK_STR(exsol_members_cell(m, j, (size_t)ke), exsol_members_cell(mq, j, (size_t)qe));
    /* every member applies; the copy gets the values, the original keeps its own */
    exsol_params *c = exsol_params_clone(p);
    CHECK(c != NULL);
    for (size_t j = 0; c && j < n; j++) {
        CHECK_EQ_INT(exsol_members_apply(m, j, c, err, sizeof err), 0);
        CHECK_CLOSE(exsol_params_get(c, "E_a") / 1.602176634e-19, cell(m, j, ke), 1e-12, 0);
    }
    CHECK_CLOSE(exsol_params_get(p, "E_a") / 1.602176634e-19, 2.5, 1e-12, 0);
    exsol_params_free(c);
    /* --set pins */
    exsol_members_free(m2);
    m2 = NULL;
    CHECK_EQ_INT(exsol_params_set(p, "E_a=2.6", err, sizeof err), 0);
    CHECK_EQ_INT(exsol_members_draw(p, 4, 42, &m2, err, sizeof err), 0);
    CHECK(m2 && column(m2, "E_a") < 0 && column(m2, "D0") >= 0);
    exsol_members_free(mq);
    mq = NULL;
    CHECK_EQ_INT(exsol_members_draw(p, 0, 42, &mq, err, sizeof err), EXSOL_EVALUE);
done:
    exsol_members_free(m), exsol_members_free(m2), exsol_members_free(mq);
    exsol_params_free(p), exsol_params_free(q);
}

static int read_text(const exsol_params *p, const char *text, exsol_members **m)
{
    char path[] = "/tmp/exsol-test-members-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return -1;
    FILE *fp = fdopen(fd, "w");
    fputs(text, fp);
    fclose(fp);
    err[0] = '\0';
    int rc = exsol_members_read(path, p, m, err, sizeof err);
    unlink(path);
    return rc;
}

static void test_read(void)
{
    exsol_params *p = NULL;
    exsol_members *m = NULL;
    CHECK_EQ_INT(exsol_params_load("reduce", &p, err, sizeof err), 0);
    if (!p)
        return;
    CHECK_EQ_INT(
        read_text(p, "# comment\nmember\tE_a\tgamma_interface\n0\t2.4\t0.7\n1\t2.6 eV\t0.8\n",
                  &m),
        0);
    CHECK(m && exsol_members_count(m) == 2 && exsol_members_nparams(m) == 2);
    if (m)
        CHECK_STR(exsol_members_cell(m, 1, 0), "2.6 eV");
    exsol_members_free(m);
    m = NULL;
    CHECK_EQ_INT(read_text(p, "member\n0\n1\n", &m), 0); /* members at the table's values */
    CHECK(m && exsol_members_count(m) == 2 && exsol_members_nparams(m) == 0);
    exsol_members_free(m);
    m = NULL;
    CHECK_EQ_INT(read_text(p, "E_a\n2.4\n", &m), EXSOL_EVALUE);
    CHECK_EQ_INT(read_text(p, "member\tbogus\n0\t1\n", &m), EXSOL_EVALUE);
    CHECK_EQ_INT(read_text(p, "member\tE_a\n0\n", &m), EXSOL_EVALUE);
    CHECK_EQ_INT(read_text(p, "member\tE_a\n0\t9\n", &m), EXSOL_EVALUE);
    CHECK(strstr(err, "member 0") != NULL);
    CHECK_EQ_INT(read_text(p, "member\tE_a\n", &m), EXSOL_EVALUE);
    CHECK(m == NULL);
    CHECK_EQ_INT(exsol_members_read("/nonexistent/m.tsv", p, &m, err, sizeof err), EXSOL_EIO);
    exsol_params_free(p);
}

/* The Saltelli design: A = the draw of (n, seed), B another Latin hypercube, and block
 * 2 + i equal to A but for column i, which is B's; E_a's column moves D0 with it (D0
 * is drawn as D(T_ref), the independent input); a listed subset varies alone; an
 * unknown or fixed name is refused. */
static void test_saltelli(void)
{
    exsol_params *p = NULL;
    exsol_members *d = NULL, *s = NULL, *sub = NULL, *bad = NULL;
    const size_t n = 8;
    CHECK_EQ_INT(exsol_params_load("reduce+defects", &p, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_members_draw(p, n, 3, &d, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_members_saltelli(p, n, 3, NULL, 0, &s, err, sizeof err), 0);
    const size_t k = exsol_members_nparams(s);
    CHECK_EQ_INT((int)k, (int)exsol_members_nparams(d));
    CHECK_EQ_INT((int)exsol_members_count(s), (int)(n * (k + 2)));
    int a_same = 1, b_diff = 0, blocks = 1;
    for (size_t j = 0; j < n; j++)
        for (size_t c = 0; c < k; c++) {
            a_same &= strcmp(exsol_members_cell(s, j, c), exsol_members_cell(d, j, c)) == 0;
            b_diff += strcmp(exsol_members_cell(s, n + j, c), exsol_members_cell(s, j, c)) != 0;
        }
    long ea = column(s, "E_a"), d0 = column(s, "D0");
    CHECK(ea >= 0 && d0 >= 0);
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < n; j++)
            for (size_t c = 0; c < k; c++) {
                size_t from = c == i ? n + j : j; /* B's row for column i, else A's */
                int same = strcmp(exsol_members_cell(s, (2 + i) * n + j, c),
                                  exsol_members_cell(s, from, c)) == 0;
                if ((long)c == d0) { /* D0: the input is D(T_ref) = D0 exp(-E_a / kT) */
                    const double kT0 = 8.617333262e-5 * 823.15;
                    size_t r = (2 + i) * n + j;
                    double got = cell(s, r, d0) * exp(-cell(s, r, ea) / kT0);
                    double want = cell(s, from, d0) * exp(-cell(s, from, ea) / kT0);
                    same = fabs(got - want) <= 1e-9 * fabs(want);
                }
                blocks &= same;
            }
    CHECK(a_same);
    CHECK(b_diff > (int)(n * k / 2));
    CHECK(blocks);
    /* E_a from B, D(823.15 K) kept: D0 exp(-E_a / k T_ref) is A's */
    const double kT = 8.617333262e-5 * 823.15;
    for (size_t j = 0; j < n; j++) {
        double dA = cell(s, j, d0) * exp(-cell(s, j, ea) / kT);
        double dAB = cell(s, (2 + (size_t)ea) * n + j, d0) *
                     exp(-cell(s, (2 + (size_t)ea) * n + j, ea) / kT);
        CHECK_CLOSE(dAB, dA, 1e-9, 0);
    }
    const char *only[2] = {"gamma_interface", "E_a"};
    CHECK_EQ_INT(exsol_members_saltelli(p, n, 3, only, 2, &sub, err, sizeof err), 0);
    CHECK_EQ_INT((int)exsol_members_nparams(sub), 2);
    CHECK_EQ_INT((int)exsol_members_count(sub), (int)(4 * n));
    const char *unknown[1] = {"bogus"}, *fixed[1] = {"T_ref_D"};
    CHECK_EQ_INT(exsol_members_saltelli(p, n, 3, unknown, 1, &bad, err, sizeof err),
                 EXSOL_EVALUE);
    CHECK(strstr(err, "bogus") != NULL);
    CHECK(exsol_members_saltelli(p, 1, 3, NULL, 0, &bad, err, sizeof err) != 0);
    (void)fixed;
    exsol_members_free(d), exsol_members_free(s), exsol_members_free(sub);
    exsol_params_free(p);
}

int main(void)
{
    test_u01();
    test_draw();
    test_read();
    test_saltelli();
    return check_report("test_members");
}
