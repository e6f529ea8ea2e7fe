/* Minimal assertion helpers for the C unit and numeric tests. A test program runs
 * all its checks, prints one line per failure, and exits 1 if any failed. */
#ifndef EXSOL_TEST_CHECK_H
#define EXSOL_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_failures = 0;
static int check_count = 0;

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        check_count++;                                                                         \
        if (!(cond)) {                                                                         \
            check_failures++;                                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);           \
        }                                                                                      \
    } while (0)

/* |got - want| <= rtol*|want| + atol */
#define CHECK_CLOSE(got, want, rtol, atol)                                                     \
    do {                                                                                       \
        double g_ = (got), w_ = (want);                                                        \
        check_count++;                                                                         \
        if (!(fabs(g_ - w_) <= (rtol)*fabs(w_) + (atol))) {                                    \
            check_failures++;                                                                  \
            fprintf(stderr, "%s:%d: %s = %.17g, want %.17g (rtol %g, atol %g)\n", __FILE__,    \
                    __LINE__, #got, g_, w_, (double)(rtol), (double)(atol));                   \
        }                                                                                      \
    } while (0)

#define CHECK_EQ_INT(got, want)                                                                \
    do {                                                                                       \
        long g_ = (long)(got), w_ = (long)(want);                                              \
        check_count++;                                                                         \
        if (g_ != w_) {                                                                        \
            check_failures++;                                                                  \
            fprintf(stderr, "%s:%d: %s = %ld, want %ld\n", __FILE__, __LINE__, #got, g_, w_);  \
        }                                                                                      \
    } while (0)

#define CHECK_STR(got, want)                                                                   \
    do {                                                                                       \
        const char *g_ = (got), *w_ = (want);                                                  \
        check_count++;                                                                         \
        if (!g_ || strcmp(g_, w_) != 0) {                                                      \
            check_failures++;                                                                  \
            fprintf(stderr, "%s:%d: %s = \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got,     \
                    g_ ? g_ : "(null)", w_);                                                   \
        }                                                                                      \
    } while (0)

static inline int check_report(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures ? 1 : 0;
}

#endif
