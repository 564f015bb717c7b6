"""The command line (``check``, ``export``, ``import``) in the app's language.

The commands are Qt-free; the entry point hands them the app's translations
(:mod:`voiceprint_studio.ui.common.cli_words`) in the language chosen in the app, else the
system's. English stays the sentences as written (tests/unit/test_audio_cli.py and the
command-line tests in tests/unit/test_transfer.py).
"""

from __future__ import annotations

import argparse
import gettext
import inspect
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import soundfile
from PySide6.QtCore import QSettings

from tests.audio_fixtures import espeak_wav, silence
from tests.backend_fixtures import Loopback
from voiceprint_studio.api.coze import CozeClient
from voiceprint_studio.audio.checker import check_file
from voiceprint_studio.cli import check_main
from voiceprint_studio.cli_words import ARGPARSE_WORDS, Words
from voiceprint_studio.transfer import cli as transfer_cli
from voiceprint_studio.transfer.reasons import Reason
from voiceprint_studio.ui.common.cli_words import TranslatedWords, argparse_catalogue
from voiceprint_studio.ui.common.i18n import Translations
from voiceprint_studio.ui.recorder.findings import finding_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def zh(qapp: object) -> Iterator[TranslatedWords]:
    translations = Translations()
    assert translations.install("zh_CN"), "run python scripts/translations.py build"
    yield TranslatedWords("zh_CN")
    translations.uninstall()


def _check(argv: list[str], words: Words) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = check_main(argv, stdout=out, stderr=err, words=words)
    return code, out.getvalue(), err.getvalue()


def test_check_reports_in_chinese_with_the_app_check_reports_words(
    zh: TranslatedWords, tmp_path: Path
) -> None:
    good = espeak_wav(tmp_path, "zh")
    quiet = tmp_path / "安静.wav"
    soundfile.write(str(quiet), silence(5), 16000)
    code, out, _ = _check([str(good), str(quiet)], zh)
    assert code == 1  # the same exit status as in English
    assert f"{good}: 可以录入" in out
    assert f"{quiet}: 当前无法使用" in out
    # every finding in the words of the app's check report, advice under blocking ones
    report = check_file(quiet)
    for finding in report.findings:
        message, advice, _ = finding_text(finding, report)
        assert message in out
        if finding.severity.value != "ok":
            assert f"-> {advice}" in out
    assert "[不可用]" in out
    for english in ("ready to enroll", "NOT usable", "BLOCKED", "No speech was found"):
        assert english not in out


def test_usage_errors_and_help_in_chinese(zh: TranslatedWords) -> None:
    code, _, err = _check([], zh)
    assert code == 2
    assert err.startswith("用法：voiceprint-studio check")
    assert "voiceprint-studio check：错误：缺少必需的参数：FILE" in err
    code, _, err = _check(["--pcm-rate", "x", "a.pcm"], zh)
    assert code == 2 and "参数 --pcm-rate：无效的 int 值：'x'" in err
    code, _, err = _check(["a.wav", "b.wav", "--convert", "o.wav"], zh)
    assert code == 2 and "--convert 只能用于一个 FILE" in err
    code, out, _ = _check(["--help"], zh)
    assert code == 0
    assert "检查音频文件能否用于录入扣子声纹。" in out
    assert "选项" in out and "显示此帮助信息并退出" in out
    assert "show this help" not in out and "usage:" not in out
    # argparse's own lookup is itself again once a command line is parsed
    assert argparse.__dict__["_"] is gettext.gettext


def test_argparse_words_are_argparse_own_and_in_the_catalogue(qapp: object) -> None:
    # with no translator installed the catalogue's entries are the words themselves
    assert argparse_catalogue() == ARGPARSE_WORDS
    source = inspect.getsource(argparse)
    missing = [w for w in ARGPARSE_WORDS if f"_({w!r})" not in source]
    assert not missing, f"this Python's argparse no longer says {missing}"


def test_import_report_and_errors_in_chinese(
    zh: TranslatedWords, loopback: Loopback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    speech = espeak_wav(tmp_path, "zh")
    table = tmp_path / "名单.csv"
    table.write_text(
        "file,name,description,group\n"
        f"{speech},王伟,夜班,保安\n"
        f"{speech},这个名字对扣子来说实在是太长了超过二十个字符了吧,,保安\n",
        encoding="utf-8",
    )
    # no token in the environment: the app's sentence, in Chinese, naming the variable
    monkeypatch.delenv(transfer_cli.TOKEN_ENV, raising=False)
    err = io.StringIO()
    code = transfer_cli.import_main(["--server", loopback.url, str(table)], io.StringIO(), err, zh)
    assert code == 1
    assert f"请将环境变量 {transfer_cli.TOKEN_ENV} 设为该服务器的令牌" in err.getvalue()
    monkeypatch.setenv(transfer_cli.TOKEN_ENV, loopback.token)
    printed = io.StringIO()
    code = transfer_cli.import_main(
        ["--server", loopback.url, str(table)], printed, io.StringIO(), zh
    )
    report = printed.getvalue()
    assert code == 1, report  # one row was skipped
    assert "正在把 2 个声纹导入 1 个声纹组；最多" in report
    assert "新建 1 个，已存在 0 个，跳过 1 个，失败 0 个。" in report
    long_name = "这个名字对扣子来说实在是太长了超过二十个字符了吧"
    reason = Reason("its name is longer than {limit} characters", {"limit": 20})
    assert f"已跳过 {long_name!r}：{zh.reason(reason)}" in report
    assert "longer than" not in report
    with CozeClient(loopback.token, loopback.url) as remote:
        (group,) = list(remote.iter_groups())
        assert [v.name for v in remote.iter_voiceprints(group.id)] == ["王伟"]
    # a usage error of its own, in Chinese
    err = io.StringIO()
    assert transfer_cli.export_main([str(tmp_path / "out.tar")], io.StringIO(), err, zh) == 2
    assert "归档文件名必须以 .zip 结尾" in err.getvalue()


def test_sentences_after_a_chinese_full_stop_take_no_space() -> None:
    parts = [Reason("First."), Reason("Second.")]
    assert Reason.sentences(parts).render() == "First. Second."
    chinese = {"First.": "第一句。", "Second.": "第二句。"}
    assert Reason.sentences(parts).render(lambda t: chinese.get(t, t)) == "第一句。第二句。"
    # a journal written before keeps its own template
    old = Reason.from_json({"t": "{s0} {s1}", "p": {"s0": "a.", "s1": "b."}, "plain": True})
    assert old is not None and old.render() == "a. b."


def _entry_point(args: list[str], home: Path, lang: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update(LANG=lang, XDG_CONFIG_HOME=str(home / "config"), HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "voiceprint_studio", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )


def test_the_entry_point_speaks_the_app_language_else_the_system_language(
    tmp_path: Path,
) -> None:
    home = tmp_path / "user"
    (home / "config").mkdir(parents=True)
    done = _entry_point(["check"], home, "zh_CN.UTF-8")
    assert done.returncode == 2
    assert "缺少必需的参数：FILE" in done.stderr
    done = _entry_point(["check"], home, "en_US.UTF-8")
    assert "the following arguments are required: FILE" in done.stderr
    # the program's own help too (the tester found it in English)
    done = _entry_point(["--help"], home, "zh_CN.UTF-8")
    assert done.returncode == 0
    assert done.stdout.startswith("用法：voiceprint-studio")
    assert "管理扣子声纹和 MiniMax 音色。" in done.stdout
    assert "显示版本号并退出" in done.stdout
    # English chosen in the app (View > Language) wins over a Chinese system
    settings = QSettings(
        str(home / "config" / "Voiceprint Studio" / "Voiceprint Studio.conf"),
        QSettings.Format.IniFormat,
    )
    settings.setValue("ui/language", "en")
    settings.sync()
    done = _entry_point(["check"], home, "zh_CN.UTF-8")
    assert "the following arguments are required: FILE" in done.stderr
