/* One way to put an output in place, for every output of every tool (NetCDF through
 * exsol_ds_out_*, text through exsol_outfile_*): a path is written to a temporary
 * name in the target's folder, made durable (fsync) and renamed over the target only
 * when the whole output is good; a failed run leaves nothing behind and never
 * clobbers a good file. What happens is decided by what the path resolves to
 * (links followed): a device, FIFO or socket is written directly, never renamed
 * over; a regular file reached through a link gets its temporary next to the file,
 * and the link stays; a link through /proc's descriptor links (/dev/stdout,
 * /dev/fd/N) names a file the caller holds open and is written directly too; a
 * link that leads nowhere is refused. Private to libcore/io. */
#ifndef EXSOL_ATOMIC_FILE_H
#define EXSOL_ATOMIC_FILE_H

#include <stddef.h>

enum exsol_af_mode {
    EXSOL_AF_STDOUT = 0, /* "-" (or NULL): the process's stdout */
    EXSOL_AF_INPLACE,    /* an existing non-regular target: written directly */
    EXSOL_AF_TEMP        /* a regular file or a new name: temporary, fsync, rename */
};

/* Caller-owned; exsol_af_begin fills it, exsol_af_release empties it. */
struct exsol_af {
    enum exsol_af_mode mode;
    char *path;   /* the target as given; NULL for stdout */
    char *target; /* EXSOL_AF_TEMP: the name renamed over (path, or the file a link
                   * leads to, so the link stays a link) */
    char *tmp;    /* EXSOL_AF_TEMP until committed: the temporary's name */
    int fd;       /* EXSOL_AF_TEMP: open for writing on tmp, or -1 once the caller took it */
    int slot;     /* the temporary's place in the list a signal handler cleans, or -1 */
    int synced;   /* exsol_af_sync done: the temporary is complete and durable */
};

/* Decides how `path` is written and, for EXSOL_AF_TEMP, creates the temporary
 * (mode 0666 less the umask) with af->fd open on it. A directory is EXSOL_EUSAGE,
 * a temporary that cannot be made EXSOL_EIO. On failure af holds nothing. */
int exsol_af_begin(struct exsol_af *af, const char *path, char *err, size_t errlen);

/* EXSOL_AF_TEMP: closes af->fd if still open and makes the temporary durable
 * (fsync), without putting it in place: a run with several outputs syncs them all
 * before it renames any. Other modes: nothing to do. */
int exsol_af_sync(struct exsol_af *af, char *err, size_t errlen);

/* EXSOL_AF_TEMP: exsol_af_sync unless done, then renames the temporary over the
 * target; afterwards there is no temporary to remove. The
 * caller has written and closed its own streams on it first. Other modes: nothing
 * to do. Does not release af. */
int exsol_af_commit(struct exsol_af *af, char *err, size_t errlen);

/* Closes af->fd, removes the temporary if it was not committed, frees the names.
 * Accepts an all-zero af (exsol_af_begin never called, or failed). */
void exsol_af_release(struct exsol_af *af);

#endif
