"""Move to the current price: a client keeps the price they were sold at until their coach
moves them to the program's price of today. A client paying by card every period is charged
it by Stripe from their next payment; anyone else simply holds the new price (a client
Awaiting payment then pays it on their next Checkout). A one-off card payment was paid once,
at its price: there is nothing to change."""

from fitr.cards import stripe_api
from fitr.errors import RuleError
from fitr.lifecycle.paying import sell
from fitr.payments.billing import recurring

CARD, ONE_OFF, HELD = "card", "one_off", "held"


class PriceError(RuleError):
    """The client cannot be moved to the current price; the message says why."""


def off_current_price(subscription, program):
    """The subscription was sold at a price (or period, or currency) the paid program no longer has."""
    if program.is_free or not subscription.price_minor:
        return False
    sold = (subscription.price_minor, subscription.currency, subscription.billing_period)
    return sold != (program.price_minor, program.currency, program.billing_period)


def how_it_moves(subscription, program):
    """CARD (Stripe charges it from the next payment), HELD (the sold price simply changes) or
    ONE_OFF (paid once by card: nothing to change)."""
    if subscription.paid_by_card:
        return CARD if recurring(subscription) else ONE_OFF
    return HELD


def can_move(subscription, program):
    """Whether to offer Move to the current price on the client's row."""
    return off_current_price(subscription, program) and why_not(subscription, program) is None


def why_not(subscription, program):
    """The reason the client cannot be moved to the current price, or None."""
    if program.is_free:
        return "This program is free: there is no price to move to."
    if not subscription.price_minor:
        return "This client was not sold a price: mark their payment instead."
    if not off_current_price(subscription, program):
        return "This client already pays the program's current price."
    how = how_it_moves(subscription, program)
    if how == ONE_OFF:
        return "This client paid once by card at the price they were sold at: there is nothing to change."
    if how == CARD and program.billing_period not in stripe_api.INTERVALS:
        return "The program's price is now one-off: a card subscription cannot be moved to it. Cancel their payment instead."
    if how == CARD and program.currency != subscription.currency:
        return "Stripe cannot change the currency of a card subscription: cancel their payment and invite them again instead."
    return None


def move_to_current_price(subscription, program):
    """Move the client to the program's current price: Stripe first for a card subscription (a
    failure raises PaymentError and nothing changes here), then the sold fields. Returns how
    it moved (CARD or HELD)."""
    reason = why_not(subscription, program)
    if reason:
        raise PriceError(reason)
    how = how_it_moves(subscription, program)
    if how == CARD:
        stripe_api.change_price(subscription.stripe_subscription_id, program.currency, program.price_minor,
                                program.billing_period)  # fmt: skip
    sell(subscription, program)
    return how
