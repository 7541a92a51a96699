"""The protection rule of disclosure control and the wording of its audit's summary (Danish or English).

Reads and writes nothing. Kept apart from kdk/marts/disclosure.py (which solves the model) so that the pages that
show the summary (/datastatus) need no solver. The rule (spec "Small numbers and status"): a suppressed count must
not be pinned closer than a range of width PROTECTION_WIDTH by everything published.
"""
from __future__ import annotations

import math

from kdk import format as fmt
from kdk.sprog import gettext

PROTECTION_WIDTH = 3.0


def opsummering(skjulte: int, sekundaere: int, antal: int, smalleste: float | None) -> str:
    """The audit's summary in the active language (Danish in the validation report, which a build writes), from
    counts and a width only, never which cell: for the validation report (every key figure) and for /datastatus (the
    figures the viewer may see). `smalleste` is the narrowest interval's width, inf where no hidden count is bounded
    above, None (or NaN) where none is audited."""
    if smalleste is None or math.isnan(smalleste):
        tekst = gettext("Diskretionering revideret: {skjulte} skjulte celler, heraf {sekundaere} sekundært "
                        "diskretioneret; alle {antal} skjulte antal har et interval på mindst {bredde}; intet skjult "
                        "antal indgår i en sammenhæng med offentliggjorte tal.")
    elif math.isinf(smalleste):
        tekst = gettext("Diskretionering revideret: {skjulte} skjulte celler, heraf {sekundaere} sekundært "
                        "diskretioneret; alle {antal} skjulte antal har et interval på mindst {bredde}; intet skjult "
                        "antal kan afgrænses opadtil af de offentliggjorte tal.")
    else:
        tekst = gettext("Diskretionering revideret: {skjulte} skjulte celler, heraf {sekundaere} sekundært "
                        "diskretioneret; alle {antal} skjulte antal har et interval på mindst {bredde}; det "
                        "smalleste interval, et skjult antal kan afgrænses til, har bredden {smalleste}.")
    return tekst.format(skjulte=fmt.number(skjulte), sekundaere=fmt.number(sekundaere), antal=fmt.number(antal),
                        bredde=fmt.number(PROTECTION_WIDTH),
                        smalleste=fmt.number(smalleste, 1) if smalleste is not None and math.isfinite(smalleste)
                        else "")
