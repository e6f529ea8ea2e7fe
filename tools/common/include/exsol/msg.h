/* One message module for the tools: "<prog>: error: <what>" to stderr, gated by -q/-v.
 * Library code never calls these; only tools/ do. */
#ifndef EXSOL_MSG_H
#define EXSOL_MSG_H

#include <stdio.h>

enum exsol_verbosity { EXSOL_QUIET = 0, EXSOL_NORMAL = 1, EXSOL_VERBOSE = 2 };

void exsol_msg_init(const char *prog); /* program name used as prefix */
const char *exsol_msg_prog(void);
void exsol_msg_set_verbosity(int level); /* EXSOL_QUIET..EXSOL_VERBOSE */
int exsol_msg_verbosity(void);

/* Errors are always printed (even with -q): "<prog>: error: ...\n". */
void exsol_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Warnings unless -q: "<prog>: warning: ...\n". */
void exsol_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Info (summary lines) unless -q: "<prog>: ...\n". */
void exsol_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Debug detail only with -v. */
void exsol_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Progress bar on stderr, drawn only when stderr is a terminal, verbosity is not
 * quiet, and the work has lasted more than ~0.5 s. Thread-safe to call
 * exsol_progress_tick from inside an OpenMP region (it throttles itself). */
typedef struct exsol_progress exsol_progress;
exsol_progress *exsol_progress_create(const char *label, size_t total);
void exsol_progress_tick(exsol_progress *p, size_t done_delta);
/* Clears the bar; prints nothing else. Accepts NULL. */
void exsol_progress_destroy(exsol_progress *p);

/* Monotonic wall-clock seconds, for the one-line summary. */
double exsol_wtime(void);

#endif
