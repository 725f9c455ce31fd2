"""``--workers N``: N HTTP worker processes on one port, each accepting on a listening socket of its own.

Why not uvicorn's own ``workers=``: its supervisor binds one socket and hands it to every worker, and
whichever worker wakes first accepts every connection waiting (an accept handler loops up to the backlog
per wake-up). A kept-alive connection stays with the worker that accepted it, so a burst of connections
(a proxy filling its pool, clients starting together) stayed with one worker for as long as it lived:
the HTTP benchmark saw 32 of 32 connections on one worker and the other idle (benchmarks/README.md).

Here, on Linux, each worker binds the port itself with ``SO_REUSEPORT``. The kernel then keeps one accept
queue per socket and hands each new connection to one of them by a hash of its addresses and ports
(socket(7)), whichever worker is awake: connections spread over the workers, about evenly when there are
many, all to one only by chance (for 32 connections on 2 workers, odds of 1 in 2^31). The
trade-offs, said plainly:

- The spreading is by hash, not by load: a worker busy with slow calls still gets its share of new
  connections, and a few connections can happen to land on one worker.
- A worker that is alive but stuck (paused, or its process frozen) still gets its share of new
  connections, which wait in its queue: a shared socket would have handed them to a worker that is awake.
  The supervisor asks every worker about every half second (uvicorn's health ping, answered from a thread
  of the worker), and one that has not answered within 5 seconds is killed and replaced; the connections
  waiting in its queue are then reset (Linux does not move them to another socket), and clients retry.
- ``SO_REUSEPORT`` lets another process of the same user bind the port too and take a share. So before
  starting workers the supervisor checks, with an ordinary bind, that nothing listens on the port (a second
  hub-mcp on the same port is refused, as before), and then holds the port with a bound socket that never
  listens (it receives no connections) until it stops.

The supervisor restarts a worker that dies, stops when one could not start (it could not bind the port or
load the app: every restart would fail the same way), and on SIGINT, SIGTERM or SIGHUP stops every worker
and waits for them. Such a signal is often sent to the whole process group (Ctrl-C in a terminal, a service
manager), so it kills workers too: the supervisor looks for one before each worker's check, while it waits
for a worker's answer to its health ping, and again before replacing a dead worker, so that a worker dead of
the signal is not restarted and the exit does not wait out a ping (it took 5.1 s before, and started a
worker on the way out). A worker is spawned (a fresh interpreter) and builds its own server: it shares no Python
object with the supervisor.

Elsewhere (macOS, Windows: ``SO_REUSEPORT`` spreads nothing there, or is missing) uvicorn's supervisor with
one shared socket is used, as before.
"""

from __future__ import annotations

import logging
import pickle
import signal
import socket
import sys
import time
from types import FrameType

from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors.multiprocess import Process

log = logging.getLogger("hub_mcp.server.http")

CHECK_EVERY = 0.5
"""Seconds between two rounds of the supervisor's checks (as uvicorn's supervisor)."""
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""Signals on which the supervisor stops every worker and exits."""


def spreads_connections() -> bool:
    """Whether this system spreads connections over sockets bound with ``SO_REUSEPORT`` (Linux 3.9 on)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def port_socket(host: str, port: int, *, shared: bool) -> socket.socket:
    """A TCP socket bound to ``host:port``, not listening yet; ``shared``: with ``SO_REUSEPORT``. The
    address family as uvicorn chooses it (IPv6 when the host has a colon). Raises OSError."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if shared:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


def _where(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class Worker(Process):
    """uvicorn's worker process (it answers the supervisor's health pings from a thread and runs uvicorn's
    ``Server``), listening on a socket it binds itself, with ``SO_REUSEPORT``."""

    def target(self, sockets: list[socket.socket] | None = None) -> None:  # in the worker process
        try:
            own = port_socket(self.config.host, self.config.port, shared=True)
        except OSError as exc:
            logging.getLogger("uvicorn.error").error(
                "A hub-mcp worker could not listen on %s (%s); the server stops.",
                _where(self.config.host, self.config.port),
                exc.strerror or exc,
            )
            sys.exit(STARTUP_FAILURE)
        super().target([own])


class Supervisor:
    """Runs ``count`` :class:`Worker` processes serving ``config`` until a stop signal (see the module)."""

    def __init__(self, config: Config, count: int) -> None:
        self.config = config
        self.count = count
        self.workers: list[Worker] = []
        self._signals: list[int] = []
        self._stopping = False

    def run(self) -> None:
        held = self._hold_port()
        previous = {sig: signal.signal(sig, self._on_signal) for sig in STOP_SIGNALS}
        try:
            self.workers = [self._start() for _ in range(self.count)]
            while not self._stopping:
                time.sleep(CHECK_EVERY)
                self.keep_alive()
            log.info("stopping %d worker processes", len(self.workers))
        finally:
            for worker in self.workers:
                worker.terminate()
            for worker in self.workers:
                worker.join()
            held.close()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, sig: int, frame: FrameType | None) -> None:
        self._signals.append(sig)  # only noted here: the loop acts on it (no lock is taken in a handler)

    def _hold_port(self) -> socket.socket:
        """Check that nothing listens on the port (an ordinary bind fails if anything does), then hold it
        (port 0: the one the system chose) with a ``SO_REUSEPORT`` socket that never listens."""
        host, port = self.config.host, self.config.port
        try:
            probe = port_socket(host, port, shared=False)
            port = probe.getsockname()[1]
            probe.close()
            held = port_socket(host, port, shared=True)
        except OSError as exc:
            log.error(
                "hub-mcp cannot listen on %s (%s): stop what listens there, or choose another --port.",
                _where(host, self.config.port),
                exc.strerror or exc,
            )
            sys.exit(STARTUP_FAILURE)
        self.config.port = port
        log.info(
            "serving http://%s with %d worker processes, each on a listening socket of its own (SO_REUSEPORT)",
            _where(host, port),
            self.count,
        )
        return held

    def _start(self) -> Worker:
        worker = Worker(self.config, [])
        worker.start()
        return worker

    def keep_alive(self) -> None:
        """One round of checks: stop on a signal; replace a worker that died or stopped answering; stop
        when one could not start. A stop signal is looked at before each worker, while waiting for its answer,
        and again before a dead one is replaced: a signal sent to the whole process group (Ctrl-C in a
        terminal, a service manager) kills workers too, and one that died of it is not restarted."""
        for index, worker in enumerate(self.workers):
            if self._stop_signalled():
                return
            if self._answers(worker):
                continue
            if self._stop_signalled():  # it may have died of that very signal
                return
            hung = worker.process.is_alive()
            worker.kill()
            worker.join()
            if worker.exitcode == STARTUP_FAILURE:
                log.error("a worker process could not start (its error is above); stopping the other workers")
                self._stopping = True
                return
            if hung:
                log.warning(
                    "worker process %s did not answer for %d s: killed it (the connections waiting for it are"
                    " reset); starting another",
                    worker.pid,
                    self.config.timeout_worker_healthcheck,
                )
            else:
                log.warning("worker process %s stopped (exit status %s); starting another", worker.pid, worker.exitcode)
            self.workers[index] = self._start()

    def _stop_signalled(self) -> bool:
        """Whether the supervisor is stopping (a stop signal came): then it starts no worker."""
        if self._signals:
            self._stopping = True
        return self._stopping

    def _answers(self, worker: Worker) -> bool:
        """Whether ``worker`` is alive and answers uvicorn's health ping within the config's
        ``timeout_worker_healthcheck`` (5 s). The answer is waited for in steps of :data:`CHECK_EVERY`, between
        which a stop signal or the worker's death ends the wait (False): uvicorn's own ping waits the whole
        time, so a worker killed by the signal that stops the supervisor held its exit for 5 s."""
        if not worker.process.is_alive():
            return False
        timeout = float(self.config.timeout_worker_healthcheck)
        try:
            worker.parent_conn.send(b"ping")
            waited = 0.0
            while waited < timeout:
                step = min(CHECK_EVERY, timeout - waited)
                if worker.parent_conn.poll(step):
                    worker.parent_conn.recv()  # whether its server has started: alive either way
                    return True
                waited += step
                if self._signals or not worker.process.is_alive():
                    return False
        except (OSError, EOFError, pickle.UnpicklingError):
            return False
        return False
