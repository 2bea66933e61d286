"""Locust users of the load test (run by bench/load/run.py, which writes the fixture):

* ``Agent`` (200): signs in once, then reads his shifts page, his shifts through the
  API and his calendar feed, a few seconds apart;
* ``Planner`` (10): signs in once, then browses the periods, the published roster,
  its heatmap by language, his draft's grid and an agent's page, and edits his own
  draft through the API (removes a shift and adds it back: both recompute coverage).

Routes are named by their pattern, so the report has one line per route.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, events, task

FIXTURE = json.loads(open(os.environ["LOAD_FIXTURE"]).read())  # noqa: SIM115
_agents = itertools.cycle(FIXTURE["agents"])
_planners = itertools.cycle(FIXTURE["planners"])
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LANGUAGES = ("en", "de", "fr", "ja")


def sign_in(user: HttpUser, name: str, password: str) -> None:
    page = user.client.get("/login", name="/login")
    found = CSRF.search(page.text)
    token = found.group(1) if found else ""
    with user.client.post(
        "/login",
        data={"csrf_token": token, "name": name, "password": password, "next": ""},
        name="/login [POST]",
        allow_redirects=False,
        catch_response=True,
    ) as answer:
        if answer.status_code != 302:
            answer.failure(f"sign-in of {name} answered {answer.status_code}")


class Agent(HttpUser):
    fixed_count = len(FIXTURE["agents"])
    wait_time = between(3, 9)

    def on_start(self) -> None:
        self.me = next(_agents)
        self.bearer = {"Authorization": f"Bearer {self.me['token']}"}
        sign_in(self, self.me["name"], self.me["password"])

    @task(3)
    def my_shifts_page(self) -> None:
        with self.client.get(
            "/me", name="/me", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 200:  # a redirect to /login would be a lost session
                answer.failure(f"/me answered {answer.status_code}")

    @task(2)
    def calendar_feed(self) -> None:
        self.client.get(f"/ical/{self.me['feed']}.ics", name="/ical/[token].ics")

    @task(1)
    def my_shifts_api(self) -> None:
        self.client.get("/api/v1/me/shifts", headers=self.bearer, name="/api/v1/me/shifts")


class Planner(HttpUser):
    fixed_count = len(FIXTURE["planners"])
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.me = next(_planners)
        self.bearer = {"Authorization": f"Bearer {self.me['token']}"}
        self.draft = self.me["draft"]
        sign_in(self, self.me["name"], self.me["password"])
        self.shifts: list[dict] = []

    @task(2)
    def periods(self) -> None:
        self.client.get("/periods", name="/periods")
        self.client.get(f"/periods/{FIXTURE['period_id']}", name="/periods/[id]")

    @task(2)
    def published_roster(self) -> None:
        self.client.get(f"/rosters/{FIXTURE['published']}", name="/rosters/[id]")

    @task(1)
    def heatmap_language(self) -> None:
        language = random.choice(LANGUAGES)
        self.client.get(
            f"/rosters/{FIXTURE['published']}?language={language}",
            name="/rosters/[id]?language",
        )

    @task(2)
    def grid(self) -> None:
        self.client.get(f"/rosters/{self.draft}/grid", name="/rosters/[id]/grid")

    @task(1)
    def agent_page(self) -> None:
        code = random.choice(FIXTURE["agent_codes"])
        self.client.get(f"/rosters/{self.draft}/agents/{code}", name="/rosters/[id]/agents/[code]")

    @task(2)
    def edit(self) -> None:
        """Remove one of his draft's shifts, then add it back."""
        if not self.shifts:
            answer = self.client.get(
                f"/api/v1/rosters/{self.draft}?per_page=200",
                headers=self.bearer,
                name="/api/v1/rosters/[id]",
            )
            self.shifts = [a for a in answer.json()["assignments"] if not a["locked"]]
            random.shuffle(self.shifts)
        if not self.shifts:
            return
        shift = self.shifts.pop()
        with self.client.delete(
            f"/api/v1/assignments/{shift['id']}",
            headers=self.bearer,
            name="/api/v1/assignments/[id] [DELETE]",
            catch_response=True,
        ) as removed:
            if removed.status_code == 422:  # removing it would break a rule: fine, skip it
                removed.success()
                return
        with self.client.post(
            f"/api/v1/rosters/{self.draft}/assignments",
            headers=self.bearer,
            json={
                "agent_id": shift["agent_id"],
                "date": shift["date"],
                "shift": shift["shift"],
                "locked": False,
            },
            name="/api/v1/rosters/[id]/assignments [POST]",
            catch_response=True,
        ) as added:
            if added.status_code == 201:
                shift["id"] = added.json()["assignment"]["id"]
                self.shifts.insert(0, shift)


@events.quitting.add_listener
def _exit_code(environment, **_kwargs) -> None:
    """Exit 1 when any request failed (the runner still writes the report)."""
    if environment.stats.total.num_failures:
        environment.process_exit_code = 1
