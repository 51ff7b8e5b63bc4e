"""The spam model's rules: pure functions that find what spam looks like on its face (links to
many sites, contact bait, money and prize bait, self-promotion, shouting, repetition). Each
finding names itself in words a moderator can read and gives the model one number to weigh.
They decide nothing alone: the trained head (`spam.py`) weighs them beside the words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from commentdesk.scoring.builtin import letters

# Bare domains ("example.com/x") count as links only with a known ending, so "e.g." or
# "U.S." or "ok.so" never do; full URLs and "www." count whatever their ending.
_ENDINGS = (
    "com|net|org|info|biz|io|co|us|uk|de|fr|es|it|nl|ru|cn|in|ca|au|ly|me|tv|gl|gg|to|cc|ws"
    "|xyz|online|site|club|top|shop|store|live|app|news|gov|edu|link|click|win|bid|loan|icu"
)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    r"|\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:" + _ENDINGS + r")\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_HOST = re.compile(r"^(?:https?://)?(?:www\.)?([^/?#:\s,;!()\[\]]+)", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Seven or more digits with phone-like separators; thousands separators (commas) end a run,
# so "1,200,000" or "2019-2020" are not phone numbers.
_PHONE = re.compile(r"(?<![\w.,])\+?\(?\d[\d\s().-]{5,}\d(?![\w,])")
PHONE_NUMBER = "a phone number"
EMAIL_ADDRESS = "an e-mail address"
# Long digit runs that are not phone numbers: decimals, year ranges and dates.
_NOT_PHONE = re.compile(
    r"\d+\.\d+|(?:19|20)\d\d\s?[-/]\s?(?:19|20)?\d\d|\d{1,4}[./-]\d{1,2}[./-]\d{2,4}"
)
CONTACT_PHRASES = (
    "whatsapp",
    "telegram",
    "dm me",
    "text me",
    "call now",
    "inbox me",
    "message me",
    "contact me",
    "email me",
    "call me on",
)
MONEY_PHRASES = (
    "free",
    "win",
    "winner",
    "prize",
    "cash",
    "claim",
    "earn",
    "make money",
    "per day",
    "per week",
    "per hour",
    "a day from home",
    "work from home",
    "from home",
    "guaranteed",
    "bitcoin",
    "crypto",
    "forex",
    "investment opportunity",
    "double your",
    "profits",
    "gift card",
    "voucher",
    "bonus",
    "loan",
    "discount",
    "casino",
)
PROMOTION_PHRASES = (
    "subscribe",
    "check out my",
    "check my",
    "visit my",
    "my channel",
    "my page",
    "my video",
    "my website",
    "my site",
    "my profile",
    "follow me",
    "click here",
    "click the link",
    "sign up",
    "buy now",
    "order now",
    "limited offer",
    "best price",
)


def _phrase_pattern(phrases: Sequence[str]) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, ordered)) + r")\b", re.IGNORECASE)


_CONTACT = _phrase_pattern(CONTACT_PHRASES)
_MONEY = _phrase_pattern(MONEY_PHRASES)
_PROMOTION = _phrase_pattern(PROMOTION_PHRASES)
_CHARACTER_RUN = re.compile(r"(\S)\1{3,}")
_WORD = re.compile(r"[a-z0-9']+", re.IGNORECASE)
# Shouting is judged only on texts with this many letters: "OK" or "USA" is not shouting.
SHOUTING_MIN_LETTERS = 12
SHOUTING_SHARE = 0.6


@dataclass(frozen=True)
class Finding:
    """One rule that fired: its `name`, a `reason` in words, and its `strength` in [0, 1]."""

    name: str
    reason: str
    strength: float


def domain_of(link: str) -> str:
    """The site of a link as `link_domains` finds it: "https://www.bbc.co.uk/x" -> "bbc.co.uk"."""
    host = _HOST.match(link)
    return host.group(1).lower().rstrip(".") if host else ""


@lru_cache(maxsize=256)
def _unlinked(text: str) -> str:
    """The text with its links blanked out, which most rules read; kept for the latest texts,
    as every rule asks for the same comment's."""
    return _URL.sub(" ", text)


def link_domains(text: str) -> list[str]:
    """The distinct sites the text links to, in order of first mention, without "www."."""
    domains: list[str] = []
    for match in _URL.finditer(_EMAIL.sub(" ", text)):
        domain = domain_of(match.group(0))
        if domain and domain not in domains:
            domains.append(domain)
    return domains


def without_links(text: str, *, link: Callable[[str], str], email: str) -> str:
    """The text with every e-mail address replaced by `email`, and every link (full, "www."
    or bare domain) by what `link` makes of it."""
    return _URL.sub(lambda match: link(match.group(0)), _EMAIL.sub(email, text))


def contact_bait(text: str) -> list[str]:
    """Ways to reach the writer off the site: phone numbers, e-mail addresses, chat apps."""
    found = [PHONE_NUMBER] * bool(_phone_numbers(text))
    found += [EMAIL_ADDRESS] * bool(_EMAIL.search(text))
    return found + _distinct(_CONTACT.findall(_unlinked(text)))


def _phone_numbers(text: str) -> list[str]:
    return [
        match.group(0)
        for match in _PHONE.finditer(_EMAIL.sub(" ", _unlinked(text)))
        if sum(character.isdigit() for character in match.group(0)) >= 7
        and not _NOT_PHONE.fullmatch(match.group(0).strip())
    ]


def money_bait(text: str) -> list[str]:
    """Words promising money, prizes or something free."""
    return _distinct(_MONEY.findall(_unlinked(text)))


def self_promotion(text: str) -> list[str]:
    """Asking readers to subscribe, follow, or visit the writer's page."""
    return _distinct(_PROMOTION.findall(_unlinked(text)))


def shouting(text: str) -> float:
    """The share of capitals among the letters; 0 for texts too short to shout."""
    share, count = letters.capitals(_unlinked(text))
    return share if count >= SHOUTING_MIN_LETTERS else 0.0


def repetition(text: str) -> list[str]:
    """Characters repeated four times or more ("!!!!", "soooo"), and a word said three times
    running or making up a third of a text of nine words or more."""
    found = [f"'{match.group(0)[:6]}'" for match in _CHARACTER_RUN.finditer(text)][:1]
    words = [word.lower() for word in _WORD.findall(_unlinked(text))]
    for first, second, third in zip(words, words[1:], words[2:], strict=False):
        if first == second == third:
            found.append(f"'{first}' three times running")
            break
    else:
        if len(words) >= 9:
            common = max(set(words), key=words.count)
            if words.count(common) * 3 >= len(words):
                found.append(f"'{common}' {words.count(common)} times")
    return found


def _distinct(matches: Sequence[str]) -> list[str]:
    seen: list[str] = []
    for match in matches:
        if match.lower() not in seen:
            seen.append(match.lower())
    return seen


def findings(text: str) -> list[Finding]:
    """Every rule that fired on `text`, strongest kinds first."""
    found = []
    domains = link_domains(text)
    if domains:
        named = f" ({', '.join(domains[:2])})" if len(domains) <= 2 else ""
        plural = "s" if len(domains) > 1 else ""
        found.append(
            Finding("links", f"links to {len(domains)} domain{plural}{named}", len(domains) / 3)
        )
    for name, matches in (
        ("contact", contact_bait(text)),
        ("money", money_bait(text)),
        ("promotion", self_promotion(text)),
    ):
        if matches:
            reason = ", ".join(
                match if match in (PHONE_NUMBER, EMAIL_ADDRESS) else f"'{match}'"
                for match in matches[:3]
            )
            found.append(Finding(name, reason, len(matches) / 2))
    share = shouting(text)
    if share >= SHOUTING_SHARE:
        found.append(Finding("shouting", f"{share:.0%} capitals", share))
    repeated = repetition(text)
    if repeated:
        found.append(Finding("repetition", f"repeats {', '.join(repeated)}", len(repeated) / 2))
    return [Finding(finding.name, finding.reason, min(finding.strength, 1.0)) for finding in found]


RULES = ("links", "contact", "money", "promotion", "shouting", "repetition")


def rule_features(
    texts: Sequence[str], found: Sequence[Sequence[Finding]] | None = None
) -> NDArray[np.float32]:
    """One row per text, one column per rule (`RULES`): each finding's strength, else 0.
    Shouting counts as its share of capitals even below the threshold that names it. `found`:
    each text's `findings`, when the caller has them already."""
    rows = np.zeros((len(texts), len(RULES)), dtype=np.float32)
    for row, text in enumerate(texts):
        for finding in findings(text) if found is None else found[row]:
            rows[row, RULES.index(finding.name)] = finding.strength
        rows[row, RULES.index("shouting")] = shouting(text)
    return rows
