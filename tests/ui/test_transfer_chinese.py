"""The transfer dialogs say the transfer layer's reasons in Chinese in the Chinese UI.

Real parts: the offline workspace and a loopback server standing in for Coze, real
archives (tampered on disk), real jobs with journals on disk, the real zh_CN catalogue.
No English sentence of a template may leak into what the operator reads.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.backend_fixtures import Loopback, wav_bytes
from tests.ui.test_chinese_ui import chinese
from tests.ui.test_transfer_dialogs import _offline, _seed, remote
from voiceprint_studio.api.coze import CozeClient
from voiceprint_studio.api.errors import LocalValidationError, PermissionDeniedError
from voiceprint_studio.local.store import LocalUser, NewAudio
from voiceprint_studio.settings.profiles import OFFLINE_COZE, where_of
from voiceprint_studio.transfer.jobs import Job
from voiceprint_studio.transfer.sources import FileEntry, FileSource, export_groups, plan_files
from voiceprint_studio.ui.common.errors import describe_error
from voiceprint_studio.ui.common.i18n import Translations
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.transfer.copy_dialog import CopyDialog, jobs_folder

__all__ = ["chinese", "remote"]  # fixtures shared with the other UI tests

LONG_NAME = "a name far longer than twenty"

#: The offline workspace as the app records it in a job (a job says where it goes).
OFFLINE_WHERE = where_of(OFFLINE_COZE)


def _no_english(text: str, *sentences: str) -> None:
    """None of the English words of ``sentences`` (the templates' fixed parts) is shown."""
    for sentence in sentences:
        for part in sentence.split("{"):
            words = part.split("}")[-1].strip(" .:;,()“”")
            if len(words) > 3:
                assert words not in text, f"{words!r} leaked into {text!r}"


# -- a refused archive ---------------------------------------------------------------------


def _archive(services: AppServices, tmp_path: Path) -> Path:
    workspace = _offline(services)
    client = workspace.coze()
    _seed(client, tmp_path, "desk", 1)
    out = tmp_path / "desk.zip"
    export_groups(client, list(client.iter_groups()), out, source={"workspace": "offline"})
    workspace.close()
    return out


def _rewrite(good: Path, bad: Path, change: str) -> Path:
    with zipfile.ZipFile(good) as zin:
        entries = {i.filename: zin.read(i) for i in zin.infolist()}
    manifest = json.loads(entries["manifest.json"])
    audio = manifest["voiceprints"][0]["file"]
    if change == "escape":  # an entry that would land outside the folder it is read into
        entries["../evil.wav"] = entries[audio]
    else:  # the audio changed, its size kept
        data = bytearray(entries[audio])
        data[-1] ^= 0xFF
        entries[audio] = bytes(data)
    with zipfile.ZipFile(bad, "w") as zout:
        for name, data in entries.items():
            zout.writestr(name, data)
    return bad


@pytest.mark.parametrize(
    "case",
    [
        (
            "escape",
            "已拒绝该归档文件：条目“../evil.wav”会被写到其文件夹以外。",
            "The archive was refused: the entry “{file}” would be written outside its folder.",
        ),
        (
            "audio",
            "已拒绝该归档文件：“desk 0”的音频与校验值不符（文件被修改或已损坏）。",
            "The archive was refused: the audio of “{name}” does not match its checksum "
            "(the file was changed or damaged).",
        ),
    ],
    ids=["escape", "audio"],
)
def test_a_refused_archive_is_explained_in_chinese(
    qtbot: QtBot,
    services: AppServices,
    chinese: Translations,
    tmp_path: Path,
    case: tuple[str, str, str],
) -> None:
    from voiceprint_studio.ui.transfer.archive_dialogs import ImportDialog

    change, chinese_words, english = case

    bad = _rewrite(_archive(services, tmp_path), tmp_path / f"{change}.zip", change)
    workspace = _offline(services)
    groups_before = [g.name for g in workspace.coze().iter_groups()]
    dialog = ImportDialog(services, workspace, bad)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load()
    qtbot.waitUntil(lambda: "未导入任何内容" in dialog.status_label.text(), timeout=10000)
    text = dialog.status_label.text()
    assert text == f"{chinese_words} 未导入任何内容。"
    _no_english(text, english, "Nothing was imported.")
    assert not dialog.import_button.isEnabled()
    assert [g.name for g in workspace.coze().iter_groups()] == groups_before  # nothing written
    dialog.close()
    workspace.close()


# -- per-item reasons of a copy and a move ------------------------------------------------


def _start_copy(qtbot: QtBot, dialog: CopyDialog, group_id: str = "") -> str:
    dialog.show()
    qtbot.waitUntil(dialog.group_combo.isEnabled, timeout=10000)
    if group_id:
        dialog.group_combo.setCurrentIndex(dialog.group_combo.findData(group_id))
    with qtbot.waitSignal(dialog.finished_job, timeout=30000) as ended:
        dialog.start_button.click()
    assert ended.args == [False]  # not everything was done
    return dialog.status_label.text()


def test_a_copy_into_a_full_group_says_the_skip_in_chinese(
    qtbot: QtBot, services: AppServices, remote: Loopback, chinese: Translations, tmp_path: Path
) -> None:
    """Before Start the dialog says what will not fit (a full group cannot be chosen to
    start); what was skipped for want of room is said in Chinese afterwards."""
    store = remote.app.store
    full = store.create_group("full").id
    almost = store.create_group("almost").id
    for n in range(10):
        store.create_feature(full, f"there {n}", "", NewAudio(wav_bytes(0.2 + 0.01 * n), "wav"))
        if n < 9:
            audio = NewAudio(wav_bytes(0.2 + 0.01 * n), "wav")
            store.create_feature(almost, f"there {n}", "", audio)
    source = _offline(services)
    client = source.coze()
    gid = _seed(client, tmp_path, "desk", 2)
    group = next(g for g in client.iter_groups() if g.id == gid)
    dialog = CopyDialog(services, source, [(group, None)])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.group_combo.isEnabled, timeout=10000)
    combo = dialog.group_combo
    assert combo.itemText(combo.findData(full)) == "full  ·  10 / 10"
    combo.setCurrentIndex(combo.findData(full))
    assert dialog.status_label.text() == "“full”已满（10/10）：请选择其他声纹组。"
    assert not dialog.start_button.isEnabled()
    combo.setCurrentIndex(combo.findData(almost))
    assert dialog.status_label.text() == (
        "2 个声纹中只有 1 个能放进“almost”（已有 9/10）：其余的将被跳过。"
    )
    text = _start_copy(qtbot, dialog, almost)
    assert "新建 1 个" in text
    assert "：没有空位了：该声纹组（连同本任务添加的）已有 10 个声纹，已达上限" in text
    _no_english(text, "no room was left", "Skipped")
    with CozeClient(remote.token, remote.url) as there:
        assert len(list(there.iter_voiceprints(full))) == 10
        assert len(list(there.iter_voiceprints(almost))) == 10
    dialog.close()
    source.close()


def test_a_move_whose_original_cannot_be_deleted_says_so_in_chinese(
    qtbot: QtBot, services: AppServices, remote: Loopback, chinese: Translations
) -> None:
    # a voiceprint a colleague made: the service lets only its creator delete it (4101)
    store = services.offline.app().store
    colleague = LocalUser("7480000000000000999", "colleague", "同事")
    store.add_user(colleague)
    gid = store.create_group("shared").id
    store.create_feature(
        gid, "theirs", "", NewAudio(wav_bytes(0.3), "wav"), user_id=colleague.user_id
    )
    source = _offline(services)
    client = source.coze()
    group = next(g for g in client.iter_groups() if g.id == gid)
    dialog = CopyDialog(services, source, [(group, None)])
    qtbot.addWidget(dialog)
    dialog.move_radio.setChecked(True)
    text = _start_copy(qtbot, dialog)
    # the API error's own Chinese words, after the transfer layer's
    with pytest.raises(PermissionDeniedError) as refused:
        client.delete_voiceprint(gid, next(iter(client.iter_voiceprints(gid))).id)
    api_words = describe_error(refused.value).message
    assert "扣子" in api_words and "4101" in api_words
    assert f"未完成“theirs”：已复制，但无法删除原声纹：{api_words}" in text
    _no_english(text, "copied, but the original could not be deleted: {error}", "Coze refused")
    # nothing lost: the original is still there, the copy is in the target
    assert [v.name for v in client.iter_voiceprints(gid)] == ["theirs"]
    with CozeClient(remote.token, remote.url) as there:
        (copied,) = [g for g in there.iter_groups() if g.name == "shared"]
        assert [v.name for v in there.iter_voiceprints(copied.id)] == ["theirs"]
    dialog.close()
    source.close()


# -- a resumed job's journaled reasons -------------------------------------------------------


def _resume(qtbot: QtBot, services: AppServices) -> str:
    from voiceprint_studio.ui.transfer.jobs_dialog import TransfersDialog

    dialog = TransfersDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=10000)
    dialog.resume_button.click()
    qtbot.waitUntil(lambda: "已跳过" in dialog.status_label.text(), timeout=30000)
    qtbot.waitUntil(
        lambda: dialog.resume_button.isEnabled() or dialog.tree.topLevelItemCount() == 0
    )
    text = dialog.status_label.text()
    dialog.close()
    return text


def test_a_resumed_jobs_journaled_skip_is_said_in_chinese(
    qtbot: QtBot, services: AppServices, tmp_path: Path, chinese: Translations
) -> None:
    from tests.audio_fixtures import espeak_wav

    long_name = tmp_path / "long.wav"
    long_name.write_bytes(wav_bytes(0.5))
    entries = [
        FileEntry(long_name, LONG_NAME, "desk"),
        # a description the service refuses: the job stays unfinished
        FileEntry(espeak_wav(tmp_path, "zh"), "fine", "desk", desc="d" * 600),
    ]
    folder = jobs_folder(services)
    folder.mkdir(parents=True)
    workspace = _offline(services)
    # the first run (as the command line or an earlier session of the app made it)
    first = Job.create(folder, plan_files(entries, target=OFFLINE_WHERE)).run(
        FileSource(), workspace.coze()
    )
    assert len(first.skipped) == 1 and len(first.failed) == 1
    text = _resume(qtbot, services)
    assert f"已跳过“{LONG_NAME}”：名称超过 20 个字符" in text
    refused = LocalValidationError(
        "desc", "The description can have at most {count} characters.", values={"count": "500"}
    )
    assert f"未完成“fine”：{describe_error(refused).message}" in text
    assert "500" in describe_error(refused).message and "描述" in describe_error(refused).message
    _no_english(text, "its name is longer than {limit} characters", "Skipped", "Not done")
    workspace.close()


def test_an_old_journals_plain_reason_is_shown_as_written(
    qtbot: QtBot, services: AppServices, tmp_path: Path, chinese: Translations
) -> None:
    folder = jobs_folder(services)
    folder.mkdir(parents=True)
    plan = plan_files([FileEntry(tmp_path / "gone.wav", "old", "desk")], target=OFFLINE_WHERE)
    job = Job.create(folder, plan)
    # a line as an older version wrote it: the English sentence only
    job.journal.write("skipped", k="f1", why="the checker blocked it: the file is empty")
    text = _resume(qtbot, services)
    # every item was dealt with: the job is done, and what it said stays in view
    assert text.endswith(
        "\n已跳过“old”：the checker blocked it: the file is empty\n所有传输任务都已完成。"
    )
    assert not job.folder.exists()


def test_a_transfer_error_in_an_error_dialog_is_chinese(
    qtbot: QtBot, chinese: Translations
) -> None:
    from voiceprint_studio.transfer.jobs import JobRunningError

    shown = describe_error(JobRunningError(Path("/jobs/abc123")))
    assert shown.message == (
        "传输任务 abc123 已在运行（在本应用、另一个窗口或命令中）；请等它完成。"
    )
    assert "already running" in shown.details  # the English words stay in the details


def test_a_job_of_another_account_is_refused_in_chinese(
    qtbot: QtBot, services: AppServices, remote: Loopback, chinese: Translations
) -> None:
    from voiceprint_studio.transfer.jobs import AccountChangedError
    from voiceprint_studio.ui.transfer.jobs_dialog import check_account
    from voiceprint_studio.ui.transfer.trash_dialog import workspace_label

    workspace = services.new_workspace()
    profile = workspace.coze_profile
    assert services.budget is not None
    services.budget.load()
    services.budget.remember_identity(profile, "7490000000000000002", "李雷")
    then = where_of(profile, "7490000000000000001", "王芳")
    assert workspace_label(then) == f"自定义扣子服务器（{remote.url}），账号“王芳”"
    with pytest.raises(AccountChangedError) as raised:
        check_account(services, workspace, then)
    shown = describe_error(raised.value).message
    assert shown.startswith("此任务是在账号“王芳”上开始的，但自定义扣子服务器")
    assert "现在保存的令牌属于“李雷”" in shown and "“连接 > 令牌与密钥…”" in shown
    _no_english(shown, str(raised.value.reason.template))
    workspace.close()


def test_a_file_the_checker_blocks_is_said_with_the_check_reports_chinese(
    qtbot: QtBot, services: AppServices, chinese: Translations, tmp_path: Path
) -> None:
    from voiceprint_studio.transfer.reasons import Reason
    from voiceprint_studio.ui.common.errors import reason_text

    short = tmp_path / "short.wav"
    short.write_bytes(wav_bytes(0.9))  # too short, and no speech in it
    workspace = _offline(services)
    plan = plan_files([FileEntry(short, "小王", "", "前台")])
    result = Job.create(tmp_path / "jobs", plan).run(FileSource(), workspace.coze())
    ((_item, why),) = result.skipped
    english = str(why)
    # the command line (and the journal's "why") keep the checker's English sentences,
    # one after the other, without doubled stops
    assert "The recording is only 0.9 s long." in english and ".;" not in english
    for said in (why, Reason.from_json(why.to_json())):  # (as a resumed job reads it)
        assert said is not None
        text = reason_text(said)
        assert text.startswith("未通过录入检查：")
        assert "录音只有 0.9 秒。" in text
        _no_english(text, english)
    workspace.close()


def test_an_imported_file_the_checker_refuses_is_named_in_its_reason(
    qapp: object, chinese: Translations, tmp_path: Path
) -> None:
    """The tester's: "未通过录入检查：“”不是本程序能读取的音频文件。" and "无法读取文件“”。"
    -- the finding said the file's name, but the reason had lost it."""
    from voiceprint_studio.transfer.jobs import ItemRejectedError, PlanItem
    from voiceprint_studio.ui.common.errors import reason_text

    fake = tmp_path / "歌曲.wav"
    fake.write_bytes(b"ID3" + bytes(4000))  # an mp3 named .wav
    said = []
    for path in (fake, tmp_path / "不存在.wav"):
        item = PlanItem(key="f1", group="g", name="王伟", origin={"path": str(path)})
        with pytest.raises(ItemRejectedError) as refused:
            FileSource().fetch(item, tmp_path / "staged.wav")
        said.append(reason_text(refused.value.reason))
    assert "“歌曲.wav”" in said[0]
    assert "“不存在.wav”" in said[1]
    assert all("“”" not in text for text in said)
