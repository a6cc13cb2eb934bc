"""Money: prices are stored as integer minor units of an ISO 4217 currency."""

from decimal import Decimal

from fitr.errors import RuleError
from fitr.units import Negative, NotANumber, parse_decimal

# ISO 4217 code -> (name, minor-unit exponent). A hard-coded set of the currencies coaches use;
# the exponent says how many decimals a price may have (JPY none, KWD three).
CURRENCIES = {
    "AED": ("UAE dirham", 2),
    "AUD": ("Australian dollar", 2),
    "BHD": ("Bahraini dinar", 3),
    "BRL": ("Brazilian real", 2),
    "CAD": ("Canadian dollar", 2),
    "CHF": ("Swiss franc", 2),
    "CLP": ("Chilean peso", 0),
    "CNY": ("Chinese yuan", 2),
    "COP": ("Colombian peso", 2),
    "CZK": ("Czech koruna", 2),
    "DKK": ("Danish krone", 2),
    "EGP": ("Egyptian pound", 2),
    "EUR": ("Euro", 2),
    "GBP": ("Pound sterling", 2),
    "HKD": ("Hong Kong dollar", 2),
    "HUF": ("Hungarian forint", 2),
    "IDR": ("Indonesian rupiah", 2),
    "ILS": ("Israeli new shekel", 2),
    "INR": ("Indian rupee", 2),
    "ISK": ("Icelandic króna", 0),
    "JPY": ("Japanese yen", 0),
    "KRW": ("South Korean won", 0),
    "KWD": ("Kuwaiti dinar", 3),
    "MXN": ("Mexican peso", 2),
    "MYR": ("Malaysian ringgit", 2),
    "NGN": ("Nigerian naira", 2),
    "NOK": ("Norwegian krone", 2),
    "NZD": ("New Zealand dollar", 2),
    "OMR": ("Omani rial", 3),
    "PHP": ("Philippine peso", 2),
    "PLN": ("Polish złoty", 2),
    "RON": ("Romanian leu", 2),
    "SAR": ("Saudi riyal", 2),
    "SEK": ("Swedish krona", 2),
    "SGD": ("Singapore dollar", 2),
    "THB": ("Thai baht", 2),
    "TRY": ("Turkish lira", 2),
    "TWD": ("New Taiwan dollar", 2),
    "UAH": ("Ukrainian hryvnia", 2),
    "USD": ("US dollar", 2),
    "VND": ("Vietnamese đồng", 0),
    "ZAR": ("South African rand", 2),
}
SYMBOLS = {"GBP": "£", "USD": "$", "EUR": "€", "JPY": "¥", "AUD": "A$", "CAD": "C$", "NZD": "NZ$", "INR": "₹"}
MAX_MAJOR = 1_000_000  # a price above this is a typo, not a coaching fee


class PriceError(RuleError):
    """A price that cannot be stored; the message is shown next to the Amount field."""

    def __init__(self, message):
        super().__init__(message, "price")


def exponent(currency):
    return CURRENCIES[currency][1]


def max_minor(currency):
    return MAX_MAJOR * 10 ** exponent(currency)


def to_minor(text, currency):
    """'49.99' GBP -> 4999; raises PriceError with a message a coach can act on."""
    text = (text or "").strip()
    if not text:
        raise PriceError("Enter a price, or tick Free (invite-only).")
    try:
        amount = parse_decimal(text, decimal_comma=False)  # "1,000" is a thousand to some, 1 to others
    except Negative:
        raise PriceError("The price cannot be negative.") from None
    except NotANumber as error:
        raise PriceError(error.explained("Enter the price as a number, like 49.99, without a currency sign or commas.")) from None
    if amount > MAX_MAJOR:
        raise PriceError(f"The price can be at most {MAX_MAJOR:,}.")
    if amount == 0:
        raise PriceError("Enter a price above 0, or tick Free (invite-only).")
    places = exponent(currency)
    minor = amount.scaleb(places)
    if minor != minor.to_integral_value():
        if places == 0:
            raise PriceError(f"{currency} prices are whole numbers, with no decimals.")
        raise PriceError(f"{currency} prices have at most {places} decimal places.")
    return int(minor)


def to_major_text(minor, currency):
    """4999 GBP -> '49.99' (for a form field); 0 -> ''."""
    if not minor:
        return ""
    places = exponent(currency) if currency in CURRENCIES else 2
    return f"{Decimal(minor).scaleb(-places):.{places}f}"


def format_price(minor, currency):
    """4999 GBP -> '£49.99'; a currency without a symbol shows its code: '49.99 CHF'."""
    amount = to_major_text(minor, currency) or "0"
    places = exponent(currency) if currency in CURRENCIES else 2
    whole, _, fraction = amount.partition(".")
    amount = f"{int(whole):,}" + (f".{fraction}" if places else "")
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}"
