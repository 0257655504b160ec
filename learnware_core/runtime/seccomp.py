"""The sandbox's seccomp filter, compiled to BPF with libseccomp (through ctypes).

bubblewrap loads the program from a file descriptor (``--seccomp FD``) just before
it starts the command. Every system call is allowed except those that reach kernel
attack surface or escape the sandbox's namespaces, which fail with ``EPERM``:
new namespaces (``unshare``, ``setns``, ``clone``/``clone3`` with a namespace flag),
mounts (``mount``, ``umount2``, ``pivot_root``, the new mount API ...), ``ptrace``
and ``process_vm_*``, ``bpf``, ``perf_event_open``, ``userfaultfd``, the key
ring, kernel modules and ``kexec``, ``io_uring``, clock and swap changes.
``clone3`` answers ``ENOSYS`` (its flags sit in memory, out of a filter's reach), so
the C library falls back to ``clone``, whose flags are checked. System calls of
another architecture (e.g. 32-bit ``int 0x80``) kill the process (libseccomp's
default).

libseccomp is the library systemd, Docker and Flatpak build their filters with
(Debian ``libseccomp2``); it maps names to this architecture's numbers, so the
filter is right on x86-64 and arm64 alike.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
import os
import tempfile

__all__ = ["DENIED_SYSCALLS", "SeccompUnavailableError", "filter_fd"]

#: System calls that fail with EPERM in the sandbox.
DENIED_SYSCALLS: tuple[str, ...] = (
    "unshare", "setns", "mount", "umount", "umount2", "pivot_root", "chroot",
    "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick",
    "mount_setattr", "ptrace", "process_vm_readv", "process_vm_writev",
    "bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key",
    "kexec_load", "kexec_file_load", "init_module", "finit_module",
    "delete_module", "create_module", "open_by_handle_at", "name_to_handle_at",
    "io_uring_setup", "io_uring_enter", "io_uring_register", "swapon",
    "swapoff", "reboot", "syslog", "acct", "settimeofday", "clock_settime",
    "clock_adjtime", "adjtimex", "iopl", "ioperm", "quotactl", "lookup_dcookie",
    "vhangup", "uselib", "sethostname", "setdomainname", "fanotify_init",
    "pidfd_getfd", "kcmp",
)  # fmt: skip
#: ``clone`` flags that create namespaces (``CLONE_NEW*``).
_NAMESPACE_FLAGS = (
    0x00020000,  # CLONE_NEWNS
    0x02000000,  # CLONE_NEWCGROUP
    0x04000000,  # CLONE_NEWUTS
    0x08000000,  # CLONE_NEWIPC
    0x10000000,  # CLONE_NEWUSER
    0x20000000,  # CLONE_NEWPID
    0x40000000,  # CLONE_NEWNET
    0x00000080,  # CLONE_NEWTIME
)
_ACT_ALLOW = 0x7FFF0000
_CMP_MASKED_EQ = 7


def _errno_action(code: int) -> int:
    return 0x00050000 | (code & 0xFFFF)


class SeccompUnavailableError(OSError):
    """libseccomp is missing or refused the filter."""


class _ArgCmp(ctypes.Structure):
    _fields_ = [
        ("arg", ctypes.c_uint),
        ("op", ctypes.c_int),
        ("datum_a", ctypes.c_uint64),
        ("datum_b", ctypes.c_uint64),
    ]


@functools.cache
def _library() -> ctypes.CDLL:
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError as exc:
        raise SeccompUnavailableError(
            f"libseccomp is not installed ({exc}); apt-get install libseccomp2"
        ) from None
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.argtypes = [
        ctypes.c_void_p,
        ctypes.c_uint32,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.POINTER(_ArgCmp),
    ]
    lib.seccomp_export_bpf.argtypes = [ctypes.c_void_p, ctypes.c_int]
    return lib


@functools.cache
def _program() -> bytes:
    """The BPF program (built once per process)."""
    lib = _library()
    ctx = lib.seccomp_init(_ACT_ALLOW)
    if not ctx:
        raise SeccompUnavailableError("seccomp_init failed")
    try:
        deny = _errno_action(errno.EPERM)

        def add(name: str, action: int, *conditions: _ArgCmp) -> None:
            number = lib.seccomp_syscall_resolve_name(name.encode())
            if number < 0:
                return  # not a system call on this architecture
            array = (_ArgCmp * len(conditions))(*conditions) if conditions else None
            status = lib.seccomp_rule_add_array(
                ctx, action, number, len(conditions), array
            )
            if status < 0:
                raise SeccompUnavailableError(
                    f"seccomp rule for {name} refused: {os.strerror(-status)}"
                )

        for name in DENIED_SYSCALLS:
            add(name, deny)
        for flag in _NAMESPACE_FLAGS:
            add("clone", deny, _ArgCmp(0, _CMP_MASKED_EQ, flag, flag))
        add("clone3", _errno_action(errno.ENOSYS))
        with tempfile.TemporaryFile() as out:
            status = lib.seccomp_export_bpf(ctx, out.fileno())
            if status < 0:
                raise SeccompUnavailableError(
                    f"seccomp_export_bpf failed: {os.strerror(-status)}"
                )
            out.seek(0)
            return out.read()
    finally:
        lib.seccomp_release(ctx)


def filter_fd() -> int:
    """A new file descriptor holding the compiled filter, for ``bwrap --seccomp``.

    The caller passes it to bwrap (``pass_fds``) and closes it after starting it.

    Raises
    ------
    SeccompUnavailableError
    """
    program = _program()
    read, write = os.pipe()
    try:
        if len(program) > 60000:  # pragma: no cover - ~100 rules is ~1 KB
            raise SeccompUnavailableError("the seccomp program is too large")
        os.write(write, program)  # fits the pipe's buffer: no reader needed yet
    except BaseException:
        os.close(read)
        raise
    finally:
        os.close(write)
    return read
