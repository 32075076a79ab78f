"""Validation that cannot leak: no validation data set is where a model parameter came from.

A data set with role ``validation`` is evidence only if no parameter took a number from it.
This test looks, in every parameter of the full model (every module of ``build_model``, every
drug of ``DRUG_MODULES``, every species table, and the drug-taking decision model), for the
data set's source:

- its ``identifier`` (a DOI, PMID or PMC id, or a journal volume:page id), matched against
  each cited source's DOI, PMID, URL and citation and against the free text;
- each key of its ``cites`` list (the studies whose numbers it holds): an author-year key
  ("Di Chiara & Imperato 1988") matches its first author followed by its year within a few
  words ("Pothos, Rada, Mark & Hoebel 1991" matches "Pothos 1991"), case-insensitively, with
  '&', 'and' and 'et al.' ignored; any other key ("Pharmacology 45:319") matches as a run of
  words, with issue numbers, years before the volume and page ranges ignored;
- its own name (a parameter ``calibrated(against=...)`` a validation data set).

The text searched is each cited ``Source`` (citation, DOI, PMID, URL) and the parameter's
``how``, ``reason``, ``note``, ``locator`` and ``against``. A data set that a parameter came
from must have role ``calibration`` (its checks then show fit quality and do not count).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from opioidsim.io.datasets import Dataset, dataset_names, load_dataset
from opioidsim.model import drug_taking, opioid_use
from opioidsim.model.declare import Parameter, Source, assumed, calibrated, derived, measured
from opioidsim.model.default import (
    ADAPTATION_MODULES,
    CORE_MODULES,
    DRUG_MODULES,
    OPTIONAL_MODULES,
    RECEPTOR_MODULES,
    build_model,
    load_module,
)

#: Parameter fields holding free text that may name where a value came from.
TEXT_FIELDS = ("how", "reason", "note", "locator", "against")
#: Species whose models are assembled to check that the module walk misses no parameter.
SPECIES = ("human", "rat", "mouse")
#: Words allowed between a first author and the year ("Martin WR, Wikler A, Eades CG,
#: Pescor FT 1963" has 7); another year in between breaks the match.
MAX_WORDS_BEFORE_YEAR = 8

#: Author-year homonyms, each checked by hand: (parameter, data set, key) -> why it is not the
#: data set's study. An entry that no longer matches fails the test, so none goes stale.
HOMONYMS: dict[tuple[str, str, str], str] = {
    (
        "neuroadaptation.fast_desensitisation_rate",
        "zhang_2008_cortisol_heroin_withdrawal",
        "Zhang 2008",
    ): "a different Zhang 2008 (acute tolerance in VTA neurons), not Zhang GF et al. 2008 "
    "(serum cortisol in heroin withdrawal, Am J Drug Alcohol Abuse 34:760)",
}

_YEAR = re.compile(r"^(1[89]|20)\d\d[a-z]?$")
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "å": "a", "ß": "ss", "ł": "l"})


def _words(text: str) -> list[str]:
    """Case-folded words of ``text``, with the noise of citation styles removed."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"\b(pmid|doi)\s*:\s*", r"\1 ", text)  # PMID:123 -> pmid 123
    text = re.sub(r"'s\b", "", text)  # Yassen 2007's -> Yassen 2007
    text = re.sub(r"\bet al\b\.?", " ", text)
    text = re.sub(r"&|\band\b", " ", text)
    text = re.sub(r"(\d)\s*\([^()]*\)", r"\1", text)  # issue: 45(6):319 -> 45:319
    text = re.sub(r"\b(?:1[89]|20)\d\d\s*;\s*(?=\d)", "", text)  # 1992;45:319 -> 45:319
    text = re.sub(r"(\d+:[a-z]?\d+)\s*[-\u2013][a-z]?\d+", r"\1", text)  # 176:79-88 -> 176:79
    return re.findall(r"[a-z0-9](?:[a-z0-9:./'_-]*[a-z0-9])?", text.replace("_", " "))


def _contains_run(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _author_year_matches(haystack: list[str], first_author: list[str], year: str) -> bool:
    n = len(first_author)
    for i in range(len(haystack) - n + 1):
        if haystack[i : i + n] != first_author:
            continue
        for word in haystack[i + n : i + n + MAX_WORDS_BEFORE_YEAR + 1]:
            if word == year:
                return True
            if _YEAR.match(word):
                break
    return False


def key_matches(key: str, text: str) -> bool:
    """Whether the short citation ``key`` is found in ``text`` (see the module docstring)."""
    haystack = _words(text)
    words = _words(key)
    if len(words) >= 2 and _YEAR.match(words[-1]) and not any(":" in w for w in words):
        first_author = _words(re.split(r"&|\band\b", key, flags=re.IGNORECASE)[0])
        if first_author and first_author[-1] == words[-1]:  # "Kim 1997": no '&'
            first_author = first_author[:-1]
        return _author_year_matches(haystack, first_author, words[-1])
    return _contains_run(haystack, words)


def identifier_matches(identifier: str, text: str) -> bool:
    """Whether a data set's identifier is found in ``text``.

    ``PMID:n`` also matches a bare n; ``doi:x`` also matches x. Identifiers without a digit
    ("label") are too generic to search: such a data set names its studies in ``cites``.
    """
    ident = identifier.strip()
    if not re.search(r"\d", ident):
        return False
    prefix, _, rest = ident.partition(":")
    if prefix.casefold() in ("pmid", "doi") and rest:
        return _contains_run(_words(text), _words(rest.strip()))
    return _contains_run(_words(text), _words(ident))


def provenance_text(parameter: Parameter) -> str:
    """Every piece of text that says where a parameter's value came from."""
    parts: list[str] = []
    for source in parameter.sources:
        parts += [source.key, source.citation]
        if source.doi:
            parts.append(f"doi:{source.doi}")
        if source.pmid:
            parts.append(f"PMID:{source.pmid}")
        if source.url:
            parts.append(source.url)
    parts += [str(getattr(parameter, f)) for f in TEXT_FIELDS if getattr(parameter, f)]
    return " | ".join(parts)


@dataclass(frozen=True)
class Leak:
    parameter: str
    dataset: str
    found: str  # the identifier, cites key or data set name that was found

    def __str__(self) -> str:
        return f"{self.parameter} cites {self.found!r} of validation data set {self.dataset}"


def find_leaks(datasets: list[Dataset], parameters: list[tuple[str, Parameter]]) -> set[Leak]:
    """Every (parameter, validation data set) pair where the parameter names the data set."""
    leaks: set[Leak] = set()
    for name, parameter in parameters:
        text = provenance_text(parameter)
        for data in datasets:
            if data.role != "validation":
                continue
            if identifier_matches(data.identifier, text):
                leaks.add(Leak(name, data.name, data.identifier))
            for key in data.cites:
                if key_matches(key, text):
                    leaks.add(Leak(name, data.name, key))
            if parameter.against == data.name:
                leaks.add(Leak(name, data.name, data.name))
    return leaks


def _flatten(module_name: str, table) -> list[tuple[str, Parameter]]:
    out = []
    for key, value in table.items():
        if isinstance(value, Parameter):
            out.append((f"{module_name}.{key}", value))
        else:
            out += [(f"{module_name}.{key}", p) for p in value.values()]
    return out


def every_parameter() -> list[tuple[str, Parameter]]:
    """Every parameter of every module the default model can contain, in every species table,
    plus the records of the models assembled for each species with every drug it has."""
    paths = [*CORE_MODULES, *(p for p, _ in DRUG_MODULES.values())]
    paths += [*RECEPTOR_MODULES, *ADAPTATION_MODULES]
    paths += [path for path, _, _ in OPTIONAL_MODULES.values()]
    found: list[tuple[str, Parameter]] = []
    for path in paths:
        module = load_module(path)
        for table in module.parameters.values():
            found += _flatten(module.name, table)
    for species in SPECIES:
        for name, record in zip(
            _assembled(species).parameter_names, _assembled(species).parameter_records, strict=True
        ):
            found.append((name.split("[")[0], record))
    # The decision model of drug taking is read by the closed loop, not assembled.
    found += [(f"drug_taking.{name}", record) for name, record in drug_taking.PARAMETERS.items()]
    found += [(f"opioid_use.{name}", record) for name, record in opioid_use.PARAMETERS.items()]
    return found


def _assembled(species: str):
    drugs = [
        drug
        for drug, (path, _) in DRUG_MODULES.items()
        if {species, "any"} & set(load_module(path).parameters)
    ]
    return build_model(drugs, species)


def _synthetic_dataset(name: str, identifier: str, cites: tuple[str, ...]) -> Dataset:
    return Dataset(
        name=name,
        role="validation",
        title="synthetic",
        source="synthetic",
        identifier=identifier,
        cites=cites,
        species="rat",
        confidence="high",
        meta={},
        path=Path("."),
    )


# -- the check ----------------------------------------------------------------------------


def test_no_validation_data_set_is_a_source_of_any_model_parameter():
    datasets = [load_dataset(n) for n in dataset_names()]
    leaks = find_leaks(datasets, every_parameter())
    homonyms = {leak for leak in leaks if (leak.parameter, leak.dataset, leak.found) in HOMONYMS}
    stale = set(HOMONYMS) - {(h.parameter, h.dataset, h.found) for h in homonyms}
    real = sorted(leaks - homonyms, key=str)
    assert not real, (
        f"{len(real)} parameter(s) came from validation data (set the data set's role to "
        "calibration, or cite the study the number really came from):\n"
        + "\n".join(f"  {leak}" for leak in real)
    )
    assert not stale, f"HOMONYMS entries that no longer match anything: {sorted(stale)}"


# -- the check can fail ---------------------------------------------------------------------


SYNTHETIC = [
    _synthetic_dataset("by_pmid", "PMID:2855239", ("Di Chiara & Imperato 1988",)),
    _synthetic_dataset("by_doi", "doi:10.1056/NEJMsa064115", ("Binswanger 2007",)),
    _synthetic_dataset("by_journal", "Pharmacology 45(6):319", ("Pharmacology 45:319",)),
    _synthetic_dataset("by_authors", "label", ("Heishman 1990", "Pothos 1991", "Trøstheim 2022")),
]


@pytest.mark.parametrize(
    ("parameter", "dataset", "found"),
    [
        (
            measured(
                1.0,
                "1",
                Source("X", "Di Chiara G, Imperato A 1988", pmid="2855239"),
                species="rat",
                confidence="high",
            ),
            "by_pmid",
            "PMID:2855239",
        ),
        (
            assumed(1.0, "1", reason="as in DI CHIARA and IMPERATO, 1988"),
            "by_pmid",
            "Di Chiara & Imperato 1988",
        ),
        (
            derived(
                1.0,
                "1",
                [Source("B", "Release from prison", doi="10.1056/NEJMsa064115")],
                how="ln 2 / 14 d",
            ),
            "by_doi",
            "doi:10.1056/NEJMsa064115",
        ),
        (
            assumed(1.0, "1", reason="gone by day 4 (Karger Pharmacology 1992;45(6):319-25)"),
            "by_journal",
            "Pharmacology 45:319",
        ),
        (
            assumed(1.0, "1", reason="x", note="precipitable at 24 h (Heishman et al. 1990)"),
            "by_authors",
            "Heishman 1990",
        ),
        (
            derived(1.0, "1", [], how="no tolerance (Pothos, Rada, Mark & Hoebel 1991)"),
            "by_authors",
            "Pothos 1991",
        ),
        (assumed(1.0, "1", reason="planner (Trostheim 2022)"), "by_authors", "Trøstheim 2022"),
        (calibrated(1.0, "1", against="by_doi"), "by_doi", "by_doi"),
    ],
)
def test_a_parameter_citing_a_validation_data_set_is_found(parameter, dataset, found):
    leaks = find_leaks(SYNTHETIC, [("synthetic.parameter", parameter)])
    assert Leak("synthetic.parameter", dataset, found) in leaks


@pytest.mark.parametrize(
    "text",
    [
        "Heishman 1989",  # another year
        "Pothos 2001; Smith 1991",  # another year between the author and the year
        "Pharmacology 46:319",  # another volume
        "PMID:28552390",  # a longer number
        "Di Chiara 1987, Imperato 1988",  # the first author's year is 1987
    ],
)
def test_a_different_study_is_not_a_leak(text):
    leaks = find_leaks(SYNTHETIC, [("p", assumed(1.0, "1", reason=text))])
    assert not leaks, leaks


def test_the_whole_check_fails_when_a_model_parameter_cites_a_validation_data_set():
    validation = [load_dataset(n) for n in dataset_names() if load_dataset(n).role == "validation"]
    assert validation
    data = validation[0]
    leaking = assumed(1.0, "1", reason=f"read in {data.cites[0]}")
    leaks = find_leaks(validation, [*every_parameter(), ("synthetic.leak", leaking)])
    assert Leak("synthetic.leak", data.name, data.cites[0]) in leaks
