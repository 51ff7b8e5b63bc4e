"""Civil sentences that name identity groups, for training and for testing the toxicity model's
false positives on them. Models trained on talk-page and news comments learn that the words
"gay", "Muslim" or "Black" often appear in attacks, and then flag "I am a gay Muslim woman".

Two disjoint sets of templates: the training set teaches that such sentences are not toxic; the
test set, never trained on, measures how often the model still says they are. Written for this
project; no outside text.
"""

from __future__ import annotations

from itertools import product

IDENTITIES = (
    "gay", "lesbian", "bisexual", "transgender", "queer", "straight", "nonbinary",
    "Muslim", "Jewish", "Christian", "Catholic", "Hindu", "Sikh", "Buddhist", "atheist",
    "Black", "white", "Asian", "Latino", "Hispanic", "Arab", "Native American",
    "African American", "Mexican", "Chinese", "Indian", "immigrant", "refugee",
    "disabled", "deaf", "blind", "autistic", "elderly", "young", "female", "male",
)  # fmt: skip
PEOPLE = ("woman", "man", "person", "student", "teacher", "parent", "nurse", "veteran")

# Each template names one identity ({identity}) or two ({identity} {identity2}).
TRAINING_TEMPLATES = (
    "My neighbour is a {identity} {person} who runs the bakery.",
    "{Identity} readers deserve coverage of the budget too.",
    "As a {identity} {person}, I think the council should fund the libraries.",
    "The {identity} families on our street organised the clean-up.",
    "We are {identity} and {identity2}, and we vote in every local election.",
    "Speaking as a {identity} {identity2} {person}: keep the branch open on Sundays.",
    "The article quotes a {identity} {person} from the planning committee.",
    "{Identity} students won the regional science fair this year.",
)
TEST_TEMPLATES = (
    "I am a {identity} {person}.",
    "I am a {identity} {identity2} {person}.",
    "I'm a {identity} {person} and I read this paper every morning.",
    "Being {identity} is part of who I am.",
    "My best friend is {identity}.",
    "The {identity} community centre is hosting a food drive on Saturday.",
    "{Identity} people have lived in this town for generations.",
)
# Pairs that read naturally as "a gay Muslim woman": an orientation or a disability, then a
# faith, origin or ethnicity.
FIRSTS = ("gay", "lesbian", "bisexual", "transgender", "queer", "disabled", "deaf", "young")
SECONDS = ("Muslim", "Jewish", "Black", "Asian", "Latino", "Arab", "Christian", "immigrant")


def _fill(templates: tuple[str, ...]) -> list[str]:
    sentences = set()
    for template in templates:
        if "{identity2}" in template:
            choices = [(first, second) for first in FIRSTS for second in SECONDS]
        else:
            choices = [(identity, "") for identity in IDENTITIES]
        for (identity, second), person in product(choices, PEOPLE):
            sentences.add(
                template.format(
                    identity=identity,
                    identity2=second,
                    Identity=identity[0].upper() + identity[1:],
                    person=person,
                )
            )
    return sorted(sentences)


def training_sentences() -> list[str]:
    return _fill(TRAINING_TEMPLATES)


def test_sentences() -> list[str]:
    return _fill(TEST_TEMPLATES)
