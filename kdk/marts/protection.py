"""The protection rule of disclosure control and the Danish wording of its audit's summary.

Reads and writes nothing. Kept apart from kdk/marts/disclosure.py (which solves the model) so that the pages that
show the summary (/datastatus) need no solver. The rule (spec "Small numbers and status"): a suppressed count must
not be pinned closer than a range of width PROTECTION_WIDTH by everything published.
"""
from __future__ import annotations

import math

from kdk import format as fmt

PROTECTION_WIDTH = 3.0


def opsummering(skjulte: int, sekundaere: int, antal: int, smalleste: float | None) -> str:
    """The audit's summary in Danish, from counts and a width only, never which cell: for the validation report
    (every key figure) and for /datastatus (the figures the viewer may see). `smalleste` is the narrowest
    interval's width, inf where no hidden count is bounded above, None (or NaN) where none is audited."""
    smallest = ("intet skjult antal indgår i en sammenhæng med offentliggjorte tal"
                if smalleste is None or math.isnan(smalleste)
                else "intet skjult antal kan afgrænses opadtil af de offentliggjorte tal" if math.isinf(smalleste)
                else "det smalleste interval, et skjult antal kan afgrænses til, har bredden "
                     + fmt.number(smalleste, 1))
    return (f"Diskretionering revideret: {fmt.number(skjulte)} skjulte celler, heraf "
            f"{fmt.number(sekundaere)} sekundært diskretioneret; alle {fmt.number(antal)} "
            f"skjulte antal har et interval på mindst {fmt.number(PROTECTION_WIDTH)}; {smallest}.")
