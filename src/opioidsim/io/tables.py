"""Generated listings of the model that runs: its parameters and its sources.

Never hand-written: both tables are read off the assembled model, so they always match what
was simulated.
"""

from __future__ import annotations

from opioidsim.model.assemble import AssembledModel


def parameter_table(model: AssembledModel):
    """One row per parameter: canonical value and unit, source value and unit, provenance."""
    import pandas as pd

    rows = []
    for name, value, unit, record in zip(
        model.parameter_names,
        model.parameter_values,
        model.parameter_units,
        model.parameter_records,
        strict=True,
    ):
        rows.append(
            {
                "name": name,
                "value": float(value),
                "unit": unit,
                "source_value": record.value,
                "source_unit": record.unit,
                "provenance": record.provenance,
                "source": "; ".join(s.key for s in record.sources) or (record.against or ""),
                "identifier": "; ".join(s.identifier for s in record.sources),
                "species": record.species or "",
                "confidence": record.confidence,
                "origin": record.describe_origin(),
                "note": record.note or "",
            }
        )
    return pd.DataFrame(rows)


def source_table(model: AssembledModel):
    """One row per cited source, with the parameters that cite it."""
    import pandas as pd

    cited: dict[str, dict] = {}
    for record in model.parameter_records:
        for source in record.sources:
            entry = cited.setdefault(
                source.key,
                {
                    "key": source.key,
                    "citation": source.citation,
                    "identifier": source.identifier,
                    "parameters": 0,
                },
            )
            entry["parameters"] += 1
    return pd.DataFrame(sorted(cited.values(), key=lambda e: e["key"]))
