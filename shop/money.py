"""The one place where amounts are rounded and formatted. Amounts are integer cents (EUR)."""

from decimal import ROUND_HALF_EVEN, Decimal

BPS_DENOMINATOR = 10000
CURRENCY = "EUR"


def share_of(amount_cents: int, bps: int) -> int:
    """`amount × bps / 10000`, rounded half to even, in cents."""
    exact = Decimal(amount_cents) * Decimal(bps) / Decimal(BPS_DENOMINATOR)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def parse_euros(text: str) -> int:
    """'12,50', '12.5', '12 €' → 1250 cents. Raises ValueError on anything else."""
    cleaned = (text or "").replace("€", "").replace("\u202f", "").replace("\xa0", "")
    cleaned = cleaned.replace(" ", "").replace(",", ".")
    if not cleaned or not all(char.isdigit() or char == "." for char in cleaned):
        raise ValueError(f"not an amount: {text!r}")
    try:
        value = Decimal(cleaned)
        if value != value.quantize(Decimal("0.01")):
            raise ValueError(f"more than two decimals: {text!r}")
    except ArithmeticError as exc:  # InvalidOperation and friends
        raise ValueError(f"not an amount: {text!r}") from exc
    return int(value * 100)


def format_cents(amount_cents: int, language: str = "fr") -> str:
    """French: '1 234,50 €' (narrow no-break spaces); English: '€1,234.50'."""
    sign = "-" if amount_cents < 0 else ""
    euros, cents = divmod(abs(int(amount_cents)), 100)
    if language.startswith("fr"):
        grouped = f"{euros:,}".replace(",", "\u202f")
        return f"{sign}{grouped},{cents:02d}\u00a0€"
    return f"{sign}€{euros:,}.{cents:02d}"


def format_bps_percent(bps: int, language: str = "fr") -> str:
    """2000 → '20 %' (French) or '20%'; 1250 → '12,5 %'."""
    value = Decimal(bps) / Decimal(100)
    text = f"{value.normalize():f}"
    if language.startswith("fr"):
        return f"{text.replace('.', ',')}\u00a0%"
    return f"{text}%"
