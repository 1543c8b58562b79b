"""Direct quotations with their speaker and verb, and indirect statements kept apart.

Attribution may come after the quote ('"...," Putin said.'), before it ('Xi said: "..."'), around
it (the sentence's subject: 'Obama called for "a moral revolution"'), or from the previous quote of
the same paragraph ('"...," Biden said. "..."'). Pronouns and role nouns ("he", "the president")
resolve to the last person named before them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kg.extract.dates import sentence_bounds
from kg.extract.leaders import NICKNAMED, PeopleResult
from kg.records import Quote, Ref, Span

VERBS = (
    r"said|says|say|added|adds|told|tells|noted|notes|stressed|declared|insisted|wrote|writes|pledged|continued|"
    r"saying|adding|noting|calling|describing|warning|stressing|insisting|"
    r"recalled|warned|urged|explained|asked|replied|remarked|commented|announced|underlined|underscored|"
    r"emphasi[sz]ed|stated|called|praised|described|addressed|vowed|argued|acknowledged|concluded|observed|"
    r"assured|proclaimed|reminded|promised|affirmed|confirmed|quipped|recounted|lamented|written|"
    r"expressed|highlighted|reiterated|asserted|maintained|admitted|conceded|cautioned|pointed\s+out|"
    # what one calls a thing ('downplayed the pandemic as a "psychosis"')
    r"downplayed|dismissed|branded|labell?ed|denounced|condemned|hailed|termed|dubbed|"
    r"told\s+(?:reporters|journalists|the\s+\w+|an?\s+\w+)"
)
_PRONOUN = r"(?:he|she|He|She)"
_OPENERS = {"“": "”", "‘": "’", '"': '"', "«": "»", "„": "“"}
_MIN_WORDS = 2
_LINE_END = re.compile(r"[.!?:\"”’)\]]\s*$")
_MID_SENTENCE_BREAK = re.compile(r"(?<![.!?:\"”’)\]\n])\n(?!\n)")
_MARKS = ('"', "“", "‘", "«", "„")
# what a speaker does in the sentence before a speech quoted on its own
_REPORTS = (
    r"spoke|speaking|expressed|referred|made\s+reference|highlighted|pointed\s+out|thanked|reiterated|"
    r"gave\s+a\s+speech|delivered|recounted|reflected"
)
# what a thing is called, right before the quotation mark: a name or a label, whoever else speaks
_NAMED_AS = re.compile(
    r"\b(?:billed\s+as|known\s+as|so-called|dubbed|nicknamed|(?:en)?titled|code-?named)\s+[\"“‘«„]$", re.I
)
_WARTIME = re.compile(r"\b19[1-4]\d\b")
_IN_ASIDE = re.compile(r",\s+(?:who|whom|whose)\b[^,]*$")
_TITLE_CASE = re.compile(r"[A-Z][\w’'-]*(?:\s+(?:of|the|and|in|on|for|de|[A-Z0-9][\w’'-]*)){1,6}")


@dataclass(frozen=True)
class _RawQuote:
    start: int  # inner text
    end: int
    para: int


def quote_spans(text: str) -> list[_RawQuote]:
    """Quoted stretches of text (inside the marks), paired within a paragraph."""
    found: list[_RawQuote] = []
    for para_no, (p_start, p_end) in enumerate(_paragraphs(text)):
        i = p_start
        while i < p_end:
            ch = text[i]
            if ch in ("“", '"', "«", "„") or (ch == "‘" and (i == 0 or not text[i - 1].isalnum())):
                closers = {"“": '”"', '"': '"”', "«": "»", "„": '“"'}.get(ch, _OPENERS[ch])
                hits = [k for k in (text.find(c, i + 1, p_end) for c in closers) if k != -1]
                j = min(hits) if hits else -1
                if ch == "‘":
                    j = _find_single_close(text, i + 1, p_end)
                if j == -1:
                    # an unclosed quote runs to the end of its paragraph (the next one reopens it)
                    j = p_end
                inner_s, inner_e = _trim(text, i + 1, j)
                if inner_e > inner_s:
                    found.append(_RawQuote(inner_s, inner_e, para_no))
                i = j + 1
            else:
                i += 1
    return found


def _find_single_close(text: str, start: int, end: int) -> int:
    for m in re.finditer("’", text[start:end]):
        k = start + m.start()
        if k + 1 >= len(text) or not text[k + 1].isalpha():
            return k
    return -1


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:-–—"):
        e -= 1
    return s, e


_TO_SENTENCE_END = re.compile(r"(?:[^.!?\n“\"]|(?<=[A-Z])\.)*")
_NOT_THE_NAMED = re.compile(r"spokes|ministry|office|agency|committee|government|statement|report|newspaper")
# what a body is called by, as the last word of "The ... said": its words are no person's
_BODIES = frozenset(
    """ministry office agency committee government embassy consulate council foundation museum association
    institute university parliament army navy police party union church commission court administration
    kremlin organisation organization department""".split()
)


def _full_name(name: str) -> bool:
    """ "Heriberto Canete Lopez": two or more capitalised words, nothing else ("Leopard 2" is no one)."""
    words = name.split()
    return len(words) >= 2 and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer(r"\n\s*\n|\n", text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(s, e) for s, e in out if e > s]


class _Attributor:
    def __init__(self, text: str, people: PeopleResult) -> None:
        self.text = text
        self.people = people
        self.mentions = sorted(people.clusters_by_offset.items())
        self.bounds = sentence_bounds(text)
        self.quotes = quote_spans(text)
        self.paragraphs = _paragraphs(text)
        self.inside = [(q.start - 1, q.end + 1) for q in self.quotes]
        self.last_quote_end = 0
        self.local = True  # whether the last quote attributed was attributed in its own sentence
        self.salient = {p.ref for p in people.people if p.ref.wikidata or p.offices or len(p.mentions) > 1}

    def _in_quote(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.inside)

    def _mention_in(self, start: int, end: int, last: bool = False) -> Ref | None:
        found = [ref for pos, ref in self.mentions if start <= pos < end and not self._in_quote(pos)]
        if not found:
            return None
        return found[-1] if last else found[0]

    def _before(self, pos: int, gender: str | None = None, since: int = 0) -> Ref | None:
        """The last person named in text[since:pos] (outside quotes), of the given gender if known.

        People the article names once, with no office and no gazetteer entry (often NER noise such
        as "Leopard 2"), are passed over while a better-known person was named.
        """
        fallback = None
        near = self._paragraph_before(pos)
        for p, ref in reversed(self.mentions):
            if p >= pos or p < since or self._in_quote(p):
                continue
            g = self.people.genders.get(ref)
            if gender is None or g is None or g == gender:
                if (
                    fallback is None
                    and ref in self.people.historical
                    and pos - p < 300
                    and _WARTIME.search(self.text, p, pos)
                ):
                    return ref  # "de Gaulle broadcast his appeal of 18 June 1940 ... '...,' he declared": then, he
                # a wartime figure named in passing ("Hitler's forces") is seldom the "he" who speaks now
                if ref in self.salient and ref not in self.people.historical:
                    return ref
                # "Retired Lt. Ana Lind expressed her pleasure. / '...,' she said.": a full name in this
                # paragraph or the one before is nearer than anyone better known further back
                if fallback is None and p >= near and ref not in self.people.historical and _full_name(ref.name):
                    return ref
                fallback = fallback or ref
        return fallback

    def _named_last(self, pos: int) -> Ref | None:
        """The person named last before pos (outside quotes), wartime figures aside: the one a
        description ("the former translator") stands for."""
        named = [r for p, r in self.mentions if p < pos and not self._in_quote(p) and r not in self.people.historical]
        return named[-1] if named else None

    def _paragraph_before(self, pos: int) -> int:
        """Where the paragraph before the one holding pos begins."""
        at = next((i for i, (s, e) in enumerate(self.paragraphs) if s <= pos <= e), 0)
        return self.paragraphs[max(0, at - 1)][0]

    def _who(self, start: int, end: int, words: str, last: Ref | None = None) -> Ref | None:
        """The speaker named in an attribution phrase occupying text[start:end].

        A pronoun is the last speaker when there is one ("..., he added"), else the last person named.
        """
        if re.fullmatch(rf"\s*{_PRONOUN}\s*", words):
            gender = "f" if words.strip().lower() == "she" else "m"
            # someone named since the last quote takes the pronoun; otherwise the last speaker does
            named = self._before(start, gender, since=self.last_quote_end) if last is not None else None
            if named is None and last is not None and self.people.genders.get(last) in (None, gender):
                return last
            return named or self._before(start, gender)
        return self._mention_in(start, end)

    def sentence(self, pos: int) -> tuple[int, int]:
        for s, e in self.bounds:
            if s <= pos < e:
                return s, e
        return pos, pos

    def attribute(
        self, q: _RawQuote, previous: tuple[_RawQuote, Ref | None, str | None] | None
    ) -> tuple[Ref | None, str | None]:
        text = self.text
        self.local = True
        last = previous[1] if previous is not None and q.para - previous[0].para <= 1 else None
        after_start = q.end
        while after_start < len(text) and text[after_start] in '"”’»,.!? ':
            after_start += 1
            if text[after_start - 1] in ".!?" and after_start < len(text) and text[after_start] == " ":
                break
        para_end = text.find("\n", q.end)
        para_end = len(text) if para_end == -1 else para_end
        after = text[q.end : min(para_end, q.end + 120)]
        # '"...," Putin said.'  '"..." - President Duda said'  '"...," said Putin'  '"...," he added'
        m = re.match(
            rf"^[\"”’»]?[,.!?]?[\"”’»]?\s*(?:[-–—]\s*)?(?P<who>(?:[A-Z][\w.’'-]*\s+){{0,5}}?[A-Z][\w.’'-]*|{_PRONOUN}|the\s+[\w\s-]{{2,40}}?)\s+(?P<verb>{VERBS})\b",
            after,
        )
        # a quote closed by a full stop ends its sentence: a name and "said" after it open the next
        # one ('..." Steinmeier said the fight must go on')
        if (m and not (self.text[q.end : q.end + 1] == "." or self.text[q.end - 1] == ".")) or (
            m and not m.group("who")[:1].isupper()
        ):
            who = self._who(q.end + m.start("who"), q.end + m.end("who"), m.group("who"), last)
            if who is not None:
                return who, m.group("verb")
        # the name ends at a comma or a full stop that no capitalised word follows ("said Sen. Hirono.")
        m = re.match(
            rf"^[\"”’»]?[,.!?]?[\"”’»]?\s*(?P<verb>{VERBS})\s+(?P<who>[\w\s.’'-]{{2,60}}?)(?:,|\.(?!\s*[A-Z])|$)", after
        )
        if m:
            who = self._who(q.end + m.start("who"), q.end + m.end("who"), m.group("who"), last)
            if who is None:
                # '"...," said a former soldier, Ann Lee.': the name in apposition to the description
                # up to the sentence's end, past an initialism's full stops ("a former U.S. soldier, Ann Lee")
                tail = _TO_SENTENCE_END.match(after, m.end("who"))
                if tail:
                    s0 = q.end + m.end("who")
                    who = self._mention_in(s0, q.end + tail.end())
            if who is not None:
                return who, m.group("verb")
        else:
            # '"...," said Kenyan President William Ruto. Philippine President ...': the name ends at the
            # first full stop before a capital whose words name someone
            v = re.match(rf"^[\"”’»]?[,.!?]?[\"”’»]?\s*(?P<verb>{VERBS})\s+(?=[A-Z])", after)
            if v is not None:
                for stop in re.finditer(r"\.(?=\s+[A-Z])", after[v.end() : v.end() + 70]):
                    if (who := self._mention_in(q.end + v.end(), q.end + v.end() + stop.start())) is not None:
                        return who, v.group("verb")
        m = re.match(
            rf"^[\"”’»]?[,!?]?[\"”’»]?\s*(?P<verb>{VERBS})\s+(?P<desc>the\s+(?:former\s+|late\s+|retired\s+)?"
            r"[a-z][\w-]*(?:\s+(?:and\s+)?[a-z][\w-]*){0,3})(?=[\s,.]|$)(?!,?\s+[A-Z])",
            after,
        )
        # '"...," said the former translator': a description of the person named last (a spokesman or a
        # ministry is someone else)
        if m and not _NOT_THE_NAMED.search(m.group("desc")) and (named := self._named_last(q.start)) is not None:
            return named, m.group("verb")
        bare = re.match(rf"^[\"”’»]?[,.!?]?[\"”’»]?\s*[-–—]?\s*(?P<verb>{VERBS})\s*[.!]", after)
        if bare:
            # '"Polish soldiers sacrificed their souls"- said.': the verb has lost its subject; the
            # speaker is the person the paragraph named last
            para_start = self.paragraphs[q.para][0]
            who = self._before(q.start, since=para_start)
            if who is not None:
                return who, bare.group("verb")
        # '"...," retired Capt. Ana Lind y Ruiz said': a described name before the verb
        m = re.match(
            # an abbreviation's full stop ("Capt. Ana Lind") is within, a sentence's ("weapons. Mayor X") no
            rf"^[\"”’»]?[,!?]?[\"”’»]?\s*(?P<who>(?:[^.!?“”\"\n]|(?<![a-z]{{4}})\.(?=\s[A-Z])){{2,70}}?)\s+(?P<verb>{VERBS})\b",
            after,
        )
        if m and not (self.text[q.end : q.end + 1] == "." or self.text[q.end - 1] == "."):
            who = self._mention_in(q.end + m.start("who"), q.end + m.end("who"))
            if who is not None:
                return who, m.group("verb")
        s, e = self.sentence(q.start - 1)
        # '... the "historical insinuation" voiced by Putin, the deputy minister, Jan Kos, said.': the clause
        # that closes the sentence names the speaker, whatever the sentence says before the quote
        m = re.search(
            r",\s+(?P<who>[^,“”\"]{2,60}?(?:,\s+[^,“”\"]{2,40}?)?),?\s+(?P<verb>said|says|added|told\s+\w+)\s*[.!]?\s*$",
            text[q.end : e],
        )
        if m and not self._in_quote(q.end + m.start("who")):
            who = self._mention_in(q.end + m.start("who"), q.end + m.end("who"))
            if who is not None:
                return who, m.group("verb")
        before = text[s : q.start - 1]  # up to the opening mark
        # 'Xi said: "..."'  'he pledged: "..."'  'Putin said that "..."'
        # the attribution nearest the quote: 'In a letter he sent, Macron wrote: "..."'
        # a subject right before its verb first ("Turning to his counterpart he said:" is his, not the
        # counterpart's), then one a word or two before it ("Xi also said")
        found = list(
            re.finditer(
                rf"(?P<who>\b{_PRONOUN}|\b[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,4}})\s+(?P<verb>{VERBS})\b(?=[^\"“”]*$)",
                before,
            )
        ) or list(
            re.finditer(
                rf"(?P<who>\b{_PRONOUN}|\b[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,4}})\s+(?:\w+\s+){{0,2}}(?P<verb>{VERBS})\b(?=[^\"“”]*$)",
                before,
            )
        )
        m = found[-1] if found else None
        if m:
            who = self._who(s + m.start("who"), s + m.end("who"), m.group("who"), last)
            if who is not None:
                return who, m.group("verb")
        # a second quote in one sentence is the first one's speaker's ('X affirmed that "..." and "..."')
        if previous is not None and previous[1] is not None and previous[0].end > s:
            return previous[1], previous[2]
        # the sentence's subject: the first person (or pronoun) before the quote in its sentence, not one
        # named in an aside on someone else ("The Prince of Wales, who met Johnson in 2018, said ...")
        subject = next(
            (
                ref
                for pos, ref in self.mentions
                if s <= pos < q.start and not self._in_quote(pos) and not _IN_ASIDE.search(text, s, pos)
            ),
            None,
        )
        pron = re.match(rf"\s*(?:[A-Z]\w+\s+){{0,3}}?(?P<p>{_PRONOUN})\b", before)
        if subject is None and pron:
            subject = self._before(s + pron.start("p"), "f" if pron.group("p").lower() == "she" else "m")
        described = re.match(rf"\s*The\s+(?P<desc>(?:[\w’'-]+\s+){{1,8}}?)(?:{VERBS})\b", before)
        head = re.split(r"\s(?:of|for|at|in)\s", described.group("desc"))[0].split()[-1] if described else ""
        if subject is None and described and head.lower() not in _BODIES:
            # "The former deputy chairman of the party said: ...": a description of the person named last,
            # unless it names a body ("The Japanese embassy said in a statement that ...")
            subject = self._named_last(s)
        if subject is not None:
            verb = re.search(rf"\b({VERBS})\b", before)
            return subject, verb.group(1) if verb else None
        if re.search(rf"\b[Tt]he\s+[A-Z][\w’'-]*(?:\s+(?:of\s+)?[A-Z][\w’'-]*)*(?:,[^,]*,)?\s+(?:{VERBS})\b", before):
            return None, None  # "The Prince of Wales ... said": someone the text names by a title we do not resolve
        self.local = False
        if previous is not None and previous[0].para == q.para and previous[1] is not None:
            return previous[1], previous[2]
        para_start = self.paragraphs[q.para][0]
        opens_para = text[para_start : q.start].strip() in _MARKS
        if not opens_para and text[s : q.start].strip() not in _MARKS:
            return None, None
        # a quote that opens its sentence or paragraph continues the speech of whoever spoke last before
        # it (in the paragraph before, for a paragraph), quoted ('"...," he said.') or reported ("He
        # told the crowd that ...")
        prev_start = self.paragraphs[q.para - 1][0] if opens_para and q.para > 0 else para_start
        quoted = previous if previous and previous[1] is not None and previous[0].para == q.para - 1 else None
        reported = self._last_reported(prev_start, q.start - 1)
        if reported is not None and (quoted is None or reported[0] > quoted[0].end):
            return reported[1], reported[2]
        if quoted is not None:
            return quoted[1], quoted[2]
        return None, None

    def _last_reported(self, start: int, end: int) -> tuple[int, Ref, str] | None:
        """The last sentence in text[start:end] that has a person say something, and who said it."""
        for s, e in reversed(self.bounds):
            if e <= start or s >= end:
                continue
            sent = self.text[s:e]
            verb = re.search(rf"\b({VERBS}|{_REPORTS})\b", sent)
            if verb is None:
                continue
            pron = re.search(rf"\b(?P<p>{_PRONOUN})\b", sent[: verb.start()])
            who = self._mention_in(s, s + verb.start())
            if who is None and pron:
                who = self._before(s + pron.start("p"), "f" if pron.group("p").lower() == "she" else "m")
            if who is not None:
                return s, who, verb.group(1)
            return None
        return None

    def quotes_found(self) -> list[Quote]:
        out: list[Quote] = []
        previous: tuple[_RawQuote, Ref | None, str | None] | None = None
        for q in self.quotes:
            speaker, verb = self.attribute(q, previous)
            self.last_quote_end = self.sentence(q.end)[1]
            inner = self.text[q.start : q.end]
            previous = (q, speaker, verb)
            if speaker is None:
                continue
            # a word or two in quotation marks is a quote when its own sentence says who spoke it
            # ("called the parade 'unstoppable'"); otherwise it is a name or a scare quote
            if len(inner.split()) < _MIN_WORDS and not (self.local and verb is not None):
                continue
            if any(
                m.span("nick") == (q.start, q.end) and self.text[m.end() : m.end() + 1].isupper()
                for m in NICKNAMED.finditer(self.text, max(0, q.start - 30), min(len(self.text), q.end + 5))
            ):
                continue  # 'George "Johnny" Johnson': a nickname inside a name
            if _TITLE_CASE.fullmatch(inner):
                continue  # "Hellfire Pass", "Gypsy Camp": a name in quotation marks, not words said
            if _NAMED_AS.search(self.text, max(0, q.start - 30), q.start):
                continue  # 'a ceremony billed as "small but dignified"': what a thing is called, not words said
            out.append(Quote(Span(q.start, q.end, inner), inner, speaker, _verb(verb), True))
        return out

    def indirect(self) -> list[Quote]:
        """'Mutual visits, Xi said, have become a tradition' and 'X said (that) ...' without quote marks."""
        out: list[Quote] = []
        for s, e in self.bounds:
            sent = self.text[s:e]
            if any(c in sent for c in '"“”'):
                continue
            m = re.search(
                rf",\s+(?P<who>{_PRONOUN}|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,3}})\s+(?P<verb>said|says|added|noted|stressed),\s+",
                sent,
            )
            if m:
                who = self._who(s + m.start("who"), s + m.end("who"), m.group("who"))
                if who is not None:
                    statement = (sent[: m.start()] + " " + sent[m.end() :]).strip()
                    out.append(Quote(Span(s, e, sent), statement, who, m.group("verb"), False))
                    continue
            m = re.match(
                rf"\s*(?P<who>{_PRONOUN}|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,4}})\s+(?P<verb>said|says|told\s+\w+|added|stressed|noted)\s+(?:that\s+)?(?P<what>.+)$",
                sent,
            )
            if m:
                who = self._who(s + m.start("who"), s + m.end("who"), m.group("who"))
                if who is not None:
                    start = s + m.start("what")
                    out.append(
                        Quote(Span(start, e, self.text[start:e]), m.group("what").strip(), who, m.group("verb"), False)
                    )
        return out


def _verb(verb: str | None) -> str | None:
    return " ".join(verb.split()) if verb else None


def unwrapped(text: str) -> str:
    """The text with the line breaks of hard-wrapped copy (most lines stop mid-sentence) made spaces.

    One character for one, so every offset stays; text that is not wrapped comes back unchanged.
    """
    lines = [line for line in text.split("\n") if line.strip()]
    open_lines = sum(1 for line in lines if not _LINE_END.search(line))
    if len(lines) < 5 or open_lines * 2 <= len(lines):
        return text
    return _MID_SENTENCE_BREAK.sub(" ", text)


def find_quotes(text: str, people: PeopleResult) -> list[Quote]:
    """Direct quotes with a speaker, then indirect statements, in text order."""
    flat = unwrapped(text)
    attributor = _Attributor(flat, people)
    found = attributor.quotes_found() + attributor.indirect()
    if flat == text:
        return found
    # evidence is the article's own text, line breaks and all
    return [replace(q, span=Span(q.span.start, q.span.end, text[q.span.start : q.span.end])) for q in found]


__all__ = ["VERBS", "find_quotes", "quote_spans", "unwrapped"]
