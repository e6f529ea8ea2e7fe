/* The options every tool shares. This file is the tool side of libcore: it
 * reports errors through exsol_error() and records the exit status in
 * cli->exit_code, so a tool's main can simply `return cli.exit_code`. It never
 * exits by itself. */
#define _DEFAULT_SOURCE /* on_exit (glibc) */
#include "exsol/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <netcdf.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sundials/sundials_config.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/msg.h"
#include "exsol/outfile.h"
#include "exsol/parse.h"
#include "exsol/stage.h"

#ifndef EXSOL_VERSION
#define EXSOL_VERSION "unknown"
#endif

/* --threads is bounded by this many threads per core (omp_get_num_procs). */
#define EXSOL_THREADS_PER_CORE 4

static int fail(struct exsol_cli *cli, int exit_code)
{
    cli->exit_code = exit_code;
    return -1;
}

/* The data layer compresses and decompresses HDF5 chunks of up to 4 MiB, and HDF5
 * allocates a buffer for each. glibc serves such sizes with mmap and gives them
 * back on free, so every chunk paid for fresh zeroed pages (page faults were a
 * quarter of exsol-cat's time). Keeping buffers below 64 MiB on the heap, and the
 * heap's top until it is 128 MiB free, reuses them: copying a 511 MB
 * (compressed) file 4.7 -> 3.4 s, same peak memory. */
static void tune_malloc(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
#endif
}

/* HDF5 (1.10.8) that failed to close a file, as on a full disk, keeps it half closed
 * and crashes over it in its exit handler: the process would end in SIGSEGV instead
 * of its exit code. Registered after such a failure (the data layer calls the hook),
 * this handler runs before HDF5's (handlers run in reverse order) and leaves with the
 * status exit() got. */
#ifdef __GLIBC__
static void skip_hdf5_exit(int status, void *arg)
{
    (void)arg;
    fflush(NULL);
    _exit(status);
}
#else
static void skip_hdf5_exit(void) /* no on_exit: an I/O failure's status */
{
    fflush(NULL);
    _exit(1);
}
#endif

static void hdf5_close_failed(void)
{
    static int registered;
    if (!registered) {
        registered = 1;
#ifdef __GLIBC__
        on_exit(skip_hdf5_exit, NULL);
#else
        atexit(skip_hdf5_exit);
#endif
    }
}

/* SIGTERM, SIGINT and SIGHUP: remove the output temporaries, then end by the same
 * signal (the default action, so the parent sees "killed by SIGTERM" as before). An
 * existing output is never touched: it is replaced only by the rename at the end. */
static void on_fatal_signal(int sig)
{
    exsol_af_remove_temporaries();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_fatal_signals(void)
{
    static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa, old;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_fatal_signal;
        sigemptyset(&sa.sa_mask);
        for (size_t j = 0; j < sizeof sigs / sizeof sigs[0]; j++)
            sigaddset(&sa.sa_mask, sigs[j]);
        /* a signal the caller ignores (nohup, a shell's background job) stays ignored */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

/* exsol_ds_open's containment of a NETCDF4 input (libcore/io/nc_open.c): a forked
 * child reads the whole image first; if HDF5 kills it (a signal) or it ends other
 * than by its own two exit codes (a sanitizer's report exits 1), the input is a
 * corrupt file, exit 3, instead of a crash of the tool. A netCDF error in the child
 * says nothing: the tool meets it again and reports it. */
enum { CHECK_OK = 0, CHECK_NCERR = 71 };

static int contain_open(const char *name, void *mem, size_t size, const char *label, char *err,
                        size_t errlen)
{
    pid_t pid = fork();
    if (pid < 0)
        return EXSOL_OK; /* cannot contain it: read as before */
    if (pid == 0) {
        static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
        for (size_t k = 0; k < sizeof sigs / sizeof *sigs; k++)
            signal(sigs[k], SIG_DFL); /* the temporaries are the parent's to remove */
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null >= 0)
            dup2(null, STDERR_FILENO); /* HDF5's or a sanitizer's words are not ours */
        _exit(exsol_ds_read_everything(name, mem, size) ? CHECK_NCERR : CHECK_OK);
    }
    /* HDF5 can also loop for ever on a corrupt file (H5HG_read under H5Aread, found
     * by fuzz_copy): the child gets 10 s plus 60 s per GB, several times what reading
     * takes, then it is killed and the input is corrupt */
    struct stat sb;
    double bytes = mem ? (double)size : (stat(name, &sb) == 0 ? (double)sb.st_size : 0.0);
    double limit = 10.0 + 60.0 * bytes / 1e9, waited = 0.0, nap = 1e-3;
    int status, timed_out = 0;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR)
            return EXSOL_OK;
        if (waited >= limit) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            timed_out = 1;
            break;
        }
        struct timespec ts = {0, (long)(nap * 1e9)};
        nanosleep(&ts, NULL);
        waited += nap;
        if (nap < 0.05)
            nap *= 2;
    }
    if (timed_out)
        return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                            "%s is corrupt: the HDF5 library did not finish reading it in "
                            "%.0f s (in a checking process)",
                            label, limit);
    if (WIFEXITED(status) &&
        (WEXITSTATUS(status) == CHECK_OK || WEXITSTATUS(status) == CHECK_NCERR))
        return EXSOL_OK;
    if (WIFSIGNALED(status))
        return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                            "%s is corrupt: the HDF5 library crashed reading it (signal %d, "
                            "in a checking process)",
                            label, WTERMSIG(status));
    return exsol_seterr(err, errlen, EXSOL_EFORMAT,
                        "%s is corrupt: the HDF5 library failed reading it (exit %d, in a "
                        "checking process)",
                        label, WEXITSTATUS(status));
}

int exsol_cli_init(struct exsol_cli *cli, const char *prog, const char *stages)
{
    catch_fatal_signals();
    tune_malloc();
    exsol_ds_set_close_failed_hook(hdf5_close_failed);
    exsol_ds_set_contain_hook(contain_open);
    memset(cli, 0, sizeof *cli);
    cli->prog = prog ? prog : "exsol";
    cli->output = "-";
    cli->input = "-";
    exsol_msg_init(cli->prog);
    if (stages) {
        char err[1024];
        int rc = exsol_params_load(stages, &cli->params, err, sizeof err);
        if (rc) {
            exsol_error("%s", err);
            cli->exit_code = exsol_exit_code(rc);
            return rc;
        }
    }
    return EXSOL_OK;
}

int exsol_cli_option(struct exsol_cli *cli, int opt, const char *arg)
{
    char err[1024];
    int rc;
    switch (opt) {
    case 'o':
        if (!arg || !arg[0]) {
            exsol_error("option -o/--output needs a file name ('-' for stdout)");
            return fail(cli, 2);
        }
        cli->output = arg;
        return 1;
    case 'q':
        exsol_msg_set_verbosity(EXSOL_QUIET);
        return 1;
    case 'v':
        exsol_msg_set_verbosity(EXSOL_VERBOSE);
        return 1;
    case 'h':
        cli->help = 1;
        return 1;
    case EXSOL_OPT_THREADS: {
        long n = 0;
        if (exsol_parse_long(arg, &n, NULL, 0) || n < 1) {
            exsol_error("option --threads needs a whole number >= 1, got '%s'", arg ? arg : "");
            return fail(cli, 2);
        }
        /* More threads than a few per core only costs memory and start-up (20000 took
         * 2 GB and 19 s on 4 rows), and libgomp ends the process when it cannot create
         * them: refuse up front. */
        long cores = omp_get_num_procs();
        long most = EXSOL_THREADS_PER_CORE * (cores > 0 ? cores : 1);
        if (n > most) {
            exsol_error("option --threads takes at most %ld (%d per core, %ld cores here), got "
                        "'%s'",
                        most, EXSOL_THREADS_PER_CORE, cores, arg);
            return fail(cli, 2);
        }
        cli->threads = (int)n;
        return 1;
    }
    case EXSOL_OPT_SET:
        if (!cli->params) {
            exsol_error("%s has no model parameters to --set", cli->prog);
            return fail(cli, 2);
        }
        rc = exsol_params_set(cli->params, arg, err, sizeof err);
        if (rc) {
            exsol_error("%s", err);
            return fail(cli, exsol_exit_code(rc));
        }
        return 1;
    case EXSOL_OPT_PARAMS:
        if (!cli->params) {
            exsol_error("%s has no model parameters to read with --params", cli->prog);
            return fail(cli, 2);
        }
        rc = exsol_params_read_file(cli->params, arg, err, sizeof err);
        if (rc) {
            exsol_error("%s", err);
            return fail(cli, exsol_exit_code(rc));
        }
        return 1;
    case EXSOL_OPT_NO_HISTORY:
        cli->no_history = 1;
        return 1;
    case EXSOL_OPT_COMPRESSION:
        if (arg && strcmp(arg, "zstd") == 0)
            cli->compression = EXSOL_COMPRESS_ZSTD;
        else if (arg && strcmp(arg, "deflate") == 0)
            cli->compression = EXSOL_COMPRESS_DEFLATE;
        else if (arg && strcmp(arg, "none") == 0)
            cli->compression = EXSOL_COMPRESS_NONE;
        else {
            exsol_error("option --compression takes zstd, deflate or none, got '%s'",
                        arg ? arg : "");
            return fail(cli, 2);
        }
        return 1;
    case EXSOL_OPT_VERSION:
        cli->version = 1;
        return 1;
    default:
        /* includes getopt's '?' and ':': the tool names the bad option itself */
        return 0;
    }
}

int exsol_cli_finish(struct exsol_cli *cli, int argc, char **argv, int optind_)
{
    if (cli->help || cli->version)
        return 0; /* the tool prints usage or version and exits 0 */
    int npos = argc - optind_;
    if (npos > 1) {
        exsol_error("too many arguments: '%s' (at most one INPUT; try '%s --help')",
                    argv[optind_ + 1], cli->prog);
        return fail(cli, 2);
    }
    if (npos == 1) {
        if (!argv[optind_][0]) {
            exsol_error("empty INPUT file name ('-' reads stdin)");
            return fail(cli, 2);
        }
        cli->input = argv[optind_];
    }
    if (cli->threads > 0)
        omp_set_num_threads(cli->threads);
    /* verbosity was applied as -q/-v were seen, so messages from later options
     * (e.g. --params) already respect it */
    return 0;
}

/* The tool's options followed by the common ones (unless the tool brings its whole
 * table), as getopt_long wants them. NULL on out-of-memory. */
static struct option *merged_longopts(const struct exsol_cli_tool *tool)
{
    static const struct option common[] = {EXSOL_CLI_LONGOPTS};
    size_t nt = 0,
           nc = tool->flags & EXSOL_CLI_OWN_OPTIONS ? 0 : sizeof common / sizeof *common;
    while (tool->options && tool->options[nt].name)
        nt++;
    struct option *lo = calloc(nt + nc + 1, sizeof *lo); /* calloc: the {0} terminator */
    if (!lo)
        return NULL;
    if (nt)
        memcpy(lo, tool->options, nt * sizeof *lo);
    if (nc)
        memcpy(lo + nt, common, nc * sizeof *lo);
    return lo;
}

/* A leading ':' makes getopt return ':' for a missing argument, '?' for an unknown
 * option. */
static char *merged_shortopts(const struct exsol_cli_tool *tool)
{
    const char *own = tool->shortopts ? tool->shortopts : "";
    const char *common = tool->flags & EXSOL_CLI_OWN_OPTIONS ? "" : EXSOL_CLI_SHORTOPTS;
    size_t n = strlen(own) + strlen(common) + 2;
    char *so = malloc(n);
    if (so)
        snprintf(so, n, ":%s%s", own, common);
    return so;
}

/* The one line for an unknown option or a missing argument, the same for every tool;
 * returns exit status 2. getopt leaves the word in argv[optind - 1] for a long option
 * (optopt 0 when unknown) and the letter in optopt for a short one. */
static int bad_option(int c, int argc, char **argv)
{
    const char *word = optind > 0 && optind - 1 < argc ? argv[optind - 1] : "";
    int is_long = strncmp(word, "--", 2) == 0 && (c == ':' || optopt == 0);
    char name[128];
    if (is_long)
        snprintf(name, sizeof name, "%.*s", (int)strcspn(word, "="), word);
    else if (optopt > 0 && optopt < 256)
        snprintf(name, sizeof name, "-%c", optopt);
    else
        snprintf(name, sizeof name, "%s", word);
    if (c == ':')
        exsol_error("option '%s' needs an argument (see --help)", name);
    else
        exsol_error("unknown option '%s' (see --help)", name);
    return 2;
}

/* Returns 0 to go on or the exit status (error reported). */
static int option_loop(struct exsol_cli *cli, const struct exsol_cli_tool *tool, int argc,
                       char **argv, void *ctx)
{
    struct option *lo = merged_longopts(tool);
    char *so = merged_shortopts(tool);
    int c, code = 0;
    if (!lo || !so) {
        exsol_error("out of memory");
        code = 1;
        goto done;
    }
    opterr = 0; /* getopt is silent: bad_option says it in one line */
    while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
        if (c == '?' || c == ':') {
            code = bad_option(c, argc, argv);
            goto done;
        }
        int r = tool->option ? tool->option(ctx, c, optarg) : EXSOL_CLI_NOT_MINE;
        if (r == EXSOL_CLI_NOT_MINE) {
            r = exsol_cli_option(cli, c, optarg);
            if (r > 0)
                continue;
            if (r < 0) {
                code = cli->exit_code ? cli->exit_code : 2;
                goto done;
            }
            exsol_error("option '%s' is not handled (see --help)", argv[optind - 1]);
            code = 2;
            goto done;
        }
        if (r != 0) {
            code = r;
            goto done;
        }
    }
done:
    free(lo);
    free(so);
    return code;
}

int exsol_cli_start(struct exsol_cli *cli, const struct exsol_cli_tool *tool, int argc,
                    char **argv, void *ctx)
{
    if (exsol_cli_init(cli, tool->prog, tool->stages) != 0) {
        if (!cli->exit_code)
            cli->exit_code = 1;
        return EXSOL_CLI_EXIT;
    }
    int code = option_loop(cli, tool, argc, argv, ctx);
    if (code) {
        cli->exit_code = code;
        return EXSOL_CLI_EXIT;
    }
    if (cli->help) {
        fputs(tool->usage, stdout);
        if (!(tool->flags & EXSOL_CLI_OWN_OPTIONS))
            exsol_cli_common_help_for(stdout, tool->stages != NULL);
        return EXSOL_CLI_EXIT;
    }
    if (cli->version) {
        exsol_cli_print_version(cli->prog);
        return EXSOL_CLI_EXIT;
    }
    if ((tool->flags & EXSOL_CLI_NO_INPUT) && optind < argc) {
        exsol_error("unexpected argument '%s' (%s reads no input file)", argv[optind],
                    cli->prog);
        cli->exit_code = 2;
        return EXSOL_CLI_EXIT;
    }
    if (exsol_cli_finish(cli, argc, argv,
                         tool->flags & EXSOL_CLI_MANY_INPUTS ? argc : optind)) {
        if (!cli->exit_code)
            cli->exit_code = 2;
        return EXSOL_CLI_EXIT;
    }
    return EXSOL_CLI_RUN;
}

static double compute_seconds;

void exsol_cli_compute_add(double seconds)
{
    compute_seconds += seconds;
}

double exsol_cli_compute_seconds(void)
{
    return compute_seconds;
}

int exsol_cli_run_stage(const struct exsol_cli_stage *st, void *ctx, exsol_ds_out **out,
                        int argc, char **argv)
{
    double t0 = exsol_wtime();
    size_t nrows = 0, nfail = 0;
    int rc = st->setup(ctx);
    if (rc == EXSOL_ENOMEM)
        exsol_error("out of memory");
    if (!rc)
        rc = st->define_output(ctx, argc, argv);
    if (!rc)
        rc = st->run(ctx, &nrows, &nfail);
    if (!rc) {
        char err[256];
        rc = exsol_ds_out_close(*out, err, sizeof err);
        *out = NULL;
        if (rc)
            exsol_error("%s", err);
    }
    if (!rc)
        exsol_info("%zu rows, %zu %s (%.2f s, %.2f s of it computing)", nrows, nfail,
                   st->failed, exsol_wtime() - t0, compute_seconds);
    return exsol_exit_code(rc);
}

static void cli_note(void *ctx, int level, const char *msg)
{
    (void)ctx;
    if (level == EXSOL_NOTE_WARN)
        exsol_warn("%s", msg);
    else if (level == EXSOL_NOTE_INFO)
        exsol_info("%s", msg);
    else if (level == EXSOL_NOTE_ERROR)
        exsol_error("%s", msg);
    else
        exsol_debug("%s", msg);
}
const struct exsol_stage_notes exsol_cli_notes = {cli_note, NULL};

/* -v: one line per block (rows, failures, compute time) and the status counts. */
struct verbose_run {
    exsol_progress *prog;
    const char *status_var;
    size_t status[5];
};
static void block_done(void *p, const struct exsol_stage_block_stats *s)
{
    struct verbose_run *v = p;
    exsol_debug("rows %zu-%zu: %zu failed, %.3f s computing (%.0f rows/s)", s->start,
                s->start + s->count - 1, s->nfail, s->compute_s,
                s->compute_s > 0 ? (double)s->count / s->compute_s : 0.0);
    v->status_var = s->status_var;
    for (int k = 0; k < 5; k++)
        v->status[k] += s->status[k];
}
static void verbose_tick(void *p, size_t rows)
{
    exsol_progress_tick(((struct verbose_run *)p)->prog, rows);
}

void exsol_cli_debug_params(const struct exsol_cli *cli)
{
    const exsol_params *p = cli->params;
    if (!p || exsol_msg_verbosity() < EXSOL_VERBOSE)
        return;
    size_t n = exsol_params_count(p), over = 0;
    for (size_t i = 0; i < n; i++)
        over += strcmp(exsol_params_origin(p, i), "default") != 0;
    exsol_debug("%zu model parameters, %zu overridden (all recorded in the output):", n, over);
    for (size_t i = 0; i < n; i++) {
        const char *u = exsol_params_si_unit(p, i);
        exsol_debug("  %s = %.6g%s%s (%s)", exsol_params_name(p, i), exsol_params_value(p, i),
                    u && strcmp(u, "1") ? " " : "", u && strcmp(u, "1") ? u : "",
                    exsol_params_origin(p, i));
    }
}

int exsol_cli_stage_run(struct exsol_cli *cli, const struct exsol_stage_type *st,
                        const void *opts, int argc, char **argv)
{
    double t0 = exsol_wtime();
    char err[256] = "";
    void *ctx = NULL;
    exsol_ds_out *out = NULL;
    size_t nrows = 0, nfail = 0;
    double compute_s = 0.0;
    int rc = st->create(&ctx, cli->params, cli->input, opts, err, sizeof err);
    if (rc)
        exsol_error("%s", err[0]               ? err
                          : rc == EXSOL_ENOMEM ? "out of memory"
                                               : exsol_strerror(rc));
    else if (exsol_stage_ctx_of(ctx)->note[0])
        exsol_debug("%s", exsol_stage_ctx_of(ctx)->note);
    if (!rc) {
        exsol_debug("input %s: %zu candidates, blocks of %d rows, %d threads",
                    strcmp(cli->input, "-") ? cli->input : "stdin",
                    exsol_stage_ctx_of(ctx)->nrows, EXSOL_BLOCK, omp_get_max_threads());
        exsol_cli_debug_params(cli);
    }
    if (!rc)
        rc = exsol_cli_out_create(cli, argc, argv, st->title, exsol_stage_ctx_of(ctx)->input,
                                  &out);
    if (!rc)
        rc = exsol_cli_out_enddef(cli, out, exsol_stage_define(st, ctx, out));
    if (!rc) {
        struct verbose_run vr = {
            exsol_progress_create(st->name, exsol_stage_ctx_of(ctx)->nrows), NULL, {0}};
        struct exsol_stage_progress pr = {verbose_tick, &vr, block_done};
        rc = exsol_stage_run(st, ctx, out, &pr, &nrows, &nfail, &compute_s, err, sizeof err);
        exsol_cli_compute_add(compute_s);
        exsol_progress_destroy(vr.prog);
        if (rc)
            exsol_error("%s", err);
        else if (vr.status_var)
            exsol_debug("%s: %zu ok (0), %zu solver failure (1), %zu invalid row (2), %zu "
                        "earlier stage failed (3), %zu not applicable (4)",
                        vr.status_var, vr.status[0], vr.status[1], vr.status[2], vr.status[3],
                        vr.status[4]);
    }
    if (!rc) {
        rc = exsol_ds_out_close(out, err, sizeof err);
        out = NULL;
        if (rc)
            exsol_error("%s", err);
    }
    if (!rc)
        exsol_info("%zu rows, %zu %s (%.2f s, %.2f s of it computing)", nrows, nfail,
                   st->failed, exsol_wtime() - t0, compute_seconds);
    exsol_ds_out_abort(out);
    st->destroy(ctx);
    return exsol_exit_code(rc);
}

int exsol_cli_stage_main(const struct exsol_cli_tool *tool, const struct exsol_stage_type *st,
                         void *opts, int argc, char **argv)
{
    struct exsol_cli cli;
    memset(&cli, 0, sizeof cli);
    int code = exsol_cli_start(&cli, tool, argc, argv, opts) == EXSOL_CLI_RUN
                   ? exsol_cli_stage_run(&cli, st, opts, argc, argv)
                   : cli.exit_code;
    exsol_cli_release(&cli);
    return code;
}

int exsol_cli_out_create(const struct exsol_cli *cli, int argc, char **argv, const char *title,
                         const exsol_ds *in, exsol_ds_out **out)
{
    char err[256];
    struct exsol_out_opts oo;
    exsol_cli_out_opts(cli, argc, argv, &oo, title);
    int rc = exsol_ds_out_create(cli->output, in, &oo, out, err, sizeof err);
    if (rc)
        exsol_error("%s", err);
    return rc;
}

int exsol_cli_out_enddef(const struct exsol_cli *cli, exsol_ds_out *o, int rc)
{
    char err[256];
    if (!rc)
        rc = exsol_ds_out_put_params(o, cli->params);
    if (rc) {
        const char *m = exsol_ds_out_errmsg(o);
        /* EFORMAT here means a variable exists already: the usual cause is a file
         * that went through this stage before */
        if (rc == EXSOL_EFORMAT)
            exsol_error("%s (has the input been through %s?)", m[0] ? m : exsol_strerror(rc),
                        cli->prog);
        else
            exsol_error("%s", m[0] ? m : exsol_strerror(rc));
        return rc;
    }
    if ((rc = exsol_ds_out_enddef(o, err, sizeof err)) != 0)
        exsol_error("%s", err);
    return rc;
}

void exsol_cli_common_help(FILE *fp)
{
    exsol_cli_common_help_for(fp, 1);
}

void exsol_cli_common_help_for(FILE *fp, int has_params)
{
    fputs("Common options:\n"
          "  -o, --output FILE   write to FILE (default '-': stdout; binary output is\n"
          "                      refused when stdout is a terminal)\n"
          "  -q, --quiet         only errors on stderr\n"
          "  -v, --verbose       more detail on stderr\n"
          "      --threads N     OpenMP threads (default: all cores); results do not\n"
          "                      depend on N; at most 4 per core\n",
          fp);
    if (has_params)
        fputs("      --set NAME=VALUE  override a model parameter; VALUE in the parameter's\n"
              "                      unit or with a unit suffix (e.g. --set E_a=1.2eV);\n"
              "                      repeatable, applied in command-line order\n"
              "      --params FILE   read overrides from FILE, lines 'NAME = VALUE', '#' "
              "comments\n",
              fp);
    fputs("      --compression zstd|deflate|none  of a NETCDF4 file (default zstd: smallest\n"
          "                      and fastest, needs the HDF5 plugin to read; deflate: what\n"
          "                      every netCDF build, NCO included, reads and writes)\n"
          "      --no-history    do not record the command line in the 'history' attribute\n"
          "  -h, --help          show this help and exit\n"
          "      --version       show version information and exit\n"
          "Exit status: 0 success, 1 runtime failure, 2 usage error, 3 invalid input data.\n",
          fp);
}

void exsol_cli_print_version(const char *prog)
{
    unsigned maj = 0, min = 0, rel = 0;
    char nc[64];
    /* nc_inq_libvers() gives "4.9.0 of <date> $"; keep the version word */
    snprintf(nc, sizeof nc, "%s", nc_inq_libvers());
    nc[strcspn(nc, " ")] = '\0';
    H5get_libversion(&maj, &min, &rel);
    printf("%s (exsol) %s\n", prog ? prog : "exsol", EXSOL_VERSION);
    printf("netCDF %s\n", nc);
    printf("HDF5 %u.%u.%u\n", maj, min, rel);
    printf("SUNDIALS %s\n", SUNDIALS_VERSION);
    printf("zstd %s\n", ZSTD_versionString());
    printf("OpenMP %d\n", (int)_OPENMP);
}

void exsol_cli_out_opts(const struct exsol_cli *cli, int argc, char **argv,
                        struct exsol_out_opts *o, const char *title)
{
    memset(o, 0, sizeof *o);
    o->title = title;
    o->no_history = cli->no_history;
    o->compression = cli->compression;
    o->argc = argc;
    o->argv = argv;
}

void exsol_cli_release(struct exsol_cli *cli)
{
    if (!cli)
        return;
    exsol_params_free(cli->params);
    cli->params = NULL;
}
