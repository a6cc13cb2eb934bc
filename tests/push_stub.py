"""A push service, stood in on loopback: what a phone's browser subscribes with and what fitr's
worker posts pushes to. For each push it checks the VAPID signature (an ES256 JWT whose
audience is this service's origin, not expired, with a contact `sub`, signed by the key fitr's
pages hand to browsers), decrypts the aes128gcm body with the subscriber's private key and auth
secret, as the phone would, and keeps what it said. It answers 201, or 410 for a subscription
it was told is gone, or 500 as many times as it was told to fail."""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """One subscribed browser: its endpoint and the keys only the phone holds."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    pushes: list = field(default_factory=list)  # what it was told, decrypted: {"title", "body", "url"}
    gone: bool = False
    failures: int = 0  # answer 500 this many times before taking pushes

    def subscription(self):
        """The fields push.js posts, as PushSubscription.toJSON() gives them."""
        public = self.private_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "p256dh": b64url(public), "auth": b64url(self.auth)}


class PushService:
    def __init__(self):
        self.browsers = {}
        self.refused = []  # (path, why) of every push refused for a bad signature or body
        self.server_key = None  # the VAPID public key fitr's pages hand out (base64url), once known
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def subscribe(self):
        """A new browser subscribed with this service (a real P-256 key pair and auth secret)."""
        name = b64url(os.urandom(9))
        browser = Browser(f"{self.url}/push/{name}", ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
        self.browsers[f"/push/{name}"] = browser
        return browser

    # --- checking what fitr sends ---

    def check_vapid(self, header):
        """Why the Authorization header is not a valid VAPID signature for this service, or None."""
        if not header.startswith("vapid "):
            return "no vapid scheme"
        params = dict(part.strip().split("=", 1) for part in header[len("vapid "):].split(","))
        token, key = params.get("t", ""), params.get("k", "")
        if self.server_key is not None and key != self.server_key:
            return "signed with a key other than the one the pages hand out"
        head, claims, signature = token.split(".")
        if json.loads(unb64url(head)).get("alg") != "ES256":
            return "not ES256"
        raw = unb64url(signature)
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        try:
            der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
            public.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return "bad signature"
        claims = json.loads(unb64url(claims))
        if claims.get("aud") != self.url:
            return f"audience {claims.get('aud')!r} is not {self.url}"
        if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600:
            return "expired, or more than 24 hours ahead"
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            return "no contact in sub"
        return None

    def _handler(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status):
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                browser = service.browsers.get(self.path)
                if browser is None or browser.gone:
                    return self.answer(410)
                why = service.check_vapid(self.headers.get("Authorization", ""))
                if why is None and self.headers.get("Content-Encoding") != "aes128gcm":
                    why = "not aes128gcm"
                if why is None and not self.headers.get("TTL"):
                    why = "no TTL"
                if why is not None:
                    service.refused.append((self.path, why))
                    return self.answer(403)
                if browser.failures:
                    browser.failures -= 1
                    return self.answer(500)
                plain = http_ece.decrypt(body, private_key=browser.private_key, auth_secret=browser.auth, version="aes128gcm")
                browser.pushes.append(json.loads(plain))
                return self.answer(201)

        return Handler
