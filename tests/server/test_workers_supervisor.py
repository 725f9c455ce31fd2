"""The --workers supervisor's round of checks (hub_mcp/server/workers.py), with fake worker processes: a stop
signal that arrives while it waits for a worker's answer to its health ping. tests/e2e/test_workers.py does
the same with real processes (when hub-mcp is installed)."""

from __future__ import annotations

import signal
from typing import Any

import pytest
from uvicorn.config import Config

from hub_mcp.server import workers
from hub_mcp.server.workers import Supervisor, Worker


class DyingProcess:
    """A worker's process that dies of a signal while the supervisor waits for its answer: alive when first
    asked, dead (exit status -15) from the moment the ping is sent on."""

    def __init__(self) -> None:
        self.alive = True
        self.exitcode: int | None = None
        self.pid = 4242

    def is_alive(self) -> bool:
        return self.alive

    def die(self) -> None:
        self.alive, self.exitcode = False, -signal.SIGTERM

    def kill(self) -> None:
        self.die()

    def join(self, timeout: float | None = None) -> None:
        pass


class Pipe:
    """The supervisor's end of the ping pipe: the ping is never answered; the stop signal (sent to the whole
    process group) reaches the supervisor and kills the worker while the supervisor waits."""

    def __init__(self, supervisor: Supervisor, process: DyingProcess, signalled: bool) -> None:
        self.supervisor, self.process, self.signalled = supervisor, process, signalled

    def send(self, _: object) -> None:
        pass

    def poll(self, timeout: float | None = None) -> bool:
        self.process.die()
        if self.signalled:
            self.supervisor._on_signal(signal.SIGTERM, None)
        return False

    def recv(self) -> object:  # pragma: no cover - never answered
        raise AssertionError("no answer was sent")

    def close(self) -> None:
        pass


def dying_worker(supervisor: Supervisor, signalled: bool = True) -> Worker:
    worker = object.__new__(Worker)  # uvicorn's Process, without a real process or pipe
    process = DyingProcess()
    fake: Any = worker
    fake.config, fake.process, fake._server = supervisor.config, process, None
    fake.parent_conn = fake.child_conn = Pipe(supervisor, process, signalled)
    return worker


@pytest.mark.parametrize("signalled", [True, False], ids=["killed by the stop signal", "died alone"])
def test_a_worker_dead_of_the_stop_signal_is_not_replaced(monkeypatch: pytest.MonkeyPatch, signalled: bool) -> None:
    """The worker died of the SIGTERM sent to the whole group while the supervisor waited for its answer:
    the supervisor stops (and says nothing of a worker that stopped), it does not start another. The control:
    a worker that dies without a stop signal is replaced."""
    supervisor = Supervisor(Config(app="hub_mcp:nothing"), 2)
    started: list[Worker] = []
    monkeypatch.setattr(supervisor, "_start", lambda: started.append(object.__new__(Worker)) or started[-1])
    warned: list[str] = []
    monkeypatch.setattr(workers.log, "warning", lambda message, *args: warned.append(message % args))
    supervisor.workers = [dying_worker(supervisor, signalled), dying_worker(supervisor, signalled)]
    supervisor.keep_alive()
    if signalled:
        assert started == [] and warned == []
        assert supervisor._stopping
    else:
        assert len(started) == 2 and supervisor.workers == started and not supervisor._stopping
        assert warned == ["worker process 4242 stopped (exit status -15); starting another"] * 2
