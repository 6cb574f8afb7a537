"""The one retry policy: transport faults with backoff, validation failures as re-asks.

instructor runs the validated re-ask loop and takes this policy as its `max_retries`, so a
request has exactly one loop: each attempt is one HTTP call, a transient fault (429 with
Retry-After, 5xx, timeouts, dropped connections) waits and tries the same request again, and
a schema-invalid answer is re-asked at once with the error (instructor rewrites the request).
The two budgets are counted apart: `max_retries` transport retries and `reasks` re-asks;
`usage.reasks` counts every answer that failed validation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from pydantic import ValidationError
from tenacity import AsyncRetrying, RetryCallState

from summarizer._llm.failures import retry_after, transient
from summarizer._llm.usage import Meter

MAX_RETRY_AFTER = 60.0


def _is_reask(error: BaseException | None) -> bool:
    # instructor re-asks on these (its _RETRYABLE_PARSE_ERRORS): the answer, not the wire.
    return isinstance(error, ValidationError | ValueError) and not transient(error)


@dataclass(frozen=True)
class Policy:
    max_retries: int
    reasks: int
    backoff: float
    meter: Meter

    def retrying(self, *, probing: bool = False) -> AsyncRetrying:
        """A fresh policy for one request (tenacity keeps per-run state on the object)."""
        counts = {"retries": 0, "reasks": 0}

        def should_retry(state: RetryCallState) -> bool:
            error = state.outcome.exception() if state.outcome else None
            if error is None:
                return False
            if transient(error, probing=probing):
                if counts["retries"] >= self.max_retries:
                    return False
                counts["retries"] += 1
                self.meter.add(retries=1)
                return True
            if _is_reask(error) and not probing:
                self.meter.add(reasks=1)  # every answer that failed validation, re-asked or not
                counts["reasks"] += 1
                return counts["reasks"] <= self.reasks
            return False

        return AsyncRetrying(
            retry=should_retry,
            wait=self._wait,
            reraise=True,
        )

    def _wait(self, state: RetryCallState) -> float:
        """Re-asks go at once; faults wait Retry-After, else exponential backoff, full jitter."""
        error = state.outcome.exception() if state.outcome else None
        if error is None or not transient(error):
            return 0.0
        after = retry_after(error)
        if after is not None:
            return min(after, MAX_RETRY_AFTER)
        ceiling = self.backoff * 2 ** (state.attempt_number - 1)
        return random.uniform(ceiling / 2, ceiling)
