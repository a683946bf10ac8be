"""The optional C hot path of the business calendar (everything else is in pyproject.toml).

``caredesk.core._calendar_accel`` is built when a C compiler and the Python headers are
at hand; ``optional=True`` makes a failed build a warning, and the calendar then runs its
pure-Python path, which gives the same answers (see ``calendar.use_accelerator``).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "caredesk.core._calendar_accel",
            ["src/caredesk/core/_calendar_accel.c"],
            optional=True,
        )
    ]
)
