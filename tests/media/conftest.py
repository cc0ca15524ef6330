"""Media test fixtures: generated pictures, encoded once per session."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from tests.media import imaging


@pytest.fixture(scope="session")
def detailed_800(qapp: QApplication) -> QImage:
    """800x600 with text, stripes, a checkerboard and a gradient (text needs the application's fonts)."""
    return imaging.detailed_image(800, 600)


@pytest.fixture(scope="session")
def png_800(detailed_800: QImage) -> bytes:
    return imaging.encode(detailed_800, "PNG")


@pytest.fixture(scope="session")
def jpeg_800(detailed_800: QImage) -> bytes:
    return imaging.encode(detailed_800, "JPEG", 90)


@pytest.fixture(scope="session")
def jpeg_4000(qapp: QApplication) -> bytes:
    return imaging.encode(imaging.detailed_image(4000, 3000), "JPEG", 85)
