"""The load test's mixed users: what municipal analysts do in Kend din kommune, as their browsers do it.

- ProfileBrowser: opens a municipality's profile, switches data area (a tab link), year (the `profil-aar` picker)
  and municipality (the header's picker). The pickers' new address is built in the browser (assets/navigation.js),
  so only the router's render of it reaches the server.
- ThemeUser: the heavy theme page `/tema/rekruttering?kommune=…`, switching municipality with its picker (also
  built in the browser).
- MatrixUser: the comparison page's 98 × 98 heatmap (`fane=matrice`), its sort order, and the group tab.
- DownloadUser: an area in depth, then the CSV links under its charts (`/api/v1/data?…&format=csv`).
- LoginUser: signs in as a reader (`/login` with its CSRF token), opens the restricted Udsatte børn og unge area (only a
  signed-in reader may), and signs out (the button on /logout: a POST with its CSRF token).

Users are drawn in the ratio 5 : 2 : 1 : 1 : 1 (as listed) and think 3–10 s between actions. Every request is
checked (bench/dashbrowser.py) and a failed check counts as an error. Readers for LoginUser come from
KDK_LOAD_READERS (comma-separated names) and KDK_LOAD_PASSWORD; bench/bench_load.py creates them with
`python -m kdk users add`.

Run: `.venv/bin/python bench/bench_load.py` (starts everything), or against a running app:
`.venv/bin/locust -f bench/locustfile.py --headless -u 300 -r 10 -t 60s --host http://127.0.0.1:8050`.
Reads HTTP responses; writes only locust's statistics.
"""
from __future__ import annotations

import os
import random
import re
from urllib.parse import quote, urlencode

from dashbrowser import NAMES, DashBrowser, contains, municipalities, status, year_address
from locust import task

THEME = "rekruttering"
READERS = [n for n in os.environ.get("KDK_LOAD_READERS", "").split(",") if n]
PASSWORD = os.environ.get("KDK_LOAD_PASSWORD", "")
RESTRICTED = "ubu"
RESTRICTED_FIGURE = "Underretninger pr. 1.000 0-17-årige"   # a restricted figure (adgang = "begraenset") of ubu
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def another(kode: str) -> str:
    """A municipality other than the one shown: choosing the shown one again changes nothing."""
    return random.choice([k for k in municipalities() if k != kode])


class ProfileBrowser(DashBrowser):
    weight = 5

    def on_start(self) -> None:
        super().on_start()
        self.kode = random.choice(municipalities())
        self.open(f"/kommune/{self.kode}", "", "profile", self.expect())

    def expect(self) -> tuple[str, ...]:
        # the profile with its year picker: an area in a year without its figures shows rows "uden tal", no cards
        return (NAMES[self.kode], "profil-aar")

    @task(3)
    def switch_area(self) -> None:
        tabs = self.hrefs(r"^/kommune/\d+(\?|$)")   # the overview and the areas, not the page /kommune/…/nyt
        if tabs:
            self.follow(random.choice(tabs), "area switch", self.expect())

    @task(2)
    def switch_year(self) -> None:
        shown = self.prop("profil-aar", "value")
        years = [o["value"] for o in self.prop("profil-aar", "options") or [] if o["value"] != shown]
        if not years:
            return
        self.follow(year_address(self.prop("profil-kontekst", "data"), random.choice(years)), "year switch",
                    self.expect())

    @task(1)
    def switch_municipality(self) -> None:
        kode = another(self.kode)
        if self.follow(f"/kommune/{kode}", "profile", (NAMES[kode], "noegletal-kort")):
            self.kode = kode


class ThemeUser(DashBrowser):
    weight = 2

    def on_start(self) -> None:
        super().on_start()
        self.open_theme()

    def expect(self) -> tuple[str, ...]:
        return (NAMES[self.kode], "at være opmærksom på")

    @task(1)
    def open_theme(self) -> None:
        self.kode = random.choice(municipalities())
        self.open(f"/tema/{THEME}", f"?kommune={self.kode}", "theme", self.expect())

    @task(3)
    def switch_municipality(self) -> None:
        kode = another(self.kode)
        if self.follow(f"/tema/{THEME}?kommune={kode}", "theme", (NAMES[kode], "at være opmærksom på")):
            self.kode = kode


class MatrixUser(DashBrowser):
    weight = 1

    def on_start(self) -> None:
        super().on_start()
        self.kode = random.choice(municipalities())
        self.open("/sammenligning", f"?kommune={self.kode}&sammenligningsomraade=skole&fane=matrice", "matrix",
                  (NAMES[self.kode], "heatmap"))

    def tab(self, pattern: str, view: str, expect: str) -> None:
        links = self.hrefs(pattern)
        if links:
            self.follow(random.choice(links), view, (NAMES[self.kode], expect))

    @task(2)
    def group_tab(self) -> None:
        self.tab(r"fane=gruppe", "group tab", "Sammenlignelige kommuner")

    @task(2)
    def matrix_tab(self) -> None:
        self.tab(r"fane=matrice", "matrix", "heatmap")

    @task(1)
    def sort_matrix(self) -> None:
        self.tab(r"fane=matrice.*sorter=", "matrix sorted", "heatmap")


class DownloadUser(DashBrowser):
    weight = 1

    def on_start(self) -> None:
        super().on_start()
        self.kode = random.choice(municipalities())
        self.open(f"/kommune/{self.kode}", "", "profile", (NAMES[self.kode],))
        self.area_in_depth()

    @task(1)
    def area_in_depth(self) -> None:
        areas = self.hrefs(r"^/kommune/\d+\?omraade=")
        if areas:
            self.follow(random.choice(areas), "area switch", (NAMES[self.kode], "Hent data"))

    @task(4)
    def download_csv(self) -> None:
        links = self.hrefs(r"^/api/v1/data\?.*format=csv")
        if links:
            self.fetch("GET", random.choice(links), "CSV /api/v1/data", csv_with_rows)


def csv_with_rows(r) -> str | None:
    if r.status_code != 200:
        return status(r)
    if not r.headers.get("Content-Type", "").startswith("text/csv"):
        return f"not CSV: {r.headers.get('Content-Type')}"
    lines = r.text.splitlines()
    if not lines[0].lstrip("\ufeff").startswith("NOEGLETAL_ID;") or len(lines) < 2:
        return "CSV without its header or rows"
    return None


class LoginUser(DashBrowser):
    weight = 1

    @task
    def session(self) -> None:
        if not READERS:
            raise RuntimeError("LoginUser needs KDK_LOAD_READERS and KDK_LOAD_PASSWORD (see bench/bench_load.py)")
        self.kode = random.choice(municipalities())
        target = f"/kommune/{self.kode}?omraade={RESTRICTED}"
        login = f"/login?next={quote(target, safe='')}"
        form = self.fetch("GET", login, "GET /login", contains("csrf_token"))
        if form is None:
            return
        data = urlencode({"username": random.choice(READERS), "password": PASSWORD,
                          "csrf_token": CSRF.search(form.text)[1]})
        signed_in = self.fetch("POST", login, "POST /login", redirect_to(target), data=data, allow_redirects=False,
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        if signed_in is None:
            return
        # Only a signed-in reader gets the restricted area: an anonymous visitor gets HTTP 400 for this address.
        self.open(f"/kommune/{self.kode}", f"?omraade={RESTRICTED}", "restricted area (signed in)",
                  (NAMES[self.kode], RESTRICTED_FIGURE))
        self.wait()
        self.navigate(f"/kommune/{self.kode}", "", "profile", (NAMES[self.kode], "Sygefravær"))
        self.wait()
        button = self.fetch("GET", "/logout", "GET /logout", contains("csrf_token"))   # only shows the button
        if button is None:
            return
        self.fetch("POST", "/logout", "POST /logout", redirect_to("/"), allow_redirects=False,
                   data=urlencode({"csrf_token": CSRF.search(button.text)[1]}),
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.client.cookiejar.clear()


def redirect_to(path: str):
    def check(r) -> str | None:
        if r.status_code != 302:
            return status(r)
        location = re.sub(r"^https?://[^/]+", "", r.headers.get("Location", ""))
        return None if location == path else f"redirected to {location}"
    return check
