"""`rbp review --format html`: the supervision pack read with an HTML5 parser, as a browser
reads it: one self-contained file, A4, a chart for every theme, the same figures as the JSON,
and a person's words always text, never markup."""

from __future__ import annotations

import datetime as dt
import json
import re
import stat as file_stat
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import html5lib
import pytest

from rbp_journal.journal import Journal
from rbp_journal.models.reflection import AnswersPayload

from realistic_month import PHONE, build

SVG = "{http://www.w3.org/2000/svg}"  # html5lib puts inline SVG in its own namespace
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def pack(rbp, journal: Journal, tmp_path: Path) -> tuple[Element, str, dict[str, Any]]:
    today = dt.date.today()
    build(journal, today)
    journal.recording.record(
        AnswersPayload.model_validate(
            {
                "client": "C-001",
                "date": today.isoformat(),
                "setting": "office",
                "answers": {
                    "what_happened": f"They wrote {HOSTILE} on the whiteboard.",
                    "listened": 1, "empathy": 1, "trust": 1, "power": 1, "voice": 1,
                    "assumptions": 1, "emotional_load": 5,
                    "differently": f"Ask before reading {HOSTILE} aloud.",
                },
                "followups": [{"text": f"Reply about {HOSTILE}", "due": today.isoformat()}],
            }
        )
    )  # fmt: skip
    out = tmp_path / "pack.html"
    result = rbp(["review", "--week", "--format", "html", "--output", str(out)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert file_stat.S_IMODE(out.stat().st_mode) == 0o600
    source = out.read_text(encoding="utf-8")
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree = parser.parse(source)
    data = json.loads(rbp("review --week --format json").stdout)
    return tree, source, data


def text_of(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_one_self_contained_file(pack: tuple[Element, str, dict[str, Any]]) -> None:
    tree, source, _ = pack
    assert source.startswith("<!DOCTYPE html>")
    assert tree.findall(".//script") == [] and tree.findall(".//img") == []
    assert tree.findall(".//link") == [] and tree.findall(".//iframe") == []
    for element in tree.iter():
        assert not {"src", "href", "onerror", "onload"} & set(element.attrib), element.tag
    assert not re.search(r"https?:|url\(|@import|@font-face", source)
    style = text_of(tree.find(".//style"))  # type: ignore[arg-type]
    assert "@page { size: A4;" in style
    assert "break-inside: avoid" in style


def test_a_persons_words_are_text_never_markup(pack: tuple[Element, str, dict[str, Any]]) -> None:
    tree, source, _ = pack
    body = text_of(tree.find("body"))  # type: ignore[arg-type]
    assert f"Ask before reading {HOSTILE} aloud." in body
    assert f"Reply about {HOSTILE}" in body
    assert "&lt;script&gt;" in source and "<script>" not in source
    assert PHONE not in source and "[phone]" in body


def test_the_same_figures_as_json(pack: tuple[Element, str, dict[str, Any]]) -> None:
    tree, _, data = pack
    sections = [s.get("id") for s in tree.iter("section")]
    assert sections == ["agenda", "held_up", "themes", "stand_out", "promises", "differently"]
    agenda = [text_of(li) for li in tree.findall(".//section[@id='agenda']/ol/li")]
    assert agenda == [f"{a['item']} — {a['why']} ({a['function']})" for a in data["agenda"]]
    held = text_of(tree.find(".//section[@id='held_up']/p"))  # type: ignore[arg-type]
    assert all(h["sentence"] in held for h in data["held_up"])
    promises = tree.findall(".//section[@id='promises']/ul/li")
    assert [text_of(li).split()[0] for li in promises] == [f"#{f['id']}" for f in data["followups"]]
    stood = tree.findall(".//section[@id='stand_out']/ul/li")
    assert [text_of(li).split()[0] for li in stood] == [
        f"#{s['reflection_id']}" for s in data["stand_out"]
    ]
    differently = tree.findall(".//section[@id='differently']/ul/li")
    assert len(differently) == len(data["differently"]) == data["differently_total"]
    rows = tree.findall(".//table[@class='themes']/tbody/tr")
    assert [r.get("data-theme") for r in rows] == [t["theme"] for t in data["themes"]]


def test_a_chart_for_every_theme(pack: tuple[Element, str, dict[str, Any]]) -> None:
    tree, _, data = pack
    charts = {f.get("data-theme"): f for f in tree.iter("figure")}
    assert list(charts) == [t["theme"] for t in data["themes"]]
    for theme in data["themes"]:
        svg = charts[theme["theme"]].find(f"{SVG}svg")
        assert svg is not None and svg.find(f"{SVG}title") is not None
        points = svg.findall(f".//{SVG}circle")
        rated = [
            (m, n)
            for m, n in zip(theme["weekly"], theme["weekly_sessions"], strict=True)
            if m is not None
        ]
        assert [float(p.get("data-mean", "")) for p in points] == [m for m, _ in rated]
        hollow = [p for p in points if "tentative" in p.get("class", "")]
        assert len(hollow) == sum(1 for _, n in rated if n < 3)
        band = svg.find(f".//{SVG}rect[@class='band']")
        assert band is not None
        top = float(band.get("y", "0"))
        # polarity: the band of concern is at the top (heavier) or the bottom (better)
        assert (top < 30) == (theme["polarity"] == "heavier")
