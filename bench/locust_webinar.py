"""The webinar: every viewer arrives on the same profile within 10 s, then all click the same control at the same
moment, as the host asks them to: choose the year 2020, open the Skole area, go back to the overview, and round
again every 20 s while at least LAST_CLICK seconds of the run remain.

A LoadTestShape spawns `-u` users in 10 s and ends the run after `-t`; each click waits until its moment, counted
from the test's start, so the clicks of all viewers fall in the same instant (the first one too).
Run: `.venv/bin/python bench/bench_load.py --webinar`, or against a running app:
`.venv/bin/locust -f bench/locust_webinar.py --headless -u 300 -t 60s --host http://127.0.0.1:8050`.
Reads HTTP responses; writes only locust's statistics.
"""
from __future__ import annotations

import time

import gevent
from dashbrowser import NAMES, DashBrowser, year_address
from locust import LoadTestShape, constant, events, task

KODE = "101"
ARRIVAL = 10        # s in which all viewers arrive
FIRST_CLICK = 20    # s after the start: everyone has arrived and their page has settled
BETWEEN_CLICKS = 20
LAST_CLICK = 10     # s before the end: no click later than this, so every click's requests finish in the run
START = [time.monotonic()]


@events.test_start.add_listener
def remember_start(**_) -> None:
    START[0] = time.monotonic()


class WebinarViewer(DashBrowser):
    wait_time = constant(0)   # each click waits for its own moment

    def on_start(self) -> None:
        super().on_start()
        self.clicks = 0
        self.open(f"/kommune/{KODE}", "", "webinar: profile", (NAMES[KODE],))

    @task
    def click_with_everyone(self) -> None:
        """Wait for the next click's moment, counted from the test's start, then click. Locust runs a user's first
        task at once after on_start, so the task itself waits (a wait_time would only follow it)."""
        at = FIRST_CLICK + BETWEEN_CLICKS * self.clicks
        if at > self.environment.parsed_options.run_time - LAST_CLICK:
            at = 10 * self.environment.parsed_options.run_time   # the host has finished: watch until the end
        gevent.sleep(max(0.0, START[0] + at - time.monotonic()))
        step = self.clicks % 3
        self.clicks += 1
        if step == 0:   # the year picker: the browser builds the address (assets/navigation.js), the server renders it
            self.follow(year_address(self.prop("profil-kontekst", "data"), "2020"), "webinar: year switch",
                        (NAMES[KODE],))
        else:
            tab = self.hrefs(r"omraade=skole" if step == 1 else rf"^/kommune/{KODE}(\?aar=\d+)?$")
            self.follow(tab[0], "webinar: area switch" if step == 1 else "webinar: overview", (NAMES[KODE],))


class WebinarShape(LoadTestShape):
    """`-u` viewers within ARRIVAL seconds, then steady until `-t` has passed."""

    use_common_options = True

    def tick(self):
        options = self.runner.environment.parsed_options
        if self.get_run_time() >= options.run_time:
            return None
        return options.num_users, options.num_users / ARRIVAL
