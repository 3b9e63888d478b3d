/* SPDX-License-Identifier: GPL-2.0 */
/* execagent.h - one refusal of the test agent, as its ring buffer carries it. */
#ifndef EXECAGENT_H
#define EXECAGENT_H

struct agent_event {
	__u64 ino;
	__u32 pid;
	char comm[16];
};

#endif
