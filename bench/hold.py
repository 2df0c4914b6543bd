#!/usr/bin/env python3
"""Opens COUNT TLS connections through a proxy and holds them open, idle, for bench/mux.sh's memory figures.

    hold.py HOST PORT SNI COUNT

Each connection completes its TLS handshake with the backend behind the proxy, so the proxy holds a forwarded
connection (two sockets), not one still being inspected. Prints "held N" once all N are open, then holds them until
a SIGTERM, which closes them all. Certificates are not checked: the backend's is self-signed,
and what is measured is the proxy's memory, not trust.
"""
import resource
import signal
import socket
import ssl
import sys


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    host, port, sni, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if count + 64 > hard:
        sys.exit(f"hold.py: {count} connections need more than this process's limit of {hard} open files")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    held = []
    for i in range(count):
        try:
            raw = socket.create_connection((host, port), timeout=30)
            held.append(context.wrap_socket(raw, server_hostname=sni))
        except OSError as e:
            sys.exit(f"hold.py: connection {i + 1} of {count} failed: {e}")
    print(f"held {len(held)}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
