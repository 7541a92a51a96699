"""Validation findings shared by the build and the ingest: one finding names file, line, column and rule, and the
key figure it is about (None when it is about no single figure: a file's layout, an unknown area code or period).

Reads nothing, writes nothing; `Report` renders findings as Danish text and as JSON. A finding's message is recorded
in Danish, the build's language; `besked_vist` shows it on a page.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from kdk import sprog

FEJL = "fejl"        # stops the load
ADVARSEL = "advarsel"  # reported, the load goes on


@dataclass(frozen=True)
class Finding:
    fil: str
    linje: int | None
    kolonne: str | None
    regel: str
    niveau: str
    besked: str
    noegletal_id: str | None = None   # who may see the finding is decided by this, as for the figure's values

    def tekst(self) -> str:
        sted = self.fil
        if self.linje is not None:
            sted += f", linje {self.linje}"
        if self.kolonne:
            sted += f", kolonne {self.kolonne}"
        return f"{self.niveau.upper()} [{self.regel}] {sted}: {self.besked}"


def besked_vist(besked: str) -> str:
    """A recorded finding's message as a page shows it: as recorded (Danish); on an English page marked as Danish
    text (kdk.sprog.MANGLER, and lang="da" on its element, kdk.sprog.med_adresser), as a catalogue text without
    English is."""
    return sprog.katalogtekst(besked, None) or besked


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    def add(self, *findings: Finding) -> None:
        self.findings.extend(findings)

    @property
    def fejl(self) -> list[Finding]:
        return [f for f in self.findings if f.niveau == FEJL]

    @property
    def advarsler(self) -> list[Finding]:
        return [f for f in self.findings if f.niveau == ADVARSEL]

    @property
    def ok(self) -> bool:
        return not self.fejl

    def tekst(self) -> str:
        if not self.findings:
            return "Validering: ingen fund."
        linjer = [f"Validering: {len(self.fejl)} fejl, {len(self.advarsler)} advarsler."]
        linjer += [f.tekst() for f in self.findings]
        return "\n".join(linjer)

    def json(self) -> str:
        return json.dumps(
            {"fejl": len(self.fejl), "advarsler": len(self.advarsler),
             "fund": [asdict(f) for f in self.findings]},
            ensure_ascii=False, indent=2)


class IngestError(Exception):
    """A source file that cannot be read at all; the message is Danish and names what to do."""
