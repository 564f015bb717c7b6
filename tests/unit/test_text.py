"""Joining translated sentences (ui/common/text.py)."""

from __future__ import annotations

from voiceprint_studio.ui.common.text import sentences


def test_sentences_are_joined_with_a_space_except_after_a_full_width_end() -> None:
    assert sentences("No token is saved.", "Choose Connection > Token…") == (
        "No token is saved. Choose Connection > Token…"
    )
    assert sentences("此连接尚未保存令牌或 API 密钥。", "请选择“连接 > 令牌与密钥…”") == (
        "此连接尚未保存令牌或 API 密钥。请选择“连接 > 令牌与密钥…”"
    )
    assert sentences("Saved.", "", "  ") == "Saved."
