#!/bin/bash
# rt15-senddrop.sh - red team 15: status's walk of every process's files
# runs in a child that sends each note over a SOCK_SEQPACKET pair
# (src/bounded.c). After the lock, fmod_ret on security_socket_sendmsg
# answers the size for the child's sends: send() reports each note sent
# with nothing queued (sock_sendmsg(), net/socket.c, 6.1 to 7.2). Status
# then listed no holder of /dev/mem and called its list whole (6.1, 6.12,
# 7.2). The child now ends with a count of what it sent, which the parent
# holds what came to: the list is "not whole". Also with one note dropped
# of several. docs/threat-model.md, "A faked byte count".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt15-senddrop
X=build/tests/ratchet-rt12

sleep 600 3</dev/mem &
h1=$!
sleep 600 3</dev/mem &
h2=$!
sleep 0.3
expect "$ATTACK: lock" run 0 "$R" lock dev-mem kexec bpf-read-kernel bpf-write-user
try "$R" status
expect "$ATTACK: without the dropper, status names both holders of /dev/mem" \
	test "$(grep -c 'holds /dev/mem' <<<"$OUT")" = 2
for skip in 0 1; do
	rm -f /sys/fs/bpf/rt15-send
	expect "$ATTACK: after the lock: the send dropper (after $skip sends) attaches" \
		run 0 $X send "$skip" /sys/fs/bpf/rt15-send
	try "$R" status
	expect "$ATTACK: $skip let through: status says its list of guarded files held open is not whole" \
		grep -q 'the list of guarded files held open is not whole' <<<"$OUT"
done
rm -f /sys/fs/bpf/rt15-send
kill $h1 $h2
