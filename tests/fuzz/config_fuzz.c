// SPDX-License-Identifier: GPL-2.0
/*
 * config_fuzz.c - libFuzzer target for config_parse (make fuzz).
 *
 * Beyond the sanitizers, it checks the parser's promises: an error names
 * a line that exists and leaves nothing to apply; a success holds only
 * well-formed, non-empty stages whose permissive never overlaps enforce.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "config.h"
#include "../unit/fake_btf.h"

static struct catalogue cat;
static struct config cfg;
static const struct config empty;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct btf *btf = fake_btf(v61);

	(void)argc, (void)argv;
	if (catalogue_from_btf(&cat, btf))
		abort();
	btf__free(btf);
	return 0;
}

static int lines(const uint8_t *data, size_t size)
{
	size_t i;
	int n = size > 0;

	for (i = 0; i + 1 < size; i++)
		n += data[i] == '\n';
	return n;
}

static void check_stage(const struct config_stage *s)
{
	size_t n = strnlen(s->name, sizeof(s->name));
	int i, any = 0;

	if (!n || n == sizeof(s->name) || s->name[0] == '-' ||
	    strspn(s->name, "abcdefghijklmnopqrstuvwxyz0123456789-") != n)
		abort();
	for (i = 0; i < RATCHET_WORDS; i++) {
		if (s->enforce.w[i] & s->permissive.w[i])
			abort();
		any |= !!(s->enforce.w[i] | s->permissive.w[i]);
	}
	if (!any && !s->set_sysctl)
		abort();
	if (s->raise_only_sysctls >> RATCHET_SYSCTL_END ||
	    (s->raise_only_sysctls &&
	     !ratchet_mask_test(&s->enforce, RATCHET_SLOT_SYSCTL)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_error err;
	int ret, i;

	ret = config_parse((const char *)data, size, &cat, &cfg, &err);
	if (ret) {
		if (ret != -EINVAL || err.line < 0 ||
		    err.line > lines(data, size) || !err.msg[0] ||
		    memchr(err.msg, '\0', sizeof(err.msg)) == NULL ||
		    memcmp(&cfg, &empty, sizeof(cfg)))
			abort();
		return 0;
	}
	if (cfg.n < 1 || cfg.n > CONFIG_STAGES_MAX || err.line || err.msg[0])
		abort();
	for (i = 0; i < cfg.n; i++)
		check_stage(&cfg.stage[i]);
	return 0;
}
