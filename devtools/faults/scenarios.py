"""The faults, the simulated members' load during each, and the checks afterwards.

For every scenario: members sign up and send inquiries over HTTP while the fault is
injected; each answer is recorded. Afterwards, with a bounded wait for recovery:
- every action that got a success answer must be stored in PostgreSQL ("lost" if not);
- every stored action is owed its email (the verification email of a sign-up, the
  inquiry notification to the listing's owner), which must reach the SMTP sink exactly
  once ("duplicated" and "missing" are counted apart; an email for an action that was
  not stored counts as "phantom");
- /healthz, the home page and the catalogue must answer 200 again, from the same
  gunicorn master process (the portal recovers without a restart).
"""

import email
import json
import secrets
import signal
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

import redis
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.db import close_old_connections, connection
from django.utils import timezone

from accounts.models import StakeholderType
from common.reference.models import CooperationType, Sector
from technologies import services as technology_services
from technologies.models import Inquiry, Technology, TechnologyStatus

from . import users
from .stack import Stack, wait_for

SIGNUP_SUBJECT = "Confirm Your Email Address"
INQUIRIES_PER_MEMBER = 9  # below WIITS_INQUIRIES_PER_DAY (10): the daily limit is not what is tested


@dataclass
class Profile:
    """How hard and how long: the full run (by hand) or the short one (CI)."""

    name: str
    threads: int
    load_seconds: float
    pace: float  # each simulated member's pause between two actions
    freeze_seconds: float
    smtp_down_seconds: float
    mail_wait: float  # how long owed emails may take once the fault is over (beat ticks every 60 s)
    duplicate_actions: int


FULL = Profile("full", 4, 24, 0.3, 35, 120, 100, 12)
SHORT = Profile("short", 3, 9, 0.4, 8, 20, 80, 6)


@dataclass
class Result:
    name: str
    title: str
    outcomes: list = field(default_factory=list)
    lost: list = field(default_factory=list)
    stored_not_confirmed: int = 0
    owed: int = 0
    delivered_once: int = 0
    duplicated: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    phantom: list = field(default_factory=list)
    portal_recovery: float | None = None
    mail_recovery: float | None = None
    sweep_run: str = "no"
    master_pid_same: bool = False
    workers_replaced: int = 0
    notes: list = field(default_factory=list)
    duplicates_allowed: bool = False

    def count(self, result: str) -> int:
        return sum(1 for o in self.outcomes if o.result == result)

    @property
    def attempted(self) -> int:
        return len(self.outcomes)

    def latency(self) -> tuple[float, float]:
        times = [o.seconds for o in self.outcomes if o.result == "ok"]
        return (statistics.median(times), max(times)) if times else (0.0, 0.0)

    @property
    def passed(self) -> bool:
        return (
            not self.lost
            and not self.missing
            and not self.phantom
            and (self.duplicates_allowed or not self.duplicated)
            and self.portal_recovery is not None
            and self.master_pid_same
        )


class Mailbox:
    """What the SMTP sink stored, parsed once per file."""

    def __init__(self, spool: Path):
        self.spool = spool
        self.messages: dict[str, dict] = {}

    def refresh(self) -> list[dict]:
        for path in sorted(self.spool.glob("*.json")):
            if path.name in self.messages:
                continue
            record = json.loads(path.read_text())
            parsed = email.message_from_string(record["data"], policy=policy.default)
            texts = []
            for part in parsed.walk():
                if part.get_content_maintype() == "text":
                    texts.append(part.get_content())
            self.messages[path.name] = {
                "to": [address.lower() for address in record["rcpt_tos"]],
                "subject": str(parsed["Subject"] or ""),
                "message_id": str(parsed["Message-ID"] or ""),
                "text": "\n".join(texts),
            }
        return list(self.messages.values())

    def counts(self, *, signups: set[str], tokens: set[str]) -> Counter:
        counter: Counter = Counter()
        for message in self.refresh():
            if SIGNUP_SUBJECT in message["subject"]:
                for address in message["to"]:
                    if address in signups:
                        counter[("signup", address)] += 1
            else:
                # Tokens end with a full stop, so FAULT-x-1. is not found inside FAULT-x-11.
                for token in tokens:
                    if f"{token}." in message["text"]:
                        counter[("inquiry", token)] += 1
        return counter


class Run:
    def __init__(self, stack: Stack, profile: Profile, log):
        self.stack = stack
        self.profile = profile
        self.log = log
        self.run_id = secrets.token_hex(3)
        self.mailbox = Mailbox(stack.spool)
        self.members: list[users.Browser] = []
        self.member_uses: Counter = Counter()
        self.member_lock = threading.Lock()
        self.serial = 0
        self.serial_lock = threading.Lock()
        self.results: list[Result] = []
        self.master_pid = None

    # --- setup -----------------------------------------------------------------------------

    def seed(self) -> None:
        """A published listing and the members who send inquiries, signed in.

        Their sessions are written as Django's own login writes them (the inquiry, not
        the sign-in, is what the faults are aimed at).
        """
        user_model = get_user_model()
        password = make_password(secrets.token_urlsafe(16))  # hashed once: nobody signs in with it
        owner = user_model.objects.create(
            email=f"owner-{self.run_id}@example.org",
            name="Listing Owner",
            password=password,
            stakeholder_type=StakeholderType.TECHNOLOGY_INNOVATOR,
            country="KE",
        )
        EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
        technology = technology_services.technology_create(
            owner=owner,
            fields={
                "title": f"Fault-tolerant solar dryer {self.run_id}",
                "summary": "A solar dryer used by the fault-injection run.",
                "description": "Air heated by the sun flows through trays of produce.",
                "advantages": "No fuel.",
                "sector": Sector.objects.order_by("pk").first(),
                "trl": 7,
                "country_developed": "KE",
            },
            cooperation=CooperationType.objects.all(),
        )
        Technology.objects.filter(pk=technology.pk).update(
            status=TechnologyStatus.PUBLISHED,
            published_at=timezone.now(),
            valid_until=timezone.localdate() + timezone.timedelta(days=365),
        )
        self.slug = technology.slug
        self.cooperation = CooperationType.objects.order_by("pk").first().pk
        self.owner_email = owner.email
        per_scenario = int(self.profile.load_seconds * self.profile.threads / self.profile.pace / 2) + 5
        count = 7 * (per_scenario + self.profile.duplicate_actions) // INQUIRIES_PER_MEMBER + 5
        for n in range(count):
            member = user_model.objects.create(
                email=f"member-{self.run_id}-{n}@example.org",
                name=f"Inquirer {n}",
                password=password,
                stakeholder_type=StakeholderType.INDUSTRIAL_MANUFACTURER,
                country="KE",
            )
            EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
            session = SessionStore()
            session["_auth_user_id"] = str(member.pk)
            session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
            session["_auth_user_hash"] = member.get_session_auth_hash()
            session.create()
            browser = users.Browser(self.stack.ports["web"])
            browser.cookies["sessionid"] = session.session_key
            self.members.append(browser)
        self.log(f"seeded: listing /technologies/{self.slug}/, {count} signed-in members")

    # --- load ------------------------------------------------------------------------------

    def _next(self, prefix: str) -> str:
        with self.serial_lock:
            self.serial += 1
            return f"{prefix}{self.serial}"

    def _member(self) -> users.Browser:
        with self.member_lock:
            for browser in self.members:
                if self.member_uses[browser.address] < INQUIRIES_PER_MEMBER:
                    self.member_uses[browser.address] += 1
                    return browser
        raise RuntimeError("no member left who may send an inquiry today: raise the pool")

    def action(self, scenario: str, kind: str) -> users.Outcome:
        port = self.stack.ports["web"]
        if kind == "signup":
            address = f"signup-{self.run_id}-{self._next(scenario + '-')}@example.org"
            return users.sign_up(port, email=address, stakeholder_type=StakeholderType.TECHNOLOGY_INNOVATOR)
        token = f"FAULT-{self.run_id}-{self._next(scenario + '-')}"
        return users.inquire(self._member(), slug=self.slug, cooperation=self.cooperation, token=token)

    def load(self, scenario: str, seconds: float, outcomes: list) -> threading.Thread:
        """Simulated members act for `seconds` in background threads."""
        deadline = time.monotonic() + seconds
        lock = threading.Lock()

        def member_loop(index: int) -> None:
            kinds = ["signup", "inquiry"] if index % 2 else ["inquiry", "signup"]
            n = 0
            while time.monotonic() < deadline:
                outcome = self.action(scenario, kinds[n % 2])
                with lock:
                    outcomes.append(outcome)
                n += 1
                time.sleep(self.profile.pace)

        threads = [threading.Thread(target=member_loop, args=(i,), daemon=True) for i in range(self.profile.threads)]
        for thread in threads:
            thread.start()

        def join_all() -> None:
            for thread in threads:
                thread.join()

        joiner = threading.Thread(target=join_all, daemon=True)
        joiner.start()
        return joiner

    # --- checks ----------------------------------------------------------------------------

    def portal_ok(self) -> bool:
        browser = users.Browser(self.stack.ports["web"], timeout=10)
        try:
            return all(browser.get(path).status == 200 for path in ("/healthz", "/", "/technologies/"))
        except OSError:
            return False

    def stored(self, outcomes: list) -> tuple[set[str], set[str]]:
        signups = {o.key for o in outcomes if o.kind == "signup"}
        tokens = {o.key for o in outcomes if o.kind == "inquiry"}
        for _attempt in range(30):
            close_old_connections()
            connection.close()
            try:
                stored_signups = set(
                    get_user_model().objects.filter(email__in=signups).values_list("email", flat=True)
                )
                messages = Inquiry.objects.filter(message__in=[f"Inquiry {t}." for t in tokens]).values_list(
                    "message", flat=True
                )
                return stored_signups, {m.removeprefix("Inquiry ").removesuffix(".") for m in messages}
            except Exception as error:  # the database may still be coming back
                self.log(f"  database not ready for the check yet: {type(error).__name__}")
                time.sleep(1)
        raise RuntimeError("the database did not come back within 30 s")

    def check(self, result: Result, *, fault_over: float, pid_before: int, workers_before: set[int]) -> None:
        try:
            wait_for(self.portal_ok, timeout=90, what="the portal")
            result.portal_recovery = time.monotonic() - fault_over
        except TimeoutError:
            result.portal_recovery = None
            result.notes.append("the portal did not answer 200 within 90 s")
        result.master_pid_same = self.stack.services["gunicorn"].alive() and (
            self.stack.services["gunicorn"].pid == pid_before
        )
        result.workers_replaced = len(workers_before - self.stack.gunicorn_workers())

        stored_signups, stored_tokens = self.stored(result.outcomes)
        ok = [o for o in result.outcomes if o.result == "ok"]
        result.lost = [o.key for o in ok if o.key not in (stored_signups if o.kind == "signup" else stored_tokens)]
        result.stored_not_confirmed = sum(
            1
            for o in result.outcomes
            if o.result != "ok" and o.key in (stored_signups if o.kind == "signup" else stored_tokens)
        )
        owed = {("signup", a) for a in stored_signups} | {("inquiry", t) for t in stored_tokens}
        result.owed = len(owed)
        signups = {o.key for o in result.outcomes if o.kind == "signup"}
        tokens = {o.key for o in result.outcomes if o.kind == "inquiry"}

        def all_arrived() -> bool:
            counts = self.mailbox.counts(signups=signups, tokens=tokens)
            return all(counts[key] >= 1 for key in owed)

        try:
            wait_for(all_arrived, timeout=self.profile.mail_wait, interval=1, what="the owed emails")
            result.mail_recovery = time.monotonic() - fault_over
        except TimeoutError:
            # What production does next: the sweep (beat every 15 minutes, or by hand).
            result.sweep_run = "yes, after the wait"
            self.log("  owed emails still missing after the wait: running `manage.py sweep_mail`")
            self.log("  " + self.stack.manage("sweep_mail").stdout.strip())
            try:
                wait_for(all_arrived, timeout=20, interval=1, what="the owed emails")
                result.mail_recovery = time.monotonic() - fault_over
            except TimeoutError:
                result.mail_recovery = None
        time.sleep(2)  # a late duplicate has a moment to arrive
        counts = self.mailbox.counts(signups=signups, tokens=tokens)
        result.delivered_once = sum(1 for key in owed if counts[key] == 1)
        result.duplicated = sorted(key[1] for key in owed if counts[key] > 1)
        result.missing = sorted(key[1] for key in owed if counts[key] == 0)
        result.phantom = sorted(key[1] for key, n in counts.items() if n and key not in owed)

    # --- the scenarios ---------------------------------------------------------------------

    def scenario(self, name: str, title: str, inject, *, load_seconds: float | None = None, **flags) -> Result:
        """Run the load for `load_seconds`, call `inject(result)` meanwhile, then check."""
        self.log(f"== {name}: {title}")
        result = Result(name=name, title=title, **flags)
        pid_before = self.stack.services["gunicorn"].pid
        workers_before = self.stack.gunicorn_workers()
        joiner = self.load(name, load_seconds or self.profile.load_seconds, result.outcomes)
        inject(result)
        joiner.join()
        fault_over = getattr(result, "fault_over", None) or time.monotonic()
        self.check(result, fault_over=fault_over, pid_before=pid_before, workers_before=workers_before)
        median, slowest = result.latency()
        self.log(
            f"  actions {result.attempted}: ok {result.count('ok')}, refused {result.count('refused')}, "
            f"5xx {result.count('error')}, no answer {result.count('no answer')}, lost {len(result.lost)}; "
            f"emails owed {result.owed}, once {result.delivered_once}, duplicated {len(result.duplicated)}, "
            f"missing {len(result.missing)}, phantom {len(result.phantom)}; portal back "
            f"{_seconds(result.portal_recovery)}, mail {_seconds(result.mail_recovery)}; "
            f"latency median {median:.2f}s max {slowest:.2f}s; master PID same: {result.master_pid_same}"
        )
        for note in result.notes:
            self.log(f"  note: {note}")
        self.results.append(result)
        return result

    def _third(self) -> float:
        return self.profile.load_seconds / 3

    def baseline(self) -> Result:
        def inject(result):
            result.fault_over = None

        return self.scenario("baseline", "no fault (control)", inject)

    def redis_stop(self) -> Result:
        def inject(result):
            time.sleep(self._third())
            self.stack.services["redis"].stop()
            self.log("  Redis stopped (SIGTERM; every queued task message in it is lost)")
            time.sleep(self._third())
            self.stack.start_redis()
            self.log("  Redis started again on the same port, empty")
            result.fault_over = time.monotonic()

        return self.scenario("redis-stop", "Redis stopped during a burst of sign-ups and inquiries", inject)

    def redis_freeze(self) -> Result:
        def inject(result):
            time.sleep(self._third())
            self.stack.services["redis"].signal_group(signal.SIGSTOP)
            self.log(f"  Redis frozen (SIGSTOP) for {self.profile.freeze_seconds:.0f} s")
            time.sleep(self.profile.freeze_seconds)
            self.stack.services["redis"].signal_group(signal.SIGCONT)
            self.log("  Redis resumed (SIGCONT)")
            result.fault_over = time.monotonic()

        return self.scenario("redis-freeze", "Redis frozen (SIGSTOP) then resumed", inject)

    def worker_kill(self) -> Result:
        """A slow SMTP server and a worker that is SIGKILLed while it sends."""

        def inject(result):
            worker = self.stack.services["worker"]
            self.stack.sink_delay_file.write_text("0.3")
            baseline = len(self.mailbox.refresh())
            try:
                wait_for(
                    lambda: len(self.mailbox.refresh()) >= baseline + 3,
                    timeout=self.profile.load_seconds,
                    what="sending to start",
                )
            except TimeoutError:
                result.notes.append("sending had not started when the worker was killed")
            worker.kill()
            self.log("  worker killed with SIGKILL while sending (master and pool processes)")
            time.sleep(2)
            self.stack.start_worker()
            self.log("  worker started again, as a supervisor (systemd Restart=always) would")
            result.fault_over = time.monotonic()
            self.stack.sink_delay_file.write_text("0")

        return self.scenario(
            "worker-kill", "Celery worker killed (SIGKILL) in the middle of sending", inject, duplicates_allowed=True
        )

    def postgres_restart(self) -> Result:
        def inject(result):
            time.sleep(self._third())
            started = time.monotonic()
            self.stack.restart_postgres()
            took = time.monotonic() - started
            self.log(f"  PostgreSQL restarted (fast shutdown: open connections cut) in {took:.1f} s")
            result.fault_over = time.monotonic()

        return self.scenario("postgres-restart", "PostgreSQL restarted under load", inject)

    def smtp_down(self) -> Result:
        down = self.profile.smtp_down_seconds

        def inject(result):
            self.stack.services["smtp"].stop()
            self.log(f"  SMTP sink stopped for {down:.0f} s")
            time.sleep(down)
            self.stack.start_smtp()
            self.log("  SMTP sink back; running `manage.py sweep_mail` (what beat's 15-minute sweep does)")
            result.fault_over = time.monotonic()
            output = self.stack.manage("sweep_mail")
            self.log("  " + (output.stdout.strip() or output.stderr.strip()[-300:]))
            result.sweep_run = "yes, as the operator or beat's 15-minute sweep would"

        return self.scenario(
            "smtp-down",
            f"SMTP server down for {down:.0f} s",
            inject,
            load_seconds=min(self.profile.load_seconds, down * 0.8),
        )

    def duplicate_task(self) -> Result:
        """Every send task delivered twice by the broker, plus two sweeps at the same moment."""

        def inject(result):
            worker = self.stack.services["worker"]
            worker.stop()
            self.log("  worker stopped; tasks of the burst wait in Redis")
            joiner_wait = self.profile.load_seconds * 0.6
            time.sleep(joiner_wait)
            client = redis.Redis(port=self.stack.ports["redis"])
            waiting = client.lrange("celery", 0, -1)
            for raw in waiting:
                client.rpush("celery", raw)  # the same message, same task id, a second time
            self.log(f"  {len(waiting)} task messages in the queue, each now delivered twice")
            sweeps = [threading.Thread(target=self.stack.manage, args=("sweep_mail",), daemon=True) for _ in range(2)]
            worker.start()
            for sweep in sweeps:
                sweep.start()
            for sweep in sweeps:
                sweep.join()
            result.notes.append(
                f"{len(waiting)} task messages duplicated in the broker; two `sweep_mail` ran alongside the worker"
            )
            result.fault_over = time.monotonic()

        return self.scenario("duplicate-task", "the same send task delivered twice", inject)

    def run_all(self) -> list[Result]:
        self.master_pid = self.stack.services["gunicorn"].pid
        for scenario in (
            self.baseline,
            self.redis_stop,
            self.redis_freeze,
            self.worker_kill,
            self.postgres_restart,
            self.smtp_down,
            self.duplicate_task,
        ):
            scenario()
        return self.results


def _seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:.1f}s"
