// SPDX-License-Identifier: GPL-2.0
/* report.c - output helpers shared by the commands. */
#include <json-c/json.h>
#include "cli.h"

void json_print(struct json_object *o)
{
	puts(json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* Enforcing wins over permissive: the state only ever moves up. */
const char *mode_name(const struct ratchet_state *st, int slot)
{
	if (slot < 0)
		return "absent";
	if (ratchet_mask_test(&st->enforce, slot))
		return "enforce";
	if (ratchet_mask_test(&st->permissive, slot))
		return "permissive";
	return "off";
}

/* The restriction a slot belongs to, as events and status name it. */
const char *slot_name(const struct catalogue *c, int slot)
{
	const struct restriction *r;

	if (slot == RATCHET_SLOT_SELF)
		return "self-protection";
	r = catalogue_by_slot(c, slot);
	return r ? r->name : "unknown";
}
