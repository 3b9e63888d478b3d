/* SPDX-License-Identifier: GPL-2.0 */
/*
 * config.h - /etc/ratchet.conf: stages of restrictions, applied in order.
 * See man/ratchet.conf.5 for the format. Library code (config.c) returns
 * 0 or a negative errno and never prints; `check` and `apply` report.
 */
#ifndef RATCHET_CONFIG_H
#define RATCHET_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "cli.h"

#define CONFIG_DEFAULT_PATH "/etc/ratchet.conf"
#define CONFIG_FILE_MAX	    (64 * 1024) /* bytes */
#define CONFIG_LINE_MAX	    1024	/* bytes, without the newline */
#define CONFIG_STAGES_MAX   16
#define CONFIG_NAME_MAX	    32 /* stage name, with its NUL */

/* The kernel's own one-way sysctls a stage may set once it is locked. */
enum config_set_sysctl {
	CONFIG_SET_KEXEC_LOAD_DISABLED = 1 << 0,
	CONFIG_SET_MODULES_DISABLED = 1 << 1,
};

struct config_stage {
	char name[CONFIG_NAME_MAX];
	int line; /* of its `stage NAME` line */
	struct ratchet_mask enforce;
	struct ratchet_mask permissive; /* never holds a bit of enforce */
	/* Bit per enum ratchet_sysctl: knobs this stage makes raise-only. */
	__u64 raise_only_sysctls;
	unsigned int set_sysctl; /* enum config_set_sysctl bits */
	bool allow_loaded_kexec;
};

struct config {
	struct config_stage stage[CONFIG_STAGES_MAX];
	int n;
};

struct config_error {
	int line; /* 1-based; 0 for the file as a whole */
	char msg[512];
};

int config_parse(const char *text, size_t len, const struct catalogue *c,
		 struct config *out, struct config_error *err);
int config_load(const char *path, const struct catalogue *c, struct config *out,
		struct config_error *err);
const struct config_stage *config_find(const struct config *cfg,
				       const char *name);

/* "kernel.modules_disabled" and its file in proc (sys/...), per set-sysctl bit. */
const char *config_set_sysctl_name(unsigned int bit);
const char *config_set_sysctl_path(unsigned int bit);
const char *config_set_sysctl_hint(unsigned int bit);
bool config_set_sysctl_ready(unsigned int bit,
			     const struct ratchet_mask *locked,
			     const struct catalogue *c);

#endif /* RATCHET_CONFIG_H */
