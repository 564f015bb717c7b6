"""The transfer layer's sentences stay translatable: templates, values, journal, placeholders.

Every ``QT_TRANSLATE_NOOP("TransferErrors", ...)`` template in ``transfer/`` is checked
against the code that raises it (every placeholder given a value, no value left unused),
and the reasons real runs produce are rendered with a strict formatter.
"""

from __future__ import annotations

import ast
import json
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.backend_fixtures import wav_bytes
from voiceprint_studio.api.coze import CozeClient
from voiceprint_studio.api.errors import LocalValidationError, PermissionDeniedError
from voiceprint_studio.local.app import BackendApp
from voiceprint_studio.transfer import archive as archive_module
from voiceprint_studio.transfer.archive import ArchiveError, parse_manifest
from voiceprint_studio.transfer.jobs import Job, JobError, JobRunningError, _replay
from voiceprint_studio.transfer.reasons import CONTEXT, Reason, TransferError
from voiceprint_studio.transfer.sources import FileEntry, FileSource, plan_files

TRANSFER = Path(archive_module.__file__).parent
#: The calls that take a template and its values as keywords (or, for Reason, a dict;
#: ``say``: the command line's sentences, :meth:`voiceprint_studio.cli_words.Words.say`).
_RAISERS = {
    "JobError",
    "ArchiveError",
    "ItemRejectedError",
    "SourceGoneError",
    "TransferError",
    "Reason",
    "say",
}
#: The command line's own sentences (in transfer/cli.py and the checker's cli.py).
_COMMAND_LINE = "CommandLine"


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _noop_text(node: ast.AST) -> str | None:
    """The template of a ``QT_TRANSLATE_NOOP("TransferErrors", "...")`` call (or of the
    command line's ``"CommandLine"``), else None."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "QT_TRANSLATE_NOOP"
    ):
        context, text = (ast.literal_eval(arg) for arg in node.args)
        assert context in {CONTEXT, _COMMAND_LINE}, f"a template with the context {context!r}"
        return str(text)
    return None


def _templates_and_calls() -> tuple[set[str], list[tuple[str, str, set[str]]]]:
    """Every template marked in transfer/, and each call that raises or makes a reason
    from a template: (where, template, the names of the values it is given)."""
    marked: set[str] = set()
    calls: list[tuple[str, str, set[str]]] = []
    for path in [*sorted(TRANSFER.glob("*.py")), TRANSFER.parent / "cli.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named: dict[str, str] = {}  # a template kept in a variable first
        for node in ast.walk(tree):
            text = _noop_text(node)
            if text is not None:
                marked.add(text)
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], _noop_text(node.value)
                if isinstance(target, ast.Name) and value is not None:
                    named[target.id] = value
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "__init__" and isinstance(func, ast.Attribute):
                name = "TransferError"  # super().__init__(template, **values)
            if name not in _RAISERS:
                continue
            first = node.args[0]
            template = _noop_text(first)
            if template is None and isinstance(first, ast.Name):
                template = named.get(first.id)
            if template is None:
                continue  # not a template (a Reason passed on, a field's word)
            given = {k.arg for k in node.keywords if k.arg is not None}
            if name == "Reason" and len(node.args) > 1:
                values = node.args[1]
                assert isinstance(values, ast.Dict), ast.dump(values)
                given |= {ast.literal_eval(k) for k in values.keys if k is not None}
            calls.append((f"{path.name}:{node.lineno}", template, given))
    return marked, calls


def test_every_template_gets_a_value_for_each_placeholder_and_no_other() -> None:
    marked, calls = _templates_and_calls()
    assert len(marked) >= 50, marked  # the sentences of archive, jobs, sources, cli
    wrong = [
        f"{where}: {template!r} given {sorted(given)}"
        for where, template, given in calls
        if _placeholders(template) != given
    ]
    assert wrong == []
    used = {template for _, template, _ in calls}
    # a template not raised directly is a word put into another sentence: no placeholder
    # of its own, or one its helper fills
    leftover = {t for t in marked - used if _placeholders(t)}
    assert leftover == set()


def _render_strict(reason: Reason) -> str:
    text = reason.render(strict=True)
    assert text == str(reason)
    return text


def _translatable(reason: Reason) -> int:
    """How many templates a reason says (itself and the reasons in its values)."""
    nested = sum(_translatable(v) for v in reason.params.values() if isinstance(v, Reason))
    return int(reason.translatable) + nested


def _manifest(**changes: Any) -> bytes:
    voiceprint = {
        "key": "v1",
        "group": "g1",
        "name": "Ana",
        "file": "audio/v1.wav",
        "sha256": "a" * 64,
        "size": 10,
    }
    voiceprint.update(changes.pop("voiceprint", {}))
    data = {
        "format": "voiceprint-studio-archive",
        "version": 1,
        "groups": [{"key": "g1", "name": "desk", **changes.pop("group", {})}],
        "voiceprints": [voiceprint],
        **changes,
    }
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"{", "not valid JSON"),
        (_manifest(format="other"), "not a Voiceprint Studio archive"),
        (_manifest(version=9), "newer Voiceprint Studio (format 9)"),
        (_manifest(version=0), "no valid version"),
        (_manifest(group={"key": "bad key!"}), "group 1 has no valid key"),
        (_manifest(group={"name": 5}), "group 1 has a name that is not text"),
        (_manifest(group={"name": " "}), "group 1 has no name"),
        (_manifest(group={"desc": "x" * 501}), "the description of group 1 is longer than 500"),
        (_manifest(voiceprint={"group": "g9"}), "voiceprint 1 names no listed group"),
        (_manifest(voiceprint={"file": "../v1.wav"}), "outside the archive's audio folder"),
        (_manifest(voiceprint={"file": "audio/v1.mp3"}), "not a wav or pcm file"),
        (_manifest(voiceprint={"sha256": "x"}), "voiceprint 1 has no valid sha256"),
        (_manifest(voiceprint={"size": 0}), "empty or larger than 4 MB"),
        (_manifest(voiceprint={"source_id": "s" * 65}), "the source id of voiceprint 1"),
    ],
)
def test_a_refused_manifest_says_why_with_every_value_given(raw: bytes, words: str) -> None:
    with pytest.raises(ArchiveError) as refused:
        parse_manifest(raw)
    assert words in _render_strict(refused.value.reason)
    # a translation reaches the nested words ("group 1", "name") too
    said = refused.value.reason.render(lambda t: f"[{t}]")
    assert said.count("[") == _translatable(refused.value.reason) and said.startswith("[")


def test_a_reason_is_english_by_default_and_translates_nested_reasons_and_errors() -> None:
    inner = Reason("voiceprint {n}", {"n": 3})
    api = PermissionDeniedError(service="coze", endpoint="DELETE /x", code=4101)
    reason = Reason("{where} and {error}", {"where": inner, "error": api})
    assert str(reason).startswith("voiceprint 3 and Coze refused this action (code 4101)")
    words = {"{where} and {error}": "{where}，{error}", "voiceprint {n}": "第 {n} 个声纹"}
    said = reason.render(lambda t: words.get(t, t), lambda exc: f"<{type(exc).__name__}>")
    assert said == "第 3 个声纹，<PermissionDeniedError>"
    # a translation with a typo in a placeholder leaves it as written; a broken one
    # falls back to the English template
    assert Reason("{n} items", {"n": 2}).render(lambda _t: "{m} 项") == "{m} 项"
    assert Reason("{n} items", {"n": 2}).render(lambda _t: "{n 项") == "2 items"
    with pytest.raises(KeyError):
        Reason("{n} and {m}", {"n": 1}).render(strict=True)
    with pytest.raises(KeyError):
        Reason("{n}", {"n": 1, "m": 2}).render(strict=True)


def test_transfer_errors_keep_their_reason_when_copied() -> None:
    import copy

    error = JobRunningError(Path("/jobs/abc"))
    again = copy.deepcopy(error)  # (by __reduce__, as pickle does)
    assert type(again) is JobRunningError and again.reason == error.reason
    assert str(again) == str(error) and "abc is already running" in str(again)
    plain = copy.copy(JobError("{folder} is not an unfinished job.", folder="x"))
    assert isinstance(plain, TransferError) and str(plain) == "x is not an unfinished job."


def test_a_reason_goes_through_json_and_an_error_in_it_becomes_its_words() -> None:
    inner = Reason("the checker blocked it: {findings}", {"findings": Reason.plain("too {loud}")})
    api = LocalValidationError(
        "desc", "The description can have at most {count} characters.", values={"count": "500"}
    )
    reason = Reason("{a} / {b} / {c}", {"a": inner, "b": api, "c": 7})
    back = Reason.from_json(json.loads(json.dumps(reason.to_json())))
    assert back is not None
    assert str(back) == str(reason)
    # the plain words are never translated, the template is
    said = back.render(lambda t: t.replace("the checker blocked it", "未通过检查"))
    assert said.startswith("未通过检查: too {loud} / ")
    assert Reason.from_json({"t": 3}) is None
    assert Reason.from_json({"t": "x", "p": {"a": [1]}}) is None
    assert Reason.from_json("not a reason") is None


# -- a skip written to the journal, read back by a resumed run ---------------------------


@pytest.fixture
def client(backend_app: BackendApp) -> Iterator[CozeClient]:
    transport = httpx.WSGITransport(app=backend_app)
    with CozeClient(backend_app.token, "http://localhost", transport=transport) as client:
        yield client


def _journal_skips(job: Job) -> list[dict[str, Any]]:
    return [e for e in job.journal.entries() if e.get("e") == "skipped"]


def test_a_skip_is_journaled_with_its_template_and_read_back_after_a_resume(
    client: CozeClient, tmp_path: Path
) -> None:
    from tests.audio_fixtures import espeak_wav

    long_name = tmp_path / "long.wav"
    long_name.write_bytes(wav_bytes(0.5))
    entries = [
        FileEntry(long_name, "a name far longer than twenty", "desk"),
        # the service refuses its description: the job is left unfinished
        FileEntry(espeak_wav(tmp_path, "zh"), "fine", "desk", desc="d" * 600),
    ]
    job = Job.create(tmp_path / "jobs", plan_files(entries))
    first = job.run(FileSource(), client)
    ((item, why),) = first.skipped
    assert item.key == "f1"
    assert _render_strict(why) == "its name is longer than 20 characters"
    ((_, failed),) = first.failed
    assert "description can have at most 500" in _render_strict(failed)
    (line,) = _journal_skips(job)
    assert line["why"] == "its name is longer than 20 characters"  # for a person reading it
    assert line["reason"] == {"t": "its name is longer than {limit} characters", "p": {"limit": 20}}
    # a resumed run (a new process: only the files are left) says it from the journal
    again = Job.open(job.folder).run(FileSource(), client)
    ((_, resumed),) = again.skipped
    assert resumed == why and resumed.translatable
    assert resumed.render(lambda t: t.replace("its name is longer than", "名称超过")) == (
        "名称超过 20 characters"
    )
    assert len(_journal_skips(job)) == 1  # not rejected a second time


def test_an_old_journal_line_with_only_a_sentence_is_shown_as_it_was(tmp_path: Path) -> None:
    job = Job.create(tmp_path / "jobs", plan_files([FileEntry(tmp_path / "a.wav", "a", "desk")]))
    job.journal.write("skipped", k="f1", why="it has no name")  # as written before templates
    job.journal.write("skipped", k="f2")  # (no words at all)
    job.journal.write("skipped", k="f3", why="x", reason={"t": 5})  # damaged: the words
    state = _replay(job.journal)
    assert state.final_skips["f1"] == Reason.plain("it has no name")
    assert state.final_skips["f1"].render(lambda _t: "翻译了") == "it has no name"
    assert str(state.final_skips["f2"]) == ""
    assert str(state.final_skips["f3"]) == "x"
