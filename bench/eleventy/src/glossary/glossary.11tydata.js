module.exports = {
  layout: "term.njk",
  eleventyComputed: { permalink: (data) => `/begrippen/${data.page.fileSlug}/` },
};
