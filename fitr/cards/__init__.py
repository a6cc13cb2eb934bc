"""Card payments through Stripe, as the layers below the pages need them: the calls fitr makes
to Stripe (stripe_api), the objects and times Stripe sends (events), and the ledger of the
payments and refunds it made (ledger). A subscription's life (fitr.lifecycle) stops or moves a
card payment with these; the payments area (its pages, Stripe's webhook, the coach's marks)
sits above both."""
