#!/usr/bin/python3
# fuse-one.py MOUNTPOINT [FILE READY GO] - a minimal FUSE daemon over the
# raw /dev/fuse protocol (no libfuse in the guest): one 1 MiB file "f" of
# zeros whose attributes are never cached, so every getattr is a request
# the daemon must answer. Stop it (SIGSTOP) and a getattr waits
# (events.sh: a loop device on "f" must not hang `ratchet status`).
# Written by red team 7. With FILE READY GO (red team 17), "f" has FILE's
# bytes, and the first READ request writes READY and is answered only
# once GO exists: a finit_module() of "f" waits in kernel_read_file(),
# after security_kernel_read_file() allowed it (rt17-finit-span.sh).
import ctypes, os, struct, sys, time
mnt = sys.argv[1]
data = open(sys.argv[2], "rb").read() if len(sys.argv) > 4 else bytes(1 << 20)
ready, go = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else (None, None)
fd = os.open("/dev/fuse", os.O_RDWR)
libc = ctypes.CDLL(None, use_errno=True)
opts = "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other" % fd
if libc.mount(b"rt7", mnt.encode(), b"fuse", 6, opts.encode()):
    sys.exit("mount: errno %d" % ctypes.get_errno())
def attr(node):
    if node == 1:
        return struct.pack("<QQQQQQIIIIIIIIII", 1, 0, 0, 0, 0, 0, 0, 0, 0,
                           0o40755, 2, 0, 0, 0, 4096, 0)
    return struct.pack("<QQQQQQIIIIIIIIII", 2, len(data), (len(data) + 511) // 512, 0, 0, 0, 0, 0, 0,
                       0o100644, 1, 0, 0, 0, 4096, 0)
def reply(unique, err=0, data=b""):
    os.write(fd, struct.pack("<IiQ", 16 + len(data), err, unique) + data)
while True:
    try:
        req = os.read(fd, 1 << 18)
    except OSError:
        continue
    ln, op, unique, node = struct.unpack_from("<IIQQ", req)
    body = req[40:ln]
    if op == 26:  # INIT
        reply(unique, 0, struct.pack("<IIIIHHIIHHI", 7, 31, 0, 0, 16, 12, 4096, 1, 32, 0, 0) + bytes(28))
    elif op == 1:  # LOOKUP
        if body.rstrip(b"\0") == b"f":
            reply(unique, 0, struct.pack("<QQQQII", 2, 0, 0, 0, 0, 0) + attr(2))
        else:
            reply(unique, -2)
    elif op == 3:  # GETATTR
        reply(unique, 0, struct.pack("<QII", 0, 0, 0) + attr(node))
    elif op in (14, 27):  # OPEN, OPENDIR
        reply(unique, 0, struct.pack("<QII", 1, 0, 0))
    elif op == 15:  # READ
        _, off, size = struct.unpack_from("<QQI", body)
        if ready and not os.path.exists(ready):
            open(ready, "w").write("read\n")
        while go and not os.path.exists(go):
            time.sleep(0.1)
        reply(unique, 0, data[off:off + size])
    elif op in (18, 25, 29):  # RELEASE, FLUSH, RELEASEDIR
        reply(unique, 0)
    elif op in (2, 36, 42, 38):  # FORGET, INTERRUPT, BATCH_FORGET, DESTROY: no reply
        pass
    else:
        reply(unique, -38)  # ENOSYS
