// SPDX-License-Identifier: GPL-2.0
/* list.c - `ratchet list [--json]`: every restriction the catalogue knows. */
#include <string.h>
#include <json-c/json.h>
#include "cli.h"

static void list_json(const struct catalogue *c)
{
	struct json_object *arr = json_object_new_array();
	int i;

	for (i = 0; i < c->n; i++) {
		const struct restriction *r = &c->r[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(r->name));
		json_object_object_add(o, "class",
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
	json_print(arr);
}

static void list_text(const struct catalogue *c)
{
	int i;

	printf("%-22s %-16s %-7s %s\n", "NAME", "CLASS", "KERNEL",
	       "BLOCKS");
	for (i = 0; i < c->n; i++) {
		const struct restriction *r = &c->r[i];

		printf("%-22s %-16s %-7s %s%s%s%s\n", r->name,
		       rclass_name(r->cls), r->slot >= 0 ? "yes" : "absent",
		       r->desc, r->note ? " [" : "", r->note ? r->note : "",
		       r->note ? "]" : "");
	}
	printf("\nPresets: integrity (every integrity reason), confidentiality "
	       "(integrity plus every confidentiality reason).\n");
	if (!c->btf)
		printf("The running kernel's BTF could not be read: its lockdown "
		       "reasons are unknown.\n");
}

int cmd_list(int argc, char **argv)
{
	struct catalogue c;
	int json = argc == 2 && !strcmp(argv[1], "--json");

	if (argc > 2 || (argc == 2 && !json)) {
		fprintf(stderr, "usage: ratchet list [--json]\n");
		return EXIT_USAGE;
	}
	catalogue_load(&c, NULL);
	if (json)
		list_json(&c);
	else
		list_text(&c);
	return EXIT_OK;
}
