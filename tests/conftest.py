from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# CI runs on a small, shared machine: no per-example deadline, and a fixed
# seed there so that a red run can be reproduced exactly.
settings.register_profile(
    "ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
