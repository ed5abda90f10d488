"""uvicorn's server, with a drain before it stops: what a rolling restart or a scale-down needs.

On SIGTERM (or Ctrl-C) the answers in flight, chat and API alike, finish; new questions and /healthz
get 503 meanwhile, so that a proxy or an orchestrator sends users elsewhere. After `grace_s`, or
once nothing is in flight, uvicorn stops as usual. A second signal stops at once.
"""

from __future__ import annotations

import logging
import threading
from types import FrameType

import uvicorn

from ui.service import AnswerService

log = logging.getLogger(__name__)


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, service: AnswerService, grace_s: float) -> None:
        super().__init__(config)
        self.service, self.grace_s = service, grace_s
        self._draining: threading.Thread | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._draining is not None:
            super().handle_exit(sig, frame)
            return
        # Waiting here would block the event loop that is finishing the answers: wait in a thread.
        self._draining = threading.Thread(target=self._drain, args=(sig, frame), name="drain", daemon=True)
        self._draining.start()

    def _drain(self, sig: int, frame: FrameType | None) -> None:
        left = self.service.stop(self.grace_s)
        if left:
            log.warning("stopping with %d answers still running after %.0f s", left, self.grace_s)
        super().handle_exit(sig, frame)
