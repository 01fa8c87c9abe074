"""Theme blocks that come out the same on many pages, rendered once for all of them.

Material renders its navigation, tabs, footer, configuration and scripts again for every page:
about half of the ~5 ms a page spends in the theme's templates. For a page outside the nav (a
report, department or region page: 15,000 of them at 10,000 reports) these blocks depend only
on where its URL is (below) and on its `hide:` setting, so each is rendered for the first such
page at the same place and copied for the others (`install`, from the hook's on_env).

What the blocks read, from Material's templates (base.html and its partials):
- the nav and the active state of its items: no item is active while a page outside the nav renders;
- the page's `hide:` (navigation, toc) and, in the sidebars (`site_nav`), its contents list: only
  pages whose list is empty (as the theme judges it) share that block;
- URLs made relative to the page (`url` filter, `base_url`) to nav pages, assets and scripts. A
  relative URL depends on the page's depth and on how many leading folders it shares with the
  target, so pages share a block when they are as deep and begin with the same folders as far as
  any target does (`henan/…/2021/` and `henan/…/2022/` beside the nav's `henan/`);
- the configuration, theme features and language, which are the same for the whole build.
A page with its own template (front matter `template:`) overrides the blocks and is unaffected.
`tests/test_site_theme_blocks.py` renders a site both ways and compares every page byte for byte.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

BLOCKS = ("tabs", "site_nav", "footer", "config", "scripts")

enabled = True  # the tests turn it off to compare


def install(env, config, files, nav) -> None:
    """Wrap the shared blocks of Material's base template in `env` with a cache for this build."""
    if not enabled or nav is None:
        return
    try:
        base = env.get_template("base.html")
    except Exception:  # not Material, or no base template: nothing to share
        return
    in_nav = {id(p) for p in nav.pages}
    starts = _target_starts(config, files, nav)
    store: dict[tuple, str] = {}
    for name in BLOCKS:
        render = base.blocks.get(name)
        if render is not None and not getattr(render, "_juesuan_shared", False):
            base.blocks[name] = _shared(name, render, store, lambda page: _key(page, in_nav, starts))


def _shared(name: str, render: Callable[..., Iterator[str]], store: dict[tuple, str],
            key: Callable[[Any], tuple | None]) -> Callable[..., Iterator[str]]:
    def block(context, *args, **kwargs) -> Iterator[str]:
        page = context.get("page")
        k = key(page)
        if k is not None and name == "site_nav" and _has_contents(page.toc):
            k = None  # the sidebar holds the page's contents list
        if k is None:
            yield from render(context, *args, **kwargs)
            return
        k = (name, *k)
        text = store.get(k)
        if text is None:
            text = store[k] = "".join(render(context, *args, **kwargs))
        yield text

    block._juesuan_shared = True  # type: ignore[attr-defined]
    return block


def _key(page, in_nav: set[int], starts: set[tuple[str, ...]]) -> tuple | None:
    """What the shared blocks of this page depend on, or None if it must render them itself.

    `get_relative_url(target, page.url)` goes up from the page's folder to the first folder it
    does not share with the target: with `shared` the longest start of the page's folders that
    begins some target, that depends only on the page's depth and `shared`.
    """
    if page is None or id(page) in in_nav or getattr(page, "file", None) is None:
        return None
    url = page.url or ""
    folders = [p for p in url.split("/") if p]
    if url and not url.endswith("/") and "." in folders[-1]:  # a file: URLs start from its folder
        folders = folders[:-1]
    if not folders or any(p in (".", "..") for p in folders):
        return None
    n = 0
    while n < len(folders) and tuple(folders[:n + 1]) in starts:
        n += 1
    shared = tuple(folders[:n])
    return (len(folders), shared, repr((page.meta or {}).get("hide")))


def _has_contents(toc) -> bool:
    """Whether Material's contents list (partials/toc.html) shows anything for this page's toc."""
    items = list(toc or [])
    if items and getattr(items[0], "level", None) == 1:
        items = list(items[0].children)
    return bool(items)


def _target_starts(config, files, nav) -> set[tuple[str, ...]]:
    """Every start (first folders) of every URL the shared blocks may link to: nav pages and links,
    assets, scripts."""
    urls: list[str] = [p.url for p in nav.pages]
    urls += [getattr(link, "url", "") for link in _links(nav.items)]
    urls += [f.url for f in files if not f.is_documentation_page()]
    urls += [str(s) for s in config.extra_javascript] + [str(s) for s in config.extra_css]
    homepage = (config.extra or {}).get("homepage")
    if homepage:
        urls.append(str(homepage))
    starts: set[tuple[str, ...]] = set()
    for u in urls:
        if u and "://" not in u:
            parts = [p for p in u.split("/") if p]
            starts.update(tuple(parts[:k]) for k in range(1, len(parts) + 1))
    return starts


def _links(items) -> Iterator[Any]:
    for item in items:
        if getattr(item, "children", None):
            yield from _links(item.children)
        elif not hasattr(item, "file"):
            yield item
