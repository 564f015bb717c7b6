"""The log file rotates, lives in the user's log folder and never holds a token."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from voiceprint_studio import logging_setup


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    logging_setup.shutdown_logging()
    root.setLevel(level)


def _file_handlers() -> list[RotatingFileHandler]:
    return [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]


def test_default_log_dir_is_the_user_log_folder(_isolated_user_dirs: Path) -> None:
    folder = logging_setup.default_log_dir()
    assert folder.is_relative_to(_isolated_user_dirs)
    assert "Voiceprint Studio" in folder.parts
    assert logging_setup.log_dir() == folder


def test_setup_writes_a_rotating_file(tmp_path: Path) -> None:
    path = logging_setup.setup_logging(tmp_path / "logs")
    assert path == tmp_path / "logs" / logging_setup.LOG_FILE_NAME
    assert logging_setup.log_dir() == tmp_path / "logs"
    (handler,) = _file_handlers()
    assert handler.maxBytes == 1_000_000
    assert handler.backupCount == 5
    logging.getLogger("voiceprint_studio.test").info("hello %s", "file")
    handler.flush()
    assert "hello file" in path.read_text(encoding="utf-8")


def test_setup_twice_keeps_one_handler(tmp_path: Path) -> None:
    logging_setup.setup_logging(tmp_path / "a")
    logging_setup.setup_logging(tmp_path / "b")
    assert len(_file_handlers()) == 1
    assert logging_setup.log_dir() == tmp_path / "b"
    logging_setup.shutdown_logging()
    assert _file_handlers() == []


def test_tokens_are_masked(tmp_path: Path) -> None:
    path = logging_setup.setup_logging(tmp_path)
    minimax_key = "eyJhbGciOiJIUzI1NiJ9-minimax-key-1234"
    logging_setup.register_secret(minimax_key)
    logger = logging.getLogger("voiceprint_studio.test")
    logger.warning("header was Authorization: Bearer %s", "pat_abcdefghijklmnop")
    logger.warning("a pasted token pat_zyxwvutsrqponm in a message")
    logger.warning("the minimax key %s leaked", minimax_key)
    try:
        raise ValueError(f"bad key {minimax_key}")
    except ValueError:
        logger.exception("failed")
    logging_setup.shutdown_logging()
    text = path.read_text(encoding="utf-8")
    assert "pat_abcdefghijklmnop" not in text
    assert "pat_zyxwvutsrqponm" not in text
    assert minimax_key not in text
    assert text.count("***") >= 4
    assert "ValueError" in text


def test_secret_registered_before_setup_is_masked(tmp_path: Path) -> None:
    logging_setup.register_secret("sk-registered-early-9876")
    path = logging_setup.setup_logging(tmp_path)
    logging.getLogger("voiceprint_studio.test").warning("key sk-registered-early-9876")
    logging_setup.shutdown_logging()
    assert "sk-registered-early-9876" not in path.read_text(encoding="utf-8")


def test_uncaught_exceptions_go_to_the_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = logging_setup.setup_logging(tmp_path)
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        logging_setup.log_uncaught_exception(RuntimeError, exc, exc.__traceback__)
    logging_setup.shutdown_logging()
    assert "RuntimeError: boom" in path.read_text(encoding="utf-8")
    assert "boom" in capsys.readouterr().err


def test_logging_setup_does_not_import_qt() -> None:
    import subprocess

    code = (
        "import sys, voiceprint_studio.logging_setup; "
        "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
