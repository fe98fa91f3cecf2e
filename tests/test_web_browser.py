"""Every page in a real browser: Debian's chromium (headless, through Playwright) against the real
server on a loopback port over a real SQLite ledger holding the bundled examples and a hostile article.

Screenshots go to test-artifacts/. The browser may not reach anything but the test server: any other
request fails the test, so the pages are proven to work offline (no CDN)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from newsledger.api import create_app
from web_fixtures import IMG, ROOT, SCRIPT, LiveServer, build_ledger, example_records, hostile_record

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing (scripts/system-deps.sh installs it)")
        pytest.skip("/usr/bin/chromium is missing")
    return CHROMIUM


@pytest.fixture(scope="module")
def records(chromium_path) -> dict:
    examples = example_records()
    hostile = hostile_record()
    return {"seed": examples[0], "examples": examples, "hostile": hostile}


@pytest.fixture(scope="module")
def server(tmp_path_factory, records):
    ledger = build_ledger(tmp_path_factory.mktemp("web") / "ledger.db", (*records["examples"], records["hostile"]))
    with LiveServer(create_app(ledger=ledger, token="browser-token")) as live:
        yield live
    ledger.close()


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(chromium_path), args=ARGS, headless=True)
        yield b
        b.close()


class Watch:
    """What a page did that it must not: dialogs, console errors (CSP violations among them), requests
    leaving the test server."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    watch = Watch()
    host = urlparse(server.url).netloc

    def route(r):
        if urlparse(r.request.url).netloc == host:
            r.continue_()
        else:
            watch.outside.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    pg = ctx.new_page()
    pg.set_default_timeout(10_000)
    pg.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: watch.errors.append(str(e)))
    pg.base = server.url
    pg.watch = watch
    yield pg
    ctx.close()
    assert not watch.dialogs, watch.dialogs
    assert not watch.errors, watch.errors
    assert not watch.outside, watch.outside


def shot(pg, name: str, full: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / name), full_page=full)


def go(pg, path: str) -> None:
    res = pg.goto(pg.base + path)
    assert res is not None and res.status == 200, (path, res and res.status)


def api(pg, path: str):
    res = pg.request.get(pg.base + path)
    assert res.ok, path
    return res.json()


def test_overview(page, records):
    go(page, "/")
    counts = page.locator("ul.counts li")
    assert counts.count() == 5
    assert page.locator("ul.counts li").first.inner_text().startswith(str(len(records["examples"]) + 1))
    latest = page.locator("ul.articles li a")
    assert latest.count() == 12
    assert latest.first.inner_text() == records["hostile"]["article"]["title"]  # ingested last: newest first
    assert page.locator("h2", has_text="Contested claims").is_visible()
    shot(page, "overview.png")
    page.locator("ul.articles li a", has_text="NATO").first.click()
    assert "/articles/" in page.url and page.locator("#article-text").is_visible()


def test_article_marks_show_their_records(page, records):
    seed = records["seed"]
    go(page, f"/articles/{seed['article']['id']}")
    assert page.locator("h1").inner_text() == seed["article"]["title"]
    text = page.locator("#article-text").inner_text()
    assert text.replace("\n", "") == seed["article"]["text"].replace("\n", "")  # the text, whole, as text
    assert page.locator("#article-text .m-quote[tabindex]").count() == len(seed["quotes"])
    speakers = {q["speaker"] or q["speaker_text"] for q in seed["quotes"]}
    colours = set(page.eval_on_selector_all("#article-text .m-quote",
                                            "els => els.map(e => [...e.classList].find(c => c.startsWith('spk-')))"))
    assert len(colours) == min(len(speakers), 8)
    # hover a quote: the inspector shows its record
    quote = seed["quotes"][0]
    page.locator(f"#quote-quote-{quote['id']}-{quote['span'][0]}").hover()
    panel = page.locator("#inspector")
    assert "quote" in panel.inner_text().lower()
    assert quote["text"][:40] in panel.inner_text()
    # focus a claim from the keyboard: the inspector follows
    claim = seed["claims"][0]
    page.locator(f"#claim-claim-{claim['id']}-{claim['span'][0]}").focus()
    assert f"claim · {claim['status']}" in panel.inner_text().lower()
    assert page.locator("#article-text .badge-after").count() == len(seed["claims"])
    if seed["events"]:
        assert page.locator("#article-text .m-event[data-type]").count() >= len(seed["events"])
    shot(page, "article.png", full=False)
    # an entity mark links on to the ledger's page for that entity
    link = page.locator("section ul.entities a").first
    name = link.inner_text()
    link.click()
    assert "/entities/" in page.url and name in page.locator("h1").inner_text()


def test_claims_board_to_the_evidence(page, records):
    go(page, "/claims")
    lanes = page.locator(".board .lane h2")
    assert [lanes.nth(i).inner_text().split()[0].lower() for i in range(4)] == ["asserted", "unverified", "denied",
                                                                                "contradicted"]
    for status in ("asserted", "denied"):
        badges = page.locator(f"#lane-{status} .card .meta .badge")
        assert badges.count() >= 1 and all(t == status for t in badges.all_inner_texts())
    shot(page, "claims.png")
    claims = api(page, "/api/claims?limit=1000")["items"]
    rank = ["contradicted", "denied", "unverified", "asserted"]
    claim = min((c for c in claims if c["mentions"]), key=lambda c: rank.index(c["status"]))
    card = page.locator(f'#lane-{claim["status"]} li[data-claim="{claim["id"]}"]')
    assert card.locator(".claim-text").inner_text() == claim["text"]
    card.locator("a.evidence").first.click()
    page.wait_for_url(re.compile(r"/articles/[^?]+\?mark=\d+-\d+#evidence$"))
    mention = claim["mentions"][0]
    article = api(page, f"/api/articles/{mention['article']}")
    s, e = mention["span"]
    evidence = page.locator("#evidence")
    assert evidence.is_visible()
    assert evidence.inner_text() in article["article"]["text"][s:e]
    assert "evidence" in page.locator("#inspector").inner_text().lower()
    shot(page, "claim-evidence.png", full=False)


def test_timeline_chart_filter_and_click(page, records):
    go(page, "/timeline")
    canvas = page.locator("#timeline-chart")
    plotted = int(canvas.get_attribute("data-plotted") or 0)
    rows = page.locator("#event-table tbody tr")
    events = api(page, "/api/events")["items"]
    assert rows.count() == len(events) and plotted == sum(1 for v in events if (v.get("date") or {}).get("start"))
    assert plotted > 0
    assert page.evaluate("window.newsledgerTimeline.data.datasets.length") >= 1
    shot(page, "timeline.png")
    # filter by actor: every row's actor is that actor
    counts = {}
    for v in events:
        if v.get("actor"):
            counts[v["actor"]] = counts.get(v["actor"], 0) + 1
    actor = max(counts, key=lambda a: counts[a])
    page.select_option("#actor-select", actor)
    page.locator("#timeline-filter button[type=submit]").click()
    page.wait_for_url(re.compile(r"actor=" + re.escape(actor)))
    name = page.locator(f'#actor-select option[value="{actor}"]').inner_text()
    cells = page.locator("#event-table tbody tr td:nth-child(3)").all_inner_texts()
    assert cells and all(c == name for c in cells)
    assert page.locator("#actor-select").input_value() == actor
    shot(page, "timeline-filtered.png")
    # clicking a point opens its evidence
    pos = page.evaluate("""() => { const c = window.newsledgerTimeline; const p = c.getDatasetMeta(0).data[0];
                              const r = c.canvas.getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""")
    page.mouse.click(pos[0], pos[1])
    page.wait_for_url(re.compile(r"/articles/.+#evidence"))
    assert page.locator(".m-evidence").first.is_visible()


def test_entity_page_and_network(page, records):
    ent = api(page, "/api/entities?q=Stoltenberg")["items"][0]
    go(page, f"/entities/{ent['id']}")
    assert ent["name"] in page.locator("h1").inner_text()
    said = page.locator("h2", has_text="Said")
    assert said.is_visible() and page.locator("h2", has_text="Suffered").is_visible()
    full = api(page, f"/api/entities/{ent['id']}")
    assert page.locator("blockquote").count() == len(full["quotes"])
    partners = {v["target"] for v in full["events_as_actor"] if v["target"]} | \
               {v["actor"] for v in full["events_as_target"] if v["actor"]}
    partners.discard(ent["id"])
    nodes = page.locator("svg.network a.met")
    assert nodes.count() == min(len(partners), 24) > 0
    hrefs = {nodes.nth(i).get_attribute("href").rsplit("/", 1)[1] for i in range(nodes.count())}
    assert hrefs == partners
    shot(page, "entity.png")
    other = nodes.first.locator("text").text_content()
    nodes.first.locator("circle").click()
    page.wait_for_url(re.compile(r"/entities/E?\d+"))
    assert other in page.locator("h1").inner_text()


def test_quotes_search_by_speaker_and_words(page, records):
    go(page, "/quotes")
    total = page.locator("ul.cards li.quote").count()
    assert total == len(api(page, "/api/quotes?limit=1000")["items"])
    option = page.locator("#speaker-select option:not([value=''])").first
    speaker, name = option.get_attribute("value"), option.inner_text()
    page.select_option("#speaker-select", speaker)
    page.locator("#quote-filter button[type=submit]").click()
    page.wait_for_url(re.compile(r"speaker="))
    metas = page.locator("ul.cards li.quote .meta .speaker").all_inner_texts()
    assert metas and all(m == name for m in metas)
    assert page.locator("ul.cards li.quote").count() < total
    page.select_option("#speaker-select", "")
    page.fill("#quote-q", "Ukraine")
    page.locator("#quote-filter button[type=submit]").click()
    page.wait_for_url(re.compile(r"q=Ukraine"))
    quotes = page.locator("ul.cards li.quote blockquote").all_inner_texts()
    assert quotes and all("ukraine" in q.lower() for q in quotes)
    shot(page, "quotes.png")


def test_hostile_article_is_only_text(page, records):
    hostile = records["hostile"]
    aid = hostile["article"]["id"]
    expect = {"/": [SCRIPT, IMG], "/articles": [SCRIPT, IMG], f"/articles/{aid}": [SCRIPT, IMG, "<b>bold</b>"],
              "/quotes": [SCRIPT, IMG], "/quotes?q=alert": [SCRIPT], "/claims": [SCRIPT],
              "/search?q=diplomacy": [], "/timeline": [], "/entities": []}
    for q in api(page, "/api/quotes?q=alert")["items"]:
        if q["speaker"]:  # the speaker's page lists what they said
            expect[f"/entities/{q['speaker']}"] = [q["text"]]
    for path, payloads in expect.items():
        go(page, path)
        body = page.locator("body").inner_text()
        for p in payloads:
            assert p in body, (path, p)
        assert page.evaluate("document.querySelectorAll('img[src=\"x\"], main script, main b').length") == 0, path
        assert page.evaluate("[...document.scripts].every(s => s.src.startsWith(location.origin + '/static/'))")
    go(page, f"/articles/{aid}")
    assert page.locator("h1").inner_text() == hostile["article"]["title"]
    q = next(q for q in hostile["quotes"] if SCRIPT in q["text"])
    page.locator(f"#quote-quote-{q['id']}-{q['span'][0]}").hover()
    assert SCRIPT in page.locator("#inspector").inner_text()
    shot(page, "hostile-article.png", full=False)
    assert not page.watch.dialogs


def test_api_docs_work_offline(page):
    go(page, "/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "newsledger" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-summary-path", has_text="/api/claims").count() >= 1
    shot(page, "docs.png", full=False)
