// SPDX-License-Identifier: GPL-2.0
/*
 * fmodret.bpf.c - fmod_ret on security_locked_down returning a positive
 * value: the LSM chain (ratchet included) never runs, and callers that test
 * `< 0`, such as the verifier's bpf_probe_read_kernel proto, then allow.
 * Only for LOCKDOWN_BPF_READ_KERNEL: callers that test `!= 0` would hand the
 * 1 on (open() of /dev/mem would return it as a struct file pointer).
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

SEC("fmod_ret/security_locked_down")
int BPF_PROG(evil_fmodret, enum lockdown_reason what)
{
	return what == bpf_core_enum_value(enum lockdown_reason,
					   LOCKDOWN_BPF_READ_KERNEL);
}

/*
 * evil_fakewrite: fmod_ret on security_file_permission answering 2 for a
 * process named ratchet writing (and, with fake_reads, reading) a file
 * named modules_disabled or kexec_load_disabled. rw_verify_area() hands a
 * positive answer back and vfs_write() returns it as the count, with
 * nothing written (fs/read_write.c); a read returns 2 with the buffer
 * untouched.
 */
const volatile int fake_reads;

static bool is_switch(const char *n)
{
	static const char m[] = "modules_disabled", k[] = "kexec_load_disabled";
	char buf[sizeof(k)];
	int i;

	if (bpf_probe_read_kernel_str(buf, sizeof(buf), n) < 0)
		return false;
	for (i = 0; i < (int)sizeof(m) && buf[i] == m[i]; i++)
		;
	if (i == sizeof(m))
		return true;
	for (i = 0; i < (int)sizeof(k) && buf[i] == k[i]; i++)
		;
	return i == sizeof(k);
}

SEC("fmod_ret/security_file_permission")
int BPF_PROG(evil_fakewrite, struct file *file, int mask)
{
	char comm[16];

	if (!(mask & 2 /* MAY_WRITE */) &&
	    !((mask & 4 /* MAY_READ */) && fake_reads))
		return 0;
	bpf_get_current_comm(comm, sizeof(comm));
	if (comm[0] != 'r' || comm[1] != 'a' || comm[2] != 't' ||
	    comm[3] != 'c' || comm[4] != 'h' || comm[5] != 'e' ||
	    comm[6] != 't' || comm[7])
		return 0;
	return is_switch((const char *)BPF_CORE_READ(file, f_path.dentry,
						     d_name.name))
		       ? 2
		       : 0;
}
