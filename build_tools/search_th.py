"""Thai words for the site search, cut at build time.

Material's search splits text only at its ``separator`` (spaces and a few marks), and Thai is written without spaces
between words, so a word inside a sentence (อาหาร in ``ห้ามรับประทานอาหาร``) is never a token of its own. Here every run
of Thai letters in the search index is cut into words with pythainlp's ``newmm`` and the words are joined with
U+200B ZERO WIDTH SPACE, which the site's search ``separator`` includes: the text stays visually identical in result
snippets, and every word becomes a token.

Dictionary compounds stay whole (``เนื้อหมู``, ``ศาสนาอิสลาม``), so their inner parts would still be missed. Search
terms match as prefixes (Material appends ``*``), so the first part is found already; for the others each compound's
*suffixes at its inner word boundaries* (``หมู``, ``อิสลาม``) go into extra fields (``title_parts``, ``text_parts``)
that are indexed but never displayed. A suffix is kept only when it, or the word it starts with, is also used on its
own somewhere on the site: splitting dictionary words again yields etymology too (อา|หาร, ประ|เทศ).

Queries are cut in the browser against the same words (theme/overrides/assets/javascripts/lo-search.js).

Pure functions and plain data: no MkDocs here. ``build_tools.mkdocs_plugin.search_hooks`` applies them to the site.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from functools import lru_cache
from itertools import accumulate, islice
from typing import Any

from .workers import PER_CORE, Background, Workers

ZWSP = "\u200b"
THAI_LETTERS = "\u0e01-\u0e3a\u0e3f-\u0e5b"
THAI_RUN = re.compile(f"[{THAI_LETTERS}]+")
THAI_MARKS = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
#: What splits the index into tokens, in the browser (JavaScript regular expression syntax; also valid in Python).
#: Spaces, U+200B, hyphens and punctuation, so "(lead-car" and "police)" give ``lead``, ``car``, ``police``.
SEPARATOR = r"""[\s\u200b\-_,:;!?=\[\](){}"'`“”‘’/|\\]+|\.(?!\d)|&[lg]t;|&amp;|&quot;"""
TITLE_PARTS = "title_parts"
TEXT_PARTS = "text_parts"
MIN_PART = 2  # shortest inner part worth a token of its own (single letters would match everything)
MIN_COMPOUND = 2 * MIN_PART
PARALLEL_FROM = 1500  # distinct runs to cut before a helper process pays for itself
AHEAD_BATCH = 1000  # new runs sent to the helper at once
CACHE_VERSION = "1"  # bump when the cutting rules change: saved cuts from older rules are then ignored


class WordSet:
    """A word list in the shape pythainlp's ``newmm`` wants (``prefixes(text, start)``), built in ~40 ms.

    pythainlp's own ``Trie`` takes ~0.6 s to build from its 62k-word list, longer than cutting a whole site; a set of
    words plus, per three-letter beginning, the lengths of the words that start with it answers the same question
    as fast. ``excluded`` hides one word: what a compound splits into when it may not stay whole.
    """

    def __init__(self, words: Iterable[str] = (), excluded: str | None = None, _base: WordSet | None = None) -> None:
        if _base is not None:
            self.words, self._lengths = _base.words, _base._lengths
        else:
            self.words = frozenset(w for w in (w.strip() for w in words) if w)
            lengths: dict[str, set[int]] = {}
            for w in self.words:
                if len(w) >= 3:
                    lengths.setdefault(w[:3], set()).add(len(w))
            self._lengths = {k: tuple(sorted(v)) for k, v in lengths.items()}
        self.excluded = excluded

    def without(self, word: str) -> WordSet:
        return WordSet(excluded=word, _base=self)

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        """The words that ``text`` has at ``start``, shortest first (what ``pythainlp.util.Trie.prefixes`` returns)."""
        words, found, rest = self.words, [], len(text) - start
        for piece in (text[start : start + 1], text[start : start + 2] if rest >= 2 else ""):
            if piece in words:
                found.append(piece)
        if rest >= 3:
            for n in self._lengths.get(text[start : start + 3], ()):
                if n > rest:
                    break
                piece = text[start : start + n]
                if piece in words:
                    found.append(piece)
        if self.excluded is not None:
            found = [w for w in found if w != self.excluded]
        return found

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def __len__(self) -> int:
        return len(self.words)


@lru_cache(maxsize=1)
def default_words() -> WordSet:
    from pythainlp.corpus.common import thai_words

    return WordSet(thai_words())


class ThaiSegmenter:
    """Cuts Thai runs into words and finds the inner word boundaries of compounds, remembering both.

    The dictionary is loaded only when something is not remembered yet, so a rebuild whose runs are all in a saved
    ``memory`` (see ``export``) costs no pythainlp at all.
    """

    def __init__(self, words: WordSet | None = None, memory: dict[str, Any] | None = None) -> None:
        self._words = words
        memory = memory or {}
        self._runs: dict[str, list[str]] = dict(memory.get("runs", {}))
        self._cuts: dict[str, tuple[int, ...]] = {k: tuple(v) for k, v in memory.get("cuts", {}).items()}
        self.misses = 0

    @property
    def words(self) -> WordSet:
        if self._words is None:
            self._words = default_words()
        return self._words

    def _segment(self, text: str, words: WordSet) -> list[str]:
        from pythainlp.tokenize.newmm import segment

        self.misses += 1
        return [w for w in segment(text, custom_dict=words) if w]

    def cut(self, run: str) -> list[str]:
        """The words of one run of Thai letters (no spaces inside)."""
        words = self._runs.get(run)
        if words is None:
            words = self._runs[run] = self._segment(run, self.words) or [run]
        return words

    def prefill(self, runs: Iterable[str], workers: Workers = PER_CORE) -> None:
        """Cut every run not remembered yet; with enough of them, half in a forked helper process.

        The build itself is single-threaded, so on a machine with a second core the helper halves the time spent
        here on a first build (the dictionary is loaded before forking and shared with the helper).
        """
        todo = sorted({r for r in runs if r not in self._runs})
        helper = None
        if workers.helpers and len(todo) >= PARALLEL_FROM:
            words, theirs = self.words, todo[1::2]
            helper = Background(lambda: _cut_all(words, theirs), workers)  # starts now, while this process cuts its half
            todo = todo[0::2]
        for run in todo:
            self.cut(run)
        if helper is not None:
            done = helper.result()
            self._runs.update(done)
            self.misses += len(done)

    def top_cuts(self, word: str) -> tuple[int, ...]:
        """Where the words of a dictionary compound start, when it may not stay whole (``ศาสนา|อิสลาม`` → (5,))."""
        cuts = self._cuts.get(word)
        if cuts is None:
            cuts = ()
            if len(word) >= MIN_COMPOUND and word in self.words:
                parts = self._segment(word, self.words.without(word))
                if len(parts) > 1 and all(len(p) >= MIN_PART and p in self.words for p in parts):
                    ends = list(accumulate(len(p) for p in parts))
                    cuts = tuple(ends[:-1])
            self._cuts[word] = cuts
        return cuts

    def inner_cuts(self, word: str) -> tuple[int, ...]:
        """The top cuts and, recursively, those inside each part (``ผู้|ประสาน|งาน`` → (3, 9))."""
        return tuple(c for c, _ in self._all_cuts(word))

    def _all_cuts(self, word: str) -> list[tuple[int, bool]]:
        tops = self.top_cuts(word)
        bounds = [0, *tops, len(word)]
        found = {c: True for c in tops}
        for start, end in zip(bounds, bounds[1:]):
            for c, _ in self._all_cuts(word[start:end]) if tops else ():
                found.setdefault(start + c, False)
        return sorted(found.items())

    def suffixes(self, word: str, vocabulary: Container[str] | None = None) -> list[str]:
        """What a prefix search needs to find the inner parts: ``ศาสนาอิสลาม`` → ``["อิสลาม", "ลาม"]``.

        With a ``vocabulary`` (the words the site uses on their own), a suffix is kept only if it is one of those
        words, or if it starts at a top cut with such a word: dictionary splits deeper down (ประ|ชา in ประชาชน)
        are etymology, not words a reader types.
        """
        cuts = self._all_cuts(word)
        kept = []
        for i, (cut, top) in enumerate(cuts):
            suffix = word[cut:]
            if vocabulary is None or suffix in vocabulary:
                kept.append(suffix)
            elif top:
                following = [c for c, t in cuts[i + 1 :] if t]
                if word[cut : following[0] if following else None] in vocabulary:
                    kept.append(suffix)
        return kept

    def export(self, runs: Iterable[str] | None = None) -> dict[str, Any]:
        """What to save for the next build (only ``runs`` and the words they reach, when given)."""
        keep = set(self._runs) if runs is None else {r for r in runs if r in self._runs}
        todo = [w for r in keep for w in self._runs[r]]
        reached: set[str] = set()
        while todo:
            word = todo.pop()
            if word in reached or word not in self._cuts:
                continue
            reached.add(word)
            bounds = [0, *self._cuts[word], len(word)]
            todo.extend(word[a:b] for a, b in zip(bounds, bounds[1:]) if len(bounds) > 2)
        return {
            "runs": {r: self._runs[r] for r in sorted(keep)},
            "cuts": {w: list(self._cuts[w]) for w in sorted(reached)},
        }


def _cut_all(words: WordSet, runs: list[str]) -> dict[str, list[str]]:
    seg = ThaiSegmenter(words=words)
    return {run: seg.cut(run) for run in runs}


class CutsAhead:
    """Cuts the Thai runs of pages on the spare core while the build is still rendering the rest of the site.

    A site build is single-threaded until the PDF stage, so on a first build the word cuts ``segment_index`` needs
    can be made meanwhile in a forked helper: ``feed`` it each page's HTML as it is rendered, then ``memory()``
    gives the saved memory plus everything cut ahead, for a :class:`ThaiSegmenter` that then rarely has to load
    the dictionary at all. Runs the memory already has are not sent; with one core, or no ``fork``, it does nothing.

    ``after``: while it returns False (another helper of the build is still at work), runs are only queued; the helper
    starts once it returns True, or when ``memory()`` is asked. One helper at a time beside the build leaves the build
    a core of its own: with two helpers and the build on two cores, the build's pages waited for the core they shared.
    """

    def __init__(self, memory: dict[str, Any] | None = None, workers: Workers = PER_CORE,
                 after: Callable[[], bool] | None = None) -> None:
        self._memory = memory or {}
        self._workers = workers
        self._after = after
        self._sent: set[str] = set(self._memory.get("runs", {}))
        self.seen: set[str] = set()  # every run fed in this build: worth remembering, even if the index splits it otherwise
        self._usable = workers.helpers
        self._pool: Any = None
        self._pending: list[Any] = []
        self._queued: set[str] = set()  # sent in batches: one message per page cost the build more than it saved

    def feed(self, *html: str) -> None:
        """Send the runs of a page's HTML (and of its title, which the theme may print outside the content)."""
        runs = {run for text in html for run in THAI_RUN.findall(_TAG.sub("", _BREAK.sub(" ", text)))}
        self.seen |= runs
        self._queued |= runs - self._sent
        if len(self._queued) >= AHEAD_BATCH and (self._after is None or self._after()):
            self._send()

    def _send(self) -> None:
        if self._queued and self._start():
            self._sent |= self._queued
            self._pending.append(self._pool.apply_async(_cut_ahead, (sorted(self._queued),)))
        self._queued = set()

    def _start(self) -> bool:
        if self._pool is None and self._usable:
            self._pool = self._workers.helper_pool(_start_helper, (self._memory,))
            self._usable = self._pool is not None
        return self._pool is not None

    @property
    def found_new(self) -> bool:
        return bool(self._pending or self._queued)

    def memory(self) -> dict[str, Any]:
        """The memory it started from with every cut made ahead added (waits for the helper, then stops it)."""
        runs, cuts = dict(self._memory.get("runs", {})), dict(self._memory.get("cuts", {}))
        self._send()
        try:
            for pending in self._pending:
                found = pending.get()
                runs.update(found["runs"])
                cuts.update(found["cuts"])
        finally:
            self.close()
        return {"runs": runs, "cuts": cuts}

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


# The page's text as Material's search index has it: headings and the tags it keeps split it, all others vanish.
_BREAK = re.compile(r"</?(?:h[1-6]|p|code|pre|li|ol|ul|sub|sup)\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")
_AHEAD: ThaiSegmenter | None = None


def _start_helper(memory: dict[str, Any]) -> None:
    global _AHEAD
    _AHEAD = ThaiSegmenter(memory=memory)


def _cut_ahead(runs: list[str]) -> dict[str, Any]:
    """In the helper: the runs' words and every compound's inner cuts (all ``segment_index`` asks the dictionary);
    only the cuts found in this batch go back, the earlier ones were sent with theirs."""
    assert _AHEAD is not None
    known = len(_AHEAD._cuts)
    words = {run: _AHEAD.cut(run) for run in runs}
    for run_words in words.values():
        for word in run_words:
            _AHEAD.inner_cuts(word)
    new = dict(islice(reversed(_AHEAD._cuts.items()), len(_AHEAD._cuts) - known))
    return {"runs": words, "cuts": {word: list(cuts) for word, cuts in new.items()}}


def segment_text(text: str, seg: ThaiSegmenter) -> str:
    """Thai runs cut into words joined by U+200B; U+200B also between Thai and what touches it (``โทร1669``)."""
    return _segmented(text, lambda run: _joined(seg.cut(run)))


def _joined(words: Iterable[str]) -> str:
    """One run's words, each behind a U+200B, and one after them all."""
    # Never in front of a vowel or tone mark: that would tear a letter from its marks (broken cluster).
    return "".join(word if word[0] in THAI_MARKS else ZWSP + word for word in words) + ZWSP


def _segmented(text: str, joined: Callable[[str], str]) -> str:
    """``text`` with each Thai run replaced by ``joined(run)``, less the U+200B at either end of the text or next to a
    space or a tag boundary: there the separator already splits."""
    end_of_text = len(text)

    def replace(match: re.Match[str]) -> str:
        out = joined(match.group(0))
        start, end = match.span()
        if start == 0 or text[start - 1] == ">" or text[start - 1].isspace():
            out = out.lstrip(ZWSP)
        if end == end_of_text or text[end] == "<" or text[end].isspace():
            out = out.rstrip(ZWSP)
        return out

    return THAI_RUN.sub(replace, text)


def thai_words_in(text: str) -> Iterator[str]:
    """The Thai tokens of an already segmented string."""
    for piece in re.split(f"[^{THAI_LETTERS}]+", text):
        if piece:
            yield piece


def compound_suffixes(text: str, suffixes: Mapping[str, Iterable[str]]) -> list[str]:
    """Sorted, unique inner parts (as suffixes) of the Thai tokens of ``text`` (segmented), looked up per word."""
    found: set[str] = set()
    for word in set(thai_words_in(text)):
        found.update(suffixes.get(word, ()))
    return sorted(found)


def thai_runs(index: dict[str, Any]) -> set[str]:
    """Every distinct run of Thai letters in the titles and texts of a search index."""
    runs: set[str] = set()
    for doc in index.get("docs", []):
        for field in ("title", "text"):
            value = doc.get(field)
            if isinstance(value, str):
                runs.update(THAI_RUN.findall(value))
    return runs


def segment_index(index: dict[str, Any], seg: ThaiSegmenter, workers: Workers = PER_CORE) -> dict[str, Any]:
    """Material's search index (``search_index.json`` as data) with Thai cut into words and compound parts added.

    Sets the ``separator`` and registers the two parts fields (title parts weigh half a title, text parts like
    text). Returns a new dict; the input is not changed.
    """
    config = dict(index.get("config", {}))
    config["separator"] = SEPARATOR
    fields = {name: dict(spec) for name, spec in (config.get("fields") or {}).items()}
    title_boost = float(fields.get("title", {}).get("boost", 1000.0))
    fields.setdefault(TITLE_PARTS, {"boost": title_boost / 2})
    fields.setdefault(TEXT_PARTS, {"boost": 1.0})
    config["fields"] = fields
    runs = thai_runs(index)
    seg.prefill(runs, workers)
    words = {run: seg.cut(run) for run in sorted(runs)}
    vocabulary = {w for run_words in words.values() for w in run_words}
    suffixes = {w: seg.suffixes(w, vocabulary) for w in vocabulary}
    # Each distinct run is joined, and its tokens' parts found, once: a run recurs on many pages (the checklists).
    joined = {run: _joined(run_words) for run, run_words in words.items()}
    run_parts = {run: set(compound_suffixes(joined[run], suffixes)) for run in runs}

    docs = []
    for doc in index.get("docs", []):
        doc = dict(doc)
        for field, parts_field in (("title", TITLE_PARTS), ("text", TEXT_PARTS)):
            value = doc.get(field)
            if not isinstance(value, str):
                continue
            found: set[str] = set()  # the runs of this text, collected while they are replaced

            def join_run(run: str, found: set[str] = found) -> str:
                found.add(run)
                return joined[run]

            segmented = _segmented(value, join_run)
            if not found:
                continue
            doc[field] = segmented
            # The text's tokens are its runs' tokens: U+200B never joins two runs (something not Thai parts them).
            if parts := set().union(*(run_parts[run] for run in found)):
                doc[parts_field] = " ".join(sorted(parts))
        docs.append(doc)
    return {**index, "config": config, "docs": docs}
