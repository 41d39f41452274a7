"""Prices and stock of products: "25 EUR" read as an amount and a currency, and written back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from catalog.errors import InvalidValue

# Signs and words people write for a currency, folded to lower case → ISO 4217 code.
CURRENCY_WORDS: dict[str, str] = {
    "€": "EUR",
    "евро": "EUR",
    "euro": "EUR",
    "eur": "EUR",
    "$": "USD",
    "£": "GBP",
    "₽": "RUB",
    "руб": "RUB",
    "руб.": "RUB",
    "смн": "TJS",
    "сомонӣ": "TJS",
    "сомони": "TJS",
    "somoni": "TJS",
}
_CODE = re.compile(r"[A-Za-z]{3}")
_SPACES = re.compile(r"[\s\u00a0\u202f']+")
_AMOUNT = re.compile(r"\d[\d\s\u00a0\u202f',.]*")
HOW = "write it as an amount and a currency, such as 25 EUR, 25.50 EUR or 120 TJS"


@dataclass(frozen=True)
class Price:
    """An amount of money in one currency (ISO 4217 code)."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        """The stored form: ``25 EUR``, ``25.50 EUR``."""
        return f"{self.plain_amount()} {self.currency}"

    def plain_amount(self) -> str:
        if self.amount == self.amount.to_integral_value():
            return str(int(self.amount))
        return f"{self.amount:.2f}"

    def display(self, language: str = "en") -> str:
        """For a reader: ``1,200.50 EUR`` in English; ``1 200,50 EUR`` in Russian and Tajik."""
        whole = int(self.amount)
        cents = self.plain_amount().partition(".")[2]
        grouped = f"{whole:,}"
        if language == "en":
            return f"{grouped}{'.' + cents if cents else ''} {self.currency}"
        grouped = grouped.replace(",", "\u202f")  # a narrow no-break space
        return f"{grouped}{',' + cents if cents else ''} {self.currency}"


def parse_price(value: Any) -> Price | None:
    """``25 EUR``, ``EUR 25``, ``25,50 €``, ``1 200 TJS`` → a Price; empty → None.

    A price without a currency, a negative one, or one with more than two decimals is
    refused with an InvalidValue that says how to write it.
    """
    if value is None:
        return None
    if isinstance(value, Price):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise InvalidValue(f"price {value!r}: {HOW}")
    text = str(value).strip()
    if not text:
        return None
    match = _AMOUNT.search(text)
    if match is None:
        raise InvalidValue(f"price {text!r} has no amount; {HOW}")
    rest = (text[: match.start()] + " " + text[match.end() :]).strip()
    if text[: match.start()].strip().endswith("-"):
        raise InvalidValue(f"price {text!r} is negative; {HOW}")
    currency = _currency(rest, text)
    amount = _amount(match.group().strip(), text)
    return Price(amount, currency)


def normalise_price(value: Any) -> str | None:
    """The stored form of a price typed in any accepted way (see parse_price)."""
    price = parse_price(value)
    return None if price is None else str(price)


def normalise_available(value: Any) -> int | None:
    """Pieces for sale: a whole number from 0 (sold out); empty means not said."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(-1 if isinstance(value, bool) else str(value).strip())
    except InvalidOperation:
        number = Decimal(-1)
    if number < 0 or number != number.to_integral_value():
        raise InvalidValue(
            f"available takes how many pieces are for sale, a whole number such as 3 "
            f"(0 = sold out), not {value!r}"
        )
    return int(number)


def _currency(rest: str, text: str) -> str:
    word = rest.strip()
    if not word:
        raise InvalidValue(f"price {text!r} has no currency; {HOW}")
    folded = word.lower()
    code = CURRENCY_WORDS.get(folded) or CURRENCY_WORDS.get(folded.rstrip("."))
    if code:
        return code
    if _CODE.fullmatch(word):
        return word.upper()
    raise InvalidValue(f"price {text!r}: {word!r} is not a currency; {HOW}")


def _amount(raw: str, text: str) -> Decimal:
    digits = _SPACES.sub("", raw).rstrip(".,")
    if "," in digits and "." in digits:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
        group = "." if decimal_mark == "," else ","
        digits = digits.replace(group, "").replace(decimal_mark, ".")
    elif "," in digits:
        whole, _, tail = digits.rpartition(",")
        # 25,50 is a decimal comma; 1,200 groups thousands.
        digits = f"{whole.replace(',', '')}.{tail}" if len(tail) <= 2 else digits.replace(",", "")
    elif digits.count(".") > 1:
        digits = digits.replace(".", "")  # 1.200.000 groups thousands
    try:
        amount = Decimal(digits)
    except InvalidOperation as exc:
        raise InvalidValue(f"price {text!r}: {raw!r} is not an amount; {HOW}") from exc
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidValue(f"price {text!r} has more than two decimals; {HOW}")
    return amount
