# A receiver for Bridge's callbacks, Python standard library only.
# BRIDGE_CALLBACK_SECRET=whsec_... PORT=8000 python3 receiver.py
import base64
import hashlib
import hmac
import json
import os
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET = base64.b64decode(os.environ["BRIDGE_CALLBACK_SECRET"].removeprefix("whsec_"))
TOLERANCE_SECONDS = 300  # refuse old deliveries replayed by someone else


def verify(headers, body):
    webhook_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp") or ""
    signatures = headers.get("webhook-signature") or ""
    if not webhook_id or not timestamp.isdigit() or abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(SECRET, signed, hashlib.sha256).digest()).decode()
    # The header may hold several space-separated signatures (while a secret is rotated): one match is enough.
    return any(hmac.compare_digest(expected, entry[3:]) for entry in signatures.split() if entry.startswith("v1,"))


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if not verify(self.headers, body):
            self.send_response(401)
            self.end_headers()
            return
        event = json.loads(body)
        # Deliveries can repeat: use the webhook-id header to process each event once.
        print(event["type"], event["data"]["id"], event["data"]["status"], flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, format, *args):
        pass


HTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8000"))), Receiver).serve_forever()
