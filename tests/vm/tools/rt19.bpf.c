// SPDX-License-Identifier: GPL-2.0
/*
 * rt19.bpf.c - red team 19: fmod_ret on security_file_open (not one of
 * ratchet's hooks: allowed after a lock) refusing, for a process named
 * ratchet, the open of a directory named "fd" or "map_files" whose parent
 * is named open_parent (a pid): /proc/PID/fd, /proc/PID/task/PID/fd,
 * /proc/PID/map_files. Direct reads only (no helper that reads memory):
 * usable after a lock of bpf-read-kernel and bpf-write-user. The name is
 * read from the dentry's inline name (d_iname up to 6.13, d_shortname
 * after; short names are kept there, fs/dcache.c).
 *
 * rt19_root: the same hook, refusing with root_ret every open of a proc
 * root directory ("/" on a superblock of PROC_SUPER_MAGIC) by a thread
 * named ratchet after its first root_skip ones (status's walking child
 * opens the fresh proc root first for its walk, then again in
 * residue.c's kcore(), which takes a failure for "no /proc/kcore").
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

struct dentry___rt19old {
	struct dentry___rt19old *d_parent;
	unsigned char d_iname[32];
} __attribute__((preserve_access_index));

struct shortname___rt19 {
	unsigned char string[40];
} __attribute__((preserve_access_index));

struct dentry___rt19new {
	struct dentry___rt19new *d_parent;
	struct shortname___rt19 d_shortname;
} __attribute__((preserve_access_index));

struct path___rt19 {
	void *dentry;
} __attribute__((preserve_access_index));

struct file___rt19 {
	struct path___rt19 f_path;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u32);
} root_opens SEC(".maps");

struct super_block___rt19 {
	unsigned long s_magic;
} __attribute__((preserve_access_index));

struct dentry___rt19sb {
	struct super_block___rt19 *d_sb;
} __attribute__((preserve_access_index));

int root_ret SEC(".data") = 0;
__u32 root_skip SEC(".data") = 1;
long root_hits SEC(".data") = 0;

char open_parent[16] SEC(".data") = {};
int open_ret SEC(".data") = 0;
long open_hits SEC(".data") = 0;

static bool is_ratchet(void)
{
	char comm[16];

	bpf_get_current_comm(comm, sizeof(comm));
	return comm[0] == 'r' && comm[1] == 'a' && comm[2] == 't' &&
	       comm[3] == 'c' && comm[4] == 'h' && comm[5] == 'e' &&
	       comm[6] == 't' && !comm[7];
}

/* The first 12 bytes of @d's inline name, and of its parent's. */
static __always_inline void names(void *d, char n[12], char p[12])
{
	int i;

	if (bpf_core_field_exists(
		    ((struct dentry___rt19new *)0)->d_shortname)) {
		struct dentry___rt19new *x = d, *y = x->d_parent;

		for (i = 0; i < 12; i++) {
			n[i] = x->d_shortname.string[i];
			p[i] = y->d_shortname.string[i];
		}
	} else {
		struct dentry___rt19old *x = d, *y = x->d_parent;

		for (i = 0; i < 12; i++) {
			n[i] = x->d_iname[i];
			p[i] = y->d_iname[i];
		}
	}
}

SEC("fmod_ret/security_file_open")
int BPF_PROG(rt19_open, struct file *file)
{
	struct file___rt19 *f = (void *)file;
	char n[12] = {}, p[12] = {};
	int i;

	if (!open_ret || !open_parent[0] || !is_ratchet())
		return 0;
	names(f->f_path.dentry, n, p);
	if (!(n[0] == 'f' && n[1] == 'd' && !n[2]) &&
	    !(n[0] == 'm' && n[1] == 'a' && n[2] == 'p' && n[3] == '_' &&
	      n[4] == 'f' && n[5] == 'i' && n[6] == 'l' && n[7] == 'e' &&
	      n[8] == 's' && !n[9]))
		return 0;
	for (i = 0; i < 12; i++) {
		if (p[i] != open_parent[i])
			return 0;
		if (!p[i])
			break;
	}
	__sync_fetch_and_add(&open_hits, 1);
	return open_ret;
}

SEC("fmod_ret/security_file_open")
int BPF_PROG(rt19_root, struct file *file)
{
	struct file___rt19 *f = (void *)file;
	struct dentry___rt19sb *d = f->f_path.dentry;
	char n[12] = {}, p[12] = {};
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), one = 1, *c;

	if (!root_ret || !is_ratchet() || d->d_sb->s_magic != 0x9fa0)
		return 0;
	names(d, n, p);
	if (n[0] != '/' || n[1])
		return 0;
	c = bpf_map_lookup_elem(&root_opens, &tid);
	if (!c) {
		bpf_map_update_elem(&root_opens, &tid, &one, BPF_ANY);
		return one > root_skip ? root_ret : 0;
	}
	if (++*c <= root_skip)
		return 0;
	__sync_fetch_and_add(&root_hits, 1);
	return root_ret;
}
