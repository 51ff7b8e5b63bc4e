"""Training the built-in spam model from the public labelled data in `../shared/data/` (see its
README for sources and licences): `youtube_spam` (comments on three music videos) and
`sms_spam_uci` (text messages). Reproducible: the solver is deterministic and the same data
gives the same weights.

No random split: the figures that matter are on sources the model was not trained on. Each
YouTube video is left out in turn (trained on SMS and the other two), each data set is tested
on a model trained on the other alone, and the shipped model (trained on everything) is tested
on the news comments written for this project (`builtin/spam_news.py`), never trained on.
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from commentdesk.scoring import embedding, training
from commentdesk.scoring.builtin import spam, spam_news
from commentdesk.scoring.builtin.spam import CHAR_OPTIONS, WORD_OPTIONS, SpamModel

Progress = Callable[[str, int, int], None]
# Comments are what the model will see, so a YouTube row counts more than a text message.
SOURCE_WEIGHTS = {"youtube": 2.0, "sms": 1.0}
MAX_FEATURES = 20_000
REGULARISATION = 4.0
# The YouTube export carries HTML (line breaks, links, entities) and a byte-order mark at the
# end of every row; left in, they would teach the model "looks like a YouTube export".
_TAG = re.compile(r"<a\b[^>]*?href=\"([^\"]*)\"[^>]*>|<[^>]+>", re.IGNORECASE)


@dataclass(frozen=True)
class Example:
    text: str
    source: str  # youtube, sms
    group: str  # the video for YouTube rows, else the source
    spam: int
    is_cited_copy: bool = False  # made by `with_cited_sources`: trained on, never tested on


def clean_text(text: str) -> str:
    """Tags dropped (a link's address kept), entities decoded, whitespace collapsed."""
    without_tags = _TAG.sub(lambda match: f" {match.group(1) or ''} ", text)
    return " ".join(html.unescape(without_tags).replace("\ufeff", " ").split())


def _rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def spam_examples(data_dir: Path) -> list[Example]:
    examples = [
        Example(clean_text(row["text"]), "youtube", row["video"], int(row["spam"]))
        for row in _rows(data_dir / "youtube_spam" / "comments.csv")
    ]
    examples += [
        Example(clean_text(row["text"]), "sms", "sms", int(row["spam"]))
        for row in _rows(data_dir / "sms_spam_uci" / "comments.csv")
    ]
    return [example for example in examples if example.text]


# Sites a civil comment might cite. None of them is in `spam_news`, so the news test still
# measures sites the model never saw.
CITED_SOURCES = (
    "https://www.theguardian.com/world/2024/jan/05/report",
    "https://www.nytimes.com/2023/11/02/us/politics/budget.html",
    "https://www.cdc.gov/flu/season/index.html",
    "https://www.nature.com/articles/d41586-023-01234-5",
    "https://www.who.int/news-room/fact-sheets",
    "https://www.npr.org/sections/health-shots/",
    "https://www.ons.gov.uk/employmentandlabourmarket",
    "https://www.congress.gov/bill/118th-congress/house-bill/2882",
    "https://ourworldindata.org/co2-emissions",
    "https://www.imf.org/en/Publications/WEO",
    "nasa.gov/missions",
    "https://www.ft.com/content/4b1e2c3a",
    "statista.com",
    "https://www.europarl.europa.eu/news/en",
    "https://www.courtlistener.com/opinion/4321/",
    "washingtonpost.com",
)
CITING = ("{text} {source}", "{text} ({source})", "{text} See {source}", "{source} {text}")
CITED_SHARE = 8  # one ordinary row in eight gets a cited copy
CITED_WEIGHT = 0.4


def with_cited_sources(examples: Sequence[Example]) -> list[Example]:
    """The examples plus, for one ordinary row in eight, a copy citing a source link.

    Nearly every link in the training data is spam, so a model trained on it alone takes a
    reader citing a source for a spammer. The copies teach it that a link is not spam by
    itself; which rows get one, and which site and wording, is fixed by a hash of the text.
    """
    cited = []
    for example in examples:
        digest = int(hashlib.sha256(example.text.encode()).hexdigest()[:8], 16)
        if example.spam or digest % CITED_SHARE:
            continue
        source = CITED_SOURCES[digest // CITED_SHARE % len(CITED_SOURCES)]
        wording = CITING[digest // (CITED_SHARE * len(CITED_SOURCES)) % len(CITING)]
        text = wording.format(text=example.text, source=source)
        cited.append(Example(text, example.source, example.group, 0, is_cited_copy=True))
    return [*examples, *cited]


def fit_spam(
    train: Sequence[Example],
    embeddings: NDArray[np.float32],
    *,
    max_features: int = MAX_FEATURES,
    regularisation: float = REGULARISATION,
    source_weights: dict[str, float] | None = None,
    cited_weight: float = CITED_WEIGHT,
) -> SpamModel:
    texts = [example.text for example in train]
    words = TfidfVectorizer(min_df=2, max_features=max_features, **WORD_OPTIONS).fit(texts)
    chars = TfidfVectorizer(min_df=3, max_features=max_features, **CHAR_OPTIONS).fit(texts)
    model = SpamModel(words, chars)
    weights = SOURCE_WEIGHTS if source_weights is None else source_weights
    head = LogisticRegression(C=regularisation, max_iter=3000, random_state=0)
    head.fit(
        model.features(texts, embeddings).matrix(),
        np.array([example.spam for example in train]),
        sample_weight=np.array(
            [
                weights.get(example.source, 1.0) * (cited_weight if example.is_cited_copy else 1)
                for example in train
            ]
        ),
    )
    model.head = head
    return model


def _auc(labels: Sequence[int], scores: NDArray[np.float64]) -> float | None:
    if not 0 < sum(labels) < len(labels):
        return None
    return round(float(roc_auc_score(labels, scores)), 4)


def _fit_and_test(
    examples: Sequence[Example],
    vectors: NDArray[np.float32],
    is_test: Sequence[bool],
    **options: Any,
) -> float | None:
    train = [index for index, tested in enumerate(is_test) if not tested]
    test = [
        index
        for index, tested in enumerate(is_test)
        if tested and not examples[index].is_cited_copy
    ]
    if not train or not test:
        return None
    model = fit_spam([examples[index] for index in train], vectors[train], **options)
    texts = [examples[index].text for index in test]
    predicted = model.predict(model.features(texts, vectors[test]))
    return _auc([examples[index].spam for index in test], predicted)


def cross_source_metrics(
    examples: Sequence[Example], vectors: NDArray[np.float32], progress: Progress, **options: Any
) -> dict[str, Any]:
    """ROC-AUC on data the model was not trained on: each video left out in turn, and each
    data set tested on a model trained on the other alone."""
    videos = sorted({example.group for example in examples if example.source == "youtube"})
    total = len(videos) + 2
    per_video: dict[str, float | None] = {}
    for done, video in enumerate(videos):
        per_video[video] = _fit_and_test(
            examples, vectors, [example.group == video for example in examples], **options
        )
        progress("cross-source tests", done + 1, total)
    found = [value for value in per_video.values() if value is not None]
    report: dict[str, Any] = {
        "leave_one_video_out": per_video,
        "leave_one_video_out_mean": round(float(np.mean(found)), 4) if found else None,
    }
    report["youtube_to_sms"] = _fit_and_test(
        examples, vectors, [example.source == "sms" for example in examples], **options
    )
    progress("cross-source tests", total - 1, total)
    report["sms_to_youtube"] = _fit_and_test(
        examples, vectors, [example.source == "youtube" for example in examples], **options
    )
    progress("cross-source tests", total, total)
    report["rows"] = {
        source: sum(example.source == source and not example.is_cited_copy for example in examples)
        for source in ("youtube", "sms")
    }
    return report


def news_metrics(model: SpamModel, embedder: embedding.TextEmbedder) -> dict[str, Any]:
    """The shipped model on the news comments written for this project: ROC-AUC, and how many
    of each kind land on the wrong side of 0.5."""
    spam_texts, civil_texts = list(spam_news.SPAM), list(spam_news.CIVIL)
    texts = spam_texts + civil_texts
    predicted = model.predict(model.features(texts, embedder.embed(texts)))
    labels = [1] * len(spam_texts) + [0] * len(civil_texts)
    return {
        "auc": _auc(labels, predicted),
        "spam": len(spam_texts),
        "civil": len(civil_texts),
        "spam_below_half": int(np.sum(predicted[: len(spam_texts)] < 0.5)),
        "civil_at_or_above_half": int(np.sum(predicted[len(spam_texts) :] >= 0.5)),
    }


def train_spam(
    data_dir: Path, progress: Progress, *, embedder: embedding.TextEmbedder | None = None
) -> SpamModel:
    """The shipped model: trained on all of YouTube and SMS, with the cross-source and news
    figures in its metadata."""
    examples = with_cited_sources(spam_examples(data_dir))
    embedder = embedder or embedding.Embedder(threads=1)
    vectors = training.embed_all([example.text for example in examples], embedder, progress)
    metrics = cross_source_metrics(examples, vectors, progress)
    model = fit_spam(examples, vectors)
    metrics["news"] = news_metrics(model, embedder)
    metrics["settings"] = {
        "source_weights": SOURCE_WEIGHTS,
        "cited_copies": {"one_in": CITED_SHARE, "weight": CITED_WEIGHT},
        "max_features": MAX_FEATURES,
        "regularisation": REGULARISATION,
        "embedding_weight": spam.EMBEDDING_WEIGHT,
        "rule_weight": spam.RULE_WEIGHT,
    }
    model.metadata = metrics
    return model


def write_news_csv(path: Path) -> int:
    """The written news comments (`builtin/spam_news.py`, never trained on) as a CSV with a
    `spam` label, so `commentdesk eval FILE --label spam` re-measures the shipped model on them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [(text, 1) for text in spam_news.SPAM] + [(text, 0) for text in spam_news.CIVIL]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "spam"])
        writer.writerows(rows)
    return len(rows)
