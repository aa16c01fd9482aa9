"""A lint for generated documents: phrases that claim legal entitlements that do not exist.

A hardship letter *requests*; it cites rules as context, never as entitlements
(``../shared/domain.md`` §6 "Claims of legal rights must be precise", §7.3 item 8
"Overclaiming legal entitlements in generated text"). The facts behind the list:

* China's personalised installment (Art. 70 of the 2011 card measures) is permissive: the
  issuer *may* (可以) agree, up to 60 months; a refusal is not a breach (domain.md §1.1).
  "停息挂账" is a colloquial label, not a statutory right (§1.2).
* UK CONC 7.3 requires forbearance but no particular concession; DMP interest freezes are
  voluntary; CCD2 applies only from November 2026 (§6).
* Promises to delete or "repair" credit records, guaranteed outcomes and fixed debt
  reductions are the marks of the debt-negotiation scam trade the regulators warn about
  (§1.8; §7.3 item 2: "修复征信", "减债80%", "100% success", "deleting overdue records";
  Chinese negative records stay five years).

:func:`find_overclaims` scans rendered text (plain, Markdown or HTML) for these phrases,
case-insensitively and across line breaks and markup, and the document tests run it on
every template, locale and format.
"""

from __future__ import annotations

import html
import re
from typing import Final

import attrs

__all__ = ["OVERCLAIMS", "Overclaim", "OverclaimPhrase", "find_overclaims"]


@attrs.frozen
class OverclaimPhrase:
    """A phrase that must not appear in a generated document, and why.

    :param phrase: the text, matched case-insensitively with any run of white space
        standing for a single space.
    :param reason: what is wrong with it.
    :param source: the section of ``../shared/domain.md`` that says so.
    """

    phrase: str
    reason: str
    source: str


_ENTITLEMENT = "claims a legal entitlement; hardship arrangements are at the lender's discretion"
_ART70 = "Art. 70 installments are permissive (可以), up to 60 months, not a right"
_SCAM = "a promise of the debt-negotiation scam trade"
_DEMAND = "demands instead of requesting (letters request, domain.md §5.1)"

#: Every phrase :func:`find_overclaims` looks for, English then Chinese.
OVERCLAIMS: Final[tuple[OverclaimPhrase, ...]] = (
    # English: entitlements the law does not give.
    OverclaimPhrase("the law guarantees", _ENTITLEMENT, "domain.md §6, §7.3 item 8"),
    OverclaimPhrase("guaranteed by law", _ENTITLEMENT, "domain.md §6, §7.3 item 8"),
    OverclaimPhrase("i am entitled to", _ENTITLEMENT, "domain.md §6, §7.3 item 8"),
    OverclaimPhrase("i am legally entitled", _ENTITLEMENT, "domain.md §6, §7.3 item 8"),
    OverclaimPhrase("i have a legal right to", _ENTITLEMENT, "domain.md §6, §7.3 item 8"),
    OverclaimPhrase("it is my right to", _ENTITLEMENT, "domain.md §6, §7.3 item 8"),
    OverclaimPhrase("you are required by law", _ENTITLEMENT, "domain.md §6, §7.3 item 8"),
    OverclaimPhrase("you are legally obliged", _ENTITLEMENT, "domain.md §6, §7.3 item 8"),
    OverclaimPhrase("you are obliged to", _DEMAND, "domain.md §6"),
    OverclaimPhrase("you must", _DEMAND, "domain.md §6"),
    OverclaimPhrase("60 months by law", _ART70, "domain.md §1.1, §7.3 item 8"),
    OverclaimPhrase("entitled to 60 months", _ART70, "domain.md §1.1, §7.3 item 8"),
    OverclaimPhrase("article 70 requires", _ART70, "domain.md §1.1"),
    OverclaimPhrase("must grant", _DEMAND, "domain.md §1.1, §6"),
    OverclaimPhrase("delete my credit record", _SCAM, "domain.md §1.8, §7.3 item 2"),
    OverclaimPhrase("delete the overdue record", _SCAM, "domain.md §1.8, §7.3 item 2"),
    OverclaimPhrase("remove the negative record", _SCAM, "domain.md §1.8, §7.3 item 2"),
    OverclaimPhrase("repair my credit", _SCAM, "domain.md §1.8, §7.3 item 2"),
    OverclaimPhrase("credit repair", _SCAM, "domain.md §1.8, §7.3 item 2"),
    OverclaimPhrase("100% success", _SCAM, "domain.md §1.8, §7.3 item 2"),
    OverclaimPhrase("guaranteed success", _SCAM, "domain.md §1.8, §7.3 item 2"),
    OverclaimPhrase("guaranteed approval", _SCAM, "domain.md §1.8, §7.3 item 2"),
    # Chinese: 停息挂账 and Art. 70 as rights, demands, and scam promises.
    OverclaimPhrase("停息挂账是我的权利", _ART70, "domain.md §1.1, §1.2, §7.3 item 8"),
    OverclaimPhrase("是我的合法权利", _ENTITLEMENT, "domain.md §6, §7.3 item 8"),
    OverclaimPhrase("法律保障我", _ENTITLEMENT, "domain.md §6, §7.3 item 8"),
    OverclaimPhrase("法律规定必须", _ENTITLEMENT, "domain.md §1.1, §6"),
    OverclaimPhrase("依法必须", _ENTITLEMENT, "domain.md §1.1, §6"),
    OverclaimPhrase("依法应当给予", _ENTITLEMENT, "domain.md §1.1, §6"),
    OverclaimPhrase("有权要求停息", _ART70, "domain.md §1.1, §1.2"),
    OverclaimPhrase("有权要求分期", _ART70, "domain.md §1.1"),
    OverclaimPhrase("法定60期", _ART70, "domain.md §1.1, §7.3 item 8"),
    OverclaimPhrase("贵司必须", _DEMAND, "domain.md §6"),
    OverclaimPhrase("你们必须", _DEMAND, "domain.md §6"),
    OverclaimPhrase("删除征信", _SCAM, "domain.md §1.8, §7.3 item 2"),
    OverclaimPhrase("删除逾期记录", _SCAM, "domain.md §1.8, §7.3 item 2"),
    OverclaimPhrase("修复征信", _SCAM, "domain.md §1.8, §7.3 item 2"),
    OverclaimPhrase("征信修复", _SCAM, "domain.md §1.8, §7.3 item 2"),
    OverclaimPhrase("消除不良记录", _SCAM, "domain.md §1.8, §7.3 item 2"),
    OverclaimPhrase("减债80%", _SCAM, "domain.md §1.8, §7.3 item 2"),
    OverclaimPhrase("百分之百成功", _SCAM, "domain.md §1.8, §7.3 item 2"),
    OverclaimPhrase("保证成功", _SCAM, "domain.md §1.8, §7.3 item 2"),
)


@attrs.frozen
class Overclaim:
    """One overclaiming phrase found in a text.

    :param phrase: the entry of :data:`OVERCLAIMS` that matched.
    :param line: the 1-based line of the normalised text where it starts.
    :param excerpt: the matched text with some context around it.
    """

    phrase: OverclaimPhrase
    line: int
    excerpt: str

    def __str__(self) -> str:
        """One line: where, what and why."""
        return (
            f"line {self.line}: {self.phrase.phrase!r} ({self.phrase.reason}; "
            f"{self.phrase.source}) in {self.excerpt!r}"
        )


_TAGS: Final = re.compile(r"<[^>]*>")
_MARKDOWN_ESCAPE: Final = re.compile(r"\\([\\`*_{}\[\]<>()#+!|~.-])")
_EMPHASIS: Final = re.compile(r"(\*\*|__)")
_SPACES: Final = re.compile(r"[ \t\u00a0\u202f\u3000]+")
#: The first CJK code point (CJK Radicals Supplement); Chinese text has no spaces between
#: words, so a phrase may be split by a line break between any two characters.
_CJK_START: Final = 0x2E80


def _normalise(text: str) -> str:
    """Remove markup and escapes; keep line breaks, fold other white space to one space."""
    plain = _TAGS.sub("", text)
    plain = html.unescape(plain)
    plain = _MARKDOWN_ESCAPE.sub(r"\1", plain)
    plain = _EMPHASIS.sub("", plain)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in plain.splitlines())


def _wide(char: str) -> bool:
    return ord(char) >= _CJK_START


def _pattern(phrase: str) -> re.Pattern[str]:
    """Words match across any white space; CJK text (no spaces) across line breaks too."""
    parts = []
    words = phrase.split()
    for index, word in enumerate(words):
        for position, char in enumerate(word):
            parts.append(re.escape(char))
            following = word[position + 1 : position + 2]
            if following and (_wide(char) or _wide(following)):
                parts.append(r"\s*")
        if index + 1 < len(words):
            parts.append(r"\s+")
    return re.compile("".join(parts), re.IGNORECASE)


_PATTERNS: Final = tuple((entry, _pattern(entry.phrase)) for entry in OVERCLAIMS)


def find_overclaims(text: str) -> tuple[Overclaim, ...]:
    r"""Return every overclaiming phrase in *text*, in order of appearance.

    HTML tags and entities, Markdown escapes and emphasis are removed first, and a phrase
    may be broken across lines, so markup cannot hide one.

    >>> find_overclaims("I ask you to consider a 24-month plan.")
    ()
    >>> [str(o.phrase.phrase) for o in find_overclaims("The law <b>guarantees</b> me this.")]
    ['the law guarantees']
    >>> find_overclaims("停息挂账是我的\n权利")[0].phrase.source
    'domain.md §1.1, §1.2, §7.3 item 8'
    """
    plain = _normalise(text)
    found = []
    for entry, pattern in _PATTERNS:
        for match in pattern.finditer(plain):
            start, end = match.span()
            line = plain.count("\n", 0, start) + 1
            excerpt = plain[max(0, start - 30) : end + 30].replace("\n", " ")
            found.append((start, Overclaim(entry, line, excerpt)))
    found.sort(key=lambda pair: pair[0])
    return tuple(item for _, item in found)
