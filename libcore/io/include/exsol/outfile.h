/* Text outputs (tables, reports) with the same integrity rules as the NetCDF data
 * layer: "-" is stdout; a path is written to a temporary name in its folder and
 * renamed into place by exsol_outfile_commit, so a failed run leaves nothing behind
 * and never clobbers a good file; a target that exists and is not a regular file
 * (/dev/null, a FIFO) is written in place, never renamed over. */
#ifndef EXSOL_OUTFILE_H
#define EXSOL_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

typedef struct exsol_outfile exsol_outfile;

/* Opens `path` for writing; *fp is the stream to write to. */
int exsol_outfile_open(const char *path, exsol_outfile **out, FILE **fp, char *err,
                       size_t errlen);
/* Flushes, checks for write errors, closes and renames into place. Frees f. */
int exsol_outfile_commit(exsol_outfile *f, char *err, size_t errlen);
/* The first half of exsol_outfile_commit, for a run with several outputs committed
 * only when all are good: flushes, checks for write errors, closes and makes the
 * temporary durable, renames nothing. Then exsol_outfile_commit (the rename) or
 * exsol_outfile_abort. f stays the caller's in both cases. */
int exsol_outfile_finish(exsol_outfile *f, char *err, size_t errlen);
/* Discards the output (removes the temporary). Accepts NULL. Frees f. */
void exsol_outfile_abort(exsol_outfile *f);

/* Removes every output temporary this process has open and not yet committed
 * (NetCDF and text outputs alike). Async-signal-safe (only unlink(2) on names kept
 * in fixed storage): tools/common calls it from its SIGTERM/SIGINT/SIGHUP handler
 * before the signal ends the process. */
void exsol_af_remove_temporaries(void);

/* Scratch files a fatal signal must remove too, e.g. the chain's round files between
 * the rename that completes one and the unlink once the next stage has it open
 * (exsol_stage_chain_guard): add returns the slot (-1 when the fixed table is full:
 * that name is then not removed on a signal), drop forgets it. Not thread-safe. */
int exsol_af_scratch_add(const char *path);
void exsol_af_scratch_drop(int slot);

#endif
