"""The backend pin a wheel's WHEEL Generator names (what --search tries for a wheel)."""

import pytest

from verifier.wheel.generator import generator_pin


@pytest.mark.parametrize(
    ("generator", "pin"),
    [
        ("flit 3.9.0", "flit_core==3.9.0"),
        ("hatchling 1.21.1", "hatchling==1.21.1"),
        ("bdist_wheel (0.41.2)", "wheel==0.41.2"),
        ("setuptools (75.1.0)", "setuptools==75.1.0"),
        ("poetry-core 1.9.0", "poetry-core==1.9.0"),
        ("pdm-backend (2.3.0)", "pdm-backend==2.3.0"),
        ("my-own-tool 1.0", None),
        ("flit", None),
        ("flit 3.9.0; rm -rf /", None),
        (None, None),
    ],
)
def test_generator_pin(generator: str | None, pin: str | None) -> None:
    assert generator_pin(generator) == pin
