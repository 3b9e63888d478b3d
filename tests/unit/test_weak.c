// SPDX-License-Identifier: GPL-2.0
/*
 * test_weak.c - the routes that could undo a lock (src/weak.c), held to
 * the one table of restrictions (src/catalogue.c): every route is closed
 * by restrictions the catalogue has, every integrity reason is a route or
 * said not to be one, no reason that only reads is one, and the presets
 * are complete.
 */
#include <string.h>
#include "check.h"
#include "cli.h"
#include "fake_btf.h"

static bool closer(const struct weak_point *w, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(w[i].name, name) ||
		    (w[i].also && !strcmp(w[i].also, name)))
			return true;
	return false;
}

static void test_table_matches_catalogue(void)
{
	static struct catalogue c;
	int i, n, ok = 1;
	const struct weak_point *w = weak_table(&n);

	catalogue_from_btf(&c, NULL); /* the table alone */
	for (i = 0; i < n; i++) {
		ok &= catalogue_find(&c, w[i].name) &&
		      (!w[i].also || catalogue_find(&c, w[i].also)) &&
		      w[i].reaches && *w[i].reaches;
		if (!ok) {
			CHECK(0,
			      "route %s names a restriction the catalogue has",
			      w[i].name);
			return;
		}
	}
	CHECK(ok, "every route (%d) is closed by restrictions of the catalogue",
	      n);
	for (i = 0; i < c.n; i++) {
		const struct restriction *r = &c.r[i];

		if (r->cls == RC_INTEGRITY)
			CHECK(closer(w, n, r->name) != weak_not_route(r->name),
			      "integrity reason %s is a route or said not to be one",
			      r->name);
		else if (r->cls == RC_CONFIDENTIALITY)
			CHECK(!closer(w, n, r->name),
			      "%s only reads: no route of its own", r->name);
	}
}

static int open_routes(const struct catalogue *c, const char *const *names,
		       int k, const struct weak_point **w, int max)
{
	struct ratchet_mask m;
	const char *bad;

	if (catalogue_resolve(c, k, (char *const *)names, &m, &bad))
		return -1;
	return weak_open(c, &m, w, max);
}

static bool listed(const struct weak_point **w, int n, const char *name)
{
	while (n--)
		if (!strcmp(w[n]->name, name))
			return true;
	return false;
}

static void test_locks(void)
{
	static struct catalogue c;
	static const char *const
		integ[] = { "integrity" },
		*const conf[] = { "confidentiality" },
		*const devmem[] = { "dev-mem" }, *const kcore[] = { "kcore" },
		*const alt[] = { "dev-mem", "modules", "kexec-image" };
	const struct weak_point *w[64];
	struct btf *btf = fake_btf(v61);
	int n, all;

	catalogue_from_btf(&c, btf);
	CHECK(open_routes(&c, integ, 1, w, 64) == 0,
	      "lock integrity is complete (6.1's reasons)");
	CHECK(open_routes(&c, conf, 1, w, 64) == 0,
	      "lock confidentiality is complete");
	all = open_routes(&c, kcore, 1, w, 64);
	n = open_routes(&c, devmem, 1, w, 64);
	CHECK(n > 0 && n == all - 1 && !listed(w, n, "dev-mem") &&
		      listed(w, n, "modules") && listed(w, n, "kexec-image") &&
		      listed(w, n, "msr") && listed(w, n, "hibernation"),
	      "lock dev-mem names every other route (%d), modules and kexec among them",
	      n);
	CHECK(!listed(w, n, "xmon-wr") && !listed(w, n, "rtas-error-injection"),
	      "powerpc's routes are no routes on this architecture");
	n = open_routes(&c, alt, 3, w, 64);
	CHECK(!listed(w, n, "modules") && !listed(w, n, "kexec-image"),
	      "modules and kexec-image close module loading and kexec");
	btf__free(btf);
	catalogue_from_btf(&c, NULL);
	CHECK(open_routes(&c, kcore, 0, w, 64) == 0,
	      "no route on a kernel with none of the restrictions");
}

int main(void)
{
	test_table_matches_catalogue();
	test_locks();
	return check_failed ? 1 : 0;
}
