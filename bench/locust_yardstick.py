"""The yardstick comparison under light load: the profile page's router callback against the yardstick app's one
callback (bench/yardstick.py), a few users each, at the same time on the same machine.

ProfileRender opens a profile and then renders other municipalities' profiles, as clicks inside the app do, each
municipality once: run on a freshly started (so warmed) app, no render comes from the render cache, while the answers
all municipalities share are warm, as after any start;
YardstickUser loads the yardstick page and then asks its callback for a random year (one query each time).
bench/bench_load.py runs this before the main run and prints the ratio of the two medians (target ≤ 1.5).
Reads KDK_YARDSTICK_HOST (the yardstick's base URL; the app is locust's --host) and HTTP responses; writes only
locust's statistics.
"""
from __future__ import annotations

import os
import random

from dashbrowser import NAMES, DashBrowser, contains, municipalities
from locust import between, task

YEARS = [str(y) for y in range(2015, 2023)]
UNSEEN: list[str] = []   # municipalities not yet rendered, in random order, shared by the ProfileRender users


class ProfileRender(DashBrowser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        super().on_start()
        self.open("/kommune/101", "", "profile", (NAMES["101"],))

    @task
    def render(self) -> None:
        if not UNSEEN:
            UNSEEN.extend(random.sample([k for k in municipalities() if k != "101"], len(NAMES) - 1))
        kode = UNSEEN.pop()
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
