"""Response headers every page carries."""

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "object-src 'none'; worker-src 'self'; manifest-src 'self'"
)


def content_security_policy(config):
    """The CSP; with card payments on, a form may also lead to Stripe Checkout (joining a paid
    program posts a form whose answer redirects there, which form-action governs)."""
    if config.get("STRIPE_SECRET_KEY") and config.get("STRIPE_CHECKOUT_ORIGIN"):
        return CSP.replace("form-action 'self'", f"form-action 'self' {config['STRIPE_CHECKOUT_ORIGIN']}")
    return CSP


def init_app(app):
    csp = content_security_policy(app.config)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        # Pages differ for htmx and full requests; caches must not mix them.
        response.vary.add("HX-Request")
        return response
