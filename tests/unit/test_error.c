#include "check.h"
#include "exsol/error.h"

int main(void)
{
    CHECK_EQ_INT(exsol_exit_code(EXSOL_OK), 0);
    CHECK_EQ_INT(exsol_exit_code(EXSOL_EIO), 1);
    CHECK_EQ_INT(exsol_exit_code(EXSOL_EUSAGE), 2);
    CHECK_EQ_INT(exsol_exit_code(EXSOL_EVALUE), 3);
    CHECK_EQ_INT(exsol_exit_code(EXSOL_EFORMAT), 3);
    CHECK_EQ_INT(exsol_exit_code(EXSOL_EMISSINGVAR), 3);
    CHECK_STR(exsol_strerror(EXSOL_EMISSINGVAR), "missing variable");
    CHECK_STR(exsol_strerror(9999), "unknown error");
    /* pinned numbers: these are part of the interface */
    CHECK_EQ_INT(EXSOL_EFORMAT, 5);
    CHECK_EQ_INT(EXSOL_EFILTER, 12);
    char buf[64];
    CHECK_EQ_INT(exsol_seterr(buf, sizeof buf, EXSOL_EVALUE, "bad '%s'", "x"), EXSOL_EVALUE);
    CHECK_STR(buf, "bad 'x'");
    return check_report("test_error");
}
