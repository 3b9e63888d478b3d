/* SPDX-License-Identifier: GPL-2.0 */
/* agent.h - one refusal of the test agent, as its ring buffer carries it. */
#ifndef AGENT_H
#define AGENT_H

struct agent_event {
	__u64 ino;
	__u32 pid;
	char comm[16];
};

#endif
