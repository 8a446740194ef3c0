// Eleventy anchor for the kennisbank benchmark (bench/run.py --with-eleventy).
// The same pages and URLs as kennisbank; KB_BENCH_RELATED=1 adds the
// "related" variant: 6 related articles with summaries on every article
// (explicit `related` first, then articles sharing terms or tags, weighted as
// in bench/hugo/related.toml) and "Gebruikt in" on every term page. The terms
// an article uses come from `kbterms` (see bench/anchors.py).
//
// Links to other Markdown files and heading ids are done inside markdown-it
// (core rules below) rather than with Eleventy's InputPathToUrl and IdAttribute
// plugins: those re-parse every HTML page and took over half the build time,
// and a tuned Eleventy site would not pay that.
import fs from "node:fs";
import path from "node:path";

const RELATED = process.env.KB_BENCH_RELATED === "1";
const RELATED_COUNT = 6;
const dateFormat = new Intl.DateTimeFormat("nl-NL", {
  day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
});

function summaryOf(item) {
  // Front matter summary, else the first paragraph of the Markdown, cut at a word.
  if (item.data.summary) return item.data.summary;
  const body = (item.rawInput || "").split(/\n\s*\n/);
  const para = body.find((b) => b.trim() && !/^(#|-|\||\d+\.)/.test(b.trim())) || "";
  const words = para.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").split(/\s+/).filter(Boolean);
  return words.length > 30 ? words.slice(0, 30).join(" ") + " …" : words.join(" ");
}

const URL_PREFIX = { articles: "/artikelen/", glossary: "/begrippen/", themes: "/themas/", pages: "/" };
const known = new Map(); // collection -> Set of slugs, read once per build

function knownSlugs(collection) {
  if (!known.has(collection)) {
    const dir = path.join("src", collection);
    const names = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    known.set(collection, new Set(names.filter((n) => n.endsWith(".md")).map((n) => n.slice(0, -3))));
  }
  return known.get(collection);
}

function resolveMarkdownLink(href, inputPath) {
  // "other.md#x" or "../glossary/term.md" relative to the source file -> the page URL.
  const m = /^([^:#?]+)\.md(#.*)?$/.exec(href);
  if (!m) return href;
  const target = path.posix.join(path.posix.dirname(inputPath), m[1]);
  const collection = path.posix.basename(path.posix.dirname(target));
  const slug = path.posix.basename(target);
  if (!(collection in URL_PREFIX) || !knownSlugs(collection).has(slug)) {
    console.warn(`${inputPath}: link target ${href} does not exist`);
    return href;
  }
  return URL_PREFIX[collection] + slug + "/" + (m[2] || "");
}

function githubId(text, used) {
  const base = text.toLowerCase().replace(/[^\p{L}\p{N}\- _]/gu, "").replace(/ /g, "-");
  const n = used.get(base) || 0;
  used.set(base, n + 1);
  return n ? `${base}-${n}` : base;
}

function markdownRules(md) {
  md.set({ html: false });
  md.core.ruler.push("kb_links_and_ids", (state) => {
    const inputPath = state.env?.page?.inputPath || "";
    const used = new Map();
    state.tokens.forEach((tok, i) => {
      if (tok.type === "heading_open") {
        tok.attrSet("id", githubId(state.tokens[i + 1].content, used));
      } else if (tok.type === "inline" && tok.children) {
        for (const child of tok.children) {
          if (child.type === "link_open") child.attrSet("href", resolveMarkdownLink(child.attrGet("href"), inputPath));
        }
      }
    });
  });
}

function byDateDesc(a, b) {
  return b.date - a.date || (a.fileSlug < b.fileSlug ? -1 : 1);
}

export default function (eleventyConfig) {
  eleventyConfig.amendLibrary("md", markdownRules);
  eleventyConfig.addGlobalData("benchRelated", RELATED);
  eleventyConfig.addGlobalData("site", {
    title: "Kennisbank Onderwijs",
    url: "https://kennisbank.example.org",
    description: "Benchmarkcorpus van een kennisbank voor het onderwijs",
    defaultAuthor: "Redactie Kennisbank Onderwijs",
  });
  eleventyConfig.addFilter("dateNl", (d) => dateFormat.format(d));
  eleventyConfig.addFilter("isoDate", (d) => d.toISOString().slice(0, 10));
  eleventyConfig.addFilter("summary", summaryOf);
  eleventyConfig.addFilter("head", (arr, n) => arr.slice(0, n));
  eleventyConfig.addFilter("json", (v) => JSON.stringify(v).replace(/</g, "\\u003c"));

  const articles = (api) => api.getFilteredByGlob("src/articles/*.md").sort(byDateDesc);
  eleventyConfig.addCollection("articles", articles);
  eleventyConfig.addCollection("glossary", (api) =>
    api.getFilteredByGlob("src/glossary/*.md").sort((a, b) => a.data.term.localeCompare(b.data.term, "nl")),
  );
  eleventyConfig.addCollection("themes", (api) =>
    api.getFilteredByGlob("src/themes/*.md").sort((a, b) => a.data.title.localeCompare(b.data.title, "nl")),
  );
  eleventyConfig.addCollection("freePages", (api) => api.getFilteredByGlob("src/pages/*.md"));
  eleventyConfig.addCollection("bySlug", (api) => {
    const index = { articles: {}, glossary: {} };
    for (const item of api.getFilteredByGlob("src/articles/*.md")) index.articles[item.fileSlug] = item;
    for (const item of api.getFilteredByGlob("src/glossary/*.md")) index.glossary[item.fileSlug] = item;
    return index;
  });
  eleventyConfig.addCollection("tagPages", (api) => {
    // One entry per page of every tag (20 articles a page), like kennisbank's tag pagination.
    const byTag = new Map();
    for (const item of articles(api)) {
      for (const tag of [].concat(item.data.tags || [])) {
        if (!byTag.has(tag)) byTag.set(tag, []);
        byTag.get(tag).push(item);
      }
    }
    const slugify = eleventyConfig.getFilter("slugify");
    const pages = [];
    for (const tag of [...byTag.keys()].sort()) {
      const items = byTag.get(tag);
      const total = Math.ceil(items.length / 20);
      for (let n = 0; n < total; n++) {
        pages.push({ tag, slug: slugify(tag), number: n + 1, total, count: items.length,
          items: items.slice(n * 20, n * 20 + 20) });
      }
    }
    return pages;
  });

  if (RELATED) {
    eleventyConfig.addCollection("related", (api) => {
      const list = articles(api);
      const byTerm = new Map();
      const byTag = new Map();
      const add = (map, key, i) => (map.has(key) ? map.get(key).push(i) : map.set(key, [i]));
      list.forEach((item, i) => {
        for (const t of item.data.kbterms || []) add(byTerm, t, i);
        for (const t of [].concat(item.data.tags || [])) add(byTag, t, i);
      });
      const slugIndex = new Map(list.map((item, i) => [item.fileSlug, i]));
      const out = {};
      list.forEach((item, i) => {
        const picked = [];
        const seen = new Set([i]);
        for (const rel of item.data.related || []) {
          if (typeof rel === "string") {
            const j = slugIndex.get(rel);
            if (j === undefined) continue;
            seen.add(j);
            picked.push({ title: list[j].data.title, url: list[j].url, summary: summaryOf(list[j]) });
          } else {
            picked.push({ title: rel.title, url: rel.url, summary: "" });
          }
        }
        const score = new Map();
        const bump = (j, w) => { if (!seen.has(j)) score.set(j, (score.get(j) || 0) + w); };
        for (const t of item.data.kbterms || []) for (const j of byTerm.get(t)) bump(j, 100);
        for (const t of [].concat(item.data.tags || [])) for (const j of byTag.get(t)) bump(j, 80);
        const best = [...score.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]); // list is newest first
        for (const [j] of best.slice(0, Math.max(0, RELATED_COUNT - picked.length))) {
          picked.push({ title: list[j].data.title, url: list[j].url, summary: summaryOf(list[j]) });
        }
        out[item.fileSlug] = picked;
      });
      return out;
    });
    eleventyConfig.addCollection("termUsage", (api) => {
      const usage = {};
      for (const item of articles(api)) {
        for (const t of item.data.kbterms || []) (usage[t] ||= []).push(item);
      }
      return usage;
    });
  }

  return {
    dir: { input: "src", includes: "_includes", output: "_site" },
    markdownTemplateEngine: false, // content is plain Markdown, as in kennisbank
    htmlTemplateEngine: "njk",
  };
}
