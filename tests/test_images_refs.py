"""What an article says of its photos: the image: mapping and body figures."""

from __future__ import annotations

import pytest

from generator.errors import Problem
from generator.images.refs import figures, lead_photo, mark_figures, render_body
from generator.model import Photo


def lead(value):
    problems: list[Problem] = []
    return lead_photo(value, 7, "a.md", "dts Nachrichtenagentur", problems), problems


def test_the_mapping_gives_a_photo_with_defaults():
    photo, problems = lead({"file": "weil.jpg", "alt": "Stephan Weil am Rednerpult",
                            "caption": "Stephan Weil (Archiv)", "focus": "0.5,0.3"})
    assert problems == []
    assert photo == Photo("weil.jpg", "Stephan Weil am Rednerpult", "Stephan Weil (Archiv)",
                          "dts Nachrichtenagentur", (0.5, 0.3), 7)
    photo, _ = lead({"file": "/bilder/x.jpg", "alt": "X", "credit": "Agentur"})
    assert photo.credit == "Agentur" and photo.focus == (0.5, 0.5) and photo.caption == ""


def test_a_bare_string_is_refused_with_the_mapping_form():
    photo, problems = lead("weil.jpg")
    assert photo is None
    assert [(p.line, p.message.splitlines()[0]) for p in problems] == [
        (7, "'image' must be a mapping with at least file and alt (alt says what the photo "
            "shows), like:")]
    assert "  alt: " in problems[0].message


@pytest.mark.parametrize(("value", "message"), [
    ({"file": "x.jpg"}, "'image' needs 'alt'"),
    ({"file": "x.jpg", "alt": "  "}, "'image' needs 'alt'"),
    ({"alt": "Ein Foto"}, "'image' needs 'file'"),
    ({"file": "x.jpg", "alt": "A", "focus": "0.5"}, "'image: focus' must be two fractions"),
    ({"file": "x.jpg", "alt": "A", "focus": "1.5,0.2"}, "'image: focus' must be two fractions"),
    ({"file": "x.jpg", "alt": "A", "quelle": "x"}, "'image' has an unknown key 'quelle'"),
    ({"file": ["x.jpg"], "alt": "A"}, "'image: file' must be text"),
    ({"file": "x.jpg", "alt": "A\ufffeB"}, "'image: alt' contains the invisible character"),
])
def test_every_problem_of_the_mapping_is_named(value, message):
    _photo, problems = lead(value)
    assert [p.line for p in problems] == [7] and problems[0].message.startswith(message)


BODY = """Berlin (dts Nachrichtenagentur) - Der Vorspann.

![Das Kanzleramt](kanzleramt.jpg "Kanzleramt (Archiv)")

Text mit ![eingebettet](x.jpg) mitten im Satz.

![](leer.jpg)

```
![im Code](code.jpg)
```
"""


def test_figures_stand_alone_in_their_paragraph_and_mixed_ones_are_errors():
    problems: list[Problem] = []
    found = figures(BODY, 10, "a.md", "dts", problems)
    assert found == (Photo("kanzleramt.jpg", "Das Kanzleramt", "Kanzleramt (Archiv)", "dts",
                           (0.5, 0.5), 12),)
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (14, "a photo in the body must stand alone in its paragraph"),
        (16, "the photo needs a text in ![…] saying what it shows, for readers who cannot see "
             "it")]


def test_a_photo_cannot_be_the_lead():
    problems: list[Problem] = []
    assert figures("![Foto](a.jpg)\n\nText.\n", 5, "a.md", "dts", problems) == ()
    assert problems[0].line == 5 and "the first paragraph is the lead" in problems[0].message


def test_figures_are_rendered_in_their_places():
    body = "Absatz eins.\n\n![A](a.jpg)\n\nAbsatz zwei.\n\n![B](b.jpg \"Bildtext\")\n"
    marked = mark_figures(body)
    assert "FIG0" in marked and "FIG1" in marked and "![" not in marked
    photos = (Photo("a.jpg", "A"), Photo("b.jpg", "B"))
    html = render_body(body, photos, lambda md: "".join(
        f"<p>{block.strip()}</p>" for block in md.split("\n\n") if block.strip()),
        lambda photo: f"<figure>{photo.alt}</figure>")
    assert html == ("<p>Absatz eins.</p><figure>A</figure><p>Absatz zwei.</p>"
                    "<figure>B</figure>")
