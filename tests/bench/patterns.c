// SPDX-License-Identifier: GPL-2.0
/*
 * patterns.c - what ratchet-bench times: one system-call pattern per loop,
 * each through one hook ratchet attaches to (or none, as a control), and
 * two realistic workloads. Every operation's result is checked: a loop
 * that starts failing in an unexpected way stops the run rather than
 * timing the failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <sqlite3.h>
#include "bench.h"

#define DIR	   "/tmp/ratchet-bench"
#define TREE_FILES 10000
#define CHUNKS	   10

extern char **environ;

static int fd_a = -1;
static char buf[4096];
const char *note;

long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Report an unexpected failure once, and make the loop stop. */
int bad(const char *what)
{
	fprintf(stderr, "ratchet-bench: %s: %s\n", what, strerror(errno));
	return -1;
}

/*
 * Run argv[0] (found on PATH) with its standard output discarded, and
 * wait; 0 only if it exited 0.
 */
int spawn(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st, err;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		errno = err;
		return bad(argv[0]);
	}
	if (waitpid(pid, &st, 0) < 0)
		return bad("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "ratchet-bench: %s failed (status %#x)\n",
			argv[0], st);
		return -1;
	}
	return 0;
}

static int open_close(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		return bad(path);
	return close(fd);
}

static int read_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return bad(path);
	if (read(fd, buf, sizeof(buf)) < 0) {
		close(fd);
		return bad(path);
	}
	return close(fd);
}

/* ---- patterns without a ratchet hook: drift controls ---- */

static int op_getppid(long i __maybe_unused)
{
	return syscall(SYS_getppid) > 0 ? 0 : bad("getppid");
}

static int op_null_open(long i __maybe_unused)
{
	return open_close("/dev/null", O_RDONLY);
}

/* ---- bpf, bpf_map ---- */

static int map_fd = -1;
static __u32 map_id;

static int setup_map(void)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bench", 4, 8, 1, NULL);
	if (map_fd < 0)
		return bad("BPF_MAP_CREATE");
	if (bpf_obj_get_info_by_fd(map_fd, &info, &len))
		return bad("BPF_OBJ_GET_INFO_BY_FD");
	map_id = info.id;
	return 0;
}

static void teardown_map(void)
{
	close(map_fd);
	map_fd = -1;
}

static int op_bpf_lookup(long i __maybe_unused)
{
	__u32 key = 0;
	__u64 val;

	return bpf_map_lookup_elem(map_fd, &key, &val) ? bad("lookup") : 0;
}

/* What a monitoring agent listing maps does for each one. */
static int op_bpf_map_fd(long i __maybe_unused)
{
	int fd = bpf_map_get_fd_by_id(map_id);

	if (fd < 0)
		return bad("BPF_MAP_GET_FD_BY_ID");
	return close(fd);
}

/* ---- file_lock ---- */

static int setup_lockfile(void)
{
	fd_a = open(DIR "/lockfile", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	return fd_a < 0 ? bad(DIR "/lockfile") : 0;
}

static void close_a(void)
{
	close(fd_a);
	fd_a = -1;
}

static int op_flock(long i __maybe_unused)
{
	if (flock(fd_a, LOCK_EX) || flock(fd_a, LOCK_UN))
		return bad("flock");
	return 0;
}

static int op_fcntl_lock(long i __maybe_unused)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	if (fcntl(fd_a, F_SETLK, &fl))
		return bad("fcntl F_SETLK F_WRLCK");
	fl.l_type = F_UNLCK;
	if (fcntl(fd_a, F_SETLK, &fl))
		return bad("fcntl F_SETLK F_UNLCK");
	return 0;
}

/* ---- inode_rename, inode_unlink, inode_rmdir ---- */

static int setup_rename(void)
{
	unlink(DIR "/b");
	return open_close(DIR "/a", O_WRONLY | O_CREAT);
}

/* One rename per iteration, back and forth. */
static int op_rename(long i)
{
	const char *from = i & 1 ? DIR "/b" : DIR "/a";
	const char *to = i & 1 ? DIR "/a" : DIR "/b";

	return rename(from, to) ? bad("rename") : 0;
}

static void teardown_rename(void)
{
	unlink(DIR "/a");
	unlink(DIR "/b");
}

static int op_unlink(long i __maybe_unused)
{
	if (open_close(DIR "/u", O_WRONLY | O_CREAT))
		return -1;
	return unlink(DIR "/u") ? bad("unlink") : 0;
}

static int op_rmdir(long i __maybe_unused)
{
	if (mkdir(DIR "/d", 0700))
		return bad("mkdir");
	return rmdir(DIR "/d") ? bad("rmdir") : 0;
}

/* ---- sb_mount, sb_umount ---- */

static int setup_mount(void)
{
	return mkdir(DIR "/mnt", 0700) && errno != EEXIST ? bad("mkdir") : 0;
}

static int op_mount(long i __maybe_unused)
{
	if (mount("bench", DIR "/mnt", "tmpfs", 0, "size=64k"))
		return bad("mount");
	return umount2(DIR "/mnt", 0) ? bad("umount") : 0;
}

/*
 * ---- kernel_load_data ----
 * A module-load attempt that fails either way: unlocked, the ELF check
 * refuses the image (ENOEXEC) after the LSM hook and the signature check
 * ran; locked, ratchet refuses it at the hook (EPERM, with an event). So
 * this compares two refusals, not a load with a refusal.
 */
static int op_module(long i __maybe_unused)
{
	static char image[256];

	if (!syscall(SYS_init_module, image, sizeof(image), "")) {
		fprintf(stderr, "ratchet-bench: a blank module image loaded\n");
		return -1;
	}
	if (errno == EPERM)
		note = "EPERM";
	else if (errno == ENOEXEC)
		note = "ENOEXEC";
	else
		return bad("init_module");
	return 0;
}

/* ---- cgroup/sysctl, and locked_down on a harmless read ---- */

static int op_sysctl_read(long i __maybe_unused)
{
	return read_file("/proc/sys/kernel/kptr_restrict");
}

/* Write back the value it has: allowed locked or not, the full check. */
static char kptr[16];

static int setup_sysctl_write(void)
{
	int fd = open("/proc/sys/kernel/kptr_restrict", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return bad("kptr_restrict");
	n = read(fd, kptr, sizeof(kptr) - 1);
	close(fd);
	if (n <= 0)
		return bad("kptr_restrict");
	kptr[n] = '\0';
	return 0;
}

static int op_sysctl_write(long i __maybe_unused)
{
	int fd = open("/proc/sys/kernel/kptr_restrict", O_WRONLY | O_CLOEXEC);
	size_t len = strlen(kptr);

	if (fd < 0)
		return bad("kptr_restrict");
	if (write(fd, kptr, len) != (ssize_t)len) {
		close(fd);
		return bad("write kptr_restrict");
	}
	return close(fd);
}

/* hibernation_available() asks LOCKDOWN_HIBERNATION on every read. */
static int op_power_state(long i __maybe_unused)
{
	return read_file("/sys/power/state");
}

/* ---- workloads ---- */

static char *const untar[] = {
	"/bin/tar", "-xf", DIR "/tree.tar", "-C", DIR "/tree", NULL,
};
static char *const rmtree[] = { "/bin/rm", "-rf", DIR "/tree", NULL };

/* TREE_FILES files of 100 bytes in 100 directories, as one tarball. */
static int make_tarball(void)
{
	static char *const tar[] = {
		"/bin/tar", "-cf", DIR "/tree.tar", "-C", DIR "/tree",
		".",	    NULL,
	};
	char path[128];
	int d, f;

	if (!access(DIR "/tree.tar", F_OK))
		return 0;
	memset(buf, 'x', 100);
	if (mkdir(DIR "/tree", 0700) && errno != EEXIST)
		return bad(DIR "/tree");
	for (d = 0; d < 100; d++) {
		snprintf(path, sizeof(path), DIR "/tree/d%02d", d);
		if (mkdir(path, 0700))
			return bad(path);
		for (f = 0; f < TREE_FILES / 100; f++) {
			int fd;

			snprintf(path, sizeof(path), DIR "/tree/d%02d/f%03d", d,
				 f);
			fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
			if (fd < 0 || write(fd, buf, 100) != 100)
				return bad(path);
			close(fd);
		}
	}
	return spawn(tar) || spawn(rmtree);
}

static int setup_unpack(void)
{
	if (make_tarball() || spawn(rmtree))
		return -1;
	return mkdir(DIR "/tree", 0700) ? bad(DIR "/tree") : 0;
}

static int op_unpack(long i __maybe_unused)
{
	return spawn(untar);
}

/* Normally right after tree-unpack; on its own it unpacks first. */
static int setup_delete(void)
{
	if (!access(DIR "/tree/d00", F_OK))
		return 0;
	return setup_unpack() || spawn(untar);
}

static int op_delete(long i __maybe_unused)
{
	return spawn(rmtree);
}

/*
 * SQLite in its default rollback-journal mode: each autocommit INSERT
 * takes and drops fcntl locks and creates and unlinks its journal.
 */
static sqlite3 *db;
static sqlite3_stmt *ins;

static int sql_fail(const char *what)
{
	fprintf(stderr, "ratchet-bench: sqlite %s: %s\n", what,
		db ? sqlite3_errmsg(db) : "out of memory");
	return -1;
}

static int setup_sqlite(void)
{
	static const char insert[] =
		"INSERT INTO t VALUES (?, 'ratchet bench row')";

	unlink(DIR "/db");
	if (sqlite3_open(DIR "/db", &db) != SQLITE_OK)
		return sql_fail("open");
	if (sqlite3_exec(db, "CREATE TABLE t (k INTEGER, v TEXT)", NULL, NULL,
			 NULL) != SQLITE_OK)
		return sql_fail("create");
	if (sqlite3_prepare_v2(db, insert, -1, &ins, NULL) != SQLITE_OK)
		return sql_fail("prepare");
	return 0;
}

static int op_sqlite(long i)
{
	sqlite3_bind_int64(ins, 1, i);
	if (sqlite3_step(ins) != SQLITE_DONE)
		return sql_fail("insert");
	sqlite3_reset(ins);
	return 0;
}

static void teardown_sqlite(void)
{
	sqlite3_finalize(ins);
	sqlite3_close(db);
	ins = NULL;
	db = NULL;
	unlink(DIR "/db");
}

/*
 * Iteration counts are fixed, each loop about 0.1 s in a TCG guest on a
 * busy two-core machine, so that `make bench` fits in ten minutes.
 * BENCH_SCALE (percent) shortens them for development.
 */
#define P(n, w, i, o, s, t)                                                    \
	{                                                                      \
		.name = n, .what = w, .iters = i, .op = o, .setup = s,         \
		.teardown = t                                                  \
	}
const struct pattern patterns[] = {
	P("getppid", "getppid(2), no hook", 50000, op_getppid, 0, 0),
	P("null-open", "open+close /dev/null, no hook", 1000, op_null_open, 0,
	  0),
	P("bpf-lookup", "bpf(2) array map lookup", 8000, op_bpf_lookup,
	  setup_map, teardown_map),
	P("bpf-map-fd", "bpf(2) map fd by id + close", 3000, op_bpf_map_fd,
	  setup_map, teardown_map),
	P("sysctl-read", "open+read+close kernel.kptr_restrict", 600,
	  op_sysctl_read, 0, 0),
	P("sysctl-write", "write kptr_restrict's own value", 500,
	  op_sysctl_write, setup_sysctl_write, 0),
	P("flock", "flock LOCK_EX + LOCK_UN", 8000, op_flock, setup_lockfile,
	  close_a),
	P("fcntl-lock", "fcntl F_SETLK write lock + unlock", 4000,
	  op_fcntl_lock, setup_lockfile, close_a),
	P("rename", "rename(2) in tmpfs", 1000, op_rename, setup_rename,
	  teardown_rename),
	P("unlink", "create+close+unlink in tmpfs", 300, op_unlink, 0, 0),
	P("rmdir", "mkdir+rmdir in tmpfs", 600, op_rmdir, 0, 0),
	P("mount", "mount+umount a tmpfs", 60, op_mount, setup_mount, 0),
	P("module", "init_module of a blank image (refused)", 100, op_module, 0,
	  0),
	P("power-state", "read /sys/power/state (lockdown check)", 500,
	  op_power_state, 0, 0),
	P("sqlite", "SQLite autocommit INSERT (fcntl locks, journal)", 40,
	  op_sqlite, setup_sqlite, teardown_sqlite),
	P("tree-unpack", "tar -x of 10,000 small files", 1, op_unpack,
	  setup_unpack, 0),
	P("tree-delete", "rm -rf of those 10,000 files", 1, op_delete,
	  setup_delete, 0),
	{ NULL }
};

/* Fixed counts scaled for development runs; never below one. */
long iterations(const struct pattern *p)
{
	const char *s = getenv("BENCH_SCALE");
	long pct = s ? atol(s) : 100, n;

	if (pct <= 0 || pct > 100)
		pct = 100;
	n = p->iters * pct / 100;
	return n > 0 ? n : 1;
}

/*
 * The timed loop: one pattern, no work inside but the operation, timed in
 * CHUNKS equal parts of a few ms each. A host that deschedules the guest
 * only ever adds time, so the fastest chunk (*best, ns per operation) is
 * the figure least disturbed by whatever else the machine runs. Returns
 * the whole loop's ns, or -1.
 */
long long time_loop(const struct pattern *p, long n, double *best)
{
	long chunks = n < CHUNKS ? n : CHUNKS, c, i = 0;
	long long t0, t, total = 0;

	for (c = 0; c < chunks; c++) {
		long start = i, end = n * (c + 1) / chunks;
		double per;

		t0 = now_ns();
		for (; i < end; i++)
			if (p->op(i))
				return -1;
		t = now_ns() - t0;
		total += t;
		per = (double)t / (end - start);
		if (!c || per < *best)
			*best = per;
	}
	return total;
}

int bench_setup(void)
{
	if (mkdir(DIR, 0700) && errno != EEXIST)
		return bad(DIR);
	return 0;
}
