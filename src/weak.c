// SPDX-License-Identifier: GPL-2.0
/*
 * weak.c - the routes that could undo a lock, beside the one table of
 * restrictions (catalogue.c).
 *
 * ratchet's lock is BPF programs and maps in kernel memory. Whatever lets
 * root run code in the kernel, boot another kernel, or write kernel memory
 * undoes every restriction at once, whichever was locked: upstream
 * declined per-reason lockdown for exactly this reason. Each row is one
 * such route: the restrictions any one of which closes it, and what it
 * reaches. docs/threat-model.md ("Routes that undo a lock") gives each
 * row's kernel source. A lock is complete when every route is closed;
 * the presets integrity and confidentiality are complete by this table
 * (tests/unit/test_weak.c holds it to the catalogue: every integrity
 * reason is a route or said not to be one, no reading reason is one).
 */
#include <string.h>
#include "cli.h"

#define WEAK_POINTS(X)                                                         \
	X("modules", "module-signature",                                       \
	  "kernel code: a module can unhook "                                  \
	  "any BPF program (module-signature: unsigned modules only)")         \
	X("kexec-image", "kexec",                                              \
	  "another kernel, booted in place of this one without the lock "      \
	  "(kexec: unsigned images only)")                                     \
	X("dev-mem", NULL,                                                     \
	  "physical memory and I/O ports through /dev/mem and /dev/port, "     \
	  "kernel memory included")                                            \
	X("ioport", NULL,                                                      \
	  "I/O ports (ioperm, iopl): devices that can be made to write "       \
	  "kernel memory by DMA")                                              \
	X("msr", NULL,                                                         \
	  "model-specific registers (/dev/cpu/*/msr), the syscall entry "      \
	  "point among them")                                                  \
	X("pci-access", NULL,                                                  \
	  "PCI config space and BARs: devices made to write kernel memory "    \
	  "by DMA")                                                            \
	X("hibernation", NULL,                                                 \
	  "a memory image restored over the running kernel (uswsusp "          \
	  "/dev/snapshot)")                                                    \
	X("efi-test", NULL,                                                    \
	  "EFI runtime services called with the caller's arguments "           \
	  "(the efi_test driver)")                                             \
	X("debugfs", NULL,                                                     \
	  "writable debugfs files: raw register and kernel state writes of "   \
	  "many drivers")                                                      \
	X("acpi-tables", NULL,                                                 \
	  "ACPI methods run with kernel privileges (custom_method, 6.1 and "   \
	  "older)")                                                            \
	X("tiocsserial", NULL,                                                 \
	  "a serial port moved to any I/O port, which its driver then "        \
	  "drives")                                                            \
	X("module-parameters", NULL,                                           \
	  "hardware addresses, I/O ports and IRQs handed to modules")          \
	X("pcmcia-cis", NULL,                                                  \
	  "a card information structure that assigns I/O and memory")          \
	X("mmiotrace", NULL, "writes to a physical address (testmmiotrace)")   \
	X("dbg-write-kernel", NULL, "kernel memory written through kdb/kgdb")  \
	X("bpf-write-user", NULL,                                              \
	  "the memory of any process past yama.ptrace_scope, including what "  \
	  "ratchet status and monitor print")                                  \
	X("xen-user-actions", NULL,                                            \
	  "Xen hypercalls (privcmd) that reach kernel memory")                 \
	X("xmon-wr", NULL, "kernel memory written through xmon (powerpc)")     \
	X("rtas-error-injection", NULL, "RTAS error injection (powerpc)")

#define WEAK_ROW(first, other, reach) { first, other, reach },
static const struct weak_point table[] = { WEAK_POINTS(WEAK_ROW) };

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Integrity reasons that are no route: no kernel of the suite checks
 * device-tree (security.c names it; drivers/of never asks, 6.1 to 7.2).
 */
static const char *const not_routes[] = { "device-tree" };

const struct weak_point *weak_table(int *n)
{
	*n = ARRAY_SIZE(table);
	return table;
}

bool weak_not_route(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(not_routes); i++)
		if (!strcmp(not_routes[i], name))
			return true;
	return false;
}

/* powerpc's own debugger and firmware: routes only there. */
static bool on_this_arch(const struct weak_point *w)
{
#if defined(__powerpc__) || defined(__powerpc64__)
	(void)w;
	return true;
#else
	return strcmp(w->name, "xmon-wr") &&
	       strcmp(w->name, "rtas-error-injection");
#endif
}

/* Closed by what @enforce holds; absent closers close nothing. */
static bool closed(const struct catalogue *c, const struct weak_point *w,
		   const struct ratchet_mask *enforce, bool *exists)
{
	const struct restriction *a = catalogue_find(c, w->name);
	const struct restriction *b = w->also ? catalogue_find(c, w->also) : 0;

	*exists = (a && a->slot >= 0) || (b && b->slot >= 0);
	return catalogue_mask_has(c, enforce, w->name) ||
	       (w->also && catalogue_mask_has(c, enforce, w->also));
}

/*
 * The routes @enforce leaves open on this kernel, up to @max into @out;
 * returns how many there are. A route whose restrictions this kernel
 * lacks is no route here: the kernel has no such operation to check.
 */
int weak_open(const struct catalogue *c, const struct ratchet_mask *enforce,
	      const struct weak_point **out, int max)
{
	size_t i;
	int n = 0;
	bool exists;

	for (i = 0; i < ARRAY_SIZE(table); i++) {
		if (!on_this_arch(&table[i]) ||
		    closed(c, &table[i], enforce, &exists) || !exists)
			continue;
		if (n < max)
			out[n] = &table[i];
		n++;
	}
	return n;
}

/*
 * What lock, apply and status say: that the lock is complete, or which
 * routes could undo it. @prefix starts every line ("ratchet: ", "  ").
 */
void weak_print(FILE *f, const struct catalogue *c,
		const struct ratchet_mask *enforce, const char *prefix)
{
	const struct weak_point *w[ARRAY_SIZE(table)];
	int i, n = weak_open(c, enforce, w, ARRAY_SIZE(table));

	if (!n) {
		fprintf(f,
			"%scomplete: no open route could undo this lock (ratchet(8), "
			"ROUTES THAT UNDO A LOCK)\n",
			prefix);
		return;
	}
	fprintf(f,
		"%snot complete: %d open route%s could undo this lock; `ratchet lock "
		"integrity` closes them all:\n",
		prefix, n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++)
		fprintf(f, "%s  %s%s%s%s: %s\n", prefix, w[i]->name,
			w[i]->also ? " (or " : "", w[i]->also ? w[i]->also : "",
			w[i]->also ? ")" : "", w[i]->reaches);
}
