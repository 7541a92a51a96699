"""The yardstick comparison under light load: the profile page's router callback against the yardstick app's one
callback (bench/yardstick.py), a few users each, at the same time on the same machine.

ProfileRender opens a profile and then renders random municipalities' profiles, as clicks inside the app do;
YardstickUser loads the yardstick page and then asks its callback for a random year. bench/bench_load.py runs this
after the main run and prints the ratio of the two medians (target ≤ 1.5).
Reads KDK_YARDSTICK_HOST (the yardstick's base URL; the app is locust's --host) and HTTP responses; writes only
locust's statistics.
"""
from __future__ import annotations

import os
import random

from dashbrowser import NAMES, DashBrowser, contains, municipalities
from locust import between, task

YEARS = [str(y) for y in range(2015, 2023)]


class ProfileRender(DashBrowser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        super().on_start()
        self.open("/kommune/101", "", "profile", (NAMES["101"],))

    @task
    def render(self) -> None:
        kode = random.choice(municipalities())
        self.navigate(f"/kommune/{kode}", "", "profile", (NAMES[kode],))


class YardstickUser(DashBrowser):
    wait_time = between(0.5, 1.5)

    def __init__(self, environment) -> None:
        self.host = os.environ["KDK_YARDSTICK_HOST"]   # locust gives every user class --host; this one has its own
        super().__init__(environment)

    def on_start(self) -> None:
        super().on_start()
        self.load("/", "yardstick: ")

    @task
    def chart(self) -> None:
        self.control("aar", random.choice(YEARS), "yardstick", contains('"type":"bar"', "København"))
