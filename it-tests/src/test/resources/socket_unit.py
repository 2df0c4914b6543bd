#!/usr/bin/env python3
"""A systemd socket unit and its service, for tests on a machine where systemd is not PID 1.

Binds the listening sockets as a socket unit does (SO_REUSEPORT with --reuseport, as ReusePort=yes), then runs the
service with them as descriptors 3, 4, ... and LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES set (sd_listen_fds(3)),
and holds them for as long as it runs, across every restart of the service:

  socket_unit.py --listen HOST:PORT [--listen ...] [--reuseport] --name NAME --dir DIR -- COMMAND...

  SIGHUP   restart the service as `systemctl restart` does: SIGTERM, wait for its exit, start it again
  SIGTERM  stop the service, then close the sockets and exit 0

DIR/service.pid holds the running service's PID, DIR/ready appears once the sockets listen, and the service's
output goes to DIR/service.log, each run after a line "== run N".
"""
import argparse
import os
import signal
import socket
import sys

SIGNALS = {signal.SIGHUP, signal.SIGTERM}


def listening_socket(address, reuseport):
    host, _, port = address.rpartition(":")
    host = host.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuseport:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, int(port)))
    sock.listen(4096)
    return sock


def start(command, sockets, name, log, run):
    log.write(f"== run {run}\n".encode())
    log.flush()
    pid = os.fork()
    if pid == 0:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        for index, sock in enumerate(sockets):
            os.dup2(sock.fileno(), 3 + index)
            os.set_inheritable(3 + index, True)
        os.environ.update(LISTEN_PID=str(os.getpid()), LISTEN_FDS=str(len(sockets)),
                          LISTEN_FDNAMES=":".join([name] * len(sockets)))
        os.execvp(command[0], command)
    return pid


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listen", action="append", required=True)
    parser.add_argument("--reuseport", action="store_true")
    parser.add_argument("--name", required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    sockets = [listening_socket(address, args.reuseport) for address in args.listen]
    # Waited for with sigwait, so none can slip in between a check and a wait; the service gets them unblocked.
    signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    with open(os.path.join(args.dir, "service.log"), "ab") as log:
        run = 1
        child = start(args.command, sockets, args.name, log, run)
        write(args.dir, "service.pid", str(child))
        write(args.dir, "ready", "")
        while True:
            received = signal.sigwait(SIGNALS)
            os.kill(child, signal.SIGTERM)
            os.waitpid(child, 0)
            if received == signal.SIGTERM:
                break
            run += 1
            child = start(args.command, sockets, args.name, log, run)
            write(args.dir, "service.pid", str(child))
    for sock in sockets:
        sock.close()
    return 0


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path + ".new", "w") as file:
        file.write(text)
    os.replace(path + ".new", path)


if __name__ == "__main__":
    sys.exit(main())
