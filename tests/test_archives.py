from generator.archives import children, page_url, paginate, period_url, periods
from generator.dates import day_long, full, month_year, short
from generator.model import Article


def test_pagination_counts_from_the_oldest_and_front_page_holds_the_newest():
    pages = paginate("kategorie/x/", tuple(range(11)), 3)
    front, *numbered = pages
    assert front.url == "kategorie/x/" and front.number is None
    assert front.items == (10, 9, 8, 7, 6)  # remainder (9, 10) + newest full page (6..8)
    assert [p.items for p in numbered] == [(2, 1, 0), (5, 4, 3)]
    assert front.older_url == page_url("kategorie/x/", 2)
    assert numbered[1].newer_url == "kategorie/x/" and numbered[0].older_url is None


def test_adding_an_article_changes_only_the_front_page_and_at_most_two_numbered_pages():
    for size in (2, 3, 5):
        for n in range(1, 25):
            before = {p.url: p for p in paginate("t/", tuple(range(n)), size)}
            after = {p.url: p for p in paginate("t/", tuple(range(n + 1)), size)}
            changed = [u for u in after if before.get(u) != after[u]]
            assert "t/" in changed and len(changed) <= 3, (size, n, changed)
            # Pages that exist never lose their articles to renumbering.
            for url, page in before.items():
                if page.number is not None:
                    assert after[url].items == page.items


def test_small_topic_is_one_page():
    (only,) = paginate("t/", (0, 1), 20)
    assert only.items == (1, 0) and only.older_url is None


def test_periods_and_neighbours(make_article=None):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Europe/Berlin")
    stamps = [(2024, 1, 4), (2024, 1, 4), (2024, 3, 1), (2025, 12, 31)]
    articles = []
    for i, (y, m, d) in enumerate(stamps):
        articles.append(Article("x.md", f"T{i}", datetime(y, m, d, 12, tzinfo=tz), "Sport", (),
                                "", "", f"t{i}", f"u{i}/", "", "", 1, index=i))
    years, months, days = (periods(articles, depth) for depth in (1, 2, 3))
    assert [y.key for y in years] == [(2024,), (2025,)]
    assert years[0].items == (0, 1, 2) and years[0].next.key == (2025,)
    assert [m.url for m in children(months)[years[0].key]] == ["2024/01/", "2024/03/"]
    assert [d.url for d in children(days)[(2024, 1)]] == ["2024/01/04/"]
    assert days[0].items == (0, 1) and days[0].previous is None
    assert days[1].previous.url == "2024/01/04/" and days[1].next.url == "2025/12/31/"
    assert period_url((2024, 3, 1)) == "2024/03/01/"


def test_german_dates_without_locale():
    from datetime import datetime

    moment = datetime(2024, 1, 4, 20, 41, 54)
    assert full(moment) == "04.01.2024 - 20:41:54"
    assert short(moment) == "04.01.2024 - 20:41"
    assert month_year(2024, 3) == "März 2024"
    assert day_long(2024, 1, 4) == "Donnerstag, 4. Januar 2024"
