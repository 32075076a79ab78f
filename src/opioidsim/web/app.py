"""The scenario page: doses, subject and run length in; every layer over time out.

Built on Dash (Plotly's framework for analytical web apps: reactive callbacks in Python,
Plotly figures with linked zoom, served locally with no external assets), because the page
is a thin layer over the same scenario model the CLI uses:

- the dose table, subject and run length become a scenario dict, validated by
  :func:`opioidsim.io.config.load_scenario`; bad input shows the CLI's one-line message
  beside the field it names (body weight, run length, output step; doses and anything else
  beside the dose table) and leaves the last good figure in place;
- a valid scenario is simulated (:func:`opioidsim.simulation.simulate`) and drawn as one
  panel per layer, sharing the time axis (zoom one, zoom all), with units and readable
  labels;
- the example scenarios load with one click; the scenario downloads as YAML and uploads
  back (size-bounded, safe YAML only, through the same loader); the result downloads as
  Parquet.

The page binds 127.0.0.1 unless told otherwise (``opioidsim serve --host``).
"""

from __future__ import annotations

import base64
import contextlib
import io
import time
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from opioidsim.errors import ConfigError, OpioidsimError
from opioidsim.io.config import load_scenario
from opioidsim.io.plots import LABELS, PERCENT_OF_FRACTION
from opioidsim.safe_yaml import MAX_INPUT_BYTES, parse_yaml

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
DOSE_COLUMNS = ("drug", "amount", "rate", "duration", "route", "time", "every", "count", "for")
#: One panel per layer: (title, observables). Observables the model lacks are skipped.
PANELS = (
    ("plasma concentration (nM)", None),  # every *.plasma_concentration
    ("mu receptors held by drugs (%)", ("mu_receptor.drug_occupancy",)),
    ("accumbens dopamine (% of baseline)", ("reward.dopamine_percent_baseline",)),
    (
        "drug effects (% of maximum)",
        (
            "subjective_effects.drug_liking",
            "mu_effects.analgesia",
            "mu_effects.respiratory_depression",
        ),
    ),
    (
        "withdrawal (index, 0-1)",
        ("neuroadaptation.somatic_withdrawal_index", "neuroadaptation.affective_withdrawal_index"),
    ),
    ("cortisol (x basal)", ("hpa_axis.glucocorticoid_fold_basal",)),
)
#: What the page opens with (the README's naltrexone-then-heroin example).
#: Names for observables the shared label table does not have.
PAGE_LABELS = {
    "neuroadaptation.somatic_withdrawal_index": "somatic withdrawal index",
    "neuroadaptation.affective_withdrawal_index": "affective withdrawal index",
    "hpa_axis.glucocorticoid_fold_basal": "cortisol (x basal)",
}
#: Log panels show this many decades below each series' peak (the tail after a drug is gone
#: falls to 1e-100 nM and would flatten the rest).
LOG_DECADES = 6

DEFAULT_SCENARIO = {
    "name": "naltrexone then heroin",
    "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
    "duration": "7 d",
    "output_interval": "10 min",
    "doses": [
        {"drug": "naltrexone", "amount": "50 mg", "route": "oral", "time": "0 h",
         "every": "24 h", "for": "5 d"},
        {"drug": "heroin", "amount": "0.2 mg/kg", "route": "iv", "time": "5 d"},
    ],
}  # fmt: skip
#: Seconds the last update took (server side: validate, simulate, draw); read by the benchmark.
LAST_UPDATE_S: dict[str, float] = {}


def example_files() -> list[Path]:
    """Scenario files shipped in ``examples/`` (populations and trials are other kinds)."""
    if not EXAMPLES.is_dir():
        return []
    skip = {"populations", "trials", "sensitivity"}
    return sorted(p for p in EXAMPLES.rglob("*.yaml") if not skip & set(p.parts))


def scenario_from_fields(
    name: str,
    species: str,
    sex: str,
    weight: str,
    duration: str,
    step: str,
    rows: list[dict],
    physiology: list[str] | None = None,
) -> dict[str, Any]:
    """The scenario dict the page's fields describe (empty cells left out)."""
    doses = []
    for row in rows or []:
        dose = {k: row.get(k) for k in DOSE_COLUMNS if row.get(k) not in (None, "")}
        if "count" in dose:
            with contextlib.suppress(ValueError):  # the loader names a bad value
                dose["count"] = int(str(dose["count"]).strip())
        if dose:
            doses.append(dose)
    return {
        "name": name or "scenario from the page",
        "subject": {"species": species, "sex": sex, "body_weight": weight},
        "duration": duration,
        "output_interval": step,
        "doses": doses,
        "physiology": list(physiology or []),
    }


def fields_from_scenario(data: dict[str, Any]) -> tuple:
    """The page's fields for a scenario dict (a loaded file or an upload)."""
    loaded = load_scenario(data)
    plain = loaded.to_dict()
    subject = plain["subject"]
    rows = [{k: dose.get(k, "") for k in DOSE_COLUMNS} for dose in plain["doses"]]
    return (
        plain.get("name", ""),
        subject["species"],
        subject["sex"],
        str(subject["body_weight"]),
        str(plain["duration"]),
        str(plain["output_interval"]),
        rows,
        list(plain.get("physiology", [])),
    )


def _panels(result) -> list[tuple[str, list[str]]]:
    panels = []
    for title, names in PANELS:
        chosen = (
            [n for n in result.names if n.endswith(".plasma_concentration")]
            if names is None
            else [n for n in names if n in result.names]
        )
        if chosen:
            panels.append((title, chosen))
    return panels


def _shown(name: str, title: str, y: np.ndarray) -> np.ndarray:
    """Percent for fractions; on log panels, NaN below LOG_DECADES under the peak."""
    y = np.asarray(y, dtype=float)
    if name in PERCENT_OF_FRACTION:
        y = 100.0 * y
    if title.startswith("plasma"):
        finite = y[np.isfinite(y)]
        peak = float(finite.max()) if finite.size else 0.0
        y = np.where(y > peak * 10.0**-LOG_DECADES, y, np.nan)
    return y


def figure_of(result, band: dict[str, np.ndarray] | None = None, band_label: str = "") -> Any:
    """One panel per layer, shared time axis (days beyond 3 days of run). With ``band``
    (observable -> 5th, 50th and 95th percentiles over a population), each observable also
    gets its 90 % interval (shaded) and median (dashed)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    panels = _panels(result)
    span = float(result.time[-1] - result.time[0])
    scale, unit = (24.0, "d") if span > 72 else (1.0, "h")
    x = result.time / scale
    fig = make_subplots(
        rows=len(panels), cols=1, shared_xaxes=True, vertical_spacing=0.035,
        subplot_titles=[title for title, _ in panels],
    )  # fmt: skip
    palette = ("#636efa", "#ef553b", "#00cc96", "#ab63fa", "#ffa15a", "#19d3f3")
    for row, (title, names) in enumerate(panels, start=1):
        for k, name in enumerate(names):
            label = PAGE_LABELS.get(name, LABELS.get(name, name))
            colour = palette[k % len(palette)]
            if band is not None and name in band:
                low, median, high = (_shown(name, title, q) for q in band[name])
                red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
                fig.add_trace(go.Scatter(x=x, y=high, mode="lines", line={"width": 0},
                                         showlegend=False, hoverinfo="skip", legendgroup=name,
                                         meta=f"{name}:p95"), row=row, col=1)  # fmt: skip
                fig.add_trace(
                    go.Scatter(x=x, y=low, mode="lines", line={"width": 0}, fill="tonexty",
                               fillcolor=f"rgba({red},{green},{blue},0.2)", showlegend=False,
                               legendgroup=name, name=f"{label}: 5th percentile",
                               meta=f"{name}:p05"),
                    row=row, col=1,
                )  # fmt: skip
                fig.add_trace(
                    go.Scatter(x=x, y=median, mode="lines", showlegend=False,
                               line={"dash": "dash", "color": colour}, legendgroup=name,
                               name=f"{label}: median", meta=f"{name}:median"),
                    row=row, col=1,
                )  # fmt: skip
            fig.add_trace(
                go.Scatter(x=x, y=_shown(name, title, result[name]), mode="lines", name=label,
                           line={"color": colour}, legendgroup=name, meta=name),
                row=row, col=1,
            )  # fmt: skip
        if title.startswith("plasma"):
            fig.update_yaxes(type="log", row=row, col=1)
    fig.update_xaxes(title_text=f"time ({unit})", row=len(panels), col=1)
    fig.update_layout(
        height=230 * len(panels), margin={"l": 60, "r": 20, "t": 60, "b": 40},
        legend={"orientation": "v"}, uirevision="keep-zoom",
        title={"text": f"solid: the scenario's subject; dashed: median and shaded: 90 % "
                       f"interval of {band_label}" if band is not None else "",
               "font": {"size": 12}},
    )  # fmt: skip
    return fig


def population_files() -> list[Path]:
    folder = EXAMPLES / "populations"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


#: Where a message goes: the field its first word names (else beside the dose table).
FIELD_OF_MESSAGE = {
    "subject.body_weight": "weight",
    "duration": "duration",
    "output_interval": "step",
}


def error_outputs(message: str) -> tuple[str, str, str, str]:
    """(doses/general, weight, duration, step) messages: each beside its field."""
    field = message.split(":", 1)[0].strip()
    slots = {"weight": "", "duration": "", "step": ""}
    target = FIELD_OF_MESSAGE.get(field)
    if target is None:
        return message, slots["weight"], slots["duration"], slots["step"]
    slots[target] = message
    return "", slots["weight"], slots["duration"], slots["step"]


def _error_text(error: Exception) -> str:
    if isinstance(error, OpioidsimError):
        return str(error)
    return f"internal error ({type(error).__name__}); the page kept the last good result."


def _experiment_options() -> list[dict[str, str]]:
    from opioidsim.experiments import registry

    return [{"label": f"{e.name}: {e.title}", "value": e.name} for e in registry().values()]


def experiment_view(name: str) -> Any:
    """Run one experiment; its verdict, every check and its figure, as page elements."""
    import tempfile

    from dash import html

    from opioidsim.experiments import run_experiment

    with tempfile.TemporaryDirectory() as folder:
        outcome = run_experiment(name, Path(folder))
        figure = (
            base64.b64encode(Path(outcome.figure).read_bytes()).decode()
            if outcome.figure and Path(outcome.figure).exists()
            else None
        )
    validation = outcome.validation_checks
    verdict = "PASS" if outcome.passed else "FAIL"
    header = html.Tr([html.Th(c) for c in ("role", "condition", "quantity", "observed",
                                           "simulated", "criterion", "result")])  # fmt: skip
    rows = [
        html.Tr(
            [html.Td(v) for v in (c.evidence, c.condition, c.quantity, c.observed_text,
                                  c.simulated_text, c.criterion)]
            + [html.Td("pass" if c.passed else "FAIL")],
            style={"background": "#fde8e8"} if c.counts and not c.passed else {},
        )
        for c in outcome.checks
    ]  # fmt: skip
    children = [
        html.P(
            f"{verdict}: {sum(c.passed for c in validation)} of {len(validation)} validation "
            "checks pass (calibration rows show fit quality and do not count).",
            id="experiment-verdict",
        ),
        html.Table([header, *rows], style={"borderCollapse": "collapse"}),
    ]
    if figure is not None:
        children.append(html.Img(src=f"data:image/png;base64,{figure}",
                                 alt=f"{name}: simulated against observed",
                                 style={"maxWidth": "100%"}))  # fmt: skip
    return children


def create_app():
    """The Dash app (``app.server`` is the WSGI application)."""
    import dash
    from dash import Input, Output, State, dash_table, dcc, html

    app = dash.Dash(__name__, title="opioidsim", serve_locally=True)
    app.config.suppress_callback_exceptions = False
    examples = example_files()
    first = fields_from_scenario(DEFAULT_SCENARIO)
    label = {"style": {"display": "block", "marginTop": "0.5em", "fontSize": "0.85em"}}
    field = {"style": {"width": "100%"}, "debounce": True}
    app.layout = html.Div(
        style={"display": "flex", "gap": "1.5em", "fontFamily": "system-ui, sans-serif",
               "padding": "1em"},
        children=[
            html.Div(
                style={"flex": "0 0 30em"},
                children=[
                    html.H2("opioidsim scenario"),
                    html.Label("example scenario", **label),
                    dcc.Dropdown(
                        id="example",
                        options=[{"label": str(p.relative_to(EXAMPLES)), "value": str(p)}
                                 for p in examples],
                        placeholder="load an example...",
                    ),
                    html.Label("name", **label),
                    dcc.Input(id="name", value=first[0], **field),
                    html.Label("species", **label),
                    dcc.Dropdown(id="species", options=["human", "rat", "mouse"],
                                 value=first[1], clearable=False),
                    html.Label("sex", **label),
                    dcc.Dropdown(id="sex", options=["male", "female"], value=first[2],
                                 clearable=False),
                    html.Label("body weight (e.g. 70 kg)", **label),
                    dcc.Input(id="weight", value=first[3], **field),
                    html.Div(id="weight-error", role="alert", className="field-error",
                             style={"color": "#b00020", "fontSize": "0.8em"}),
                    html.Label("run length (e.g. 7 d)", **label),
                    dcc.Input(id="duration", value=first[4], **field),
                    html.Div(id="duration-error", role="alert", className="field-error",
                             style={"color": "#b00020", "fontSize": "0.8em"}),
                    html.Label("output every (e.g. 10 min)", **label),
                    dcc.Input(id="step", value=first[5], **field),
                    html.Div(id="step-error", role="alert", className="field-error",
                             style={"color": "#b00020", "fontSize": "0.8em"}),
                    html.Label("physiology", **label),
                    dcc.Checklist(id="physiology", value=first[7],
                                  options=[{"label": " closed-loop ventilation (human)",
                                            "value": "ventilation"}]),
                    html.Label("population band (median and 90 % interval)", **label),
                    html.Div(
                        style={"display": "flex", "gap": "0.5em"},
                        children=[
                            dcc.Dropdown(
                                id="population",
                                options=[{"label": "one subject", "value": ""}]
                                + [{"label": p.stem, "value": str(p)}
                                   for p in population_files()],
                                value="", clearable=False, style={"flex": "1 1 auto"},
                            ),
                            dcc.Input(id="subjects", type="number", min=2, max=1000,
                                      value=100, debounce=True, style={"width": "6em"}),
                        ],
                    ),
                    html.Label("doses: amount (mg, mg/kg, nmol, IU) or rate with duration; "
                               "time, every, for in h, d or min", **label),
                    dash_table.DataTable(
                        id="doses",
                        columns=[{"name": c, "id": c, "editable": True} for c in DOSE_COLUMNS],
                        data=first[6],
                        editable=True,
                        row_deletable=True,
                        style_cell={"fontSize": "0.85em", "minWidth": "4em"},
                    ),
                    html.Button("add a dose", id="add-dose", n_clicks=0),
                    html.Div(id="scenario-error", role="alert",
                             style={"color": "#b00020", "marginTop": "0.5em",
                                    "whiteSpace": "pre-wrap"}),
                    html.Div(
                        style={"marginTop": "1em", "display": "flex", "gap": "0.5em"},
                        children=[
                            html.Button("download scenario (YAML)", id="download-yaml-button"),
                            html.Button("download result (Parquet)", id="download-parquet-button"),
                        ],
                    ),
                    dcc.Upload(
                        id="upload",
                        children=html.Div("upload a scenario YAML (drop or click)"),
                        max_size=MAX_INPUT_BYTES,
                        style={"border": "1px dashed #999", "padding": "0.6em",
                               "marginTop": "0.6em", "textAlign": "center"},
                    ),
                    dcc.Download(id="download-yaml"),
                    dcc.Download(id="download-parquet"),
                    html.Div(id="timing", style={"fontSize": "0.75em", "color": "#666",
                                                 "marginTop": "0.6em"}),
                    html.H3("experiments: simulated against published data"),
                    html.Div(
                        style={"display": "flex", "gap": "0.5em"},
                        children=[
                            dcc.Dropdown(id="experiment", options=_experiment_options(),
                                         placeholder="choose an experiment...",
                                         style={"flex": "1 1 auto"}),
                            html.Button("run", id="run-experiment", n_clicks=0),
                        ],
                    ),
                    dcc.Loading(html.Div(id="experiment-output",
                                         style={"marginTop": "0.6em", "fontSize": "0.8em"})),
                ],
            ),
            html.Div(style={"flex": "1 1 auto"},
                     children=[dcc.Loading(dcc.Graph(id="layers"), delay_show=300)]),
        ],
    )  # fmt: skip

    fields = [
        Output("name", "value"), Output("species", "value"), Output("sex", "value"),
        Output("weight", "value"), Output("duration", "value"), Output("step", "value"),
        Output("doses", "data"), Output("physiology", "value"),
    ]  # fmt: skip

    @app.callback(
        [*fields, Output("scenario-error", "children", allow_duplicate=True)],
        Input("example", "value"),
        Input("upload", "contents"),
        State("upload", "filename"),
        prevent_initial_call=True,
    )
    def load(example, contents, filename):
        trigger = dash.ctx.triggered_id
        try:
            if trigger == "upload" and contents:
                _, encoded = contents.split(",", 1)
                raw = base64.b64decode(encoded, validate=False)
                if len(raw) > MAX_INPUT_BYTES:
                    raise ConfigError(
                        f"{filename}: got a file of {len(raw)} bytes; a scenario file is at "
                        f"most {MAX_INPUT_BYTES} bytes."
                    )
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise ConfigError(
                        f"{filename}: got a file that is not UTF-8 text; save it as UTF-8."
                    ) from None
                data = parse_yaml(text, filename or "upload", "a scenario file")
            elif trigger == "example" and example:
                path = Path(example)
                data = parse_yaml(path.read_text(encoding="utf-8"), path.name, "a scenario file")
            else:
                raise dash.exceptions.PreventUpdate
            return (*fields_from_scenario(data), "")
        except ConfigError as error:
            return (*([dash.no_update] * len(fields)), str(error))

    @app.callback(
        Output("doses", "data", allow_duplicate=True),
        Input("add-dose", "n_clicks"),
        State("doses", "data"),
        prevent_initial_call=True,
    )
    def add_dose(_, rows):
        return [*(rows or []), {"drug": "morphine", "amount": "10 mg", "route": "iv",
                                "time": "0 h"}]  # fmt: skip

    inputs = [
        Input("name", "value"), Input("species", "value"), Input("sex", "value"),
        Input("weight", "value"), Input("duration", "value"), Input("step", "value"),
        Input("doses", "data"), Input("physiology", "value"),
    ]  # fmt: skip

    @app.callback(
        Output("layers", "figure"),
        Output("scenario-error", "children"),
        Output("weight-error", "children"),
        Output("duration-error", "children"),
        Output("step-error", "children"),
        Output("timing", "children"),
        [*inputs, Input("population", "value"), Input("subjects", "value")],
    )
    def update(name, species, sex, weight, duration, step, rows, physiology, population,
               subjects):  # fmt: skip
        from opioidsim.simulation import simulate

        began = time.perf_counter()
        scenario = scenario_from_fields(
            name, species, sex, weight, duration, step, rows, physiology
        )
        try:
            loaded = load_scenario(scenario)
            result = simulate(loaded)
            band, band_label = None, ""
            if population:
                from opioidsim.population import load_population_spec
                from opioidsim.simulation.population import population_band

                spec = load_population_spec(population)
                if not isinstance(subjects, int | float) or not 2 <= subjects <= spec.size:
                    raise ConfigError(
                        f"subjects: got {subjects}; valid: 2 to the population's {spec.size}."
                    )
                names = [n for _, chosen in _panels(result) for n in chosen]
                _, band = population_band(loaded, spec, names, size=int(subjects))
                band_label = f"{int(subjects)} subjects ({Path(population).stem})"
        except Exception as error:  # the message goes beside its field; the figure stays
            return dash.no_update, *error_outputs(_error_text(error)), ""
        figure = figure_of(result, band, band_label)
        seconds = time.perf_counter() - began
        LAST_UPDATE_S["band" if band is not None else "update"] = seconds
        LAST_UPDATE_S["count"] = LAST_UPDATE_S.get("count", 0) + 1
        return (
            figure,
            "",
            "",
            "",
            "",
            (
                f"update {LAST_UPDATE_S['count']:.0f}: validated, simulated and drawn in "
                f"{1000 * seconds:.0f} ms"
            ),
        )

    @app.callback(
        Output("download-yaml", "data"),
        Input("download-yaml-button", "n_clicks"),
        [State(i.component_id, i.component_property) for i in inputs],
        prevent_initial_call=True,
    )
    def download_yaml(_, name, species, sex, weight, duration, step, rows, physiology):
        scenario = scenario_from_fields(
            name, species, sex, weight, duration, step, rows, physiology
        )
        text = yaml.safe_dump(load_scenario(scenario).to_dict(), sort_keys=False)
        return {"content": text, "filename": "scenario.yaml"}

    @app.callback(
        Output("download-parquet", "data"),
        Input("download-parquet-button", "n_clicks"),
        [State(i.component_id, i.component_property) for i in inputs],
        prevent_initial_call=True,
    )
    def download_parquet(_, name, species, sex, weight, duration, step, rows, physiology):
        from opioidsim.simulation import simulate

        scenario = scenario_from_fields(
            name, species, sex, weight, duration, step, rows, physiology
        )
        buffer = io.BytesIO()
        simulate(scenario).to_pandas().to_parquet(buffer, index=False)
        return dcc.send_bytes(buffer.getvalue(), "results.parquet")

    @app.callback(
        Output("experiment-output", "children"),
        Input("run-experiment", "n_clicks"),
        State("experiment", "value"),
        prevent_initial_call=True,
    )
    def run_chosen_experiment(_, name):
        if not name:
            return html.P("choose an experiment first.", style={"color": "#b00020"})
        try:
            return experiment_view(name)
        except Exception as error:
            return html.P(_error_text(error), style={"color": "#b00020"})

    return app


def serve(host: str = "127.0.0.1", port: int = 8050) -> None:
    """Serve the page until interrupted."""
    create_app().run(host=host, port=port, debug=False)
