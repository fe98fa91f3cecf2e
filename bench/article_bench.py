"""Throughput of the article stage (read + article, no spaCy): pages per second on HTML, text captures and NITF.

    python bench/article_bench.py [--n 300] [--repeat 3] [--compare-options]

Inputs are built from the bundled examples and the test pages: every example story is wrapped in
a news-page template with navigation, cookie banner, share bar, related links and comments (HTML),
kept as a text capture with furniture lines around it (text), and as an NITF wire story (NITF).
Each input differs (a counter is woven into the text) so no cache can help. Numbers depend on the
machine: the first line printed names it.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsledger.article import build  # noqa: E402
from newsledger.read import read_bytes  # noqa: E402

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | The Example Courier</title>
<meta property="og:site_name" content="The Example Courier">
<script type="application/ld+json">{ld}</script></head><body>
<div class="cookie-consent">We use cookies to improve your experience. Accept all cookies</div>
<nav class="main-nav"><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav>
<main><article><h1>{title}</h1><div class="byline">By Jo Example</div>
<div class="share-bar">Share on Facebook | Share on X | Email</div>
<div class="article-body">{body}</div></article>
<aside class="related"><h3>Related</h3><ul><li><a href="#">Story {n} one</a></li><li><a href="#">Story {n} two</a></li></ul></aside>
<section class="comments"><h3>2 comments</h3><p>Reader {n}: what a story.</p><p>Reader two: I disagree.</p></section>
</main><footer class="site-footer">© 2024 The Example Courier. All rights reserved.</footer></body></html>"""

NITF = """<?xml version="1.0" encoding="UTF-8"?><nitf><head><docdata><date.issue norm="20230928T132600+0100"/>
<doc.copyright holder="Example Wire"/></docdata></head><body><body.head><hedline><hl1>{title}</hl1></hedline>
<byline>By <person>Jo Example</person></byline></body.head><body.content>{body}</body.content></body></nitf>"""

FURNITURE = ["Sign in", "Share on Facebook | Twitter | Email", "Advertisement", "Related: More stories from the region",
             "Sign up for our morning newsletter", "© 2024 The Example Courier"]


def stories() -> list[tuple[str, list[str]]]:
    out = []
    for p in sorted((ROOT / "examples").glob("*.txt")):
        if p.stat().st_size > 100_000:  # not a news capture (e.g. a record saved over an example): skip it
            print(f"  (skipping {p.name}: {p.stat().st_size} bytes is not a news text capture)")
            continue
        (doc,) = read_bytes(p.read_bytes(), str(p))
        a = build(doc)
        paras = [a["text"][s:e] for s, e in a["paragraphs"]]
        out.append((a["title"] or p.stem, paras))
    return out


def make_inputs(n: int) -> dict[str, list[bytes]]:
    base = stories()
    inputs: dict[str, list[bytes]] = {"html": [], "text": [], "nitf": []}
    for i in range(n):
        title, paras = base[i % len(base)]
        paras = [*paras[:-1], f"{paras[-1]} (Item {i}.)"]
        ld = json.dumps({"@type": "NewsArticle", "headline": title, "datePublished": "2023-09-28T13:26:00+01:00",
                         "author": {"@type": "Person", "name": "Jo Example"},
                         "publisher": {"@type": "Organization", "name": "The Example Courier"}})
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
        inputs["html"].append(PAGE.format(title=html.escape(title), ld=ld, body=body, n=i).encode())
        lines = [FURNITURE[0], FURNITURE[1], title, "By Jo Example", "Thursday 28 September 2023 13:26 BST",
                 *paras[:2], FURNITURE[2], *paras[2:], FURNITURE[3], FURNITURE[4], FURNITURE[5]]
        inputs["text"].append("\n\n".join(lines).encode())
        inputs["nitf"].append(NITF.format(title=html.escape(title), body=body).encode())
    return inputs


def run(docs: list[bytes]) -> tuple[float, int]:
    t0 = time.perf_counter()
    words = 0
    for i, data in enumerate(docs):
        for doc in read_bytes(data, f"bench-{i}"):
            words += len(build(doc)["text"].split())
    return time.perf_counter() - t0, words


OPTION_SETS = {"default": {}, "favor_precision": {"favor_precision": True}, "favor_recall": {"favor_recall": True},
               "fast": {"fast": True}, "favor_precision+fast": {"favor_precision": True, "fast": True}}
# furniture on the bench pages and on tests/pages/*.html, and body sentences that must survive
LEAKS = ["Accept all cookies", "Share on", "Reader two", "Story 0 one", "All rights reserved", "Most read",
         "Shameful", "Flood warnings issued", "About time!", "Sign up for our", "Copy link", "Finally! I have"]


def compare_options(inputs: dict[str, list[bytes]]) -> None:
    """How each trafilatura option set does on furniture kept, body kept and speed (the basis of TRAFILATURA_OPTIONS)."""
    import trafilatura

    from newsledger.read import decode

    pages = [decode(p.read_bytes()) for p in sorted((ROOT / "tests" / "pages").glob("*.html"))]
    pages += [d.decode() for d in inputs["html"][:60]]
    def body_part(page: str) -> str:  # the page up to its comments / reader section
        low = page.lower()
        cuts = [i for i in (low.find(m, low.find("<body")) for m in ('class="comments', 'id="comments', "disqus",
                                                                      "comments</h3>", 'class="trending')) if i > 0]
        return page[: min(cuts)] if cuts else page

    wanted = [[html.unescape(p.split("</p>")[0])[-60:] for p in body_part(page).split("<p>")[1:] if len(p) > 120]
              for page in pages]
    print("trafilatura options (furniture strings kept / body paragraphs lost / pages per second):")
    for name, opts in OPTION_SETS.items():
        t0 = time.perf_counter()
        texts = [trafilatura.extract(p, include_comments=False, include_tables=False, **opts) or "" for p in pages]
        rate = len(pages) / (time.perf_counter() - t0)
        leaked = sum(x in t for t in texts for x in LEAKS)
        lost = sum(w not in t for t, ws in zip(texts, wanted, strict=True) for w in ws)
        total = sum(map(len, wanted))
        print(f"  {name:22s} kept {leaked:3d}  lost {lost:3d}/{total}  {rate:6.1f} pages/s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300, help="inputs per kind (default 300)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per kind; the best is reported")
    ap.add_argument("--compare-options", action="store_true", help="also compare trafilatura option sets")
    args = ap.parse_args()
    inputs = make_inputs(args.n)
    if args.compare_options:
        compare_options(inputs)
    print(f"article stage (read + article, no spaCy) on {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {args.n} inputs per kind, best of {args.repeat}")
    for kind, docs in inputs.items():
        run(docs[:5])  # warm-up: imports and data files
        best, words = min(run(docs) for _ in range(args.repeat))
        mb = sum(map(len, docs)) / 1e6
        print(f"  {kind:5s} {len(docs) / best:8.1f} pages/s  {mb / best:6.2f} MB/s  "
              f"({len(docs)} pages, {mb:.1f} MB, {words / len(docs):.0f} words/page, {best:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
