/* Unit tests for exsol_cli_start and exsol_cli_run_stage (exsol/cli.h): the option
 * loop every tool shares. Checks the dispatch order (tool first, then the common
 * options), the exit codes, the INPUT flags and the stage tail, with the fixture
 * parameter table datasets/test-parameters.csv. */
#include "check.h"
#include "exsol/cli.h"
#include "exsol/error.h"
#include "exsol/msg.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_BAR = 3000 };

struct ctx {
    const char *foo;    /* -f/--foo */
    int bar;            /* --bar */
    const char *seen_o; /* -o as the tool saw it before the common option */
    const char *bad;    /* arg of '?' when the tool takes it */
    int take_unknown;   /* would take '?': never offered one (the common line is printed) */
    int setup_rc, run_rc, calls;
};

static const struct option tool_opts[] = {
    {"foo", required_argument, 0, 'f'}, {"bar", no_argument, 0, OPT_BAR}, {0, 0, 0, 0}};

static int tool_option(void *p, int opt, const char *arg)
{
    struct ctx *c = p;
    switch (opt) {
    case 'f':
        if (strcmp(arg, "bad") == 0)
            return 3;
        c->foo = arg;
        return 0;
    case OPT_BAR:
        c->bar = 1;
        return 0;
    case 'o':
        c->seen_o = arg;
        return EXSOL_CLI_NOT_MINE;
    case '?':
        if (!c->take_unknown)
            return EXSOL_CLI_NOT_MINE;
        c->bad = arg;
        return 2;
    default:
        return EXSOL_CLI_NOT_MINE;
    }
}

/* Runs one command line with stdout (help/version text) sent to /dev/null.
 * Returns EXSOL_CLI_RUN or EXSOL_CLI_EXIT. */
static int start(struct exsol_cli *cli, const struct exsol_cli_tool *tool, struct ctx *c,
                 int argc, char **argv)
{
    optind = 0; /* GNU: full re-initialisation */
    fflush(stdout);
    int saved = dup(1), null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    int r = exsol_cli_start(cli, tool, argc, argv, c);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    close(null);
    return r;
}

#define ARGV(...) ((char *[]){"exsol-test", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"exsol-test", __VA_ARGS__}) / sizeof(char *)))
#define START(tool, ...) start(&cli, tool, &c, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static int st_setup(void *p)
{
    struct ctx *c = p;
    c->calls = c->calls * 10 + 1;
    return c->setup_rc;
}

static int st_define(void *p, int argc, char **argv)
{
    struct ctx *c = p;
    (void)argc, (void)argv;
    c->calls = c->calls * 10 + 2;
    return 0;
}

static int st_run(void *p, size_t *nrows, size_t *nfail)
{
    struct ctx *c = p;
    c->calls = c->calls * 10 + 3;
    *nrows = 5;
    *nfail = 1;
    return c->run_rc;
}

int main(void)
{
    struct exsol_cli cli;
    struct ctx c;
    unsetenv("EXSOL_DATADIR");
    const struct exsol_cli_tool tool = {.prog = "exsol-test",
                                        .stages = "test",
                                        .usage = "Usage: exsol-test\n",
                                        .options = tool_opts,
                                        .shortopts = "f:",
                                        .option = tool_option};

    /* tool options, common options and one INPUT together */
    memset(&c, 0, sizeof c);
    CHECK_EQ_INT(START(&tool, "-f", "x", "--bar", "-o", "out.nc", "--threads", "2", "in.nc"),
                 EXSOL_CLI_RUN);
    CHECK_STR(c.foo, "x");
    CHECK_EQ_INT(c.bar, 1);
    CHECK_STR(c.seen_o, "out.nc");   /* the tool saw -o first ... */
    CHECK_STR(cli.output, "out.nc"); /* ... and passed it on */
    CHECK_EQ_INT(cli.threads, 2);
    CHECK_STR(cli.input, "in.nc");
    CHECK_EQ_INT(cli.exit_code, 0);
    CHECK(cli.params != NULL);
    exsol_cli_release(&cli);

    /* help and version: stop with 0, even with stray arguments */
    memset(&c, 0, sizeof c);
    CHECK_EQ_INT(START(&tool, "-h", "a", "b"), EXSOL_CLI_EXIT);
    CHECK_EQ_INT(cli.exit_code, 0);
    CHECK_EQ_INT(cli.help, 1);
    exsol_cli_release(&cli);
    CHECK_EQ_INT(START(&tool, "--version"), EXSOL_CLI_EXIT);
    CHECK_EQ_INT(cli.exit_code, 0);
    exsol_cli_release(&cli);

    fprintf(stderr, "--- expected error messages follow ---\n");
    /* the tool's own error status is the exit status */
    memset(&c, 0, sizeof c);
    CHECK_EQ_INT(START(&tool, "-f", "bad"), EXSOL_CLI_EXIT);
    CHECK_EQ_INT(cli.exit_code, 3);
    exsol_cli_release(&cli);
    /* an error in an option after -h still counts */
    CHECK_EQ_INT(START(&tool, "-h", "--threads", "0"), EXSOL_CLI_EXIT);
    CHECK_EQ_INT(cli.exit_code, 2);
    exsol_cli_release(&cli);
    CHECK_EQ_INT(START(&tool, "--set", "E_a=99"), EXSOL_CLI_EXIT);
    CHECK_EQ_INT(cli.exit_code, 3);
    exsol_cli_release(&cli);
    /* unknown options and missing arguments: one common line (exit 2); a tool's
     * handler never sees them, so every tool words them alike */
    CHECK_EQ_INT(START(&tool, "--bogus"), EXSOL_CLI_EXIT);
    CHECK_EQ_INT(cli.exit_code, 2);
    exsol_cli_release(&cli);
    c.take_unknown = 1;
    CHECK_EQ_INT(START(&tool, "-q", "--bogus=1"), EXSOL_CLI_EXIT);
    CHECK_EQ_INT(cli.exit_code, 2);
    CHECK(c.bad == NULL);
    exsol_cli_release(&cli);
    CHECK_EQ_INT(START(&tool, "-f"), EXSOL_CLI_EXIT);
    CHECK_EQ_INT(cli.exit_code, 2);
    CHECK(c.bad == NULL);
    exsol_cli_release(&cli);
    exsol_msg_set_verbosity(EXSOL_NORMAL);
    /* one INPUT at most */
    memset(&c, 0, sizeof c);
    CHECK_EQ_INT(START(&tool, "a", "b"), EXSOL_CLI_EXIT);
    CHECK_EQ_INT(cli.exit_code, 2);
    exsol_cli_release(&cli);
    /* a missing parameter table stops with 1 before any option is read */
    struct exsol_cli_tool nostage = tool;
    nostage.stages = "no-such-stage";
    CHECK_EQ_INT(START(&nostage, "-h"), EXSOL_CLI_EXIT);
    CHECK_EQ_INT(cli.exit_code, 1);
    exsol_cli_release(&cli);

    /* EXSOL_CLI_NO_INPUT: positional arguments are refused (exit 2) */
    struct exsol_cli_tool noin = tool;
    noin.flags = EXSOL_CLI_NO_INPUT;
    CHECK_EQ_INT(START(&noin, "-f", "x", "stray"), EXSOL_CLI_EXIT);
    CHECK_EQ_INT(cli.exit_code, 2);
    exsol_cli_release(&cli);
    CHECK_EQ_INT(START(&noin, "-f", "x"), EXSOL_CLI_RUN);
    exsol_cli_release(&cli);

    /* EXSOL_CLI_OWN_OPTIONS: the common -o and --threads are not options at all */
    struct exsol_cli_tool own = {.prog = "exsol-test",
                                 .usage = "Usage: exsol-test\n",
                                 .options = tool_opts,
                                 .shortopts = "f:h",
                                 .option = tool_option,
                                 .flags = EXSOL_CLI_OWN_OPTIONS};
    memset(&c, 0, sizeof c);
    CHECK_EQ_INT(START(&own, "-o", "x"), EXSOL_CLI_EXIT);
    CHECK_EQ_INT(cli.exit_code, 2);
    CHECK(c.seen_o == NULL);
    CHECK_EQ_INT(START(&own, "--threads", "2"), EXSOL_CLI_EXIT);
    CHECK_EQ_INT(cli.exit_code, 2);
    fprintf(stderr, "--- end of expected error messages ---\n");
    CHECK_EQ_INT(START(&own, "-h"), EXSOL_CLI_EXIT); /* -h in its table: common handler */
    CHECK_EQ_INT(cli.exit_code, 0);
    CHECK_EQ_INT(cli.help, 1);

    /* EXSOL_CLI_MANY_INPUTS: positional arguments are left to the tool from optind */
    struct exsol_cli_tool many = tool;
    many.flags = EXSOL_CLI_MANY_INPUTS;
    char **av = ARGV("a.nc", "-q", "b.nc", "c.nc");
    optind = 0;
    CHECK_EQ_INT(start(&cli, &many, &c, 5, av), EXSOL_CLI_RUN);
    CHECK_EQ_INT(5 - optind, 3); /* GNU getopt permutes the operands to the end */
    CHECK_STR(av[optind], "a.nc");
    CHECK_STR(cli.input, "-");
    exsol_cli_release(&cli);
    exsol_msg_set_verbosity(EXSOL_NORMAL);

    /* the stage tail: order of the steps and exit status of the first failure */
    const struct exsol_cli_stage stage = {st_setup, st_define, st_run, "failed"};
    memset(&c, 0, sizeof c);
    c.setup_rc = EXSOL_EMISSINGVAR;
    CHECK_EQ_INT(exsol_cli_run_stage(&stage, &c, NULL, 1, ARGV("x")), 3);
    CHECK_EQ_INT(c.calls, 1); /* nothing after a failed setup */
    memset(&c, 0, sizeof c);
    c.run_rc = EXSOL_EIO;
    fprintf(stderr, "--- one expected 'out of memory' follows ---\n");
    c.setup_rc = EXSOL_ENOMEM;
    CHECK_EQ_INT(exsol_cli_run_stage(&stage, &c, NULL, 1, ARGV("x")), 1);
    fprintf(stderr, "--- end ---\n");
    memset(&c, 0, sizeof c);
    c.run_rc = EXSOL_EVALUE;
    CHECK_EQ_INT(exsol_cli_run_stage(&stage, &c, NULL, 1, ARGV("x")), 3);
    CHECK_EQ_INT(c.calls, 123);

    return check_report("test_cli_start");
}
