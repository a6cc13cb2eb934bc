"""A stand-in for the few Stripe API endpoints fitr calls, on loopback in a thread, and
webhook events signed exactly as Stripe signs them. It refuses (400, like Stripe) a request
whose shape fitr must not send: amounts that are not whole minor units, an unknown mode, a
recurring price without an interval, no metadata tying the checkout to a fitr subscription.

After joining it answers what fitr does with a paid subscription: retrieve one (its one
item, with the price and product it gave), update one (either only cancel_at_period_end, true
or false; or exactly a new inline price on its own item and product, not prorated), cancel one
(DELETE), find its latest paid invoice and that
invoice's payment, refund a payment (a payment intent fitr was paid with, with fitr's metadata),
and open a customer portal session (a known customer, an absolute return URL).

Its Checkout page (GET /pay/<id>) has one Pay button: it posts the signed
checkout.session.completed event to fitr's webhook, then sends the browser to the success URL."""

import hashlib
import hmac
import html
import json
import re
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

WEBHOOK_SECRET = "whsec_test_fitr"
SECRET_KEY = "sk_test_fitr"


def sign(payload, secret=WEBHOOK_SECRET, timestamp=None):
    """The Stripe-Signature header for a payload: t=<unix time>,v1=HMAC-SHA256(secret, "t.payload")."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(type_, obj, event_id=None):
    """A Stripe event (as JSON text) wrapping `obj`."""
    event_id = event_id or f"evt_{abs(hash((type_, json.dumps(obj, sort_keys=True), time.time()))):x}"
    return json.dumps({"id": event_id, "object": "event", "type": type_, "api_version": "2025-09-30",
                       "created": int(time.time()), "data": {"object": obj}})  # fmt: skip


def nested(pairs):
    """Stripe's form encoding (line_items[0][price_data][currency]=gbp) back into dicts and lists."""
    root = {}
    for key, value in pairs:
        *parents, last = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return _lists(root)


def _lists(node):
    if isinstance(node, dict):
        if node and all(k.isdigit() for k in node):
            return [_lists(node[k]) for k in sorted(node, key=int)]
        return {k: _lists(v) for k, v in node.items()}
    return node


def check_checkout_shape(params):
    """What Stripe itself would refuse, or what fitr must always send; a list of problems."""
    problems = []
    mode = params.get("mode")
    if mode not in ("payment", "subscription"):
        problems.append(f"mode {mode!r}")
    items = params.get("line_items") or []
    if len(items) != 1:
        problems.append("one line item expected")
    for item in items:
        price = item.get("price_data", {})
        if not str(price.get("unit_amount", "")).isdigit() or int(price["unit_amount"]) <= 0:
            problems.append(f"unit_amount {price.get('unit_amount')!r} is not whole minor units")
        if not re.fullmatch(r"[a-z]{3}", price.get("currency", "")):
            problems.append(f"currency {price.get('currency')!r}")
        recurring = price.get("recurring")
        if mode == "subscription" and (not recurring or recurring.get("interval") not in ("week", "month", "year")):
            problems.append("a subscription needs a recurring interval")
        if mode == "payment" and recurring:
            problems.append("a one-off payment has no recurring price")
    meta = params.get("metadata") or {}
    if not str(meta.get("fitr_subscription_id", "")).isdigit() or not meta.get("fitr_deployment"):
        problems.append("metadata must name the fitr subscription and deployment")
    for url in ("success_url", "cancel_url"):
        if not str(params.get(url, "")).startswith("http"):
            problems.append(f"{url} must be absolute")
    if "{CHECKOUT_SESSION_ID}" not in params.get("success_url", ""):
        problems.append("success_url should carry {CHECKOUT_SESSION_ID}")
    trial = (params.get("subscription_data") or {}).get("trial_period_days")
    if trial is not None and (mode != "subscription" or not trial.isdigit() or not 1 <= int(trial) <= 730):
        problems.append(f"trial_period_days {trial!r}")
    return problems


class StripeStub:
    """`stub.checkouts`: every Checkout Session fitr created (its parsed params, as sent);
    `stub.requests`: (method, path, headers) of every API call; `stub.webhook_url`: where Pay
    posts the signed event (the live server's /stripe/webhook)."""

    def __init__(self):
        self.checkouts = {}
        self.requests = []
        self.webhook_url = None
        self.fail_next = False  # answer the next API call with a 500, as when Stripe is down
        self.updates = []  # (stripe subscription id, its parsed params) of every update
        self.prices = {}  # stripe subscription id -> its item's price, once fitr changed it
        self.cancelled = []  # stripe subscription ids cancelled at once
        self.refunds = []  # the parsed params of every refund
        self.portals = []  # the parsed params of every customer portal session
        self.paid = set()  # Checkout Sessions paid (their completed event sent)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                stub.handle(self, "POST")

            def do_GET(self):
                stub.handle(self, "GET")

            def do_DELETE(self):
                stub.handle(self, "DELETE")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.thread.join(5)

    # --- answers ----------------------------------------------------------------------------

    def handle(self, request, method):
        path = urlsplit(request.path).path
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0)).decode()
        if path.startswith("/v1/"):
            self.requests.append((method, path, dict(request.headers)))
            if request.headers.get("Authorization") != f"Bearer {SECRET_KEY}":
                return self.json(request, 401, {"error": {"type": "invalid_request_error", "message": "bad key"}})
            if self.fail_next:
                self.fail_next = False
                return self.json(request, 500, {"error": {"type": "api_error", "message": "down"}})
        if method == "POST" and path == "/v1/checkout/sessions":
            params = nested(parse_qsl(body, keep_blank_values=True))
            problems = check_checkout_shape(params)
            if problems:
                return self.json(request, 400, {"error": {"type": "invalid_request_error", "message": "; ".join(problems)}})
            session_id = f"cs_test_{len(self.checkouts) + 1}"
            self.checkouts[session_id] = params
            return self.json(request, 200, self.session(session_id))
        if method == "GET" and path.startswith("/v1/checkout/sessions/"):
            session_id = path.rsplit("/", 1)[1]
            if session_id not in self.checkouts:
                return self.json(request, 404, {"error": {"type": "invalid_request_error", "message": "no such session"}})
            return self.json(request, 200, self.session(session_id, paid=session_id in self.paid))
        answer = self.after_joining(request, method, path, body)
        if answer is not None:
            return answer
        if method == "GET" and path.startswith("/pay/"):
            return self.pay_page(request, path.rsplit("/", 1)[1])
        if method == "POST" and path.startswith("/pay/"):
            return self.pay(request, path.rsplit("/", 1)[1])
        return self.json(request, 404, {"error": {"type": "invalid_request_error", "message": f"no {path}"}})

    def session(self, session_id, paid=False):
        params = self.checkouts[session_id]
        recurring = params["mode"] == "subscription"
        trial = bool((params.get("subscription_data") or {}).get("trial_period_days"))
        return {
            "id": session_id, "object": "checkout.session", "mode": params["mode"],
            "url": f"{self.url}/pay/{session_id}", "metadata": params["metadata"],
            "client_reference_id": params.get("client_reference_id"),
            "amount_total": int(params["line_items"][0]["price_data"]["unit_amount"]),
            "currency": params["line_items"][0]["price_data"]["currency"],
            "customer": "cus_test_1" if paid else None,
            "payment_intent": f"pi_test_{session_id}" if paid and not recurring else None,
            "subscription": f"sub_test_{session_id}" if paid and recurring else None,
            "status": "complete" if paid else "open",
            "payment_status": ("no_payment_required" if trial else "paid") if paid else "unpaid",
            "success_url": params["success_url"], "cancel_url": params["cancel_url"],
        }  # fmt: skip

    # --- after joining: subscriptions, refunds, the customer portal ----------------------------

    def known_subscription(self, stripe_subscription_id):
        return any(f"sub_test_{cs}" == stripe_subscription_id and p["mode"] == "subscription" for cs, p in self.checkouts.items())

    def refuse(self, request, status, message):
        return self.json(request, status, {"error": {"type": "invalid_request_error", "message": message}})

    def after_joining(self, request, method, path, body):
        """The answer to one of the calls fitr makes after a client joined, or None."""
        params = nested(parse_qsl(body, keep_blank_values=True))
        query = dict(parse_qsl(urlsplit(request.path).query))
        found = re.fullmatch(r"/v1/subscriptions/([^/]+)", path)
        if found:
            sub_id = found[1]
            if not self.known_subscription(sub_id):
                return self.refuse(request, 404, f"No such subscription: {sub_id}")
            if method == "DELETE":
                self.cancelled.append(sub_id)
                return self.json(request, 200, self.subscription(sub_id, status="canceled"))
            if method == "GET":
                return self.json(request, 200, self.subscription(sub_id))
            if method == "POST" and "items" in params:
                problems = self.check_price_change(sub_id, params)
                if problems:
                    return self.refuse(request, 400, "; ".join(problems))
                self.updates.append((sub_id, params))
                new = params["items"][0]["price_data"]
                self.prices[sub_id] = {"object": "price", "product": new["product"], "unit_amount": int(new["unit_amount"]),
                                       "currency": new["currency"], "recurring": new["recurring"]}  # fmt: skip
                return self.json(request, 200, self.subscription(sub_id))
            if method == "POST":
                if set(params) != {"cancel_at_period_end"} or params["cancel_at_period_end"] not in ("true", "false"):
                    return self.refuse(request, 400, f"unexpected update {params!r}")
                self.updates.append((sub_id, params))
                return self.json(request, 200, self.subscription(sub_id, cancel_at_period_end=params["cancel_at_period_end"] == "true"))
        if method == "GET" and path == "/v1/invoices":
            if not self.known_subscription(query.get("subscription")) or query.get("status") != "paid":
                return self.refuse(request, 400, f"unexpected invoice search {query!r}")
            invoice = {"id": f"in_test_{query['subscription']}", "object": "invoice", "status": "paid"}
            return self.json(request, 200, {"object": "list", "data": [invoice], "has_more": False, "url": path})
        if method == "GET" and path == "/v1/invoice_payments":
            if not str(query.get("invoice", "")).startswith("in_test_sub_test_"):
                return self.refuse(request, 400, f"unexpected invoice payment search {query!r}")
            payment = {"id": f"inpay_{query['invoice']}", "object": "invoice_payment", "status": "paid",
                       "payment": {"type": "payment_intent", "payment_intent": f"pi_test_{query['invoice']}"}}  # fmt: skip
            return self.json(request, 200, {"object": "list", "data": [payment], "has_more": False, "url": path})
        if method == "POST" and path == "/v1/refunds":
            meta = params.get("metadata") or {}
            if not str(params.get("payment_intent", "")).startswith("pi_test_") or not str(meta.get("fitr_subscription_id", "")).isdigit():
                return self.refuse(request, 400, f"unexpected refund {params!r}")
            self.refunds.append(params)
            # In full: the price of the checkout that made the subscription the refund names.
            paid = next(p for p in self.checkouts.values()
                        if (p.get("metadata") or {}).get("fitr_subscription_id") == meta["fitr_subscription_id"])  # fmt: skip
            price = paid["line_items"][0]["price_data"]
            return self.json(request, 200, {"id": f"re_test_{len(self.refunds)}", "object": "refund", "status": "succeeded",
                                            "payment_intent": params["payment_intent"], "amount": int(price["unit_amount"]),
                                            "currency": price["currency"]})  # fmt: skip
        if method == "POST" and path == "/v1/billing_portal/sessions":
            if not str(params.get("customer", "")).startswith("cus_") or not str(params.get("return_url", "")).startswith("http"):
                return self.refuse(request, 400, f"unexpected portal session {params!r}")
            self.portals.append(params)
            return self.json(request, 200, {"id": f"bps_test_{len(self.portals)}", "object": "billing_portal.session",
                                            "url": f"{self.url}/portal/{len(self.portals)}", "return_url": params["return_url"]})  # fmt: skip
        if method == "GET" and path.startswith("/portal/"):
            page = b"""<!doctype html><html lang="en"><head><title>Stripe customer portal (test stand-in)</title></head>
<body><main><h1>Manage your billing</h1></main></body></html>"""
            return self.raw(request, 200, page, "text/html; charset=utf-8")
        return None

    def price(self, sub_id):
        """The price of the subscription's one item: the checkout's, until fitr changed it."""
        if sub_id in self.prices:
            return self.prices[sub_id]
        checkout = next(p for cs, p in self.checkouts.items() if f"sub_test_{cs}" == sub_id)
        sold = checkout["line_items"][0]["price_data"]
        return {"object": "price", "product": f"prod_{sub_id}", "unit_amount": int(sold["unit_amount"]),
                "currency": sold["currency"], "recurring": sold["recurring"]}  # fmt: skip

    def check_price_change(self, sub_id, params):
        """A new price for the subscription's own item and product, whole minor units, a known
        interval, no proration, and nothing else; a list of problems."""
        problems = []
        if set(params) != {"items", "proration_behavior"} or params.get("proration_behavior") != "none":
            problems.append(f"unexpected update {params!r}")
        items = params.get("items")
        if not isinstance(items, list) or len(items) != 1 or set(items[0]) != {"id", "price_data"}:
            return problems + ["exactly items[0][id] and items[0][price_data] expected"]
        if items[0]["id"] != f"si_{sub_id}":
            problems.append(f"item {items[0]['id']!r} is not this subscription's")
        price = items[0]["price_data"]
        if set(price) != {"currency", "unit_amount", "product", "recurring"}:
            problems.append(f"price_data {sorted(price)!r}")
        if price.get("product") != f"prod_{sub_id}":
            problems.append(f"product {price.get('product')!r} is not this subscription's")
        if not str(price.get("unit_amount", "")).isdigit() or int(price["unit_amount"]) <= 0:
            problems.append(f"unit_amount {price.get('unit_amount')!r} is not whole minor units")
        if not re.fullmatch(r"[a-z]{3}", str(price.get("currency", ""))):
            problems.append(f"currency {price.get('currency')!r}")
        recurring = price.get("recurring")
        if not isinstance(recurring, dict) or set(recurring) != {"interval"} or recurring["interval"] not in ("week", "month", "year"):
            problems.append(f"recurring {recurring!r}")
        return problems

    def subscription(self, sub_id, status="active", cancel_at_period_end=False, period_end=None):
        """A Stripe subscription object as its events carry it."""
        checkout = next(p for cs, p in self.checkouts.items() if f"sub_test_{cs}" == sub_id)
        period_end = period_end or int(time.time()) + 30 * 86400
        item = {"id": f"si_{sub_id}", "object": "subscription_item", "current_period_end": period_end, "price": self.price(sub_id)}
        return {"id": sub_id, "object": "subscription", "status": status, "customer": "cus_test_1",
                "cancel_at_period_end": cancel_at_period_end, "metadata": checkout["subscription_data"]["metadata"],
                "items": {"object": "list", "data": [item]}}  # fmt: skip

    def completed_event(self, session_id, event_id=None):
        """checkout.session.completed for a session fitr created, as JSON text."""
        self.paid.add(session_id)
        return event("checkout.session.completed", self.session(session_id, paid=True), event_id)

    def pay_page(self, request, session_id):
        if session_id not in self.checkouts:
            return self.json(request, 404, {})
        params = self.checkouts[session_id]
        price = params["line_items"][0]["price_data"]
        page = f"""<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width">
<title>Stripe Checkout (test stand-in)</title></head><body><main><h1>Pay {html.escape(price['product_data']['name'])}</h1>
<p>{int(price['unit_amount']) / 100:.2f} {price['currency'].upper()}</p>
<form method="post"><button type="submit">Pay</button></form>
<p><a href="{html.escape(params['cancel_url'])}">Back</a></p></main></body></html>"""
        return self.raw(request, 200, page.encode(), "text/html; charset=utf-8")

    def pay(self, request, session_id):
        payload = self.completed_event(session_id)
        post_webhook(self.webhook_url, payload)
        target = self.checkouts[session_id]["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
        request.send_response(303)
        request.send_header("Location", target)
        request.send_header("Content-Length", "0")
        request.end_headers()

    def json(self, request, status, body):
        return self.raw(request, status, json.dumps(body).encode(), "application/json")

    def raw(self, request, status, data, content_type):
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)


def post_webhook(url, payload, secret=WEBHOOK_SECRET):
    """Post a signed event to a live server's webhook, as Stripe does; its status."""
    request = urllib.request.Request(url, data=payload.encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Stripe-Signature": sign(payload, secret)})  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
