/* exsol: `exsol <verb> [args]` runs exsol-<verb> from the directory this program
 * lives in (git-style dispatcher), so one name on PATH reaches every tool. */
#include "exsol/cli.h"
#include "exsol/msg.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
    const char *verb;
    const char *what;
} known[] = {
    {"gen", "candidates from compositions and process conditions (grid specs)"},
    {"reduce", "reducing anneal: oxygen loss and Ni exsolution (KWN, CVODE)"},
    {"transport", "carrier density, Fermi level, mobility, rho(T), switching ratio"},
    {"magnet", "M(H), ZFC/FC, blocking temperatures of the exsolved particles"},
    {"rank", "dual-switching scores, Pareto rank, a sorted table"},
    {"table", "chosen variables as TSV/CSV; one candidate's curves"},
    {"cat", "concatenate shards along candidate"},
    {"window", "per film, the anneal T-t window in which it switches both"},
};

/* Directory of this executable, with a trailing '/'. */
static int self_dir(char *buf, size_t n, const char *argv0)
{
    ssize_t len = readlink("/proc/self/exe", buf, n - 1);
    if (len <= 0) {
        if (!argv0 || !strchr(argv0, '/'))
            return -1;
        snprintf(buf, n, "%s", argv0);
        len = (ssize_t)strlen(buf);
    }
    buf[len] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return -1;
    slash[1] = '\0';
    return 0;
}

static int is_tool(const char *dir, const char *name)
{
    char p[PATH_MAX + 256];
    struct stat sb;
    snprintf(p, sizeof p, "%s%s", dir, name);
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && access(p, X_OK) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void usage(FILE *fp, const char *dir)
{
    fprintf(fp, "Usage: exsol <command> [options] [args]\n"
                "Runs exsol-<command> (all exsol tools live next to this program).\n"
                "\n"
                "Commands:\n");
    char *names[256];
    size_t n = 0;
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 256)
        if (strncmp(e->d_name, "exsol-", 6) == 0 && e->d_name[6] && is_tool(dir, e->d_name))
            names[n++] = strdup(e->d_name + 6);
    if (d)
        closedir(d);
    if (n == 0) /* tools not found: still say what exists */
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            names[n++] = strdup(known[i].verb);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (!names[i])
            continue;
        const char *what = "";
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            if (strcmp(known[k].verb, names[i]) == 0)
                what = known[k].what;
        fprintf(fp, "  %-10s %s\n", names[i], what);
        free(names[i]);
    }
    fprintf(fp,
            "\n"
            "  exsol help <command>   same as exsol <command> --help\n"
            "  exsol --version        version information\n"
            "\n"
            "Example:\n"
            "  exsol gen --composition La0.2Sr0.7Ni0.1Ti0.9O3 --temperature 550C --time 5h \\\n"
            "      --h2 5%% --h2o 3%% --thickness 30nm | exsol reduce | exsol table\n");
}

int main(int argc, char **argv)
{
    char dir[PATH_MAX];
    exsol_msg_init("exsol");
    int have_dir = self_dir(dir, sizeof dir, argv[0]) == 0;
    if (argc < 2) {
        exsol_error("no command given (see 'exsol --help' for the commands)");
        return 2;
    }
    const char *verb = argv[1];
    if (strcmp(verb, "-h") == 0 || strcmp(verb, "--help") == 0) {
        usage(stdout, have_dir ? dir : NULL);
        return 0;
    }
    if (strcmp(verb, "--version") == 0) {
        exsol_cli_print_version("exsol");
        return 0;
    }
    char *help_argv[3];
    if (strcmp(verb, "help") == 0) {
        if (argc < 3) {
            usage(stdout, have_dir ? dir : NULL);
            return 0;
        }
        verb = argv[2];
        help_argv[0] = NULL;
        help_argv[1] = "--help";
        help_argv[2] = NULL;
        argv = help_argv;
        argc = 2;
    } else {
        argv = argv + 1; /* argv[0] is replaced below */
        argc -= 1;
    }
    if (verb[0] == '-' || strchr(verb, '/')) {
        exsol_error("'%s' is not a command (see 'exsol --help')", verb);
        return 2;
    }
    if (!have_dir) {
        exsol_error("cannot find the directory of this program");
        return 1;
    }
    char tool[PATH_MAX + 256];
    snprintf(tool, sizeof tool, "%sexsol-%s", dir, verb);
    if (!is_tool(dir, tool + strlen(dir))) {
        exsol_error("unknown command '%s' (see 'exsol --help')", verb);
        return 2;
    }
    argv[0] = tool;
    execv(tool, argv);
    exsol_error("cannot run '%s': %s", tool, strerror(errno));
    return 1;
}
