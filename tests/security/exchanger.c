/*
 * The attacker's tool in the swap races: exchanges each pair of paths
 * (renameat2 RENAME_EXCHANGE: atomic, so neither name is ever missing)
 * over and over, until STOPFILE exists or SECONDS have passed.
 *
 *   exchanger [-l TARGET] STOPFILE SECONDS A1 B1 [A2 B2 ...]
 *
 * A pair that cannot be exchanged (a victim replaced one of its names) is
 * tried again next round. With -l, a pair of which neither name is a
 * symlink any more (a victim replaced the symlink) gets B re-made as a
 * symlink to TARGET.
 *
 * Built by the tests (gcc -static) and copied into an attacker's rootfs:
 * busybox has no way to swap a directory and a symlink atomically.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static int exchange(const char *a, const char *b)
{
	return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}

static int is_symlink(const char *path)
{
	struct stat info;
	return lstat(path, &info) == 0 && S_ISLNK(info.st_mode);
}

/* B a symlink to target again, unless A or B still is one. */
static void relink(const char *target, const char *a, const char *b)
{
	if (is_symlink(a) || is_symlink(b))
		return;
	unlink(b);
	if (symlink(target, b) < 0)
		perror(b);
}

int main(int argc, char **argv)
{
	const char *target = NULL;
	if (argc > 2 && strcmp(argv[1], "-l") == 0) {
		target = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 5 || (argc - 3) % 2 != 0) {
		fprintf(stderr, "usage: exchanger [-l TARGET] STOPFILE SECONDS A B [A B ...]\n");
		return 2;
	}
	time_t end = time(NULL) + atol(argv[2]);
	for (unsigned long round = 0;; round++) {
		if (round % 1024 == 0 && (access(argv[1], F_OK) == 0 || time(NULL) >= end))
			return 0;
		for (int i = 3; i + 1 < argc; i += 2) {
			if (target && round % 64 == 0)
				relink(target, argv[i], argv[i + 1]);
			exchange(argv[i], argv[i + 1]);
		}
	}
}
