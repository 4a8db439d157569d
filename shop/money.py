"""The one place where amounts are rounded and formatted. Amounts are integer cents (EUR)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

BPS_DENOMINATOR = 10000
CURRENCY = "EUR"


def share_of(amount_cents: int, bps: int) -> int:
    """`amount × bps / 10000`, rounded half to even, in cents."""
    exact = Decimal(amount_cents) * Decimal(bps) / Decimal(BPS_DENOMINATOR)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def bps_for_display(part_cents: int, whole_cents: int) -> int:
    """The share `part` is of `whole`, in basis points rounded down but at least 1: what a
    listing shows of a fixed amount; the amount itself is what is booked."""
    return max(1, part_cents * BPS_DENOMINATOR // whole_cents)


def vat_included(amount_cents: int, rate_bps: int) -> int:
    """The VAT inside a price that includes it (TTC): `amount × rate / (1 + rate)`, rounded
    half to even, in cents. 20,00 € at 20 % holds 3,33 €."""
    exact = (Decimal(amount_cents) * Decimal(rate_bps)
             / Decimal(BPS_DENOMINATOR + rate_bps))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def vat_by_rate(amounts: list[tuple[int, int]]) -> dict[int, int]:
    """{rate: VAT included} for `(amount TTC, rate)` pairs, rates in basis points. Each
    amount (a receipt line, the shipping) is rounded on its own and the lines are summed
    per rate, as a till receipt does: a line's VAT never changes with what else was
    bought, and may differ by a cent from the VAT of the total."""
    totals: dict[int, int] = {}
    for amount_cents, rate_bps in amounts:
        totals[rate_bps] = totals.get(rate_bps, 0) + vat_included(amount_cents, rate_bps)
    return totals


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


@dataclass(frozen=True)
class LineInput:
    unit_price_cents: int
    quantity: int
    solidarity_bps: int = 0
    project_id: int | None = None
    # A fixed amount per unit for the project instead of the share (a donated object: its
    # price less the costs its vendor declared).
    solidarity_unit_cents: int | None = None


@dataclass(frozen=True)
class OrderSplit:
    """How one vendor order's gross is shared (DESIGN §5), to the cent."""

    gross_cents: int
    shipping_cents: int
    solidarity_cents: int
    commission_cents: int
    vendor_net_cents: int
    line_solidarity_cents: tuple[int, ...]
    solidarity_by_project: dict = field(default_factory=dict)
    commission_bps: int = 0


def line_share(line: LineInput, line_total_cents: int) -> int:
    """A line's solidarity: its fixed amount per unit when it has one (never more than the
    line), else its share of the line; nothing when its project is unknown."""
    if line.project_id is None:
        return 0
    if line.solidarity_unit_cents is not None:
        return min(line.solidarity_unit_cents * line.quantity, line_total_cents)
    return share_of(line_total_cents, line.solidarity_bps)


def order_split(
    *, lines: list[LineInput], shipping_cents: int, commission_bps: int
) -> OrderSplit:
    """gross = Σ line + shipping; solidarity = Σ `line_share` of each line; commission =
    share of gross, but never more than what the solidarity leaves, so the vendor net is
    never negative; net = the rest."""
    line_totals = [line.unit_price_cents * line.quantity for line in lines]
    line_solidarity = tuple(
        line_share(line, total) for total, line in zip(line_totals, lines, strict=True)
    )
    gross = sum(line_totals) + shipping_cents
    solidarity = sum(line_solidarity)
    commission = min(share_of(gross, commission_bps), gross - solidarity)
    by_project: dict = {}
    for line, amount in zip(lines, line_solidarity, strict=True):
        if amount:
            by_project[line.project_id] = by_project.get(line.project_id, 0) + amount
    return OrderSplit(
        gross_cents=gross,
        shipping_cents=shipping_cents,
        solidarity_cents=solidarity,
        commission_cents=commission,
        vendor_net_cents=gross - commission - solidarity,
        line_solidarity_cents=line_solidarity,
        solidarity_by_project=by_project,
        commission_bps=commission_bps,
    )


def round_up_donation(total_cents: int) -> int:
    """What rounds `total_cents` up to the next whole euro (0 when already round)."""
    return (-total_cents) % 100


def mean_cents(total_cents: int, count: int) -> int:
    """`total / count` in cents, rounded half to even; 0 when there is nothing to share."""
    if not count:
        return 0
    exact = Decimal(total_cents) / Decimal(count)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
