"""Thai words for the search index (build_tools.search_th): pure functions on plain data, no browser."""

from __future__ import annotations

import copy
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools import search_th
from build_tools.search_th import SEPARATOR, ZWSP, ThaiSegmenter, WordSet, segment_index, segment_text
from build_tools.workers import IN_PROCESS, Workers

THAI_MARKS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
SENTENCES = [
    "ห้ามรับประทานเนื้อหมูและแอลกอฮอล์",
    "ตำรวจอารักขาประจำตัวแขกต้องทราบกำหนดการล่วงหน้า",
    "แขกนับถือศาสนาอิสลามและรับประทานอาหารฮาลาลเท่านั้น",
    "โทรสายด่วน1669เมื่อแขกหมดสติ",
    "ผู้ประสานงานรับแขกที่ท่าอากาศยานสุวรรณภูมิแล้วส่งเข้าโรงแรม",
]


@pytest.fixture(scope="module")
def seg() -> ThaiSegmenter:
    return ThaiSegmenter()


def test_wordset_answers_like_pythainlp_trie() -> None:
    from pythainlp.corpus.common import thai_words
    from pythainlp.util import Trie

    words = sorted(thai_words())[::7]  # a sample keeps the Trie quick to build
    ours, theirs = WordSet(words), Trie(words)
    for text in SENTENCES:
        for start in range(len(text)):
            assert ours.prefixes(text, start) == theirs.prefixes(text, start), (text, start)


def test_cuts_like_pythainlp_newmm(seg: ThaiSegmenter) -> None:
    from pythainlp.tokenize import word_tokenize

    for text in SENTENCES:
        for run in search_th.THAI_RUN.findall(text):
            assert seg.cut(run) == word_tokenize(run, engine="newmm", keep_whitespace=False)


def test_words_inside_sentences_become_tokens(seg: ThaiSegmenter) -> None:
    tokens = set(re.split(SEPARATOR, segment_text(" ".join(SENTENCES), seg)))
    assert {"ตำรวจ", "อารักขา", "เนื้อหมู", "อาหาร", "ฮาลาล", "โรงแรม", "1669", "สายด่วน"} <= tokens


def test_compound_parts_found_as_suffixes(seg: ThaiSegmenter) -> None:
    assert "อิสลาม" in seg.suffixes("ศาสนาอิสลาม")
    assert seg.suffixes("เนื้อหมู") == ["หมู"]
    assert "ประสานงาน" in seg.suffixes("ผู้ประสานงาน")
    assert seg.suffixes("อาหาร", vocabulary={"อาหาร"}) == []  # อา|หาร is etymology, not a word on the site
    assert seg.suffixes("ประชาชน", vocabulary={"ชน", "ชา"}) == ["ชน"]  # ชาชน starts at a deeper cut: dropped
    assert seg.suffixes("แมว") == []  # not a compound


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("กขคงจนมยรลวสหอะาิีุูเแโใไ่้๊๋็์ัำ ๑๒1A-.,()<>/")), max_size=60))
def test_segmenting_only_adds_zero_width_spaces(text: str) -> None:
    seg = _shared_segmenter()
    out = segment_text(text, seg)
    assert out.replace(ZWSP, "") == text
    assert not out.startswith(ZWSP) and not out.endswith(ZWSP)
    for i, ch in enumerate(out):
        if ch == ZWSP:
            follower = out[i + 1]
            assert follower not in THAI_MARKS, f"U+200B before a combining mark breaks a cluster: {out!r}"
            assert not follower.isspace() and out[i - 1] not in " \t\n>" and follower != "<"


def test_index_is_rewritten_and_the_input_left_alone(seg: ThaiSegmenter) -> None:
    index = {
        "config": {"lang": ["en"], "separator": "[\\s\\-]+", "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
        "docs": [
            {"location": "a.html", "title": "ศาสนาอิสลาม (Islam)", "text": "<p>ห้ามเนื้อหมู (no pork)</p>"},
            {"location": "a.html#x", "title": "English only", "text": "<p>nothing Thai</p>"},
            {"location": "b.html", "title": "อาหาร", "text": "<ul><li>หมู และ ไก่ อิสลาม</li></ul>"},
        ],
    }
    before = copy.deepcopy(index)
    out = segment_index(index, seg)
    assert index == before
    assert out["config"]["separator"] == SEPARATOR and "\\u200b" in SEPARATOR
    assert out["config"]["fields"]["title_parts"]["boost"] == 500.0
    first, english, second = out["docs"]
    assert first["text"] == f"<p>ห้าม{ZWSP}เนื้อหมู (no pork)</p>"
    assert first["title_parts"] == "อิสลาม" and first["text_parts"] == "หมู"
    assert english == before["docs"][1]
    assert "title_parts" not in second
    assert json.loads(json.dumps(out)) == out


def test_saved_cuts_give_the_same_index_without_pythainlp(seg: ThaiSegmenter) -> None:
    index = {"config": {}, "docs": [{"location": "a.html", "title": "ศาสนาอิสลาม", "text": " ".join(SENTENCES)}]}
    first = segment_index(index, seg)
    memory = json.loads(json.dumps(seg.export(search_th.thai_runs(index))))
    again = ThaiSegmenter(words=WordSet(["unused"]), memory=memory)
    assert segment_index(index, again) == first
    assert again.misses == 0


def test_separator_is_valid_and_splits_punctuation() -> None:
    pattern = re.compile(SEPARATOR)
    assert [t for t in pattern.split("(lead-car police) ver. 1.5, “VIP”") if t] == ["lead", "car", "police", "ver", "1.5", "VIP"]


_SEGMENTER: ThaiSegmenter | None = None


def _shared_segmenter() -> ThaiSegmenter:
    global _SEGMENTER
    if _SEGMENTER is None:
        _SEGMENTER = ThaiSegmenter()
    return _SEGMENTER


def test_a_helper_process_cuts_the_same_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_th, "PARALLEL_FROM", 1)
    runs = {run for text in SENTENCES for run in search_th.THAI_RUN.findall(text)} | {"ศาสนาอิสลาม", "เนื้อหมู"}
    shared = search_th.default_words()
    serial, parallel = ThaiSegmenter(words=shared), ThaiSegmenter(words=shared)
    serial.prefill(runs, IN_PROCESS)
    parallel.prefill(runs, Workers(2))
    assert parallel.export() == serial.export() and parallel.misses == serial.misses == len(runs)


def test_words_cut_ahead_give_the_same_index_without_the_dictionary() -> None:
    """Pages fed to the helper while the site renders leave segment_index nothing to cut, and change nothing."""
    html = [f"<h1>ศาสนาอิสลาม</h1><p>{SENTENCES[0]}</p>", f"<p><strong>{SENTENCES[1]}</strong> {' '.join(SENTENCES[2:])}</p>"]
    index = {"config": {}, "docs": [{"location": "a.html", "title": "ศาสนาอิสลาม", "text": " ".join(SENTENCES)}]}
    expected = segment_index(index, ThaiSegmenter())
    ahead = search_th.CutsAhead()
    for page in html:
        ahead.feed(page)
    memory = ahead.memory()
    assert ahead.found_new and memory["runs"], "the helper cut the pages' runs"
    later = ThaiSegmenter(words=WordSet(["unused"]), memory=memory)
    assert segment_index(index, later) == expected
    assert later.misses == 0


def test_cutting_ahead_skips_what_the_memory_has() -> None:
    memory = {"runs": {run: [run] for text in SENTENCES for run in search_th.THAI_RUN.findall(text)}, "cuts": {}}
    ahead = search_th.CutsAhead(memory)
    ahead.feed(f"<p>{' '.join(SENTENCES)}</p>")
    assert not ahead.found_new and ahead.memory() == memory


def test_cuts_ahead_in_many_batches_match_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each batch sends back only the compound cuts it found; together they are what one batch finds."""
    pages = [f"<p>{sentence} ศาสนาอิสลาม เนื้อหมู</p>" for sentence in SENTENCES]
    whole = search_th.CutsAhead()
    whole.feed(*pages)
    expected = whole.memory()
    monkeypatch.setattr(search_th, "AHEAD_BATCH", 1)
    batched = search_th.CutsAhead()
    for page in pages:
        batched.feed(page)
    assert len(batched._pending) == len(pages)
    assert batched.memory() == expected
    assert expected["cuts"], "compounds were split"


def test_cuts_ahead_wait_for_the_helper_before_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """While ``after`` says the other helper is at work, runs are only queued: no second helper starts beside it. Once
    it is done, the queue goes with the next page; the cuts are those made without waiting."""
    pages = [f"<p>{sentence} ศาสนาอิสลาม</p>" for sentence in SENTENCES]
    monkeypatch.setattr(search_th, "AHEAD_BATCH", 1)
    alone = search_th.CutsAhead()
    alone.feed(*pages)
    expected = alone.memory()
    other_done = False
    waiting = search_th.CutsAhead(after=lambda: other_done)
    for page in pages[:-1]:
        waiting.feed(page)
    assert waiting._pool is None and not waiting._pending and waiting.found_new
    other_done = True
    waiting.feed(pages[-1])
    assert waiting._pool is not None and len(waiting._pending) == 1
    assert waiting.memory() == expected
    never_done = search_th.CutsAhead(after=lambda: False)
    never_done.feed(*pages)
    assert never_done._pool is None and never_done.memory() == expected, "memory() sends what was queued"


def test_an_unchanged_index_is_taken_from_the_last_build(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin step keeps the last segmented index: the same index again is not segmented again, a changed one is."""
    from build_tools.mkdocs_plugin.search_hooks import segment_search_index

    site, cache = tmp_path / "site", tmp_path / "cache"
    (site / "search").mkdir(parents=True)
    index_file = site / "search" / "search_index.json"
    index = {"config": {}, "docs": [{"location": "a.html", "title": "ศาสนาอิสลาม", "text": " ".join(SENTENCES)}]}

    def built(data: dict) -> dict:
        index_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        segment_search_index(site, cache)
        return json.loads(index_file.read_text(encoding="utf-8"))

    first = built(index)
    assert first == segment_index(index, ThaiSegmenter())

    def no_segmenting(*args: object) -> None:
        raise AssertionError("an unchanged index was segmented again")

    with monkeypatch.context() as patch:
        patch.setattr(search_th, "segment_index", no_segmenting)
        assert built(index) == first

    changed = {"config": {}, "docs": [*index["docs"], {"location": "b.html", "title": "อาหาร", "text": "ห้ามรับประทานเนื้อหมู"}]}
    assert built(changed) == segment_index(changed, ThaiSegmenter())
    assert built(index) == first


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from([*SENTENCES, "ศาสนาอิสลาม", "เนื้อหมู", "ไก่", "้", " ", "<p>", "</p>", "1669", "A"]),
                         max_size=8).map("".join), min_size=1, max_size=3))
def test_index_cuts_each_text_as_segment_text_does(texts: list[str]) -> None:
    """segment_index joins each distinct run once; the texts and parts are what the plain per-text way gives."""
    seg = _shared_segmenter()
    index = {"config": {}, "docs": [{"location": f"{i}.html", "title": "", "text": text} for i, text in enumerate(texts)]}
    runs = search_th.thai_runs(index)
    vocabulary = {word for run in runs for word in seg.cut(run)}
    suffixes = {word: seg.suffixes(word, vocabulary) for word in vocabulary}
    for text, doc in zip(texts, segment_index(index, seg)["docs"], strict=True):
        expected = segment_text(text, seg) if search_th.THAI_RUN.search(text) else text
        assert doc["text"] == expected
        assert doc.get("text_parts", "") == " ".join(search_th.compound_suffixes(expected, suffixes))
