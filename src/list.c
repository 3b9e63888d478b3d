// SPDX-License-Identifier: GPL-2.0
/* list.c - `ratchet list [--json]`: every restriction the catalogue knows. */
#include <getopt.h>
#include <json-c/json.h>
#include "cli.h"

/* The raise-only sysctls, for sysctl:KNOB: name, rule, what it means. */
static struct json_object *sysctls_json(void)
{
	struct json_object *arr = json_object_new_array();
	char name[RATCHET_SYSCTL_NAME_MAX];
	int k;

	for (k = 0; k < RATCHET_SYSCTL_END; k++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "name",
				       json_object_new_string(sysctl_knob_name(
					       k, name, sizeof(name))));
		json_object_object_add(
			o, "rule",
			json_object_new_string(sysctl_rule_means(k, NULL)));
		json_object_array_add(arr, o);
	}
	return arr;
}

static void list_json(const struct catalogue *c)
{
	struct json_object *top = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	int i;

	for (i = 0; i < c->n; i++) {
		const struct restriction *r = &c->r[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "name",
				       json_object_new_string(r->name));
		json_object_object_add(
			o, "class",
			json_object_new_string(rclass_name(r->cls)));
		json_object_object_add(o, "description",
				       json_object_new_string(r->desc));
		json_object_object_add(o, "present",
				       json_object_new_boolean(r->slot >= 0));
		if (r->note)
			json_object_object_add(o, "note",
					       json_object_new_string(r->note));
		json_object_array_add(arr, o);
	}
	json_object_object_add(
		top, "schema_version",
		json_object_new_int(RATCHET_JSON_SCHEMA_VERSION));
	json_object_object_add(top, "btf", json_object_new_boolean(c->btf));
	json_object_object_add(top, "restrictions", arr);
	json_object_object_add(top, "sysctls", sysctls_json());
	json_print(top);
}

static void list_text(const struct catalogue *c)
{
	char name[RATCHET_SYSCTL_NAME_MAX];
	int i;

	printf("%-22s %-16s %-7s %s\n", "NAME", "CLASS", "KERNEL", "BLOCKS");
	for (i = 0; i < c->n; i++) {
		const struct restriction *r = &c->r[i];

		printf("%-22s %-16s %-7s %s%s%s%s\n", r->name,
		       rclass_name(r->cls), r->slot >= 0 ? "yes" : "absent",
		       r->desc, r->note ? " [" : "", r->note ? r->note : "",
		       r->note ? "]" : "");
	}
	printf("\nPresets: integrity (every integrity reason), confidentiality "
	       "(integrity plus every confidentiality reason).\n");
	printf("\nRaise-only sysctls (sysctl:KNOB):\n");
	for (i = 0; i < RATCHET_SYSCTL_END; i++)
		printf("  %-34s %s\n", sysctl_knob_name(i, name, sizeof(name)),
		       sysctl_rule_means(i, NULL));
	if (!c->btf)
		printf("The running kernel's BTF could not be read: its lockdown "
		       "reasons are unknown.\n");
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		ARGS_HELP_AND_END,
	};
	struct catalogue c;
	int json = 0, opt, rc;

	while ((opt = args_next(argc, argv, "", opts, &rc)) != -1) {
		if (opt == ARGS_EXIT)
			return rc;
		json = 1; /* 'j', the only other option */
	}
	if ((rc = args_none_left(argc, argv)) != ARGS_GO_ON)
		return rc;
	catalogue_allow_path_btf(); /* list locks nothing */
	catalogue_load(&c, NULL);
	if (json)
		list_json(&c);
	else
		list_text(&c);
	return EXIT_OK;
}
