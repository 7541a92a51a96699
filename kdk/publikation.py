"""The KØF publication as PDF files: a theme page for hele landet and for each municipality, and one combined file.

`publish()` renders `/tema/<slug>` (hele landet: the theme without a municipality; a municipality: `?kommune=`) in
the system Chromium (kdk.chromium) against the app on a private port (kdk/privatserver.py starts it;
web/privatserver.py says how it shows a release under embargo and why nobody else can reach it). Several browser
pages render at once (PAGES) in one browser; each is printed (`emulate_media("print")`, A4, backgrounds) once Dash
has settled and every chart is drawn. The combined file starts with a table of contents (the parts with their page
numbers, printed by the same browser) and has a PDF outline naming the parts (pypdf).

The publication is the app's own pages, printed, so it needs the app running; kdk/privatserver.py starts it by module
name, so the data layer never imports the web layer.

`start()` runs the same job in the background for the publication page (kdk.export.jobs, as the databank bundle).

Reads the live marts (the release and theme are checked first: PublikationError, in Danish); writes the PDFs into
`out`, under deterministic names (`filnavn`), only when every file is done: they are written into a hidden folder in
`out` first and moved when complete, so a failure leaves nothing half-written.
"""
from __future__ import annotations

import asyncio
import html
import logging
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from kdk.chromium import CHROMIUM, CHROMIUM_ARGS, DASH_IDLE
from kdk.config import settings
from kdk.db import marts, reading
from kdk.export import jobs
from kdk.privatserver import running
from kdk.sprog import N_, gettext

log = logging.getLogger(__name__)
PAGES = 3               # browser pages rendering at once
HELE_LANDET = "000"     # the national part's code in file names
TIMEOUT_MS = 120_000
# The page's content rendered and every chart on it drawn by plotly.js (its SVG made): true; an error page or the
# message of a failed callback: 'fejl'.
CHARTS_DRAWN = """() => {
  const message = document.getElementById('fejlbesked');
  if (document.querySelector('.fejlside') || (message && !message.hidden)) return 'fejl';
  return document.querySelector('.temaside') !== null &&
    [...document.querySelectorAll('.js-plotly-plot')].every(p => p._fullLayout && p.querySelector('.main-svg'));
}"""
# The printed foot's address (components/shell.py `udskriftsfod`, which assets/print.js fills from the browser's
# location): the page's public address, not the private server's, also when the browser announces printing.
PUBLIC_ADDRESS = """(address) => {
  const set = () => document.querySelectorAll('.udskriftsfod .adresse').forEach(el => { el.textContent = address; });
  set();
  window.addEventListener('beforeprint', set);
}"""
DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


class PublikationError(Exception):
    """The publication cannot be made as asked (unknown release, theme or municipality): a message in the active
    language (Danish on the command line)."""


@dataclass(frozen=True)
class Del:
    """One part of the publication: a municipality, or hele landet."""
    kode: str
    navn: str
    adresse: str   # path and query of its theme page


Progress = Callable[[int, int, Del], None]   # (done, of, the part just done)


def slug(navn: str) -> str:
    """An ASCII file-name slug of a Danish name: 'Lyngby-Taarbæk' -> 'lyngby-taarbaek'."""
    ascii_text = unicodedata.normalize("NFKD", navn.translate(DANISH_LETTERS)).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text.lower()).split())


def filnavn(tema: str, release: str, part: Del | None = None) -> str:
    """The file name of a part, or of the combined file (`part` None)."""
    return f"{tema}-{release}-{part.kode}-{slug(part.navn)}.pdf" if part else f"{tema}-{release}-samlet.pdf"


def afvist(release: str) -> str | None:
    """Why `release` cannot be published as PDF, in the active language: it is unknown, or it is not the newest
    release of the live marts (the PDFs are the app's pages printed, and a page shows the newest release: there is no
    page "as of" an older one); None when it can."""
    releases = marts().query("SELECT release_id FROM release ORDER BY loebenummer")["release_id"].tolist()
    if release not in releases:
        return gettext("Releasen «{release}» findes ikke. Kendte releaser: {kendte}.").format(
            release=release, kendte=", ".join(releases))
    if release != releases[-1]:
        return gettext("Release {release} kan ikke udgives som PDF, fordi den ikke er den nyeste: det er {nyeste}. "
                       "PDF-filerne er sidernes udskrift, og siderne viser altid den nyeste release. Vælg release "
                       "{nyeste} for at bygge publikationen.").format(release=release, nyeste=releases[-1])
    return None


def dele(release: str, tema: str, kommuner: tuple[str, ...] | None = None) -> list[Del]:
    """The parts to render, hele landet first, then the municipalities by code; PublikationError when the release
    cannot be published (`afvist`), the theme is unknown or a code is not a municipality's."""
    refused = afvist(release)
    if refused:
        raise PublikationError(refused)
    themes = marts().query("SELECT slug, titel FROM tema ORDER BY raekkefoelge, slug")
    if tema not in set(themes["slug"]):
        raise PublikationError(gettext("Temaet «{tema}» findes ikke. Kendte temaer: {kendte}.").format(
            tema=tema, kendte=", ".join(themes["slug"])))
    found = marts().query("SELECT kommunekode, navn FROM dim_kommune ORDER BY kommunekode")
    if kommuner is not None:
        unknown = sorted(set(kommuner) - set(found["kommunekode"]))
        if unknown:
            raise PublikationError(gettext("Ukendt kommunekode: {koder}.").format(koder=", ".join(unknown)))
        found = found[found["kommunekode"].isin(kommuner)]
    return [Del(HELE_LANDET, "Hele landet", f"/tema/{tema}"),
            *(Del(r.kommunekode, r.navn, f"/tema/{tema}?kommune={r.kommunekode}") for r in found.itertuples())]


def publish(release: str, tema: str, out: Path, kommuner: tuple[str, ...] | None = None,
            progress: Progress | None = None, pages: int = PAGES) -> list[Path]:
    """Render the publication into `out` (made if missing), `pages` browser pages at once; the combined file first,
    then the parts in order. Logs each part's time (English, INFO)."""
    live = marts().live
    with reading(live):   # the checks and every page read this one marts file, also if a new release lands now
        parts = dele(release, tema, kommuner)
        title = marts().query("SELECT titel FROM tema WHERE slug = $slug", {"slug": tema})["titel"].iloc[0]
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".ufaerdig-") as tmp:
        folder = Path(tmp)
        with running(live) as (base, headers):
            asyncio.run(_render(base, headers, parts, title, release, tema, folder, progress or _quiet, pages))
        names = [filnavn(tema, release), *(filnavn(tema, release, p) for p in parts)]
        for name in names:
            (folder / name).replace(out / name)
    return [out / name for name in names]


def job(release: str, tema: str) -> str:
    """The name of the background job (kdk.export.jobs) that publishes `tema` of `release`."""
    return f"publikation-{tema}-{release}"


def filer(folder: Path, release: str, tema: str) -> list[Path]:
    """The files of the job that published `tema` of `release` into `folder`, the combined file first; none until
    the job is done and while any of its files is missing."""
    return [folder / name for name in jobs.job_status(folder, job(release, tema)).get("filer", [])]


def zipnavn(release: str, tema: str) -> str:
    """The name of the zip that holds every file of the publication (web/eksport.py streams it)."""
    return f"{tema}-{release}-pdf.zip"


def start(release: str, tema: str, folder: Path, kommuner: tuple[str, ...] | None = None) -> bool:
    """Publish every part (or hele landet and `kommuner`, as the command line's --kommuner) in the background into
    `folder` (kdk.export.jobs, with its progress); False when that job is already running. The release and theme are
    checked first (PublikationError)."""
    dele(release, tema, kommuner)

    def work(progress: jobs.Progress) -> list[Path]:
        return publish(release, tema, folder, kommuner, progress=jobfremdrift(progress))

    return jobs.run(folder, job(release, tema), work, N_("Publikationen fejlede. Prøv igen; fejlen er skrevet i "
                                                         "serverens log."))


def jobfremdrift(progress: jobs.Progress) -> Progress:
    """The job's record of each part done: a message id and its values (the page shows it in its language)."""
    def record(done: int, of: int, part: Del) -> None:
        if part.kode == HELE_LANDET:
            progress(done / of, N_("{done} af {of} PDF-filer: hele landet"), done=done, of=of)
        else:
            progress(done / of, N_("{done} af {of} PDF-filer: {navn}"), done=done, of=of, navn=part.navn)
    return record


def _quiet(done: int, of: int, part: Del) -> None:
    """No progress shown."""


async def _render(base: str, headers: dict[str, str], parts: list[Del], title: str, release: str, tema: str,
                  folder: Path, progress: Progress, pages: int) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = await browser.new_context(base_url=base, extra_http_headers=headers, locale="da-DK",
                                                viewport={"width": 1280, "height": 900})
            context.set_default_timeout(TIMEOUT_MS)
            queue: asyncio.Queue[Del] = asyncio.Queue()
            for part in parts:
                queue.put_nowait(part)
            done: list[Del] = []

            async def worker() -> None:
                page = await context.new_page()
                await page.emulate_media(media="print")
                while not queue.empty():
                    part = queue.get_nowait()
                    began = time.perf_counter()
                    await _drawn(page, part)
                    await page.pdf(path=folder / filnavn(tema, release, part), format="A4", print_background=True)
                    done.append(part)
                    log.info("rendered %s in %.2f s", part.adresse, time.perf_counter() - began)
                    progress(len(done), len(parts), part)
                await page.close()

            await asyncio.gather(*(worker() for _ in range(min(pages, len(parts)))))
            await _combine(await context.new_page(), parts, title, release, tema, folder)
        finally:
            await browser.close()


async def _drawn(page, part: Del) -> None:
    """Open the part's page and wait until Dash has settled and every chart is drawn; PublikationError when the page
    shows an error or is not done within TIMEOUT_MS."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    try:
        await page.goto(part.adresse)
        await page.wait_for_function(DASH_IDLE)
        drawn = await (await page.wait_for_function(CHARTS_DRAWN)).json_value()
    except PlaywrightTimeout:
        raise PublikationError(f"Siden {part.adresse} blev ikke tegnet færdig på {TIMEOUT_MS // 1000} s. Intet er "
                               "skrevet; prøv igen.") from None
    if drawn == "fejl":
        raise PublikationError(f"Siden {part.adresse} viste en fejl (se serverens log). Intet er skrevet.")
    await page.evaluate(PUBLIC_ADDRESS, (settings().base_url or "") + part.adresse)


async def _combine(page, parts: list[Del], title: str, release: str, tema: str, folder: Path) -> None:
    """The combined file: a table of contents, then every part, with an outline entry for each."""
    readers = [PdfReader(folder / filnavn(tema, release, p)) for p in parts]
    toc_file = folder / ".indhold.pdf"
    toc_pages = 1
    while True:   # the contents' own length moves the parts' page numbers: print until it is stable
        starts, first = [], toc_pages + 1
        for reader in readers:
            starts.append(first)
            first += len(reader.pages)
        await page.set_content(_toc_html(title, release, parts, starts))
        await page.pdf(path=toc_file, format="A4")
        toc = PdfReader(toc_file)
        if len(toc.pages) == toc_pages:
            break
        toc_pages = len(toc.pages)
    writer = PdfWriter()
    writer.append(toc)
    writer.add_outline_item(title="Indhold", page_number=0)
    for part, reader, start in zip(parts, readers, starts):
        writer.append(reader)
        writer.add_outline_item(title=_label(part), page_number=start - 1)
    writer.add_metadata({"/Title": f"{title} – Kend din kommune, release {release}"})
    with open(folder / filnavn(tema, release), "wb") as f:
        writer.write(f)
    toc_file.unlink()


def _label(part: Del) -> str:
    return part.navn if part.kode == HELE_LANDET else f"{part.navn} ({part.kode})"


def _toc_html(title: str, release: str, parts: list[Del], starts: list[int]) -> str:
    rows = "".join(f"<li><span>{html.escape(_label(p))}</span><span>{n}</span></li>" for p, n in zip(parts, starts))
    return f"""<!doctype html><html lang="da"><head><meta charset="utf-8"><style>
  body {{ font: 9pt system-ui, sans-serif; margin: 15mm; }}
  h1 {{ font-size: 16pt; margin: 0 0 2mm; }} p {{ margin: 0 0 5mm; }}
  ol {{ columns: 2; column-gap: 10mm; list-style: none; padding: 0; margin: 0; }}
  li {{ display: flex; justify-content: space-between; border-bottom: 1px dotted #999; padding: 0.4mm 0;
        break-inside: avoid; }}
</style></head><body><h1>{html.escape(title)}</h1>
<p>Kend din kommune · release {html.escape(release)} · indhold</p><ol>{rows}</ol></body></html>"""

