/*
 * The attacker's tool in the /proc races: looks through every process it
 * can see, as fast as it can, for a file holding SECRET, until STOPFILE
 * exists or SECONDS have passed. Each PATH is looked up below /proc/PID/
 * ("root/tmp/x", "cwd/x"); the word "fd" means every /proc/PID/fd/N.
 * Each hit is printed once, as the /proc path it was read through.
 *
 *   prowler STOPFILE SECONDS SECRET PATH...
 *
 * Only regular files are read (opened O_NONBLOCK, checked with fstat), so
 * no pipe or device can block it. Built by the tests (gcc -static) and
 * copied into an attacker's rootfs: a shell loop is too slow for a window
 * of a few microseconds.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_HITS 256

static char hits[MAX_HITS][96];
static int nhits;
static const char *secret;

static void report(const char *path)
{
	for (int i = 0; i < nhits; i++)
		if (strcmp(hits[i], path) == 0)
			return;
	if (nhits < MAX_HITS)
		snprintf(hits[nhits++], sizeof(hits[0]), "%s", path);
	printf("%s\n", path);
	fflush(stdout);
}

/* Does the regular file at path hold the secret? */
static void try_file(const char *path)
{
	char buf[4096];
	struct stat info;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		if (n > 0) {
			buf[n] = '\0';
			if (strstr(buf, secret))
				report(path);
		}
	}
	close(fd);
}

static void try_fds(const char *pid)
{
	char dir[64], path[128];
	snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		try_file(path);
	}
	closedir(d);
}

static void scan(int npaths, char **paths)
{
	char path[4200];
	DIR *proc = opendir("/proc");
	if (!proc)
		return;
	for (struct dirent *e; (e = readdir(proc));) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		for (int i = 0; i < npaths; i++) {
			if (strcmp(paths[i], "fd") == 0) {
				try_fds(e->d_name);
				continue;
			}
			snprintf(path, sizeof(path), "/proc/%s/%s", e->d_name, paths[i]);
			try_file(path);
		}
	}
	closedir(proc);
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: prowler STOPFILE SECONDS SECRET PATH...\n");
		return 2;
	}
	secret = argv[3];
	time_t end = time(NULL) + atol(argv[2]);
	for (unsigned long round = 0;; round++) {
		if (round % 64 == 0 && (access(argv[1], F_OK) == 0 || time(NULL) >= end))
			return 0;
		scan(argc - 4, argv + 4);
	}
}
