#!/usr/bin/python3
"""Verifies every DKIM signature of a mail with dkimpy (an independent verifier, not MimeKit), looking keys up
on a given DNS server. Usage: dkim-verify.py <mail.eml> <dns-port>. Prints one line per signature, in header
order: 'pass' or 'fail <reason>'; 'none' when the mail carries no signature."""
import sys

import dkim
import dns.resolver

mail_path, port = sys.argv[1], int(sys.argv[2])


def txt(name, timeout=5):
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = port
    resolver.lifetime = timeout
    try:
        answer = resolver.resolve(name.decode().rstrip("."), "TXT")
    except Exception:
        return None
    # A long record comes as several strings; they join with nothing between them (RFC 6376 3.6.2.2).
    return b"".join(answer[0].strings)


message = open(mail_path, "rb").read()
verifier = dkim.DKIM(message)
count = sum(1 for name, _ in verifier.headers if name.lower() == b"dkim-signature")
if count == 0:
    print("none")
for index in range(count):
    try:
        ok = dkim.DKIM(message).verify(idx=index, dnsfunc=txt)
        print("pass" if ok else "fail signature does not match")
    except Exception as error:
        print(f"fail {type(error).__name__}: {error}")
