#!/usr/bin/python3
"""Certificate profiles and ARI `replaces` from a real ACME library: certbot's own, python3-acme 2.1.0 from Debian.

Debian's certbot 2.1.0 and lego 4.9.1 send neither `profile` (draft-ietf-acme-profiles) nor `replaces` (RFC 9773);
this client adds both to python3-acme's NewOrder message and drives the rest of the flow through the library
(account, authorizations, http-01 answers, finalize, download). It prints one "PASS name" or "FAIL name: why" line
per case for conformance/acme/cases/ari.sh.

Usage: order.py --directory URL --ca ROOT.pem --http01-port PORT --profile NAME --lifetime-hours H --domain NAME
"""
import argparse
import datetime
import http.server
import threading

import josepy as jose
from acme import challenges, client, crypto_util, messages
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

URN = "urn:ietf:params:acme:error:"


class ExtendedNewOrder(messages.NewOrder):
    """newOrder with the two members python3-acme 2.1.0 does not know: `profile` and `replaces`."""

    profile: str = jose.field("profile", omitempty=True)
    replaces: str = jose.field("replaces", omitempty=True)


class Http01Responder(http.server.BaseHTTPRequestHandler):
    """Serves the key authorizations of http-01 challenges: path -> body."""

    answers = {}

    def do_GET(self):  # noqa: N802 (http.server's naming)
        body = self.answers.get(self.path)
        self.send_response(200 if body else 404)
        self.end_headers()
        if body:
            self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


def b64url(data: bytes) -> str:
    return jose.b64encode(data).decode()


def cert_id(pem: str) -> str:
    """RFC 9773 4.1: base64url(AKI keyIdentifier) "." base64url(serial INTEGER content octets)."""
    certificate = x509.load_pem_x509_certificate(pem.encode())
    aki = certificate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    serial = certificate.serial_number
    length = serial.bit_length() // 8 + 1  # +1 keeps the sign octet when the high bit is set
    octets = serial.to_bytes(length, "big")
    if len(octets) > 1 and octets[0] == 0 and octets[1] < 0x80:
        octets = octets[1:]
    return b64url(aki) + "." + b64url(octets)


def new_order(acme: client.ClientV2, csr_pem: bytes, names, **extra):
    """python3-acme's ClientV2.new_order, with `profile` / `replaces` in the message."""
    response = acme._post(acme.directory["newOrder"], order_message(names, **extra))  # pylint: disable=protected-access
    body = messages.Order.from_json(response.json())
    authorizations = [acme._authzr_from_response(acme._post_as_get(url), uri=url)  # pylint: disable=protected-access
                      for url in body.authorizations]
    return messages.OrderResource(body=body, uri=response.headers.get("Location"),
                                  authorizations=authorizations, csr_pem=csr_pem), response.json()


def issue(acme, account_key, names, **extra):
    """Order, answer http-01 for every pending authorization, finalize, download. Returns (fullchain, order JSON)."""
    key = ec.generate_private_key(ec.SECP256R1())
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    csr_pem = crypto_util.make_csr(key_pem, names)
    orderr, echoed = new_order(acme, csr_pem, names, **extra)
    for authzr in orderr.authorizations:
        if authzr.body.status == messages.STATUS_VALID:
            continue
        challb = next(c for c in authzr.body.challenges if isinstance(c.chall, challenges.HTTP01))
        response, validation = challb.response_and_validation(account_key)
        Http01Responder.answers[challb.chall.path] = validation
        acme.answer_challenge(challb, response)
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=60)
    return acme.poll_and_finalize(orderr, deadline).fullchain_pem, echoed


def expect_problem(acme, name, status, kind, order):
    """Posts a newOrder and expects a problem document. Signed by the library's own JWS code, but the response is
    read here: python3-acme turns every 409 into ConflictError (meant for newAccount) and would hide the problem."""
    net = acme.net
    url = acme.directory["newOrder"]
    data = net._wrap_in_jws(order, net._get_nonce(url, acme.directory["newNonce"]), url)  # pylint: disable=protected-access
    response = net._send_request("POST", url, data=data, headers={"Content-Type": net.JOSE_CONTENT_TYPE})  # pylint: disable=protected-access
    net._add_nonce(response)  # pylint: disable=protected-access
    problem = response.json() if response.headers.get("Content-Type", "").startswith("application/problem+json") else {}
    if response.status_code == status and problem.get("type") == URN + kind:
        return f"PASS {name}"
    return f"FAIL {name}: got {response.status_code} {problem.get('type')}: {problem.get('detail')}"


def order_message(names, **extra):
    return ExtendedNewOrder(identifiers=[messages.Identifier(typ=messages.IDENTIFIER_FQDN, value=n) for n in names], **extra)


def main():
    parser = argparse.ArgumentParser()
    for option in ("--directory", "--ca", "--profile", "--domain"):
        parser.add_argument(option, required=True)
    parser.add_argument("--http01-port", type=int, required=True)
    parser.add_argument("--lifetime-hours", type=float, required=True)
    args = parser.parse_args()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.http01_port), Http01Responder)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    account_key = jose.JWKRSA(key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    net = client.ClientNetwork(account_key, verify_ssl=args.ca, user_agent="pki-conformance-pyacme")
    acme = client.ClientV2(client.ClientV2.get_directory(args.directory, net), net)
    acme.new_account(messages.NewRegistration.from_data(email="pyacme@example.org", terms_of_service_agreed=True))
    results = []

    # A certificate under the profile: the order echoes it, the validity is the profile's role's.
    first, echoed = issue(acme, account_key, [args.domain], profile=args.profile)
    leaf = x509.load_pem_x509_certificate(first.encode())
    hours = (leaf.not_valid_after - leaf.not_valid_before).total_seconds() / 3600
    results.append(f"PASS order echoes profile {args.profile}" if echoed.get("profile") == args.profile
                   else f"FAIL order echoes profile {args.profile}: got {echoed.get('profile')!r}")
    results.append(f"PASS certificate lives {args.lifetime_hours:g} h as its profile says" if abs(hours - args.lifetime_hours) < 1
                   else f"FAIL certificate lives {args.lifetime_hours:g} h as its profile says: it lives {hours:.1f} h")

    # Its replacement names it in `replaces`; a second replacement of the same certificate is alreadyReplaced.
    replaced = cert_id(first)
    second, echoed = issue(acme, account_key, [args.domain], profile=args.profile, replaces=replaced)
    results.append("PASS replacement order echoes replaces and is issued" if echoed.get("replaces") == replaced and "BEGIN CERTIFICATE" in second
                   else f"FAIL replacement order echoes replaces and is issued: got {echoed.get('replaces')!r}")
    results.append(expect_problem(acme, "a second replacement of the same certificate is 409 alreadyReplaced", 409, "alreadyReplaced",
                                  order_message([args.domain], replaces=replaced)))
    results.append(expect_problem(acme, "an unknown profile is 400 invalidProfile", 400, "invalidProfile",
                                  order_message([args.domain], profile="no-such-profile")))
    server.shutdown()
    print("\n".join(results))


if __name__ == "__main__":
    main()
