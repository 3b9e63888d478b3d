// SPDX-License-Identifier: GPL-2.0
/*
 * rt12.bpf.c - red team 12: fmod_ret programs answering a positive value
 * for a process named ratchet, without any helper that reads or writes
 * memory (usable after a lock of bpf-read-kernel and bpf-write-user).
 *  rt12_perm:  security_file_permission, for files on a superblock of
 *              magic perm_magic whose name is perm_len long, for the
 *              access bits perm_mask: returns perm_ret, after the
 *              first perm_skip such calls.
 *  rt12_mnt:   security_sb_set_mnt_opts (vfs_get_tree), for superblocks of
 *              magic mnt_magic (0: any): returns mnt_ret.
 *  rt12_ioctl: security_file_ioctl for cmd ioctl_cmd: returns ioctl_ret.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

struct qstr___rt12 {
	union {
		struct {
			unsigned int hash;
			unsigned int len;
		};
		unsigned long long hash_len;
	};
} __attribute__((preserve_access_index));

struct dentry___rt12 {
	struct qstr___rt12 d_name;
	struct super_block *d_sb;
} __attribute__((preserve_access_index));

struct path___rt12 {
	struct dentry___rt12 *dentry;
} __attribute__((preserve_access_index));

struct file___rt12 {
	struct path___rt12 f_path;
} __attribute__((preserve_access_index));

unsigned long perm_magic SEC(".data") = 0;
unsigned int perm_len SEC(".data") = 0;
int perm_mask = 4;
int perm_ret SEC(".data") = 0;
long perm_skip SEC(".data") = 0;
unsigned long mnt_magic SEC(".data") = 0;
int mnt_ret SEC(".data") = 0;
unsigned int ioctl_cmd SEC(".data") = 0;
int ioctl_ret SEC(".data") = 0;
long hits SEC(".data") = 0;

static bool is_ratchet(void)
{
	char comm[16];

	bpf_get_current_comm(comm, sizeof(comm));
	return comm[0] == 'r' && comm[1] == 'a' && comm[2] == 't' &&
	       comm[3] == 'c' && comm[4] == 'h' && comm[5] == 'e' &&
	       comm[6] == 't' && !comm[7];
}

SEC("fmod_ret/security_file_permission")
int BPF_PROG(rt12_perm, struct file *file, int mask)
{
	struct file___rt12 *f = (void *)file;
	struct dentry___rt12 *d;

	if (!perm_ret || !(mask & perm_mask) || !is_ratchet())
		return 0;
	d = f->f_path.dentry;
	if (!d || d->d_name.len != perm_len || d->d_sb->s_magic != perm_magic)
		return 0;
	if (__sync_fetch_and_add(&hits, 1) < perm_skip)
		return 0;
	return perm_ret;
}

SEC("fmod_ret/security_sb_set_mnt_opts")
int BPF_PROG(rt12_mnt, struct super_block *sb)
{
	if (!mnt_ret || !is_ratchet())
		return 0;
	if (mnt_magic && sb->s_magic != mnt_magic)
		return 0;
	__sync_fetch_and_add(&hits, 1);
	return mnt_ret;
}

SEC("fmod_ret/security_file_ioctl")
int BPF_PROG(rt12_ioctl, struct file *file, unsigned int cmd)
{
	if (!ioctl_ret || cmd != ioctl_cmd || !is_ratchet())
		return 0;
	__sync_fetch_and_add(&hits, 1);
	return ioctl_ret;
}

/*
 * rt13_btf (red team 13): answers btf_ret once, for ratchet's first read
 * of a sysfs file named 7 long (vmlinux) at or past btf_pos: a count with
 * nothing read, which a reader that trusts it keeps as btf_ret zero
 * bytes, reading on from where the file still is.
 */
struct file___rt13 {
	struct path___rt12 f_path;
	long long f_pos;
} __attribute__((preserve_access_index));

long long btf_pos SEC(".data") = 0;
int btf_ret SEC(".data") = 0;
long btf_hits SEC(".data") = 0;

SEC("fmod_ret/security_file_permission")
int BPF_PROG(rt13_btf, struct file *file, int mask)
{
	struct file___rt13 *f = (void *)file;
	struct dentry___rt12 *d;

	if (!btf_ret || btf_hits || !(mask & 4) || !is_ratchet())
		return 0;
	d = f->f_path.dentry;
	if (!d || d->d_name.len != 7 || d->d_sb->s_magic != 0x62656572)
		return 0;
	if (f->f_pos < btf_pos)
		return 0;
	btf_hits = 1;
	return btf_ret;
}

/*
 * rt14_iter (red team 14): a BPF iterator's fd does not seek, so
 * ratchet's sys_read() holds its count only to what was asked. For
 * ratchet's reads of an anon-inode file named 8 long (bpf_iter), per
 * file: the first read answers iter_k (nothing read), the second is
 * real, the third answers iter_rec - iter_k, later ones are real. Every
 * iter_rec-byte struct ratchet_prog_scan after the first fake is then
 * parsed iter_k bytes out of place, and the total is whole records.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, __u32);
} rt14_calls SEC(".maps");

int iter_k SEC(".data") = 0;
int iter_rec SEC(".data") = 48;
long iter_hits SEC(".data") = 0;

SEC("fmod_ret/security_file_permission")
int BPF_PROG(rt14_iter, struct file *file, int mask)
{
	struct file___rt12 *f = (void *)file;
	struct dentry___rt12 *d;
	__u64 key = (__u64)file;
	__u32 one = 1, *c;

	if (!iter_k || !(mask & 4) || !is_ratchet())
		return 0;
	d = f->f_path.dentry;
	if (!d || d->d_name.len != 8 || d->d_sb->s_magic != 0x09041934)
		return 0;
	c = bpf_map_lookup_elem(&rt14_calls, &key);
	if (!c) {
		bpf_map_update_elem(&rt14_calls, &key, &one, BPF_ANY);
		__sync_fetch_and_add(&iter_hits, 1);
		return iter_k;
	}
	*c += 1;
	if (*c == 3) {
		__sync_fetch_and_add(&iter_hits, 1);
		return iter_rec - iter_k;
	}
	if (*c >= 4)
		bpf_map_delete_elem(&rt14_calls, &key);
	return 0;
}

/*
 * rt14_btf (red team 14): like rt13_btf, but skips the first lib_skip
 * vmlinux files ratchet opens (its own read, if first) and fires once
 * per later file (libbpf's btf__parse() through stdio), at the first
 * read at or past lib_pos.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, __u32);
} rt14_files SEC(".maps");

long long lib_pos SEC(".data") = 0;
int lib_ret SEC(".data") = 0;
int lib_skip SEC(".data") = 1;
long lib_files SEC(".data") = 0;
long lib_hits SEC(".data") = 0;

SEC("fmod_ret/security_file_permission")
int BPF_PROG(rt14_btf, struct file *file, int mask)
{
	struct file___rt13 *f = (void *)file;
	struct dentry___rt12 *d;
	__u64 key = (__u64)file;
	__u32 v = 0, *s;

	if (!lib_ret || !(mask & 4) || !is_ratchet())
		return 0;
	d = f->f_path.dentry;
	if (!d || d->d_name.len != 7 || d->d_sb->s_magic != 0x62656572)
		return 0;
	s = bpf_map_lookup_elem(&rt14_files, &key);
	if (!s) {
		long n = __sync_fetch_and_add(&lib_files, 1);

		v = n < lib_skip ? 2 : 0;
		bpf_map_update_elem(&rt14_files, &key, &v, BPF_ANY);
		s = bpf_map_lookup_elem(&rt14_files, &key);
		if (!s)
			return 0;
	}
	if (f->f_pos == 0 && *s == 1)
		*s = 0; /* a reused struct file: a new open */
	if (*s || f->f_pos < lib_pos)
		return 0;
	*s = 1;
	__sync_fetch_and_add(&lib_hits, 1);
	return lib_ret;
}

/*
 * rt15_send (red team 15): security_socket_sendmsg answered with the
 * size asked for a SOCK_SEQPACKET socket of a process named ratchet
 * (status's walk child, a fork keeping the name): send() reports every
 * byte sent, nothing is queued. send_skip: the first sends let through.
 */
struct socket;
struct msghdr;
struct socket___rt15 {
	short type;
} __attribute__((preserve_access_index));

int send_on SEC(".data") = 0;
long send_skip SEC(".data") = 0;
long send_calls SEC(".data") = 0;
long send_hits SEC(".data") = 0;

SEC("fmod_ret/security_socket_sendmsg")
int BPF_PROG(rt15_send, struct socket *sock, struct msghdr *msg, int size)
{
	struct socket___rt15 *s = (void *)sock;

	if (!send_on || !is_ratchet() || s->type != 5 /* SOCK_SEQPACKET */)
		return 0;
	if (__sync_fetch_and_add(&send_calls, 1) < send_skip)
		return 0;
	__sync_fetch_and_add(&send_hits, 1);
	return size;
}

/* Red team 16: refuses capability cap_num with cap_ret for a process
 * named ratchet (status --verify's probes fork from it). */
int cap_num SEC(".data") = -1;
int cap_ret SEC(".data") = 0;

SEC("fmod_ret/security_capable")
int BPF_PROG(rt16_cap, void *cred, void *ns, int cap, unsigned int opts)
{
	if (!cap_ret || cap != cap_num || !is_ratchet())
		return 0;
	__sync_fetch_and_add(&hits, 1);
	return cap_ret;
}

/* Red team 16: refuses CAP_SYS_ADMIN (21) in the first fsopen_n fsopen()
 * calls (orig_ax 430, x86-64) of processes named ratchet, then none. */
long fsopen_n SEC(".data") = 0;
long fsopen_hits SEC(".data") = 0;

SEC("fmod_ret/security_capable")
int BPF_PROG(rt16_fsopen, void *cred, void *ns, int cap, unsigned int opts)
{
	struct pt_regs *r =
		(struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());

	if (cap != 21 || r->orig_ax != 430 || !is_ratchet())
		return 0;
	return __sync_fetch_and_add(&fsopen_hits, 1) < fsopen_n ? -1 : 0;
}

/*
 * rt17_getattr: security_inode_getattr (vfs_getattr(), fs/stat.c) for a
 * process named ratchet, on an inode whose i_rdev is getattr_rdev (the
 * kernel's encoding): returns getattr_ret (red team 17: status's walk of
 * /proc/PID/fd statx()es each link and skips one it cannot stat).
 */
struct inode___rt17 {
	unsigned int i_rdev;
} __attribute__((preserve_access_index));

struct dentry___rt17 {
	struct inode___rt17 *d_inode;
} __attribute__((preserve_access_index));

struct path___rt17 {
	struct dentry___rt17 *dentry;
} __attribute__((preserve_access_index));

unsigned int getattr_rdev SEC(".data") = 0;
int getattr_ret SEC(".data") = 0;
long getattr_hits SEC(".data") = 0;

SEC("fmod_ret/security_inode_getattr")
int BPF_PROG(rt17_getattr, const struct path *path)
{
	struct path___rt17 *p = (void *)path;

	if (!getattr_rdev || !is_ratchet() || !p->dentry->d_inode ||
	    p->dentry->d_inode->i_rdev != getattr_rdev)
		return 0;
	__sync_fetch_and_add(&getattr_hits, 1);
	return getattr_ret;
}
