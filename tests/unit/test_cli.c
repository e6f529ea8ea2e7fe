/* Unit tests for exsol/cli.h: the shared options, driven through getopt_long as a
 * tool would, with the fixture parameter table datasets/test-parameters.csv. */
#include "check.h"
#include "exsol/cli.h"
#include "exsol/dataset.h"
#include "exsol/msg.h"

#include <fcntl.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct option opts[] = {
    {"foo", required_argument, 0, 'f'}, EXSOL_CLI_LONGOPTS, {0, 0, 0, 0}};

/* Runs one command line. Returns 0 when every option and finish succeeded, else the
 * exit code the tool would return. *foo receives the tool's own -f argument. */
static int run(struct exsol_cli *cli, const char *stages, int argc, char **argv,
               const char **foo)
{
    int c;
    optind = 0; /* GNU: full re-initialisation */
    opterr = 0;
    if (exsol_cli_init(cli, "exsol-test", stages))
        return cli->exit_code;
    while ((c = getopt_long(argc, argv, "f:" EXSOL_CLI_SHORTOPTS, opts, NULL)) != -1) {
        int r = exsol_cli_option(cli, c, optarg);
        if (r < 0)
            return cli->exit_code;
        if (r == 0 && c == 'f')
            *foo = optarg;
        else if (r == 0)
            return 2; /* what a tool does with getopt's '?' */
    }
    if (exsol_cli_finish(cli, argc, argv, optind))
        return cli->exit_code;
    return 0;
}

#define ARGV(...) ((char *[]){"exsol-test", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"exsol-test", __VA_ARGS__}) / sizeof(char *)))
#define RUN(cli, stages, ...) run(cli, stages, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), &foo)

int main(void)
{
    struct exsol_cli cli;
    const char *foo = NULL;
    unsetenv("EXSOL_DATADIR");

    /* defaults */
    CHECK_EQ_INT(RUN(&cli, "test", "-f", "x"), 0);
    CHECK_STR(cli.output, "-");
    CHECK_STR(cli.input, "-");
    CHECK_STR(foo, "x");
    CHECK_EQ_INT(cli.threads, 0);
    CHECK_EQ_INT(cli.no_history, 0);
    CHECK(cli.params != NULL);
    exsol_cli_release(&cli);
    CHECK(cli.params == NULL);

    /* everything at once; --set and --params in command-line order */
    char path[] = "/tmp/exsol-test-cli-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        const char *text = "E_a = 2.5\nthickness = 40nm\n";
        CHECK_EQ_INT(write(fd, text, strlen(text)), (long)strlen(text));
        close(fd);
    }
    CHECK_EQ_INT(RUN(&cli, "test", "-o", "out.nc", "--threads", "2", "--set", "E_a=1",
                     "--params", path, "--set", "thickness=10nm", "--no-history", "-q",
                     "in.nc"),
                 0);
    CHECK_STR(cli.output, "out.nc");
    CHECK_STR(cli.input, "in.nc");
    CHECK_EQ_INT(cli.threads, 2);
    CHECK_EQ_INT(omp_get_max_threads(), 2);
    CHECK_EQ_INT(cli.no_history, 1);
    CHECK_EQ_INT(exsol_msg_verbosity(), EXSOL_QUIET);
    CHECK_CLOSE(exsol_params_get(cli.params, "E_a"), 2.5 * 1.602176634e-19, 1e-14, 0);
    CHECK_CLOSE(exsol_params_get(cli.params, "thickness"), 10e-9, 1e-14, 0);
    struct exsol_out_opts o;
    char *av[] = {"exsol-test", "x", NULL};
    exsol_cli_out_opts(&cli, 2, av, &o, "a title");
    CHECK_STR(o.title, "a title");
    CHECK_EQ_INT(o.no_history, 1);
    CHECK_EQ_INT(o.argc, 2);
    CHECK(o.argv == av);
    CHECK_EQ_INT(o.zstd_level, 0);
    exsol_cli_release(&cli);
    unlink(path);
    exsol_msg_set_verbosity(EXSOL_NORMAL);
    CHECK_EQ_INT(RUN(&cli, "test", "-v"), 0);
    CHECK_EQ_INT(exsol_msg_verbosity(), EXSOL_VERBOSE);
    exsol_cli_release(&cli);
    exsol_msg_set_verbosity(EXSOL_NORMAL);

    /* help and version short-circuit the positional check */
    CHECK_EQ_INT(RUN(&cli, NULL, "-h", "a", "b"), 0);
    CHECK_EQ_INT(cli.help, 1);
    CHECK_EQ_INT(RUN(&cli, NULL, "--version"), 0);
    CHECK_EQ_INT(cli.version, 1);

    /* errors and their exit codes (messages go to stderr) */
    fprintf(stderr, "--- expected error messages follow ---\n");
    CHECK_EQ_INT(RUN(&cli, NULL, "a", "b"), 2);
    CHECK_EQ_INT(RUN(&cli, NULL, "--threads", "0"), 2);
    CHECK_EQ_INT(RUN(&cli, NULL, "--threads", "1.5"), 2);
    CHECK_EQ_INT(RUN(&cli, NULL, "--threads", "-2"), 2);
    CHECK_EQ_INT(RUN(&cli, NULL, "--bogus"), 2);
    CHECK_EQ_INT(RUN(&cli, NULL, "--set", "a=1"), 2); /* tool without parameters */
    CHECK_EQ_INT(RUN(&cli, "test", "--set", "Ea=1"), 3);
    exsol_cli_release(&cli);
    CHECK_EQ_INT(RUN(&cli, "test", "--set", "E_a=99"), 3);
    exsol_cli_release(&cli);
    CHECK_EQ_INT(RUN(&cli, "test", "--set", "E_a"), 2);
    exsol_cli_release(&cli);
    CHECK_EQ_INT(RUN(&cli, "test", "--params", "/nonexistent/file"), 1);
    exsol_cli_release(&cli);
    CHECK_EQ_INT(RUN(&cli, "no-such-stage", "-q"), 1);
    exsol_cli_release(&cli);
    fprintf(stderr, "--- end of expected error messages ---\n");

    /* --version text: first line "<prog> (exsol) <version>", then libraries */
    char vpath[] = "/tmp/exsol-test-cli-version-XXXXXX";
    int vfd = mkstemp(vpath);
    CHECK(vfd >= 0);
    if (vfd >= 0) {
        fflush(stdout);
        int saved = dup(1);
        dup2(vfd, 1);
        exsol_cli_print_version("exsol-test");
        fflush(stdout);
        dup2(saved, 1);
        close(saved);
        char buf[1024] = {0};
        lseek(vfd, 0, SEEK_SET);
        ssize_t got = read(vfd, buf, sizeof buf - 1);
        close(vfd);
        unlink(vpath);
        CHECK(got > 0);
        CHECK(strncmp(buf, "exsol-test (exsol) ", 19) == 0);
        CHECK(strstr(buf, "\nnetCDF 4.") != NULL);
        CHECK(strstr(buf, "\nHDF5 1.") != NULL);
        CHECK(strstr(buf, "\nSUNDIALS 6.") != NULL);
        CHECK(strstr(buf, "\nzstd 1.") != NULL);
    }
    return check_report("test_cli");
}
