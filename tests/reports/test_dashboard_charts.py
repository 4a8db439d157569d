"""The dashboard's charts: SVG drawn on the server, an image with a title and a
description, labels escaped, axes labelled, whatever the data."""

import re
import xml.etree.ElementTree as ET

import pytest
from defusedxml import ElementTree as DefusedET

from reports.charts import Point, bar_chart, column_chart, nice_ceiling
from shop.money import format_cents

SVG = "{http://www.w3.org/2000/svg}"


def draw(kind, points, **kwargs):
    chart = {"bar": bar_chart, "column": column_chart}[kind]
    return chart(chart_id="chart-x", title="Ventes par exposant",
                 description="Les ventes de chaque exposant.", points=points,
                 value_label=format_cents, axis_label="Ventes",
                 empty_text="Rien de vendu pour l'instant.", **kwargs)


def parsed(markup) -> ET.Element:
    return DefusedET.fromstring(str(markup))


@pytest.mark.parametrize("kind", ["bar", "column"])
def test_a_chart_is_an_image_named_by_its_title_and_description(kind):
    svg = parsed(draw(kind, [Point("Ressourcerie", 1250)]))

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-x-title chart-x-desc"
    assert svg.find(f"{SVG}title").get("id") == "chart-x-title"
    assert svg.find(f"{SVG}title").text == "Ventes par exposant"
    assert svg.find(f"{SVG}desc").text == "Les ventes de chaque exposant."
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert "Ventes" in texts  # the axis label
    assert "0,00\xa0€" in texts  # the axis starts at zero


@pytest.mark.parametrize("kind", ["bar", "column"])
def test_without_data_the_chart_says_so(kind):
    svg = parsed(draw(kind, []))

    assert [text.text for text in svg.iter(f"{SVG}text")] == ["Rien de vendu pour l'instant."]
    assert svg.find(f"{SVG}rect[@fill='#1d4e89']") is None


def test_one_bar_fills_the_axis_up_to_a_round_top():
    svg = parsed(draw("bar", [Point("Ressourcerie", 2000)]))

    bar = svg.find(f".//{SVG}rect[@fill='#1d4e89']")
    assert float(bar.get("width")) == 400.0
    assert "20,00\xa0€" in [text.text for text in svg.iter(f"{SVG}text")]


@pytest.mark.parametrize("kind", ["bar", "column"])
def test_large_values_stay_inside_the_picture(kind):
    svg = parsed(draw(kind, [Point("Grande Recyclerie", 47_500_000_00), Point("Petit", 1)]))

    width = float(svg.get("viewBox").split()[2])
    for rect in svg.iter(f"{SVG}rect"):
        assert float(rect.get("x", 0)) + float(rect.get("width")) <= width
        assert float(rect.get("height")) >= 0
    assert "47\u202f500\u202f000,00\xa0€" in str(draw(kind, [Point("G", 47_500_000_00)]))


@pytest.mark.parametrize("kind", ["bar", "column"])
def test_labels_and_titles_are_escaped(kind):
    markup = str(draw(kind, [Point('<script>alert("x")</script> & Cie', 100)]))

    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup and "&amp; Cie" in markup
    parsed(markup)  # still well-formed


def test_long_labels_are_shortened_with_the_full_name_in_the_tooltip():
    name = "Association intermédiaire pour le réemploi solidaire du pays de Retz"
    svg = parsed(draw("bar", [Point(name, 100)]))

    assert name not in [text.text for text in svg.iter(f"{SVG}text")]
    assert any(name in (title.text or "") for title in svg.iter(f"{SVG}title"))


def test_many_days_get_one_label_in_a_few():
    points = [Point(f"{day} déc.", day * 100) for day in range(1, 41)]
    svg = parsed(draw("column", points))

    columns = svg.findall(f".//{SVG}rect[@fill='#1d4e89']")
    day_labels = [t.text for t in svg.iter(f"{SVG}text") if t.text.endswith("déc.")]
    assert len(columns) == 40
    assert 10 <= len(day_labels) <= 14


def test_counts_never_repeat_a_tick():
    svg = column_chart(chart_id="c", title="Commandes", description="Par jour",
                       points=[Point("1 déc.", 2)], value_label=str, axis_label="Jour",
                       empty_text="-")

    ticks = re.findall(r'text-anchor="end" fill="#1f2328">(\d+)<', str(svg))
    assert ticks == ["0", "1", "2"]


@pytest.mark.parametrize(("value", "top"), [
    (0, 1), (1, 1), (7, 10), (11, 20), (2400, 2500), (2600, 5000), (99_999_999, 100_000_000),
])
def test_the_axis_ends_on_a_round_number(value, top):
    assert nice_ceiling(value) == top


def test_shortened_names_that_differ_by_their_end_stay_apart():
    names = [f"Ressourcerie solidaire et citoyenne du quartier {n}" for n in ("Nord", "Sud")]
    svg = parsed(draw("bar", [Point(name, 100) for name in names]))

    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert len(set(labels)) == 2 and all("…" in label for label in labels)
