"""A subscription's life, in one place (rules.py): added (pending), joined (free, by invite or
invite link, or paid once Stripe confirms), ended (by the coach, by a lapsed payment, by the
client deleting their account, or before it began when its invite is withdrawn or expires),
moved to another program with its card payment, and finished (Fixed Length). What that life does
to a payment (sold at a price, Awaiting payment, a card stopped or carried over) is paying.py.

It sits above what it drives (calendars, card payments, notices) and below what calls it (the
pages, Stripe's webhook, the worker and the CLI). Nothing else writes a subscription's status or
its dates: tests/test_lifecycle.py reads fitr's source to check."""
