/* What `pyrunc create`, `run` and `exec` start before Python (early.c). */
#ifndef NSEXEC_EARLY_H
#define NSEXEC_EARLY_H

/* init: the path of pyrunc-init. Sets _PYRUNC_INIT and _PYRUNC_WARM for
 * Python (libcontainer/early.py takes them over); on any failure that
 * helper is just not there, and Python does without it. */
void start_early_helpers(const char *init);

#endif
