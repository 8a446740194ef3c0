module.exports = {
  layout: "article.njk",
  eleventyComputed: { permalink: (data) => `/artikelen/${data.page.fileSlug}/` },
};
