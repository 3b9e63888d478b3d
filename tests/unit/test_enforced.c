// SPDX-License-Identifier: GPL-2.0
/*
 * test_enforced.c - what status claims is derived from the kernel's facts
 * (src/enforced.c): a hook whose program is not attached leaves exactly its
 * restrictions unenforced; anything that lets the lock be undone (the
 * sysctl program gone, a user reference to the state map, a program of
 * root's using it, changed or unread tables, a user reference to them,
 * a map not shaped as declared, a seal time out of bounds, ftrace off)
 * leaves all of them; a raise-only knob counts only with the sysctl
 * restriction itself.
 */
#include <string.h>
#include <linux/bpf.h>
#include "cli.h"
#include "check.h"

static struct expected e;
static struct lock_view v;
static struct posture pos;
static struct enforcement en;

static void prog(const char *name, const char *sec, __u32 type)
{
	snprintf(e.p[e.n].name, sizeof(e.p[0].name), "%s", name);
	snprintf(e.p[e.n].sec, sizeof(e.p[0].sec), "%s", sec);
	e.p[e.n].type = type;
	e.n++;
}

/* A lock whose every fact holds. */
static void whole(void)
{
	int i;

	memset(&e, 0, sizeof(e));
	prog("ratchet_locked_down", "lsm/locked_down", BPF_PROG_TYPE_LSM);
	prog("ratchet_read_file", "lsm/kernel_read_file", BPF_PROG_TYPE_LSM);
	prog("ratchet_unlink", "lsm/inode_unlink", BPF_PROG_TYPE_LSM);
	prog("ratchet_sysctl", "cgroup/sysctl", BPF_PROG_TYPE_CGROUP_SYSCTL);
	prog("ratchet_raise", "syscall", BPF_PROG_TYPE_SYSCALL);
	memset(&v, 0, sizeof(v));
	for (i = 0; i < e.n; i++)
		v.prog[i] = v.link[i] = 10 + i;
	v.sysctl = 13;
	v.state_users = 5;
	v.snap.state_map.refcnt = 5;
	v.snap.state_map.frozen = 1;
	v.snap.tables_map.frozen = 1;
	v.snap.tables_read = 1;
	v.tables_rdonly = v.tables_match = true;
	v.pins_checked = 1;
	v.snap.pin.in_init_ns = 1;
	memset(&pos, 0, sizeof(pos));
	pos.ftrace_enabled = pos.bpf_lsm = 1;
}

static int derive(void)
{
	enforced_derive(&e, &v, &pos, &en);
	return en.n;
}

static int all_of(void)
{
	return en.n == 1 && en.l[0].all;
}

int main(void)
{
	struct ratchet_state st = { 0 };

	whole();
	CHECK(derive() == 0, "enforced: a whole lock has no lapse");
	whole();
	v.link[1] = 0;
	CHECK(derive() == 1 && !en.l[0].all &&
		      ratchet_mask_test(&en.l[0].slots, RATCHET_SLOT_MODULES) &&
		      ratchet_mask_test(&en.l[0].slots,
					RATCHET_SLOT_KEXEC_IMAGE) &&
		      !ratchet_mask_test(&en.l[0].slots, 2) &&
		      enforced_slot(&en, 2) &&
		      !enforced_slot(&en, RATCHET_SLOT_MODULES) &&
		      strstr(en.l[0].what, "ratchet_read_file"),
	      "enforced: read_file unattached leaves modules and kexec-image only");
	whole();
	v.link[0] = 0;
	CHECK(derive() == 1 && !en.l[0].all && !enforced_slot(&en, 2) &&
		      enforced_slot(&en, RATCHET_SLOT_MODULES),
	      "enforced: locked_down unattached leaves the kernel reasons only");
	whole();
	v.link[2] = 0;
	CHECK(derive() == 1 && all_of(),
	      "enforced: a self-protection hook unattached leaves everything");
	whole();
	v.sysctl = 0;
	CHECK(derive() == 1 && all_of() &&
		      strstr(en.l[0].what, "cgroup v2 root"),
	      "enforced: the sysctl program gone leaves everything (ftrace)");
	whole();
	v.snap.state_map.usercnt = 1;
	v.snap.state_map.refcnt = 6;
	snprintf(v.holder, sizeof(v.holder), "evil[42]");
	CHECK(derive() == 1 && all_of() && strstr(en.l[0].what, "evil[42]"),
	      "enforced: a user reference to the state names its holder");
	whole();
	v.nforeign = 1;
	v.state_users = 6;
	v.snap.state_map.refcnt = 6;
	CHECK(derive() == 1 && all_of(),
	      "enforced: a program of root's using the state leaves everything");
	whole();
	v.snap.state_map.refcnt = 6;
	CHECK(derive() == 1 && all_of() && strstr(en.l[0].what, "besides"),
	      "enforced: a reference no program explains (an outer map) too");
	whole();
	v.tables_match = false;
	CHECK(derive() == 1 && all_of() && strstr(en.l[0].what, "differs"),
	      "enforced: changed tables leave everything");
	whole();
	v.tables_match = false;
	v.snap.tables_read = 0;
	CHECK(derive() == 1 && all_of() && strstr(en.l[0].what, "not be read"),
	      "enforced: tables the snapshot could not read leave everything");
	whole();
	v.snap.tables_map.usercnt = 1;
	CHECK(derive() == 1 && all_of() &&
		      strstr(en.l[0].what, "tables map has 1 user reference"),
	      "enforced: a user reference to the tables (an iterator) too");
	whole();
	v.bad_map = 1 + ROLE_STATE;
	v.bad_shape.type = BPF_MAP_TYPE_PERCPU_ARRAY;
	CHECK(derive() == 1 && all_of() &&
		      strstr(en.l[0].what, "state map is not the map"),
	      "enforced: a state map of another type leaves everything");
	whole();
	v.seal_bad = true;
	CHECK(derive() == 1 && all_of() && strstr(en.l[0].what, "sealed at"),
	      "enforced: a seal time out of bounds leaves everything");
	whole();
	v.pins_checked = 0;
	snprintf(v.unpinned, sizeof(v.unpinned), "ratchet_locked_down");
	CHECK(derive() == 1 && !en.l[0].all && strstr(en.l[0].what, "no pin"),
	      "enforced: an unpinned link leaves its hook's restrictions");
	whole();
	pos.ftrace_enabled = 0;
	CHECK(derive() == 1 && all_of(),
	      "enforced: ftrace off leaves everything");
	whole();
	pos.ftrace_enabled = -2;
	CHECK(derive() == 1 && all_of(),
	      "enforced: ftrace_enabled unreadable leaves everything unverified");
	whole();
	pos.bpf_lsm = -1;
	CHECK(derive() == 1 && all_of(),
	      "enforced: the LSM list unreadable leaves everything unverified");
	whole();
	v.pins_checked = -1;
	CHECK(derive() == 1 && all_of() &&
		      strstr(en.l[0].what, "cannot be checked"),
	      "enforced: pins that cannot be checked leave everything unverified");
	whole();
	v.snap.pin.in_init_ns = 0;
	CHECK(derive() == 1 && all_of(),
	      "enforced: pins outside the initial namespace leave everything");
	whole();
	pos.bpf_lsm = 0;
	CHECK(derive() == 1 && all_of(),
	      "enforced: bpf not an LSM leaves everything");

	st.sysctls = 1;
	CHECK(!sysctls_in_force(&st),
	      "sysctls: a knob's bit alone is not raise-only");
	ratchet_mask_set(&st.permissive, RATCHET_SLOT_SYSCTL);
	CHECK(sysctls_in_force(&st) == 1,
	      "sysctls: with the sysctl restriction (permissive) it is");
	whole();
	v.link[1] = 0;
	derive();
	memset(&st, 0, sizeof(st));
	ratchet_mask_set(&st.enforce, 2);
	CHECK(!lapse_relevant(&en.l[0], &st) && !enforced_lapses(&en, &st),
	      "enforced: a lapse of restrictions nobody locked is not reported");
	ratchet_mask_set(&st.enforce, RATCHET_SLOT_MODULES);
	CHECK(enforced_lapses(&en, &st) == 1,
	      "enforced: ... and is once one of them is locked");
	return check_failed ? 1 : 0;
}
